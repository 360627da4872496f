"""No slider offers a value its app's models refuse: at every preset each slider's two ends give results, except
where the end is refused only together with other settings; then the message says which way to move, and moving
another control that way makes the same end acceptable."""

from __future__ import annotations

import importlib

import ipywidgets as w
import pytest

APPS = ["msn_templating", "qd_sizing", "band_alignment", "device_jv", "carriers_stability", "design_your_cell"]

# (app, control, end) -> (words of the message's advice, other controls set the way it says, clearing it)
COMBINATIONS = {
    ("qd_sizing", "aspect", "min"): ("Raise the pore diameter or the crystal length", {"pore_nm": 8.0}),
    ("device_jv", "jph", "max"): ("Lower Jph or the band gap", {"band_gap_eV": 1.60}),
    ("device_jv", "log_j0", "min"): ("Raise J0 or lower n", {"n": 1.0}),
    ("device_jv", "n", "max"): ("Raise J0 or lower n", {"log_j0": -8.0}),
    ("carriers_stability", "tau_slow_ns", "max"): ("lengthen the window", {"window_ns": 500.0}),
    ("carriers_stability", "window_ns", "min"): ("lengthen the window", {"tau_slow_ns": 5.0}),
    ("carriers_stability", "tau_fast_ns", "max"): ("lengthen the slow one", {"tau_slow_ns": 40.0}),
    ("design_your_cell", "aspect", "min"): ("raise the oil loading", {"oil_pct": 100}),
}
EXPERT = {"device_jv": ("jph", "log_j0", "n")}  # sliders that act only with the app's expert mode on


@pytest.mark.parametrize("name", APPS)
def test_every_slider_end_is_accepted_or_the_message_says_which_way_to_move(name):
    module = importlib.import_module(f"qdpv.ui.{name}")
    app = module.build()
    sliders = [k for k, c in app.controls.items() if isinstance(c, w.FloatSlider | w.IntSlider)]
    refused = set()
    for preset in module.PRESETS:
        for key in sliders:
            for end in ("min", "max"):
                app.apply_preset(preset)
                if key in EXPERT.get(name, ()):
                    app.controls["expert"].value = True
                control = app.controls[key]
                control.value = getattr(control, end)
                if not app.error.value:
                    continue
                refused.add((name, key, end))
                assert (name, key, end) in COMBINATIONS, f"{key} at its {end} is refused at {preset!r}"
                advice, fix = COMBINATIONS[name, key, end]
                assert advice in app.error.value
                for other, value in fix.items():
                    app.controls[other].value = value
                assert app.error.value == "", f"{key} at its {end}: {fix} should make it acceptable"
    listed = {k for k in COMBINATIONS if k[0] == name}
    assert listed <= refused, f"listed as refused together with other settings, but never refused: {listed - refused}"
