"""The MSN-templating app without a browser: controls move the figures the physical way, presets, errors, CSV,
and the learner's own isotherm: analysed as the library does, refused with the reader's message, read back from
the app's own download."""

from __future__ import annotations

import functools
import re

import numpy as np
import pytest
from bokeh.models import Button, Legend

from qdpv import msn
from qdpv.datasets import example_file
from qdpv.io import read_isotherm
from qdpv.paper import PAPER
from qdpv.ui import msn_templating as app_mod
from qdpv.ui.kit import plus_minus
from qdpv_testing.uploads import BAD_FILES, download_back, refuse_then_go_on

MEDIUM, SMALL, LARGE = app_mod.PRESETS  # the order of the preset dropdown


@pytest.fixture(scope="module")
def fresh():
    """One app for the module: building one costs ~1 s, nearly all of it Bokeh serialising the figures."""
    return app_mod.build()


@pytest.fixture
def app(fresh):
    """The module's app, put back on the paper's medium MSN and the linear isotherm view before each test."""
    fresh.controls["upload"].clear()
    fresh.controls["view"].value = "linear"
    fresh.presets.value = MEDIUM
    fresh.apply_preset(MEDIUM)
    assert fresh.error.value == ""
    return fresh


def _root(app):
    # jupyter_bokeh has no public accessor for the Bokeh layout a BokehModel shows; this is the one private use
    return app.figures


@functools.lru_cache
def _tables(app) -> dict[str, tuple]:
    """What the CSV button writes, read back from its callback: title -> (source, {column: header})."""
    args = _root(app).select_one({"type": Button}).js_event_callbacks["button_click"][0].args
    return {
        title: (source, dict(zip(cols, labels, strict=True)))
        for title, source, cols, labels in zip(
            args["titles"], args["sources"], args["columns"], args["labels"], strict=True
        )
    }


def _data(app, title: str) -> dict[str, np.ndarray]:
    return {k: np.asarray(v) for k, v in _tables(app)[title][0].data.items()}


def _iso(app):
    return _data(app, "N2 isotherm at 77 K and BET transform")


def _peak_nm(app, title: str = "pore sizes, simulated") -> float:
    psd = _data(app, title)
    return float(psd["d"][np.argmax(psd["dvdd"])])


def _n_at(app, p_rel: float) -> float:
    iso = _iso(app)
    return float(np.interp(p_rel, iso["p"], iso["n_ads"]))


def _half_fill_p(app) -> float:
    """p/p0 at which the adsorption branch is half-way up its condensation step (the Kelvin pressure)."""
    iso = _iso(app)
    n_half = 0.5 * (_n_at(app, 0.02) + _n_at(app, 0.97))
    return float(np.interp(n_half, iso["n_ads"], iso["p"]))


def test_starts_on_the_papers_medium_msn(fresh):
    app = fresh
    assert app.presets.value == MEDIUM
    # the paper's ~8 nm pore; 0.02 nm because the preset's oil loading is rounded to the slider's 1 % step
    assert _peak_nm(app) == pytest.approx(PAPER.medium_msn_pore_nm, abs=0.02)
    assert "Matched" in app.results.value
    assert app.error.value == ""


def test_more_oil_gives_larger_pores_that_fill_at_higher_pressure(app):
    peak, p_half = _peak_nm(app), _half_fill_p(app)
    bjh_peak = _peak_nm(app, "pore sizes, BJH adsorption")
    app.controls["oil_pct"].value = 80
    assert _peak_nm(app) > peak
    assert _half_fill_p(app) > p_half  # Kelvin: a wider pore condenses closer to saturation
    assert _peak_nm(app, "pore sizes, BJH adsorption") > bjh_peak


@pytest.mark.parametrize(("control", "low", "high"), [("oil", "1-octadecene", "cyclohexene"), ("n_carbons", 12, 20)])
def test_stronger_swelling_oil_and_longer_tail_give_larger_pores(app, control, low, high):
    app.controls[control].value = low
    small = _peak_nm(app)
    app.controls[control].value = high
    assert _peak_nm(app) > small


@pytest.mark.parametrize(("control", "low", "high"), [("time_h", 3.0, 24.0), ("temp_C", 40.0, 80.0)])
def test_longer_or_warmer_growth_gives_larger_particles_with_less_outer_surface(app, control, low, high):
    # below the condensation step the amount adsorbed is the film on walls + outer surface: it must fall when
    # the particles grow (outer area ~ 6 / (rho D)) while the pores stay the same
    app.controls[control].value = low
    n_low = _n_at(app, 0.1)
    peak = _peak_nm(app)
    app.controls[control].value = high
    assert _n_at(app, 0.1) < n_low
    assert _peak_nm(app) == pytest.approx(peak, rel=1e-9)


def test_wider_spread_flattens_and_widens_the_simulated_distribution(app):
    psd = _data(app, "pore sizes, simulated")
    height, width = psd["dvdd"].max(), np.ptp(psd["d"])
    app.controls["spread_pct"].value = 16
    psd = _data(app, "pore sizes, simulated")
    assert psd["dvdd"].max() < height
    assert np.ptp(psd["d"]) > width


def test_more_pore_volume_raises_the_plateau_and_the_distribution_area(app):
    plateau = _n_at(app, 0.95)
    app.controls["volume"].value = 1.5
    assert _n_at(app, 0.95) > plateau
    psd = _data(app, "pore sizes, simulated")
    # the simulated curve is the Gaussian pore-volume density, so its area is the pore volume (analytic); the
    # +-4 s.d. truncation loses 6e-5 and the 161-point trapezoid ~1e-4 of it, hence rel=1e-3
    assert np.trapezoid(psd["dvdd"], psd["d"]) == pytest.approx(1.5, rel=1e-3)


def test_bjh_recovers_the_simulated_pore_from_both_branches(app):
    # BJH inverts the same classical model, so each branch must find the pore to within the pressure grid's
    # resolution: ln(40 / 1.8) / 96 condensation points = 3.2 % in d (msn.default_p_rel)
    for branch in ("adsorption", "desorption"):
        assert _peak_nm(app, f"pore sizes, BJH {branch}") == pytest.approx(_peak_nm(app), rel=0.035)


def test_bet_fit_line_runs_through_the_highlighted_points(app):
    iso, fit = _iso(app), _data(app, "BET fit over the Rouquerol range")
    used = (iso["p"] >= fit["p"][0]) & (iso["p"] <= fit["p"][1])
    assert used.sum() >= 3
    line = np.interp(iso["p"][used], fit["p"], fit["y"])
    # the fit over the Rouquerol range has R^2 > 0.999 here: every fitted point lies within 2 % of the
    # transform's span from the line
    np.testing.assert_allclose(line, iso["bet_y"][used], atol=0.02 * np.ptp(iso["bet_y"][used]))
    box = _root(app).select_one({"name": "bet_range"})
    assert (box.left, box.right) == (fit["p"][0], fit["p"][1])


def test_view_switches_figure_one_between_isotherm_and_bet_transform(app):
    fig = _root(app).select_one({"name": "isotherm"})
    lines = [r for r in fig.renderers if "n_ads" in str(getattr(r.glyph, "y", ""))]
    assert lines and all(r.visible for r in lines)
    app.controls["view"].value = "bet"
    assert not any(r.visible for r in lines)
    assert "BET" in fig.title.text and "g/mmol" in fig.yaxis[0].axis_label
    assert fig.x_range.end <= 0.4
    app.controls["view"].value = "linear"
    assert all(r.visible for r in lines) and fig.x_range.end == 1.0


@pytest.mark.parametrize(("preset", "pore_nm", "verdict"), [(SMALL, 4.0, "too small"), (LARGE, 12.0, "too large")])
def test_presets_apply_their_conditions(app, preset, pore_nm, verdict):
    app.presets.value = preset
    conditions = app_mod.PRESETS[preset]
    assert app.values() | conditions == app.values()
    # msn.MSN_PRESETS aims at 4 and 12 nm (illustrative); 0.1 nm allows for the 1 %-step rounding of the loading
    assert _peak_nm(app) == pytest.approx(pore_nm, abs=0.1)
    assert verdict in app.results.value
    app.presets.value = MEDIUM
    assert app.values()["oil"] == msn.MSN_PRESETS["medium"].oil


def test_micropores_give_a_message_and_the_app_recovers(app):
    app.controls["oil"].value = "none"  # unswollen C16 template: 2.8 nm pores, still valid
    iso_before = _iso(app)
    app.controls["n_carbons"].value = 8  # C8: 1.5 nm pores
    assert "below the 2 nm" in app.error.value and "Traceback" not in app.error.value
    np.testing.assert_array_equal(_iso(app)["n_ads"], iso_before["n_ads"])  # figures kept
    app.controls["n_carbons"].value = 16
    assert app.error.value == ""


def test_a_shell_thinner_than_a_pore_gives_a_message_that_less_oil_clears(app):
    # either knob alone at its minimum still grows a shell thicker than the paper's 8 nm pores ...
    app.controls["time_h"].value = app.controls["time_h"].min
    assert app.error.value == ""
    # ... both together do not (2 h at 40 °C: 4.9 nm), which is the browser test's route
    app.controls["temp_C"].value = app.controls["temp_C"].min
    assert "thinner than one" in app.error.value and "longer or warmer" in app.error.value
    app.controls["oil_pct"].value = app.controls["oil_pct"].min
    assert app.error.value == ""
    app.apply_preset(MEDIUM)


def test_first_control_is_a_slider_that_changes_the_results(app):
    first = next(iter(app.controls.values()))
    before = app.results.value
    first.value = first.value + first.step
    assert type(first).__name__ == "FloatSlider" and app.results.value != before


def test_csv_tables_name_existing_columns_with_units(app):
    tables = _tables(app)
    assert len(tables) == 9
    app.controls["upload"].load_example()  # the learner's tables are empty (left out of the file) until then
    for title, (source, columns) in tables.items():
        assert set(columns) <= set(source.data), title
        assert all("_" in label or label in ("branch", "quantity", "value", "unit") for label in columns.values())
        assert len(source.data[next(iter(columns))]) > 0, title


# -- the learner's own isotherm ---------------------------------------------------------------------------------

ANALYSIS = "your isotherm: analysis (qdpv.msn.analyse_isotherm)"


def _library(source) -> tuple:
    """The library's analysis of a file, as a report would make it (Gurvich at p/p0 = 0.95)."""
    iso = read_isotherm(source)
    return iso, msn.analyse_isotherm(iso.p_rel, iso.n_ads_mmol_g, iso.p_rel_des, iso.n_des_mmol_g, 0.95)


def _yours(app) -> str:
    """The learner's part of the results text, without the file's name."""
    part = re.search(r"<b>Your isotherm</b> \((.*?)<br>", app.results.value).group(1)
    return part.split(";", 1)[1]


def test_the_example_isotherm_is_analysed_as_the_library_does(app):
    app.controls["upload"].use_example.click()
    assert app.error.value == ""
    iso, a = _library(example_file("isotherm"))
    text = _yours(app)
    for expected in (
        f"<b>BET area {plus_minus(a.bet.area_m2_g, a.bet.area_se_m2_g, 'm²/g')}</b>",
        f"C = {plus_minus(a.bet.c_constant, a.bet.c_constant_se)}",
        f"p/p0 {a.bet.p_range[0]:.3f}-{a.bet.p_range[1]:.3f}, {a.bet.n_points} points",
        "Rouquerol criteria all four met",
        f"every valid window gives {a.bet.area_range_m2_g[0]:.0f}-{a.bet.area_range_m2_g[1]:.0f} m²/g",
        f"classical {a.bjh.peak_diameter_nm:.2f} nm (its step {a.bjh.peak_range_nm[0]:.2f}-"
        f"{a.bjh.peak_range_nm[1]:.2f} nm)",
        f"<b>KJS-corrected {a.bjh_kjs.peak_diameter_nm:.2f} nm</b>",
        f"desorption branch {a.bjh_des.peak_diameter_nm:.2f} nm",
        f"{a.pore_volume_cm3_g:.3f} cm³/g",
    ):
        assert expected in text, expected
    # the MCM-41 of pyGAPS: criteria met and a BET area in the few hundred m2/g an MCM-41 has (tested against
    # pyGAPS itself in tests/test_io_measurements.py)
    assert all(a.bet.criteria) and 250 < a.bet.area_m2_g < 1200
    # the figures show the file's points, both branches, and the library's BJH distributions
    shown = app.source(app_mod.UPLOAD_TABLE).data
    np.testing.assert_array_equal(shown["p"], np.concatenate([iso.p_rel, iso.p_rel_des]))
    assert list(shown["branch"]).count("des") == iso.p_rel_des.size
    np.testing.assert_array_equal(app.source("your isotherm: KJS-corrected BJH, adsorption branch").data["dvdd"],
                                  a.bjh_kjs.dv_dd)
    report = dict(zip(app.source(ANALYSIS).data["quantity"], app.source(ANALYSIS).data["value"], strict=True))
    assert report["BET area"] == a.bet.area_m2_g and report["BJH peak, KJS-corrected, adsorption"] == (
        a.bjh_kjs.peak_diameter_nm)
    legend = [item for lg in app.figures.select({"type": Legend}) for item in lg.items]
    assert all(item.visible for item in legend if item.label.value.startswith("your"))


def test_an_aif_file_is_read_and_analysed_too(app):
    path = example_file("isotherm_aif")
    app.controls["upload"].load(path.read_bytes(), path.name)
    assert app.error.value == ""
    _, a = _library(path)
    assert f"<b>BET area {plus_minus(a.bet.area_m2_g, a.bet.area_se_m2_g, 'm²/g')}</b>" in _yours(app)


def test_moving_the_model_keeps_the_learners_isotherm_on_the_figures(app):
    app.controls["upload"].load_example()
    shown = app.source(app_mod.UPLOAD_TABLE).data
    text = _yours(app)
    app.controls["oil_pct"].value = 70
    app.controls["view"].value = "bet"
    assert app.error.value == "" and app.source(app_mod.UPLOAD_TABLE).data is shown
    # the learner's analysis stands; only the comparison with the model's pores follows the slider
    v = {k: c.value for k, c in app.controls.items()}
    pore = float(msn.template_msn(v["n_carbons"], v["oil"], v["oil_pct"] / 100, v["time_h"],
                                  v["temp_C"] + 273.15).pore_diameter_nm)
    mine, model = _yours(app).split("The model's pores: ")
    assert mine == text.split("The model's pores: ")[0] and model.startswith(f"{pore:.2f} nm")
    bet_view = [lg for lg in app.figures.select({"type": Legend}) if lg.visible and "your points" in
                [i.label.value for i in lg.items]]
    assert bet_view, "the BET view's legend names the learner's points"


@pytest.mark.parametrize("bad", BAD_FILES["isotherm"], ids=lambda b: b.id)
def test_a_bad_file_is_refused_with_its_line_and_the_figures_stay(app, bad):
    refuse_then_go_on(app, "upload", bad, "oil_pct", 60)  # the app goes on, with the example still on the figures
    assert "mcm41_n2_77k_pygaps.csv" in app.results.value
    app.controls["upload"].clear_button.click()
    assert "Your isotherm" not in app.results.value and "could not be used" not in app.results.value
    assert len(app.source(app_mod.UPLOAD_TABLE).data["p"]) == 0


def test_the_apps_download_uploads_back_to_the_same_analysis(app):
    text, again = download_back(app, "upload", ANALYSIS, "qdpv_msn_templating.csv", _yours)
    assert again.replace("your file", "the kit's example, a real MCM-41") == text


def test_quiz_answer_is_one_of_the_options():
    assert 0 <= app_mod.QUIZ.answer < len(app_mod.QUIZ.options)
