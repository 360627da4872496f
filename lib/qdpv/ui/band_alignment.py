"""Step 3 app: where the CsPbBr3 dots' levels sit in the inverted CsPbI3 stack, and what each interface does.

A flat-band diagram (vacuum-level / Anderson alignment) of ITO / HTL / CsPbI3 / [CsPbBr3-QD interlayer] / ETL /
BCP / Ag, the dots' levels against their size, and a table of band offsets coloured by verdict. The physics is
:mod:`qdpv.bands`; this module only wires controls to it and writes the texts.
"""

from __future__ import annotations

import html
import math
from collections.abc import Mapping, Sequence
from typing import Any

import ipywidgets as w
import numpy as np
from bokeh.layouts import column
from bokeh.models import BoxAnnotation, ColumnDataSource, FixedTicker, HoverTool, Label, Legend, Range1d, Span

from .. import bands
from .. import confinement as conf
from ..materials import get_material
from ..paper import PAPER
from .glossary import note_html
from .kit import PALETTE, CsvTable, Quiz, StepApp, describe_figure, dropdown, make_figure, slider
from .kit.ahead import built_ahead

QD_MATERIAL = get_material("CsPbBr3")
MIN_WIDTH_NM = 80.0  # drawn width of thinner layers, so a 1 nm SAM or a 6 nm buffer stays visible (display only)
Y_BOTTOM_EV, Y_TOP_EV = -7.6, 0.6
VALID_NM = conf.validity_range_nm(conf.DEFAULT_MODEL, QD_MATERIAL)
# the pores whose dots the default gap model describes (3.2-16.2 nm: 3.03-15.34 nm dots), so that no position of
# the pore slider leaves the model's range
PORE_RANGE_NM = (math.ceil(10 * VALID_NM[0] / float(conf.pore_to_dot_nm(1.0))) / 10,
                 math.floor(10 * VALID_NM[1] / float(conf.pore_to_dot_nm(1.0))) / 10)
CURVE_SIZES_NM = np.linspace(VALID_NM[0], VALID_NM[1], 150)

HTL_LABELS = {
    "NiOx": "NiOx",
    "PTAA": "PTAA",
    "MeO-2PACz": "MeO-2PACz (SAM on ITO)",
    "Me-4PACz": "Me-4PACz (SAM on ITO)",
}
ETL_LABELS = {"C60": "C60", "PCBM": "PC61BM"}
SHORT_NAMES = {"CsPbBr3 QDs@SiO2": "QDs", "PCBM": "PC61BM"}
ROLE_FILL = {
    "contact": "#b0b0b0",
    "HTL": "#9ec5e8",
    "absorber": "#8a6a55",
    "interlayer": "#5cc05c",
    "ETL": "#f2b36f",
    "buffer": "#d9d9d9",
}
# kind of a bands.Verdict -> (line colour in the figure, cell background in the table, legend words). The
# colours are Okabe-Ito's (told apart with red-green colour blindness), and each kind also has its own line dash
# (VERDICT_DASH), so that no reader depends on colour alone to tell a barrier from a cascade.
VERDICTS = {
    "good": ("#009E73", "#d7f0e8", "cascade / aligned / ohmic"),
    "barrier": ("#D55E00", "#fbe0cc", "barrier"),
    "blocking": ("#0072B2", "#dcebf6", "blocking (wanted)"),
    "leak": ("#CC79A7", "#f7e4ef", "no blocking: leak"),
    "neutral": ("#6E6E6E", "#f0f0f0", "contact/contact"),
}
VERDICT_DASH = {"good": "solid", "barrier": "3 3", "blocking": "10 3", "leak": "10 3 2 3", "neutral": "1 3"}
"""Line dash of each kind of verdict in the figure (Bokeh's dash patterns: screen pixels on, off, ...)."""

PAPER_PORE_NM = PAPER.medium_msn_pore_nm
PRESETS = {
    "paper: with QD interlayer (8 nm pores)": {"pore_nm": PAPER_PORE_NM, "interlayer": True, "htl": "NiOx",
                                               "etl": "C60"},
    "control: no interlayer": {"pore_nm": PAPER_PORE_NM, "interlayer": False, "htl": "NiOx", "etl": "C60"},
    "small pores, 4 nm (illustrative)": {"pore_nm": 4.0, "interlayer": True, "htl": "NiOx", "etl": "C60"},
    "large pores, 15 nm (illustrative)": {"pore_nm": 15.0, "interlayer": True, "htl": "NiOx", "etl": "C60"},
    "SAM + PC61BM, no dots (illustrative)": {"pore_nm": PAPER_PORE_NM, "interlayer": False, "htl": "Me-4PACz",
                                             "etl": "PCBM"},
}

# the terms of qdpv.ui.glossary this app's texts use, explained under its figures
TERMS = ("MSN", "perovskite", "CsPbI3", "CsPbBr3", "quantum dot", "confinement", "effective mass", "Kane model",
         "band gap", "vacuum level", "CBM", "VBM", "work function", "band offset", "Anderson rule", "Schottky-Mott",
         "interface dipole", "Fermi level", "tunnelling", "HTL", "ETL", "SAM", "ITO", "NiOx", "PTAA", "C60",
         "PC61BM", "BCP", "p-i-n", "interlayer", "illustrative")

QUIZ = Quiz(
    question=(
        "In this vacuum-level picture, which change makes the step for electrons from CsPbI3 into the "
        "CsPbBr3-dot layer smallest?"
    ),
    options=[
        "Smaller dots (stronger confinement)",
        "Larger dots (weaker confinement)",
        "PC61BM instead of C60 as the ETL",
        "A SAM instead of NiOx as the HTL",
    ],
    answer=1,
    explanation=(
        "Confinement pushes the dots' CBM up (toward vacuum), so larger dots have a lower CBM and a smaller "
        "step. But even bulk CsPbBr3 (CBM 3.40 eV below vacuum) sits about 0.55 eV above CsPbI3 (3.95 eV), so "
        "no dot size removes the barrier in this model. If the interlayer helps extraction, it does so through "
        "effects the simple picture leaves out: interface dipoles, tunnelling through a thin, patchy layer, the "
        "silica matrix."
    ),
    why_wrong=[
        "Try it: move the pore slider down and read the 'CBM step' label in the lower figure.",
        "",
        "The ETL lies beyond the dots: changing it moves the next step (dots into ETL), not this one.",
        "The HTL sits on the other side of the absorber: it changes the path of holes, not of electrons.",
    ],
)


def _short(name: str) -> str:
    """The layer name as drawn and tabulated ("QDs" for the dot interlayer)."""
    return SHORT_NAMES.get(name, name)


def _with_dot(v: Mapping[str, Any]) -> dict[str, Any]:
    """The controls plus the dot size the pore grows (the kit's one pore-to-dot rule)."""
    return {**v, "qd_nm": float(conf.pore_to_dot_nm(v["pore_nm"]))}


def _stack(v: Mapping[str, Any]) -> tuple[bands.Layer, ...]:
    qd_nm = _with_dot(v)["qd_nm"]
    return bands.inverted_stack(qd_nm if v["interlayer"] else None, htl=v["htl"], etl=v["etl"])


def _layer_data(stack: Sequence[bands.Layer], diagram: bands.BandDiagram) -> dict[str, Any]:
    contact = np.array([lay.is_contact for lay in stack])
    top = np.where(contact, diagram.fermi_eV, diagram.cbm_eV)
    bottom = np.where(contact, Y_BOTTOM_EV, diagram.vbm_eV)
    levels = [
        f"work function {lay.work_function_eV:.2f} eV"
        if lay.is_contact
        else f"CBM {-lay.electron_affinity_eV:.2f} eV, VBM {-lay.ionisation_energy_eV:.2f} eV"
        for lay in stack
    ]
    return {
        "name": list(diagram.names),
        "label": [_short(n) for n in diagram.names],
        "role": list(diagram.roles),
        "thickness": np.array([lay.thickness_nm for lay in stack]),
        "left": diagram.x_left_nm,
        "right": diagram.x_right_nm,
        "centre": 0.5 * (diagram.x_left_nm + diagram.x_right_nm),
        "top": top,
        "bottom": bottom,
        "cbm": diagram.cbm_eV,
        "vbm": diagram.vbm_eV,
        "fermi": diagram.fermi_eV,
        "fill": [ROLE_FILL[r] for r in diagram.roles],
        "label_y": np.where(np.arange(len(stack)) % 2 == 0, -0.3, -0.75),
        "levels": levels,
    }


def _offset_data(rows: Sequence[bands.Interface], diagram: bands.BandDiagram) -> dict[str, Any]:
    x = diagram.x_right_nm[:-1]
    return {
        "interface": [f"{_short(r.left)} | {_short(r.right)}" for r in rows],
        "side": [r.side for r in rows],
        "x": x,
        "dEc": np.array([r.dEc_eV for r in rows]),
        "dEv": np.array([r.dEv_eV for r in rows]),
        "phi_bn": np.array([r.phi_bn_eV for r in rows]),
        "phi_bp": np.array([r.phi_bp_eV for r in rows]),
        "cbm_left": diagram.cbm_eV[:-1],
        "cbm_right": diagram.cbm_eV[1:],
        "vbm_left": diagram.vbm_eV[:-1],
        "vbm_right": diagram.vbm_eV[1:],
        "e_colour": [VERDICTS[r.electron_verdict.kind][0] for r in rows],
        "h_colour": [VERDICTS[r.hole_verdict.kind][0] for r in rows],
        "e_dash": [VERDICT_DASH[r.electron_verdict.kind] for r in rows],
        "h_dash": [VERDICT_DASH[r.hole_verdict.kind] for r in rows],
        "electrons": [r.electrons for r in rows],
        "holes": [r.holes for r in rows],
    }


def _fmt(value: float) -> str:
    return "&ndash;" if np.isnan(value) else f"{value:+.2f}"


def offsets_table_html(rows: Sequence[bands.Interface]) -> str:
    """The offsets table as HTML, each verdict cell coloured by its kind (see ``VERDICTS``)."""
    notes: list[str] = []
    body = []
    for r in rows:
        mark = ""
        if r.note:
            if r.note not in notes:
                notes.append(r.note)
            mark = f"<sup>{notes.index(r.note) + 1}</sup>"
        e_num = _fmt(r.phi_bn_eV if r.is_contact else r.dEc_eV)
        h_num = _fmt(r.phi_bp_eV if r.is_contact else r.dEv_eV)
        cells = [
            f"<td>{html.escape(_short(r.left))} | {html.escape(_short(r.right))}"
            f"{mark}</td>",
            f"<td style='text-align:right'>{e_num}</td><td style='text-align:right'>{h_num}</td>",
        ]
        for verdict, text in ((r.electron_verdict, r.electrons), (r.hole_verdict, r.holes)):
            cells.append(f"<td style='background:{VERDICTS[verdict.kind][1]}'>{html.escape(text)}</td>")
        body.append(f"<tr>{''.join(cells)}</tr>")
    foot = "".join(f"<br><sup>{i + 1}</sup> {html.escape(n)}" for i, n in enumerate(notes))
    key = " ".join(
        f"<span style='background:{bg};padding:0 0.3em'>{html.escape(words)}</span>"
        for _, bg, words in VERDICTS.values()
    )
    return (
        "<div style='font-size:0.8em;line-height:1.3;margin-top:0.6em'><b>Band offsets, anode to cathode</b> "
        "(&Delta;E<sub>c</sub> = &chi;<sub>left</sub> &minus; &chi;<sub>right</sub>, "
        "&Delta;E<sub>v</sub> = I<sub>left</sub> &minus; I<sub>right</sub>; at a contact the Schottky-Mott "
        "barriers &phi;<sub>Bn</sub> = &Phi; &minus; &chi; and &phi;<sub>Bp</sub> = I &minus; &Phi;)"
        "<table style='border-collapse:collapse;margin-top:0.3em' border='1' cellpadding='3'>"
        "<tr><th>interface</th><th>&Delta;E<sub>c</sub> or &phi;<sub>Bn</sub> (eV)</th>"
        "<th>&Delta;E<sub>v</sub> or &phi;<sub>Bp</sub> (eV)</th><th>electrons</th><th>holes</th></tr>"
        f"{''.join(body)}</table>{key}{foot}</div>"
    )


def _step_words(barrier_eV: float, digits: int = 2) -> str:
    """A signed step (> 0 opposes extraction) in words."""
    if barrier_eV > bands.ALIGNED_EV:
        return f"a {barrier_eV:.{digits}f} eV barrier"
    if barrier_eV < -bands.ALIGNED_EV:
        return f"a {-barrier_eV:.{digits}f} eV cascade"
    return f"aligned ({barrier_eV:+.{digits}f} eV)"


def _state(v: Mapping[str, Any], stack: Sequence[bands.Layer], rows: Sequence[bands.Interface]) -> dict[str, Any]:
    """The numbers the texts talk about: steps out of the absorber (> 0 opposes extraction), contacts."""
    k = next(i for i, lay in enumerate(stack) if lay.role == "absorber")
    before, after = rows[k - 1], rows[k]
    hole_step = before.phi_bp_eV if stack[k - 1].is_contact else before.dEv_eV
    anode = stack[k - 1] if stack[k - 1].is_contact else stack[0]
    return {
        **v,
        "qd": bands.qd_levels_eV(v["qd_nm"]),
        "e_into": stack[k + 1].name,
        "e_step": after.dEc_eV,
        "h_into": stack[k - 1].name,
        "h_step": hole_step,
        "anode": anode,
        "wf_diff": anode.work_function_eV - stack[-1].work_function_eV,
    }


def what_changed(old: Mapping[str, Any] | None, new: Mapping[str, Any]) -> str:
    """One or two sentences saying which control changed and what it did to the steps out of the absorber."""
    if old is None:
        return "this is the starting state; move a control and this line says what its change did."
    said = []
    if old["qd_nm"] != new["qd_nm"]:
        d_cbm = (old["qd"][0] - new["qd"][0]) * 1000.0  # CBM = -chi: a smaller chi moves the CBM up
        where = "" if new["interlayer"] else " (the dots are not in the stack, so only the lower figure moved)"
        said.append(
            f"pores {old['pore_nm']:.1f} &rarr; {new['pore_nm']:.1f} nm (dots {old['qd_nm']:.2f} &rarr; "
            f"{new['qd_nm']:.2f} nm) moved the dots' CBM by {d_cbm:+.0f} meV "
            f"and their VBM by {(old['qd'][1] - new['qd'][1]) * 1000.0:+.0f} meV{where}"
        )
    if old["interlayer"] != new["interlayer"]:
        said.append("QD interlayer " + ("added" if new["interlayer"] else "removed"))
    for key, names in (("htl", HTL_LABELS), ("etl", ETL_LABELS)):
        if old[key] != new[key]:
            said.append(f"{key.upper()} {names[old[key]]} &rarr; {names[new[key]]}")
    if not said:
        return "nothing (same settings)."
    effects = []
    for carrier, into, step in (("electrons", "e_into", "e_step"), ("holes", "h_into", "h_step")):
        if old[into] != new[into] or abs(old[step] - new[step]) > 5e-4:
            effects.append(
                f"{carrier} leaving CsPbI3 now meet {_step_words(new[step], 3)} into {_short(new[into])} "
                f"(was {_step_words(old[step], 3)} into {_short(old[into])})"
            )
    if abs(old["wf_diff"] - new["wf_diff"]) > 5e-4:
        effects.append(f"the contacts' work-function difference went {old['wf_diff']:.2f} &rarr; "
                       f"{new['wf_diff']:.2f} eV")
    tail = "; ".join(effects) if effects else "the steps out of the absorber did not change"
    return f"{'; '.join(said)}: {tail}."


def notice(s: Mapping[str, Any]) -> str:
    """One sentence on what to look at, chosen from the current state."""
    if s["interlayer"] and s["e_step"] > 0.3:
        return (
            f"with vacuum-level (Anderson) alignment the CsPbBr3-dot layer is a {s['e_step']:.2f} eV electron "
            f"barrier between CsPbI3 and {ETL_LABELS[s['etl']]}, at odds with the paper's claim of better "
            "energy-level matching. The simple model ignores interface dipoles, tunnelling through a thin, patchy "
            "layer of dots, and the SiO2 matrix around them; measured levels of the real interface would be "
            "needed to settle it. Larger dots lower the barrier, but none removes it."
        )
    if not s["interlayer"] and s["e_step"] < -bands.ALIGNED_EV:
        return (
            f"without the dots, electrons step down {-s['e_step']:.2f} eV from CsPbI3 into "
            f"{ETL_LABELS[s['etl']]}: this is the path the QD interlayer has to compete with. Tick the interlayer "
            "and compare."
        )
    if s["h_step"] > bands.ALIGNED_EV:
        return (
            f"holes meet a {s['h_step']:.2f} eV barrier into {s['h_into']}: in this flat-band picture the hole "
            "contact, not the dots, limits extraction. Real SAM contacts extract holes well; their effect rests "
            "on dipoles and Fermi-level pinning that the model leaves out."
        )
    return (
        "the electron and hole paths out of CsPbI3 are both downhill or aligned here; look at the contacts' "
        "work-function difference, which bounds the built-in voltage in this flat-band picture."
    )


def _describe_diagram(stack: Sequence[bands.Layer], rows: Sequence[bands.Interface]) -> str:
    """The band diagram in words: the layers in order and each interface's verdict for electrons and holes."""
    layers = ", ".join(_short(layer.name) for layer in stack)
    steps = " ".join(f"{_short(r.left)} to {_short(r.right)}: for electrons {r.electrons}; for holes {r.holes}."
                     for r in rows)
    return (f"Layers from anode to cathode: {layers}, each a box from its valence-band maximum to its conduction-"
            f"band minimum, with the contacts' work functions as lines. At each interface a vertical bar marks the "
            f"step, its colour and dash by verdict (legend). {steps}")


def _diagram_figure(layers: ColumnDataSource, steps: ColumnDataSource) -> Any:
    fig = make_figure(
        "Flat-band diagram: boxes VBM to CBM, grey = contacts",
        f"position, anode to cathode (not to scale: layers under {MIN_WIDTH_NM:g} nm drawn {MIN_WIDTH_NM:g} nm wide)",
        "energy vs vacuum (eV)",
        x_range=Range1d(0, 1), y_range=(Y_BOTTOM_EV, Y_TOP_EV), height=400, name="diagram",
    )
    fig.xaxis.ticker = FixedTicker(ticks=[])
    fig.add_layout(Span(location=0.0, dimension="width", line_color=PALETTE["data"], line_dash="dashed"))
    fig.add_layout(Label(x=6, y=0.05, x_units="screen", text="vacuum level (0 eV)", text_font_size="10px"))
    boxes = fig.quad(left="left", right="right", top="top", bottom="bottom", source=layers, fill_color="fill",
                     fill_alpha=0.75, line_color="#555555")
    fig.segment(x0="left", x1="right", y0="fermi", y1="fermi", source=layers, line_width=3, color=PALETTE["data"])
    fig.text(x="centre", y="label_y", text="label", source=layers, text_align="center", text_baseline="middle",
             text_font_size="10px")
    rendered = {}
    for carrier, lo, hi in (("e", "cbm_left", "cbm_right"), ("h", "vbm_left", "vbm_right")):
        rendered[carrier] = fig.segment(x0="x", x1="x", y0=lo, y1=hi, source=steps, line_width=4,
                                        color=f"{carrier}_colour", line_dash=f"{carrier}_dash")
    fig.add_tools(HoverTool(renderers=[boxes], tooltips=[("layer", "@name"), ("levels", "@levels"),
                                                         ("thickness (nm)", "@thickness{0.0}")]))
    legend_items = []
    for kind in ("barrier", "good", "blocking"):
        colour, _, words = VERDICTS[kind]
        # a segment with no visible extent stands for the colour in the legend
        legend_items.append((words, [fig.segment([0], [np.nan], [0], [np.nan], line_width=4, color=colour,
                                                 line_dash=VERDICT_DASH[kind])]))
    fig.add_layout(Legend(items=legend_items, label_text_font_size="11px", spacing=0, padding=2, glyph_width=30),
                   "below")
    return fig


def _levels_figure(marker: ColumnDataSource) -> tuple[Any, Span]:
    fig = make_figure("CsPbBr3-dot levels vs size (absorber and ETL CBM dashed)", "dot edge length (nm)",
                      "energy vs vacuum (eV)", x_range=(2.0, 20.0), y_range=(-6.6, -2.6), height=250)
    chi, ion = bands.qd_levels_eV(CURVE_SIZES_NM)
    r_cbm = fig.line(CURVE_SIZES_NM, -chi, line_width=2.5, color=PALETTE["model"])
    r_vbm = fig.line(CURVE_SIZES_NM, -ion, line_width=2.5, color=PALETTE["alt"])
    absorber = bands.LAYERS["CsPbI3"]
    for level in (absorber.electron_affinity_eV, absorber.ionisation_energy_eV):
        fig.add_layout(Span(location=-level, dimension="width", line_color=ROLE_FILL["absorber"], line_dash="dashed",
                            line_width=2))
    etl_span = Span(name="etl_cbm", location=0.0, dimension="width", line_color=ROLE_FILL["ETL"], line_dash="dashed",
                    line_width=2)
    fig.add_layout(etl_span)
    for lo, hi in ((None, VALID_NM[0]), (VALID_NM[1], None)):
        fig.add_layout(BoxAnnotation(left=lo, right=hi, fill_color=PALETTE["marker"], fill_alpha=0.15))
    fig.segment(x0="size", x1="size", y0="cbm", y1="absorber_cbm", source=marker, line_width=3,
                color=VERDICTS["barrier"][0])
    r_dot = fig.scatter("size", "cbm", source=marker, size=10, marker="diamond", color=PALETTE["highlight"])
    fig.scatter("size", "vbm", source=marker, size=10, marker="diamond", color=PALETTE["highlight"])
    fig.text(x="size", y="label_y", text="label", source=marker, text_font_size="10px", x_offset=6,
             text_baseline="middle")
    fig.add_layout(Legend(items=[("dot CBM", [r_cbm]), ("dot VBM", [r_vbm]), ("chosen size", [r_dot])],
                          location="top_right", label_text_font_size="11px", spacing=0, padding=2))
    return fig, etl_span


@built_ahead
def build() -> StepApp:
    """Build the band-alignment app (controls, figures, table, texts) and compute its first state."""
    controls = {
        "pore_nm": slider("MSN pore diameter (sets the dot size)", "nm", PAPER_PORE_NM, *PORE_RANGE_NM, 0.1, ".1f"),
        "interlayer": w.Checkbox(value=True, description="CsPbBr3-QD interlayer", style={"description_width": "11em"},
                                 layout=w.Layout(width="29em")),
        "htl": dropdown("HTL (holes)", [(label, key) for key, label in HTL_LABELS.items()], "NiOx"),
        "etl": dropdown("ETL (electrons)", [(label, key) for key, label in ETL_LABELS.items()], "C60"),
    }
    # sources start with the first preset's stack, so every column the glyphs and the CSV name exists at once
    stack0 = _stack(next(iter(PRESETS.values())))
    diagram0 = bands.band_diagram(stack0, min_width_nm=MIN_WIDTH_NM)
    layers = ColumnDataSource(_layer_data(stack0, diagram0), name="layers")
    steps = ColumnDataSource(_offset_data(bands.offsets(stack0), diagram0), name="offsets")
    marker = ColumnDataSource({"size": [], "cbm": [], "vbm": [], "absorber_cbm": [], "label_y": [], "label": []},
                              name="dot")
    f_diagram = _diagram_figure(layers, steps)
    f_levels, etl_span = _levels_figure(marker)
    table = w.HTML(layout=w.Layout(width="auto"))
    shown: dict[str, Any] = {"stack": None, "state": None}
    absorber_cbm = -bands.LAYERS["CsPbI3"].electron_affinity_eV

    def update(v: dict[str, Any]) -> str:
        v = _with_dot(v)
        conf.check_validity(v["qd_nm"], conf.DEFAULT_MODEL, QD_MATERIAL,
                            name=f"the dot size of {v['pore_nm']:.1f} nm pores")
        stack = _stack(v)
        rows = bands.offsets(stack)
        state = _state(v, stack, rows)
        chi, ion = state["qd"]
        if stack != shown["stack"]:
            diagram = bands.band_diagram(stack, min_width_nm=MIN_WIDTH_NM)
            layers.data = _layer_data(stack, diagram)
            steps.data = _offset_data(rows, diagram)
            f_diagram.x_range.end = float(diagram.x_right_nm[-1])
            table.value = offsets_table_html(rows)
            shown["stack"] = stack
        marker.data = {"size": [v["qd_nm"]], "cbm": [-chi], "vbm": [-ion], "absorber_cbm": [absorber_cbm],
                       "label_y": [0.5 * (absorber_cbm - chi)], "label": [f"CBM step {-chi - absorber_cbm:+.2f} eV"]}
        etl_span.location = -bands.LAYERS[v["etl"]].electron_affinity_eV
        describe_figure(f_diagram, _describe_diagram(stack, rows))
        describe_figure(f_levels, (
            f"Dot conduction-band minimum (upper curve) and valence-band maximum (lower curve) against dot edge "
            f"length from {CURVE_SIZES_NM[0]:g} to {CURVE_SIZES_NM[-1]:g} nm, both levels moving apart as dots "
            f"shrink. The chosen {v['qd_nm']:.2f} nm dot (diamonds) has its CBM at {-chi:.2f} eV and VBM at "
            f"{-ion:.2f} eV; the vertical bar is its CBM step from CsPbI3's CBM ({absorber_cbm:.2f} eV, dashed): "
            f"{-chi - absorber_cbm:+.2f} eV. Another dashed line marks the {_short(v['etl'])} CBM; shaded ends: "
            "sizes outside the confinement model's range."
        ))
        changed = what_changed(shown["state"], state)
        shown["state"] = state
        in_stack = "in the stack" if v["interlayer"] else "not in the stack (interlayer off)"
        return (
            f"<b>Dots:</b> {v['qd_nm']:.2f} nm CsPbBr3 (grown in {v['pore_nm']:.1f} nm pores), {in_stack}: "
            f"CBM {-chi:.2f} eV, VBM {-ion:.2f} eV, "
            f"gap {ion - chi:.2f} eV (bulk CsPbBr3: {-QD_MATERIAL.electron_affinity_eV:.2f} / "
            f"{-QD_MATERIAL.ionisation_energy_eV:.2f} eV).<br>"
            f"<b>Electrons leaving CsPbI3</b> (CBM {absorber_cbm:.2f} eV) into "
            f"{_short(state['e_into'])}: {_step_words(state['e_step'])}.<br>"
            f"<b>Holes leaving CsPbI3</b> (VBM {-bands.LAYERS['CsPbI3'].ionisation_energy_eV:.2f} eV) into "
            f"{state['h_into']}: {_step_words(state['h_step'])}.<br>"
            f"<b>Contacts:</b> anode {state['anode'].name} {state['anode'].work_function_eV:.2f} eV, cathode Ag "
            f"{bands.LAYERS['Ag'].work_function_eV:.2f} eV: work-function difference {state['wf_diff']:.2f} eV.<br>"
            f"<b>What changed:</b> {changed}<br>"
            f"<i>Notice:</i> {notice(state)}"
        )

    return StepApp(
        title="Band alignment",
        controls=controls,
        figures=column(f_diagram, f_levels),
        update=update,
        presets=PRESETS,
        quiz=QUIZ,
        csv_tables=[
            CsvTable("layers (flat-band diagram)", layers, {
                "name": "layer", "role": "role", "thickness": "thickness_nm", "left": "drawn_left_nm",
                "right": "drawn_right_nm", "cbm": "CBM_eV", "vbm": "VBM_eV", "fermi": "work_function_level_eV"}),
            CsvTable("band offsets", steps, {
                "interface": "interface", "side": "side", "dEc": "dEc_eV", "dEv": "dEv_eV", "phi_bn": "phi_Bn_eV",
                "phi_bp": "phi_Bp_eV", "electrons": "electrons", "holes": "holes"}),
            CsvTable("chosen dot", marker, {"size": "size_nm", "cbm": "CBM_eV", "vbm": "VBM_eV",
                                            "absorber_cbm": "CsPbI3_CBM_eV"}),
        ],
        csv_filename="qdpv_band_alignment.csv",
        model_note=note_html(_model_note(), TERMS),
        extras=[table],
    )


def _spread(name: str, field: str) -> str:
    lo, hi = bands.LAYERS[name].range(field)
    return f"{lo:.2f}-{hi:.2f}"


def _paper_barrier_eV() -> float:
    """CBM step from CsPbI3 up into the dots the paper's pores grow (eV, positive = barrier)."""
    chi = float(bands.qd_levels_eV(conf.PAPER_DOT_NM)[0])
    return bands.LAYERS["CsPbI3"].electron_affinity_eV - chi


def _model_note() -> str:
    return (
        "<p><b>Model (simplified).</b> Flat bands with vacuum-level alignment (Anderson electron-affinity rule; "
        "Schottky-Mott barriers at contacts): every level is taken from its isolated material and the vacuum "
        "levels are lined up. Interface dipoles, band bending, Fermi-level pinning and charge transfer are "
        "ignored, and a SAM is represented only by the work function it gives the ITO. Levels are typical "
        "literature values with a wide spread (e.g. ITO work function "
        f"{_spread('ITO', 'work_function_eV')} eV, C60 CBM {_spread('C60', 'electron_affinity_eV')} eV, "
        f"Ag {_spread('Ag', 'work_function_eV')} eV; hover a layer, sources in <code>qdpv.bands.LAYERS</code>); "
        "offsets under 0.05 eV are called aligned. The dots' levels are bulk CsPbBr3 shifted by the confinement "
        "energy of <code>qdpv.confinement</code> (Kane + intermediate confinement), split between the bands by "
        "the effective masses (equal here: Yang et al., ACS Energy Lett. 2, 1621 (2017), "
        "doi:10.1021/acsenergylett.7b00414, measured only their reduced mass). The silica around the dots "
        "(SiO2, CBM 0.9 eV and VBM 9.9 eV below vacuum) is not drawn.</p>"
        f"<p><b>Teaching point:</b> in this picture the {conf.PAPER_DOT_NM:.1f} nm dot layer is an "
        f"~{_paper_barrier_eV():.1f} eV electron barrier between CsPbI3 "
        "and C60, at odds with the paper's claim of better energy-level matching. The model cannot decide it: "
        "it ignores interface dipoles, tunnelling through a thin, patchy layer of dots, carriers passing around "
        "the particles, and the SiO2 matrix.</p>"
        f"<p><b>The paper's</b> (<code>qdpv.paper.PAPER</code>): the ~{PAPER_PORE_NM:g} nm pores of the medium MSNs "
        "and an inverted (p-i-n) CsPbI3 cell with the dot layer on the perovskite, before the ETL. The pores "
        "set the dots by the kit's one rule (<code>qdpv.confinement.pore_to_dot_nm</code>, as in step 2): "
        f"{PAPER_PORE_NM:g} nm pores grow {conf.PAPER_DOT_NM:.2f} nm dots. "
        "<b>Illustrative:</b> the particular layers (NiOx, C60, BCP, "
        "Ag are typical choices of the library), all thicknesses (interlayer 20 nm) and the other presets. "
        f"The x axis is <b>not to scale</b>: layers thinner than {MIN_WIDTH_NM:g} nm are drawn {MIN_WIDTH_NM:g} nm "
        "wide so that a 1 nm SAM stays visible (true thicknesses in the hover and the CSV).</p>"
        "<p>Paper: Xu et al., Adv. Mater. 2026, e73024; R. L. Anderson, Solid-State Electron. 5, 341 (1962); "
        "Sze &amp; Ng, Physics of Semiconductor Devices (2007), ch. 3.</p>"
    )
