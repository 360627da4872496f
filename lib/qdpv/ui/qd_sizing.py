"""Step 2 app: pore size -> dot-size distribution -> band gap -> PL colour, against the exciton Bohr size."""

from __future__ import annotations

import html
import math
from dataclasses import dataclass
from typing import IO, Any

import numpy as np
from bokeh.models import ColumnDataSource, CustomJSTickFormatter, FixedTicker, Legend, LegendItem, LinearAxis, Range1d

from .. import confinement as conf
from ..datasets import example_file, load_table
from ..io import MeasuredSpectrum, read_spectrum_csv
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
)
from .kit.ahead import built_ahead

MATERIAL = CsPbBr3
N_DOTS = 2000  # dots drawn for the histogram (fixed seed, so the same settings give the same picture)
CURVE_SIZES_NM = np.linspace(2.5, 20.0, 176)
ENERGY_GRID_EV = np.linspace(2.2, 3.2, 501)
Y_RANGE_EV = (2.2, 3.3)
MODEL_LABELS = {"intermediate": "Kane + intermediate confinement (default)", "brus": "Brus (textbook)"}
STOKES_SHIFT_MEV = 30.0  # PL below the absorption transition, the spectra's and a PL upload's (illustrative)
# the learner's own spectrum: the CSV table that holds it as read (uploading the app's download reads it back)
UPLOAD_TABLE = "your spectrum, as read (energy axis)"
UPLOAD_FORMATS = (
    "A CSV with the wavelength (nm) or photon energy (eV) and the PL intensity or the absorbance, named in a header "
    "(e.g. <i>wavelength (nm), PL (counts)</i>) or as two columns without one. One peak inside the range."
)
# the smallest pore whose isometric crystals the default gap model still describes (3.2 nm: 3.03 nm dots); a
# short crystal (length / pore below 1) or the Brus model can still leave the model's range, and the message
# then says which knob to move, and which way
PORE_MIN_NM = math.ceil(10 * conf.validity_range_nm()[0] / float(conf.pore_to_dot_nm(1.0))) / 10

PRESETS = {
    "paper: medium MSN (~8 nm pores)": {"pore_nm": PAPER.medium_msn_pore_nm, "spread_nm": 0.8, "aspect": 1.0},
    "small pores, 4 nm (illustrative)": {"pore_nm": 4.0, "spread_nm": 0.5, "aspect": 1.0},
    "large pores, 12 nm (illustrative)": {"pore_nm": 12.0, "spread_nm": 1.2, "aspect": 1.0},
}

# the terms of qdpv.ui.glossary this app's texts use, explained under its figures
TERMS = ("MSN", "TEM", "perovskite", "CsPbBr3", "quantum dot", "exciton", "Bohr diameter", "confinement",
         "Brus model", "Kane model", "band gap", "PL", "FWHM", "Stokes shift", "phenomenological", "illustrative")

QUIZ = Quiz(
    question=(
        "The paper matches its ~8 nm pores to the CsPbBr3 exciton Bohr size of 'about 7 nm'. "
        "Which length is 7 nm?"
    ),
    options=[
        "The exciton Bohr radius",
        "The exciton Bohr diameter",
        "The lattice constant of CsPbBr3",
        "The size of the pores the paper found best",
    ],
    answer=1,
    explanation=(
        "Protesescu et al. (2015) list a Bohr diameter of 7 nm for CsPbBr3, so the radius is about 3.5 nm. "
        "A 7 nm dot is as wide as the exciton, which is why it sits between strong and weak confinement."
    ),
    why_wrong=[
        "The figure's legend gives the Bohr radius of CsPbBr3: compare it with 7 nm.",
        "",
        "A lattice constant is the size of one unit cell, about 0.6 nm for CsPbBr3: ten times too small.",
        "The paper's best pores are about 8 nm wide; the 7 nm is a property of the crystal, not of the silica.",
    ],
)


def _measured_points() -> tuple[dict[str, np.ndarray], str]:
    table = load_table("cspbbr3_sizing")
    cols = table.columns
    data = {"size": cols["size_nm"], "energy": cols["energy_eV"], "kind": cols["kind"], "ref": cols["source"]}
    return data, table.source


@built_ahead
def build() -> StepApp:
    """Build the QD-sizing app (controls, figures, texts) and compute its first state."""
    controls = {
        "pore_nm": slider("Mean pore diameter", "nm", PAPER.medium_msn_pore_nm, PORE_MIN_NM, 15.0, 0.1, ".1f"),
        "spread_nm": slider("Pore-size spread (s.d.)", "nm", 0.8, 0.1, 3.0, 0.1, ".1f"),
        "aspect": slider("Crystal length / pore diameter", "", 1.0, 0.5, 4.0, 0.05, ".2f"),
        "shape": dropdown("Dot shape", ["cube", "sphere"], "cube"),
        "model": dropdown(
            "Gap model for spectra", [(label, key) for key, label in MODEL_LABELS.items()], conf.DEFAULT_MODEL
        ),
        "upload": Upload("spectrum", formats=UPLOAD_FORMATS, table=UPLOAD_TABLE, example=example_file("spectrum")),
    }

    # -- one figure: dot sizes (bottom band) -> gap-vs-size curves -> the ensemble's spectra (right band) -----
    # The three share axes: the size axis links the size histogram to the curves, the energy axis links the
    # curves to the spectra. One figure also because every Bokeh figure costs ~25-35 ms to repaint in the
    # browser and a slider must answer in under 100 ms (docs/performance.md).
    hist = ColumnDataSource({"left": [], "right": [], "density": []})
    pdf = ColumnDataSource({"size": [], "pdf": []})
    curves = ColumnDataSource({"size": [], "intermediate": [], "brus": []})
    mean_pt = ColumnDataSource({"size": [], "gap": []})
    measured, measured_source = _measured_points()
    points = ColumnDataSource(measured)
    spec = ColumnDataSource({"energy": [], "wavelength": [], "pl": [], "absorption": []})
    fig = make_figure(
        "Dot sizes (bottom) -> gap of each size -> PL and absorption (right)",
        "dot size (nm)", "photon energy (eV)", x_range=(2.5, 20), y_range=Y_RANGE_EV, height=600,
    )
    # the size histogram fills the lowest ~30 % of the plot; the spectra the right ~25 %, intensity leftwards
    fig.extra_y_ranges = {"pdf": Range1d(0, 1.0)}
    fig.extra_x_ranges = {"spectrum": Range1d(4.0, 0.0)}
    r_hist = fig.quad(left="left", right="right", top="density", bottom=0, source=hist, y_range_name="pdf",
                      fill_color=PALETTE["model"], fill_alpha=0.2, line_color="white")
    fig.line("size", "pdf", source=pdf, y_range_name="pdf", line_width=1.5, color=PALETTE["model"], alpha=0.6)
    r_int = fig.line("size", "intermediate", source=curves, line_width=2.5, color=PALETTE["model"])
    r_brus = fig.line("size", "brus", source=curves, line_width=2, color=PALETTE["alt"], line_dash="dashed")
    r_meas = fig.scatter("size", "energy", source=points, size=7, color=PALETTE["data"], marker="circle")
    r_mean = fig.scatter("size", "gap", source=mean_pt, size=12, marker="diamond", color=PALETTE["highlight"])
    pl_area = fig.harea(y="energy", x1=0, x2="pl", source=spec, x_range_name="spectrum", fill_color="#00ff00",
                        fill_alpha=0.8)
    r_abs = fig.line("absorption", "energy", source=spec, x_range_name="spectrum", color=PALETTE["data"],
                     line_width=1.5)
    d_bohr = 2 * conf.bohr_radius_nm(MATERIAL)
    bohr = fig.segment(x0=[d_bohr, d_bohr / 2], x1=[d_bohr, d_bohr / 2], y0=Y_RANGE_EV[0], y1=Y_RANGE_EV[1],
                       line_color=PALETTE["marker"], line_dash="dashed")
    bulk = fig.segment(x0=2.5, x1=20, y0=MATERIAL.band_gap_eV, y1=MATERIAL.band_gap_eV,
                       line_color=PALETTE["marker"], line_dash="dotted")
    # wavelengths on the right axis, at the energies of round wavelengths (lambda = hc / E)
    ticks_ev = (conf.HC_EV_NM / np.arange(380, 600, 20)).tolist()
    fig.add_layout(LinearAxis(axis_label="wavelength (nm)", ticker=FixedTicker(ticks=ticks_ev),
                              formatter=CustomJSTickFormatter(code=f"return ({conf.HC_EV_NM} / tick).toFixed(0);")),
                   "right")
    # the learner's spectrum (scaled to 1, on the spectra's axis) and the dot size its peak implies, with the range
    # across its half-maximum width
    user_spec = ColumnDataSource({"energy": [], "emission": [], "absorbance": [], "norm": []})
    user_dot = ColumnDataSource({"size": [], "energy": [], "lo": [], "hi": []})
    r_user_spec = fig.line("norm", "energy", source=user_spec, x_range_name="spectrum", color=PALETTE["extra"],
                           line_width=2, line_dash="dotdash")
    fig.segment(x0="lo", x1="hi", y0="energy", y1="energy", source=user_dot, color=PALETTE["extra"], line_width=4,
                alpha=0.5)
    r_user_dot = fig.scatter("size", "energy", source=user_dot, marker="square", size=11, color=PALETTE["extra"])
    user_items = [LegendItem(label="your spectrum (scaled)", renderers=[r_user_spec], visible=False),
                  LegendItem(label="your dots: size from your peak, bar: half-maximum range", renderers=[r_user_dot],
                             visible=False)]
    fig.add_layout(Legend(items=[
        *(LegendItem(label=label, renderers=[r]) for label, r in (
            (MODEL_LABELS["intermediate"], r_int),
            (MODEL_LABELS["brus"], r_brus),
            ("literature points, model-sized (see note)", r_meas),
            ("mean dot, chosen model", r_mean),
            (f"dot sizes, {N_DOTS} simulated (relative)", r_hist),
            (f"Bohr diameter {d_bohr:g} nm and radius {d_bohr / 2:g} nm", bohr),
            (f"bulk {MATERIAL.name} gap", bulk),
            ("ensemble PL, in its colour", pl_area),
            ("absorption (scaled)", r_abs))),
        *user_items,
    ], label_text_font_size="11px", spacing=0, padding=4), "below")  # below the plot: it hides no curve or marker
    user_report = ColumnDataSource({k: [] for k in ANALYSIS_COLUMNS})

    shown_shape: list[str] = []  # the shape whose model curves are on screen (they change only with it)
    shown_upload: list[int] = []

    def draw_user(out: Outcome) -> None:
        """Put the learner's spectrum and implied dot on the figure (or take them off)."""
        for item in user_items:
            item.visible = out.result is not None
        if out.result is None:
            for src in (user_spec, user_dot, user_report):
                src.data = {k: [] for k in src.data}
            return
        spectrum, peak = out.result.spectrum, out.result.peak
        y = spectrum.signal_energy
        nan = np.full(y.size, np.nan)
        user_spec.data = {"energy": spectrum.energy_eV, "emission": y if spectrum.kind == "emission" else nan,
                          "absorbance": y if spectrum.kind == "absorbance" else nan, "norm": y / y.max()}
        found = np.isfinite(peak.size_nm)
        user_dot.data = {"size": [peak.size_nm] if found else [], "energy": [peak.transition_eV] if found else [],
                         "lo": [peak.size_range_nm[0]] if found else [], "hi": [peak.size_range_nm[1]] if found else []}
        user_report.data = analysis_rows(_report_rows(out.result))

    def update(v: dict[str, Any]) -> str:
        model, shape = v["model"], v["shape"]
        # first: a bad file raises before any figure changes
        out = controls["upload"].outcome(v["upload"], lambda file: _analyse(file, shape, model), (shape, model))
        dist = conf.dot_size_distribution(v["pore_nm"], v["spread_nm"], aspect=v["aspect"])
        try:
            conf.check_validity(dist.mean_nm, model, MATERIAL, name="the mean dot size")
        except ValueError as exc:
            raise ValueError(f"{exc}. {_dot_advice(dist.mean_nm, model)}") from None
        sizes = conf.sample_dot_sizes(v["pore_nm"], v["spread_nm"], N_DOTS, seed=1, aspect=v["aspect"])
        density, edges = np.histogram(sizes, bins=30, density=True)
        sp = conf.ensemble_spectra(dist.size_nm, dist.pdf_per_nm, ENERGY_GRID_EV, stokes_shift_meV=STOKES_SHIFT_MEV,
                                   material=MATERIAL, shape=shape, model=model)
        gap_mean = float(conf.band_gap_eV(dist.mean_nm, MATERIAL, shape, model))
        colour = str(conf.wavelength_to_hex(sp.pl_peak_nm))

        if shown_upload != [out.version]:  # after every check that may raise: a refused setting changes no figure
            draw_user(out)
            shown_upload[:] = [out.version]
        hist.data = {"left": edges[:-1], "right": edges[1:], "density": density}
        fig.extra_y_ranges["pdf"].end = 3.3 * max(float(density.max()), float(dist.pdf_per_nm.max()))
        pdf.data = {"size": dist.size_nm, "pdf": dist.pdf_per_nm}
        if shown_shape != [shape]:
            curves.data = {
                "size": CURVE_SIZES_NM,
                "intermediate": conf.band_gap_eV(CURVE_SIZES_NM, MATERIAL, shape, "intermediate"),
                "brus": conf.band_gap_eV(CURVE_SIZES_NM, MATERIAL, shape, "brus"),
            }
            shown_shape[:] = [shape]
        mean_pt.data = {"size": [dist.mean_nm], "gap": [gap_mean]}
        spec.data = {"energy": sp.energy_eV, "wavelength": conf.wavelength_nm(sp.energy_eV), "pl": sp.pl,
                     "absorption": sp.absorption}
        pl_area.glyph.fill_color = colour

        ratio = dist.mean_nm / d_bohr
        regime = str(conf.confinement_regime(dist.mean_nm, MATERIAL))
        other = "brus" if model == "intermediate" else "intermediate"
        gap_other = float(conf.band_gap_eV(dist.mean_nm, MATERIAL, shape, other))
        ends = [float(curves.data[model][0]), float(curves.data[model][-1])]
        describe_figure(fig, (
            f"Band gap against dot size ({shape}s): the {MODEL_LABELS[model]} curve falls from {ends[0]:.2f} eV "
            f"at {CURVE_SIZES_NM[0]:g} nm to {ends[1]:.2f} eV at {CURVE_SIZES_NM[-1]:g} nm, towards the bulk gap "
            f"of {MATERIAL.band_gap_eV:.2f} eV (dotted line); the other model gives {gap_other:.3f} eV for the "
            f"mean dot. The mean dot (diamond), {dist.mean_nm:.2f} nm, sits at {gap_mean:.3f} eV, {ratio:.2f} "
            f"times the Bohr diameter of {d_bohr:g} nm (dashed line; a second one marks the radius). The "
            f"histogram along the bottom shows the dot sizes, {dist.mean_nm:.2f} plus or minus {dist.sd_nm:.2f} "
            f"nm. On the right, the ensemble's PL band peaks at {sp.pl_peak_nm:.0f} nm ({sp.pl_peak_eV:.3f} eV), "
            f"{sp.pl_fwhm_meV:.0f} meV wide, next to its absorption edge. Black dots: literature points."
            + _user_words(out)
        ))
        return (
            f"<b>Dots:</b> {dist.mean_nm:.2f} &plusmn; {dist.sd_nm:.2f} nm ({shape}), "
            f"{ratio:.2f} &times; the Bohr diameter ({d_bohr:g} nm) &rarr; <b>{regime} confinement</b>.<br>"
            f"<b>Gap of the mean dot:</b> {gap_mean:.3f} eV ({MODEL_LABELS[model]}); "
            f"the other model gives {gap_other:.3f} eV; bulk {MATERIAL.name}: {MATERIAL.band_gap_eV:.2f} eV.<br>"
            f"<b>Ensemble PL:</b> peak {sp.pl_peak_nm:.0f} nm ({sp.pl_peak_eV:.3f} eV), FWHM "
            f"{sp.pl_fwhm_meV:.0f} meV <span style='display:inline-block;width:1.2em;height:0.9em;"
            f"background:{colour};border:1px solid #999;vertical-align:middle' title='PL colour'></span><br>"
            f"{out.failure_html()}{_user_html(out, dist.mean_nm, shape, model)}"
            f"<i>Notice:</i> {_notice(ratio, v['spread_nm'], gap_mean - gap_other)}"
        )

    note = (
        "<p><b>Models (simplified).</b> Gap: " + html.escape(conf.MODELS["intermediate"]["description"]) + " "
        "Brus: " + html.escape(conf.MODELS["brus"]["description"]) + "</p>"
        "<p>Pore &rarr; dot (the rule every app uses, qdpv.confinement.pore_to_dot_nm): the crystal fills the pore's "
        "cross-section (nanocrystals grown in mesoporous silica take the pore's size: Malgras et al., J. Am. Chem. "
        "Soc. 138, 13874 (2016), doi:10.1021/jacs.6b05608) and is as long as the slider says; it is drawn as the "
        f"cube of equal confinement energy: an isometric crystal in a {PAPER.medium_msn_pore_nm:g} nm pore acts "
        f"like a {float(conf.pore_to_dot_nm(PAPER.medium_msn_pore_nm)):.1f} nm cube, a long rod like a "
        f"{float(conf.pore_to_dot_nm(PAPER.medium_msn_pore_nm, 100.0)):.1f} nm cube. The crystal length is an "
        "assumption (1 = isometric). Pore spreads and presets other than the paper's 8 nm are illustrative.</p>"
        "<p>Spectra: Gaussian lines of 70 meV FWHM and a 30 meV Stokes shift (illustrative) summed over the size "
        "distribution.</p><p>Exciton parameters: Yang et al., ACS Energy Lett. 2, 1621 (2017), "
        "doi:10.1021/acsenergylett.7b00414; reported Bohr diameter: Protesescu et al., Nano Lett. 15, 3692 "
        f"(2015), doi:10.1021/nl5048779. Grey points: {html.escape(measured_source)}; <b>not an independent "
        "test</b> (their sizes were estimated by their authors with an effective-mass model); the kit has no "
        "TEM-sized data set yet. Paper: Xu et al., Adv. Mater. 2026, e73024, doi:10.1002/adma.73024.</p>"
    )
    return StepApp(
        title="QD sizing",
        controls=controls,
        figures=fig,
        update=update,
        presets=PRESETS,
        quiz=QUIZ,
        csv_tables=[
            CsvTable("dot-size histogram", hist, {"left": "bin_left_nm", "right": "bin_right_nm",
                                                 "density": "density_per_nm"}),
            CsvTable("dot-size distribution", pdf, {"size": "size_nm", "pdf": "pdf_per_nm"}),
            CsvTable("gap vs size (models)", curves, {"size": "size_nm", "intermediate": "E_intermediate_eV",
                                                      "brus": "E_brus_eV"}),
            CsvTable("measured points", points, {"size": "size_nm", "energy": "energy_eV", "kind": "kind",
                                                 "ref": "source"}),
            CsvTable("ensemble spectra", spec, {"energy": "energy_eV", "wavelength": "wavelength_nm", "pl": "pl_norm",
                                                "absorption": "absorption_norm"}),
            CsvTable(UPLOAD_TABLE, user_spec, {"energy": "energy_eV", "emission": "emission_per_eV",
                                               "absorbance": "absorbance"}),
            CsvTable("your spectrum: analysis (qdpv.confinement.spectrum_peak)", user_report, ANALYSIS_COLUMNS),
        ],
        csv_filename="qdpv_qd_sizing.csv",
        model_note=note_html(note, TERMS),
    )


@dataclass(frozen=True)
class _UserSpectrum:
    """A learner's spectrum as read and its peak analysis."""

    spectrum: MeasuredSpectrum
    peak: conf.SpectrumPeak
    stokes_shift_meV: float


def _analyse(file: IO[bytes], shape: str, model: str) -> _UserSpectrum:
    """Read a learner's spectrum and find its peak, width and the dot size it implies (qdpv.confinement)."""
    spectrum = read_spectrum_csv(file)
    shift = STOKES_SHIFT_MEV if spectrum.kind == "emission" else 0.0  # PL sits below the absorption transition
    peak = conf.spectrum_peak(spectrum.energy_eV, spectrum.signal_energy, MATERIAL, shape, model, shift)
    return _UserSpectrum(spectrum, peak, shift)


def _report_rows(u: _UserSpectrum) -> list[tuple[str, float, float, str]]:
    """The analysis as rows of the CSV download: (quantity, value, standard error or nan, unit)."""
    nan = float("nan")
    p = u.peak
    return [
        ("peak energy", p.peak_eV, p.peak_se_eV, "eV"),
        ("peak wavelength", p.peak_nm, nan, "nm"),
        ("FWHM", p.fwhm_meV, nan, "meV"),
        ("half maximum, low energy", p.half_max_eV[0], nan, "eV"),
        ("half maximum, high energy", p.half_max_eV[1], nan, "eV"),
        ("Stokes shift assumed", u.stokes_shift_meV, nan, "meV"),
        ("transition (peak + Stokes shift)", p.transition_eV, nan, "eV"),
        (f"dot size ({p.model})", p.size_nm, p.size_se_nm, "nm"),
        ("dot size at the high-energy half maximum", p.size_range_nm[0], nan, "nm"),
        ("dot size at the low-energy half maximum", p.size_range_nm[1], nan, "nm"),
        *((f"dot size ({name})", size, nan, "nm") for name, size in p.size_by_model_nm.items()),
        ("outside the model's validity (1 yes, 0 no)", float(p.outside_validity), nan, ""),
    ]


def _user_html(out: Outcome, model_dot_nm: float, shape: str, model: str) -> str:
    """The learner's spectrum in the results text: peak, width, implied dot size and its range ("" if none)."""
    if out.result is None:
        return ""
    s, p = out.result.spectrum, out.result.peak
    source = "the kit's example, SYNTHETIC" if out.example else "your file"
    span = (f"{s.wavelength_nm[0]:.0f}-{s.wavelength_nm[-1]:.0f} nm" if s.axis_unit == "nm" else
            f"{s.energy_eV[0]:.3f}-{s.energy_eV[-1]:.3f} eV")
    shift = (f"+ {out.result.stokes_shift_meV:g} meV Stokes shift (the app's, illustrative) = "
             if out.result.stokes_shift_meV else "")
    head = (
        f"<b>Your spectrum</b> ({html.escape(out.name)}, {source}; {s.kind}, {s.energy_eV.size} points, {span}): "
        f"peak <b>{plus_minus(p.peak_eV, p.peak_se_eV, 'eV')}</b> ({p.peak_nm:.1f} nm), FWHM "
        + (f"{p.fwhm_meV:.0f} meV" if np.isfinite(p.fwhm_meV) else "not measured (a half-maximum crossing is "
           "outside the data)")
        + f"; {shift}transition {p.transition_eV:.3f} eV &rarr; "
    )
    if not np.isfinite(p.size_nm):
        return head + (f"no {shape} of {MATERIAL.name} has this transition in the {MODEL_LABELS[model]} model: the "
                       "peak lies beyond its reach (below the bulk gap, or above the smallest dot).<br>")
    lo, hi = p.size_range_nm
    others = "; ".join(f"{MODEL_LABELS[k].split(' (')[0]}: {size:.2f} nm" for k, size in p.size_by_model_nm.items()
                       if k != model)
    caution = " <b>Caution:</b> outside this model's validity range." if p.outside_validity else ""
    diff = p.size_nm - model_dot_nm
    compare = ("as large" if abs(diff) < 0.005 else
               f"{abs(diff):.2f} nm {'larger' if diff > 0 else 'smaller'}")
    return head + (
        f"<b>dots of {plus_minus(p.size_nm, p.size_se_nm, 'nm')}</b> ({shape}s, {MODEL_LABELS[model]}){caution}; "
        f"{lo:.2f}-{hi:.2f} nm across the half-maximum width (were all of it size spread: an upper bound); "
        f"{others}. The model's mean dot here (diamond): {model_dot_nm:.2f} nm; yours are {compare}.<br>"
    )


def _user_words(out: Outcome) -> str:
    """The learner's spectrum in the figure's text alternative ("" if none)."""
    if out.result is None:
        return ""
    p = out.result.peak
    dot = (f" The dot size it implies, {p.size_nm:.2f} nm, is the purple square at {p.transition_eV:.3f} eV, its bar "
           f"the sizes from {p.size_range_nm[0]:.2f} to {p.size_range_nm[1]:.2f} nm across the half-maximum width."
           if np.isfinite(p.size_nm) else "")
    return f" Your spectrum (purple, dash-dot, on the right) peaks at {p.peak_eV:.3f} eV.{dot}"


def _dot_advice(mean_nm: float, model: str) -> str:
    """Which knobs bring a mean dot size outside the model's validity range back into it, and which way."""
    if mean_nm < conf.validity_range_nm(model, MATERIAL)[0]:
        return "Raise the pore diameter or the crystal length"
    other = ", or choose the Kane + intermediate model" if model == "brus" else ""
    return f"Lower the pore diameter or the crystal length{other}"


def _notice(ratio: float, spread_nm: float, model_gap_diff_eV: float) -> str:
    """One sentence on what to look at, chosen from the current state."""
    if ratio < 0.8:
        return (
            "the dots are smaller than the exciton: confinement pushes the gap up and the two models part "
            f"ways ({abs(model_gap_diff_eV) * 1000:.0f} meV apart here); Brus over-confines small dots."
        )
    if ratio > 1.5:
        return "the dots are much larger than the exciton: the gap approaches the bulk value and sizes barely matter."
    if spread_nm > 1.5:
        return "a broad pore distribution broadens the PL line: size control is colour purity."
    return (
        "the dots are about as wide as the exciton (the paper's design point): small changes in pore size "
        "still move the colour, and the size spread sets the PL width."
    )
