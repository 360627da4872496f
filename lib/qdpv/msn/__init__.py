r"""Mesoporous silica nanoparticles (MSNs): templating, N2 isotherms at 77 K, BET area and BJH pore sizes.

The chain a learner follows here is

    synthesis knobs -> pore diameter and particle size -> simulated N2 isotherm -> BET area, BJH pore sizes,
    pore volume -> how much CsPbBr3 the pores can hold.

Import everything from ``qdpv.msn``; the three modules behind it split the chain in its three parts:

1. :mod:`qdpv.msn.templating`: a model of the biphasic stratification synthesis (Shen et al. 2014), synthesis
   knobs -> pores and particles (:func:`template_msn`, :data:`MSN_PRESETS`). Only the micelle geometry is
   physics; the calcination factor, the oil uptakes and the shell-growth kinetics are fitted to the range
   Shen et al. report or illustrative, as :data:`TEMPLATING_NOTES` says in words an app can show.
2. :mod:`qdpv.msn.isotherm`: the forward model of the N2 isotherm of open cylindrical pores with a Gaussian size
   distribution (:func:`simulate_isotherm`, :func:`pore_volume_density_cm3_g_nm`), built on the Harkins-Jura
   film and the Kelvin equation. It is the classical picture the BJH method assumes, not a density-functional
   model: no micropores, no pore-size dependent film, hysteresis even below ~4 nm, where real N2 isotherms at
   77 K are reversible.
3. :mod:`qdpv.msn.analysis`: the standard analyses, BET area with the Rouquerol criteria, BJH pore sizes
   (classical and KJS-corrected, and the small-pore bias of the classical one), Gurvich total pore volume,
   and the largest CsPbBr3 mass the pore volume can hold.

A measured isotherm is read from a file by :func:`qdpv.io.read_isotherm` (CSV or AIF) and analysed in one call
by :func:`analyse_isotherm`.

Units: p_rel is p/p0 (dimensionless), amounts in mmol per gram of silica, lengths in nm, volumes in cm3/g
(liquid N2 volume for pore volumes), areas in m2/g.

References
----------
.. [1] D. Shen et al., "Biphase Stratification Approach to Three-Dimensional Dendritic Biodegradable
   Mesoporous Silica Nanospheres", Nano Lett. 14, 923-932 (2014). doi:10.1021/nl404316v
.. [2] M. Thommes et al., "Physisorption of gases, with special reference to the evaluation of surface area
   and pore size distribution (IUPAC Technical Report)", Pure Appl. Chem. 87, 1051-1069 (2015).
.. [3] E. P. Barrett, L. G. Joyner, P. P. Halenda, J. Am. Chem. Soc. 73, 373-380 (1951).
.. [4] S. Brunauer, P. H. Emmett, E. Teller, J. Am. Chem. Soc. 60, 309-319 (1938).
.. [5] J. Rouquerol, P. Llewellyn, F. Rouquerol, Stud. Surf. Sci. Catal. 160, 49-56 (2007).
.. [6] W. D. Harkins, G. Jura, J. Am. Chem. Soc. 66, 1366-1373 (1944).
.. [7] C. Tanford, "Micelle shape and size", J. Phys. Chem. 76, 3020-3024 (1972); J. N. Israelachvili,
   Intermolecular and Surface Forces, 3rd ed. (Academic Press, 2011), ch. 20.
.. [8] M. Kruk, M. Jaroniec, A. Sayari, Langmuir 13, 6267-6273 (1997). doi:10.1021/la970776m
"""

from __future__ import annotations

# Besides the public names, three private ones are re-exported (``name as name``) so that ``qdpv.msn._name``
# keeps working for the tests that read them: the fitted calcination factor, the KJS core radius and the pore
# classes simulate_isotherm fills.
from .analysis import (
    CSPBBR3_DENSITY_G_CM3,
    KJS_CALIBRATED_NM,
    KJS_CORRECTION_NM,
    BETResult,
    BJHResult,
    IsothermAnalysis,
    analyse_isotherm,
    bet_area_m2_g,
    bjh_pore_distribution,
    classical_bjh_diameter_nm,
    kjs_pore_diameter_nm,
    kjs_thickness_nm,
    max_cspbbr3_loading_g_g,
    total_pore_volume_cm3_g,
)
from .analysis import _kjs_core_nm as _kjs_core_nm
from .isotherm import (
    MESOPORE_MIN_NM,
    N2_CROSS_SECTION_NM2,
    N2_MOLAR_VOLUME_CM3_MOL,
    N2_SURFACE_TENSION_N_M,
    N2_TEMPERATURE_K,
    PORE_SIZE_CUTOFF_SD,
    SimulatedIsotherm,
    default_p_rel,
    harkins_jura_thickness_nm,
    kelvin_radius_nm,
    particle_external_area_m2_g,
    pore_volume_density_cm3_g_nm,
    simulate_isotherm,
)
from .isotherm import _pore_classes as _pore_classes
from .templating import _CALCINATION_FACTOR as _CALCINATION_FACTOR
from .templating import (
    MSN_PRESETS,
    OIL_UPTAKE,
    TEMPLATING_NOTES,
    TemplatingConditions,
    TemplatingResult,
    shell_thickness_nm,
    swollen_pore_diameter_nm,
    tanford_chain_length_nm,
    template_msn,
)

__all__ = [
    "CSPBBR3_DENSITY_G_CM3",
    "KJS_CALIBRATED_NM",
    "KJS_CORRECTION_NM",
    "MESOPORE_MIN_NM",
    "MSN_PRESETS",
    "N2_CROSS_SECTION_NM2",
    "N2_MOLAR_VOLUME_CM3_MOL",
    "N2_SURFACE_TENSION_N_M",
    "N2_TEMPERATURE_K",
    "OIL_UPTAKE",
    "PORE_SIZE_CUTOFF_SD",
    "TEMPLATING_NOTES",
    "BETResult",
    "BJHResult",
    "IsothermAnalysis",
    "SimulatedIsotherm",
    "TemplatingConditions",
    "TemplatingResult",
    "analyse_isotherm",
    "bet_area_m2_g",
    "bjh_pore_distribution",
    "classical_bjh_diameter_nm",
    "default_p_rel",
    "harkins_jura_thickness_nm",
    "kelvin_radius_nm",
    "kjs_pore_diameter_nm",
    "kjs_thickness_nm",
    "max_cspbbr3_loading_g_g",
    "particle_external_area_m2_g",
    "pore_volume_density_cm3_g_nm",
    "shell_thickness_nm",
    "simulate_isotherm",
    "swollen_pore_diameter_nm",
    "tanford_chain_length_nm",
    "template_msn",
    "total_pore_volume_cm3_g",
]
