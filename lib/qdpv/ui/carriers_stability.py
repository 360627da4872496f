"""Step 5 app: PL decays (lifetimes), thermal quenching (activation energy) and ageing (T80 from two points).

Three panels, each driven only by its own controls: a slider repaints at most two figures (ageing: 1;
TRPL decay + residuals: 2; thermal quenching: 1), and every fit is cached by the settings it depends on, so
moving an ageing slider never refits a decay. Each panel takes the learner's own file (ageing data, a TCSPC
decay, PL versus temperature), fitted by the same library function and drawn over the panel's figure.
"""

from __future__ import annotations

import functools
import html
import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import IO, Any

import ipywidgets as w
import numpy as np
from bokeh.layouts import column
from bokeh.models import ColumnDataSource, LegendItem, Range1d, Span

from .. import carriers, stability
from ..datasets import example_file
from ..io import MeasuredDecay, MeasuredPLTemperature, read_decay_csv, read_degradation_csv, read_pl_temperature_csv
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

# -- illustrative settings of the synthetic measurements (not the paper's) ----------------------------------
TRPL_PEAK_COUNTS = 5000.0  # counts in the first bin: a typical TCSPC histogram peak (illustrative)
TRPL_BACKGROUND = 3.0  # dark counts per bin (illustrative)
TRPL_BINS = 200
TRPL_SEED = 5
MIN_WINDOW_PER_TAU = 3.0  # a tail fit needs the slow decay to fall by e^3 (~20x) inside the window
WINDOW_RANGE_NS = (20.0, 500.0)
# the slow lifetime ends where the longest window still holds 3 of them; shorter windows limit it further, and
# the message then says which way to move
TAU_SLOW_MAX_NS = math.floor(WINDOW_RANGE_NS[1] / MIN_WINDOW_PER_TAU)
BETA_MAX = stability.MODELS["stretched"].upper[1]  # the largest stretch exponent the library's fits take
TQ_TEMPERATURES_K = np.linspace(80.0, 360.0, 15)
TQ_A = 200.0  # ratio of non-radiative to radiative pre-factors (illustrative)
TQ_NOISE = 0.03  # 3 % relative scatter of integrated PL (illustrative)
TQ_SEED = 7
TQ_CURVE_K = np.linspace(70.0, 380.0, 160)
TQ_X_RANGE = (2.5, 14.5)  # 1000/T of the Arrhenius figure (a learner's colder or warmer points widen it)
AGE_POINTS = 241
# the learner's own files: the CSV table that holds each as read (uploading the app's download reads them back)
AGE_TABLE = "your ageing data, as read (retained fraction)"
DECAY_TABLE = "your TRPL decay, as read"
PLT_TABLE = "your PL versus temperature, as read"
T80_FRACTION = 0.8

CONDITIONS = {
    "air": {
        "label": f"ISOS-D: dark, in air ({PAPER.air_storage_retained:.2%} at {PAPER.air_storage_time_h:g} h)",
        "short": "ISOS-D (air storage)",
        "axis_end_h": 15000.0,
    },
    "light": {
        "label": f"ISOS-L: light soaking ({PAPER.light_soak_retained:.2%} at {PAPER.light_soak_time_h:g} h)",
        "short": "ISOS-L (light soaking)",
        "axis_end_h": 40000.0,
    },
}

_TRPL_KEYS = ("tau_fast_ns", "tau_slow_ns", "fast_share", "window_ns", "components")
_TQ_KEYS = ("ea_meV",)
_AGE_KEYS = ("beta", "control_ratio", "condition")

_FULL = {"components": 2, "window_ns": 200.0}
PRESETS = {
    "paper: ISOS-D, air (lifetimes illustrative)": {
        "beta": 1.0, "control_ratio": stability.ILLUSTRATIVE_CONTROL_RATE_RATIO, "condition": "air",
        "tau_fast_ns": 3.0, "tau_slow_ns": 40.0, "fast_share": 0.4, "ea_meV": 90.0, **_FULL,
    },
    "paper: ISOS-L, light (lifetimes illustrative)": {
        "beta": 1.0, "control_ratio": stability.ILLUSTRATIVE_CONTROL_RATE_RATIO, "condition": "light",
        "tau_fast_ns": 3.0, "tau_slow_ns": 40.0, "fast_share": 0.4, "ea_meV": 90.0, **_FULL,
    },
    "accelerating ageing, beta 1.6 (illustrative)": {
        "beta": 1.6, "control_ratio": stability.ILLUSTRATIVE_CONTROL_RATE_RATIO, "condition": "air",
        "tau_fast_ns": 3.0, "tau_slow_ns": 40.0, "fast_share": 0.4, "ea_meV": 90.0, **_FULL,
    },
    "film without QD passivation (illustrative)": {
        "beta": 1.0, "control_ratio": stability.ILLUSTRATIVE_CONTROL_RATE_RATIO, "condition": "air",
        "tau_fast_ns": 1.5, "tau_slow_ns": 15.0, "fast_share": 0.8, "ea_meV": 45.0, **_FULL,
    },
}

_AIR_RANGE = stability.time_to_range(*stability.paper_points("air"), T80_FRACTION)

# the terms of qdpv.ui.glossary this app's texts use, explained under its figures
TERMS = ("MSN", "quantum dot", "PL", "J-V curve", "PCE", "trap density", "passivation", "phenomenological",
         "illustrative", "TRPL", "TCSPC", "lifetime", "bi-exponential", "Poisson", "MLE", "deviance", "residuals",
         "thermal quenching", "activation energy", "Arrhenius", "T80", "ISOS", "stretched exponential", "burn-in",
         "extrapolation")

QUIZ = Quiz(
    question=(
        f"The paper reports one ageing point per test, e.g. {PAPER.air_storage_retained:.2%} of the initial "
        f"efficiency after {PAPER.air_storage_time_h:g} h in air. An exponential and a stretched exponential "
        "(beta = 0.5) both pass exactly through it, and so does an accelerating one (beta = 2). What can you "
        "conclude about T80?"
    ),
    options=[
        "The exponential is right, because it passes exactly through the point.",
        "T80 is known only within the range the curves through the point span.",
        "The stretched exponential is ruled out, since it has more parameters.",
        f"T80 is about {PAPER.air_storage_time_h:g} h, when the point was measured.",
    ],
    answer=1,
    explanation=(
        "With one point (plus 100 % at t = 0) every one-parameter model passes through the data exactly, so the "
        "data carry no information about the shape of the curve. In air the plausible models (ageing that slows "
        f"down or speeds up) give T80 from about {_AIR_RANGE.low_h:,.0f} h to {_AIR_RANGE.high_h:,.0f} h, the upper "
        "end far beyond the test; only more points in time (ISOS asks for the whole curve) can narrow that."
    ),
    why_wrong=[
        "Move the beta slider: does the treated curve still pass through the paper's point?",
        "",
        "With beta fixed at 0.5 or 2, each curve has one free parameter, the rate, just like the exponential.",
        f"After {PAPER.air_storage_time_h:g} h the cell still had {100 * PAPER.air_storage_retained:.0f} %, not "
        f"{100 * T80_FRACTION:.0f} %, of its efficiency.",
    ],
)


@dataclass(frozen=True)
class _UserAgeing:
    """A learner's ageing data, their fit, T80 with its interval and the range of plausible models."""

    fit: stability.DegradationFit
    t80: stability.TimeTo
    spread: stability.TimeToRange


@dataclass(frozen=True)
class _UserDecay:
    """A learner's TCSPC decay, the fit of its tail (from the fullest bin on) and the fitted counts there."""

    decay: MeasuredDecay
    fit: carriers.DecayFit
    expected: np.ndarray
    components: int


@dataclass(frozen=True)
class _UserPLT:
    """A learner's PL versus temperature and its thermal-quenching fit."""

    pl: MeasuredPLTemperature
    fit: carriers.ThermalQuenchingFit


def _analyse_ageing(file: IO[bytes]) -> _UserAgeing:
    """Read a learner's ageing data; fit them, T80 and the plausible range (qdpv.stability)."""
    time_h, retained = read_degradation_csv(file)
    fit = _fit_upload(time_h, retained)
    return _UserAgeing(fit, fit.time_to(T80_FRACTION), stability.time_to_range(time_h, retained, T80_FRACTION))


def _analyse_decay(file: IO[bytes], components: int) -> _UserDecay:
    """Read a learner's decay and fit its tail with ``components`` exponentials (qdpv.carriers.fit_decay)."""
    decay = read_decay_csv(file)
    t, counts = decay.from_peak()
    fit = carriers.fit_decay(t, counts, n_components=components)
    expected = carriers.decay_counts(t, fit.amplitudes, fit.lifetimes_ns, fit.background)
    return _UserDecay(decay, fit, expected, components)


def _analyse_plt(file: IO[bytes]) -> _UserPLT:
    """Read a learner's PL versus temperature and fit the thermal quenching (qdpv.carriers)."""
    pl = read_pl_temperature_csv(file)
    return _UserPLT(pl, carriers.fit_thermal_quenching(pl.temperature_K, pl.intensity, pl.intensity_se))


def _source(out: Outcome) -> str:
    return "the kit's example, SYNTHETIC" if out.example else "your file"


def _age_rows(u: _UserAgeing) -> list[tuple[str, float, float, str]]:
    """The ageing analysis as rows of the CSV download: (quantity, value, standard error or nan, unit)."""
    nan = float("nan")
    units = {"rate_per_h": "1/h"}
    return [
        *((f"{u.fit.model} fit: {k}", val, u.fit.se[k], units.get(k, "")) for k, val in u.fit.params.items()),
        ("T80", float(u.t80.value_h), float(u.t80.se_h), "h"),
        ("T80, 95 % interval, low", float(u.t80.low_h), nan, "h"),
        ("T80, 95 % interval, high", float(u.t80.high_h), nan, "h"),
        ("T80, plausible models, lowest", u.spread.low_h, nan, "h"),
        ("T80, plausible models, highest", u.spread.high_h, nan, "h"),
    ]


def _age_html(out: Outcome) -> str:
    """The learner's ageing data in the results text ("" if none)."""
    if out.result is None:
        return ""
    fit, t80v, spread = out.result.fit, out.result.t80, out.result.spread
    params = ", ".join(f"{k} = {plus_minus(val, fit.se[k])}" for k, val in fit.params.items())
    ci = (f" (95 % CI {_hours(float(t80v.low_h))} to {_hours(float(t80v.high_h))})"
          if np.isfinite(t80v.se_h) else "")
    return (
        f"<b>Your ageing data</b> ({html.escape(out.name)}, {_source(out)}; {fit.time_h.size} points, {fit.model} "
        f"fit): {params}; T80 = <b>{_hours(float(t80v.value_h))}</b>{ci}; plausible models: {spread.low_h:,.0f}-"
        f"{spread.high_h:,.0f} h{_flags(spread)}. {html.escape(fit.note)}"
    )


def _decay_rows(u: _UserDecay) -> list[tuple[str, float, float, str]]:
    """The decay analysis as rows of the CSV download: (quantity, value, standard error or nan, unit)."""
    nan = float("nan")
    f = u.fit
    rows = []
    for i, (tau, tau_se, a, a_se) in enumerate(zip(f.lifetimes_ns, f.lifetimes_se_ns, f.amplitudes, f.amplitudes_se,
                                                   strict=True), 1):
        rows += [(f"lifetime {i}", tau, tau_se, "ns"), (f"amplitude {i}", a, a_se, "counts per bin")]
    return [
        *rows,
        ("background", f.background, f.background_se, "counts per bin"),
        ("amplitude-weighted lifetime", f.amplitude_weighted_lifetime_ns, f.amplitude_weighted_lifetime_se_ns, "ns"),
        ("intensity-weighted lifetime", f.intensity_weighted_lifetime_ns, f.intensity_weighted_lifetime_se_ns, "ns"),
        ("deviance / dof", f.deviance / f.dof, nan, ""),
        ("exponentials fitted", u.components, nan, ""),
        ("bins fitted (from the fullest on)", u.expected.size, nan, ""),
        ("time of the fullest bin", u.decay.peak_time_ns, nan, "ns"),
        ("bin width", u.decay.bin_ns, nan, "ns"),
    ]


def _decay_html(out: Outcome) -> str:
    """The learner's decay in the results text ("" if none)."""
    if out.result is None:
        return ""
    u = out.result
    f = u.fit
    taus = ", ".join(plus_minus(tau, se, "ns") for tau, se in zip(f.lifetimes_ns, f.lifetimes_se_ns, strict=True))
    irf = "; its instrument response is not deconvolved" if u.decay.irf is not None else ""
    amp = plus_minus(f.amplitude_weighted_lifetime_ns, f.amplitude_weighted_lifetime_se_ns, "ns")
    intensity = plus_minus(f.intensity_weighted_lifetime_ns, f.intensity_weighted_lifetime_se_ns, "ns")
    return (
        f"<b>Your TRPL decay</b> ({html.escape(out.name)}, {_source(out)}; {u.decay.time_ns.size} bins of "
        f"{u.decay.bin_ns:.3g} ns, fitted from the fullest bin at {u.decay.peak_time_ns:g} ns on, "
        f"{'bi' if u.components == 2 else 'mono'}-exponential, Poisson MLE{irf}): &tau; = {taus}; "
        f"&lang;&tau;&rang;<sub>amp</sub> = <b>{amp}</b>, &lang;&tau;&rang;<sub>int</sub> = {intensity}; "
        f"deviance/dof = {f.deviance / f.dof:.2f}."
    )


def _plt_rows(u: _UserPLT) -> list[tuple[str, float, float, str]]:
    """The thermal-quenching analysis as rows of the CSV download: (quantity, value, standard error or nan, unit)."""
    f = u.fit
    return [
        ("activation energy Ea", f.ea_meV, f.ea_se_meV, "meV"),
        ("A (non-radiative / radiative pre-factor)", f.a, f.a_se, ""),
        ("I0 (PL without quenching)", f.i0, f.i0_se, "file's unit"),
        ("temperature where the PL halves", _half_temperature(f), float("nan"), "K"),
    ]


def _half_temperature(fit: carriers.ThermalQuenchingFit) -> float:
    """Where the fitted PL falls to half of I0: A exp(-Ea/kT) = 1 (nan when A <= 1: never)."""
    return float(fit.ea_eV / (carriers.BOLTZMANN_eV_K * np.log(fit.a))) if fit.a > 1 else float("nan")


def _plt_html(out: Outcome) -> str:
    """The learner's PL versus temperature in the results text ("" if none)."""
    if out.result is None:
        return ""
    pl, f = out.result.pl, out.result.fit
    weights = "weighted by the file's standard errors" if pl.intensity_se is not None else "equal weights"
    half = _half_temperature(f)
    return (
        f"<b>Your PL(T)</b> ({html.escape(out.name)}, {_source(out)}; {pl.temperature_K.size} temperatures, "
        f"{pl.temperature_K[0]:.0f}-{pl.temperature_K[-1]:.0f} K, {weights}): E<sub>a</sub> = "
        f"<b>{plus_minus(f.ea_meV, f.ea_se_meV, 'meV')}</b>, A = {plus_minus(f.a, f.a_se)}"
        + (f"; PL halves at {half:.0f} K." if np.isfinite(half) else ".")
    )


def _fit_upload(time_h: np.ndarray, retained: np.ndarray) -> stability.DegradationFit:
    """Stretched exponential if the file has two or more points after t = 0, otherwise the exponential."""
    model = "stretched" if int(np.sum(time_h > 0)) >= 2 else "exponential"
    return stability.fit_degradation(time_h, retained, model)


def _flags(spread: stability.TimeToRange) -> str:
    """The range's warnings as a parenthesis for the results text ("" when there is none)."""
    return f" (<b>caution:</b> {html.escape('; '.join(spread.flags))})" if spread.flags else ""


def _hours(value: float) -> str:
    return "never (within the model)" if not np.isfinite(value) else f"{value:,.0f} h"


@built_ahead
def build() -> StepApp:
    """Build the carriers-and-stability app (controls, figures, texts) and compute its first state."""
    first = next(iter(PRESETS.values()))
    controls: dict[str, w.ValueWidget] = {
        "beta": slider("Ageing: assumed stretch exponent beta", "", first["beta"], 0.3, BETA_MAX, 0.05, ".2f"),
        "control_ratio": slider("Ageing: control loses k x faster, k", "", first["control_ratio"], 1.0, 10.0,
                                0.5, ".1f"),
        "condition": dropdown("Ageing: ISOS test", [(c["label"], k) for k, c in CONDITIONS.items()], "air"),
        "age_upload": Upload("ageing data", table=AGE_TABLE, example=example_file("degradation"), formats=(
            "A CSV with two columns, time (h) and retained efficiency (% or fraction); a header row is optional. "
            "Fitted with a stretched exponential (the exponential for a single point after t = 0).")),
        "tau_fast_ns": slider("TRPL: fast (trap) lifetime", "ns", first["tau_fast_ns"], 0.5, 20.0, 0.5, ".1f"),
        "tau_slow_ns": slider("TRPL: slow lifetime", "ns", first["tau_slow_ns"], 5.0, TAU_SLOW_MAX_NS, 1.0, ".0f"),
        "fast_share": slider("TRPL: fast share of amplitude", "", first["fast_share"], 0.05, 0.95, 0.05, ".2f"),
        "window_ns": slider("TRPL: TCSPC window", "ns", first["window_ns"], *WINDOW_RANGE_NS, 10.0, ".0f"),
        "components": dropdown("TRPL: fit model", [("mono-exponential", 1), ("bi-exponential", 2)], 2),
        "decay_upload": Upload("TRPL decay", table=DECAY_TABLE, example=example_file("decay"), formats=(
            "A CSV with the time (ps, ns or us, named in the header; ns if not) and the counts per bin in even "
            "steps, optionally an instrument-response column. Fitted from its fullest bin on with the fit model "
            "above (a tail fit: the response is not deconvolved).")),
        "ea_meV": slider("PL(T): activation energy", "meV", first["ea_meV"], 30.0, 150.0, 5.0, ".0f"),
        "plt_upload": Upload("PL(T) data", table=PLT_TABLE, example=example_file("pl_temperature"), formats=(
            "A CSV with the temperature (K, or °C named in the header) and the integrated PL, optionally its "
            "standard error (then the fit weighs each point by it).")),
    }
    for name in ("tau_fast_ns", "tau_slow_ns", "fast_share", "window_ns"):
        controls[name].continuous_update = False  # a decay fit per drag position would lag; keys still step

    # -- figure 1: ageing -------------------------------------------------------------------------------
    age = ColumnDataSource({"t": [], "treated": [], "control": [], "lo": [], "hi": []})
    paper_pt = ColumnDataSource({"t": [], "retained": []})
    t80 = ColumnDataSource({"t": [], "retained": [], "which": []})
    t80_range = ColumnDataSource({"lo": [], "hi": [], "y": []})
    user_pts = ColumnDataSource({"t": [], "retained": []})
    user_fit = ColumnDataSource({"t": [], "retained": []})
    age_report = ColumnDataSource({k: [] for k in ANALYSIS_COLUMNS})
    f_age = make_figure("Ageing: retained efficiency (T80 marked)", "time (h)", "retained fraction of initial PCE",
                        x_range=Range1d(0, CONDITIONS["air"]["axis_end_h"]), y_range=(0.4, 1.02), height=480)
    f_age.varea("t", "lo", "hi", source=age, fill_color=PALETTE["model"], fill_alpha=0.12,
                legend_label="plausible models through the paper's point")
    f_age.line("t", "treated", source=age, line_width=2.5, color=PALETTE["model"],
               legend_label="treated (QDs@MSN), fit through the paper's point")
    f_age.line("t", "control", source=age, line_width=2, color=PALETTE["alt"], line_dash="dashed",
               legend_label="control (illustrative)")
    f_age.scatter("t", "retained", source=paper_pt, size=10, color=PALETTE["data"], legend_label="the paper's point")
    f_age.segment("lo", "y", "hi", "y", source=t80_range, line_width=7, alpha=0.35, color=PALETTE["highlight"],
                  legend_label="T80 range of the plausible models")
    f_age.scatter("t", "retained", source=t80, size=11, marker="diamond", color=PALETTE["highlight"],
                  legend_label="T80")
    f_age.scatter("t", "retained", source=user_pts, size=6, marker="square", color=PALETTE["extra"],
                  legend_label="your data")
    f_age.line("t", "retained", source=user_fit, color=PALETTE["extra"], line_width=1.5,
               line_dash="dotdash", legend_label="fit to your data")
    age_items = f_age.legend[0].items[-2:]
    for item in age_items:
        item.visible = False
    f_age.add_layout(Span(location=T80_FRACTION, dimension="width", line_color=PALETTE["marker"], line_dash="dotted"))
    f_age.legend.label_text_font_size = "11px"
    f_age.legend.spacing = 0
    f_age.legend.padding = 3
    f_age.add_layout(f_age.legend[0], "below")  # below the plot: inside, it hid most curves and the T80 marker

    # -- figures 2 and 3: TRPL decay (log) and its residuals ----------------------------------------------
    decay = ColumnDataSource({"t": [], "counts": [], "fit": [], "residual": []})
    f_decay = make_figure("TRPL decay (synthetic counts) and fit", "time after excitation (ns)",
                          "counts per bin", y_axis_type="log", x_range=Range1d(0, first["window_ns"]),
                          y_range=(0.5, 1.5 * TRPL_PEAK_COUNTS), height=240)
    f_decay.scatter("t", "counts", source=decay, size=3, color=PALETTE["data"], alpha=0.6, legend_label="counts")
    f_decay.line("t", "fit", source=decay, color=PALETTE["model"], line_width=2, legend_label="Poisson-MLE fit")
    f_decay.legend.location = "top_right"
    f_decay.legend.label_text_font_size = "11px"
    f_res = make_figure("Residuals of the decay fit", "time after excitation (ns)", "(n - fit)/sqrt(fit)",
                        x_range=f_decay.x_range, y_range=(-5, 5), height=150)
    f_res.scatter("t", "residual", source=decay, size=3, color=PALETTE["model"])
    f_res.add_layout(Span(location=0, dimension="width", line_color=PALETTE["marker"]))
    # the learner's decay: the file as read (t_file, counts, irf, for the CSV) and, from its fullest bin on, the
    # tail that is fitted, on the figure's time after excitation
    user_decay = ColumnDataSource({k: [] for k in ("t_file", "counts", "irf", "t", "shown", "fit", "residual")})
    decay_report = ColumnDataSource({k: [] for k in ANALYSIS_COLUMNS})
    r_user_decay = f_decay.scatter("t", "shown", source=user_decay, size=3, marker="square", color=PALETTE["extra"],
                                   alpha=0.6)
    r_user_decay_fit = f_decay.line("t", "fit", source=user_decay, color=PALETTE["extra"], line_width=2,
                                    line_dash="dotdash")
    f_res.scatter("t", "residual", source=user_decay, size=3, marker="square", color=PALETTE["extra"])
    decay_items = [LegendItem(label="your counts", renderers=[r_user_decay], visible=False),
                   LegendItem(label="fit to your counts", renderers=[r_user_decay_fit], visible=False)]
    f_decay.legend[0].items = [*f_decay.legend[0].items, *decay_items]

    # -- figure 4: thermal quenching, Arrhenius axis -----------------------------------------------------
    tq_pts = ColumnDataSource({"inv_t": [], "t": [], "intensity": []})
    tq_fit = ColumnDataSource({"inv_t": [], "t": [], "intensity": []})
    f_tq = make_figure("Thermal quenching of PL (Arrhenius axis, synthetic)", "1000 / T (1/K)",
                       "integrated PL / I0", x_range=TQ_X_RANGE, y_range=(0, 1.15), height=240)
    f_tq.scatter("inv_t", "intensity", source=tq_pts, size=7, color=PALETTE["data"], legend_label="PL (synthetic)")
    f_tq.line("inv_t", "intensity", source=tq_fit, color=PALETTE["model"], line_width=2, legend_label="fit")
    user_tq = ColumnDataSource({k: [] for k in ("t", "inv_t", "intensity", "se", "norm")})
    user_tq_fit = ColumnDataSource({"t": [], "inv_t": [], "norm": []})
    plt_report = ColumnDataSource({k: [] for k in ANALYSIS_COLUMNS})
    f_tq.scatter("inv_t", "norm", source=user_tq, size=7, marker="square", color=PALETTE["extra"],
                 legend_label="your PL")
    f_tq.line("inv_t", "norm", source=user_tq_fit, color=PALETTE["extra"], line_width=2, line_dash="dotdash",
              legend_label="fit to your PL")
    plt_items = f_tq.legend[0].items[-2:]
    for item in plt_items:
        item.visible = False
    f_tq.legend.location = "bottom_right"
    f_tq.legend.label_text_font_size = "11px"

    spreads, envelopes = paper_ranges()
    shown: dict[str, tuple[Any, ...]] = {}
    results: dict[str, str] = {
        "age_user_notice": "T80 from your own curve: the more points in time, the narrower the range of plausible "
                           "models.",
        "decay_user_notice": "a deviance/dof near 1 says the fit model describes your decay; switch between mono- "
                             "and bi-exponential and watch the residuals.",
        "plt_user_notice": "an activation energy several times kT (26 meV at 300 K) means trapping that switches on "
                           "only when warm: your PL halves where kT ln A reaches it.",
    }
    # axis ends the learner's data need (0 without them): the ageing time axis, the decay's time and counts axes
    ends = {"age": 0.0, "decay": 0.0, "counts": 0.0, "trpl_window": float(first["window_ns"])}

    def changed(panel: str, v: Mapping[str, Any], keys: tuple[str, ...]) -> tuple[Any, ...] | None:
        """The panel's new settings if they differ from those on screen, else None (nothing to redraw)."""
        key = tuple(v[k] for k in keys)
        return None if shown.get(panel) == key else key

    def update_trpl(v: Mapping[str, Any]) -> str:
        tau_f, tau_s, window = v["tau_fast_ns"], v["tau_slow_ns"], v["window_ns"]
        if tau_f >= tau_s:
            raise ValueError(
                f"the fast lifetime ({tau_f:g} ns) must be shorter than the slow one ({tau_s:g} ns); shorten the "
                "fast lifetime or lengthen the slow one"
            )
        if window < MIN_WINDOW_PER_TAU * tau_s:
            raise ValueError(
                f"the TCSPC window {window:g} ns must be at least {MIN_WINDOW_PER_TAU:g} x the slow lifetime "
                f"({MIN_WINDOW_PER_TAU * tau_s:g} ns) for the decay to be measured; lengthen the window or "
                "shorten the slow lifetime"
            )
        t = np.linspace(0.0, window, TRPL_BINS, endpoint=False)
        amps = TRPL_PEAK_COUNTS * np.array([v["fast_share"], 1.0 - v["fast_share"]])
        counts = carriers.simulate_decay(t, amps, [tau_f, tau_s], TRPL_BACKGROUND, rng=TRPL_SEED)
        fit = carriers.fit_decay(t, counts, n_components=v["components"])
        mu = carriers.decay_counts(t, fit.amplitudes, fit.lifetimes_ns, fit.background)
        decay.data = {"t": t, "counts": np.where(counts > 0, counts, np.nan), "fit": mu,
                      "residual": (counts - mu) / np.sqrt(mu)}
        ends["trpl_window"] = window
        f_decay.x_range.end = max(window, ends["decay"])
        true_avg = float(carriers.amplitude_weighted_lifetime_ns(amps, [tau_f, tau_s]))
        taus = ", ".join(f"{tau:.2f} &plusmn; {se:.2f} ns" for tau, se in
                         zip(fit.lifetimes_ns, fit.lifetimes_se_ns, strict=True))
        ratio = fit.deviance / fit.dof
        kind = "bi" if v["components"] == 2 else "mono"
        lifetimes = " and ".join(f"{tau:.2f} ns" for tau in fit.lifetimes_ns)
        described["trpl"] = (
            f"Photon counts per bin on a log scale over a {window:g} ns window, falling from about "
            f"{TRPL_PEAK_COUNTS:g} counts to the background of {TRPL_BACKGROUND:g}; the {kind}-exponential fit "
            f"(line) has lifetimes {lifetimes}, amplitude-weighted average {fit.amplitude_weighted_lifetime_ns:.2f} "
            f"ns (true {true_avg:.2f} ns)."
        )
        described["res"] = (
            f"Fit residuals (n - fit)/sqrt(fit) against time, deviance/dof = {ratio:.2f}: "
            + ("they swing in a wave well beyond plus or minus 2, so the model misses a component."
               if ratio > 1.5 else "they scatter about zero within about plus or minus 2, with no pattern.")
        )
        results["trpl_notice"] = (
            "a single exponential cannot follow a two-component decay: see the wave in the residuals and the "
            "deviance/dof far above 1." if ratio > 1.5 else
            "fast trapping (short lifetime, large share) is what passivation suppresses: shorten the fast "
            "lifetime or raise its share and watch the average lifetime fall."
        )
        return (
            f"<b>TRPL fit</b> ({'bi' if v['components'] == 2 else 'mono'}-exponential, Poisson MLE): "
            f"&tau; = {taus}; &lang;&tau;&rang;<sub>amp</sub> = {fit.amplitude_weighted_lifetime_ns:.2f} &plusmn; "
            f"{fit.amplitude_weighted_lifetime_se_ns:.2f} ns (true {true_avg:.2f} ns), "
            f"&lang;&tau;&rang;<sub>int</sub> = {fit.intensity_weighted_lifetime_ns:.2f} ns; "
            f"deviance/dof = {ratio:.2f}."
        )

    def update_tq(v: Mapping[str, Any]) -> str:
        ea_true = v["ea_meV"] / 1000.0
        rng = np.random.default_rng(TQ_SEED)
        ideal = carriers.thermal_quenching_intensity(TQ_TEMPERATURES_K, 1.0, TQ_A, ea_true)
        measured = ideal * (1.0 + TQ_NOISE * rng.standard_normal(TQ_TEMPERATURES_K.size))
        fit = carriers.fit_thermal_quenching(TQ_TEMPERATURES_K, measured)
        tq_pts.data = {"inv_t": 1000.0 / TQ_TEMPERATURES_K, "t": TQ_TEMPERATURES_K, "intensity": measured / fit.i0}
        tq_fit.data = {"inv_t": 1000.0 / TQ_CURVE_K, "t": TQ_CURVE_K, "intensity": fit.intensity(TQ_CURVE_K) / fit.i0}
        t_half = fit.ea_eV / (carriers.BOLTZMANN_eV_K * np.log(fit.a))
        described["tq"] = (
            f"Integrated PL, relative to its low-temperature value, against 1000/T from "
            f"{TQ_TEMPERATURES_K.min():.0f} K (right) to {TQ_TEMPERATURES_K.max():.0f} K (left): near 1 when cold, "
            f"falling as the temperature rises and halving at {t_half:.0f} K. The fit (line) gives an activation "
            f"energy of {fit.ea_meV:.1f} meV (set: {v['ea_meV']:g} meV)."
        )
        results["tq_notice"] = (
            "a larger activation energy moves the quenching to higher temperature: thermally activated "
            "trapping matters less at the 300 K a cell works at."
        )
        return (
            f"<b>Thermal quenching fit:</b> E<sub>a</sub> = {fit.ea_meV:.1f} &plusmn; {fit.ea_se_meV:.1f} meV "
            f"(set {v['ea_meV']:g} meV); PL halves at {t_half:.0f} K."
        )

    def update_age(v: Mapping[str, Any]) -> str:
        cond, beta, ratio = v["condition"], v["beta"], v["control_ratio"]
        tp, rp = stability.paper_points(cond)
        treated = stability.fit_degradation(tp, rp, "stretched", fixed={"beta": beta})
        k_control = ratio * treated.params["rate_per_h"]
        control = {"rate_per_h": k_control, "beta": beta}
        t = np.linspace(0.0, CONDITIONS[cond]["axis_end_h"], AGE_POINTS)
        env_lo, env_hi = envelopes[cond]
        age.data = {"t": t, "treated": treated.retained_at(t),
                    "control": stability.retained_fraction(t, "stretched", control),
                    "lo": env_lo, "hi": env_hi}
        t80_treated = float(treated.time_to(T80_FRACTION).value_h)
        t80_control = float(stability.MODELS["stretched"].time_to(np.asarray(T80_FRACTION),
                                                                   np.array([k_control, beta])))
        t80.data = {"t": [t80_treated, t80_control], "retained": [T80_FRACTION] * 2,
                    "which": ["treated", "control (illustrative)"]}
        spread = spreads[cond]
        if (key := changed("age_condition", v, ("condition",))) is not None:
            shown["age_condition"] = key
            paper_pt.data = {"t": tp, "retained": rp}
            t80_range.data = {"lo": [spread.low_h], "hi": [spread.high_h], "y": [T80_FRACTION]}
            f_age.x_range.end = max(CONDITIONS[cond]["axis_end_h"], ends["age"])
        t80_exp = spread.exponential_h
        described["age"] = (
            f"Retained fraction of the initial PCE against time, {CONDITIONS[cond]['short']}, up to "
            f"{CONDITIONS[cond]['axis_end_h']:,.0f} h. The treated curve (blue, solid) passes through the paper's "
            f"point ({rp[0]:.2%} after {tp[0]:g} h, black dot) and crosses 80 % (dotted line) at T80 = "
            f"{_hours(t80_treated)} (diamond); the shaded band of plausible models through the same point gives T80 "
            f"from {spread.low_h:,.0f} to {spread.high_h:,.0f} h (green bar). The control (vermillion, dashed) "
            f"reaches 80 % at {_hours(t80_control)}."
        )
        if abs(np.log(t80_treated / t80_exp)) > np.log(1.5):
            results["age_notice"] = (
                f"the same paper point with beta = {beta:g} gives T80 = {_hours(t80_treated)} instead of "
                f"{_hours(t80_exp)} for the exponential: the shape you assume, not the data, sets the lifetime."
            )
        else:
            results["age_notice"] = (
                f"one point fixes only one number: the plausible models span T80 from {spread.low_h:,.0f} h to "
                f"{spread.high_h:,.0f} h. Move beta and watch the curve pivot about the paper's point."
            )
        return (
            f"<b>{CONDITIONS[cond]['short']}:</b> the paper's point {rp[0]:.2%} after {tp[0]:g} h. "
            f"Treated T80 with beta = {beta:g}: <b>{_hours(t80_treated)}</b> (exponential: {_hours(t80_exp)}); "
            f"plausible models through the same point: {spread.low_h:,.0f}-{spread.high_h:,.0f} h "
            f"(a factor {spread.high_h / spread.low_h:.1f}){_flags(spread)}. Control (illustrative, "
            f"{ratio:g}&times; the rate): T80 {_hours(t80_control)}. {html.escape(treated.note)}"
        )

    def draw_age_user(out: Outcome) -> None:
        """Put the learner's ageing points and fit on the ageing figure (or take them off)."""
        for item in age_items:
            item.visible = out.result is not None
        if out.result is None:
            described["user"] = ""
            ends["age"] = 0.0
            for src in (user_pts, user_fit, age_report):
                src.data = {k: [] for k in src.data}
            return
        u = out.result
        fit, t80v = u.fit, u.t80
        ends["age"] = 1.2 * float(fit.time_h[-1])
        described["user"] = (
            f" Your data ({fit.time_h.size} points, purple squares) and their {fit.model} fit (purple, dash-dot) "
            f"reach 80 % at T80 = {_hours(float(t80v.value_h))}."
        )
        t = np.linspace(0.0, ends["age"], AGE_POINTS)
        user_pts.data = {"t": fit.time_h, "retained": fit.retained}
        user_fit.data = {"t": t, "retained": fit.retained_at(t)}
        age_report.data = analysis_rows(_age_rows(u))
        f_age.x_range.end = max(CONDITIONS[shown.get("age_condition", ("air",))[0]]["axis_end_h"], ends["age"])

    def draw_decay_user(out: Outcome) -> None:
        """Put the learner's decay, its fit and residuals on the TRPL figures (or take them off)."""
        for item in decay_items:
            item.visible = out.result is not None
        if out.result is None:
            ends["decay"] = ends["counts"] = 0.0
            described["decay_user"] = ""
            for src in (user_decay, decay_report):
                src.data = {k: [] for k in src.data}
        else:
            u = out.result
            d, fit = u.decay, u.fit
            i = int(np.argmax(d.counts))
            t = d.time_ns - d.time_ns[i]
            fitted = np.full(t.size, np.nan)
            fitted[i:] = u.expected
            with np.errstate(divide="ignore", invalid="ignore"):
                residual = (d.counts - fitted) / np.sqrt(fitted)
            user_decay.data = {"t_file": d.time_ns, "counts": d.counts,
                               "irf": d.irf if d.irf is not None else np.full(t.size, np.nan), "t": t,
                               "shown": np.where(d.counts > 0, d.counts, np.nan), "fit": fitted, "residual": residual}
            decay_report.data = analysis_rows(_decay_rows(u))
            ends["decay"], ends["counts"] = float(t[-1]), 1.5 * float(d.counts.max())
            lifetimes = " and ".join(f"{tau:.2f} ns" for tau in fit.lifetimes_ns)
            described["decay_user"] = (
                f" Your decay (purple squares, from its fullest bin on) and its fit (purple, dash-dot): lifetimes "
                f"{lifetimes}, deviance/dof = {fit.deviance / fit.dof:.2f}."
            )
        f_decay.x_range.end = max(ends["trpl_window"], ends["decay"])
        f_decay.y_range.end = max(1.5 * TRPL_PEAK_COUNTS, ends["counts"])

    def draw_plt_user(out: Outcome) -> None:
        """Put the learner's PL(T) and its fit on the Arrhenius figure (or take them off)."""
        for item in plt_items:
            item.visible = out.result is not None
        if out.result is None:
            described["plt_user"] = ""
            for src in (user_tq, user_tq_fit, plt_report):
                src.data = {k: [] for k in src.data}
            f_tq.x_range.start, f_tq.x_range.end = TQ_X_RANGE
            return
        pl, fit = out.result.pl, out.result.fit
        temp = pl.temperature_K
        se = pl.intensity_se if pl.intensity_se is not None else np.full(temp.size, np.nan)
        user_tq.data = {"t": temp, "inv_t": 1000.0 / temp, "intensity": pl.intensity, "se": se,
                        "norm": pl.intensity / fit.i0}
        curve = np.linspace(temp[0], temp[-1], TQ_CURVE_K.size)
        user_tq_fit.data = {"t": curve, "inv_t": 1000.0 / curve, "norm": fit.intensity(curve) / fit.i0}
        plt_report.data = analysis_rows(_plt_rows(out.result))
        f_tq.x_range.start = min(TQ_X_RANGE[0], 0.95 * 1000.0 / float(temp[-1]))
        f_tq.x_range.end = max(TQ_X_RANGE[1], 1.05 * 1000.0 / float(temp[0]))
        described["plt_user"] = (
            f" Your PL (purple squares, relative to its fitted I0) from {temp[0]:.0f} to {temp[-1]:.0f} K and its "
            f"fit (purple, dash-dot): activation energy {fit.ea_meV:.1f} meV."
        )

    texts: dict[str, str] = {}
    # each figure in words: the model's part, then the learner's data's ("" without them)
    described: dict[str, str] = {"age": "", "user": "", "trpl": "", "res": "", "decay_user": "", "tq": "",
                                 "plt_user": ""}
    user_panels = {  # upload control -> how its file is drawn and written
        "age_upload": ("age_user", draw_age_user, _age_html),
        "decay_upload": ("decay_user", draw_decay_user, _decay_html),
        "plt_upload": ("plt_user", draw_plt_user, _plt_html),
    }

    def update(v: dict[str, Any]) -> str:
        # first: a bad file raises before any figure changes
        outs = {
            "age_upload": controls["age_upload"].outcome(v["age_upload"], _analyse_ageing),
            "decay_upload": controls["decay_upload"].outcome(
                v["decay_upload"], lambda file: _analyse_decay(file, v["components"]), (v["components"],)),
            "plt_upload": controls["plt_upload"].outcome(v["plt_upload"], _analyse_plt),
        }
        last = "age"
        for panel, keys, redraw in (("trpl", _TRPL_KEYS, update_trpl), ("tq", _TQ_KEYS, update_tq),
                                    ("age", _AGE_KEYS, update_age)):
            if (key := changed(panel, v, keys)) is not None:
                texts[panel], last = redraw(v), panel
                shown[panel] = key  # only once drawn: invalid settings are tried again at the next update
        for name, (panel, draw, write) in user_panels.items():
            out = outs[name]
            if shown.get(panel) != (out.version,):  # a new file, or one cleared: redraw
                draw(out)
                shown[panel] = (out.version,)
                if out.result is not None:
                    last = panel
            if shown.get(f"{panel}_text") != (out.version, out.failed):
                texts[panel] = out.failure_html() + write(out)
                shown[f"{panel}_text"] = (out.version, out.failed)
                if out.failed:
                    last = panel
        describe_figure(f_age, described["age"] + described["user"])
        describe_figure(f_decay, described["trpl"] + described["decay_user"])
        describe_figure(f_res, described["res"] + (" Purple squares: the residuals of your decay's fit."
                                                   if described["decay_user"] else ""))
        describe_figure(f_tq, described["tq"] + described["plt_user"])
        notice = results[f"{last}_notice"]
        parts = [texts["age"], texts["age_user"], texts["trpl"], texts["decay_user"], texts["tq"], texts["plt_user"]]
        return "<br>".join([p.removesuffix("<br>") for p in parts if p] + [f"<i>Notice:</i> {notice}"])

    note = (
        "<p><b>Models (simplified).</b> Ageing: phenomenological stretched exponential R = exp[-(kt)<sup>&beta;</sup>] "
        "(Williams &amp; Watts 1970; &beta; = 1 is the single exponential) fitted through (0, 100 %) and "
        "<b>the paper's single point</b> per test (Xu et al., Adv. Mater. 2026, e73024: "
        f"{PAPER.air_storage_retained:.2%} after {PAPER.air_storage_time_h:g} h in air, "
        f"{PAPER.light_soak_retained:.2%} after {PAPER.light_soak_time_h:g} h of light). The shaded band and the "
        "T80 bar span stretched exponentials (&beta; 0.5-2: ageing that slows down or speeds up) and "
        "burn-in-then-linear curves through the same point (qdpv.stability.time_to_range; these model ranges are "
        "illustrative choices). A T80 beyond twice the test duration is an extrapolation, and a loss within the "
        "~2 % repeatability of a J-V measurement does not bound T80 from above; the text says when either "
        "applies.</p><p>The <b>control</b> "
        "curve is <b>illustrative</b>: the paper's control ageing data are not in the kit, so it is the treated "
        "curve with k times the rate. ISOS-D/ISOS-L: Khenkin et al., Nat. Energy 5, 35 (2020).</p><p>TRPL: "
        "<b>synthetic</b> Poisson counts from a bi-exponential with background "
        f"({TRPL_PEAK_COUNTS:g} counts peak, {TRPL_BACKGROUND:g} per bin, illustrative), fitted by Poisson maximum "
        "likelihood without instrument response (Laurence &amp; Chromy, Nat. Methods 7, 338, 2010).</p><p>PL(T): "
        f"synthetic points of I = I0/(1 + A e<sup>-Ea/kT</sup>) (A = {TQ_A:g}, {TQ_NOISE:.0%} scatter, "
        "illustrative; Bimberg et al., Phys. Rev. B 4, 3451, 1971). The lifetimes and activation energies of the "
        "presets are illustrative, not the paper's.</p>"
    )
    return StepApp(
        title="Carriers and stability",
        controls=controls,
        figures=column(f_age, f_decay, f_res, f_tq),
        update=update,
        presets=PRESETS,
        quiz=QUIZ,
        csv_tables=[
            CsvTable("ageing curves", age, {"t": "time_h", "treated": "treated_retained",
                                            "control": "control_retained_illustrative",
                                            "lo": "plausible_low_retained", "hi": "plausible_high_retained"}),
            CsvTable("the paper's point", paper_pt, {"t": "time_h", "retained": "retained"}),
            CsvTable("T80", t80, {"which": "cell", "t": "T80_h", "retained": "retained"}),
            CsvTable("T80 range of plausible models", t80_range, {"lo": "T80_low_h", "hi": "T80_high_h"}),
            CsvTable("TRPL decay (synthetic)", decay, {"t": "time_ns", "counts": "counts_per_bin",
                                                       "fit": "fit_counts_per_bin", "residual": "pearson_residual"}),
            CsvTable("PL vs temperature (synthetic)", tq_pts, {"t": "temperature_K", "inv_t": "inv_T_1000_per_K",
                                                               "intensity": "pl_over_I0"}),
            CsvTable("PL vs temperature fit", tq_fit, {"t": "temperature_K", "inv_t": "inv_T_1000_per_K",
                                                       "intensity": "pl_over_I0"}),
            # the learner's files as read (they upload back) and their analyses; left out of the file without them
            CsvTable(AGE_TABLE, user_pts, {"t": "time_h", "retained": "retained_fraction"}),
            CsvTable("your ageing data: analysis (qdpv.stability.fit_degradation)", age_report, ANALYSIS_COLUMNS),
            CsvTable("your ageing data: fitted curve", user_fit, {"t": "time_h", "retained": "retained_fraction"}),
            CsvTable(DECAY_TABLE, user_decay, {"t_file": "time_ns", "counts": "counts", "irf": "irf"}),
            CsvTable("your TRPL decay: analysis (qdpv.carriers.fit_decay, from the fullest bin on)", decay_report,
                     ANALYSIS_COLUMNS),
            CsvTable("your TRPL decay: fit", user_decay, {"t": "time_after_peak_ns", "fit": "fit_counts_per_bin",
                                                          "residual": "pearson_residual"}),
            CsvTable(PLT_TABLE, user_tq, {"t": "temperature_K", "intensity": "intensity", "se": "intensity_se"}),
            CsvTable("your PL versus temperature: analysis (qdpv.carriers.fit_thermal_quenching)", plt_report,
                     ANALYSIS_COLUMNS),
            CsvTable("your PL versus temperature: fit", user_tq_fit, {"t": "temperature_K",
                                                                      "inv_t": "inv_T_1000_per_K",
                                                                      "norm": "pl_over_I0"}),
        ],
        csv_filename="qdpv_carriers_stability.csv",
        model_note=note_html(note, TERMS),
    )


@functools.cache
def paper_ranges() -> tuple[dict[str, stability.TimeToRange], dict[str, tuple[np.ndarray, np.ndarray]]]:
    """The T80 range of plausible models through each ageing test's paper point, and the band of their curves.

    They depend on the paper's points only, so they are computed once per process (~0.1 s of fits); the class
    server's kernel template computes them when it builds the apps ahead (``qdpv.ui.kit.ahead.prepare``), so a
    page's kernel finds them ready."""
    spreads = {k: stability.time_to_range(*stability.paper_points(k), T80_FRACTION) for k in CONDITIONS}
    envelopes = {k: _envelope(k, spreads[k]) for k in CONDITIONS}
    for band in envelopes.values():  # shared by every app built in the process: nobody may write to them
        for curve in band:
            curve.setflags(write=False)
    return spreads, envelopes


def _envelope(condition: str, spread: stability.TimeToRange) -> tuple[np.ndarray, np.ndarray]:
    """Lowest and highest retained fraction over the plausible models of ``time_to_range`` through the point."""
    tp, rp = stability.paper_points(condition)
    t = np.linspace(0.0, CONDITIONS[condition]["axis_end_h"], AGE_POINTS)
    last_loss = 1.0 - rp[-1]
    curves = [stability.fit_degradation(tp, rp, "stretched", fixed={"beta": b}).retained_at(t) for b in spread.betas]
    curves += [
        stability.fit_degradation(tp, rp, "burn_in_linear", fixed={"burn_in_fraction": s * last_loss,
                                                                   "burn_in_time_h": 50.0}).retained_at(t)
        for s in spread.burn_in_shares
    ]
    stack = np.array(curves)
    return stack.min(axis=0), stack.max(axis=0)
