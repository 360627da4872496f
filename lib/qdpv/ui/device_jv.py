"""Step 4 app: physical knobs -> diode parameters -> J-V and P-V of a control and a QD-treated CsPbI3 cell,
against the detailed-balance limit, with the losses from the limit to each device as a waterfall."""

from __future__ import annotations

import functools
import html
import math
from dataclasses import dataclass
from typing import IO, Any

import ipywidgets as w
import numpy as np
from bokeh.layouts import column
from bokeh.models import CDSView, ColumnDataSource, GroupFilter, LabelSet, Legend, LegendItem, LinearAxis, Range1d, Span
from bokeh.transform import dodge

from .. import device, diode, recombination
from ..datasets import example_file
from ..io import JVSweep, MeasuredJV, read_jv_csv
from ..materials import CsPbI3
from ..paper import PAPER
from .glossary import note_html
from .kit import (
    ANALYSIS_COLUMNS,
    PALETTE,
    CsvTable,
    Outcome,
    Quiz,
    StepApp,
    Upload,
    analysis_rows,
    describe_figure,
    make_figure,
    number,
    plus_minus,
    slider,
)
from .kit.ahead import built_ahead

DEVICE = device.ILLUSTRATIVE_DEVICE
T_K = DEVICE["temperature_K"].value  # cell temperature, 298.15 K (illustrative: standard test conditions)
N_POINTS = 161  # points per J-V curve
STEPS = ["limit", "Jsc loss", "Voc loss", "FF loss", "device"]
EXPERT_KEYS = ("jph", "log_j0", "n")
GAP_RANGE_EV = (1.60, 1.90)
# Expert Jph ends at what AM1.5G gives the smallest gap on the slider (every photon above it collected), so
# every value is possible at some gap; log10 J0 reaches -8, where even n = 2.5 stays below the radiative limit.
# A combination can still describe an impossible cell (a Jph above the supply of a wider gap, a small J0 with a
# large n); the message then says which way to move.
JPH_MAX_MA_CM2 = math.floor(100 * float(diode.detailed_balance(GAP_RANGE_EV[0], T_K).jsc_mA_cm2)) / 100
LOG_J0_RANGE = (-20.0, -8.0)
J_AXIS_MAX_MA_CM2 = 28.0  # the J-V figure's current axis (a learner's curve with more current widens it)
# the learner's own sweeps: the CSV table that holds them as read (uploading the app's download reads them back)
UPLOAD_TABLE = "your J-V sweeps, as read (photovoltaic sign convention)"
UPLOAD_FORMATS = (
    "A CSV with the voltage (V or mV) and the current density (mA/cm², A/cm², A/m²) or the current (A, mA, uA; "
    "then give the cell area), named in a header; a forward and a reverse sweep in one file, one after the other "
    "or labelled in a <i>direction</i> column. Either sign convention. Fitted at 1 sun, "
    f"{device.ILLUSTRATIVE_DEVICE['temperature_K'].value:g} K."
)
DIRECTIONS = ("forward", "reverse")

# the terms of qdpv.ui.glossary this app's texts use, explained under its figures
TERMS = ("MSN", "CsPbI3", "CsPbBr3", "quantum dot", "exciton", "Bohr diameter", "band gap", "interlayer",
         "J-V curve", "Jsc", "Voc", "FF", "PCE", "maximum power point", "Jph", "J0", "ideality factor", "Rs", "Rsh",
         "thermal voltage", "detailed-balance limit", "AM1.5G", "recombination", "non-radiative", "radiative limit",
         "SRH", "trap density", "interface recombination velocity", "S0", "passivation", "high injection", "log10",
         "Lambert W", "phenomenological", "illustrative", "lifetime")

QUIZ = Quiz(
    question=(
        "A treatment lowers a cell's saturation current J0 tenfold and changes nothing else (ideality n = 1, "
        "room temperature). By about how much does Voc rise?"
    ),
    options=["about 6 mV", "about 26 mV", "about 59 mV", "about 260 mV"],
    answer=2,
    explanation=(
        "Voc = n (kT/q) ln(Jsc/J0 + 1), so a tenfold smaller J0 adds (kT/q) ln 10 = 25.7 mV x 2.30 = 59 mV at "
        "n = 1 (and n times that for n > 1). Try it: expert mode, n = 1, move log10 J0 down by 1. The QD "
        "interlayer in this app works the same way: it lowers the interface part of J0."
    ),
    why_wrong=[
        "Too small: Voc moves by the thermal voltage kT/q (about 26 mV at room temperature) for every factor "
        "e = 2.72 in J0, and a factor 10 is more than e.",
        "That is the change for a factor e = 2.72 in J0 (one thermal voltage kT/q); a factor 10 is more than e.",
        "",
        "Too large: Voc follows the logarithm of J0, so ten times less J0 adds a fixed amount, not ten thermal "
        "voltages.",
    ],
)


@functools.lru_cache(maxsize=64)
def _limit(band_gap_eV: float) -> tuple[diode.DiodeMetrics, dict[str, np.ndarray]]:
    """Detailed-balance metrics and J-V curve at the cell temperature (depends on the gap only)."""
    lim = diode.detailed_balance(band_gap_eV, T_K)
    curve = diode.detailed_balance_curve(band_gap_eV, T_K, n_points=N_POINTS)
    return lim, {"v": curve.voltage_V, "j": curve.current_density_mA_cm2, "p": curve.power_mW_cm2}


def _knob_values(knobs: dict[str, float]) -> dict[str, float]:
    """Slider values for a set of :func:`qdpv.device.device_from_knobs` keyword arguments."""
    return {
        "band_gap_eV": knobs["band_gap_eV"],
        "log_nt": math.log10(knobs["trap_density_cm3"]),
        "log_s0": math.log10(knobs["interface_velocity_cm_s"]),
        "pore_nm": knobs["pore_nm"],
        "qd_coverage": knobs["qd_coverage"],
        "rs": knobs["rs_ohm_cm2"],
        "rsh": knobs["rsh_ohm_cm2"],
    }


def _cells(v: dict[str, Any], coverage: Any) -> device.Device:
    """The library's device for the sliders (coverage may be an array: control and treated at once)."""
    return device.device_from_knobs(
        v["pore_nm"], coverage, trap_density_cm3=10.0 ** v["log_nt"], interface_velocity_cm_s=10.0 ** v["log_s0"],
        band_gap_eV=v["band_gap_eV"], rs_ohm_cm2=v["rs"], rsh_ohm_cm2=v["rsh"], temperature_K=T_K,
    )


def _preset(name: str, **changes: float) -> dict[str, Any]:
    """All control values of a preset: the library's knobs plus the raw parameters its treated cell maps to."""
    values = {**_knob_values(dict(device.PRESETS[name])), **changes}
    p = _cells(values, values["qd_coverage"]).diode
    return {
        **values,
        "expert": False,
        "jph": float(p.jph_mA_cm2),
        "log_j0": float(np.log10(p.j0_mA_cm2)),
        "n": float(p.ideality),
    }


PRESETS = {
    "paper: champion": _preset("paper: champion"),
    "paper: control": _preset("paper: control"),
    "4 nm pores: dots off best size (illustrative)": _preset("paper: champion", pore_nm=4.0),
    "bulk-limited, Nt = 1e16 cm^-3 (illustrative)": _preset("paper: champion", log_nt=16.0),
    "resistive contacts (illustrative)": _preset("paper: champion", rs=8.0, rsh=500.0),
}


def _controls() -> dict[str, w.ValueWidget]:
    ctrl = {
        "band_gap_eV": slider("Band gap Eg", "eV", CsPbI3.band_gap_eV, *GAP_RANGE_EV, 0.01, ".2f"),
        "log_nt": slider("log10 trap density", "cm^-3", 15.0, 13.0, 17.0, 0.1, ".1f"),
        "log_s0": slider("log10 interface S0", "cm/s", 4.2, 1.0, 6.0, 0.01, ".2f"),
        "pore_nm": slider("MSN pore diameter (sets the dots)", "nm", PAPER.medium_msn_pore_nm, 3.0, 15.0, 0.1,
                          ".1f"),
        "qd_coverage": slider("QD coverage (treated)", "", 0.9, 0.0, 1.0, 0.01, ".2f"),
        "rs": slider("Series resist. Rs", "ohm cm2", 1.5, 0.0, 10.0, 0.1, ".1f"),
        "rsh": slider("Shunt resist. Rsh", "ohm cm2", 5000.0, 100.0, 20000.0, 100.0, ".0f"),
        "expert": w.Checkbox(value=False, description="Expert: raw diode parameters for the treated cell",
                             indent=False, layout=w.Layout(width="29em")),
        "jph": slider("Expert: Jph", "mA/cm2", 20.8, 10.0, JPH_MAX_MA_CM2, 0.01, ".2f"),
        "log_j0": slider("Expert: log10 J0", "mA/cm2", -16.3, *LOG_J0_RANGE, 0.01, ".2f"),
        "n": slider("Expert: ideality n", "", 1.2, 1.0, 2.5, 0.01, ".2f"),
        "upload": Upload("J-V sweeps", formats=UPLOAD_FORMATS, table=UPLOAD_TABLE, example=example_file("jv")),
        "area_cm2": number("Cell area, for a file of currents", "cm²", 0.0, 0.0, 1e4, 0.01,
                           "The cell's area, needed only when your file gives currents (A, mA) rather than current "
                           "densities; 0: not given"),
    }
    tips = {
        "log_nt": "bulk trap density Nt; SRH lifetime tau = 1/(sigma v_th Nt), sigma = "
                  f"{DEVICE['capture_cross_section_cm2'].value:g} cm2, v_th = "
                  f"{DEVICE['thermal_velocity_cm_s'].value:g} cm/s (illustrative)",
        "log_s0": "interface recombination velocity without the QD interlayer (both cells)",
        "pore_nm": "pore diameter of the MSNs; the CsPbBr3 dots of the interlayer grow to the size it sets "
                   "(treated cell only)",
        "qd_coverage": "fraction of the interface the QD interlayer covers (treated cell only; control: 0)",
        "expert": "the treated cell uses Jph, J0 and n below instead of the physics knobs; Rs and Rsh are raw "
                  "diode parameters in both modes",
    }
    for key, tip in tips.items():
        ctrl[key].tooltip = tip
    for key in EXPERT_KEYS:  # own layouts (the kit's sliders share one), hidden until expert mode is on
        ctrl[key].layout = w.Layout(width=ctrl[key].layout.width, display="none")
    return ctrl


@built_ahead
def build() -> StepApp:
    """Build the device J-V app (controls, figures, texts) and compute its first state."""
    controls = _controls()

    # -- figure 1: J-V (left axis) and P-V (right axis) of control, treated and the detailed-balance limit ----
    src = {key: ColumnDataSource({"v": [], "j": [], "p": []}) for key in ("limit", "control", "treated")}
    # one row per curve (limit, control, treated): the maximum power points plotted, and the metrics for the CSV
    mpp = ColumnDataSource({k: [] for k in ("device", "v", "j", "p", "voc", "jsc", "ff", "pce", "dvoc_nr")})
    f_jv = make_figure("J-V (thick) and P-V (thin, right axis)", "voltage (V)", "current density (mA/cm2)",
                       x_range=(0, 1.65), y_range=(0, 28), height=320)
    f_jv.extra_y_ranges = {"p": Range1d(0, 32)}
    f_jv.add_layout(LinearAxis(y_range_name="p", axis_label="power density (mW/cm2)"), "right")
    # colour and line style both tell the curves apart (the second cue for colour-blind readers)
    styles = {"limit": (PALETTE["marker"], "dashed"), "control": (PALETTE["alt"], "dashdot"),
              "treated": (PALETTE["model"], "solid")}
    items = []
    for key, (colour, dash) in styles.items():
        r = f_jv.line("v", "j", source=src[key], color=colour, line_dash=dash, line_width=2.5)
        f_jv.line("v", "p", source=src[key], color=colour, line_dash=dash, line_width=1.2, y_range_name="p")
        items.append(r)
    r_mpp = f_jv.scatter("v", "j", source=mpp, marker="square", size=8, color=PALETTE["data"])
    # the learner's sweeps (points as read, one marker per direction) and the single-diode fit of each
    user_pts = ColumnDataSource({"v": [], "j": [], "direction": []})
    user_fit = ColumnDataSource({"v": [], "forward": [], "reverse": []})
    markers = {"forward": ("triangle", "dotted"), "reverse": ("circle", "dotdash")}
    user_items = []
    for d, (marker, dash) in markers.items():
        r = f_jv.scatter("v", "j", source=user_pts, view=CDSView(filter=GroupFilter(column_name="direction", group=d)),
                         marker=marker, size=6, color=PALETTE["extra"], fill_alpha=0.4 if d == "reverse" else 1.0)
        f_jv.line("v", d, source=user_fit, color=PALETTE["extra"], line_dash=dash, line_width=1.8)
        user_items.append(LegendItem(label=f"your {d} sweep and its fit", renderers=[r], visible=False))
    f_jv.add_layout(Legend(items=[
        *(LegendItem(label=label, renderers=[r]) for label, r in (
            ("detailed-balance limit", items[0]),
            ("control (no QDs)", items[1]),
            ("treated (QD interlayer)", items[2]),
            ("maximum power points", r_mpp))),
        *user_items,
    ], location="bottom_left", label_text_font_size="10px", spacing=0, padding=4))
    user_report = ColumnDataSource({k: [] for k in ANALYSIS_COLUMNS})

    # -- figure 2: waterfall from the limit to each device, in PCE percentage points --------------------------
    wf = ColumnDataSource({k: [] for k in ("step", "c_bottom", "c_top", "c_pp", "c_text",
                                           "t_bottom", "t_top", "t_pp", "t_text", "alpha")})
    f_wf = make_figure("From the limit to the device: PCE losses", "", "PCE (%)", x_range=STEPS,
                       y_range=(0, 33), height=260)
    f_wf.xgrid.grid_line_color = None
    for prefix, shift, colour, label in (("c", -0.19, PALETTE["alt"], "control"),
                                         ("t", 0.19, PALETTE["model"], "treated")):
        x = dodge("step", shift, range=f_wf.x_range)
        f_wf.vbar(x=x, bottom=f"{prefix}_bottom", top=f"{prefix}_top", width=0.36, source=wf, color=colour,
                  fill_alpha="alpha", legend_label=label)
        f_wf.add_layout(LabelSet(x=x, y=f"{prefix}_top", text=f"{prefix}_text", source=wf, y_offset=2,
                                 text_font_size="10px", text_align="center", text_color=PALETTE["data"]))
    f_wf.add_layout(Span(location=PAPER.champion_pce_percent, dimension="width", line_color=PALETTE["highlight"],
                         line_dash="dotted"))
    f_wf.legend.location = "top_right"
    f_wf.legend.label_text_font_size = "10px"
    f_wf.legend.orientation = "horizontal"

    shown: dict[str, tuple] = {}  # what each source shows now: assign only what changed (each send repaints)

    def draw_user(out: Outcome) -> None:
        """Put the learner's sweeps and their fits on the J-V figure (or take them off)."""
        for item in user_items:
            item.visible = out.result is not None and out.result.fits.get(item.label.value.split()[1]) is not None
        if out.result is None:
            for src in (user_pts, user_fit, user_report):
                src.data = {k: [] for k in src.data}
            f_jv.y_range.end = J_AXIS_MAX_MA_CM2
            return
        u = out.result
        sweeps = [(d, s) for d, s in u.sweeps.items() if s is not None]
        # each sweep in the order it was measured (reverse: high to low voltage), labelled: what reads back the same
        user_pts.data = {
            "v": np.concatenate([s.voltage_V if d == "forward" else s.voltage_V[::-1] for d, s in sweeps]),
            "j": np.concatenate([s.j_mA_cm2 if d == "forward" else s.j_mA_cm2[::-1] for d, s in sweeps]),
            "direction": [d for d, s in sweeps for _ in s.voltage_V],
        }
        lo = min(float(s.voltage_V[0]) for _, s in sweeps)
        hi = max(float(s.voltage_V[-1]) for _, s in sweeps)
        grid = np.linspace(lo, hi, N_POINTS)
        user_fit.data = {"v": grid, **{d: (u.fits[d].current_density(grid) if u.fits.get(d) else np.full(grid.size,
                                                                                                          np.nan))
                                       for d in DIRECTIONS}}
        user_report.data = analysis_rows(_report_rows(u))
        jsc = max(f.jsc_mA_cm2 for f in u.fits.values() if f is not None)
        f_jv.y_range.end = max(J_AXIS_MAX_MA_CM2, math.ceil(1.1 * jsc))

    shown_upload: list[int] = []

    def show(key: str, state: tuple, data: dict[str, Any], source: ColumnDataSource) -> None:
        if shown.get(key) != state:
            source.data = data
            shown[key] = state

    def update(v: dict[str, Any]) -> str:
        area = v["area_cm2"] or None  # 0: not given
        # first: a bad file raises before any figure changes
        out = controls["upload"].outcome(v["upload"], lambda file: _analyse(file, area), (area,))
        gap, expert = v["band_gap_eV"], v["expert"]
        for key in EXPERT_KEYS:  # first, so that the raw sliders show even when their values raise below
            display = None if expert else "none"
            if controls[key].layout.display != display:
                controls[key].layout.display = display
        cells = _cells(v, np.array([0.0, v["qd_coverage"]]))
        jph, j0, n = (np.broadcast_to(x, 2).astype(float) for x in cells.diode[:3])
        if expert:
            jph[1], j0[1], n[1] = v["jph"], 10.0 ** v["log_j0"], v["n"]
        lim, lim_curve = _limit(round(gap, 6))
        if expert:
            device.check_raw_diode(gap, jph[1], j0[1], n[1], T_K)
        m = diode.metrics(jph, j0, n, v["rs"], v["rsh"], T_K)
        losses = diode.loss_breakdown(gap, m.voc_V, m.jsc_mA_cm2, m.ff, T_K)
        curves = diode.jv_curve(jph, j0, n, v["rs"], v["rsh"], T_K, n_points=N_POINTS)
        if shown_upload != [out.version]:  # after every check that may raise: a refused setting changes no figure
            draw_user(out)
            shown_upload[:] = [out.version]

        show("limit", (gap,), lim_curve, src["limit"])
        states = [(gap,)]
        for i, key in enumerate(("control", "treated")):
            states.append((jph[i], j0[i], n[i], v["rs"], v["rsh"]))
            data = {"v": curves.voltage_V[i], "j": curves.current_density_mA_cm2[i], "p": curves.power_mW_cm2[i]}
            show(key, states[-1], data, src[key])
        rows = [np.concatenate([np.atleast_1d(a), b]) for a, b in zip(lim, m, strict=True)]
        show("mpp", tuple(states), {
            "device": [f"detailed-balance limit, {gap:.2f} eV", "control", "treated"],
            "v": rows[4], "j": rows[5], "p": rows[4] * rows[5], "voc": rows[0], "jsc": rows[1], "ff": rows[2],
            "pce": rows[3], "dvoc_nr": np.concatenate([[0.0], 1e3 * losses.nonradiative_voc_loss_V]),
        }, mpp)
        show("waterfall", tuple(states), _waterfall(losses), wf)
        describe_figure(f_jv, _describe_jv(gap, lim, m) + _user_words(out))
        describe_figure(f_wf, _describe_waterfall(losses))
        return _results(v, cells, lim, m, losses, out)

    note = (
        "<p><b>Model (simplified; the passivation part is phenomenological).</b> Single-diode J-V (explicit "
        "Lambert W, Jain and Kapoor 2004). Knobs &rarr; diode: Jph = "
        f"{DEVICE['collection_efficiency'].value:g} &times; the AM1.5G photon current above "
        "the gap; J0 = radiative + bulk SRH + interface terms in textbook low-injection forms (Sze and Ng 2007), "
        "which give trends and orders of magnitude, not device-accurate numbers.</p><p><b>The QD interlayer is a "
        "phenomenological mapping</b>, not a measured interface property: it lowers the interface velocity as "
        "S = S0 exp(&minus;&kappa; c g(d)), with g(d) a log-Gaussian match of the dot size d to the size the "
        f"paper found best: the {device.BEST_DOT_NM:.2f} nm dots its ~{PAPER.medium_msn_pore_nm:g} nm pores "
        "grow (pores &rarr; dots by the rule of step 2; the paper relates them to the ~7 nm exciton Bohr size), and "
        "&kappa; = "
        f"{device.PASSIVATION_STRENGTH:.2f} calibrated so that the champion preset gives the paper's "
        f"{PAPER.champion_pce_percent} % (dotted green line).</p><p><b>The paper's number is only that champion "
        "PCE</b>; the control PCE "
        f"({device.CONTROL_PCE_PERCENT:g} %), every Voc, Jsc and FF, and all device parameters (trap "
        "density, cross-section, thickness, doping, n, Rs, Rsh, coverage) are <b>illustrative</b> "
        "(qdpv.device.ILLUSTRATIVE_DEVICE).</p><p>Detailed balance: step absorber, ASTM G173-03 AM1.5G, black-"
        f"body emission from one side, at the cell temperature {T_K:g} K (Shockley and Queisser 1961; R&uuml;hle, "
        "Sol. Energy 130, 139, 2016). Waterfall: three ideal diodes step from the limit to the device (Jsc, "
        "then Voc to the device's value, then FF), after Rau et al., Phys. Rev. Applied 7, 044016 (2017); "
        "another order would share the losses differently. Paper: Xu et al., Adv. Mater. 2026, e73024.</p>"
    )
    return StepApp(
        title="Device J-V",
        controls=controls,
        figures=column(f_jv, f_wf),
        update=update,
        presets=PRESETS,
        quiz=QUIZ,
        csv_tables=[
            *(CsvTable(f"J-V {key}", src[key], {"v": "voltage_V", "j": "current_density_mA_cm2",
                                                 "p": "power_mW_cm2"}) for key in ("control", "treated", "limit")),
            CsvTable("metrics and maximum power points (device values illustrative)", mpp, {
                "device": "device", "voc": "voc_V", "jsc": "jsc_mA_cm2", "ff": "ff", "pce": "pce_percent",
                "dvoc_nr": "nonradiative_voc_loss_mV", "v": "vmp_V", "j": "jmp_mA_cm2", "p": "pmp_mW_cm2"}),
            CsvTable("loss waterfall (percentage points of PCE)", wf, {
                "step": "step", "c_pp": "control_pp", "c_bottom": "control_bar_bottom_percent",
                "c_top": "control_bar_top_percent", "t_pp": "treated_pp", "t_bottom": "treated_bar_bottom_percent",
                "t_top": "treated_bar_top_percent"}),
            CsvTable(UPLOAD_TABLE, user_pts, {"v": "voltage_V", "j": "j_mA_cm2", "direction": "direction"}),
            CsvTable("your J-V sweeps: analysis (qdpv.diode.fit_jv, hysteresis_index)", user_report, ANALYSIS_COLUMNS),
            CsvTable("your J-V sweeps: fitted single-diode curves", user_fit, {
                "v": "voltage_V", "forward": "forward_fit_j_mA_cm2", "reverse": "reverse_fit_j_mA_cm2"}),
        ],
        csv_filename="qdpv_device_jv.csv",
        model_note=note_html(note, TERMS),
    )


def _waterfall(b: diode.LossBreakdown) -> dict[str, Any]:
    """Bars of the waterfall for control (index 0) and treated (index 1)."""
    data: dict[str, Any] = {"step": STEPS, "alpha": [0.85, 0.4, 0.4, 0.4, 0.85]}
    for i, prefix in enumerate(("c", "t")):
        limit, device = float(b.limit_pce_percent[i]), float(b.device_pce_percent[i])
        losses = [float(b.jsc_loss_pp[i]), float(b.voc_loss_pp[i]), float(b.ff_loss_pp[i])]
        levels = limit - np.cumsum([0.0, *losses])  # PCE before each loss, then the device
        data[f"{prefix}_bottom"] = [0.0, *levels[1:], 0.0]
        data[f"{prefix}_top"] = [limit, *levels[:-1], device]
        data[f"{prefix}_pp"] = [limit, *(-x for x in losses), device]
        data[f"{prefix}_text"] = [f"{limit:.1f}", *(f"-{x:.1f}" for x in losses), f"{device:.1f}"]
    return data


def _describe_jv(gap: float, lim: diode.DiodeMetrics, m: diode.DiodeMetrics) -> str:
    """The J-V figure in words, from the numbers of the results table."""

    def curve(name: str, d: diode.DiodeMetrics, i: int) -> str:
        voc, jsc, ff, pce, vmp = (float(np.atleast_1d(x)[i]) for x in (d.voc_V, d.jsc_mA_cm2, d.ff, d.pce_percent,
                                                                          d.vmp_V))
        return (f"{name} meets the voltage axis at Voc {voc:.3f} V and the current axis at Jsc {jsc:.2f} mA/cm2, "
                f"fill factor {ff:.3f}, PCE {pce:.2f} %, maximum power point (square) at {vmp:.3f} V.")

    return " ".join([
        "Current density against voltage, thick lines; power density, thin lines on the right axis.",
        curve("The treated cell (blue, solid)", m, 1),
        curve("The control (vermillion, dash-dot)", m, 0),
        curve(f"The detailed-balance limit for a {gap:.2f} eV gap (grey, dashed)", lim, 0),
    ])


def _describe_waterfall(b: diode.LossBreakdown) -> str:
    """The waterfall figure in words, from the same loss breakdown as its bars."""
    parts = []
    for i, name in ((0, "Control"), (1, "Treated")):
        parts.append(
            f"{name}: from the limit's {float(b.limit_pce_percent[i]):.1f} % it loses "
            f"{float(b.jsc_loss_pp[i]):.1f} points to Jsc, {float(b.voc_loss_pp[i]):.1f} to Voc and "
            f"{float(b.ff_loss_pp[i]):.1f} to FF, ending at {float(b.device_pce_percent[i]):.1f} %."
        )
    return ("Bars from the detailed-balance PCE down to each device, control on the left of each pair, treated on "
            f"the right; a dotted line marks the paper's {PAPER.champion_pce_percent} %. " + " ".join(parts))


def _results(v: dict[str, Any], cells: device.Device, lim: diode.DiodeMetrics, m: diode.DiodeMetrics,
             b: diode.LossBreakdown, out: Outcome) -> str:
    """Metrics table, the reference limit, the recombination picture and one 'Notice' sentence."""
    gap = v["band_gap_eV"]
    rows = [
        ("Voc (V)", lim.voc_V, m.voc_V, "{:.3f}"),
        ("Jsc (mA/cm2)", lim.jsc_mA_cm2, m.jsc_mA_cm2, "{:.2f}"),
        ("FF", lim.ff, m.ff, "{:.3f}"),
        ("PCE (%)", lim.pce_percent, m.pce_percent, "{:.2f}"),
    ]
    table_rows = "".join(
        f"<tr><td>{name}</td><td>{fmt.format(float(x))}</td><td>{fmt.format(m_[0])}</td>"
        f"<td><b>{fmt.format(m_[1])}</b></td></tr>"
        for name, x, m_, fmt in rows
    )
    dvoc = 1e3 * b.nonradiative_voc_loss_V
    table_rows += (f"<tr><td title='Voc below the radiative limit of a step-edge absorber (Rau et al. 2017 use the "
              "measured EQE; a step edge has no sub-gap tail, so this loss includes what a real tail would "
              f"cost)'>Voc loss vs step-edge radiative limit (mV)</td><td>0</td><td>{dvoc[0]:.0f}</td>"
              f"<td><b>{dvoc[1]:.0f}</b></td></tr>")
    table = (
        "<table style='border-collapse:collapse;margin:0.2em 0'><tr><th></th>"
        f"<th>limit {gap:.2f} eV</th><th>control</th><th>treated</th></tr>{table_rows}</table>"
    )
    tau_s = float(cells.bulk_lifetime_s[1])
    s0, s = float(cells.untreated_velocity_cm_s[1]), float(cells.interface_velocity_cm_s[1])
    mode = ("<b>Expert mode:</b> the treated cell uses your raw Jph, J0 and n." if v["expert"] else
            f"Bulk lifetime &tau; = {tau_s * 1e6:.3g} &micro;s; interface S = {s0:.3g} cm/s (control) &rarr; "
            f"{s:.3g} cm/s with the QD interlayer (phenomenological).")
    ratio = float(recombination.injection_ratio(float(m.voc_V[1]), v["band_gap_eV"],
                                                DEVICE["background_density_cm3"].value, T_K))
    injection = (
        f"<br><b>Caution, high injection:</b> at the treated cell's Voc the photo-generated carrier density is "
        f"{ratio:.2g} &times; the background density, so the low-injection J0 forms behind these numbers are "
        "outside their assumptions (trends only)." if ratio > 1 else ""
    )
    return (
        f"{table}<span style='font-size:0.9em'>Device values are <b>illustrative</b> (kit model); the paper "
        f"reports only the champion PCE, {PAPER.champion_pce_percent} %.</span><br>"
        f"The <b>limit</b> column is the detailed-balance limit of the gap on the slider, {gap:.2f} eV, at the "
        f"cell's {T_K:g} K (kit calculation; CsPbI3's gap: {CsPbI3.band_gap_eV:g} eV, reported 1.72-1.75).<br>"
        f"{mode}{injection}<br>{out.failure_html()}{_user_html(out, float(m.pce_percent[1]))}"
        f"<i>Notice:</i> {_notice(v, cells, m, b)}"
    )


@dataclass(frozen=True)
class _UserJV:
    """A learner's J-V file as read, its first forward and reverse sweep, the fit of each, the hysteresis index."""

    jv: MeasuredJV
    sweeps: dict[str, JVSweep | None]
    fits: dict[str, diode.JVFit | None]
    hysteresis_index: float
    """nan unless the file has both a forward and a reverse sweep."""


def _analyse(file: IO[bytes], area_cm2: float | None) -> _UserJV:
    """Read a learner's J-V sweeps, fit the single diode to each, and the hysteresis index of the two."""
    jv = read_jv_csv(file, area_cm2=area_cm2)
    sweeps = {"forward": jv.forward, "reverse": jv.reverse}
    fits = {}
    for d, s in sweeps.items():
        if s is None:
            fits[d] = None
            continue
        try:
            fits[d] = diode.fit_jv(s.voltage_V, s.j_mA_cm2, T_K)
        except ValueError as exc:
            raise ValueError(f"the {d} sweep cannot be fitted: {exc}") from None
    hi = np.nan
    if jv.forward is not None and jv.reverse is not None:
        hi = diode.hysteresis_index(jv.forward.voltage_V, jv.forward.j_mA_cm2, jv.reverse.voltage_V,
                                    jv.reverse.j_mA_cm2)
    return _UserJV(jv, sweeps, fits, hi)


def _rsh(fit: diode.JVFit) -> tuple[str, str]:
    """Rsh for the results text, and a note when the data bound it only from below."""
    g, g_se = fit.gsh_mS_cm2, fit.gsh_se_mS_cm2
    if np.isfinite(g_se) and g_se > 0 and g < 2 * g_se:
        return f"&ge; {1e3 / (g + 2 * g_se):,.0f}", "bounded from below only"
    return plus_minus(fit.rsh_ohm_cm2, fit.rsh_se_ohm_cm2), ""


def _j0(fit: diode.JVFit) -> str:
    """J0 with its standard error, or within the factor the data allow when that is large."""
    if np.isfinite(fit.ln_j0_se) and fit.ln_j0_se > 0.5:
        return f"{fit.j0_mA_cm2:.2g} (&times;/&divide; {math.exp(fit.ln_j0_se):.2g})"
    return plus_minus(fit.j0_mA_cm2, fit.j0_se_mA_cm2)


def _report_rows(u: _UserJV) -> list[tuple[str, float, float, str]]:
    """The analysis as rows of the CSV download: (quantity, value, standard error or nan, unit)."""
    nan = float("nan")
    rows = []
    for d, f in u.fits.items():
        if f is None:
            continue
        rows += [
            (f"{d}: Jsc", f.jsc_mA_cm2, f.jsc_se_mA_cm2, "mA/cm2"),
            (f"{d}: Voc", f.voc_V, f.voc_se_V, "V"),
            (f"{d}: FF", f.ff, f.ff_se, ""),
            (f"{d}: PCE", f.pce_percent, f.pce_se_percent, "%"),
            (f"{d}: Rs", f.rs_ohm_cm2, f.rs_se_ohm_cm2, "ohm cm2"),
            (f"{d}: Rsh", f.rsh_ohm_cm2, f.rsh_se_ohm_cm2, "ohm cm2"),
            (f"{d}: ideality n", f.ideality, f.ideality_se, ""),
            (f"{d}: J0", f.j0_mA_cm2, f.j0_se_mA_cm2, "mA/cm2"),
            (f"{d}: standard error of ln J0", f.ln_j0_se, nan, ""),
            (f"{d}: PCE from the points alone", f.measured.pce_percent, nan, "%"),
            (f"{d}: residual RMS", f.residual_rms_mA_cm2, nan, "mA/cm2"),
            (f"{d}: points", f.n_points, nan, ""),
        ]
    if np.isfinite(u.hysteresis_index):
        rows.append(("hysteresis index (PCE_rev - PCE_fwd) / PCE_rev", u.hysteresis_index, nan, ""))
    return rows


def _user_html(out: Outcome, model_pce: float) -> str:
    """The learner's sweeps in the results text: a table of the fitted figures per sweep, the hysteresis index."""
    if out.result is None:
        return ""
    u = out.result
    fits = {d: f for d, f in u.fits.items() if f is not None}
    rsh = {d: _rsh(f) for d, f in fits.items()}
    rows = [
        ("Jsc (mA/cm2)", {d: plus_minus(f.jsc_mA_cm2, f.jsc_se_mA_cm2) for d, f in fits.items()}),
        ("Voc (V)", {d: plus_minus(f.voc_V, f.voc_se_V) for d, f in fits.items()}),
        ("FF", {d: plus_minus(f.ff, f.ff_se) for d, f in fits.items()}),
        ("PCE (%)", {d: f"<b>{plus_minus(f.pce_percent, f.pce_se_percent)}</b>" for d, f in fits.items()}),
        ("Rs (ohm cm2)", {d: plus_minus(f.rs_ohm_cm2, f.rs_se_ohm_cm2) for d, f in fits.items()}),
        ("Rsh (ohm cm2)", {d: rsh[d][0] for d in fits}),
        ("n", {d: plus_minus(f.ideality, f.ideality_se) for d, f in fits.items()}),
        ("J0 (mA/cm2)", {d: _j0(f) for d, f in fits.items()}),
        ("residual RMS (mA/cm2)", {d: f"{f.residual_rms_mA_cm2:.2g}" for d, f in fits.items()}),
    ]
    table = (
        "<table style='border-collapse:collapse;margin:0.2em 0'><tr><th></th>"
        + "".join(f"<th>{d}</th>" for d in fits) + "</tr>"
        + "".join(f"<tr><td>{name}</td>" + "".join(f"<td>{cells[d]}</td>" for d in fits) + "</tr>"
                  for name, cells in rows)
        + "</table>"
    )
    notes = []
    for d, f in fits.items():
        if not f.converged:
            notes.append(f"the {d} fit did not converge (many parameter sets fit; their errors are not known)")
        if f.at_bound:
            notes.append(f"the {d} fit left {', '.join(f.at_bound)} on a bound (one-sided errors)")
        if rsh[d][1]:
            notes.append(f"the {d} Rsh is {rsh[d][1]}")
    read = []
    if u.jv.sign_flipped:
        read.append("currents in the load convention, sign changed")
    if u.jv.area_cm2 is not None:
        read.append(f"currents divided by the cell area, {u.jv.area_cm2:g} cm²")
    source = "the kit's example, SYNTHETIC" if out.example else "your file"
    hi = (f" <b>Hysteresis index</b> (PCE<sub>rev</sub> &minus; PCE<sub>fwd</sub>)/PCE<sub>rev</sub> = "
          f"{u.hysteresis_index:.3f}, from the points of each sweep (it depends on the scan rate and the "
          "preconditioning as much as on the cell)." if np.isfinite(u.hysteresis_index) else "")
    best = max(f.pce_percent for f in fits.values())
    return (
        f"<b>Your J-V sweeps</b> ({html.escape(out.name)}, {source}"
        + (f"; {'; '.join(read)}" if read else "") + "), each fitted with the single diode:"
        + table
        + (f"<i>{html.escape('; '.join(notes))}.</i>" if notes else "")
        + hi + f" Your best sweep: {best:.2f} %; the model's treated cell here: {model_pce:.2f} %.<br>"
    )


def _user_words(out: Outcome) -> str:
    """The learner's sweeps in the J-V figure's text alternative ("" if none)."""
    if out.result is None:
        return ""
    parts = [f"your {d} sweep (purple {'triangles' if d == 'forward' else 'circles'} and its fitted line) meets the "
             f"voltage axis at {f.voc_V:.3f} V and the current axis at {f.jsc_mA_cm2:.2f} mA/cm2, PCE "
             f"{f.pce_percent:.2f} %" for d, f in out.result.fits.items() if f is not None]
    return " " + "; ".join(parts).capitalize() + "."


def _notice(v: dict[str, Any], cells: device.Device, m: diode.DiodeMetrics, b: diode.LossBreakdown) -> str:
    """One sentence on what to look at, chosen from the current state."""
    gain_mV = 1e3 * float(m.voc_V[1] - m.voc_V[0])
    ff_loss, voc_loss = float(b.ff_loss_pp[1]), float(b.voc_loss_pp[1])
    if v["expert"]:
        return (
            "the treated curve now follows your raw parameters; the physics knobs still set the control and the "
            "limit. At n = 1, lowering log10 J0 by 1 raises Voc by 59 mV."
        )
    if v["qd_coverage"] == 0.0:
        return "with no interlayer (coverage 0) the treated cell is the control: raise the coverage."
    if ff_loss > voc_loss and ff_loss > 1.0:
        return (
            f"resistive losses dominate: the FF loss ({ff_loss:.1f} points) exceeds the non-radiative Voc loss "
            f"({voc_loss:.1f} points), and passivation cannot recover it."
        )
    j_bulk, j_int = float(cells.j0_bulk_mA_cm2[1]), float(cells.j0_interface_mA_cm2[1])
    s0, s, dot = (float(x[1]) for x in (cells.untreated_velocity_cm_s, cells.interface_velocity_cm_s, cells.dot_nm))
    if j_bulk > j_int:
        return (
            f"bulk traps now limit Voc (their J0 is {j_bulk / j_int:.1f} times the passivated interface's): "
            f"passivating the interface gains only {gain_mV:.0f} mV. Lower the trap density."
        )
    if float(cells.size_match[1]) < 0.5:
        return (
            f"{dot:.2f} nm dots (in {v['pore_nm']:.1f} nm pores) are far from the "
            f"{device.BEST_DOT_NM:.2f} nm dots of the paper's best pores: in "
            f"this phenomenological mapping they passivate less (Voc gain {gain_mV:.0f} mV)."
        )
    return (
        f"the interlayer cuts interface recombination (S {s0:.3g} &rarr; {s:.3g} cm/s), so Voc rises by "
        f"{gain_mV:.0f} mV while Jsc stays put: compare the 'Voc loss' bars. The FF rises a little with Voc."
    )

