"""The UI kit every qdpv app is built from, so that all apps look and behave alike.

An app is a :class:`StepApp`: controls (each with its unit), linked Bokeh figures beside them on a wide screen and
under them on a narrow one, each figure with a text alternative (:func:`describe_figure`),
a results text that updates with the numbers and says what to notice, a model note saying how simple the
model behind them is, presets, a "check your understanding" question with immediate feedback, an error
panel that shows a readable message (never a traceback) when inputs leave a model's range, and a button that
downloads the data behind the figures as CSV. An app may take the learner's own measurement (:class:`Upload`):
read and analysed by the library, drawn over the model's figures, written into the CSV and read back from it.

One module per concern: ``app`` (the app class and loading BokehJS), ``widgets`` (controls and the quiz),
``download`` (the CSV button), ``upload`` (the learner's file), ``theme`` (colours, figure style, CSS), ``page``
(the scripts the kit shows a page), ``ahead`` (apps built once in the kernels' template, taken by the kernels
forked from it).
``_bokeh_internals`` holds every use of a private part of BokehJS, bokeh or jupyter_bokeh, each made only on the
versions it was measured with.
"""

from ._bokeh_internals import BatchedBokehModel
from .app import StepApp, describe_figure, setup_bokeh
from .download import CsvTable, csv_button, download_text
from .theme import FIG_HEIGHT, FIG_WIDTH, PALETTE, make_figure, wrap_title
from .upload import ANALYSIS_COLUMNS, Outcome, Upload, analysis_rows, plus_minus
from .widgets import Quiz, dropdown, number, slider

__all__ = [
    "ANALYSIS_COLUMNS",
    "FIG_HEIGHT",
    "FIG_WIDTH",
    "PALETTE",
    "BatchedBokehModel",
    "CsvTable",
    "Outcome",
    "Quiz",
    "StepApp",
    "Upload",
    "analysis_rows",
    "csv_button",
    "describe_figure",
    "download_text",
    "dropdown",
    "make_figure",
    "number",
    "plus_minus",
    "setup_bokeh",
    "slider",
    "wrap_title",
]
