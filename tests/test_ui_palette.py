"""The kit's colours for readers with red-green colour blindness and for contrast (WCAG 2.1, 1.4.1, 1.4.3, 1.4.11).

Colour-blind vision is simulated with the full-severity protanopia and deuteranopia matrices of Machado, Oliveira
and Fernandes, IEEE Trans. Vis. Comput. Graph. 15, 1291 (2009), applied to linear sRGB; two colours count as told
apart when their simulated colours differ by at least MIN_DELTA_E in CIELAB (CIE76). 30 is well above the ~2.3 of
a just-noticeable difference and chosen so that the classic pair of a pure-looking red and green (the band
diagram's old barrier and cascade colours, #c0392b and #2e8b57) fails it: they differ by only ~17 for a
deuteranope, which is the confusion the palette must avoid. Contrast ratios follow WCAG 2.1's definition.
"""

from __future__ import annotations

import itertools
import re

import numpy as np
import pytest

from qdpv.ui import band_alignment as ba
from qdpv.ui.kit import theme

PROTANOPIA = np.array([[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                       [-0.003882, -0.048116, 1.051998]])
DEUTERANOPIA = np.array([[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                         [-0.011820, 0.042940, 0.968881]])
VISIONS = {"typical": np.eye(3), "protanopia": PROTANOPIA, "deuteranopia": DEUTERANOPIA}
MIN_DELTA_E = 30.0
SRGB_TO_XYZ = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722], [0.0193, 0.1192, 0.9505]])
D65_WHITE = np.array([0.95047, 1.0, 1.08883])


def _linear(hex_colour: str) -> np.ndarray:
    c = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)]) / 255.0
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def _lab(linear_rgb: np.ndarray) -> np.ndarray:
    xyz = SRGB_TO_XYZ @ np.clip(linear_rgb, 0.0, 1.0) / D65_WHITE
    f = np.where(xyz > 216 / 24389, np.cbrt(xyz), (24389 / 27 * xyz + 16) / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


def delta_e(a: str, b: str, vision: np.ndarray) -> float:
    """CIE76 difference of two colours as seen with ``vision`` (a matrix on linear sRGB)."""
    return float(np.linalg.norm(_lab(vision @ _linear(a)) - _lab(vision @ _linear(b))))


def contrast(a: str, b: str = "#ffffff") -> float:
    """WCAG 2.1 contrast ratio of two colours."""
    lum = sorted(float(np.array([0.2126, 0.7152, 0.0722]) @ _linear(c)) for c in (a, b))
    return (lum[1] + 0.05) / (lum[0] + 0.05)


def test_the_simulation_confuses_the_classic_red_green_pair():
    """The check has teeth: the band diagram's former barrier/cascade colours fail it for a deuteranope."""
    assert delta_e("#c0392b", "#2e8b57", VISIONS["typical"]) > MIN_DELTA_E
    assert delta_e("#c0392b", "#2e8b57", DEUTERANOPIA) < MIN_DELTA_E


# colours that must be told apart by colour: two curves of one figure (model vs comparison), and the verdicts the
# band diagram's legend explains
PAIRS = [
    ("model vs alt", theme.PALETTE["model"], theme.PALETTE["alt"]),
    *[(f"verdict {a} vs {b}", ba.VERDICTS[a][0], ba.VERDICTS[b][0])
      for a, b in itertools.combinations(("good", "barrier", "blocking"), 2)],
]


@pytest.mark.parametrize("vision", sorted(VISIONS))
@pytest.mark.parametrize(("what", "a", "b"), PAIRS, ids=[p[0] for p in PAIRS])
def test_colours_that_carry_meaning_stay_apart_in_colour_blind_vision(what, a, b, vision):
    assert delta_e(a, b, VISIONS[vision]) >= MIN_DELTA_E, f"{what}: {a} and {b} look alike with {vision}"


def test_every_verdict_also_has_its_own_line_dash():
    """A second cue besides colour: no two kinds of verdict share a dash pattern in the band diagram."""
    assert set(ba.VERDICT_DASH) == set(ba.VERDICTS)
    assert len(set(ba.VERDICT_DASH.values())) == len(ba.VERDICT_DASH)


@pytest.mark.parametrize("name", sorted(theme.PALETTE))
def test_line_colours_stand_out_from_the_white_plot(name):
    """Graphical objects need 3:1 against their background (1.4.11)."""
    assert contrast(theme.PALETTE[name]) >= 3.0


@pytest.mark.parametrize("kind", sorted(ba.VERDICTS))
def test_verdict_colours_stand_out_and_their_table_cells_keep_text_readable(kind):
    line, cell, _ = ba.VERDICTS[kind]
    assert contrast(line) >= 3.0
    assert contrast("#000000", cell) >= 4.5  # the table's text is black on the cell colour


def test_text_colours_of_the_kit_css_have_4_5_to_1_on_white():
    """Every text colour the kit's CSS sets (1.4.3); the CSS's backgrounds are near white (checked too)."""
    colours = re.findall(r"(?<![-\w])color:\s*(#[0-9a-fA-F]{6})", theme.CSS)
    assert colours, "the kit's CSS sets text colours"
    for colour in colours:
        assert contrast(colour) >= 4.5, colour
        for background in re.findall(r"background:\s*(#[0-9a-fA-F]{6})", theme.CSS):
            assert contrast(colour, background) >= 4.5, (colour, background)
