"""Step 6 app (capstone): synthesis knobs -> pores -> dots -> levels -> interface recombination -> J-V and PCE
-> degradation and T80, every link computed by the library and shown with the step app that explains it."""

from __future__ import annotations

import math
from typing import Any

import numpy as np
from bokeh.layouts import column
from bokeh.models import BoxAnnotation, ColumnDataSource, Legend, Span

from .. import bands, device, diode, msn, stability
from .. import confinement as conf
from ..materials import CsPbBr3
from ..paper import PAPER
from .glossary import note_html
from .kit import PALETTE, CsvTable, Quiz, StepApp, describe_figure, dropdown, make_figure, slider
from .kit.ahead import built_ahead

TEMPLATE = msn.MSN_PRESETS["medium"]  # surfactant, time and temperature of the paper's medium MSN (fixed here)
CHAMPION = device.PRESETS["paper: champion"]  # knobs of the kit's illustrative device, calibrated to 22.15 %
GAP_EV = CHAMPION["band_gap_eV"]
T_K = CHAMPION["temperature_K"]
S0_CM_S = CHAMPION["interface_velocity_cm_s"]
N_POINTS = 161  # points per J-V curve
BOHR_NM = CsPbBr3.bohr_diameter_nm
BEST_DOT_NM = device.BEST_DOT_NM  # where the kit's (phenomenological) passivation peaks
VALID_NM = conf.validity_range_nm()  # sizes where the default confinement model holds for CsPbBr3
PORE_GRID_NM = np.linspace(2.8, 13.1, 104)  # the pores the templating model can make (2.8-13 nm)
# swelling oils that can grow dots the gap model describes ("none" leaves 2.8 nm pores and 2.65 nm dots, below it)
OILS = [oil for oil, uptake in msn.OIL_UPTAKE.items() if uptake > 0]
T80 = 0.8
CONDITIONS = {"air": "air storage (ISOS-D)", "light": "continuous light (ISOS-L)"}
PAPER_T80 = {k: stability.time_to_range(*stability.paper_points(k), T80) for k in CONDITIONS}
LIMIT = diode.detailed_balance(GAP_EV, T_K)
STEPS = {
    1: ("01_msn_templating.ipynb", "MSN templating"),
    2: ("02_qd_sizing.ipynb", "QD sizing"),
    3: ("03_band_alignment.ipynb", "band alignment"),
    4: ("04_device_jv.ipynb", "device J-V"),
    5: ("05_carriers_and_stability.ipynb", "carriers and stability"),
}


def _design(msn_key: str, **changes: Any) -> dict[str, Any]:
    """Control values: the library's MSN preset (oil loading on the slider's 1 % steps) and the champion device."""
    tpl = msn.MSN_PRESETS[msn_key]
    values = {
        "oil_pct": round(100 * tpl.oil_loading),
        "oil": tpl.oil,
        "aspect": 1.0,  # isometric crystals filling the pores: the kit's pore-to-dot rule, as in steps 2-4
        "qd_coverage": CHAMPION["qd_coverage"],
        "log_nt": round(math.log10(CHAMPION["trap_density_cm3"]), 1),
        "rs": CHAMPION["rs_ohm_cm2"],
    }
    return {**values, **changes}


PRESETS = {
    f"paper: champion (~{PAPER.medium_msn_pore_nm:g} nm pores)": _design("medium"),
    "paper: control (no QD interlayer)": _design("medium", qd_coverage=0.0),
    "dots 3x as long as wide (illustrative)": _design("medium", aspect=3.0),
    "small MSN, ~4 nm pores (illustrative)": _design("small"),
    "large MSN, ~12 nm pores (illustrative)": _design("large"),
    "best this model allows (illustrative)": _design("medium", qd_coverage=1.0, log_nt=13.0, rs=0.0),
}

# the terms of qdpv.ui.glossary this app's texts use, explained under its figures
TERMS = ("MSN", "surfactant", "micelle", "swelling oil", "calcination", "perovskite", "CsPbI3", "CsPbBr3",
         "quantum dot", "Bohr diameter", "confinement", "Kane model", "band gap", "CBM", "band offset",
         "Anderson rule", "interlayer", "J-V curve", "Jsc", "Voc", "FF", "PCE", "maximum power point", "J0", "Rs",
         "detailed-balance limit", "recombination", "non-radiative", "SRH", "trap density", "S0", "passivation",
         "log10", "phenomenological", "illustrative", "lifetime", "T80", "ISOS")

# the electron step from CsPbI3 up into the dots of the paper's pores in step 3's flat-band picture (eV)
_PAPER_BARRIER_EV = bands.LAYERS["CsPbI3"].electron_affinity_eV - float(bands.qd_levels_eV(conf.PAPER_DOT_NM)[0])

QUIZ = Quiz(
    question=(
        f"Figure 2 peaks at the paper's ~{PAPER.medium_msn_pore_nm:g} nm pores (dots of "
        f"{BEST_DOT_NM:.1f} nm). In this kit, why is the peak there?"
    ),
    options=[
        "The dots' conduction band lines up with CsPbI3's at that size.",
        "The passivation model is built to peak at the paper's best dots.",
        "Larger pores hold more CsPbBr3, so the dots cover more interface.",
        "Dots of that size absorb the most sunlight, raising the current.",
    ],
    answer=1,
    explanation=(
        "The link from dot size to interface recombination is phenomenological (step 4's model note): a "
        "log-Gaussian match to the dots of the paper's best pores with a strength calibrated to the paper's "
        f"{PAPER.champion_pce_percent} %. It encodes the paper's observation, it does not derive it. The band "
        "offset (step 3) says the opposite, an electron barrier in the flat-band picture, and the device model "
        "does not use it; coverage is its own knob. So the peak is an assumption to test, not a result."
    ),
    why_wrong=[
        f"Step 3 shows an electron barrier of about {_PAPER_BARRIER_EV:.1f} eV at this size, and the device model "
        "here does not use band offsets at all.",
        "",
        "Coverage is its own slider in this app: the pore size does not change it.",
        "The dots form a thin interlayer; in the device model the current (Jsc) does not depend on their size.",
    ],
)


def _controls() -> dict[str, Any]:
    ctrl = {
        "oil_pct": slider("Swelling-oil loading", "%", 51, _lowest_loading_pct(), 100, 1, ".0f"),
        "oil": dropdown("Swelling oil", OILS, "cyclohexane"),
        "aspect": slider("Crystal length / pore diameter", "", 1.0, 0.5, 4.0, 0.05, ".2f"),
        "qd_coverage": slider("QD coverage of the interface", "", 0.9, 0.0, 1.0, 0.01, ".2f"),
        "log_nt": slider("log10 bulk trap density", "cm^-3", 15.0, 13.0, 17.0, 0.1, ".1f"),
        "rs": slider("Series resistance Rs", "ohm cm2", 1.5, 0.0, 10.0, 0.1, ".1f"),
    }
    tips = {
        "oil_pct": "oil in the upper phase, in % of what saturates the micelle cores (step 1)",
        "oil": "upper-phase solvent that swells the micelles (ranking illustrative, step 1)",
        "aspect": "how long the crystals grow along the pore, in pore diameters (1: isometric; step 2)",
        "qd_coverage": "fraction of the perovskite surface the CPBQDs@MSN layer covers (illustrative)",
        "log_nt": "bulk trap density of the CsPbI3 film, sets the bulk SRH lifetime (step 4)",
        "rs": "series resistance of the cell, costs fill factor (step 4)",
    }
    for key, tip in tips.items():
        ctrl[key].tooltip = tip
    return ctrl


def _chain(v: dict[str, Any]) -> dict[str, Any]:
    """Every link of the chain for the current controls (scalars), or ValueError outside a model's range."""
    pore = float(msn.template_msn(TEMPLATE.n_carbons, v["oil"], v["oil_pct"] / 100.0, TEMPLATE.reaction_time_h,
                                  TEMPLATE.temperature_K).pore_diameter_nm)
    dot_nm = float(conf.pore_to_dot_nm(pore, v["aspect"]))
    try:
        dot = float(conf.check_validity(dot_nm, name=f"the dot size of these knobs' {pore:.2f} nm pores"))
    except ValueError as exc:
        way = ("raise the oil loading, choose a stronger-swelling oil or lengthen the crystals" if dot_nm < VALID_NM[0]
               else "lower the oil loading or shorten the crystals")
        raise ValueError(f"{exc}. To move back: {way}") from None
    chi, ion = (float(x) for x in bands.qd_levels_eV(dot))
    return {"pore": pore, "dot": dot, "gap": float(conf.band_gap_eV(dot)), "chi": chi, "ion": ion}


def _lowest_loading_pct() -> int:
    """The lowest oil loading (%) at which every oil of :data:`OILS` grows isometric dots the gap model describes."""
    weakest = min(OILS, key=msn.OIL_UPTAKE.__getitem__)
    pct = np.arange(101)
    pores = msn.template_msn(TEMPLATE.n_carbons, weakest, pct / 100.0, TEMPLATE.reaction_time_h,
                             TEMPLATE.temperature_K).pore_diameter_nm
    return int(pct[~conf.outside_validity(conf.pore_to_dot_nm(pores))][0])


def _cells(v: dict[str, Any], pore_nm: Any, coverage: Any, s0_cm_s: Any = S0_CM_S) -> device.Device:
    """The library's device for the knobs (pores, coverage and S0 may be arrays)."""
    return device.device_from_knobs(
        pore_nm, coverage, trap_density_cm3=10.0 ** v["log_nt"], interface_velocity_cm_s=s0_cm_s,
        aspect=v["aspect"], rs_ohm_cm2=v["rs"],
    )


def _device(v: dict[str, Any], pore_nm: float) -> device.Device:
    """Control, design and a perfect-interface design (S0 = 0), in that order."""
    return _cells(v, pore_nm, np.array([0.0, v["qd_coverage"], 0.0]), np.array([S0_CM_S, S0_CM_S, 0.0]))


def _pce_vs_pore(v: dict[str, Any]) -> dict[str, np.ndarray]:
    """PCE of the design across the pores the templating can make (NaN where the dot model does not hold)."""
    cells = _cells(v, PORE_GRID_NM, v["qd_coverage"])
    pce = diode.metrics(*cells.diode).pce_percent
    dots = cells.dot_nm
    return {"pore": PORE_GRID_NM, "dot": dots, "pce": np.where(conf.outside_validity(dots), np.nan, pce)}


def _t80(s_cm_s: np.ndarray) -> dict[str, np.ndarray]:
    """T80 (h) for each interface velocity: the paper's exponential T80, scaled illustratively by passivation."""
    progress = device.passivation_progress(s_cm_s)
    return {k: stability.rate_scaled_time_h(PAPER_T80[k].exponential_h, progress) for k in CONDITIONS}


def _link(step: int) -> str:
    notebook, name = STEPS[step]
    return f'<a href="{notebook}" target="_blank" rel="noopener" title="step {step}: {name}">step {step}</a>'


@built_ahead
def build() -> StepApp:
    """Build the capstone app (controls, figures, texts) and compute its first state."""
    controls = _controls()

    # -- figure 1: J-V of the control and your design, with the detailed-balance limit --------------------------
    lim_curve = diode.detailed_balance_curve(GAP_EV, T_K, n_points=N_POINTS)
    src = {
        "limit": ColumnDataSource({"v": lim_curve.voltage_V, "j": lim_curve.current_density_mA_cm2,
                                   "p": lim_curve.power_mW_cm2}),
        "control": ColumnDataSource({"v": [], "j": [], "p": []}),
        "design": ColumnDataSource({"v": [], "j": [], "p": []}),
    }
    mpp = ColumnDataSource({k: [] for k in ("device", "v", "j", "voc", "jsc", "ff", "pce")})
    f_jv = make_figure(f"J-V: control vs your design ({GAP_EV:g} eV CsPbI3)", "voltage (V)",
                       "current density (mA/cm2)", x_range=(0, 1.6), y_range=(0, 25), height=300)
    styles = {"limit": (PALETTE["marker"], "dashed", f"detailed-balance limit, {float(LIMIT.pce_percent):.1f} %"),
              "control": (PALETTE["alt"], "dashdot", "control (no QDs)"),
              "design": (PALETTE["model"], "solid", "your design")}
    items = [(label, [f_jv.line("v", "j", source=src[k], color=c, line_dash=d, line_width=2.5)])
             for k, (c, d, label) in styles.items()]
    items.append(("maximum power points", [f_jv.scatter("v", "j", source=mpp, marker="square", size=8,
                                                        color=PALETTE["data"])]))
    f_jv.add_layout(Legend(items=items, location="bottom_left", label_text_font_size="11px", spacing=0, padding=4))

    # -- figure 2: PCE across the pore range, your design and the paper's marked ----------------------------
    curve = ColumnDataSource({"pore": [], "dot": [], "pce": []})
    design_pt = ColumnDataSource({"pore": [], "pce": []})
    paper_pt = ColumnDataSource({"pore": [PAPER.medium_msn_pore_nm], "pce": [PAPER.champion_pce_percent]})
    f_pce = make_figure("PCE across the pores the synthesis can make", "MSN pore diameter (nm)", "PCE (%)",
                        x_range=(2.5, 13.5), y_range=(10, 30), height=340)
    f_pce.add_layout(BoxAnnotation(right=VALID_NM[0], fill_color=PALETTE["marker"], fill_alpha=0.12))
    r_curve = f_pce.line("pore", "pce", source=curve, line_width=2.5, color=PALETTE["model"])
    r_design = f_pce.scatter("pore", "pce", source=design_pt, marker="diamond", size=14, color=PALETTE["highlight"])
    r_paper = f_pce.scatter("pore", "pce", source=paper_pt, marker="star", size=13, color=PALETTE["data"])
    f_pce.add_layout(Span(location=float(LIMIT.pce_percent), dimension="width", line_color=PALETTE["marker"],
                          line_dash="dashed"))
    f_pce.add_layout(Span(location=PAPER.champion_pce_percent, dimension="width", line_color=PALETTE["highlight"],
                          line_dash="dotted"))
    bohr_pore = Span(location=PAPER.medium_msn_pore_nm,
                     dimension="height", line_color=PALETTE["marker"], line_dash="dotted")
    f_pce.add_layout(bohr_pore)
    f_pce.add_layout(Legend(items=[
        ("your knobs across all pores", [r_curve]),
        ("your design", [r_design]),
        (f"the paper's champion, {PAPER.champion_pce_percent} %", [r_paper]),
    ], label_text_font_size="11px", spacing=0, padding=4), "below")  # below the plot: it hides no line

    chain_src = ColumnDataSource({k: [] for k in ("step", "quantity", "control", "design")})
    shown: dict[str, tuple] = {}

    def show(key: str, state: tuple, data: Any, source: ColumnDataSource) -> None:
        if shown.get(key) != state:
            source.data = data() if callable(data) else data
            shown[key] = state

    def update(v: dict[str, Any]) -> str:
        ch = _chain(v)
        cells = _device(v, ch["pore"])
        p = cells.diode
        m = diode.metrics(*p)
        jv = diode.jv_curve(*p, n_points=N_POINTS)
        losses = diode.loss_breakdown(GAP_EV, m.voc_V[:2], m.jsc_mA_cm2[:2], m.ff[:2], T_K)
        s = cells.interface_velocity_cm_s[:2]
        t80 = _t80(s)

        device_key = (v["log_nt"], v["rs"])
        show("control", device_key, {"v": jv.voltage_V[0], "j": jv.current_density_mA_cm2[0],
                                     "p": jv.power_mW_cm2[0]}, src["control"])
        src["design"].data = {"v": jv.voltage_V[1], "j": jv.current_density_mA_cm2[1], "p": jv.power_mW_cm2[1]}
        mpp.data = {"device": ["control", "your design"], "v": m.vmp_V[:2], "j": m.jmp_mA_cm2[:2],
                    "voc": m.voc_V[:2], "jsc": m.jsc_mA_cm2[:2], "ff": m.ff[:2], "pce": m.pce_percent[:2]}
        show("curve", (v["aspect"], v["qd_coverage"], *device_key), lambda: _pce_vs_pore(v), curve)
        design_pt.data = {"pore": [ch["pore"]], "pce": [float(m.pce_percent[1])]}
        best_pore = float(device.best_pore_nm(v["aspect"]))
        if bohr_pore.location != best_pore:
            bohr_pore.location = best_pore

        pce_curve = np.asarray(curve.data["pce"], dtype=float)
        best = int(np.nanargmax(pce_curve))
        describe_figure(f_jv, " ".join([
            "Current density against voltage.",
            *(f"{name} meets the voltage axis at Voc {float(m.voc_V[i]):.3f} V and the current axis at Jsc "
              f"{float(m.jsc_mA_cm2[i]):.2f} mA/cm2, fill factor {float(m.ff[i]):.3f}, PCE "
              f"{float(m.pce_percent[i]):.2f} %, maximum power point (square) at {float(m.vmp_V[i]):.3f} V."
              for i, name in ((1, "Your design (blue, solid)"), (0, "The control (vermillion, dash-dot)"))),
            f"The detailed-balance limit (grey, dashed) reaches {float(LIMIT.pce_percent):.1f} %.",
        ]))
        describe_figure(f_pce, (
            f"PCE your knobs would give for every pore from {float(curve.data['pore'][0]):g} to "
            f"{float(curve.data['pore'][-1]):g} nm: highest, {pce_curve[best]:.1f} %, at "
            f"{float(curve.data['pore'][best]):.1f} nm pores (dotted vertical line: the pore whose dots match "
            f"best, {best_pore:.1f} nm). Your design (diamond): {float(m.pce_percent[1]):.2f} % at "
            f"{ch['pore']:.1f} nm; the paper's champion (star): {PAPER.champion_pce_percent} % at "
            f"{PAPER.medium_msn_pore_nm:g} nm. Dashed: the detailed-balance limit, {float(LIMIT.pce_percent):.1f} "
            f"%; dotted: the paper's {PAPER.champion_pce_percent} %; shaded: pores below the dot model's range."
        ))
        rows = _rows(ch, s, p, m, t80)
        chain_src.data = {"step": [r[0] for r in rows], "quantity": [r[1] for r in rows],
                          "control": [r[2] for r in rows], "design": [r[3] for r in rows]}
        perfect = float(m.pce_percent[2])
        return (
            _table(rows) + "<br>" + _challenge(float(m.pce_percent[1]), perfect, losses)
            + f"<br><i>Notice:</i> {_notice(v, ch, float(cells.size_match[1]), m, perfect)}"
        )

    return StepApp(
        title="Design your cell",
        controls=controls,
        figures=column(f_jv, f_pce),
        update=update,
        presets=PRESETS,
        quiz=QUIZ,
        csv_tables=[
            CsvTable("the chain, control and your design (device values illustrative)", chain_src,
                     {"step": "step", "quantity": "quantity_with_unit", "control": "control", "design": "design"}),
            *(CsvTable(f"J-V {key}", src[key], {"v": "voltage_V", "j": "current_density_mA_cm2",
                                                 "p": "power_mW_cm2"}) for key in ("control", "design", "limit")),
            CsvTable("maximum power points and metrics", mpp, {
                "device": "device", "voc": "voc_V", "jsc": "jsc_mA_cm2", "ff": "ff", "pce": "pce_percent",
                "v": "vmp_V", "j": "jmp_mA_cm2"}),
            CsvTable("PCE vs pore diameter (your other knobs)", curve,
                     {"pore": "pore_diameter_nm", "dot": "dot_edge_nm", "pce": "pce_percent"}),
            CsvTable("your design", design_pt, {"pore": "pore_diameter_nm", "pce": "pce_percent"}),
            CsvTable("the paper's champion", paper_pt, {"pore": "pore_diameter_nm", "pce": "pce_percent"}),
        ],
        csv_filename="qdpv_design_your_cell.csv",
        model_note=note_html(_model_note(), TERMS),
    )


def _rows(ch: dict[str, float], s: np.ndarray, p: device.DiodeParameters, m: diode.DiodeMetrics,
          t80: dict[str, np.ndarray]) -> list[tuple[int, str, str, str]]:
    """(step, quantity with unit, control, design) for every link of the chain."""
    none = "-"
    # dot CBM minus absorber CBM (> 0: a step up for electrons leaving CsPbI3)
    offset = bands.LAYERS["CsPbI3"].electron_affinity_eV - ch["chi"]
    rows = [
        (1, "pore diameter (nm)", none, f"{ch['pore']:.2f}"),
        (2, "dot edge (nm)", none, f"{ch['dot']:.2f} ({ch['dot'] / BOHR_NM:.2f} &times; Bohr)"),
        (2, "dot gap (eV)", none, f"{ch['gap']:.3f}"),
        (3, "dot CBM &minus; CsPbI3 CBM (eV)", none, f"{offset:+.2f}"),
        (4, "interface S (cm/s)", f"{s[0]:.3g}", f"{s[1]:.3g}"),
        (4, "J0 (mA/cm2)", f"{p.j0_mA_cm2[0]:.2e}", f"{p.j0_mA_cm2[1]:.2e}"),
        (4, "Voc (V)", f"{m.voc_V[0]:.3f}", f"{m.voc_V[1]:.3f}"),
        (4, "FF", f"{m.ff[0]:.3f}", f"{m.ff[1]:.3f}"),
        (4, "PCE (%)", f"{m.pce_percent[0]:.2f}", f"{m.pce_percent[1]:.2f}"),
    ]
    rows += [(5, f"T80, {CONDITIONS[k]} (h)*", f"{t[0]:,.0f}", f"{t[1]:,.0f}") for k, t in t80.items()]
    return rows


def _table(rows: list[tuple[int, str, str, str]]) -> str:
    cells = "".join(
        f"<tr><td>{_link(step)}</td><td>{quantity}</td><td style='text-align:right'>{control}</td>"
        f"<td style='text-align:right'><b>{design}</b></td></tr>"
        for step, quantity, control, design in rows
    )
    return (
        "<table style='border-collapse:collapse;font-size:0.92em'><tr><th></th><th>the chain</th>"
        f"<th>control</th><th>your design</th></tr>{cells}</table>"
        "<span style='font-size:0.85em'>Device values are the kit's <b>illustrative</b> model, calibrated to the "
        f"paper's {PAPER.champion_pce_percent} %. *T80: the paper's device only (exponential through its "
        "ageing point), scaled to other designs by an <b>illustrative</b> rule (model note).</span>"
    )


def _challenge(pce: float, perfect: float, b: diode.LossBreakdown) -> str:
    """How far the design is from the paper's champion, and where the rest of the limit goes."""
    gap = pce - PAPER.champion_pce_percent
    where = "above" if gap > 0 else "below"
    dvoc_mV = 1e3 * float(b.nonradiative_voc_loss_V[1])
    return (
        f"<b>Challenge:</b> get close to the paper's {PAPER.champion_pce_percent} %. Your design: <b>{pce:.2f} %</b>, "
        f"{abs(gap):.2f} points {where} it. The limit for a {GAP_EV:g} eV gap is "
        f"{float(b.limit_pce_percent[1]):.1f} %; your design loses {float(b.jsc_loss_pp[1]):.1f} points to "
        f"uncollected light (Jsc), {float(b.voc_loss_pp[1]):.1f} to non-radiative recombination (Voc "
        f"{dvoc_mV:.0f} mV below radiative) and {float(b.ff_loss_pp[1]):.1f} to the fill factor. A perfect "
        f"interface (S = 0) would give {perfect:.2f} %: beyond that, bulk traps and the FF set the limit."
    )


def _notice(v: dict[str, Any], ch: dict[str, float], match: float, m: diode.DiodeMetrics, perfect: float) -> str:
    """One sentence on what to look at, chosen from the current state (``match``: the dots' size match)."""
    pce = float(m.pce_percent[1])
    if v["qd_coverage"] == 0.0:
        return "with no interlayer your design is the control: raise the coverage and watch Voc climb."
    if perfect - pce < 0.3:
        return (
            f"the interface is nearly perfect here (only {perfect - pce:.2f} points left to gain there): bulk traps "
            "and the fill factor now set the limit. Lower the trap density or Rs."
        )
    if match < 0.5:
        return (
            f"{ch['dot']:.1f} nm dots are far from the {BEST_DOT_NM:.1f} nm of the paper's best pores, so in the kit's "
            "phenomenological mapping they passivate less: move the oil loading towards the peak of figure 2."
        )
    return (
        f"the oil loading moves the pores, the pores the dots, and only the dots' match to the {BEST_DOT_NM:.1f} nm "
        f"dots of the paper's best pores reaches the J-V (match {match:.2f} of 1): the curve in figure 2 peaks at "
        f"{float(device.best_pore_nm(v['aspect'])):.1f} nm pores for your crystal length."
    )


def _model_note() -> str:
    t_air, t_light = PAPER_T80["air"], PAPER_T80["light"]
    return (
        "<p><b>Models (simplified; the passivation and lifetime links are phenomenological).</b> Each link is a "
        "library model explained in its step app.</p><ol style='padding-left:1.4em'>"
        "<li>Templating (<code>qdpv.msn.template_msn</code>: micelle "
        f"geometry, calcination factor fitted to Shen et al. 2014), C16 surfactant, {TEMPLATE.reaction_time_h:g} h, "
        f"{TEMPLATE.temperature_K - 273.15:.0f} &deg;C fixed; the oil ranking is illustrative.</li><li>One cube per "
        "pore, the cube of equal confinement energy to an isometric crystal filling it "
        "(<code>qdpv.confinement.pore_to_dot_nm</code>, the rule of every step; the crystal length is an "
        "assumption); gap from the Kane + intermediate-confinement model, valid "
        f"{VALID_NM[0]:.1f}-{VALID_NM[1]:.1f} nm (shaded outside).</li><li>Flat-band (Anderson) levels; the offset is "
        "<b>shown, not used</b>: the device model has no transport through the dot layer, so a barrier costs "
        "nothing here.</li><li>Single-diode J-V with J0 = radiative + bulk SRH + interface terms and S = S0 "
        f"exp(&minus;&kappa; c g(d)), g a log-Gaussian match of the dot to the {BEST_DOT_NM:.2f} nm dots of the "
        "paper's best pores (it relates them to the ~7 nm Bohr size), &kappa; "
        f"calibrated so that those dots at coverage {CHAMPION['qd_coverage']:g} give the paper's "
        f"{PAPER.champion_pce_percent} %; no pore size beats that, because the paper tested no other.</li>"
        "<li><b>The kit has no model linking "
        "passivation to degradation.</b> T80 is known only for the paper's device: the single exponential through "
        f"its points gives {t_air.exponential_h:,.0f} h (air) and {t_light.exponential_h:,.0f} h (light); other "
        f"plausible curves through the same points span {t_air.low_h:,.0f}-{t_air.high_h:,.0f} h and "
        f"{t_light.low_h:,.0f}-{t_light.high_h:,.0f} h (step 5). Other designs are scaled by an <b>illustrative</b> "
        "rule: the rate moves log-linearly with ln(S0/S) from the control (taken to degrade "
        f"{stability.ILLUSTRATIVE_CONTROL_RATE_RATIO:g}&times; faster, illustrative) to the paper's champion "
        "(<code>qdpv.stability.rate_scaled_time_h</code>).</li></ol><p><b>The paper's numbers</b> "
        f"(<code>qdpv.paper.PAPER</code>): the ~{PAPER.medium_msn_pore_nm:g} nm medium pore, the "
        f"{PAPER.champion_pce_percent} % champion PCE and the two ageing points. Everything else (control PCE "
        f"{device.CONTROL_PCE_PERCENT:g} %, Voc, FF, trap density, Rs, coverage, other presets) is "
        "<b>illustrative</b>.</p><p>Detailed balance: Shockley and Queisser (1961), R&uuml;hle, Sol. Energy 130, 139 "
        "(2016); loss split after Rau et al., Phys. Rev. Applied 7, 044016 (2017). Paper: Xu et al., Adv. Mater. "
        "2026, e73024.</p>"
    )
