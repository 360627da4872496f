"""The words the apps use that a first-year student may not know, each explained in one plain sentence.

Every app lists the terms its labels, texts and notes use (its ``TERMS``) and shows them, collapsed, under its
figures next to its model note, which is collapsed too (:func:`note_html`): the page stays short, and every
term is one click away. ``tests/test_teaching_texts.py`` checks that every term of :data:`GLOSSARY` an app's
texts use is in that app's list.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable

__all__ = ["GLOSSARY", "VARIANTS", "find_terms", "note_html", "terms_html"]

GLOSSARY: dict[str, str] = {
    # -- silica particles and their pores (step 1) ----------------------------------------------------------
    "MSN": "Mesoporous silica nanoparticle: a grain of glass-like silica, about 100 nm across, full of pores a few "
           "nanometres wide.",
    "mesopore": "A pore 2 to 50 nm wide; narrower ones are called micropores, wider ones macropores.",
    "surfactant": "A soap-like molecule with a water-loving head and an oily tail, many of which gather into "
                  "micelles.",
    "CTAC": "Cetyltrimethylammonium chloride, the surfactant with a 16-carbon tail whose micelles template the "
            "paper's pores.",
    "micelle": "A ball of surfactant molecules with their oily tails inside, around which the silica grows, "
               "leaving a pore where the micelle was.",
    "swelling oil": "An oil that dissolves in the micelles' oily cores and makes them, and so the pores, larger.",
    "calcination": "Heating the particles in air to burn the surfactant out of the pores.",
    "isotherm": "How much gas a sample holds at each pressure, all at one temperature (here nitrogen at 77 K, its "
                "boiling point).",
    "p/p0": "The gas pressure divided by the pressure at which the gas turns liquid: 0 is vacuum, 1 is "
            "saturation.",
    "adsorption": "Gas molecules sticking to a surface; on the adsorption branch the pressure rises, on the "
                  "desorption branch it falls.",
    "hysteresis": "The way down not retracing the way up: here the pores empty at a lower pressure than the one "
                  "at which they filled.",
    "capillary condensation": "Gas turning liquid inside a narrow pore at a pressure below the one at which it "
                              "would condense in the open.",
    "Kelvin equation": "The relation between the pressure at which a pore fills or empties and the curvature of "
                       "the liquid's surface, and so the pore's size.",
    "meniscus": "The curved surface of a liquid in a narrow pore or tube.",
    "monolayer": "A layer of gas molecules one molecule thick covering the whole surface.",
    "BET": "The Brunauer-Emmett-Teller method, which finds a sample's surface area (m²/g) from the amount of gas "
           "that forms the first layer on it.",
    "Rouquerol criteria": "Rules that choose the pressure range in which the BET method can be trusted.",
    "BJH": "The Barrett-Joyner-Halenda method, which reads pore sizes off the pressures at which the pores fill "
           "or empty.",
    "KJS": "The Kruk-Jaroniec-Sayari correction of BJH, calibrated on silicas of known pore size, which removes "
           "BJH's underestimate of small pores.",
    "Harkins-Jura": "An empirical formula for how thick the adsorbed film on a pore wall is at a given pressure.",
    "Gurvich rule": "Counting the liquid nitrogen a sample holds near saturation (p/p0 = 0.95) as the volume of "
                    "all its pores.",
    "TEM": "Transmission electron microscopy, which images single dots so that their size can be measured "
           "directly.",
    # -- quantum dots and light (step 2) -------------------------------------------------------------------------
    "perovskite": "A family of crystals with the atomic arrangement of the mineral perovskite; CsPbI3 and CsPbBr3 "
                  "are lead-halide perovskites.",
    "CsPbI3": "Caesium lead iodide, the perovskite that absorbs the light in the paper's solar cell.",
    "CsPbBr3": "Caesium lead bromide, a perovskite with a wider band gap, grown here as dots inside the pores.",
    "quantum dot": "A crystal only a few nanometres across, so small that its size changes its band gap and "
                   "colour.",
    "exciton": "An electron and the hole it left behind, held together by their attraction like a tiny hydrogen "
               "atom.",
    "Bohr diameter": "The natural size of an exciton in a material (7 nm in CsPbBr3; the Bohr radius is half of "
                     "it), against which a dot counts as small or large.",
    "confinement": "The squeezing of electrons and holes in a dot smaller than their natural size, which raises "
                   "their energy and so the band gap.",
    "effective mass": "How heavy an electron or a hole behaves inside a crystal; the lighter it is, the more "
                      "confinement raises its energy.",
    "Brus model": "The textbook formula for a small dot's band gap: the bulk gap plus a confinement energy minus "
                  "the electron-hole attraction.",
    "Kane model": "A refinement of the effective-mass picture in which the bands flatten at higher energy, so "
                  "that small dots are not over-confined.",
    "band gap": "The least energy that frees an electron to move through the crystal; light with less energy "
                "passes through unabsorbed.",
    "PL": "Photoluminescence, the light a material gives off after absorbing light, whose colour shows its band "
          "gap.",
    "FWHM": "Full width at half maximum: how wide a peak is, measured halfway up.",
    "Stokes shift": "The small loss of energy between the light a dot absorbs and the light it gives off.",
    # -- energy levels (step 3) ----------------------------------------------------------------------------------
    "vacuum level": "The energy of an electron at rest just outside a material, the common zero of a band "
                    "diagram.",
    "CBM": "Conduction-band minimum, the lowest energy an electron free to move through the material can have.",
    "VBM": "Valence-band maximum, the highest energy of the bound electrons, where the holes sit.",
    "work function": "The energy needed to take an electron out of a metal or contact to the vacuum level.",
    "band offset": "The jump of the CBM or VBM where two materials meet; a step uphill is a barrier for the "
                   "carrier crossing it.",
    "Anderson rule": "Placing the bands of two materials by lining up their vacuum levels, ignoring what happens "
                     "at the interface itself.",
    "Schottky-Mott": "The vacuum-level picture of a metal contact, in which the barrier is the difference between "
                     "the metal's work function and the semiconductor's band edge.",
    "interface dipole": "A thin sheet of separated charge where two materials meet, which shifts the levels on one "
                        "side against the other.",
    "Fermi level": "The energy up to which the electrons fill the available states.",
    "quasi-Fermi level": "Under light a cell holds extra electrons and holes, each filled to its own level, and "
                         "the gap between the two levels sets the voltage.",
    "tunnelling": "A quantum effect by which an electron passes through a thin barrier it has too little energy "
                  "to climb.",
    "HTL": "Hole-transport layer, which passes holes from the absorber to the anode and keeps electrons out.",
    "ETL": "Electron-transport layer, which passes electrons from the absorber to the cathode and keeps holes out.",
    "SAM": "Self-assembled monolayer, a single layer of molecules on the ITO that sets its work function and "
           "extracts holes.",
    "ITO": "Indium tin oxide, the transparent conducting coating on the glass through which light enters.",
    "NiOx": "Nickel oxide, an inorganic hole-transport layer.",
    "PTAA": "A hole-transporting polymer used as an HTL.",
    "C60": "A ball-shaped carbon molecule (a fullerene) used as an electron-transport layer.",
    "PC61BM": "A soluble fullerene derivative used as an electron-transport layer.",
    "BCP": "Bathocuproine, a few-nanometre buffer layer between the ETL and the silver electrode.",
    "p-i-n": "A cell built hole contact first, on the glass, with the electron contact on top; called inverted "
             "because the first perovskite cells were built the other way round.",
    "interlayer": "A thin extra layer between two others, here the quantum-dot layer between the perovskite and "
                  "the ETL.",
    # -- the solar cell (step 4) ---------------------------------------------------------------------------------
    "J-V curve": "The current density of a cell plotted against its voltage; its ends and its corner give Jsc, "
                 "Voc and FF.",
    "Jsc": "Short-circuit current density, the current per cm² the cell gives when its contacts are joined.",
    "Voc": "Open-circuit voltage, the voltage of a lit cell when no current is drawn.",
    "FF": "Fill factor, how square the J-V curve is: the maximum power divided by Voc times Jsc.",
    "PCE": "Power conversion efficiency, the electrical power out divided by the power of the sunlight in.",
    "maximum power point": "The point of the J-V curve where voltage times current, the power, is largest.",
    "Jph": "Photocurrent density, the current the absorbed light generates before any loss in the diode.",
    "J0": "Saturation current density, the scale of the current lost to recombination: the lower J0, the higher "
          "Voc.",
    "ideality factor": "A number n, usually between 1 and 2, that says how quickly the recombination current grows "
                       "with voltage.",
    "Rs": "Series resistance, that of the layers and contacts the current passes through, which lowers the FF.",
    "Rsh": "Shunt resistance, that of leakage paths around the junction; a low Rsh lowers the FF and Voc.",
    "thermal voltage": "The voltage kT/q, about 25.7 mV at 25 °C, that matches the carriers' thermal energy.",
    "detailed-balance limit": "The highest efficiency a cell with one band gap can reach, when every recombination "
                              "gives off light (Shockley and Queisser).",
    "AM1.5G": "The standard spectrum of sunlight at the ground (1000 W/m²) used to rate solar cells.",
    "recombination": "An electron and a hole meeting and cancelling out before they reach the contacts.",
    "non-radiative": "Recombination that gives off heat instead of light, the loss that keeps Voc below its "
                     "radiative limit.",
    "radiative limit": "The Voc a cell would reach if every recombination gave off light.",
    "SRH": "Shockley-Read-Hall recombination, an electron and a hole meeting at a defect and losing their energy "
           "as heat.",
    "trap density": "How many defects per cm³ can catch electrons or holes; it sets how long carriers live in the "
                    "film.",
    "interface recombination velocity": "How fast carriers are lost at a surface, in cm/s: the more defects the "
                                        "surface has, the faster.",
    "S0": "The interface recombination velocity at the perovskite's top surface without the quantum-dot layer.",
    "passivation": "Treating a surface so that its defects stop catching electrons and holes.",
    "high injection": "Light creating more carriers than the material holds in the dark, beyond where the simple "
                      "diode formulas hold.",
    "log10": "The base-10 logarithm: one step of a log10 slider multiplies the value by ten.",
    "Lambert W": "A mathematical function that solves the diode equation exactly, without trial and error.",
    "phenomenological": "Describing what is observed with a chosen formula rather than deriving it from the "
                        "underlying physics.",
    "illustrative": "Chosen to show the behaviour, neither measured nor taken from the paper.",
    # -- carriers and ageing (step 5) ----------------------------------------------------------------------------
    "TRPL": "Time-resolved photoluminescence, the fading of a sample's light after a short laser pulse, which "
            "shows how long carriers live.",
    "TCSPC": "Time-correlated single-photon counting, which times single photons after each laser pulse to build "
             "the decay; its window is how long it records after a pulse.",
    "lifetime": "The average time a carrier survives before it recombines.",
    "bi-exponential": "A sum of two exponential decays, a fast one and a slow one.",
    "Poisson": "The statistics of counted random events such as photons, whose scatter is the square root of the "
               "count.",
    "MLE": "Maximum-likelihood estimation, the fit that makes the measured counts most probable.",
    "deviance": "A measure of misfit; divided by the degrees of freedom (dof) it is about 1 when the model follows "
                "the data within their noise.",
    "residuals": "The differences between data and fit, which a good fit leaves as random scatter.",
    "thermal quenching": "The dimming of PL as the temperature rises, because heat helps carriers reach traps.",
    "activation energy": "The energy barrier a process driven by heat must climb; the higher it is, the warmer it "
                         "must be.",
    "Arrhenius": "A plot against 1/T, on which a process with one activation energy follows a straight line.",
    "T80": "The time until a cell is down to 80 % of its starting efficiency, a common measure of its lifetime.",
    "ISOS": "Agreed ageing tests for perovskite cells: ISOS-D stores them in the dark, ISOS-L keeps them under "
            "light.",
    "stretched exponential": "A decay exp[-(kt)^β] whose exponent β bends it: β below 1 slows with time, above 1 "
                             "speeds up, and β = 1 is the plain exponential.",
    "burn-in": "A fast loss of efficiency in the first hours, followed by slower ageing.",
    "extrapolation": "Reading a model beyond the range of the data it was fitted to.",
}
"""Term -> one plain sentence, for a first-year student."""

VARIANTS: dict[str, tuple[str, ...]] = {
    "MSN": ("MSNs",),
    "mesopore": ("mesopores", "micropores"),
    "micelle": ("micelles",),
    "isotherm": ("isotherms",),
    "adsorption": ("desorption",),
    "Kelvin equation": ("Kelvin",),
    "BET": ("BET area", "BET transform"),
    "Rouquerol criteria": ("Rouquerol",),
    "Gurvich rule": ("Gurvich",),
    "quantum dot": ("quantum dots", "QD", "QDs", "dot", "dots"),
    "Bohr diameter": ("Bohr radius", "Bohr size"),
    "effective mass": ("effective masses",),
    "confinement": ("confined", "over-confines"),
    "Brus model": ("Brus",),
    "Kane model": ("Kane",),
    "band gap": ("gap",),
    "PL": ("photoluminescence",),
    "Fermi level": ("Fermi-level",),
    "band offset": ("band offsets", "offsets", "offset"),
    "Anderson rule": ("Anderson",),
    "interface dipole": ("interface dipoles", "dipoles"),
    "tunnelling": ("tunnel",),
    "SAM": ("SAMs",),
    "J-V curve": ("J-V",),
    "maximum power point": ("maximum power points",),
    "ideality factor": ("ideality",),
    "thermal voltage": ("kT/q",),
    "detailed-balance limit": ("detailed balance", "detailed-balance"),
    "recombination": ("recombine", "recombines"),
    "trap density": ("trap", "traps"),
    "interface recombination velocity": ("recombination velocity",),
    "passivation": ("passivate", "passivates", "passivating", "passivated"),
    "lifetime": ("lifetimes",),
    "bi-exponential": ("mono-exponential",),
    "residuals": ("residual",),
    "thermal quenching": ("quenching",),
    "ISOS": ("ISOS-D", "ISOS-L"),
    "stretched exponential": ("stretched", "stretch exponent"),
    "extrapolation": ("extrapolated",),
}
"""Other spellings under which a term of :data:`GLOSSARY` appears in the apps' texts."""


def _pattern(term: str) -> re.Pattern[str]:
    words = [term, *VARIANTS.get(term, ())]
    words += [w[0].upper() + w[1:] for w in words if w[0].islower()]  # at the start of a sentence or a title
    words.sort(key=len, reverse=True)
    # not inside a longer word or after a hyphen ("radiative limit" is not in "non-radiative limit")
    return re.compile(r"(?<![\w-])(?:" + "|".join(re.escape(w) for w in words) + r")(?!\w)")


_PATTERNS = {term: _pattern(term) for term in GLOSSARY}


def _plain(text: str) -> str:
    """``text`` without HTML tags and entities (so that "V<sub>oc</sub>" reads "Voc")."""
    return html.unescape(re.sub(r"<[^>]+>", "", text))


def find_terms(*texts: str) -> list[str]:
    """The terms of :data:`GLOSSARY` (or their :data:`VARIANTS`) that ``texts`` use, in the glossary's order.

    Examples
    --------
    >>> find_terms("Voc and FF of the J-V curve", "log10 interface S0 (cm/s)")
    ['J-V curve', 'Voc', 'FF', 'S0', 'log10']
    """
    plain = " ".join(_plain(t) for t in texts)
    return [term for term, pattern in _PATTERNS.items() if pattern.search(plain)]


def terms_html(terms: Iterable[str]) -> str:
    """A collapsed "Terms used here" panel explaining ``terms`` (all of them keys of :data:`GLOSSARY`)."""
    terms = list(terms)
    unknown = [t for t in terms if t not in GLOSSARY]
    if unknown:
        raise ValueError(f"terms must be keys of qdpv.ui.glossary.GLOSSARY, got unknown {unknown}")
    items = "".join(
        f"<li style='margin:0.2em 0'><b>{html.escape(t)}</b>: {html.escape(GLOSSARY[t])}</li>" for t in terms
    )
    return (
        "<details class='qdpv-terms'><summary style='cursor:pointer'><b>Terms used here</b> "
        f"({len(terms)}, each in one sentence)</summary><ul style='margin:0.4em 0;padding-left:1.2em'>{items}</ul>"
        "</details>"
    )


def note_html(note: str, terms: Iterable[str]) -> str:
    """An app's model note collapsed under "How the model works", then its "Terms used here" panel."""
    return (
        "<details class='qdpv-model-note'><summary style='cursor:pointer'><b>How the model works</b> "
        "(what is simplified; which numbers are the paper's and which are illustrative)</summary>"
        f"{note}</details>{terms_html(terms)}"
    )
