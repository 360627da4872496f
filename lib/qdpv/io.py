"""Every CSV file the kit reads: a learner's own measurements and the tables shipped in ``qdpv/data``.

Each format has two functions:

* ``read_<format>_csv(source)``: ``source`` is a path (``str`` or :class:`os.PathLike`) or an open file,
  binary or text (anything with a ``read`` method, e.g. ``open(path, "rb")`` or :class:`io.BytesIO` around
  an upload's bytes);
* ``parse_<format>_csv(text)``: the file's content as a ``str``.

Formats:

* isotherm (:func:`read_isotherm_csv`): p/p0 and amount adsorbed in mmol/g, the input of the analyses in
  :mod:`qdpv.msn`;
* degradation (:func:`read_degradation_csv`): time in h and retained efficiency, fraction or percent, the
  input of :func:`qdpv.stability.fit_degradation`;
* table (:func:`read_table_csv`): comment lines (the notes, e.g. ``# source: ...``), a header row and data
  rows, numeric or text columns; the data tables behind :mod:`qdpv.datasets` and :func:`qdpv.spectra.am15g`.

Rules common to all: UTF-8 text (a byte-order mark is ignored), at most :data:`MAX_CSV_BYTES` bytes and
:data:`MAX_CSV_ROWS` data rows; blank lines and lines starting with ``#`` are skipped. Every problem raises a
``ValueError`` that says what is wrong and, when one line is at fault, starts with ``line N:`` (N counted from
1 over every line of the file, comments and blank lines included, as an editor numbers them).
"""

from __future__ import annotations

import csv
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import numpy as np

from ._validate import check_array
from .stability import _RETAINED_MAX

__all__ = [
    "MAX_CSV_BYTES",
    "MAX_CSV_ROWS",
    "Table",
    "parse_degradation_csv",
    "parse_isotherm_csv",
    "parse_table_csv",
    "read_degradation_csv",
    "read_isotherm_csv",
    "read_table_csv",
]

MAX_CSV_BYTES = 1_000_000
"""Largest file any reader accepts, in bytes (UTF-8): a learner's upload is read into a shared kernel."""
MAX_CSV_ROWS = 10_000
"""Largest number of data rows any reader accepts (the fits and the BET window search grow with it)."""

Source = str | os.PathLike | IO[str] | IO[bytes]

_NEWLINE = re.compile(r"\r\n|\r|\n")


# ---------------------------------------------------------------------------------------------------------
# source -> text -> numbered lines
# ---------------------------------------------------------------------------------------------------------


def _read_source(source: Source) -> str:
    """The text of a path or an open file, after the size limit and the UTF-8 check."""
    if isinstance(source, str | os.PathLike):
        path = Path(source)
        if not path.is_file():
            raise ValueError(f"source must be an existing file or an open file; no file at {str(path)!r}")
        size = path.stat().st_size
        if size > MAX_CSV_BYTES:
            raise ValueError(f"source must be at most {MAX_CSV_BYTES} bytes, got {size}")
        raw: bytes | str = path.read_bytes()
    elif callable(getattr(source, "read", None)):
        try:
            raw = source.read(MAX_CSV_BYTES + 1)
        except UnicodeError as err:  # a file opened in text mode with an encoding that does not fit
            raise ValueError(f"source could not be decoded as text: {err}") from None
        if isinstance(raw, bytearray | memoryview):
            raw = bytes(raw)
        if not isinstance(raw, bytes | str):
            raise ValueError(f"source.read() must return bytes or str, got {type(raw).__name__}")
        if len(raw) > MAX_CSV_BYTES:
            raise ValueError(f"source must be at most {MAX_CSV_BYTES} bytes, got more than {MAX_CSV_BYTES}")
    elif isinstance(source, bytes | bytearray):
        raise ValueError("source must be a path or an open file, got bytes (wrap them in io.BytesIO)")
    else:
        raise ValueError(f"source must be a path or an open file, got {type(source).__name__}")
    if isinstance(raw, str):
        return _check_text("source", raw)
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw.count(b"\n", 0, err.start) + 1
        raise ValueError(f"line {line}: byte {err.start} is not valid UTF-8 (the file must be UTF-8 text)") from None


def _check_text(name: str, text: object) -> str:
    if not isinstance(text, str):
        raise ValueError(f"{name} must be a str (the file's content), got {type(text).__name__}")
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_CSV_BYTES:
        raise ValueError(f"{name} must be at most {MAX_CSV_BYTES} bytes (UTF-8), got {size}")
    return text.removeprefix("\ufeff")


def _content_lines(text: str) -> list[tuple[int, str]]:
    """(line number, stripped line) of every line that is neither blank nor a ``#`` comment."""
    return [
        (number, stripped)
        for number, line in enumerate(_NEWLINE.split(text), start=1)
        if (stripped := line.strip()) and not stripped.startswith("#")
    ]


def _check_row_count(rows: list[tuple[int, list[str]]], header: str) -> None:
    if len(rows) > MAX_CSV_ROWS:
        number = rows[MAX_CSV_ROWS][0]
        raise ValueError(
            f"line {number}: a file may have at most {MAX_CSV_ROWS} data rows ({header}); this is one more"
        )


def _number(field: str, line: int, column: str) -> float:
    try:
        value = float(field)
    except ValueError:
        raise ValueError(f"line {line}: {column} {field!r} is not a number") from None
    if not np.isfinite(value):
        raise ValueError(f"line {line}: {column} must be a finite number, got {field!r}")
    return value


def _check_column(
    name: str, values: np.ndarray, lines: list[int], check: Callable[[str, object], object], order: str | None
) -> None:
    """Apply ``check`` to the column and ``order`` ("strictly increasing", "non-decreasing" or None) to its
    steps; when one fails, raise its message prefixed with the first line at fault."""
    try:
        check(name, values)
    except ValueError:
        for value, line in zip(values, lines, strict=True):
            try:
                check(name, value)
            except ValueError as err:
                raise ValueError(f"line {line}: {err}") from None
        raise
    if order is None:
        return
    steps = np.diff(values)
    bad = np.flatnonzero(steps <= 0 if order == "strictly increasing" else steps < 0)
    if bad.size:
        i = int(bad[0])
        raise ValueError(
            f"line {lines[i + 1]}: {name} must be {order}, got {values[i + 1]:g} after {values[i]:g} on line {lines[i]}"
        )


def _rows(text: str, split: Callable[[str], list[str]], width: int, header_test, columns: str):
    """Split the content lines; drop a header row (``header_test(fields)``); check the row width and count."""
    rows = [(number, split(line)) for number, line in _content_lines(text)]
    header = None
    if rows and header_test(rows[0][1]):
        header, rows = rows[0], rows[1:]
    _check_row_count(rows, columns)
    for number, fields in rows:
        if len(fields) != width:
            raise ValueError(f"line {number}: expected {width} columns ({columns}), got {len(fields)}: {fields!r}")
    return header, rows


# ---------------------------------------------------------------------------------------------------------
# N2 isotherm: p/p0, amount adsorbed
# ---------------------------------------------------------------------------------------------------------

_ISOTHERM_SPLIT = re.compile(r"[,;\s]+")
_ISOTHERM_COLUMNS = "p_rel, n_ads_mmol_g"
_ISOTHERM_MIN_ROWS = 3


def read_isotherm_csv(source: Source) -> tuple[np.ndarray, np.ndarray]:
    """Read a two-column N2 isotherm, p/p0 and amount adsorbed in mmol/g, from a path or an open file.

    The format is that of :func:`parse_isotherm_csv`.

    Parameters
    ----------
    source : str, os.PathLike or file object
        Path of the file, or an open file (binary or text). At most :data:`MAX_CSV_BYTES` bytes.

    Returns
    -------
    p_rel, n_ads_mmol_g : numpy.ndarray
        Relative pressures and amounts adsorbed (mmol/g), as :func:`qdpv.msn.bet_area_m2_g` takes them.

    Raises
    ------
    ValueError
        If there is no such file, the file is too large or not UTF-8, or its content breaks a rule of
        :func:`parse_isotherm_csv` (the message starts with the line number).

    Examples
    --------
    An open file is anything with a ``read`` method; here three rows held in memory:

    >>> import io
    >>> p, n = read_isotherm_csv(io.StringIO("p_rel,n_ads_mmol_g\\n0.05,5.2\\n0.10,6.0\\n0.20,7.1\\n"))
    >>> p.tolist(), n.tolist()
    ([0.05, 0.1, 0.2], [5.2, 6.0, 7.1])
    """
    return parse_isotherm_csv(_read_source(source))


def parse_isotherm_csv(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse the text of a two-column N2 isotherm: p/p0 and amount adsorbed in mmol/g.

    Lines starting with ``#`` are comments; a first non-comment line that is not all numbers is a header.
    Columns may be separated by commas, semicolons, tabs or spaces. One branch per file (adsorption or
    desorption), at least 3 rows, p/p0 in (0, 1) and strictly increasing, amounts >= 0 and non-decreasing:
    the input rules of the analyses in :mod:`qdpv.msn`, checked here row by row.

    Parameters
    ----------
    text : str
        The file's content. At most :data:`MAX_CSV_BYTES` bytes as UTF-8.

    Returns
    -------
    p_rel, n_ads_mmol_g : numpy.ndarray
        Relative pressures and amounts adsorbed (mmol/g).

    Raises
    ------
    ValueError
        If ``text`` is not a str or too long; if a row does not hold two finite numbers, a value leaves its
        range or breaks the order (the message starts with ``line N:``); if there are fewer than 3 rows or
        more than :data:`MAX_CSV_ROWS`.

    Examples
    --------
    >>> p, n = parse_isotherm_csv("p/p0;n (mmol/g)\\n0.05;1.0\\n0.10;1.5\\n0.20;2.0\\n")
    >>> p.tolist(), n.tolist()
    ([0.05, 0.1, 0.2], [1.0, 1.5, 2.0])
    """
    text = _check_text("text", text)

    def is_header(fields: list[str]) -> bool:
        try:
            [float(f) for f in fields]
        except ValueError:
            return True
        return False

    _, rows = _rows(text, lambda line: [f for f in _ISOTHERM_SPLIT.split(line) if f], 2, is_header, _ISOTHERM_COLUMNS)
    if len(rows) < _ISOTHERM_MIN_ROWS:
        raise ValueError(
            f"the file must have at least {_ISOTHERM_MIN_ROWS} data rows ({_ISOTHERM_COLUMNS}), got {len(rows)}"
        )
    lines = [number for number, _ in rows]
    p = np.array([_number(f[0], number, "p_rel") for number, f in rows])
    n = np.array([_number(f[1], number, "n_ads_mmol_g") for number, f in rows])
    _check_column("p_rel", p, lines, lambda name, v: check_array(name, v, 0, 1, hi_closed=False), "strictly increasing")
    _check_column(
        "n_ads_mmol_g", n, lines,
        lambda name, v: check_array(name, v, 0, np.inf, unit="mmol/g", lo_closed=True), "non-decreasing",
    )
    return p, n


# ---------------------------------------------------------------------------------------------------------
# degradation: time, retained efficiency
# ---------------------------------------------------------------------------------------------------------

_DEGRADATION_SPLIT = re.compile(r"\s*[,;\t]\s*")
_DEGRADATION_COLUMNS = "time_h, retained"
_NUMERIC_FIELD = re.compile(r"[-+0-9.eE%\s]+")
_PERCENT_HEADER = re.compile(r"%|percent|pct", re.IGNORECASE)


def read_degradation_csv(source: Source) -> tuple[np.ndarray, np.ndarray]:
    """Read ``(time_h, retained)`` from a two-column CSV of stability data, from a path or an open file.

    The format, and the rule that decides between percent and fraction, are those of
    :func:`parse_degradation_csv`.

    Parameters
    ----------
    source : str, os.PathLike or file object
        Path of the file, or an open file (binary or text), e.g. :class:`io.BytesIO` around the bytes of an
        upload. At most :data:`MAX_CSV_BYTES` bytes.

    Returns
    -------
    time_h, retained : numpy.ndarray
        Times in h and retained fractions of the initial efficiency.

    Raises
    ------
    ValueError
        If there is no such file, the file is too large or not UTF-8, or its content breaks a rule of
        :func:`parse_degradation_csv` (the message starts with the line number).

    Examples
    --------
    The paper's air-storage point, in percent (the header says so), comes back as fractions:

    >>> import io
    >>> t, r = read_degradation_csv(io.StringIO("time_h,retained_percent\\n0,100\\n1300,93.16\\n"))
    >>> t.tolist(), r.tolist()
    ([0.0, 1300.0], [1.0, 0.9316])

    A mistake is reported with its line, counted as an editor counts them (the header is line 1):

    >>> read_degradation_csv(io.StringIO("time_h,retained\\n0,1.0\\n100,O.98\\n"))
    Traceback (most recent call last):
    ...
    ValueError: line 3: retained 'O.98' is not a number
    """
    return parse_degradation_csv(_read_source(source))


def parse_degradation_csv(text: str) -> tuple[np.ndarray, np.ndarray]:
    """Parse ``(time_h, retained)`` from the text of a two-column CSV of stability data.

    Format: two columns, time in hours then retained efficiency, separated by a comma, semicolon or tab
    (decimal point, not comma). Blank lines and lines starting with ``#`` are skipped. The first remaining
    line is a header if it is not two numbers.

    Percent or fraction, the rule: the retained column is read as **percent** (and divided by 100) if the
    header's second column mentions ``%``, "percent" or "pct", or any value carries a ``%`` sign, or the
    largest value exceeds 1.5; otherwise as a fraction. The rows are then checked as
    :func:`qdpv.stability.fit_degradation` checks its input: times >= 0 and strictly increasing, retained
    in (0, 1.5].

    Parameters
    ----------
    text : str
        The file's content. At most :data:`MAX_CSV_BYTES` bytes as UTF-8 and :data:`MAX_CSV_ROWS` data rows.

    Returns
    -------
    time_h, retained : numpy.ndarray
        Times in h and retained fractions.

    Raises
    ------
    ValueError
        If ``text`` is not a str or too long; if there are no data rows or too many; if a row does not hold
        two finite numbers, a value leaves its range or breaks the order (the message starts with
        ``line N:``).

    Examples
    --------
    >>> t, r = parse_degradation_csv("time_h,retained_percent\\n0,100\\n500,96.5\\n")
    >>> t.tolist(), r.tolist()
    ([0.0, 500.0], [1.0, 0.965])
    """
    text = _check_text("text", text)

    def is_header(fields: list[str]) -> bool:
        return len(fields) == 2 and not all(_NUMERIC_FIELD.fullmatch(f) for f in fields)

    header, rows = _rows(text, lambda line: _DEGRADATION_SPLIT.split(line), 2, is_header, _DEGRADATION_COLUMNS)
    if not rows:
        if header is not None:
            raise ValueError(f"the file has a header (line {header[0]}) but no data rows")
        raise ValueError("the file contains no data rows (it is empty, or only comments)")
    lines = [number for number, _ in rows]
    time_h = np.array([_number(f[0].rstrip("%").strip(), number, "time_h") for number, f in rows])
    retained = np.array([_number(f[1].rstrip("%").strip(), number, "retained") for number, f in rows])
    percent = (
        (header is not None and bool(_PERCENT_HEADER.search(header[1][1])))
        or any("%" in f[1] for _, f in rows)
        or retained.max() > _RETAINED_MAX
    )
    if percent:
        retained = retained / 100.0
    _check_column(
        "time_h", time_h, lines, lambda name, v: check_array(name, v, 0.0, np.inf, unit="h", lo_closed=True),
        "strictly increasing",
    )
    _check_column("retained", retained, lines, lambda name, v: check_array(name, v, 0.0, _RETAINED_MAX), None)
    return time_h, retained


# ---------------------------------------------------------------------------------------------------------
# data tables: notes, header, columns
# ---------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Table:
    """Columns of a CSV table and its ``#`` comment lines (the source notes)."""

    name: str
    columns: dict[str, np.ndarray]
    notes: tuple[str, ...]

    @property
    def source(self) -> str:
        """The first ``# source:`` note, without its prefix."""
        for note in self.notes:
            if note.lower().startswith("source:"):
                return note.split(":", 1)[1].strip()
        return ""


def read_table_csv(source: Source, name: str | None = None) -> Table:
    """Read a data table (``#`` notes, a header row, data rows) from a path or an open file.

    The format is that of :func:`parse_table_csv`.

    Parameters
    ----------
    source : str, os.PathLike or file object
        Path of the file, or an open file (binary or text). At most :data:`MAX_CSV_BYTES` bytes.
    name : str, optional
        Name of the table; by default the file name without its extension (empty for a file object without
        a name).

    Returns
    -------
    Table
        ``name``, ``columns`` (numeric columns as float arrays, others as str arrays) and ``notes``.

    Raises
    ------
    ValueError
        If there is no such file, the file is too large or not UTF-8, or its content breaks a rule of
        :func:`parse_table_csv` (the message starts with the line number).

    Examples
    --------
    >>> import io
    >>> text = "# source: my lab notebook\\nsize_nm,band_gap_eV\\n6.0,2.52\\n9.0,2.43\\n"
    >>> table = read_table_csv(io.StringIO(text), "gaps")
    >>> table.source, table.columns["size_nm"].tolist(), table.columns["band_gap_eV"].tolist()
    ('my lab notebook', [6.0, 9.0], [2.52, 2.43])
    """
    text = _read_source(source)
    if name is None:
        path = source if isinstance(source, str | os.PathLike) else getattr(source, "name", "")
        name = Path(os.fspath(path)).stem if isinstance(path, str | os.PathLike) else ""
    return parse_table_csv(text, name)


def parse_table_csv(text: str, name: str = "") -> Table:
    """Parse a data table: ``#`` lines are notes, then a header row and rows of comma-separated fields.

    Fields follow the CSV quoting rules within a line (a quoted field may hold commas, not line breaks).
    A column whose every field is a number becomes a float array, any other a str array. Notes keep their
    order, without the ``#`` and surrounding blanks; a note ``source: ...`` is the table's :attr:`Table.source`.

    Parameters
    ----------
    text : str
        The file's content. At most :data:`MAX_CSV_BYTES` bytes as UTF-8 and :data:`MAX_CSV_ROWS` data rows.
    name : str
        Name of the table.

    Returns
    -------
    Table
        ``name``, ``columns`` and ``notes``.

    Raises
    ------
    ValueError
        If ``text`` is not a str or too long; if there is no header, a column name is empty or repeated, a row
        has a different number of fields than the header (the message starts with ``line N:``), or there are
        more than :data:`MAX_CSV_ROWS` data rows.

    Examples
    --------
    >>> t = parse_table_csv("# source: a book\\nsize_nm,kind\\n9.9,cube\\n12.5,cube\\n", "sizes")
    >>> t.source, t.columns["size_nm"].tolist(), t.columns["kind"].tolist()
    ('a book', [9.9, 12.5], ['cube', 'cube'])
    """
    text = _check_text("text", text)
    if not isinstance(name, str):
        raise ValueError(f"name must be a str, got {type(name).__name__}")
    notes = tuple(line.strip().lstrip("#").strip() for line in _NEWLINE.split(text) if line.strip().startswith("#"))
    rows = [(number, next(csv.reader([line]))) for number, line in _content_lines(text)]
    if not rows:
        raise ValueError("the file has no header row (it is empty, or only comments)")
    (header_line, header), rows = rows[0], rows[1:]
    for j, key in enumerate(header):
        if not key.strip():
            raise ValueError(f"line {header_line}: column {j + 1} of the header has no name")
        if key in header[:j]:
            raise ValueError(f"line {header_line}: column {key!r} appears twice in the header")
    _check_row_count(rows, ", ".join(header))
    for number, fields in rows:
        if len(fields) != len(header):
            raise ValueError(
                f"line {number}: expected {len(header)} columns ({', '.join(header)}), got {len(fields)}: {fields!r}"
            )
    columns: dict[str, np.ndarray] = {}
    for j, key in enumerate(header):
        values = [fields[j] for _, fields in rows]
        try:
            columns[key] = np.array(values, dtype=float)
        except ValueError:
            columns[key] = np.array(values, dtype=str)
    return Table(name, columns, notes)
