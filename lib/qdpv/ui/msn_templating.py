"""Step 1 app: synthesis knobs -> pore and particle size -> N2 isotherm -> BET area and BJH pore sizes."""

from __future__ import annotations

import html
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
from bokeh.layouts import column
from bokeh.models import (
    BoxAnnotation,
    CDSView,
    ColumnDataSource,
    DataRange1d,
    GroupFilter,
    Legend,
    LegendItem,
    Range1d,
    Span,
)

from .. import msn
from ..confinement import PAPER_DOT_NM, pore_to_dot_nm
from ..datasets import example_file
from ..io import MeasuredIsotherm, read_isotherm
from ..materials import CsPbBr3
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
    dropdown,
    make_figure,
    plus_minus,
    slider,
    wrap_title,
)
from .kit.ahead import built_ahead

P_REL = msn.default_p_rel(120)  # one pressure grid for both branches (the BJH resolution is ~3 % in d)
BET_P_MAX = 0.35  # the BET transform is drawn up to here (the usual BET window ends at 0.3-0.35)
GURVICH_P = 0.95  # p/p0 at which the pores count as full (Gurvich rule; msn default)
# the simulated distribution is drawn over its whole support, +-4 standard deviations
PSD_Z = np.linspace(-msn.PORE_SIZE_CUTOFF_SD, msn.PORE_SIZE_CUTOFF_SD, 161)
PSD_X_RANGE_NM = (0.0, 20.0)
BOHR_DIAMETER_NM = CsPbBr3.bohr_diameter_nm  # 7 nm (Protesescu et al. 2015), the paper's "about 7 nm"
TARGET_PORE_NM = PAPER.medium_msn_pore_nm  # the paper's best pores, which it matched to the ~7 nm Bohr size
TARGET_DOT_NM = PAPER_DOT_NM  # the dots they grow (the kit's pore-to-dot rule)
CHALLENGE_TOLERANCE = 0.05  # illustrative: dots within 5 % of the target count as matched
DEFAULT_SPREAD_PCT = 8.0  # illustrative, msn.simulate_isotherm's default relative spread
DEFAULT_VOLUME_CM3_G = 1.0  # illustrative, msn.simulate_isotherm's default (typical MSNs: 0.8-1.5 cm3/g)
# Reaction time and temperature start where the silica shell (qdpv.msn.shell_thickness_nm) is thicker than the
# largest pore of the C16 template (13 nm, cyclohexene at full loading) with the other knob at the paper's 6 h or
# 60 °C: 2 h at 60 °C grow 14.4 nm, 6 h at 40 °C 14.2 nm. Both low together, or a longer tail with much oil, can
# still leave the shell thinner than a pore; the message then says which knobs to move, and which way.
TIME_MIN_H = 2.0
TEMPERATURE_MIN_C = 40.0
# the learner's own isotherm: the CSV table that holds it as read (uploading the app's download reads it back)
UPLOAD_TABLE = "your isotherm, as read (p/p0, mmol/g)"
MAX_POROUS_VOLUME_CM3_G = 5.0  # qdpv.msn.max_cspbbr3_loading_g_g takes pore volumes up to this
DOT_RULE_MAX_PORE_NM = 100.0  # qdpv.confinement.pore_to_dot_nm takes pores up to this
UPLOAD_FORMATS = (
    "A CSV with p/p0 (or the pressure and p0) and the amount adsorbed (mmol/g, mol/kg or cm³(STP)/g, named in the "
    "header), optionally a <i>branch</i> column (ads/des) or desorption columns; or an AIF file. N2 at 77 K."
)

VIEWS = {
    "linear": ("N2 isotherm, 77 K (shaded: BET range; dotted: pore-volume point)", "p/p0",
               "amount adsorbed (mmol/g)", (0.0, 1.0)),
    "bet": ("BET transform (fitted range shaded)", "p/p0", "(p/p0) / [n (1 - p/p0)]  (g/mmol)",
            (0.0, BET_P_MAX + 0.01)),
}


TOOLTIPS = {
    "oil_pct": "Oil in the upper phase, in % of what saturates the micelle cores",
    "oil": "Upper-phase solvent that swells the micelles (ranked by swelling, illustrative)",
    "n_carbons": "Carbons in the surfactant's alkyl tail (CTAC: 16)",
    "time_h": "Time the silica shell grows at the oil-water interface",
    "temp_C": "Reaction temperature (faster shell growth when warmer)",
    "spread_pct": "Standard deviation of the pore diameter, in % of its mean (illustrative)",
    "volume": "Mesopore volume of the silica, as liquid N2 (illustrative; MSNs: about 0.8-1.5 cm3/g)",
    "view": "What the first figure shows: the isotherm, or its BET transform with the fitted range",
}


def _preset(conditions: msn.TemplatingConditions) -> dict[str, Any]:
    """Control values for one of msn.MSN_PRESETS, rounded onto the sliders' steps."""
    return {
        "oil_pct": round(100 * conditions.oil_loading),
        "oil": conditions.oil,
        "n_carbons": conditions.n_carbons,
        "time_h": conditions.reaction_time_h,
        "temp_C": round(conditions.temperature_K - 273.15, 1),
        "spread_pct": DEFAULT_SPREAD_PCT,
        "volume": DEFAULT_VOLUME_CM3_G,
    }


PRESETS = {
    f"paper: medium MSN (~{PAPER.medium_msn_pore_nm:g} nm pores)": _preset(msn.MSN_PRESETS["medium"]),
    "small MSN, ~4 nm pores (illustrative)": _preset(msn.MSN_PRESETS["small"]),
    "large MSN, ~12 nm pores (illustrative)": _preset(msn.MSN_PRESETS["large"]),
}

# the terms of qdpv.ui.glossary this app's texts use, explained under its figures
TERMS = ("MSN", "mesopore", "surfactant", "CTAC", "micelle", "swelling oil", "calcination", "isotherm", "p/p0",
         "adsorption", "hysteresis", "capillary condensation", "Kelvin equation", "meniscus", "monolayer", "BET",
         "Rouquerol criteria", "BJH", "KJS", "Harkins-Jura", "Gurvich rule", "quantum dot", "Bohr diameter",
         "confinement", "illustrative", "activation energy", "Arrhenius", "stretched exponential")

QUIZ = Quiz(
    question=(
        "In this app's model the pores empty (desorption) at a lower p/p0 than they fill (adsorption), which "
        "makes the hysteresis loop. Why?"
    ),
    options=[
        "Nitrogen bonds chemically to the silica and needs a lower pressure to leave.",
        "The surface that empties a full pore is curved in two directions, not one.",
        "The pores shrink as the sample cools to 77 K, so they hold the liquid longer.",
        "Desorption is measured faster, so the pores have no time to empty.",
    ],
    answer=1,
    explanation=(
        "Cohan's picture: a pore fills from a cylindrical film on its wall (curved one way) and empties from a "
        "hemispherical meniscus at its mouth (curved both ways), whose Kelvin radius at a given p/p0 is twice as "
        "large; so the same pore needs a lower pressure to empty. That is also why BJH uses the hemispherical "
        "meniscus on the desorption branch to recover the same pore size as from the adsorption branch."
    ),
    why_wrong=[
        "At 77 K nitrogen is held by weak physical forces (physisorption) that act the same way up and down; "
        "nothing in the model bonds.",
        "",
        "The model's pores keep one size on both branches, and the whole measurement is made at 77 K.",
        "The model is an equilibrium picture: every point is computed as if the sample had all the time it needs.",
    ],
)


@built_ahead
def build() -> StepApp:
    """Build the MSN-templating app (controls, figures, texts) and compute its first state."""
    controls = {
        "oil_pct": slider("Oil loading", "%", 51, 0, 100, 1, ".0f"),
        "oil": dropdown("Swelling oil", list(msn.OIL_UPTAKE), "cyclohexane"),
        "n_carbons": slider("Tail length", "C atoms", 16, 8, 22, 1, ".0f"),
        "time_h": slider("Reaction time", "h", 6.0, TIME_MIN_H, 48.0, 0.5, ".1f"),
        "temp_C": slider("Reaction temperature", "°C", 60.0, TEMPERATURE_MIN_C, 90.0, 1.0, ".0f"),
        "spread_pct": slider("Pore-size spread", "%", DEFAULT_SPREAD_PCT, 3, 20, 1, ".0f"),
        "volume": slider("Mesopore volume", "cm³/g", DEFAULT_VOLUME_CM3_G, 0.4, 2.0, 0.05, ".2f"),
        "view": dropdown("Isotherm view", [("linear isotherm", "linear"), ("BET transform", "bet")], "linear"),
        "upload": Upload("isotherm", formats=UPLOAD_FORMATS, table=UPLOAD_TABLE, example=example_file("isotherm"),
                         accept=".csv,.txt,.aif"),
    }
    for name, tip in TOOLTIPS.items():
        controls[name].tooltip = tip

    # -- figure 1: the isotherm, or its BET transform (one figure, switched by the "Isotherm view" control) ---
    # Both views read one source, so the CSV always holds the current data; only 2 figures repaint per move.
    iso = _empty("p", "n_ads", "n_des", "bet_y")
    bet_fit = _empty("p", "y")
    title, x_label, y_label, x_range = VIEWS["linear"]
    f_iso = make_figure(title, x_label, y_label, x_range=Range1d(*x_range),
                        y_range=DataRange1d(start=0, only_visible=True), name="isotherm")
    bet_box = BoxAnnotation(left=0, right=0, fill_color=PALETTE["highlight"], fill_alpha=0.15, name="bet_range")
    f_iso.add_layout(bet_box)
    linear = [
        f_iso.line("p", "n_ads", source=iso, line_width=2.5, color=PALETTE["model"]),
        f_iso.line("p", "n_des", source=iso, line_width=2, color=PALETTE["alt"], line_dash="dashed"),
    ]
    gurvich = Span(location=GURVICH_P, dimension="height", line_color=PALETTE["marker"], line_dash="dotted")
    f_iso.add_layout(gurvich)
    transform = [
        f_iso.scatter("p", "bet_y", source=iso, size=6, color=PALETTE["data"]),
        f_iso.line("p", "y", source=bet_fit, line_width=2, color=PALETTE["highlight"]),
    ]
    # the learner's isotherm (one source, both branches, as read) over the model's, in both views
    user_iso = _empty("p", "n", "branch", "bet_y")
    user_bet_fit = _empty("p", "y")
    def branch(b: str) -> CDSView:
        return CDSView(filter=GroupFilter(column_name="branch", group=b))

    user_linear = [
        f_iso.scatter("p", "n", source=user_iso, view=branch("ads"), size=6, marker="square", color=PALETTE["extra"]),
        f_iso.scatter("p", "n", source=user_iso, view=branch("des"), size=7, marker="triangle",
                      color=PALETTE["extra"], fill_alpha=0.3),
    ]
    user_transform = [
        f_iso.scatter("p", "bet_y", source=user_iso, view=branch("ads"), size=6, marker="square",
                      color=PALETTE["extra"]),
        f_iso.line("p", "y", source=user_bet_fit, line_width=2, color=PALETTE["extra"], line_dash="dotdash"),
    ]
    user_items = {
        "linear": [LegendItem(label="your adsorption", renderers=[user_linear[0]], visible=False),
                   LegendItem(label="your desorption", renderers=[user_linear[1]], visible=False)],
        "bet": [LegendItem(label="your points", renderers=[user_transform[0]], visible=False),
                LegendItem(label="your BET fit", renderers=[user_transform[1]], visible=False)],
    }
    legends = {
        "linear": Legend(items=[LegendItem(label="adsorption", renderers=[linear[0]]),
                                LegendItem(label="desorption", renderers=[linear[1]]), *user_items["linear"]],
                         location="top_left", label_text_font_size="11px", spacing=0, padding=4),
        "bet": Legend(items=[LegendItem(label="adsorption points", renderers=[transform[0]]),
                             LegendItem(label="BET fit, Rouquerol range", renderers=[transform[1]]),
                             *user_items["bet"]],
                      location="top_left", label_text_font_size="11px", spacing=0, padding=4),
    }
    for legend in legends.values():
        f_iso.add_layout(legend)
    renderers = {"linear": [*linear, *user_linear, legends["linear"], gurvich],
                 "bet": [*transform, *user_transform, legends["bet"]]}

    # -- figure 2: pore-size distribution, simulated vs recovered by BJH from each branch --------------------
    psd_model = _empty("d", "dvdd")
    psd_ads = _empty("d", "dvdd")
    psd_des = _empty("d", "dvdd")
    f_psd = make_figure("Pore sizes: simulated vs recovered by BJH", "pore diameter (nm)",
                        "dV/dd (cm³ g⁻¹ nm⁻¹)", x_range=PSD_X_RANGE_NM, y_range=DataRange1d(start=0), height=350)
    r_model = f_psd.varea(x="d", y1=0, y2="dvdd", source=psd_model, fill_color=PALETTE["model"], fill_alpha=0.25)
    r_ads = f_psd.line("d", "dvdd", source=psd_ads, line_width=2, color=PALETTE["alt"])
    f_psd.scatter("d", "dvdd", source=psd_ads, size=4, color=PALETTE["alt"])
    r_des = f_psd.line("d", "dvdd", source=psd_des, line_width=2, color=PALETTE["highlight"], line_dash="dashed")
    f_psd.add_layout(Span(location=TARGET_PORE_NM, dimension="height", line_color=PALETTE["marker"],
                          line_dash="dashed"))
    r_target = f_psd.scatter([TARGET_PORE_NM], [0], marker="triangle", size=9, color=PALETTE["marker"])
    user_psd = _empty("d", "dvdd")
    user_psd_kjs = _empty("d", "dvdd")
    r_user = f_psd.line("d", "dvdd", source=user_psd, line_width=2, color=PALETTE["extra"], line_dash="dotdash")
    f_psd.scatter("d", "dvdd", source=user_psd, size=5, marker="square", color=PALETTE["extra"])
    r_user_kjs = f_psd.line("d", "dvdd", source=user_psd_kjs, line_width=2.5, color=PALETTE["extra"])
    user_items["psd"] = [LegendItem(label="your isotherm, classical BJH", renderers=[r_user], visible=False),
                         LegendItem(label="your isotherm, KJS-corrected BJH", renderers=[r_user_kjs], visible=False)]
    f_psd.add_layout(Legend(items=[
        *(LegendItem(label=label, renderers=[r]) for label, r in (
            ("simulated (model input)", r_model),
            ("BJH, adsorption branch", r_ads),
            ("BJH, desorption branch", r_des),
            (f"the paper's pore, {TARGET_PORE_NM:g} nm ({TARGET_DOT_NM:.1f} nm dots)", r_target))),
        *user_items["psd"],
    ], label_text_font_size="11px", spacing=0, padding=4), "below")  # below the plot: it hides no peak
    user_report = _empty(*ANALYSIS_COLUMNS)

    shown_view: list[str] = []
    shown_upload: list[int] = []
    user_words: dict[str, str] = {}

    def draw_user(out: Outcome) -> None:
        """Put the learner's isotherm, BET line and BJH distributions on the figures (or take them off)."""
        for items in user_items.values():
            for item in items:
                item.visible = out.result is not None
        if out.result is None:
            for src in (user_iso, user_bet_fit, user_psd, user_psd_kjs, user_report):
                src.data = {k: [] for k in src.data}
            user_words.clear()
            return
        iso, a = out.result.iso, out.result.analysis
        p = np.concatenate([iso.p_rel, iso.p_rel_des if iso.p_rel_des is not None else []])
        n = np.concatenate([iso.n_ads_mmol_g, iso.n_des_mmol_g if iso.n_des_mmol_g is not None else []])
        branch = ["ads"] * iso.p_rel.size + ["des"] * (p.size - iso.p_rel.size)
        bet_y = np.where((np.array(branch) == "ads") & (p <= BET_P_MAX), p / (n * (1 - p)), np.nan)
        user_iso.data = {"p": p, "n": n, "branch": branch, "bet_y": bet_y}
        lo, hi = a.bet.p_range
        slope = (a.bet.c_constant - 1) / (a.bet.n_monolayer_mmol_g * a.bet.c_constant)
        intercept = 1 / (a.bet.n_monolayer_mmol_g * a.bet.c_constant)
        user_bet_fit.data = {"p": [lo, hi], "y": [intercept + slope * lo, intercept + slope * hi]}
        user_psd.data = {"d": a.bjh.pore_diameter_nm, "dvdd": a.bjh.dv_dd}
        user_psd_kjs.data = {"d": a.bjh_kjs.pore_diameter_nm, "dvdd": a.bjh_kjs.dv_dd}
        user_report.data = analysis_rows(_report_rows(a))
        user_words["iso"] = (
            f" Your isotherm ({html.escape(out.name)}, purple squares for adsorption, triangles for desorption) "
            f"rises to {float(iso.n_ads_mmol_g[-1]):.2f} mmol/g; its BET area is {a.bet.area_m2_g:.0f} m²/g."
        )
        user_words["bet"] = (
            f" Your isotherm's transform (purple squares) is straight over p/p0 {lo:.3f} to {hi:.3f} (purple line): "
            f"C = {a.bet.c_constant:.0f}, BET area {a.bet.area_m2_g:.0f} m²/g."
        )
        user_words["psd"] = (
            f" Your isotherm's distributions (purple): classical BJH peaks at {a.bjh.peak_diameter_nm:.2f} nm "
            f"(dash-dot, squares), KJS-corrected at {a.bjh_kjs.peak_diameter_nm:.2f} nm (solid)."
        )

    def update(v: dict[str, Any]) -> str:
        out = controls["upload"].outcome(v["upload"], _analyse)  # first: a bad file raises before any figure changes
        tpl = msn.template_msn(v["n_carbons"], v["oil"], v["oil_pct"] / 100, v["time_h"], v["temp_C"] + 273.15,
                               check_pores=True)
        pore, particle = float(tpl.pore_diameter_nm), float(tpl.particle_diameter_nm)
        spread, vp = v["spread_pct"] / 100, v["volume"]
        a_ext = float(msn.particle_external_area_m2_g(particle, vp))
        kw = {"pore_volume_cm3_g": vp, "relative_spread": spread, "external_area_m2_g": a_ext}
        ads = msn.simulate_isotherm(pore, P_REL, branch="ads", **kw)
        des = msn.simulate_isotherm(pore, P_REL, branch="des", **kw)
        bet = msn.bet_area_m2_g(ads.p_rel, ads.n_ads_mmol_g)
        bjh_ads = msn.bjh_pore_distribution(ads.p_rel, ads.n_ads_mmol_g, "ads")
        bjh_des = msn.bjh_pore_distribution(des.p_rel, des.n_ads_mmol_g, "des")
        v_total = msn.total_pore_volume_cm3_g(ads.p_rel, ads.n_ads_mmol_g, GURVICH_P)
        loading = float(msn.max_cspbbr3_loading_g_g(v_total))

        p, n = ads.p_rel, ads.n_ads_mmol_g
        iso.data = {"p": p, "n_ads": n, "n_des": des.n_ads_mmol_g,
                    "bet_y": np.where(p <= BET_P_MAX, p / (n * (1 - p)), np.nan)}
        lo, hi = bet.p_range
        slope = (bet.c_constant - 1) / (bet.n_monolayer_mmol_g * bet.c_constant)
        intercept = 1 / (bet.n_monolayer_mmol_g * bet.c_constant)
        bet_fit.data = {"p": [lo, hi], "y": [intercept + slope * lo, intercept + slope * hi]}
        bet_box.left, bet_box.right = lo, hi
        if shown_upload != [out.version]:
            draw_user(out)
            shown_upload[:] = [out.version]
        if shown_view != [v["view"]]:
            _show_view(f_iso, renderers, v["view"])
            shown_view[:] = [v["view"]]
        d = pore * (1 + spread * PSD_Z)
        psd_model.data = {"d": d, "dvdd": msn.pore_volume_density_cm3_g_nm(d, pore, spread, vp)}
        psd_ads.data = {"d": bjh_ads.pore_diameter_nm, "dvdd": bjh_ads.dv_dd}
        psd_des.data = {"d": bjh_des.pore_diameter_nm, "dvdd": bjh_des.dv_dd}
        if v["view"] == "linear":
            describe_figure(f_iso, (
                f"Nitrogen taken up against relative pressure p/p0: the adsorption branch (blue, solid) rises "
                f"to {float(n[-1]):.1f} mmol/g; the steep step is the pores filling by capillary condensation, "
                f"and the desorption branch (vermillion, dashed) comes down at lower pressure, making the "
                f"hysteresis loop. The shaded band marks the BET range, p/p0 {lo:.3f} to {hi:.3f}: BET area "
                f"{bet.area_m2_g:.0f} m²/g. Dotted line: p/p0 = {GURVICH_P:g}, where the pore volume is read "
                f"({v_total:.2f} cm³/g)." + user_words.get("iso", "")
            ))
        else:
            describe_figure(f_iso, (
                f"The BET transform p/(n(1 - p)) against p/p0: the points fall on a straight line (green fit) "
                f"over the shaded range p/p0 {lo:.3f} to {hi:.3f}, {bet.n_points} points, R² = "
                f"{bet.r_squared:.4f}; its slope and intercept give C = {bet.c_constant:.0f} and the BET area "
                f"{bet.area_m2_g:.0f} m²/g." + user_words.get("bet", "")
            ))
        describe_figure(f_psd, (
            f"Pore-volume distributions against pore diameter: the simulated one (shaded) peaks at {pore:.2f} nm; "
            f"BJH recovers {bjh_ads.peak_diameter_nm:.2f} nm from the adsorption branch (vermillion, with "
            f"points) and {bjh_des.peak_diameter_nm:.2f} nm from the desorption branch (green, dashed). The "
            f"dashed line and triangle mark the paper's {TARGET_PORE_NM:g} nm pore." + user_words.get("psd", "")
        ))

        return (
            f"<b>Templated MSN:</b> pores {pore:.2f} nm, particles {particle:.0f} nm "
            f"(oil uptake {float(tpl.oil_uptake):.1f} volumes per tail volume).<br>"
            f"<b>BET area:</b> {bet.area_m2_g:.0f} m²/g (C = {bet.c_constant:.0f}, p/p0 {lo:.3f}-{hi:.3f}, "
            f"{bet.n_points} points, R² = {bet.r_squared:.4f}); the model's monolayer area is "
            f"{ads.monolayer_area_m2_g:.0f} m²/g, {a_ext:.0f} m²/g of it on the particles' outer surface.<br>"
            f"<b>BJH peak:</b> {bjh_ads.peak_diameter_nm:.2f} nm (adsorption), {bjh_des.peak_diameter_nm:.2f} nm "
            f"(desorption); simulated {pore:.2f} nm. These agree because the isotherm was made with the same "
            f"Kelvin equation BJH inverts; on a real silica, classical BJH reads a {pore:.1f} nm pore as "
            f"~{float(msn.classical_bjh_diameter_nm(pore)):.1f} nm, and the KJS-corrected method (calibrated on "
            f"MCM-41 against X-ray sizes) removes that bias.<br>"
            f"<b>Pore volume</b> (Gurvich, p/p0 = {GURVICH_P:g}): {v_total:.2f} cm³/g &rarr; <b>at most "
            f"{loading:.1f} g CsPbBr₃ per g silica</b> ({100 * loading / (1 + loading):.0f} wt% of the composite, "
            f"pores full of dense crystal).<br>"
            f"{_challenge(pore)}<br>"
            f"{out.failure_html()}{_user_html(out, pore)}"
            f"<i>Notice:</i> {_notice(pore, particle, a_ext, bet.area_m2_g, v['view'])}"
        )

    note = (
        "<p><b>Models (simplified).</b> Templating: " + html.escape(msn.TEMPLATING_NOTES) + "</p>"
        "<p>Isotherm: open cylindrical pores with a Gaussian size distribution, a Harkins-Jura film and capillary "
        "condensation at the film-corrected Kelvin pressure (cylindrical meniscus on adsorption, hemispherical on "
        "desorption). This is the classical picture BJH inverts, not a density-functional model: it has no "
        "micropores and gives hysteresis even below ~4 nm, where real N2 isotherms at 77 K are reversible. "
        "External area: smooth spheres of the particle size (dendritic particles have more).</p>"
        "<p>BET with the Rouquerol criteria; BJH with the meniscus that matches each branch; pore volume by the "
        "Gurvich rule; loading = pore volume &times; CsPbBr₃ density "
        f"({msn.CSPBBR3_DENSITY_G_CM3:.2f} g/cm³, crystallographic, to be checked), an upper bound. "
        "Small-pore bias of BJH: Kruk, Jaroniec, Sayari, Langmuir 13, 6267 (1997), doi:10.1021/la970776m "
        "(<code>qdpv.msn.classical_bjh_diameter_nm</code>).</p>"
        f"<p><b>The paper's numbers:</b> the medium MSN's ~{PAPER.medium_msn_pore_nm:g} nm pore and the "
        f"~{PAPER.bohr_size_nm_as_stated:g} nm Bohr size it is matched to. <b>Illustrative:</b> the small and "
        "large presets, all particle sizes, the pore-size spread and mesopore volume. Dots: the kit's one "
        "pore-to-dot rule (step 2, <code>qdpv.confinement.pore_to_dot_nm</code>: isometric crystals filling the "
        f"pore act like cubes of {float(pore_to_dot_nm(1.0)):.3f} &times; the pore). The presets' oil loadings "
        "are rounded to the slider's 1 % steps.</p>"
        "<p>References: Shen et al., Nano Lett. 14, 923 (2014); Thommes et al., Pure Appl. Chem. 87, "
        "1051 (2015); Brunauer, Emmett, Teller, JACS 60, 309 (1938); Rouquerol et al., Stud. Surf. Sci. Catal. "
        "160, 49 (2007); Barrett, Joyner, Halenda, JACS 73, 373 (1951). Paper: Xu et al., Adv. Mater. 2026, "
        "e73024.</p>"
    )
    return StepApp(
        title="MSN templating",
        controls=controls,
        figures=column(f_iso, f_psd),
        update=update,
        presets=PRESETS,
        quiz=QUIZ,
        csv_tables=[
            CsvTable("N2 isotherm at 77 K and BET transform", iso,
                     {"p": "p_rel", "n_ads": "n_adsorption_mmol_g", "n_des": "n_desorption_mmol_g",
                      "bet_y": "bet_transform_g_mmol"}),
            CsvTable("BET fit over the Rouquerol range", bet_fit, {"p": "p_rel", "y": "bet_transform_g_mmol"}),
            CsvTable("pore sizes, simulated", psd_model, {"d": "pore_diameter_nm", "dvdd": "dV_dd_cm3_g_nm"}),
            CsvTable("pore sizes, BJH adsorption", psd_ads, {"d": "pore_diameter_nm", "dvdd": "dV_dd_cm3_g_nm"}),
            CsvTable("pore sizes, BJH desorption", psd_des, {"d": "pore_diameter_nm", "dvdd": "dV_dd_cm3_g_nm"}),
            CsvTable(UPLOAD_TABLE, user_iso, {"p": "p_rel", "n": "n_mmol_g", "branch": "branch"}),
            CsvTable("your isotherm: analysis (qdpv.msn.analyse_isotherm)", user_report, ANALYSIS_COLUMNS),
            CsvTable("your isotherm: classical BJH, adsorption branch", user_psd,
                     {"d": "pore_diameter_nm", "dvdd": "dV_dd_cm3_g_nm"}),
            CsvTable("your isotherm: KJS-corrected BJH, adsorption branch", user_psd_kjs,
                     {"d": "pore_diameter_nm", "dvdd": "dV_dd_cm3_g_nm"}),
        ],
        csv_filename="qdpv_msn_templating.csv",
        model_note=note_html(note, TERMS),
    )


@dataclass(frozen=True)
class _UserIsotherm:
    """A learner's isotherm as read, its analysis, and what it implies for the dots."""

    iso: MeasuredIsotherm
    analysis: msn.IsothermAnalysis
    loading_g_g: float
    """Largest CsPbBr3 loading the pore volume holds (nan without a pore volume in the function's range)."""
    dot_nm: float
    """Dots the KJS-corrected peak pore would grow (nan outside the pore-to-dot rule's range)."""


def _analyse(file: IO[bytes]) -> _UserIsotherm:
    """Read a learner's isotherm and analyse it as a report would (qdpv.msn.analyse_isotherm)."""
    iso = read_isotherm(file)
    a = msn.analyse_isotherm(iso.p_rel, iso.n_ads_mmol_g, iso.p_rel_des, iso.n_des_mmol_g, GURVICH_P)
    volume, kjs = a.pore_volume_cm3_g, a.bjh_kjs.peak_diameter_nm
    loading = float(msn.max_cspbbr3_loading_g_g(volume)) if 0.0 <= volume <= MAX_POROUS_VOLUME_CM3_G else np.nan
    dot = float(pore_to_dot_nm(kjs)) if 0.0 < kjs <= DOT_RULE_MAX_PORE_NM else np.nan
    return _UserIsotherm(iso, a, loading, dot)


def _report_rows(a: msn.IsothermAnalysis) -> list[tuple[str, float, float, str]]:
    """The analysis as rows of the CSV download: (quantity, value, standard error or nan, unit)."""
    nan = float("nan")
    bet = a.bet
    rows = [
        ("BET area", bet.area_m2_g, bet.area_se_m2_g, "m2/g"),
        ("BET area, smallest over valid windows", bet.area_range_m2_g[0], nan, "m2/g"),
        ("BET area, largest over valid windows", bet.area_range_m2_g[1], nan, "m2/g"),
        ("BET C", bet.c_constant, bet.c_constant_se, ""),
        ("BET monolayer amount", bet.n_monolayer_mmol_g, bet.n_monolayer_se_mmol_g, "mmol/g"),
        ("BET range, lowest p/p0", bet.p_range[0], nan, ""),
        ("BET range, highest p/p0", bet.p_range[1], nan, ""),
        ("BET points", bet.n_points, nan, ""),
        ("BET R^2", bet.r_squared, nan, ""),
        *((f"Rouquerol criterion {i} met (1 yes, 0 no)", float(ok), nan, "") for i, ok in enumerate(bet.criteria, 1)),
        ("BJH peak, classical, adsorption", a.bjh.peak_diameter_nm, nan, "nm"),
        ("BJH peak step, classical, low", a.bjh.peak_range_nm[0], nan, "nm"),
        ("BJH peak step, classical, high", a.bjh.peak_range_nm[1], nan, "nm"),
        ("BJH peak, KJS-corrected, adsorption", a.bjh_kjs.peak_diameter_nm, nan, "nm"),
        ("BJH peak step, KJS-corrected, low", a.bjh_kjs.peak_range_nm[0], nan, "nm"),
        ("BJH peak step, KJS-corrected, high", a.bjh_kjs.peak_range_nm[1], nan, "nm"),
    ]
    if a.bjh_des is not None:
        rows.append(("BJH peak, classical, desorption", a.bjh_des.peak_diameter_nm, nan, "nm"))
    rows += [
        ("total pore volume (Gurvich)", a.pore_volume_cm3_g, nan, "cm3/g"),
        ("total pore volume, at the measured point below", a.pore_volume_range_cm3_g[0], nan, "cm3/g"),
        ("total pore volume, at the measured point above", a.pore_volume_range_cm3_g[1], nan, "cm3/g"),
        ("p/p0 of the pore volume", a.pore_volume_p_at, nan, ""),
    ]
    return rows


def _user_html(out: Outcome, model_pore_nm: float) -> str:
    """The learner's isotherm in the results text: BET with its report, BJH both ways, pore volume ("" if none)."""
    if out.result is None:
        return ""
    iso, a = out.result.iso, out.result.analysis
    bet = a.bet
    met = [str(i) for i, ok in enumerate(bet.criteria, 1) if ok]
    missed = [str(i) for i, ok in enumerate(bet.criteria, 1) if not ok]
    criteria = ("all four met" if not missed else
                f"met: {', '.join(met) or 'none'}; <b>not met: {', '.join(missed)}</b>")
    lo, hi = bet.area_range_m2_g
    branches = f"{iso.p_rel.size} adsorption" + (f" and {iso.p_rel_des.size} desorption" if iso.p_rel_des is not None
                                                   else "") + " points"
    source = "the kit's example, a real MCM-41" if out.example else "your file"
    read = f"; read as {html.escape('; '.join(iso.conversions))}" if iso.conversions else ""
    caution = ""
    if (iso.adsorptive and iso.adsorptive.strip().lower() not in ("n2", "nitrogen")) or (
            iso.temperature_K is not None and not 70.0 <= iso.temperature_K <= 90.0):
        caution = (f" <b>Caution:</b> the file says {html.escape(iso.adsorptive or 'a gas')} at "
                   f"{iso.temperature_K or float('nan'):g} K; these analyses hold for N2 at 77 K only.")
    des = (f"; desorption branch {a.bjh_des.peak_diameter_nm:.2f} nm" if a.bjh_des is not None else "")
    volume = (
        f"<b>Pore volume</b> (Gurvich, p/p0 = {a.pore_volume_p_at:g}): {a.pore_volume_cm3_g:.3f} cm³/g "
        f"({a.pore_volume_range_cm3_g[0]:.3f}-{a.pore_volume_range_cm3_g[1]:.3f} at the measured points around it) "
        f"&rarr; at most {out.result.loading_g_g:.2f} g CsPbBr₃ per g."
        if np.isfinite(a.pore_volume_cm3_g) else "<b>Pore volume:</b> the data stop below p/p0 = 0.8.")
    kjs = a.bjh_kjs.peak_diameter_nm
    return (
        f"<b>Your isotherm</b> ({html.escape(out.name)}, {source}; {branches}{read}):{caution} "
        f"<b>BET area {plus_minus(bet.area_m2_g, bet.area_se_m2_g, 'm²/g')}</b>, "
        f"C = {plus_minus(bet.c_constant, bet.c_constant_se)} (p/p0 {bet.p_range[0]:.3f}-{bet.p_range[1]:.3f}, "
        f"{bet.n_points} points, R² = {bet.r_squared:.4f}); Rouquerol criteria {criteria}; every valid window "
        f"gives {lo:.0f}-{hi:.0f} m²/g. <b>BJH peak</b> (adsorption): classical {a.bjh.peak_diameter_nm:.2f} nm "
        f"(its step {a.bjh.peak_range_nm[0]:.2f}-{a.bjh.peak_range_nm[1]:.2f} nm), <b>KJS-corrected {kjs:.2f} nm</b> "
        f"({a.bjh_kjs.peak_range_nm[0]:.2f}-{a.bjh_kjs.peak_range_nm[1]:.2f} nm){des}. {volume} "
        f"The model's pores: {model_pore_nm:.2f} nm; yours (KJS) {kjs:.2f} nm"
        + (f", which would grow ~{out.result.dot_nm:.1f} nm dots" if np.isfinite(out.result.dot_nm) else "")
        + ".<br>"
    )


def _empty(*columns: str) -> ColumnDataSource:
    """An empty source with these columns (filled by ``update``)."""
    return ColumnDataSource({c: [] for c in columns})


def _show_view(fig: Any, renderers: dict[str, list[Any]], view: str) -> None:
    """Show one view of figure 1 (its renderers, legend, title, axis labels and x range), hide the other."""
    for name, items in renderers.items():
        for item in items:
            item.visible = name == view
    title, x_label, y_label, (x0, x1) = VIEWS[view]
    fig.title.text = wrap_title(title)
    fig.xaxis.axis_label = wrap_title(x_label)
    fig.yaxis.axis_label = wrap_title(y_label)
    fig.x_range.start, fig.x_range.end = x0, x1


def _challenge(pore_nm: float) -> str:
    """The challenge line: do these pores grow the dots of the paper's best pores (near the Bohr size)?"""
    dot = float(pore_to_dot_nm(pore_nm))
    off = dot - TARGET_DOT_NM
    head = (f"<b>Challenge</b> (grow the {TARGET_DOT_NM:.1f} nm dots of the paper's ~{TARGET_PORE_NM:g} nm pores, "
            f"which it matched to the ~{BOHR_DIAMETER_NM:g} nm Bohr size): these pores grow ~{dot:.1f} nm dots, ")
    if abs(off) <= CHALLENGE_TOLERANCE * TARGET_DOT_NM:
        return head + f"within {abs(off):.2f} nm of the target. <b>Matched</b>, like the paper's medium MSN."
    hint = "less oil or a weaker-swelling oil" if off > 0 else "more oil or a stronger-swelling oil"
    side = "too large" if off > 0 else "too small"
    return head + f"{abs(off):.1f} nm ({abs(off) / TARGET_DOT_NM:.0%}) {side}: try {hint}."


def _notice(pore_nm: float, particle_nm: float, a_ext_m2_g: float, bet_m2_g: float, view: str) -> str:
    """One sentence on what to look at, chosen from the current state."""
    if view == "bet":
        return (
            "the BET transform is a straight line only over a short range; the Rouquerol criteria pick it "
            "(shaded), and its slope and intercept give the monolayer amount and C."
        )
    if pore_nm < 4.0:
        return (
            "small pores fill at low p/p0, close to the BET range, and have a large area; real N2 isotherms "
            "of pores this small show no hysteresis loop, so the loop drawn here is an artefact of the model."
        )
    if a_ext_m2_g > 0.2 * bet_m2_g:
        return (
            f"the particles are small ({particle_nm:.0f} nm): their outer surface adds {a_ext_m2_g:.0f} m²/g, "
            "a sizeable part of the BET area that no pore provides."
        )
    if pore_nm > 11.0:
        return (
            "large pores fill only near saturation: the condensation step moves to high p/p0 and the area "
            "falls, while the pore volume (and the CsPbBr₃ it can hold) stays."
        )
    return (
        "the condensation step's position gives the pore size (Kelvin), its height the pore volume; the "
        "desorption branch empties at lower p/p0 (hysteresis). BJH on either branch finds the simulated pore "
        "only because the same Kelvin picture made the isotherm: on real silica it reads small pores low."
    )
