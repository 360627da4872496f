"""The QD-sizing app without a browser: controls drive the figures' data the way the physics says."""

from __future__ import annotations

import numpy as np
import pytest

from qdpv import confinement as conf
from qdpv.paper import PAPER
from qdpv.ui import qd_sizing


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
            assert header.endswith(("_nm", "_eV", "_per_nm", "_norm")) or header in {"kind", "source"}


def test_quiz_answer_is_the_bohr_diameter():
    quiz = qd_sizing.QUIZ
    assert 0 <= quiz.answer < len(quiz.options)
    assert "diameter" in quiz.options[quiz.answer]
