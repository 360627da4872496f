"""App test for step 5 (carriers and stability), without a browser: controls move the right sources in the
physically expected direction, presets apply, bad inputs and bad uploads give readable messages and the app
keeps working; the learner's ageing data, TRPL decay and PL(T) are fitted as the library does and read back from
the app's own download."""

from __future__ import annotations

import datetime
import re

import numpy as np
import pytest
from bokeh.models import ColumnDataSource, CustomJS, Plot

from qdpv import carriers, stability
from qdpv.datasets import example_file
from qdpv.io import parse_degradation_csv, read_decay_csv, read_pl_temperature_csv
from qdpv.paper import PAPER
from qdpv.ui import carriers_stability as cs
from qdpv.ui.kit import download_text, plus_minus
from qdpv_testing.uploads import BAD_FILES, refuse_then_go_on

UPLOADS = ("age_upload", "decay_upload", "plt_upload")


@pytest.fixture(scope="module")
def app():
    return cs.build()


def _source(app, match):
    """The first plotted ColumnDataSource whose data satisfies ``match``."""
    return next(r for r in app.figures.references()
                if isinstance(r, ColumnDataSource) and match(r.data))


def _find(app, column):
    return _source(app, lambda d: column in d)


def _upload(content: bytes, name: str = "mine.csv") -> tuple[dict, ...]:
    # ipywidgets 8 FileUpload value: a tuple of dicts with these keys (content is a memoryview)
    return ({"name": name, "type": "text/csv", "size": len(content), "content": memoryview(content),
             "last_modified": datetime.datetime(2026, 1, 1, tzinfo=datetime.UTC)},)


def _reset(app):
    for name in UPLOADS:
        app.controls[name].clear()
    app.apply_preset(next(iter(cs.PRESETS)))
    assert app.error.value == ""


def test_starts_on_first_preset_with_paper_point_and_no_error(app):
    assert app.error.value == ""
    assert "qdpv-results" in app.results.value
    paper = _source(app, lambda d: set(d) == {"t", "retained"} and len(d["t"]) == 1)
    assert paper.data["t"][0] == PAPER.air_storage_time_h
    assert paper.data["retained"][0] == PAPER.air_storage_retained


def test_treated_curve_passes_through_the_papers_point_and_t80_matches_exponential(app):
    _reset(app)
    age = _find(app, "treated")
    # beta = 1 through (1300 h, 93.16 %): R = exp(-k t) with k = -ln(0.9316)/1300, independent of the fit code;
    # T80 = 1300 ln(0.8)/ln(0.9316) = 4094 h (params sheet). 1e-6 relative: fit converged to 1e-14 tolerances.
    t = np.asarray(age.data["t"])
    k = -np.log(PAPER.air_storage_retained) / PAPER.air_storage_time_h
    np.testing.assert_allclose(age.data["treated"], np.exp(-k * t), rtol=1e-6)
    t80 = _find(app, "which")
    assert t80.data["t"][0] == pytest.approx(1300 * np.log(0.8) / np.log(0.9316), rel=1e-6)
    assert "4,094 h" in app.results.value


def test_beta_pivots_the_curve_about_the_point_and_moves_t80(app):
    _reset(app)
    t80 = _find(app, "which")
    before = t80.data["t"][0]
    app.controls["beta"].value = 0.6
    # beta < 1 decelerates after the point: past 1300 h the stretched curve lies above, so T80 grows
    assert t80.data["t"][0] > before
    assert "beta = 0.6" in app.results.value


def test_control_ratio_shortens_control_t80_only(app):
    _reset(app)
    t80 = _find(app, "which")
    treated, control = t80.data["t"]
    app.controls["control_ratio"].value = 6.0
    # exponential: T80 scales as 1/k, so doubling the rate ratio (3 -> 6) halves the control T80 (exact)
    assert t80.data["t"][0] == pytest.approx(treated)
    assert t80.data["t"][1] == pytest.approx(control / 2, rel=1e-9)


def test_light_condition_uses_the_papers_light_point_and_its_t80_range(app):
    _reset(app)
    app.controls["condition"].value = "light"
    rng = stability.time_to_range(*stability.paper_points("light"))
    bar = _source(app, lambda d: "y" in d and "lo" in d)
    assert bar.data["lo"][0] == pytest.approx(rng.low_h)
    assert bar.data["hi"][0] == pytest.approx(rng.high_h)
    assert f"{rng.low_h:,.0f}" in app.results.value


def test_slider_moves_leave_other_panels_unsent(app):
    _reset(app)
    decay, tq = _find(app, "counts"), _find(app, "inv_t")
    d0, q0 = decay.data, tq.data
    app.controls["beta"].value = 0.8
    # the TRPL and thermal sources are not reassigned (no repaint) when an ageing slider moves
    assert decay.data is d0 and tq.data is q0


def test_longer_slow_lifetime_raises_the_fitted_average(app):
    _reset(app)
    before = app.results.value
    app.controls["tau_slow_ns"].value = 60.0
    assert app.error.value == ""
    # amplitude-weighted average (1-0.4)*tau_slow + 0.4*tau_fast rises from 25.2 to 37.2 ns (hand calculation)
    assert "true 37.20 ns" in app.results.value and before != app.results.value


def test_mono_fit_of_biexponential_decay_has_poor_deviance(app):
    _reset(app)
    app.controls["components"].value = 1
    text = app.results.value
    ratio = float(text.split("deviance/dof = ")[1].split(".<br>")[0].rstrip("."))
    # a single exponential through a 40/60 mix of 3 ns and 40 ns: Poisson deviance per dof far above 1
    assert ratio > 1.5
    app.controls["components"].value = 2
    ratio = float(app.results.value.split("deviance/dof = ")[1].split(".<br>")[0].rstrip("."))
    # the right model: deviance/dof ~ 1 +- sqrt(2/dof) = 0.1 for 195 dof; 0.3 allows 3 sigma
    assert abs(ratio - 1) < 0.3


def test_activation_energy_slider_moves_quenching_to_higher_temperature(app):
    _reset(app)
    fit = _source(app, lambda d: "inv_t" in d and len(d["t"]) == cs.TQ_CURVE_K.size)
    i300 = np.interp(300, fit.data["t"], fit.data["intensity"])
    app.controls["ea_meV"].value = 130.0
    # larger Ea: less quenched at 300 K
    assert np.interp(300, fit.data["t"], fit.data["intensity"]) > i300
    assert "set 130 meV" in app.results.value


def test_every_preset_applies_its_values(app):
    for name, values in cs.PRESETS.items():
        app.presets.value = name
        assert all(app.controls[k].value == v for k, v in values.items())
        assert app.error.value == ""
    _reset(app)


def test_window_shorter_than_three_slow_lifetimes_gives_message_then_recovers(app):
    _reset(app)
    app.controls["tau_slow_ns"].value = 100.0  # window 200 ns < 3 x 100 ns
    assert "TCSPC window 200 ns" in app.error.value and "300 ns" in app.error.value
    app.controls["beta"].value = 0.9  # the invalid TRPL setting is still there: the message stays
    assert "TCSPC window" in app.error.value
    app.controls["tau_slow_ns"].value = 50.0
    assert app.error.value == ""


def test_fast_lifetime_not_below_slow_gives_message(app):
    _reset(app)
    app.controls["tau_slow_ns"].value = 10.0
    app.controls["tau_fast_ns"].value = 12.0
    assert "must be shorter than the slow one" in app.error.value
    assert "shorten the fast lifetime or lengthen the slow one" in app.error.value
    app.controls["tau_fast_ns"].value = 2.0
    assert app.error.value == ""


def test_good_upload_is_fitted_and_plotted(app):
    _reset(app)
    data = example_file("degradation").read_bytes()
    app.controls["age_upload"].picker.value = _upload(data, "example.csv")  # as the browser's file dialog sets it
    assert app.error.value == ""
    t, _ = parse_degradation_csv(data.decode("utf-8"))
    pts = app.source(cs.AGE_TABLE)
    np.testing.assert_array_equal(pts.data["t"], t)
    assert "example.csv" in app.results.value and "T80 = <b>" in app.results.value
    # the file was made with k = 1/20000 per h, beta = 0.7: true T80 = 20000 (-ln 0.8)^(1/0.7) = 2335 h;
    # noise 0.4 % on 12 points: accept the fitted T80 within 25 %
    t80 = float(app.results.value.split("T80 = <b>")[1].split(" h")[0].replace(",", ""))
    assert t80 == pytest.approx(20000 * (-np.log(0.8)) ** (1 / 0.7), rel=0.25)


@pytest.mark.parametrize(
    ("name", "bad"),
    [(name, bad) for name, kind in (("age_upload", "degradation"), ("decay_upload", "decay"),
                                    ("plt_upload", "pl_temperature")) for bad in BAD_FILES[kind]],
    ids=lambda x: x if isinstance(x, str) else x.id,
)
def test_bad_upload_gives_message_and_app_keeps_working(app, name, bad):
    _reset(app)
    refuse_then_go_on(app, name, bad, "beta", 0.7)  # the app goes on: message cleared, file said not used
    assert "beta = 0.7" in app.results.value
    app.controls[name].clear()
    assert app.error.value == "" and "could not be used" not in app.results.value


def _yours(app, head: str) -> str:
    """The learner's part of the results text that starts with ``head``, without the file's name."""
    return re.search(rf"<b>{head}</b> \(.*?;(.*?)(<br>|<i>Notice)", app.results.value).group(1)


def test_the_example_decay_is_fitted_as_the_library_does_with_the_fit_model_control(app):
    _reset(app)
    app.controls["decay_upload"].use_example.click()
    assert app.error.value == ""
    decay = read_decay_csv(example_file("decay"))
    t, counts = decay.from_peak()
    for components in (2, 1):
        app.controls["components"].value = components
        fit = carriers.fit_decay(t, counts, n_components=components)
        text = _yours(app, "Your TRPL decay")
        taus = ", ".join(plus_minus(tau, se, "ns") for tau, se in zip(fit.lifetimes_ns, fit.lifetimes_se_ns,
                                                                       strict=True))
        assert f"&tau; = {taus};" in text
        assert plus_minus(fit.amplitude_weighted_lifetime_ns, fit.amplitude_weighted_lifetime_se_ns, "ns") in text
        assert f"deviance/dof = {fit.deviance / fit.dof:.2f}" in text
    # the example was made with lifetimes of 2 and 15 ns (its # source line): the bi-exponential finds them
    # within 5 %, and a single exponential cannot follow them (deviance/dof far above 1)
    two = carriers.fit_decay(t, counts, n_components=2)
    assert two.lifetimes_ns == pytest.approx([2.0, 15.0], rel=0.05)
    assert carriers.fit_decay(t, counts, n_components=1).deviance / (t.size - 3) > 1.5
    shown = app.source(cs.DECAY_TABLE).data
    np.testing.assert_array_equal(shown["t_file"], decay.time_ns)
    np.testing.assert_array_equal(shown["irf"], decay.irf)
    assert shown["t"][int(np.argmax(decay.counts))] == 0.0  # time counted from the fullest bin, as fitted


def test_the_example_pl_versus_temperature_is_fitted_as_the_library_does(app):
    _reset(app)
    app.controls["plt_upload"].load_example()
    assert app.error.value == ""
    pl = read_pl_temperature_csv(example_file("pl_temperature"))
    fit = carriers.fit_thermal_quenching(pl.temperature_K, pl.intensity, pl.intensity_se)
    text = _yours(app, "Your PL\\(T\\)")
    assert f"E<sub>a</sub> = <b>{plus_minus(fit.ea_meV, fit.ea_se_meV, 'meV')}</b>" in text
    assert f"A = {plus_minus(fit.a, fit.a_se)}" in text and "weighted by the file's standard errors" in text
    # made with Ea = 45 meV and A = 50 (its # source line): found within their standard errors' 3 sigma
    assert abs(fit.ea_meV - 45.0) < 3 * fit.ea_se_meV and abs(fit.a - 50.0) < 3 * fit.a_se
    # the Arrhenius axis reaches the file's coldest point, 1000 / 20 K
    f_tq = next(f for f in app.figures.select({"type": Plot}) if f.title.text.startswith("Thermal quenching"))
    assert f_tq.x_range.end >= 1000.0 / pl.temperature_K[0]
    app.controls["plt_upload"].clear()
    assert (f_tq.x_range.start, f_tq.x_range.end) == cs.TQ_X_RANGE


def test_moving_the_model_keeps_the_learners_data_on_the_figures(app):
    _reset(app)
    for name in UPLOADS:
        app.controls[name].load_example()
    shown = {t: app.source(t).data for t in (cs.AGE_TABLE, cs.DECAY_TABLE, cs.PLT_TABLE)}
    texts = [_yours(app, h) for h in ("Your ageing data", "Your TRPL decay", "Your PL\\(T\\)")]
    app.controls["beta"].value = 1.4
    app.controls["tau_slow_ns"].value = 50.0
    app.controls["ea_meV"].value = 120.0
    assert app.error.value == ""
    assert all(app.source(t).data is data for t, data in shown.items())
    assert [_yours(app, h) for h in ("Your ageing data", "Your TRPL decay", "Your PL\\(T\\)")] == texts


def test_the_apps_download_uploads_back_to_the_same_analyses(app):
    _reset(app)
    for name in UPLOADS:
        app.controls[name].load_example()
    tables = ("your ageing data: analysis (qdpv.stability.fit_degradation)",
              "your TRPL decay: analysis (qdpv.carriers.fit_decay, from the fullest bin on)",
              "your PL versus temperature: analysis (qdpv.carriers.fit_thermal_quenching)")
    reports = {t: dict(app.source(t).data) for t in tables}
    content = download_text(app.figures).encode()
    for name in UPLOADS:  # one download holds all three; each upload reads its own table
        app.controls[name].load(content, "qdpv_carriers_stability.csv")
        assert app.error.value == ""
    for t in tables:
        again = app.source(t).data
        assert again["quantity"] == reports[t]["quantity"] and again["value"] == reports[t]["value"], t


def test_csv_tables_reference_existing_columns_and_quiz_is_valid(app):
    js = next(r for r in app.figures.references() if isinstance(r, CustomJS))
    for source, cols in zip(js.args["sources"], js.args["columns"], strict=True):
        assert set(cols) <= set(source.data), (cols, list(source.data))
    assert 0 <= cs.QUIZ.answer < len(cs.QUIZ.options)
