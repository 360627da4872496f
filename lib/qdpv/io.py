"""Every file the kit reads: a learner's own measurements and the tables shipped in ``qdpv/data``.

Each format has two functions:

* ``read_<format>(source)``: ``source`` is a path (``str`` or :class:`os.PathLike`) or an open file, binary or
  text (anything with a ``read`` method, e.g. ``open(path, "rb")`` or :class:`io.BytesIO` around an upload's
  bytes);
* ``parse_<format>(text)``: the file's content as a ``str``.

Formats:

* isotherm, two columns (:func:`read_isotherm_csv`): p/p0 and amount adsorbed in mmol/g, the input of the
  analyses in :mod:`qdpv.msn`;
* isotherm, any layout (:func:`read_isotherm`): a CSV with named columns (a branch column or desorption
  columns, absolute pressures with p0, amounts in mmol/g, mol/kg or cm3(STP)/g) or an Adsorption Information
  File (AIF); returns a :class:`MeasuredIsotherm` for :func:`qdpv.msn.analyse_isotherm`;
* spectrum (:func:`read_spectrum_csv`): wavelength (nm) or energy (eV) and PL intensity or absorbance, on both
  axes with the Jacobian for a density (:class:`MeasuredSpectrum`), for :func:`qdpv.confinement.spectrum_peak`;
* J-V sweeps (:func:`read_jv_csv`): voltage and current density (or current and the cell area), forward and
  reverse, photovoltaic sign convention (:class:`MeasuredJV`), for :func:`qdpv.diode.metrics` and the J-V fit;
* TCSPC decay (:func:`read_decay_csv`): time, counts and optionally the instrument response
  (:class:`MeasuredDecay`), for :func:`qdpv.carriers.fit_decay`;
* PL versus temperature (:func:`read_pl_temperature_csv`): temperature, integrated intensity and optionally its
  standard error (:class:`MeasuredPLTemperature`), for :func:`qdpv.carriers.fit_thermal_quenching`;
* degradation (:func:`read_degradation_csv`): time in h and retained efficiency, fraction or percent, the
  input of :func:`qdpv.stability.fit_degradation`;
* table (:func:`read_table_csv`): comment lines (the notes, e.g. ``# source: ...``), a header row and data
  rows, numeric or text columns; the data tables behind :mod:`qdpv.datasets` and :func:`qdpv.spectra.am15g`.

Measured files with a header row have their columns found by name and their units read from the names
(``J (mA/cm2)``, ``time (ps)``, ``n_ads_mmol_g``); a keyword argument gives the unit a file does not state, and a
header and an argument that disagree are an error rather than a guess.

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

from . import confinement
from ._validate import check_array, check_choice
from .constants import GAS_CONSTANT_J_MOL_K, HC_EV_NM
from .stability import _RETAINED_MAX

__all__ = [
    "MAX_CSV_BYTES",
    "MAX_CSV_ROWS",
    "JVSweep",
    "MeasuredDecay",
    "MeasuredIsotherm",
    "MeasuredJV",
    "MeasuredPLTemperature",
    "MeasuredSpectrum",
    "Table",
    "parse_decay_csv",
    "parse_degradation_csv",
    "parse_isotherm",
    "parse_isotherm_csv",
    "parse_jv_csv",
    "parse_pl_temperature_csv",
    "parse_spectrum_csv",
    "parse_table_csv",
    "read_decay_csv",
    "read_degradation_csv",
    "read_isotherm",
    "read_isotherm_csv",
    "read_jv_csv",
    "read_pl_temperature_csv",
    "read_spectrum_csv",
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
# measured files: columns found by the names in a header row, units read from those names
# ---------------------------------------------------------------------------------------------------------

_DECIMAL_COMMA = re.compile(r"[-+]?\d*,\d+(?:[eE][-+]?\d+)?")
_UNCERTAINTY = re.compile(r"\(\d+\)$")  # CIF-style standard uncertainty after a number, e.g. 1.234(5)


def _fields(line: str, number: int) -> list[str]:
    """Split one line at ``;``, else tabs, else ``,``, else runs of blanks; with ``;`` or tabs a decimal comma
    (``0,5``) is read as a decimal point."""
    sep = next((s for s in (";", "\t", ",") if s in line), None)
    if sep is None:
        return line.split()
    try:
        fields = [f.strip() for f in next(csv.reader([line], delimiter=sep))]
    except csv.Error as err:
        raise ValueError(f"line {number}: {err}") from None
    if sep != ",":
        fields = [f.replace(",", ".") if _DECIMAL_COMMA.fullmatch(f) else f for f in fields]
    return fields


def _is_number(field: str) -> bool:
    try:
        float(field)
    except ValueError:
        return False
    return True


@dataclass(frozen=True)
class _Columns:
    """Rows of a measured file: header names (None without a header row) and (line, fields) per data row."""

    names: tuple[str, ...] | None
    header_line: int
    rows: list[tuple[int, list[str]]]


def _columns(text: str, what: str, *, ragged: bool = False) -> _Columns:
    """The content lines split into fields; the first is a header if a field of it is not a number. Every row
    has the header's width (with ``ragged``, shorter rows are padded with empty fields)."""
    rows = [(number, _fields(line, number)) for number, line in _content_lines(text)]
    if not rows:
        raise ValueError(f"the file contains no data rows ({what}); it is empty, or only comments")
    names = None
    header_line = rows[0][0]
    if not all(_is_number(f) for f in rows[0][1]):
        names, rows = tuple(rows[0][1]), rows[1:]
        if not rows:
            raise ValueError(f"the file has a header (line {header_line}) but no data rows ({what})")
    _check_row_count(rows, what)
    width = len(names) if names is not None else len(rows[0][1])
    for number, fields in rows:
        if len(fields) > width or (len(fields) < width and not ragged):
            raise ValueError(f"line {number}: expected {width} columns ({what}), got {len(fields)}: {fields!r}")
        fields.extend([""] * (width - len(fields)))
    return _Columns(names, header_line, rows)


def _locate(cols: _Columns, roles: tuple[tuple[str, re.Pattern], ...], what: str) -> dict[str, int]:
    """Column index of each role whose pattern a header name matches (first matching role per name; names
    that match none are ignored). Two columns of one role are an error."""
    found: dict[str, int] = {}
    for j, name in enumerate(cols.names or ()):
        low = name.lower()
        role = next((r for r, pattern in roles if pattern.search(low)), None)
        if role is None:
            continue
        if role in found:
            first = cols.names[found[role]]
            raise ValueError(
                f"line {cols.header_line}: columns {first!r} and {name!r} both read as the {role} column ({what}); "
                "rename or remove one"
            )
        found[role] = j
    return found


def _values(cols: _Columns, j: int, label: str, rows: list[tuple[int, list[str]]] | None = None):
    """Column ``j`` as floats and the line number of each (a CIF-style ``(5)`` uncertainty suffix is dropped)."""
    rows = cols.rows if rows is None else rows
    lines = [number for number, _ in rows]
    values = np.array([_number(_UNCERTAINTY.sub("", f[j]), number, label) for number, f in rows])
    return values, lines


def _label(cols: _Columns, j: int, default: str) -> str:
    return cols.names[j] if cols.names is not None else default


def _check_monotonic(name: str, values: np.ndarray, lines: list[int], where: str = "") -> int:
    """Raise (naming the line) unless ``values`` strictly rise or strictly fall from row to row; the direction
    is that of the first step. Returns +1 (rising) or -1 (falling)."""
    if values.size < 2:
        return 1
    direction = 1 if values[1] > values[0] else -1
    bad = np.flatnonzero(np.diff(values) * direction <= 0)
    if bad.size:
        i = int(bad[0])
        trend = "rise" if direction > 0 else "fall"
        raise ValueError(
            f"line {lines[i + 1]}: {name} must {trend} from row to row{where}, got {values[i + 1]:g} after "
            f"{values[i]:g} on line {lines[i]}"
        )
    return direction


def _unit_text(name: str) -> str:
    """A header name lower-cased, without blanks, ``^`` or ``*``, with µ as u and superscripts as digits."""
    low = name.lower()
    for old, new in (("µ", "u"), ("μ", "u"), ("²", "2"), ("³", "3"), ("⁻", "-"), ("¹", "1"), ("°", "deg")):
        low = low.replace(old, new)
    return re.sub(r"[\s^*·]", "", low)


def _unit(name: str, units: tuple[tuple[re.Pattern, float, str], ...]) -> tuple[float, str] | None:
    """(factor, unit) of the first unit pattern found in a header name or unit string, or None."""
    text = _unit_text(name)
    return next(((factor, unit) for pattern, factor, unit in units if pattern.search(text)), None)


def _chosen_unit(name: str, value: object, units: tuple[tuple[re.Pattern, float, str], ...]) -> tuple[float, str]:
    """The unit an argument names (checked against the known ones)."""
    if not isinstance(value, str) or (found := _unit(f"({value})", units)) is None:
        known = ", ".join(dict.fromkeys(unit for _, _, unit in units))
        raise ValueError(f"{name} must be one of {known}, got {value!r}")
    return found


def _unit_of_column(
    cols: _Columns, j: int, argument: tuple[str, object], units: tuple[tuple[re.Pattern, float, str], ...],
    default: str | None,
) -> tuple[float, str]:
    """Unit of column ``j``: from its header name, else from the argument (its name and value), else the
    default; a header and an argument that disagree are an error."""
    arg_name, arg_value = argument
    stated = _unit(cols.names[j], units) if cols.names is not None else None
    chosen = _chosen_unit(arg_name, arg_value, units) if arg_value is not None else None
    if stated and chosen and stated[1] != chosen[1]:
        raise ValueError(
            f"{arg_name} is {arg_value!r} but the header (line {cols.header_line}) says {cols.names[j]!r}; "
            f"leave {arg_name} out or correct the header"
        )
    if stated is None and cols.names is not None and re.search(r"[(\[]", cols.names[j]):
        known = ", ".join(dict.fromkeys(unit for _, _, unit in units))
        raise ValueError(
            f"line {cols.header_line}: column {cols.names[j]!r} states a unit the kit does not read; use one of "
            f"{known}"
        )
    if stated or chosen:
        return stated or chosen
    if default is None:
        raise ValueError(
            f"line {cols.header_line}: column {_label(cols, j, '')!r} states no unit; put it in the header, "
            f"e.g. 'name (unit)', or give {arg_name}"
        )
    return _chosen_unit(arg_name, default, units)


def _notes(text: str) -> tuple[str, ...]:
    return tuple(line.strip().lstrip("#").strip() for line in _NEWLINE.split(text) if line.strip().startswith("#"))


def _u(pattern: str) -> re.Pattern:
    """A unit pattern that does not start or end inside a word."""
    return re.compile(rf"(?<![a-z]){pattern}(?![a-z])")


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
# N2 isotherm with branches and units: CSV with a header, or the Adsorption Information File (AIF)
# ---------------------------------------------------------------------------------------------------------

_STP_CM3_PER_MMOL = GAS_CONSTANT_J_MOL_K * 273.15 / 101325.0 * 1e3
"""Volume of one mmol of ideal gas at STP (0 degC, 101.325 kPa), 22.414 cm3: how instruments state amounts."""

_LOADING_UNITS = (
    (_u(r"(cm3|ml|cc)(\(?stp\)?)?(/|_|per)?g(-1)?(\(?stp\)?)?"), 1.0 / _STP_CM3_PER_MMOL, "cm3(STP)/g"),
    (_u(r"mmol(/|_|per)?g(-1)?"), 1.0, "mmol/g"),
    (_u(r"mol(/|_|per)?kg(-1)?"), 1.0, "mol/kg"),
    (_u(r"umol(/|_|per)?g(-1)?"), 1e-3, "umol/g"),
    (_u(r"mol(/|_|per)?g(-1)?"), 1e3, "mol/g"),
)
_PRESSURE_UNITS = (  # factor to kPa
    (_u("kpa"), 1.0, "kPa"),
    (_u("mpa"), 1e3, "MPa"),
    (_u("hpa"), 0.1, "hPa"),
    (_u("pa"), 1e-3, "Pa"),
    (_u("mbar"), 0.1, "mbar"),
    (_u("bar"), 100.0, "bar"),
    (_u("(torr|mmhg)"), 101.325 / 760.0, "torr"),
    (_u("atm"), 101.325, "atm"),
    (_u("psia?"), 6.894757293168361, "psi"),
)
_ISOTHERM_ROLES = (
    ("branch", re.compile(r"branch|direction|^type$|^kind$")),
    ("p_rel", re.compile(r"p\s*/\s*p\s*[0o°]|p_?rel|relative|^x$")),
    ("p0", re.compile(r"^p[\s_]*[0o°](?![a-z0-9])|saturation|p_?sat")),
    ("pressure", re.compile(r"pressure|^p(?![a-z0-9])|^p_")),
    ("amount", re.compile(r"amount|loading|quantity|uptake|volume|adsorbed|^[nvq](?![a-z0-9])|^[nvq]_")),
)
_BRANCH_NAMES = {"ads": "ads", "adsorption": "ads", "a": "ads", "des": "des", "desorption": "des", "d": "des"}
_ISOTHERM_WHAT = "p/p0 or pressure, amount adsorbed"


@dataclass(frozen=True)
class MeasuredIsotherm:
    """An N2 isotherm read from a file, in the units of :mod:`qdpv.msn`: p/p0 and mmol per gram.

    Both branches run in increasing p/p0 whatever order the file lists them in, as the analyses take them
    (:func:`qdpv.msn.analyse_isotherm`).
    """

    p_rel: np.ndarray
    """Adsorption branch: relative pressures, strictly increasing, in (0, 1)."""
    n_ads_mmol_g: np.ndarray
    """Adsorption branch: amounts adsorbed, mmol/g, non-decreasing."""
    p_rel_des: np.ndarray | None = None
    """Desorption branch (increasing p/p0), or None if the file has none."""
    n_des_mmol_g: np.ndarray | None = None
    adsorptive: str = ""
    """Gas as the file names it (AIF ``_exptl_adsorptive``); empty if it does not say."""
    temperature_K: float | None = None
    material: str = ""
    notes: tuple[str, ...] = ()
    """The file's ``#`` comment lines."""
    conversions: tuple[str, ...] = ()
    """What was converted, in words (e.g. ``"amount: cm3(STP)/g / 22.414 cm3/mmol"``)."""


def read_isotherm(source: Source, p0: float | None = None, loading_unit: str | None = None) -> MeasuredIsotherm:
    """Read an N2 isotherm, adsorption and optionally desorption, from a CSV or AIF file (path or open file).

    The formats, units and checks are those of :func:`parse_isotherm`.

    Parameters
    ----------
    source : str, os.PathLike or file object
        Path of the file, or an open file (binary or text). At most :data:`MAX_CSV_BYTES` bytes.
    p0, loading_unit
        As in :func:`parse_isotherm`.

    Returns
    -------
    MeasuredIsotherm

    Raises
    ------
    ValueError
        If there is no such file, the file is too large or not UTF-8, or its content breaks a rule of
        :func:`parse_isotherm` (the message starts with ``line N:`` when one line is at fault).

    Examples
    --------
    The kit's real example, an MCM-41 silica measured at 77 K (both branches, a branch column):

    >>> from qdpv.datasets import example_file
    >>> iso = read_isotherm(example_file("isotherm"))
    >>> iso.p_rel.size, iso.p_rel_des.size, round(float(iso.n_ads_mmol_g[-1]), 2)
    (41, 26, 13.09)
    """
    return parse_isotherm(_read_source(source), p0, loading_unit)


def parse_isotherm(text: str, p0: float | None = None, loading_unit: str | None = None) -> MeasuredIsotherm:
    """Parse an N2 isotherm from the text of a CSV file with columns, or of an Adsorption Information File.

    **AIF** (the text starts with a ``data_`` block name): the CIF-style exchange format of Evans et al.
    (2021) that pyGAPS and instrument software export. Read: ``loop_`` blocks of ``_adsorp_pressure``,
    ``_adsorp_p0`` (optional) and ``_adsorp_amount`` (or ``_adsorp_loading``) and the same ``_desorp_*``;
    ``_units_pressure`` (Pa, kPa, MPa, bar, mbar, torr, mmHg, atm, psi or ``relative``), ``_units_loading``
    (``_units_sorbed_amount``); ``_exptl_adsorptive`` (``_adsorptive_name``), ``_exptl_temperature`` with
    ``_units_temperature``, the material (``_adsnt_material_name`` or the older ``_sample_material_id``) and
    ``_exptl_p0``. Other items are skipped.

    **CSV** (anything else): rows of fields separated by ``,``, ``;``, tabs or blanks (with ``;`` or tabs a
    decimal comma is read as a point); ``#`` lines are notes. Without a header row: two columns, p/p0 then
    amount. With a header, columns are found by their names (case ignored; other columns are skipped):

    * pressure: ``p/p0``, ``p_rel`` or ``relative ...`` (relative), or ``p``/``pressure ...`` (absolute,
      divided by a ``p0``/``saturation ...`` column on the same row, or by the ``p0`` argument);
    * amount: ``n``, ``amount``, ``loading``, ``quantity``, ``volume``, ``adsorbed``, ... with its unit in the
      name, e.g. ``n (mmol/g)``, ``n_ads_mmol_g``, ``V (cm3(STP)/g)``, ``mol/kg``;
    * branches, one of: a ``branch`` column (``ads``/``des``); separate desorption columns, whose names
      contain ``des`` (``p_rel_des``, ``n_des_mmol_g``; the shorter branch leaves its cells empty); or one
      pressure column that rises, then falls: split at its highest p/p0 (which stays with adsorption).

    Units: pressures become p/p0 (a p0 column in another stated unit is converted); amounts become mmol/g
    (cm3(STP)/g divided by 22.414 cm3/mmol, the ideal-gas volume at 0 degC and 101.325 kPa). A unit in the
    header wins; ``loading_unit`` is for files that state none (then mmol/g is assumed without it).

    Checks, each naming its line: at least 3 rows per branch; every value a finite number; p/p0 in (0, 1);
    pressures of a branch strictly monotonic (either way: they are sorted to increasing p/p0); amounts >= 0
    and never falling as p/p0 rises; p0 > 0. At most :data:`MAX_CSV_ROWS` data rows.

    Parameters
    ----------
    text : str
        The file's content. At most :data:`MAX_CSV_BYTES` bytes as UTF-8.
    p0 : float, optional
        Saturation pressure, in the unit of the file's pressures, for files with absolute pressures and no p0
        column (must be > 0).
    loading_unit : str, optional
        Unit of the amounts when the file states none: ``"mmol/g"`` (default), ``"mol/kg"`` or
        ``"cm3(STP)/g"`` (also written ``"ml(STP)/g"``, ``"cm3/g"``).

    Returns
    -------
    MeasuredIsotherm
        ``p_rel``, ``n_ads_mmol_g``, ``p_rel_des``, ``n_des_mmol_g`` (None without a desorption branch),
        ``adsorptive``, ``temperature_K``, ``material``, ``notes``, ``conversions``.

    Raises
    ------
    ValueError
        If ``text`` is not a str or too long, or breaks a rule above (the message starts with ``line N:`` when
        one line is at fault); for a bad ``p0`` or ``loading_unit``.

    References
    ----------
    .. [1] J. D. Evans, V. Bon, I. Senkovska, S. Kaskel, "A Universal Standard Archive File for Adsorption
       Data", Langmuir 37, 4222-4226 (2021). doi:10.1021/acs.langmuir.1c00122

    Examples
    --------
    Absolute pressures with a p0 column, amounts in cm3(STP)/g, and a branch column:

    >>> text = '''p (kPa),p0 (kPa),V (cm3(STP)/g),branch
    ... 10,100,50,ads
    ... 20,100,60,ads
    ... 30,100,70,ads
    ... 25,100,68,des
    ... 15,100,58,des
    ... 5,100,45,des
    ... '''
    >>> iso = parse_isotherm(text)
    >>> iso.p_rel.tolist(), [round(float(n), 3) for n in iso.n_ads_mmol_g]
    ([0.1, 0.2, 0.3], [2.231, 2.677, 3.123])
    >>> iso.p_rel_des.tolist()  # sorted to increasing p/p0
    [0.05, 0.15, 0.25]

    An AIF file with a desorption loop:

    >>> aif = '''data_example
    ... _exptl_adsorptive N2
    ... _exptl_temperature 77.35
    ... _units_pressure kPa
    ... _units_loading 'mmol/g'
    ... loop_
    ... _adsorp_pressure _adsorp_p0 _adsorp_amount
    ... 10.1 101.0 2.0
    ... 20.2 101.0 2.5
    ... 30.3 101.0 3.0
    ... loop_
    ... _desorp_pressure _desorp_p0 _desorp_amount
    ... 25.25 101.0 2.9
    ... 15.15 101.0 2.4
    ... 5.05 101.0 1.5
    ... '''
    >>> iso = parse_isotherm(aif)
    >>> iso.adsorptive, iso.temperature_K, [round(float(p), 3) for p in iso.p_rel], iso.n_des_mmol_g.tolist()
    ('N2', 77.35, [0.1, 0.2, 0.3], [1.5, 2.4, 2.9])
    """
    text = _check_text("text", text)
    if p0 is not None:
        p0 = float(check_array("p0", p0, 0.0, np.inf, hi_closed=False))
    if loading_unit is not None:
        _chosen_unit("loading_unit", loading_unit, _LOADING_UNITS)
    content = _content_lines(text)
    if content and content[0][1].lower().startswith("data_"):
        return _parse_aif(text, p0, loading_unit)
    return _parse_isotherm_table(text, p0, loading_unit)


def _isotherm_branch(
    branch: str, p: np.ndarray, n: np.ndarray, lines: list[int]
) -> tuple[np.ndarray, np.ndarray]:
    """Check one branch (line-numbered) and return it in increasing p/p0."""
    suffix = "_des" if branch == "des" else ""
    p_name, n_name = f"p_rel{suffix}", ("n_des_mmol_g" if branch == "des" else "n_ads_mmol_g")
    label = "desorption" if branch == "des" else "adsorption"
    if p.size < _ISOTHERM_MIN_ROWS:
        raise ValueError(f"the {label} branch must have at least {_ISOTHERM_MIN_ROWS} data rows, got {p.size}")
    _check_column(p_name, p, lines, lambda name, v: check_array(name, v, 0, 1, hi_closed=False), None)
    _check_column(n_name, n, lines,
                  lambda name, v: check_array(name, v, 0, np.inf, unit="mmol/g", lo_closed=True, hi_closed=False), None)
    direction = _check_monotonic(p_name, p, lines, f" within the {label} branch")
    bad = np.flatnonzero(np.diff(n) * direction < 0)
    if bad.size:
        i = int(bad[0])
        trend = "rises" if direction > 0 else "falls"
        raise ValueError(
            f"line {lines[i + 1]}: {n_name} must not {'fall' if direction > 0 else 'rise'} while p/p0 {trend} "
            f"({label} branch), got {n[i + 1]:g} after {n[i]:g} on line {lines[i]}"
        )
    return (p, n) if direction > 0 else (p[::-1], n[::-1])


def _pressure_to_rel(
    p: np.ndarray, p0: np.ndarray | float, lines: list[int], name: str
) -> np.ndarray:
    if isinstance(p0, np.ndarray):
        _check_column("p0", p0, lines, lambda n, v: check_array(n, v, 0, np.inf, hi_closed=False), None)
    _check_column(name, p, lines, lambda n, v: check_array(n, v, 0, np.inf, hi_closed=False), None)
    return p / p0


def _parse_isotherm_table(text: str, p0: float | None, loading_unit: str | None) -> MeasuredIsotherm:
    cols = _columns(text, _ISOTHERM_WHAT, ragged=True)
    conversions: list[str] = []
    if cols.names is None:
        if len(cols.rows[0][1]) != 2:
            raise ValueError(
                f"line {cols.rows[0][0]}: a file without a header row must have 2 columns (p/p0 or pressure, "
                f"amount), got {len(cols.rows[0][1])}; name the columns in a header row"
            )
        found = {("pressure" if p0 is not None else "p_rel", "ads"): 0, ("amount", "ads"): 1}
    else:
        found = {}
        for j, name in enumerate(cols.names):
            low = name.lower()
            role = next((r for r, pattern in _ISOTHERM_ROLES if pattern.search(low)), None)
            if role is None:
                continue
            key = (role, "des" if role != "branch" and "des" in low else "ads")
            if role in ("p_rel", "pressure") and (("p_rel", key[1]) in found or ("pressure", key[1]) in found):
                role_key = ("p_rel", key[1]) if ("p_rel", key[1]) in found else ("pressure", key[1])
                raise ValueError(
                    f"line {cols.header_line}: columns {cols.names[found[role_key]]!r} and {name!r} are both "
                    f"pressures of one branch; keep one"
                )
            if key in found:
                raise ValueError(
                    f"line {cols.header_line}: columns {cols.names[found[key]]!r} and {name!r} both read as the "
                    f"{role} column; rename or remove one"
                )
            found[key] = j
    branches = ["ads"] + (["des"] if any(b == "des" and r != "branch" for r, b in found) else [])
    for b in branches:
        if not any((r, b) in found for r in ("p_rel", "pressure")) or ("amount", b) not in found:
            label = "desorption" if b == "des" else "adsorption"
            raise ValueError(
                f"line {cols.header_line}: the header {list(cols.names or ())!r} needs a pressure column "
                f"(p/p0, or pressure with p0) and an amount column for the {label} branch"
            )
    branch_column = found.get(("branch", "ads"))
    if branch_column is not None and "des" in branches:
        raise ValueError(
            f"line {cols.header_line}: give the branches either in a branch column or in separate desorption "
            "columns, not both"
        )

    def convert(branch: str, rows: list[tuple[int, list[str]]]) -> tuple[np.ndarray, np.ndarray, list[int]]:
        b = branch if "des" in branches else "ads"  # with a branch column both branches share the columns
        j_n = found[("amount", b)]
        j_p = found.get(("p_rel", b), found.get(("pressure", b)))
        p, lines = _values(cols, j_p, _label(cols, j_p, "p_rel"), rows)
        n, _ = _values(cols, j_n, _label(cols, j_n, "amount"), rows)
        factor, unit = _unit_of_column(cols, j_n, ("loading_unit", loading_unit), _LOADING_UNITS, "mmol/g")
        if factor != 1.0:
            conversions.append(f"amount: {unit} x {factor:.6g} = mmol/g")
        if ("p_rel", b) in found:
            if p0 is not None:
                raise ValueError(
                    f"p0 is given but column {_label(cols, j_p, 'p_rel')!r} already holds p/p0; leave p0 out"
                )
            return p, n * factor, lines
        j_p0 = found.get(("p0", b), found.get(("p0", "ads")))
        if j_p0 is not None:
            sat, _ = _values(cols, j_p0, cols.names[j_p0], rows)
            ratio = 1.0
            units = (_unit(cols.names[j_p], _PRESSURE_UNITS), _unit(cols.names[j_p0], _PRESSURE_UNITS))
            if units[0] and units[1] and units[0][1] != units[1][1]:
                ratio = units[0][0] / units[1][0]
                conversions.append(f"p0 column in {units[1][1]}, pressures in {units[0][1]}: converted")
            conversions.append(f"p/p0 = {cols.names[j_p]!r} / {cols.names[j_p0]!r}")
            return _pressure_to_rel(p * ratio, sat, lines, _label(cols, j_p, "pressure")), n * factor, lines
        if p0 is None:
            raise ValueError(
                f"line {cols.header_line}: column {_label(cols, j_p, 'pressure')!r} holds absolute pressures; add a "
                "p0 column (saturation pressure) or give p0, or name the column p/p0 if it is relative"
            )
        conversions.append(f"p/p0 = pressure / {p0:g} (p0 given)")
        return _pressure_to_rel(p, p0, lines, _label(cols, j_p, "pressure")), n * factor, lines

    rows_of = {"ads": cols.rows, "des": []}
    if branch_column is not None:
        rows_of = {"ads": [], "des": []}
        for number, fields in cols.rows:
            value = fields[branch_column].strip().lower()
            if value not in _BRANCH_NAMES:
                raise ValueError(
                    f"line {number}: branch must be 'ads' or 'des' (adsorption or desorption), "
                    f"got {fields[branch_column]!r}"
                )
            rows_of[_BRANCH_NAMES[value]].append((number, fields))
    elif "des" in branches:
        rows_of = {b: _filled(cols, found, b) for b in branches}
    result = {b: convert(b, rows_of[b]) for b in ("ads", "des") if rows_of[b]}
    for b, (p, n, lines) in result.items():  # ranges first, so a bad value is named before any split or count
        _check_column("p_rel_des" if b == "des" else "p_rel", p, lines,
                      lambda name, v: check_array(name, v, 0, 1, hi_closed=False), None)
        _check_column("n_des_mmol_g" if b == "des" else "n_ads_mmol_g", n, lines,
                      lambda name, v: check_array(name, v, 0, np.inf, unit="mmol/g", lo_closed=True, hi_closed=False),
                      None)
    if "des" not in result and branch_column is None and "ads" in result:
        p, n, lines = result["ads"]
        top = int(np.argmax(p))
        if 0 < top < p.size - 1 and p[top + 1] < p[top] and p[1] > p[0]:
            result = {"ads": (p[: top + 1], n[: top + 1], lines[: top + 1]),
                      "des": (p[top + 1 :], n[top + 1 :], lines[top + 1 :])}
            conversions.append(f"branches split at the highest p/p0 (line {lines[top]})")
    if "ads" not in result:
        raise ValueError("the file has no adsorption rows (branch 'ads'); an isotherm needs its adsorption branch")
    p_ads, n_ads = _isotherm_branch("ads", *result["ads"])
    p_des = n_des = None
    if "des" in result:
        p_des, n_des = _isotherm_branch("des", *result["des"])
    conversions = list(dict.fromkeys(conversions))  # one line per conversion, not one per branch
    return MeasuredIsotherm(p_ads, n_ads, p_des, n_des, notes=_notes(text), conversions=tuple(conversions))


def _filled(cols: _Columns, found: dict, branch: str) -> list[tuple[int, list[str]]]:
    """Rows whose cells of ``branch`` are filled (both empty: the branch has ended; one empty: an error)."""
    keys = [k for k in found if k[1] == branch and k[0] in ("p_rel", "pressure", "amount")]
    rows = []
    for number, fields in cols.rows:
        empty = [not fields[found[k]] for k in keys]
        if all(empty):
            continue
        if any(empty):
            missing = cols.names[found[keys[empty.index(True)]]]
            raise ValueError(f"line {number}: {missing!r} is empty but its branch has a value on this row")
        rows.append((number, fields))
    return rows


# --- AIF (CIF syntax): data_ block, _name value pairs, loop_ tables ----------------------------------------

_CIF_TOKEN = re.compile(r"'[^']*'(?=\s|$)|\"[^\"]*\"(?=\s|$)|\S+")
_AIF_AMOUNT = ("amount", "loading", "loading_absolute", "loading_excess", "loading_net")
_AIF_MATERIAL = (
    "_adsnt_material_name", "_adsnt_material_id", "_sample_material_id", "_adsnt_sample_name", "_sample_id",
)


def _cif_tokens(text: str) -> list[tuple[int, str, bool]]:
    """(line, token, quoted) of every token; ``#`` starts a comment, a line starting with ``;`` a text field."""
    tokens: list[tuple[int, str, bool]] = []
    lines = _NEWLINE.split(text)
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith(";"):
            start, body = i + 1, [line[1:]]
            i += 1
            while i < len(lines) and not lines[i].startswith(";"):
                body.append(lines[i])
                i += 1
            if i == len(lines):
                raise ValueError(f"line {start}: a text field opened with ';' is never closed")
            tokens.append((start, "\n".join(body).strip(), True))
            i += 1
            continue
        for match in _CIF_TOKEN.finditer(line):
            token = match.group(0)
            if token.startswith("#"):
                break
            quoted = len(token) >= 2 and token[0] in "'\"" and token[-1] == token[0]
            tokens.append((i + 1, token[1:-1] if quoted else token, quoted))
        i += 1
    return tokens


def _is_keyword(token: tuple[int, str, bool]) -> bool:
    _, value, quoted = token
    low = value.lower()
    return not quoted and (low.startswith(("_", "data_", "save_")) or low in ("loop_", "global_", "stop_"))


def _cif_block(text: str):
    """Items (name -> (line, value)) and loops ((line, names, [(line, value)])) of the one data block."""
    tokens = _cif_tokens(text)
    line, first, _ = tokens[0]
    if not first.lower().startswith("data_"):
        raise ValueError(f"line {line}: an AIF file starts with a data_ block name, got {first!r}")
    items: dict[str, tuple[int, str]] = {}
    loops: list[tuple[int, list[str], list[tuple[int, str]]]] = []
    pos = 1
    while pos < len(tokens):
        line, value, quoted = tokens[pos]
        low = value.lower()
        if not quoted and low.startswith("data_"):
            raise ValueError(f"line {line}: a second data block ({value!r}); an AIF file here holds one isotherm")
        if not quoted and low == "loop_":
            names, pos = [], pos + 1
            while pos < len(tokens) and not tokens[pos][2] and tokens[pos][1].startswith("_"):
                names.append(tokens[pos][1].lower())
                pos += 1
            if not names:
                raise ValueError(f"line {line}: loop_ must be followed by the names of its columns")
            values = []
            while pos < len(tokens) and not _is_keyword(tokens[pos]):
                values.append((tokens[pos][0], tokens[pos][1]))
                pos += 1
            if len(values) % len(names):
                last = values[-1][0] if values else line
                raise ValueError(
                    f"line {last}: the loop of line {line} has {len(values)} values for {len(names)} columns; "
                    "its last row is incomplete"
                )
            starts = range(0, len(values), len(names))
            _check_row_count([(values[k][0], []) for k in starts], ", ".join(names))
            loops.append((line, names, values))
            continue
        if not quoted and value.startswith("_"):
            if pos + 1 >= len(tokens) or _is_keyword(tokens[pos + 1]):
                raise ValueError(f"line {line}: {value} has no value")
            items[low] = (tokens[pos + 1][0], tokens[pos + 1][1])
            pos += 2
            continue
        raise ValueError(f"line {line}: unexpected {value!r} (expected a _name with its value, loop_ or data_)")
    return items, loops


def _aif_branch(prefix: str, loops, items, p0: float | None, relative: bool, n_factor: float):
    """(p_rel, n_mmol_g, lines) of the loop whose names start with ``prefix`` (_adsorp_ or _desorp_), or None."""
    chosen = [loop for loop in loops if any(name.startswith(prefix) for name in loop[1])]
    if not chosen:
        return None
    if len(chosen) > 1:
        raise ValueError(f"line {chosen[1][0]}: a second loop of {prefix}* columns; one per branch")
    line, names, values = chosen[0]
    width = len(names)
    columns = {name: [values[k + j] for k in range(0, len(values), width)] for j, name in enumerate(names)}

    def column(name: str) -> tuple[np.ndarray, list[int]]:
        cells = columns[name]
        return (np.array([_number(_UNCERTAINTY.sub("", v), n, name) for n, v in cells]), [n for n, _ in cells])

    if f"{prefix}pressure" not in columns:
        raise ValueError(f"line {line}: the loop has no {prefix}pressure column")
    amount = next((f"{prefix}{a}" for a in _AIF_AMOUNT if f"{prefix}{a}" in columns), None)
    if amount is None:
        raise ValueError(f"line {line}: the loop has no {prefix}amount (or {prefix}loading) column")
    p, lines = column(f"{prefix}pressure")
    n, _ = column(amount)
    if relative:
        return p, n * n_factor, lines
    if f"{prefix}p0" in columns:
        sat, _ = column(f"{prefix}p0")
    elif "_exptl_p0" in items:
        sat = _number(items["_exptl_p0"][1], items["_exptl_p0"][0], "_exptl_p0")
    elif p0 is not None:
        sat = p0
    else:
        raise ValueError(
            f"line {line}: the file gives absolute pressures but no saturation pressure ({prefix}p0 or "
            "_exptl_p0); give p0 in its pressure unit"
        )
    if not isinstance(sat, np.ndarray) and not sat > 0:
        raise ValueError(f"line {items['_exptl_p0'][0]}: _exptl_p0 must be > 0, got {sat:g}")
    return _pressure_to_rel(p, sat, lines, f"{prefix}pressure"), n * n_factor, lines


def _parse_aif(text: str, p0: float | None, loading_unit: str | None) -> MeasuredIsotherm:
    items, loops = _cif_block(text)
    conversions: list[str] = []
    has_p0 = "_exptl_p0" in items or any(name.endswith("_p0") for _, names, _ in loops for name in names)
    unit_line, p_unit = items.get("_units_pressure", (0, ""))
    relative = p_unit.strip().lower() in ("relative", "p/p0", "p/po") or (not p_unit and not has_p0 and p0 is None)
    if relative and p0 is not None:
        raise ValueError("p0 is given but the file's pressures are relative (_units_pressure); leave p0 out")
    if p_unit and not relative and _unit(f"({p_unit})", _PRESSURE_UNITS) is None:
        raise ValueError(f"line {unit_line}: _units_pressure {p_unit!r} is not a pressure unit the kit knows")
    if not relative:
        conversions.append(f"p/p0 = pressure / p0 (both in {p_unit or 'the same unit'})")
    tag = "_units_loading" if "_units_loading" in items else "_units_sorbed_amount"
    if tag in items:
        unit_line, unit_text = items[tag]
        found = _unit(f"({unit_text})", _LOADING_UNITS)
        if found is None:
            raise ValueError(
                f"line {unit_line}: {tag} {unit_text!r} is not one the kit reads (mmol/g, mol/kg, cm3(STP)/g)"
            )
        if loading_unit is not None and _chosen_unit("loading_unit", loading_unit, _LOADING_UNITS)[1] != found[1]:
            raise ValueError(f"loading_unit is {loading_unit!r} but line {unit_line} says {unit_text!r}; leave it out")
    else:
        found = _chosen_unit("loading_unit", loading_unit or "mmol/g", _LOADING_UNITS)
    n_factor = found[0]
    if n_factor != 1.0:
        conversions.append(f"amount: {found[1]} x {n_factor:.6g} = mmol/g")
    ads = _aif_branch("_adsorp_", loops, items, p0, relative, n_factor)
    if ads is None:
        raise ValueError("the file has no loop of _adsorp_pressure and _adsorp_amount: no adsorption branch")
    des = _aif_branch("_desorp_", loops, items, p0, relative, n_factor)
    p_ads, n_ads = _isotherm_branch("ads", *ads)
    p_des, n_des = _isotherm_branch("des", *des) if des is not None else (None, None)
    temperature = None
    if "_exptl_temperature" in items:
        line, value = items["_exptl_temperature"]
        temperature = _number(_UNCERTAINTY.sub("", value), line, "_exptl_temperature")
        t_unit = items.get("_units_temperature", (0, "K"))[1].strip().lower().replace("°", "")
        if t_unit in ("c", "degc", "celsius"):
            temperature += 273.15
        elif t_unit not in ("k", "kelvin"):
            line = items["_units_temperature"][0]
            raise ValueError(f"line {line}: _units_temperature must be K or C, got {t_unit!r}")
    adsorptive = next((items[k][1] for k in ("_exptl_adsorptive", "_adsorptive_name") if k in items), "")
    material = next((items[k][1] for k in _AIF_MATERIAL if k in items), "")
    return MeasuredIsotherm(
        p_ads, n_ads, p_des, n_des, adsorptive=adsorptive, temperature_K=temperature, material=material,
        notes=_notes(text), conversions=tuple(conversions),
    )


# ---------------------------------------------------------------------------------------------------------
# spectrum: wavelength (nm) or energy (eV), PL intensity or absorbance
# ---------------------------------------------------------------------------------------------------------

_SPECTRUM_ROLES = (
    ("signal", re.compile(r"intens|count|signal|absorb|(?<![a-z])(od|pl|a\.u\.|au)(?![a-z])|optical|extinction|"
                          r"emission|^y(?![a-z])")),
    ("axis", re.compile(r"wavelength|lambda|λ|energy|(?<![a-z])(nm|ev)(?![a-z])|photon|^x(?![a-z])")),
)
_AXIS_UNITS = (
    (_u("ev"), 1.0, "eV"),
    (_u("energy"), 1.0, "eV"),
    (_u("nm"), 1.0, "nm"),
    (re.compile("wavelength|lambda|λ"), 1.0, "nm"),
)
_ABSORBANCE = re.compile(r"absorb|(?<![a-z])od(?![a-z])|optical|extinction")
_SPECTRUM_WHAT = "wavelength (nm) or energy (eV), signal"
_SPECTRUM_KINDS = ("emission", "absorbance")


@dataclass(frozen=True)
class MeasuredSpectrum:
    """A spectrum read from a file, on both axes (each increasing).

    For an emission spectrum (PL counts per wavelength or per energy bin, a spectral density) the signal on
    the other axis carries the Jacobian, :func:`qdpv.confinement.spectrum_per_eV`; an absorbance is a value
    at each wavelength and is only re-labelled (:math:`E = hc/\\lambda`).
    """

    energy_eV: np.ndarray
    signal_energy: np.ndarray
    """Signal on the energy axis: per eV for an emission spectrum, the absorbance itself otherwise."""
    wavelength_nm: np.ndarray
    signal_wavelength: np.ndarray
    """Signal on the wavelength axis: per nm for an emission spectrum, the absorbance itself otherwise."""
    kind: str
    """``"emission"`` (a spectral density) or ``"absorbance"``."""
    axis_unit: str
    """The axis the file gave, ``"nm"`` or ``"eV"``."""
    notes: tuple[str, ...] = ()


def read_spectrum_csv(source: Source, axis_unit: str | None = None, kind: str | None = None) -> MeasuredSpectrum:
    """Read a spectrum (wavelength or energy, PL intensity or absorbance) from a path or an open file.

    The format is that of :func:`parse_spectrum_csv`.

    Parameters
    ----------
    source : str, os.PathLike or file object
        Path of the file, or an open file (binary or text). At most :data:`MAX_CSV_BYTES` bytes.
    axis_unit, kind
        As in :func:`parse_spectrum_csv`.

    Returns
    -------
    MeasuredSpectrum

    Raises
    ------
    ValueError
        If there is no such file, the file is too large or not UTF-8, or its content breaks a rule of
        :func:`parse_spectrum_csv` (the message starts with ``line N:`` when one line is at fault).

    Examples
    --------
    The kit's example PL spectrum, recorded per nm:

    >>> from qdpv.datasets import example_file
    >>> s = read_spectrum_csv(example_file("spectrum"))
    >>> s.kind, s.axis_unit, s.wavelength_nm.size
    ('emission', 'nm', 301)
    """
    return parse_spectrum_csv(_read_source(source), axis_unit, kind)


def parse_spectrum_csv(text: str, axis_unit: str | None = None, kind: str | None = None) -> MeasuredSpectrum:
    r"""Parse a spectrum from CSV text: an axis column (wavelength in nm or photon energy in eV) and a signal.

    Two columns, with or without a header row (separators as :func:`parse_isotherm`). With a header the
    columns are found by name: the axis by ``wavelength``/``lambda``/``nm`` or ``energy``/``eV``, the signal
    by ``intensity``, ``counts``, ``PL``, ``absorbance``, ``OD``, ...; other columns are skipped.

    The axis unit: from the axis column's name; else ``axis_unit``; else from the values (all in [100, 5000]:
    nm; all in (0, 20]: eV). The kind: ``absorbance`` if the signal's name says absorbance, OD, optical
    density or extinction, else ``kind``, else ``emission`` (a header and an argument that disagree are an
    error). An emission spectrum is a spectral density and is
    converted between the axes with the Jacobian :math:`I_E = I_\lambda\,hc/E^2`
    (:func:`qdpv.confinement.spectrum_per_eV`); an absorbance is not a density and only changes axis.

    Checks, each naming its line: at least 3 rows; finite numbers; the axis > 0 and strictly monotonic
    (either way; it is returned increasing); a positive largest signal. At most :data:`MAX_CSV_ROWS` rows.

    Parameters
    ----------
    text : str
        The file's content. At most :data:`MAX_CSV_BYTES` bytes as UTF-8.
    axis_unit : {"nm", "eV"}, optional
        Unit of the axis when the header does not say.
    kind : {"emission", "absorbance"}, optional
        What the signal is when the header does not say (default emission).

    Returns
    -------
    MeasuredSpectrum
        ``energy_eV``, ``signal_energy``, ``wavelength_nm``, ``signal_wavelength``, ``kind``, ``axis_unit``,
        ``notes``.

    Raises
    ------
    ValueError
        If ``text`` is not a str or too long, breaks a rule above (``line N:``), or ``axis_unit`` or ``kind``
        is not one of the choices.

    References
    ----------
    .. [1] Mooney & Kambhampati, J. Phys. Chem. Lett. 4, 3316 (2013). doi:10.1021/jz401508t

    Examples
    --------
    Two counts per nm at 500 nm are 403 counts per eV at 2.48 eV (hc / E^2 = 1239.84 / 2.48^2 nm/eV):

    >>> s = parse_spectrum_csv("wavelength (nm),PL (counts/nm)\n600,1\n500,2\n400,1\n")
    >>> [round(float(e), 3) for e in s.energy_eV], [round(float(i)) for i in s.signal_energy]
    ([2.066, 2.48, 3.1], [290, 403, 129])
    """
    text = _check_text("text", text)
    if axis_unit is not None:
        check_choice("axis_unit", axis_unit, ("nm", "eV"))
    if kind is not None:
        check_choice("kind", kind, _SPECTRUM_KINDS)
    cols = _columns(text, _SPECTRUM_WHAT)
    if cols.names is None:
        if len(cols.rows[0][1]) != 2:
            raise ValueError(
                f"line {cols.rows[0][0]}: expected 2 columns ({_SPECTRUM_WHAT}), got {len(cols.rows[0][1])}; "
                "name the columns in a header row to pick two of them"
            )
        found = {"axis": 0, "signal": 1}
    else:
        found = _locate(cols, _SPECTRUM_ROLES, _SPECTRUM_WHAT)
        if set(found) != {"axis", "signal"}:
            if len(cols.names) == 2 and not found:
                found = {"axis": 0, "signal": 1}
            else:
                raise ValueError(
                    f"line {cols.header_line}: the header {list(cols.names)!r} needs an axis column (wavelength in nm "
                    "or energy in eV) and a signal column (intensity, counts, PL, absorbance)"
                )
    x, lines = _values(cols, found["axis"], _label(cols, found["axis"], "axis"))
    y, _ = _values(cols, found["signal"], _label(cols, found["signal"], "signal"))
    if x.size < 3:
        raise ValueError(f"the file must have at least 3 data rows ({_SPECTRUM_WHAT}), got {x.size}")
    stated = _unit(cols.names[found["axis"]], _AXIS_UNITS) if cols.names is not None else None
    if stated and axis_unit and stated[1] != axis_unit:
        raise ValueError(f"axis_unit is {axis_unit!r} but the header (line {cols.header_line}) says {stated[1]!r}")
    unit = stated[1] if stated else axis_unit
    if unit is None:
        if np.all((x >= 100) & (x <= 5000)):
            unit = "nm"
        elif np.all((x > 0) & (x <= 20)):
            unit = "eV"
        else:
            raise ValueError(
                f"line {cols.header_line}: the axis is neither all wavelengths in 100-5000 nm nor all energies in "
                "0-20 eV; name its unit in the header or give axis_unit"
            )
    axis_name = "wavelength_nm" if unit == "nm" else "energy_eV"
    _check_column(axis_name, x, lines, lambda name, v: check_array(name, v, 0.0, 1e5 if unit == "nm" else 100.0), None)
    direction = _check_monotonic(axis_name, x, lines)
    if y.max() <= 0:
        raise ValueError(f"the signal has no positive value (largest {y.max():g}): nothing was measured")
    signal_name = cols.names[found["signal"]] if cols.names is not None else ""
    if _ABSORBANCE.search(signal_name.lower()):
        if kind == "emission":
            raise ValueError(f"kind is 'emission' but the header (line {cols.header_line}) says {signal_name!r}")
        kind = "absorbance"
    kind = kind or "emission"
    if direction < 0:
        x, y = x[::-1], y[::-1]
    if kind == "emission":
        if unit == "nm":
            wavelength, per_nm = x, y
            energy, per_ev = confinement.spectrum_per_eV(x, y)
        else:
            energy, per_ev = x, y
            wavelength, per_nm = confinement.spectrum_per_nm(x, y)
    else:
        other = HC_EV_NM / x[::-1]
        wavelength, per_nm, energy, per_ev = (x, y, other, y[::-1]) if unit == "nm" else (other, y[::-1], x, y)
    if not (np.all(np.isfinite(per_ev)) and np.all(np.isfinite(per_nm))):
        raise ValueError("the signal is too large to move to the other axis (it overflows); scale it down")
    return MeasuredSpectrum(energy, per_ev, wavelength, per_nm, kind, unit, _notes(text))


# ---------------------------------------------------------------------------------------------------------
# J-V sweeps: voltage, current density (or current and the cell area), scan direction
# ---------------------------------------------------------------------------------------------------------

_JV_ROLES = (
    ("direction", re.compile(r"direction|scan|sweep|branch|^dir(?![a-z])")),
    ("current", re.compile(r"current|density|^[ji](?![a-z])|^[ji]_")),
    ("voltage", re.compile(r"volt|bias|^[vu](?![a-z])|^[vu]_")),
)
_VOLTAGE_UNITS = ((_u("mv"), 1e-3, "mV"), (_u("(v|volts?)"), 1.0, "V"))
_DENSITY_UNITS = (  # factor to mA/cm2
    (_u(r"a(/|_|per)?cm-?2"), 1e3, "A/cm2"),
    (_u(r"ma(/|_|per)?cm-?2"), 1.0, "mA/cm2"),
    (_u(r"ua(/|_|per)?cm-?2"), 1e-3, "uA/cm2"),
    (_u(r"a(/|_|per)?m-?2"), 0.1, "A/m2"),
)
_CURRENT_UNITS = (  # factor to mA
    (_u("a"), 1e3, "A"),
    (_u("ma"), 1.0, "mA"),
    (_u("ua"), 1e-3, "uA"),
    (_u("na"), 1e-6, "nA"),
)
_JV_WHAT = "voltage, current density or current"
_JV_MIN_ROWS = 3


@dataclass(frozen=True)
class JVSweep:
    """One J-V sweep, in increasing voltage, photovoltaic sign convention (positive in the power quadrant)."""

    voltage_V: np.ndarray
    j_mA_cm2: np.ndarray
    direction: str
    """``"forward"`` if measured from low to high voltage (short circuit towards open circuit), else
    ``"reverse"``."""
    label: str = ""
    """The file's direction label for this sweep, if it had a direction column."""


@dataclass(frozen=True)
class MeasuredJV:
    """J-V sweeps read from a file (each as :func:`qdpv.diode.fit_jv` takes them)."""

    sweeps: tuple[JVSweep, ...]
    sign_flipped: bool
    """True if the file used the load convention (current rising with voltage) and the sign was changed."""
    area_cm2: float | None
    """The cell area the currents were divided by, or None if the file gave current densities."""
    notes: tuple[str, ...] = ()

    @property
    def forward(self) -> JVSweep | None:
        """The first forward sweep, or None."""
        return next((s for s in self.sweeps if s.direction == "forward"), None)

    @property
    def reverse(self) -> JVSweep | None:
        """The first reverse sweep, or None."""
        return next((s for s in self.sweeps if s.direction == "reverse"), None)


def read_jv_csv(
    source: Source, area_cm2: float | None = None, current_unit: str | None = None, flip_sign: bool | None = None
) -> MeasuredJV:
    """Read J-V sweeps (voltage and current density or current) from a path or an open file.

    The format and the sign rule are those of :func:`parse_jv_csv`.

    Parameters
    ----------
    source : str, os.PathLike or file object
        Path of the file, or an open file (binary or text). At most :data:`MAX_CSV_BYTES` bytes.
    area_cm2, current_unit, flip_sign
        As in :func:`parse_jv_csv`.

    Returns
    -------
    MeasuredJV

    Raises
    ------
    ValueError
        If there is no such file, the file is too large or not UTF-8, or its content breaks a rule of
        :func:`parse_jv_csv` (the message starts with ``line N:`` when one line is at fault).

    Examples
    --------
    The kit's example file: forward then reverse sweep, recorded in the load convention:

    >>> from qdpv.datasets import example_file
    >>> jv = read_jv_csv(example_file("jv"))
    >>> [s.direction for s in jv.sweeps], jv.sign_flipped, round(float(jv.forward.j_mA_cm2[0]), 2)
    (['forward', 'reverse'], True, 20.76)
    """
    return parse_jv_csv(_read_source(source), area_cm2, current_unit, flip_sign)


def parse_jv_csv(
    text: str, area_cm2: float | None = None, current_unit: str | None = None, flip_sign: bool | None = None
) -> MeasuredJV:
    r"""Parse J-V sweeps from CSV text: voltage and current density (or current with the cell area).

    Columns (separators as :func:`parse_isotherm`): without a header row, voltage (V) then current density
    (mA/cm2, or ``current_unit``). With a header, found by name: voltage (``V``, ``voltage``, ``bias``; in V
    or mV), current (``J``, ``I``, ``current``, ``density``; in A/cm2, mA/cm2, uA/cm2, A/m2 for a density, or
    A, mA, uA, nA for a current, which is divided by ``area_cm2``), and optionally a direction column
    (``direction``, ``scan``, ``sweep``) whose labels group the rows into sweeps.

    Sweeps: rows with the same direction label form a sweep; without a direction column the voltage is split
    at its turning points (a sample at a turning point ends one sweep and starts the next; a repeated value
    there starts the next). Each sweep must be strictly monotonic in voltage with at least 3 rows; it is
    returned in increasing voltage, ``direction`` saying how it was measured (forward: low to high voltage).

    Sign: the photovoltaic convention, current positive in the power quadrant (0 < V < Voc), so that a cell's
    current falls as the voltage rises, :math:`J = J_\mathrm{ph} - J_\mathrm{diode}(V)`. Instruments often
    record the load convention (current into the cell, power :math:`V J < 0` in that quadrant), where it
    rises. With ``flip_sign=None`` the sign is changed when, summed over the sweeps, the current at the
    highest voltage is above that at the lowest; ``True``/``False`` force it. The result says what was done.

    Parameters
    ----------
    text : str
        The file's content. At most :data:`MAX_CSV_BYTES` bytes as UTF-8.
    area_cm2 : float, optional
        Cell area in cm2, in (0, 1e4], needed when the file gives a current (not used for a density).
    current_unit : str, optional
        Unit of the current column when the header does not say (default ``"mA/cm2"``).
    flip_sign : bool, optional
        Force (True) or forbid (False) the change of sign; None (default) decides from the data.

    Returns
    -------
    MeasuredJV
        ``sweeps`` (:class:`JVSweep`: ``voltage_V``, ``j_mA_cm2``, ``direction``, ``label``), ``forward``,
        ``reverse``, ``sign_flipped``, ``area_cm2``, ``notes``.

    Raises
    ------
    ValueError
        If ``text`` is not a str or too long; a row that is not finite numbers, a voltage that repeats or turns
        inside a labelled sweep, a sweep of fewer than 3 rows (``line N:``); a current without ``area_cm2``; a bad
        ``area_cm2`` or ``current_unit``.

    Examples
    --------
    A current in mA from a 0.1 cm2 cell, load convention, up and back down:

    >>> jv = parse_jv_csv("V,I (mA)\n0,-2.0\n0.5,-1.9\n1.0,0.5\n0.5,-1.8\n0,-2.0\n", area_cm2=0.1)
    >>> [(s.direction, s.voltage_V.tolist(), [round(float(j), 3) for j in s.j_mA_cm2]) for s in jv.sweeps]
    [('forward', [0.0, 0.5, 1.0], [20.0, 19.0, -5.0]), ('reverse', [0.0, 0.5, 1.0], [20.0, 18.0, -5.0])]
    >>> jv.sign_flipped
    True
    """
    text = _check_text("text", text)
    if area_cm2 is not None:
        area_cm2 = float(check_array("area_cm2", area_cm2, 0.0, 1e4, unit="cm2"))
    if current_unit is not None:
        density_or_current = (*_DENSITY_UNITS, *_CURRENT_UNITS)
        _chosen_unit("current_unit", current_unit, density_or_current)
    if flip_sign not in (None, True, False):
        raise ValueError(f"flip_sign must be None, True or False, got {flip_sign!r}")
    cols = _columns(text, _JV_WHAT)
    if cols.names is None:
        if len(cols.rows[0][1]) != 2:
            raise ValueError(
                f"line {cols.rows[0][0]}: a file without a header row must have 2 columns (voltage in V, current "
                f"density), got {len(cols.rows[0][1])}; name the columns in a header row"
            )
        found = {"voltage": 0, "current": 1}
    else:
        found = _locate(cols, _JV_ROLES, _JV_WHAT)
        if "voltage" not in found or "current" not in found:
            raise ValueError(
                f"line {cols.header_line}: the header {list(cols.names)!r} needs a voltage column (V, voltage) and a "
                "current column (J, I, current)"
            )
    v, lines = _values(cols, found["voltage"], _label(cols, found["voltage"], "voltage"))
    j, _ = _values(cols, found["current"], _label(cols, found["current"], "current"))
    v_factor, _ = _unit_of_column(cols, found["voltage"], ("voltage unit", None), _VOLTAGE_UNITS, "V")
    v = v * v_factor
    j, used_area = _to_density(cols, found["current"], j, area_cm2, current_unit)
    _check_column("j_mA_cm2", j, lines, lambda name, v: check_array(name, v, hi_closed=False), None)
    if "direction" in found:
        groups: dict[str, list[int]] = {}
        for k, (_, fields) in enumerate(cols.rows):
            groups.setdefault(fields[found["direction"]].strip(), []).append(k)
        pieces = [(label, np.array(rows)) for label, rows in groups.items()]
    else:
        pieces = [("", rows) for rows in _turning_points(v, lines)]
    sweeps = []
    for label, rows in pieces:
        sub_lines = [lines[k] for k in rows]
        if rows.size < _JV_MIN_ROWS:
            raise ValueError(
                f"line {sub_lines[0]}: the sweep starting here has {rows.size} rows; a sweep needs at least "
                f"{_JV_MIN_ROWS}"
            )
        where = f" within the sweep labelled {label!r}" if label else " within a sweep"
        direction = _check_monotonic("voltage_V", v[rows], sub_lines, where)
        order = rows if direction > 0 else rows[::-1]
        sweeps.append((label, "forward" if direction > 0 else "reverse", v[order], j[order]))
    rising = sum(float(s[3][-1] - s[3][0]) for s in sweeps)
    flipped = rising > 0 if flip_sign is None else flip_sign
    sign = -1.0 if flipped else 1.0
    return MeasuredJV(
        tuple(JVSweep(volt, sign * cur + 0.0, direction, label) for label, direction, volt, cur in sweeps),
        bool(flipped), used_area, _notes(text),
    )


def _to_density(cols: _Columns, jc: int, j: np.ndarray, area_cm2: float | None, current_unit: str | None):
    """Current column -> mA/cm2 (a current is divided by the area); returns the values and the area used."""
    name = cols.names[jc] if cols.names is not None else ""
    stated = _unit(name, _DENSITY_UNITS) or _unit(name, _CURRENT_UNITS)
    if stated is None and re.search(r"[(\[]", name):
        raise ValueError(
            f"line {cols.header_line}: the unit of {name!r} is not one the kit reads (A/cm2, mA/cm2, uA/cm2, A/m2 "
            "or A, mA, uA, nA with area_cm2)"
        )
    chosen = None
    if current_unit is not None:
        chosen = _unit(f"({current_unit})", _DENSITY_UNITS) or _unit(f"({current_unit})", _CURRENT_UNITS)
        if stated and stated[1] != chosen[1]:
            raise ValueError(
                f"current_unit is {current_unit!r} but the header (line {cols.header_line}) says {name!r}; leave "
                "current_unit out or correct the header"
            )
    factor, unit = stated or chosen or (1.0, "mA/cm2")
    if unit in {u for _, _, u in _DENSITY_UNITS}:
        return j * factor, None
    if area_cm2 is None:
        raise ValueError(
            f"area_cm2 must be given: column {name or 'current'!r} is a current in {unit}, and the cell area turns "
            "it into a current density"
        )
    return j * factor / area_cm2, area_cm2


def _turning_points(v: np.ndarray, lines: list[int]) -> list[np.ndarray]:
    """Row indices of each sweep: the voltage split where it turns (the turning sample is shared), or after a
    repeated value."""
    if v.size < 2:
        return [np.arange(v.size)]
    steps = np.sign(np.diff(v))
    pieces, start, direction = [], 0, steps[0]
    if direction == 0:
        raise ValueError(f"line {lines[1]}: voltage_V repeats the value of line {lines[0]} ({v[0]:g} V)")
    k = 1
    while k < steps.size:
        if steps[k] == direction:
            k += 1
            continue
        if steps[k] == 0:  # a repeated sample: it starts the next sweep, which must turn
            pieces.append(np.arange(start, k + 1))
            start = k + 1
            if k + 1 < steps.size and steps[k + 1] != -direction:
                raise ValueError(
                    f"line {lines[k + 1]}: voltage_V repeats the value of line {lines[k]} ({v[k]:g} V) inside a "
                    "sweep"
                )
            direction = -direction
            k += 2
            continue
        pieces.append(np.arange(start, k + 1))  # the turning sample ends this sweep and starts the next
        start, direction = k, steps[k]
        k += 1
    pieces.append(np.arange(start, v.size))
    return pieces


# ---------------------------------------------------------------------------------------------------------
# TCSPC decay: time, counts per bin, optional instrument response
# ---------------------------------------------------------------------------------------------------------

_DECAY_ROLES = (
    ("irf", re.compile(r"irf|instrument|prompt|response|reference|^ir(?![a-z])")),
    ("time", re.compile(r"time|delay|^t(?![a-z])|^t_")),
    ("counts", re.compile(r"count|decay|intens|signal|photon|trpl|(?<![a-z])pl(?![a-z])|^[ny](?![a-z])")),
)
_TIME_UNITS = ((_u("ps"), 1e-3, "ps"), (_u("ns"), 1.0, "ns"), (_u("us"), 1e3, "us"), (_u("ms"), 1e6, "ms"))
_BIN_TOLERANCE = 0.02  # printed times are rounded: steps may differ from the bin by 2 %
_DECAY_WHAT = "time, counts[, instrument response]"


@dataclass(frozen=True)
class MeasuredDecay:
    """A time-resolved PL decay (TCSPC histogram) read from a file."""

    time_ns: np.ndarray
    """Bin times in ns, increasing, evenly spaced."""
    counts: np.ndarray
    """Counts per bin, >= 0."""
    irf: np.ndarray | None
    """Instrument response per bin, or None if the file has no such column."""
    bin_ns: float
    """The instrument's time bin: the mean step of ``time_ns``."""
    notes: tuple[str, ...] = ()

    @property
    def peak_time_ns(self) -> float:
        """Time of the fullest bin."""
        return float(self.time_ns[int(np.argmax(self.counts))])

    def from_peak(self) -> tuple[np.ndarray, np.ndarray]:
        """``(time_ns, counts)`` from the fullest bin on, time counted from it: the tail that
        :func:`qdpv.carriers.fit_decay` fits (its decay starts at t = 0 and neglects the instrument response)."""
        i = int(np.argmax(self.counts))
        return self.time_ns[i:] - self.time_ns[i], self.counts[i:]


def read_decay_csv(source: Source, time_unit: str | None = None) -> MeasuredDecay:
    """Read a TCSPC decay (time, counts, optional instrument response) from a path or an open file.

    The format is that of :func:`parse_decay_csv`.

    Parameters
    ----------
    source : str, os.PathLike or file object
        Path of the file, or an open file (binary or text). At most :data:`MAX_CSV_BYTES` bytes.
    time_unit
        As in :func:`parse_decay_csv`.

    Returns
    -------
    MeasuredDecay

    Raises
    ------
    ValueError
        If there is no such file, the file is too large or not UTF-8, or its content breaks a rule of
        :func:`parse_decay_csv` (the message starts with ``line N:`` when one line is at fault).

    Examples
    --------
    >>> from qdpv.datasets import example_file
    >>> d = read_decay_csv(example_file("decay"))
    >>> d.time_ns.size, round(d.bin_ns, 9), d.irf is not None, d.peak_time_ns
    (800, 0.1, True, 5.0)
    """
    return parse_decay_csv(_read_source(source), time_unit)


def parse_decay_csv(text: str, time_unit: str | None = None) -> MeasuredDecay:
    """Parse a TCSPC decay from CSV text: time, counts per bin, and optionally the instrument response.

    Columns (separators as :func:`parse_isotherm`): without a header row, time then counts (then the
    instrument response); with a header, found by name: time (``time``, ``t``, ``delay``; in ps, ns, us or
    ms, default ns), counts (``counts``, ``decay``, ``intensity``, ``PL``) and the response (``IRF``,
    ``instrument``, ``prompt``, ``response``).

    Checks, each naming its line: at least 3 rows; finite numbers; times strictly increasing in even steps
    (the instrument's bin; printed times may round them by up to 2 %); counts and response >= 0; at least
    one count (and, with a response column, a response). At most :data:`MAX_CSV_ROWS` rows.

    Parameters
    ----------
    text : str
        The file's content. At most :data:`MAX_CSV_BYTES` bytes as UTF-8.
    time_unit : {"ps", "ns", "us", "ms"}, optional
        Unit of the times when the header does not say (default ns).

    Returns
    -------
    MeasuredDecay
        ``time_ns``, ``counts``, ``irf`` (None without one), ``bin_ns``, ``notes``; ``from_peak()`` gives the
        tail :func:`qdpv.carriers.fit_decay` takes.

    Raises
    ------
    ValueError
        If ``text`` is not a str or too long, breaks a rule above (``line N:``), or ``time_unit`` is not one of
        the choices.

    Examples
    --------
    >>> d = parse_decay_csv("time (ps),counts\\n0,3\\n250,900\\n500,410\\n750,190\\n")
    >>> d.time_ns.tolist(), round(d.bin_ns, 9), d.from_peak()[0].tolist()
    ([0.0, 0.25, 0.5, 0.75], 0.25, [0.0, 0.25, 0.5])
    """
    text = _check_text("text", text)
    if time_unit is not None:
        _chosen_unit("time_unit", time_unit, _TIME_UNITS)
    cols = _columns(text, _DECAY_WHAT)
    width = len(cols.rows[0][1])
    if cols.names is None:
        if width not in (2, 3):
            raise ValueError(
                f"line {cols.rows[0][0]}: a file without a header row must have 2 or 3 columns ({_DECAY_WHAT}), "
                f"got {width}"
            )
        found = {"time": 0, "counts": 1, **({"irf": 2} if width == 3 else {})}
    else:
        found = _locate(cols, _DECAY_ROLES, _DECAY_WHAT)
        if "time" not in found or "counts" not in found:
            raise ValueError(
                f"line {cols.header_line}: the header {list(cols.names)!r} needs a time column and a counts column"
            )
    t, lines = _values(cols, found["time"], _label(cols, found["time"], "time"))
    counts, _ = _values(cols, found["counts"], _label(cols, found["counts"], "counts"))
    if t.size < 3:
        raise ValueError(f"the file must have at least 3 data rows ({_DECAY_WHAT}), got {t.size}")
    factor, _ = _unit_of_column(cols, found["time"], ("time_unit", time_unit), _TIME_UNITS, "ns")
    t = t * factor
    _check_column("time_ns", t, lines, lambda name, v: check_array(name, v, hi_closed=False), "strictly increasing")
    steps = np.diff(t)
    bin_ns = float(np.median(steps))
    uneven = np.flatnonzero(np.abs(steps - bin_ns) > _BIN_TOLERANCE * bin_ns)
    if uneven.size:
        i = int(uneven[0])
        raise ValueError(
            f"line {lines[i + 1]}: time_ns must advance in even steps (the instrument's bin, {bin_ns:g} ns), got a "
            f"step of {steps[i]:g} ns from line {lines[i]}"
        )
    bin_ns = float((t[-1] - t[0]) / (t.size - 1))
    _check_column("counts", counts, lines, lambda name, v: check_array(name, v, 0.0, lo_closed=True), None)
    if counts.sum() <= 0:
        raise ValueError("counts are all 0: the decay has no counts")
    irf = None
    if "irf" in found:
        irf, _ = _values(cols, found["irf"], _label(cols, found["irf"], "irf"))
        _check_column("irf", irf, lines, lambda name, v: check_array(name, v, 0.0, lo_closed=True), None)
        if irf.sum() <= 0:
            raise ValueError("irf values are all 0: the instrument response column is empty")
    return MeasuredDecay(t, counts, irf, bin_ns, _notes(text))


# ---------------------------------------------------------------------------------------------------------
# PL versus temperature: temperature, integrated intensity, optional standard error
# ---------------------------------------------------------------------------------------------------------

_PLT_ROLES = (
    ("se", re.compile(r"(?<![a-z])(se|sd|err|error|uncertainty|sigma|std|stderr)(?![a-z])|error|uncertainty")),
    ("temperature", re.compile(r"temp|kelvin|^t(?![a-z])|^t_")),
    ("intensity", re.compile(r"intens|integrat|count|signal|area|(?<![a-z])pl(?![a-z])|^[iy](?![a-z])|^i_")),
)
_TEMPERATURE_UNITS = ((_u("(degc|c|celsius)"), 273.15, "C"), (_u("(k|kelvin)"), 0.0, "K"))
_PLT_WHAT = "temperature, integrated PL intensity[, its standard error]"


@dataclass(frozen=True)
class MeasuredPLTemperature:
    """Integrated PL versus temperature read from a file, as :func:`qdpv.carriers.fit_thermal_quenching`
    takes it."""

    temperature_K: np.ndarray
    """Temperatures in K, strictly increasing."""
    intensity: np.ndarray
    """Integrated PL at each temperature (the file's unit), > 0."""
    intensity_se: np.ndarray | None
    """Standard error of each intensity, or None if the file has none."""
    notes: tuple[str, ...] = ()


def read_pl_temperature_csv(source: Source, temperature_unit: str | None = None) -> MeasuredPLTemperature:
    """Read integrated PL versus temperature from a path or an open file.

    The format is that of :func:`parse_pl_temperature_csv`.

    Parameters
    ----------
    source : str, os.PathLike or file object
        Path of the file, or an open file (binary or text). At most :data:`MAX_CSV_BYTES` bytes.
    temperature_unit
        As in :func:`parse_pl_temperature_csv`.

    Returns
    -------
    MeasuredPLTemperature

    Raises
    ------
    ValueError
        If there is no such file, the file is too large or not UTF-8, or its content breaks a rule of
        :func:`parse_pl_temperature_csv` (the message starts with ``line N:`` when one line is at fault).

    Examples
    --------
    >>> from qdpv.datasets import example_file
    >>> pl = read_pl_temperature_csv(example_file("pl_temperature"))
    >>> pl.temperature_K.size, float(pl.temperature_K[0]), pl.intensity_se is not None
    (15, 20.0, True)
    """
    return parse_pl_temperature_csv(_read_source(source), temperature_unit)


def parse_pl_temperature_csv(text: str, temperature_unit: str | None = None) -> MeasuredPLTemperature:
    """Parse integrated PL versus temperature from CSV text, for :func:`qdpv.carriers.fit_thermal_quenching`.

    Columns (separators as :func:`parse_isotherm`): without a header row, temperature then intensity (then
    its standard error); with a header, found by name: temperature (``T``, ``temperature``; in K, or degC
    when it says ``C``/``°C``), intensity (``intensity``, ``integrated``, ``PL``, ``area``, ``counts``) and
    its standard error (``se``, ``error``, ``sigma``, ``std``).

    Checks, each naming its line: at least 3 rows; finite numbers; temperatures > 0 K and strictly monotonic
    (either way: returned increasing); intensities and standard errors > 0. At most :data:`MAX_CSV_ROWS` rows.

    Parameters
    ----------
    text : str
        The file's content. At most :data:`MAX_CSV_BYTES` bytes as UTF-8.
    temperature_unit : {"K", "C"}, optional
        Unit of the temperatures when the header does not say (default K).

    Returns
    -------
    MeasuredPLTemperature
        ``temperature_K``, ``intensity``, ``intensity_se`` (None without one), ``notes``.

    Raises
    ------
    ValueError
        If ``text`` is not a str or too long, breaks a rule above (``line N:``), or ``temperature_unit`` is
        not one of the choices.

    Examples
    --------
    Cooling from room temperature, in degC:

    >>> pl = parse_pl_temperature_csv("T (°C),PL\\n27,0.4\\n-73,0.8\\n-173,1.0\\n")
    >>> [round(float(t), 2) for t in pl.temperature_K], pl.intensity.tolist()
    ([100.15, 200.15, 300.15], [1.0, 0.8, 0.4])
    """
    text = _check_text("text", text)
    if temperature_unit is not None:
        check_choice("temperature_unit", temperature_unit, ("K", "C"))
    cols = _columns(text, _PLT_WHAT)
    width = len(cols.rows[0][1])
    if cols.names is None:
        if width not in (2, 3):
            raise ValueError(
                f"line {cols.rows[0][0]}: a file without a header row must have 2 or 3 columns ({_PLT_WHAT}), "
                f"got {width}"
            )
        found = {"temperature": 0, "intensity": 1, **({"se": 2} if width == 3 else {})}
    else:
        found = _locate(cols, _PLT_ROLES, _PLT_WHAT)
        if "temperature" not in found or "intensity" not in found:
            raise ValueError(
                f"line {cols.header_line}: the header {list(cols.names)!r} needs a temperature column and an "
                "intensity column"
            )
    temp, lines = _values(cols, found["temperature"], _label(cols, found["temperature"], "temperature"))
    y, _ = _values(cols, found["intensity"], _label(cols, found["intensity"], "intensity"))
    if temp.size < 3:
        raise ValueError(f"the file must have at least 3 data rows ({_PLT_WHAT}), got {temp.size}")
    offset, _ = _unit_of_column(cols, found["temperature"], ("temperature_unit", temperature_unit),
                                _TEMPERATURE_UNITS, "K")
    temp = temp + offset
    _check_column("temperature_K", temp, lines, lambda name, v: check_array(name, v, 0.0, unit="K"), None)
    direction = _check_monotonic("temperature_K", temp, lines)
    _check_column("intensity", y, lines, lambda name, v: check_array(name, v, 0.0), None)
    se = None
    if "se" in found:
        se, _ = _values(cols, found["se"], _label(cols, found["se"], "intensity_se"))
        _check_column("intensity_se", se, lines, lambda name, v: check_array(name, v, 0.0), None)
    order = slice(None) if direction > 0 else slice(None, None, -1)
    return MeasuredPLTemperature(temp[order], y[order], None if se is None else se[order], _notes(text))


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
    rows = []
    for number, line in _content_lines(text):
        try:
            rows.append((number, next(csv.reader([line]))))
        except csv.Error as err:  # e.g. a field longer than the csv module's limit
            raise ValueError(f"line {number}: {err}") from None
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
