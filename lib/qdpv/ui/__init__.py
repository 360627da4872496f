"""Widgets, Bokeh figures and app layouts: the only part of qdpv that imports ipywidgets and bokeh.

Each step app is one module with a ``build()`` function returning a :class:`qdpv.ui.kit.StepApp`; a notebook
shows it with ``app = build(); app``.
"""
