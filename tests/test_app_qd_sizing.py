"""The QD-sizing app without a browser: controls drive the figures' data the way the physics says; the learner's
own spectrum is analysed as the library does, refused with the reader's message, read back from the download."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest

from qdpv import confinement as conf
from qdpv.datasets import example_file
from qdpv.io import read_spectrum_csv
from qdpv.materials import CsPbBr3
from qdpv.paper import PAPER
from qdpv.ui import qd_sizing
from qdpv.ui.kit import plus_minus
from qdpv_testing.uploads import BAD_FILES, download_back, refuse_then_go_on


@pytest.fixture(scope="module")
def app():
    return qd_sizing.build()


def test_starts_at_the_papers_pores(app):
    assert app.presets.value.startswith("paper:")
    assert app.controls["pore_nm"].value == PAPER.medium_msn_pore_nm
    assert app.error.value == ""
    # the paper's ~8 nm pores grow 7.58 nm dots (isometric crystals filling the pore): 1.08 reported Bohr diameters
    assert "7.58 &plusmn;" in app.results.value and "1.08 &times; the Bohr diameter" in app.results.value


def test_larger_pores_give_larger_dots_and_a_redder_pl(app):
    app.apply_preset("paper: medium MSN (~8 nm pores)")
    pdf = app.source("dot-size distribution")
    spec = app.source("ensemble spectra")
    mean_before = np.average(pdf.data["size"], weights=pdf.data["pdf"])
    peak_before = spec.data["wavelength"][int(np.argmax(spec.data["pl"]))]
    app.controls["pore_nm"].value = 10.0
    mean_after = np.average(pdf.data["size"], weights=pdf.data["pdf"])
    peak_after = spec.data["wavelength"][int(np.argmax(spec.data["pl"]))]
    assert mean_after == pytest.approx(float(conf.pore_to_dot_nm(10.0)), rel=0.01)
    assert mean_after > mean_before
    assert peak_after > peak_before  # weaker confinement: smaller gap, longer wavelength


def test_wider_pore_spread_broadens_the_pl(app):
    app.apply_preset("paper: medium MSN (~8 nm pores)")
    narrow = app.results.value
    app.controls["spread_nm"].value = 2.5
    wide = app.results.value

    def fwhm(text: str) -> float:
        return float(text.split("FWHM ")[1].split(" meV")[0])

    assert fwhm(wide) > fwhm(narrow)


def test_model_curves_follow_the_shape_control(app):
    app.apply_preset("paper: medium MSN (~8 nm pores)")
    curves = app.source("gap vs size (models)")
    cube = np.array(curves.data["intermediate"])
    app.controls["shape"].value = "sphere"
    sphere = np.array(curves.data["intermediate"])
    np.testing.assert_allclose(
        sphere, conf.band_gap_eV(qd_sizing.CURVE_SIZES_NM, "CsPbBr3", "sphere", "intermediate")
    )
    assert not np.allclose(cube, sphere)
    app.controls["shape"].value = "cube"


def test_brus_outside_its_range_gives_a_message_and_the_app_recovers(app):
    app.apply_preset("large pores, 12 nm (illustrative)")
    spec = app.source("ensemble spectra")
    shown = dict(spec.data)
    app.controls["model"].value = "brus"
    assert "is outside 2.1-7.0 nm" in app.error.value and "Brus" in app.error.value
    assert "Lower the pore diameter or the crystal length, or choose the Kane" in app.error.value
    assert "Traceback" not in app.error.value
    assert spec.data["pl"] is shown["pl"]  # figures keep the last valid state
    app.controls["pore_nm"].value = 6.0
    assert app.error.value == ""
    app.controls["model"].value = conf.DEFAULT_MODEL


def test_the_smallest_pore_grows_dots_the_default_model_describes_and_short_crystals_are_advised(app):
    app.apply_preset("paper: medium MSN (~8 nm pores)")
    app.controls["pore_nm"].value = app.controls["pore_nm"].min
    assert app.error.value == ""  # 3.2 nm pores: 3.03 nm dots, inside 3.0-15.4 nm
    app.controls["aspect"].value = 0.5  # crystals half as long as the pore is wide act as smaller dots
    assert "larger dots are needed" in app.error.value and "Raise the pore diameter or the crystal length" in (
        app.error.value)
    app.controls["aspect"].value = 1.0
    assert app.error.value == ""


def test_presets_set_their_values(app):
    for name, values in qd_sizing.PRESETS.items():
        app.presets.value = name
        for key, value in values.items():
            assert app.controls[key].value == pytest.approx(value)
        assert app.error.value == ""


def test_moving_a_control_leaves_the_preset(app):
    app.presets.value = "paper: medium MSN (~8 nm pores)"
    app.controls["pore_nm"].value = 9.0
    assert app.presets.value == "(custom)"


def test_csv_tables_name_existing_columns_with_units(app):
    for table in app.csv_tables:
        assert set(table.columns) <= set(table.source.data), table.title
        for header in table.columns.values():
            assert header.endswith(("_nm", "_eV", "_per_nm", "_norm")) or header in {
                "kind", "source", "absorbance", "quantity", "value", "standard_error", "unit"}


# -- the learner's own spectrum ---------------------------------------------------------------------------------

ANALYSIS = "your spectrum: analysis (qdpv.confinement.spectrum_peak)"


@pytest.fixture
def fresh(app):
    """The module's app on the paper's preset, no file loaded, Kane model and cubes."""
    app.controls["upload"].clear()
    app.controls["model"].value = "intermediate"
    app.controls["shape"].value = "cube"
    app.apply_preset("paper: medium MSN (~8 nm pores)")
    assert app.error.value == ""
    return app


def _yours(app) -> str:
    """The learner's part of the results text, from its peak on."""
    return re.search(r"<b>Your spectrum</b> .*?(peak <b>.*?)<br>", app.results.value).group(1)


def _dot_source(app):
    """The source of the purple square: the dot size the learner's peak implies, and its range."""
    return next(s for s in app.figures.references() if set(getattr(s, "data", ())) == {"size", "energy", "lo", "hi"})


def _library(source, shape: str = "cube", model: str = "intermediate") -> conf.SpectrumPeak:
    s = read_spectrum_csv(source)
    return conf.spectrum_peak(s.energy_eV, s.signal_energy, CsPbBr3, shape, model,
                              stokes_shift_meV=30.0 if s.kind == "emission" else 0.0)


def test_the_example_spectrum_is_analysed_as_the_library_does(fresh):
    fresh.controls["upload"].use_example.click()
    assert fresh.error.value == ""
    p = _library(example_file("spectrum"))
    text = _yours(fresh)
    lo, hi = p.size_range_nm
    for expected in (
        f"peak <b>{plus_minus(p.peak_eV, p.peak_se_eV, 'eV')}</b> ({p.peak_nm:.1f} nm)",
        f"FWHM {p.fwhm_meV:.0f} meV",
        "+ 30 meV Stokes shift",
        f"transition {p.transition_eV:.3f} eV",
        f"<b>dots of {plus_minus(p.size_nm, p.size_se_nm, 'nm')}</b> (cubes",
        f"{lo:.2f}-{hi:.2f} nm across the half-maximum width",
        f"Brus: {p.size_by_model_nm['brus']:.2f} nm",
    ):
        assert expected in text, expected
    # the example was made from the dots of 8 nm pores (mean 7.58 nm): the size comes back within 2 %, next to
    # the model's dot of the same pores
    assert p.size_nm == pytest.approx(float(conf.pore_to_dot_nm(8.0)), rel=0.02)
    assert "The model's mean dot here (diamond): 7.58 nm" in text
    spectrum = fresh.source(qd_sizing.UPLOAD_TABLE).data
    np.testing.assert_array_equal(spectrum["emission"], read_spectrum_csv(example_file("spectrum")).signal_energy)
    assert _dot_source(fresh).data == {"size": [p.size_nm], "energy": [p.transition_eV], "lo": [lo], "hi": [hi]}
    report = dict(zip(fresh.source(ANALYSIS).data["quantity"], fresh.source(ANALYSIS).data["value"], strict=True))
    assert report["peak energy"] == p.peak_eV and report["dot size (intermediate)"] == p.size_nm


def test_the_shape_and_model_controls_redo_the_sizing_of_the_learners_peak(fresh):
    fresh.controls["upload"].load_example()
    fresh.controls["shape"].value = "sphere"
    p = _library(example_file("spectrum"), "sphere")
    assert f"<b>dots of {plus_minus(p.size_nm, p.size_se_nm, 'nm')}</b> (spheres" in _yours(fresh)
    assert _dot_source(fresh).data["size"] == [p.size_nm]  # the purple square moved with the shape
    fresh.controls["pore_nm"].value = 9.0  # a slider of the model leaves the learner's analysis alone
    assert f"<b>dots of {plus_minus(p.size_nm, p.size_se_nm, 'nm')}</b> (spheres" in _yours(fresh)


def test_an_absorbance_peak_is_sized_without_a_stokes_shift(fresh):
    wavelength = np.arange(470.0, 531.0, 2.0)
    absorbance = 0.1 + np.exp(-0.5 * ((wavelength - 500.0) / 8.0) ** 2)
    text = "wavelength (nm),absorbance\n" + "".join(f"{x:g},{y:.6f}\n" for x, y in zip(wavelength, absorbance,
                                                                                         strict=True))
    fresh.controls["upload"].load(text.encode(), "abs.csv")
    assert fresh.error.value == ""
    p = _library(io.StringIO(text))
    assert "absorbance" in fresh.results.value and "Stokes shift" not in _yours(fresh)
    assert p.transition_eV == p.peak_eV and f"transition {p.transition_eV:.3f} eV" in _yours(fresh)


@pytest.mark.parametrize("bad", BAD_FILES["spectrum"], ids=lambda b: b.id)
def test_a_bad_file_is_refused_with_its_line_and_the_figures_stay(fresh, bad):
    refuse_then_go_on(fresh, "upload", bad, "spread_nm", 1.0)
    assert "pl_spectrum_example_synthetic.csv" in fresh.results.value


def test_a_peak_at_the_end_of_the_spectrum_is_refused_by_the_analysis(fresh):
    fresh.controls["upload"].load(b"wavelength (nm),PL\n500,1\n510,2\n520,3\n", "edge.csv")
    assert "the peak must lie inside the spectrum" in fresh.error.value


def test_the_apps_download_uploads_back_to_the_same_analysis(fresh):
    text, again = download_back(fresh, "upload", ANALYSIS, "qdpv_qd_sizing.csv", _yours)
    assert again == text


def test_quiz_answer_is_the_bohr_diameter():
    quiz = qd_sizing.QUIZ
    assert 0 <= quiz.answer < len(quiz.options)
    assert "diameter" in quiz.options[quiz.answer]
