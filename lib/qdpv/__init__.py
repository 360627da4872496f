"""qdpv: simplified, documented models from mesoporous-silica pores to perovskite solar-cell lifetime.

Physics modules (``constants``, ``materials``, ``paper``, ``msn``, ``confinement``, ``bands``, ``spectra``,
``diode``, ``recombination``, ``carriers``, ``stability``, ``datasets``, ``io``) import only numpy, scipy and
each other; physical constants live in ``constants``, every CSV reader in ``io``. ``qdpv.ui`` holds the widgets
and figures of the apps and is the only module that imports ipywidgets and bokeh.
"""

__version__ = "0.1.0"
