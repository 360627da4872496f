"""qdpv: simplified, documented models from mesoporous-silica pores to perovskite solar-cell lifetime.

Physics modules (``materials``, ``paper``, ``msn``, ``confinement``, ``bands``, ``spectra``, ``diode``,
``recombination``, ``stability``) import only numpy, scipy and each other. ``qdpv.ui`` holds the widgets
and figures of the apps and is the only module that imports ipywidgets and bokeh.
"""

__version__ = "0.1.0"
