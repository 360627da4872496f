"""Tests for qdpv.bands: levels against the parameter sheet, offsets against hand calculation, QD limits.

Every expected number below is typed in from /work/shared/params.md ("Energy levels of the stack", eV below
vacuum; CsPbBr3 masses from Protesescu et al., Nano Lett. 15, 3692 (2015)), not taken from the code.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from qdpv import bands, confinement

# Levels are typed constants, so any difference beyond floating-point noise is a transcription error.
EXACT = 1e-12

# params.md, "Energy levels of the stack": (electron affinity, ionisation energy) or work function.
SHEET_BANDS = {
    "NiOx": (1.8, 5.3),
    "PTAA": (2.3, 5.2),
    "CsPbI3": (3.95, 5.68),
    "CsPbBr3": (3.4, 5.76),
    "SiO2": (0.9, 9.9),
    "PCBM": (3.9, 6.0),
    "C60": (4.2, 6.2),
    "BCP": (3.2, 6.5),
}
SHEET_WORK_FUNCTIONS = {"ITO": 4.7, "Ag": 4.3, "MeO-2PACz": 5.0, "Me-4PACz": 5.3}
# params.md ranges (value in brackets in the sheet).
SHEET_RANGES = {
    ("ITO", "work_function_eV"): (4.4, 4.8),
    ("NiOx", "ionisation_energy_eV"): (5.2, 5.4),
    ("C60", "electron_affinity_eV"): (4.0, 4.5),
    ("BCP", "electron_affinity_eV"): (3.0, 3.5),
    ("BCP", "ionisation_energy_eV"): (6.4, 7.0),
    ("Ag", "work_function_eV"): (4.26, 4.7),
}
# Yang et al. 2017 reduced exciton mass of CsPbBr3, 0.126 m0, split equally (the kit's stated assumption).
M_E, M_H = 0.252, 0.252
BULK_GAP_CSPBBR3 = 2.36  # bulk optical gap, Protesescu et al. 2015


# ---------------------------------------------------------------- levels vs the parameter sheet


@pytest.mark.parametrize("name", sorted(SHEET_BANDS))
def test_semiconductor_levels_match_sheet(name):
    lay = bands.layer(name)
    ea, ie = SHEET_BANDS[name]
    assert lay.electron_affinity_eV == pytest.approx(ea, abs=EXACT)
    assert lay.ionisation_energy_eV == pytest.approx(ie, abs=EXACT)
    assert lay.work_function_eV is None
    assert lay.band_gap_eV == pytest.approx(ie - ea, abs=EXACT)


@pytest.mark.parametrize("name", sorted(SHEET_WORK_FUNCTIONS))
def test_contact_work_functions_match_sheet(name):
    lay = bands.layer(name)
    assert lay.is_contact
    assert lay.work_function_eV == pytest.approx(SHEET_WORK_FUNCTIONS[name], abs=EXACT)
    assert lay.electron_affinity_eV is None and lay.band_gap_eV is None


@pytest.mark.parametrize(("name", "field"), sorted(SHEET_RANGES))
def test_literature_ranges_match_sheet_and_contain_value(name, field):
    lay = bands.layer(name)
    assert lay.range(field) == pytest.approx(SHEET_RANGES[(name, field)], abs=EXACT)
    lo, hi = lay.range(field)
    assert lo <= getattr(lay, field) <= hi


def test_perovskite_levels_match_bulk_gaps_of_sheet():
    # params.md bulk gaps 1.73 (CsPbI3) and 2.36 eV (CsPbBr3) must equal I - chi of the level table.
    assert bands.layer("CsPbI3").band_gap_eV == pytest.approx(1.73, abs=1e-9)
    assert bands.layer("CsPbBr3").band_gap_eV == pytest.approx(BULK_GAP_CSPBBR3, abs=1e-9)


def test_sam_work_functions_are_flagged_and_above_bare_ito():
    ito = bands.layer("ITO").work_function_eV
    for sam in ("MeO-2PACz", "Me-4PACz"):
        lay = bands.layer(sam)
        # A SAM raises the ITO work function (the reason to use it); its source says it is unconfirmed.
        assert lay.work_function_eV > ito
        assert "NOT confirmed" in lay.source
        assert lay.thickness_nm <= 2.0  # a monolayer, ~1 nm


def test_every_catalogue_layer_has_source_role_and_positive_thickness():
    for lay in bands.LAYERS.values():
        assert lay.source
        assert lay.role in bands.ROLES
        assert lay.thickness_nm > 0


# ---------------------------------------------------------------- the paper's stack


def test_inverted_stack_order_and_choices():
    names = [lay.name for lay in bands.inverted_stack()]
    assert names == ["ITO", "NiOx", "CsPbI3", "C60", "BCP", "Ag"]
    with_qd = bands.inverted_stack(8.0, htl="Me-4PACz", etl="PCBM")
    assert [lay.role for lay in with_qd] == ["contact", "HTL", "absorber", "interlayer", "ETL", "buffer", "contact"]
    assert with_qd[1].name == "Me-4PACz" and with_qd[4].name == "PCBM"


def test_offsets_of_control_stack_by_hand():
    # Hand calculation from params.md: dEc = chi_left - chi_right, dEv = I_left - I_right,
    # phi_Bn = WF - chi, phi_Bp = I - WF at contacts.
    rows = bands.offsets(bands.inverted_stack())
    expected = [
        # left, right, side, dEc, dEv, phi_Bn, phi_Bp
        ("ITO", "NiOx", "HTL side", None, None, 4.7 - 1.8, 5.3 - 4.7),
        ("NiOx", "CsPbI3", "HTL side", 1.8 - 3.95, 5.3 - 5.68, None, None),
        ("CsPbI3", "C60", "ETL side", 3.95 - 4.2, 5.68 - 6.2, None, None),
        ("C60", "BCP", "ETL side", 4.2 - 3.2, 6.2 - 6.5, None, None),
        ("BCP", "Ag", "ETL side", None, None, 4.3 - 3.2, 6.5 - 4.3),
    ]
    assert len(rows) == len(expected)
    for row, (left, right, side, dec, dev, pbn, pbp) in zip(rows, expected, strict=True):
        assert (row.left, row.right, row.side) == (left, right, side)
        for got, want in ((row.dEc_eV, dec), (row.dEv_eV, dev), (row.phi_bn_eV, pbn), (row.phi_bp_eV, pbp)):
            if want is None:
                assert math.isnan(got)
            else:
                assert got == pytest.approx(want, abs=1e-9)


def test_verdicts_of_control_stack_name_the_physics_and_numbers():
    rows = {(r.left, r.right): r for r in bands.offsets(bands.inverted_stack())}
    # ITO 4.7 vs NiOx VBM 5.3: 0.60 eV Schottky-type hole barrier.
    assert "Schottky-type barrier for holes 0.60 eV" in rows["ITO", "NiOx"].holes
    # NiOx CBM 1.8 vs CsPbI3 3.95: electrons blocked by 2.15 eV; VBM 5.3 above 5.68: hole cascade 0.38 eV.
    assert "electron-blocking" in rows["NiOx", "CsPbI3"].electrons and "2.15" in rows["NiOx", "CsPbI3"].electrons
    assert "hole cascade" in rows["NiOx", "CsPbI3"].holes and "0.38" in rows["NiOx", "CsPbI3"].holes
    # CsPbI3 3.95 -> C60 4.2: CBM steps down 0.25 eV; VBM 5.68 vs 6.2: holes blocked by 0.52 eV.
    assert "electron cascade: CBM steps down 0.25 eV" in rows["CsPbI3", "C60"].electrons
    assert "hole-blocking: VBM offset 0.52 eV" in rows["CsPbI3", "C60"].holes
    # C60 4.2 -> BCP 3.2: nominal 1.00 eV electron barrier, with the thin-buffer caveat.
    assert "barrier for electrons 1.00 eV" in rows["C60", "BCP"].electrons
    assert "buffer" in rows["C60", "BCP"].note
    # BCP 3.2 vs Ag 4.3: 1.10 eV Schottky-type electron barrier; holes 6.5 - 4.3 = 2.20 eV blocked.
    assert "Schottky-type barrier for electrons 1.10 eV" in rows["BCP", "Ag"].electrons
    assert "hole-blocking" in rows["BCP", "Ag"].holes and "2.20" in rows["BCP", "Ag"].holes


def test_pcbm_is_reported_aligned_and_sam_as_work_function_step():
    rows = {(r.left, r.right): r for r in bands.offsets(bands.inverted_stack(htl="MeO-2PACz", etl="PCBM"))}
    # CsPbI3 3.95 vs PCBM 3.9: 0.05 eV, which is exactly the "aligned" threshold.
    assert rows["CsPbI3", "PCBM"].dEc_eV == pytest.approx(0.05, abs=1e-9)
    assert "aligned" in rows["CsPbI3", "PCBM"].electrons
    # ITO 4.7 -> ITO/MeO-2PACz 5.0: a +0.30 eV work-function step, no band offsets.
    assert "+0.30 eV" in rows["ITO", "MeO-2PACz"].electrons
    assert rows["ITO", "MeO-2PACz"].electron_verdict is bands.Verdict.CONTACT_STEP
    assert math.isnan(rows["ITO", "MeO-2PACz"].dEc_eV)
    # SAM 5.0 vs CsPbI3 VBM 5.68: 0.68 eV Schottky-type hole barrier (Schottky-Mott, no pinning).
    assert rows["MeO-2PACz", "CsPbI3"].phi_bp_eV == pytest.approx(5.68 - 5.0, abs=1e-9)


def test_qd_stack_offsets_by_hand():
    size = 8.0  # the paper's medium-MSN pore, nm
    # Hand calculation: dE from the confinement module's optical gap minus the sheet's bulk gap, split by
    # the masses: CBM takes m_h/(m_e+m_h), VBM m_e/(m_e+m_h).
    d_e = float(confinement.band_gap_eV(size)) - BULK_GAP_CSPBBR3
    ea_qd = 3.4 - d_e * M_H / (M_E + M_H)
    ie_qd = 5.76 + d_e * M_E / (M_E + M_H)
    rows = {(r.left, r.right): r for r in bands.offsets(bands.inverted_stack(size))}
    assert rows["CsPbI3", "CsPbBr3 QDs@SiO2"].dEc_eV == pytest.approx(3.95 - ea_qd, abs=1e-9)
    assert rows["CsPbI3", "CsPbBr3 QDs@SiO2"].dEv_eV == pytest.approx(5.68 - ie_qd, abs=1e-9)
    assert rows["CsPbBr3 QDs@SiO2", "C60"].dEc_eV == pytest.approx(ea_qd - 4.2, abs=1e-9)
    assert rows["CsPbBr3 QDs@SiO2", "C60"].dEv_eV == pytest.approx(ie_qd - 6.2, abs=1e-9)
    assert "interlayer" in rows["CsPbI3", "CsPbBr3 QDs@SiO2"].note


def test_silica_layer_is_a_huge_barrier():
    # SiO2 (params.md: CBM 0.9, VBM 9.9 eV) after CsPbI3: electrons face 3.95 - 0.9 = 3.05 eV.
    stack = [bands.layer("ITO"), bands.layer("CsPbI3"), bands.layer("SiO2"), bands.layer("Ag")]
    row = bands.offsets(stack)[1]
    assert row.dEc_eV == pytest.approx(3.05, abs=1e-9)
    assert "barrier for electrons 3.05 eV" in row.electrons


def test_offsets_rows_form_a_table():
    rows = [r.as_row() for r in bands.offsets(bands.inverted_stack(8.0))]
    assert len(rows) == 6
    assert set(rows[0]) == {
        "left",
        "right",
        "side",
        "dEc_eV",
        "dEv_eV",
        "phi_bn_eV",
        "phi_bp_eV",
        "electron_verdict",
        "hole_verdict",
        "electron_barrier_eV",
        "hole_barrier_eV",
        "electrons",
        "holes",
        "note",
    }


def test_verdicts_are_values_and_their_sentences_carry_the_numbers():
    # NiOx/CsPbI3/C60 stack of the paper, by hand (vacuum-level rule): on the HTL side electrons are blocked
    # by chi(CsPbI3) - chi(NiOx) = 3.95 - 1.8 = 2.15 eV and holes cascade (5.68 - 5.3 = 0.38 eV); on the ETL
    # side electrons cascade into C60 (4.2 - 3.95 = 0.25 eV) and holes are blocked (6.2 - 5.68 = 0.52 eV).
    rows = {(r.left, r.right): r for r in bands.offsets(bands.inverted_stack(None))}
    htl, etl = rows["NiOx", "CsPbI3"], rows["CsPbI3", "C60"]
    assert (htl.electron_verdict, htl.hole_verdict) == (bands.Verdict.BLOCKING, bands.Verdict.CASCADE)
    assert (etl.electron_verdict, etl.hole_verdict) == (bands.Verdict.CASCADE, bands.Verdict.BLOCKING)
    assert htl.electron_barrier_eV == pytest.approx(2.15, abs=1e-9)
    assert etl.hole_barrier_eV == pytest.approx(0.52, abs=1e-9)
    assert {htl.hole_verdict.kind, etl.electron_verdict.kind} == {"good"}
    assert htl.electron_verdict.kind == "blocking"
    # the sentence is derived from the value: the same verdict with another barrier says the other number
    assert "0.52" in etl.holes and "2.15" in htl.electrons
    assert bands.Verdict.BARRIER.sentence("electron", 0.31, False) == "barrier for electrons 0.31 eV toward the cathode"
    assert {v.kind for v in bands.Verdict} == {"good", "barrier", "blocking", "leak", "neutral"}


# ---------------------------------------------------------------- quantum-dot levels


def test_qd_levels_split_by_effective_masses():
    sizes = np.array([4.0, 6.0, 8.0, 12.0])
    ea, ie = bands.qd_levels_eV(sizes)
    # CBM shift / VBM shift = (1/m_e) / (1/m_h) = m_h / m_e.
    assert (3.4 - ea) / (ie - 5.76) == pytest.approx(np.full(4, M_H / M_E), rel=1e-9)
    # The level gap is the dot's optical gap from the confinement module.
    assert ie - ea == pytest.approx(confinement.band_gap_eV(sizes), abs=1e-9)


def test_qd_levels_move_monotonically_toward_bulk():
    sizes = np.linspace(3.0, 100.0, 400)
    ea, ie = bands.qd_levels_eV(sizes)
    assert np.all(np.diff(ea) >= 0) and np.all(np.diff(ie) <= 0)
    # Strong confinement at 3 nm: levels far from bulk (> 0.2 eV, the gap there is ~1 eV above bulk).
    assert 3.4 - ea[0] > 0.2 and ie[0] - 5.76 > 0.2
    # Large size: the default model tends to the bulk optical gap, so the levels converge to the bulk ones
    # (centre-of-mass confinement at 100 nm: 0.2 meV).
    assert abs(ea[-1] - 3.4) < 0.001 and abs(ie[-1] - 5.76) < 0.001
    assert abs((ie[-1] - ea[-1]) - BULK_GAP_CSPBBR3) < 0.001


# ---------------------------------------------------------------- band diagram arrays


def test_band_diagram_positions_and_levels():
    stack = bands.inverted_stack(8.0)
    diagram = bands.band_diagram(stack)
    widths = np.array([lay.thickness_nm for lay in stack])
    assert diagram.x_left_nm[0] == 0.0
    assert diagram.x_right_nm - diagram.x_left_nm == pytest.approx(widths)
    assert diagram.x_left_nm[1:] == pytest.approx(diagram.x_right_nm[:-1])
    # Energies are minus the sheet values: ITO -4.7 (work function), CsPbI3 CBM -3.95 / VBM -5.68.
    assert diagram.fermi_eV[0] == pytest.approx(-4.7) and diagram.fermi_eV[-1] == pytest.approx(-4.3)
    assert diagram.cbm_eV[2] == pytest.approx(-3.95) and diagram.vbm_eV[2] == pytest.approx(-5.68)
    assert np.isnan(diagram.cbm_eV[0]) and np.isnan(diagram.fermi_eV[2])
    x, y = diagram.step("vbm")
    assert x.shape == y.shape == (2 * len(stack),)
    assert y[4] == y[5] == pytest.approx(-5.68)


def test_band_diagram_min_width_widens_thin_layers_only():
    stack = bands.inverted_stack(htl="Me-4PACz")
    diagram = bands.band_diagram(stack, min_width_nm=20.0)
    widths = diagram.x_right_nm - diagram.x_left_nm
    assert widths[1] == pytest.approx(20.0)  # the 1 nm SAM is drawn 20 nm wide
    assert widths[2] == pytest.approx(stack[2].thickness_nm)  # the absorber keeps its thickness


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(
    ("call", "param"),
    [
        (lambda: bands.layer("Spiro-OMeTAD"), "name"),
        (lambda: bands.layer("C60", thickness_nm=-5.0), "thickness_nm"),
        (lambda: bands.layer("C60", thickness_nm=float("nan")), "thickness_nm"),
        (lambda: bands.inverted_stack(qd_size_nm=-3.0), "qd_size_nm"),
        (lambda: bands.inverted_stack(qd_size_nm=0.0), "qd_size_nm"),
        (lambda: bands.inverted_stack(qd_size_nm=float("nan")), "qd_size_nm"),
        (lambda: bands.inverted_stack(qd_size_nm=[5.0, 8.0]), "qd_size_nm"),
        (lambda: bands.inverted_stack(htl="Spiro-OMeTAD"), "htl"),
        (lambda: bands.inverted_stack(etl="ZnO"), "etl"),
        (lambda: bands.qd_interlayer(8.0, thickness_nm=-1.0), "thickness_nm"),
        (lambda: bands.qd_levels_eV(-1.0), "size_nm"),
        (lambda: bands.offsets([bands.layer("C60")]), "stack"),
        (lambda: bands.offsets([bands.layer("ITO"), bands.layer("C60")]), "absorber"),
        (lambda: bands.offsets(["ITO", "CsPbI3"]), "stack"),
        (lambda: bands.band_diagram([]), "stack"),
        (lambda: bands.band_diagram(bands.inverted_stack(), min_width_nm=-1.0), "min_width_nm"),
        (lambda: bands.band_diagram(bands.inverted_stack()).step("fermi level"), "level"),
        (lambda: bands.Layer("X", "emitter", 10.0, 3.0, 5.0), "role"),
        (lambda: bands.Layer("X", "ETL", 10.0, 5.0, 3.0), "ionisation_energy_eV"),
        (lambda: bands.Layer("X", "ETL", -10.0, 3.0, 5.0), "thickness_nm"),
    ],
)
def test_bad_input_raises_value_error_naming_parameter(call, param):
    with pytest.raises(ValueError, match=param):
        call()


def test_error_message_gives_value_and_range():
    with pytest.raises(ValueError, match=r"qd_size_nm must be in \(0, 100\] nm, got -3"):
        bands.inverted_stack(qd_size_nm=-3)


def test_sub_nm_dot_interlayer_is_refused_by_size_not_by_layer_levels():
    # Regression (tests/test_properties.py): a 0.5 nm dot's confined CBM lies above vacuum, and qd_interlayer
    # failed inside Layer with a message about electron_affinity_eV. It now names qd_size_nm; 1 nm dots
    # (the CBM is below vacuum from about 0.67 nm) still give a layer.
    with pytest.raises(ValueError, match="qd_size_nm must be large enough"):
        bands.qd_interlayer(0.5)
    with pytest.raises(ValueError, match="qd_size_nm"):
        bands.inverted_stack(qd_size_nm=0.5)
    assert bands.qd_interlayer(1.0).electron_affinity_eV > 0
