"""qdpv.io: every CSV reader of the kit, from a path, an open file (binary or text) or the text itself.

Good files give the same arrays whichever way they come in; each bad file gives a ValueError that names the
problem and, where one line is at fault, that line (1-based, comments and blank lines counted); the one size
limit holds at its edge. The shipped example files are read and analysed by the models that made them.
"""

from __future__ import annotations

import doctest
import importlib.resources
from io import BytesIO, StringIO

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qdpv import datasets, msn, spectra, stability
from qdpv import io as qio
from qdpv.msn.analysis import _check_isotherm
from qdpv.stability import _check_series

DATA = importlib.resources.files("qdpv") / "data"
ISOTHERM = DATA / "msn_medium_isotherm_synthetic.csv"
DEGRADATION = DATA / "degradation_example_synthetic.csv"


def _every_way(text: str, tmp_path, reader, parser) -> list:
    """The result of reading ``text`` as text, through a str path, a Path, binary and text files."""
    path = tmp_path / "data.csv"
    path.write_text(text, encoding="utf-8")
    with open(path, "rb") as binary, open(path, encoding="utf-8") as textfile:
        return [
            parser(text),
            reader(str(path)),
            reader(path),
            reader(binary),
            reader(textfile),
            reader(BytesIO(text.encode("utf-8"))),
            reader(StringIO(text)),
        ]


def _all_equal(results: list) -> None:
    first = results[0]
    for other in results[1:]:
        for a, b in zip(first, other, strict=True):
            np.testing.assert_array_equal(a, b)


# --------------------------------------------------------------------------------------------- good files


def test_isotherm_with_header_comments_and_separators(tmp_path):
    text = "# source: test\np/p0;amount\n0.05;1.0\n0.10\t1.5\n\n0.20 2.0\n0.30,2.5\n"
    results = _every_way(text, tmp_path, qio.read_isotherm_csv, qio.parse_isotherm_csv)
    _all_equal(results)
    p, n = results[0]
    np.testing.assert_array_equal(p, [0.05, 0.10, 0.20, 0.30])
    np.testing.assert_array_equal(n, [1.0, 1.5, 2.0, 2.5])


def test_shipped_isotherm_is_the_medium_preset():
    assert ISOTHERM.read_text(encoding="utf-8").startswith("# source:")
    with ISOTHERM.open("rb") as file:
        p, n = qio.read_isotherm_csv(file)
    # the example is the medium preset (8 nm, synthetic): BJH must find it within the grid's resolution
    assert msn.bjh_pore_distribution(p, n).peak_diameter_nm == pytest.approx(8.0, rel=0.1)


@pytest.mark.parametrize(
    "text",
    [
        "time_h,retained_percent\n0,100\n500,96.5\n1300,93.16\n",  # header says percent
        "# my cell\n0;1.0\n500;0.965\n\n1300;0.9316\n",  # fraction, semicolons, comment, blank line
        "0\t100%\n500\t96.5%\n1300\t93.16%\n",  # percent signs, tabs, no header
        "hours, retained\n0, 100\n500, 96.5\n1300, 93.16\n",  # no unit in header: max > 1.5 -> percent
        "\ufefftime_h,retained\r\n0,1\r\n500,0.965\r\n1300,0.9316\r\n",  # byte-order mark, Windows line ends
    ],
)
def test_degradation_common_forms(text, tmp_path):
    results = _every_way(text, tmp_path, qio.read_degradation_csv, qio.parse_degradation_csv)
    _all_equal(results)
    t, r = results[0]
    np.testing.assert_allclose(t, [0, 500, 1300])
    np.testing.assert_allclose(r, [1.0, 0.965, 0.9316], rtol=1e-12)


def test_shipped_degradation_example_is_fit_by_its_model():
    assert DEGRADATION.read_text(encoding="utf-8").startswith("# source: SYNTHETIC")
    with DEGRADATION.open("rb") as file:
        t, r = qio.read_degradation_csv(file)
    assert t.size == 12 and r[0] == 1.0 and 0.8 < r[-1] < 0.95
    stability.fit_degradation(t, r, "stretched")  # the example is fit-able by the model that generated it


def test_table_with_notes_quotes_and_text_columns(tmp_path):
    text = '# source: a book, p. 3\n# second note\nsize_nm,label\n9.9,"cube, small"\n12.5,cube\n'
    path = tmp_path / "sizes.csv"
    path.write_text(text, encoding="utf-8")
    for table in (qio.parse_table_csv(text, "sizes"), qio.read_table_csv(path), qio.read_table_csv(str(path))):
        assert table.name == "sizes" and table.source == "a book, p. 3"
        assert table.notes == ("source: a book, p. 3", "second note")
        np.testing.assert_array_equal(table.columns["size_nm"], [9.9, 12.5])
        assert table.columns["label"].tolist() == ["cube, small", "cube"]
    assert qio.read_table_csv(BytesIO(text.encode("utf-8"))).name == ""  # a file object without a name


@pytest.mark.parametrize("name", datasets.available_tables())
def test_shipped_tables_read_through_io(name):
    table = datasets.load_table(name)
    assert isinstance(table, qio.Table) and table.source
    with (DATA / f"{name}.csv").open("rb") as file:
        again = qio.read_table_csv(file, name)
    assert again.notes == table.notes and list(again.columns) == list(table.columns)
    for key, column in table.columns.items():
        np.testing.assert_array_equal(again.columns[key], column)


def test_am15g_comes_from_the_table_reader():
    table = qio.read_table_csv(spectra._DATA)
    spec = spectra.am15g()
    np.testing.assert_array_equal(spec.wavelength_nm, table.columns["wavelength_nm"])
    np.testing.assert_array_equal(spec.irradiance_W_m2_nm, table.columns["global_tilt_W_m2_nm"])
    assert spec.wavelength_nm.size == 2002


def test_docstring_examples_run():
    result = doctest.testmod(qio, optionflags=doctest.NORMALIZE_WHITESPACE)
    assert result.attempted >= 3 and result.failed == 0


# ---------------------------------------------------------------------------------------------- bad files


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("0.1,1.0\n0.2,abc\n0.3,3\n", "line 2: n_ads_mmol_g 'abc' is not a number"),
        ("0.1,1.0,5\n0.2,2\n0.3,3\n", "line 1: expected 2 columns"),
        ("p,n\n0.1,1\n0.2,2\n", "at least 3 data rows"),
        ("# c\n\n0.1,1\n0.3,2\n0.2,3\n", "line 5: p_rel must be strictly increasing, got 0.2 after 0.3 on line 4"),
        ("0.1,1\n0.2,2\n1.2,3\n", "line 3: p_rel must be in"),
        ("0.1,1\n0.2,-2\n0.3,3\n", "line 2: n_ads_mmol_g must be in"),
        ("0.1,1\n0.2,3\n0.3,2\n", "line 3: n_ads_mmol_g must be non-decreasing"),
        ("0.1,1\n0.2,inf\n0.3,3\n", "line 2: n_ads_mmol_g must be a finite number"),
    ],
)
def test_bad_isotherm_names_the_line(text, match):
    for call in (lambda: qio.parse_isotherm_csv(text), lambda: qio.read_isotherm_csv(StringIO(text))):
        with pytest.raises(ValueError, match=match):
            call()


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "no data rows"),
        ("# only a comment\n\n", "no data rows"),
        ("time_h,retained\n", r"header \(line 1\) but no data rows"),
        ("0,1\n100,abc\n", "line 2: retained 'abc' is not a number"),
        ("0,1\n100,0.9,7\n", "line 2: expected 2 columns"),
        ("0,1\n100\n", "line 2: expected 2 columns"),
        ("0,1\n100,nan\n", "line 2: retained must be a finite number"),
        ("# a\n0,1\n100,0.9\n50,0.8\n", "line 4: time_h must be strictly increasing"),
        ("0,1\n100,-0.9\n", "line 2: retained must be in"),
        ("0,1\n-5,0.9\n", "line 2: time_h must be in"),
    ],
)
def test_bad_degradation_names_the_line(text, match):
    for call in (lambda: qio.parse_degradation_csv(text), lambda: qio.read_degradation_csv(StringIO(text))):
        with pytest.raises(ValueError, match=match):
            call()


@pytest.mark.parametrize(
    ("text", "match"),
    [
        ("", "no header row"),
        ("# note only\n", "no header row"),
        ("a,b\n1,2\n\n3\n", "line 4: expected 2 columns"),
        ("a,a\n1,2\n", "line 1: column 'a' appears twice"),
        ("# note\na,\n1,2\n", "line 2: column 2 of the header has no name"),
    ],
)
def test_bad_table_names_the_line(text, match):
    with pytest.raises(ValueError, match=match):
        qio.parse_table_csv(text)


def test_bytes_that_are_not_utf8_name_their_line():
    with pytest.raises(ValueError, match=r"line 2: byte 11 is not valid UTF-8"):
        qio.read_degradation_csv(BytesIO(b"0,1\n100,0.9\xff\n"))


@pytest.mark.parametrize(
    ("source", "match"),
    [
        ("no_such_file.csv", "no file at 'no_such_file.csv'"),
        (12.5, "source must be a path or an open file, got float"),
        (b"0,1\n", "source must be a path or an open file, got bytes"),
    ],
)
def test_bad_sources(source, match):
    for reader in (qio.read_isotherm_csv, qio.read_degradation_csv, qio.read_table_csv):
        with pytest.raises(ValueError, match=match):
            reader(source)


@pytest.mark.parametrize("parser", [qio.parse_isotherm_csv, qio.parse_degradation_csv, qio.parse_table_csv])
def test_parsers_take_text_only(parser):
    with pytest.raises(ValueError, match="text must be a str"):
        parser(b"0.1,1\n0.2,2\n0.3,3\n")


def test_a_directory_is_not_a_file(tmp_path):
    with pytest.raises(ValueError, match="no file at"):
        qio.read_isotherm_csv(tmp_path)


# -------------------------------------------------------------------------------------------- size limits


def _padded(size: int) -> str:
    """A valid degradation file of exactly ``size`` bytes (UTF-8), padded with a comment line."""
    body = "time_h,retained\n0,1\n100,0.9\n"
    pad = size - len(body) - len("#\n")
    return "#" + "x" * pad + "\n" + body


def test_size_limit_is_one_limit_for_every_way_in(tmp_path):
    at_limit, over = _padded(qio.MAX_CSV_BYTES), _padded(qio.MAX_CSV_BYTES + 1)
    assert len(at_limit.encode()) == qio.MAX_CSV_BYTES and len(over.encode()) == qio.MAX_CSV_BYTES + 1
    path = tmp_path / "big.csv"
    path.write_text(at_limit, encoding="utf-8")
    t, _ = qio.read_degradation_csv(path)  # exactly at the limit: read
    assert t.size == 2
    qio.parse_degradation_csv(at_limit)
    path.write_text(over, encoding="utf-8")
    message = f"at most {qio.MAX_CSV_BYTES} bytes"
    for call in (
        lambda: qio.read_degradation_csv(path),
        lambda: qio.read_degradation_csv(BytesIO(over.encode())),
        lambda: qio.read_degradation_csv(StringIO(over)),
        lambda: qio.parse_degradation_csv(over),
        lambda: qio.read_isotherm_csv(path),
        lambda: qio.read_table_csv(path),
    ):
        with pytest.raises(ValueError, match=message):
            call()


def test_row_limit_names_the_first_line_past_it():
    rows = "".join(f"{i},0.9\n" for i in range(qio.MAX_CSV_ROWS + 1))
    with pytest.raises(ValueError, match=f"line {qio.MAX_CSV_ROWS + 2}: a file may have at most {qio.MAX_CSV_ROWS}"):
        qio.parse_degradation_csv("time_h,retained\n" + rows)
    t, _ = qio.parse_degradation_csv("".join(f"{i},0.9\n" for i in range(qio.MAX_CSV_ROWS)))
    assert t.size == qio.MAX_CSV_ROWS


# ------------------------------------------------ the readers accept what the models accept, and no more

# Rows built as running sums of mostly positive steps: about half the files keep every rule, the rest break one
# (a value out of range, a step backwards), so both branches are exercised.
STEPS = st.lists(st.tuples(st.floats(-0.05, 0.3), st.floats(-0.5, 3.0)), min_size=3, max_size=8)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(steps=STEPS)
def test_isotherm_reader_agrees_with_the_analyses(steps):
    p, n = (np.cumsum(col) for col in zip(*steps, strict=True))
    text = "".join(f"{float(a)!r},{float(b)!r}\n" for a, b in zip(p, n, strict=True))
    try:
        _check_isotherm(p, n)
    except ValueError:
        with pytest.raises(ValueError, match=r"^line "):
            qio.parse_isotherm_csv(text)
    else:
        p_back, n_back = qio.parse_isotherm_csv(text)
        np.testing.assert_array_equal(p_back, p)
        np.testing.assert_array_equal(n_back, n)


@settings(max_examples=60, deadline=None, derandomize=True, database=None)
@given(
    steps=st.lists(st.floats(-20.0, 500.0), min_size=1, max_size=8),
    retained=st.lists(st.floats(-0.1, 1.5), min_size=8, max_size=8),
)
def test_degradation_reader_agrees_with_the_fits(steps, retained):
    t, r = np.cumsum(steps), np.array(retained[: len(steps)])
    # fractions: no "%" anywhere and every value <= 1.5, so the reader does not rescale them
    text = "time_h,retained\n" + "".join(f"{float(a)!r},{float(b)!r}\n" for a, b in zip(t, r, strict=True))
    try:
        _check_series(t, r)
    except ValueError:
        with pytest.raises(ValueError, match=r"^line "):
            qio.parse_degradation_csv(text)
    else:
        t_back, r_back = qio.parse_degradation_csv(text)
        np.testing.assert_array_equal(t_back, t)
        np.testing.assert_array_equal(r_back, r)
