"""qdpv: simplified, documented models from mesoporous-silica pores to perovskite solar-cell lifetime.

Physics, importing only numpy, scipy and each other: ``constants``, ``materials``, ``paper``, ``msn``,
``confinement``, ``bands``, ``spectra``, ``diode``, ``recombination``, ``device`` (the kit's illustrative cell),
``carriers``, ``stability``, ``datasets`` (the data tables shipped in ``qdpv/data``) and ``io`` (every CSV
reader), with ``_validate`` (the argument checks at the library's edge) and ``_fitting`` (what the fits share).

Physical constants live in ``constants``. The only parts that are not physics, and that no physics module
imports, are two subpackages: ``ui`` (the widgets, figures and layouts of the apps; the only place that imports
ipywidgets and bokeh) and ``serving`` (the Voila/Jupyter server side, which the server loads by name from
``voila.json``).
"""

__version__ = "0.1.0"
