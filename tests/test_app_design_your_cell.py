"""Step 6 app (capstone): every knob moves the chain the physical way, presets, errors, CSV, quiz, links."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from qdpv import diode, msn
from qdpv.paper import PAPER
from qdpv.ui.design_your_cell import PRESETS, QUIZ, STEPS, build

CHAMPION = next(iter(PRESETS))
NOTEBOOKS = Path(__file__).resolve().parents[1] / "notebooks"


@pytest.fixture(scope="module")
def app():
    return build()


@pytest.fixture(autouse=True)
def _reset(app):
    app.presets.value = "(custom)"
    app.presets.value = CHAMPION
    assert app.error.value == ""
    yield


def _chain(app) -> dict[str, tuple[str, str]]:
    d = app.source("the chain, control and your design (device values illustrative)").data
    return {q: (c, x) for q, c, x in zip(d["quantity"], d["control"], d["design"], strict=True)}


def _num(text: str) -> float:
    return float(re.match(r"[+-]?[\d,.e+-]+", text).group(0).replace(",", ""))


def _design(app, quantity: str) -> float:
    return _num(_chain(app)[quantity][1])


def _metrics(app) -> dict[str, dict[str, float]]:
    d = app.source("maximum power points and metrics").data
    return {key: {k: float(d[k][i]) for k in ("voc", "jsc", "ff", "pce")} for i, key in enumerate(("control",
                                                                                                      "design"))}


def test_champion_preset_is_the_papers_medium_msn_and_champion_pce(app):
    v = app.values()
    assert v["oil"] == msn.MSN_PRESETS["medium"].oil
    # the oil loading is rounded to the slider's 1 % steps: the pore is within 0.05 nm of the paper's ~8 nm
    assert _design(app, "pore diameter (nm)") == pytest.approx(PAPER.medium_msn_pore_nm, abs=0.05)
    # the kit's device is calibrated to the paper's 22.15 % with 8 nm dots; 7.99 nm dots move it by < 0.005
    assert _metrics(app)["design"]["pce"] == pytest.approx(PAPER.champion_pce_percent, abs=0.005)
    assert "Challenge:" in app.results.value and "Notice:" in app.results.value


def test_results_link_every_value_to_the_step_app_that_explains_it(app):
    text = app.results.value
    for notebook, _ in STEPS.values():
        assert f'href="{notebook}"' in text
        assert (NOTEBOOKS / notebook).exists()  # the links point at real step apps


def test_limit_in_the_challenge_is_the_detailed_balance_of_the_gap(app):
    # independent anchor: 28.49 % at 1.73 eV and 300 K (params sheet); at the cell's 298.15 K it is 0.1-0.2
    # points higher, so the challenge text (one decimal) reads 28.6 %
    assert "is 28.6 %" in app.results.value
    lim = app.source("J-V limit").data
    assert max(lim["p"]) == pytest.approx(float(diode.detailed_balance(1.73, 298.15).pce_percent), abs=0.01)


def test_more_oil_gives_larger_pores_larger_dots_and_a_smaller_dot_gap(app):
    pore, dot, gap = (_design(app, q) for q in ("pore diameter (nm)", "dot edge (nm)", "dot gap (eV)"))
    app.controls["oil_pct"].value = 80
    assert _design(app, "pore diameter (nm)") > pore
    assert _design(app, "dot edge (nm)") > dot
    assert _design(app, "dot gap (eV)") < gap  # weaker confinement
    # larger dots: the dot CBM moves down towards CsPbI3's, so the step up for electrons shrinks
    assert _design(app, "dot CBM &minus; CsPbI3 CBM (eV)") < 0.61


def test_oil_loading_moves_the_design_along_the_precomputed_pore_curve(app):
    curve = app.source("PCE vs pore diameter (your other knobs)")
    data = curve.data
    app.controls["oil_pct"].value = 80
    assert app.source("PCE vs pore diameter (your other knobs)").data is data  # not re-sent
    pt = app.source("your design").data
    # the marker lies on the curve: linear interpolation on the 0.1 nm grid is good to 0.01 points
    assert pt["pce"][0] == pytest.approx(np.interp(pt["pore"][0], data["pore"], data["pce"]), abs=0.01)


def test_dots_away_from_the_bohr_size_passivate_less(app):
    s, pce = _design(app, "interface S (cm/s)"), _metrics(app)["design"]["pce"]
    app.controls["oil_pct"].value = 95  # ~10.6 nm dots
    assert _design(app, "interface S (cm/s)") > s and _metrics(app)["design"]["pce"] < pce


@pytest.mark.parametrize(
    ("name", "value", "field", "sign"),
    [
        ("qd_coverage", 0.5, "voc", -1),  # less interlayer, more interface recombination
        ("log_nt", 16.5, "voc", -1),  # more bulk traps, lower Voc
        ("rs", 6.0, "ff", -1),  # series resistance costs fill factor
        ("aspect", 3.0, "voc", -1),  # longer crystals act as larger dots, further from the best size
    ],
)
def test_device_knobs_move_the_design_the_physical_way(app, name, value, field, sign):
    before = _metrics(app)["design"][field]
    app.controls[name].value = value
    assert app.error.value == ""
    assert np.sign(_metrics(app)["design"][field] - before) == sign


def test_coverage_zero_makes_the_design_the_control_and_t80_follows_passivation(app):
    t80 = _design(app, "T80, air storage (ISOS-D) (h)*")
    # the paper's point alone: single exponential through 93.16 % at 1300 h gives 4094 h (params sheet); the
    # design's 7.99 nm dots passivate a little more than the calibrated 8 nm, so allow 0.5 %
    assert t80 == pytest.approx(4094, rel=5e-3)
    app.controls["qd_coverage"].value = 0.0
    m = _metrics(app)
    assert m["design"] == pytest.approx(m["control"], rel=1e-12)
    assert _design(app, "T80, air storage (ISOS-D) (h)*") < t80
    assert "is the control" in app.results.value


def test_control_curve_is_not_resent_when_only_the_design_changes(app):
    control = app.source("J-V control").data
    app.controls["qd_coverage"].value = 0.6
    assert app.source("J-V control").data is control
    app.controls["log_nt"].value = 16.0
    assert app.source("J-V control").data is not control


@pytest.mark.parametrize("name", list(PRESETS))
def test_each_preset_applies_its_values(app, name):
    app.presets.value = name
    assert app.error.value == ""
    for key, value in PRESETS[name].items():
        expected = value if isinstance(value, str) else pytest.approx(value)
        assert app.controls[key].value == expected, key


def test_best_preset_beats_the_champion_but_stays_below_the_limit(app):
    app.presets.value = "best this model allows (illustrative)"
    pce = _metrics(app)["design"]["pce"]
    assert PAPER.champion_pce_percent < pce < float(diode.detailed_balance(1.73, 298.15).pce_percent)


def test_every_oil_at_the_lowest_loading_grows_dots_the_model_describes(app):
    assert "none" not in app.controls["oil"].options  # 2.8 nm pores at any loading: dots below the model
    for oil in app.controls["oil"].options:
        app.controls["oil"].value = oil
        app.controls["oil_pct"].value = app.controls["oil_pct"].min
        assert app.error.value == "", oil
    app.apply_preset(next(iter(PRESETS)))


def test_dots_too_small_for_the_dot_model_give_a_message_saying_which_way_to_move(app):
    app.controls["oil"].value = "1-octadecene"  # the weakest swelling: 4.0 nm pores at 51 %
    design = app.source("J-V design").data
    app.controls["aspect"].value = 0.5  # short crystals act as 2.75 nm dots, below the model's 3.0 nm
    text = app.error.value
    assert "is outside 3.0-15.4 nm" in text and "larger dots are needed" in text
    assert "raise the oil loading, choose a stronger-swelling oil or lengthen the crystals" in text
    assert "Traceback" not in text
    assert app.source("J-V design").data is design  # the figures keep the last valid state
    app.controls["aspect"].value = 4.0
    assert app.error.value == ""
    app.apply_preset(next(iter(PRESETS)))


def test_csv_tables_name_existing_columns_and_quiz_is_valid(app):
    for table in app.csv_tables:
        assert set(table.columns) <= set(table.source.data), table.title
    assert 0 <= QUIZ.answer < len(QUIZ.options)
