"""README.md quotes benchmark figures only through markers that scripts/quote_numbers.py fills from the table
benchmarks/bench_apps.py writes to docs/performance.md: a re-run of the benchmark refreshes them, and a typed or
stale figure fails here."""

from __future__ import annotations

from qdpv_testing import quoted
from qdpv_testing.reports import PERFORMANCE_MD


def _numbers() -> dict[str, str]:
    return quoted.performance_numbers(PERFORMANCE_MD.read_text(encoding="utf-8"))


def test_every_quoted_figure_is_the_benchmarks():
    for path in quoted.QUOTING:
        text = path.read_text(encoding="utf-8")
        assert quoted.MARKER.search(text), f"{path.name} quotes no benchmark figure through a marker"
        assert quoted.problems(text, _numbers()) == [], path.name


def test_the_figures_are_read_off_the_table():
    table = (
        "| app | tti | x floor | painted | text |\n|---|---|---|---|---|\n"
        "| floor | 3.17 / 3.32 | 1.00 | 33 / 36 | 18 / 25 |\n"
        "| a.ipynb | 4.40 / 4.45 | 1.39 | 60 / 77 | 21 / 26 |\n"
        "| b.ipynb | 3.65 / 3.67 | 1.15 | 47 / 64 | 18 / 22 |\n"
    )
    assert quoted.performance_numbers(table) == {
        "tti_apps": "3.6-4.4 s", "tti_floor": "3.2 s", "painted_apps": "47-60 ms", "painted_floor": "33 ms",
    }


def test_the_check_fails_on_a_stale_figure():
    stale = "interactive in <!-- perf:tti_apps -->6.5-11 s<!-- /perf -->"
    assert quoted.problems(stale, {"tti_apps": "3.6-4.4 s"}) != []
    assert quoted.problems(quoted.fill(stale, {"tti_apps": "3.6-4.4 s"}), {"tti_apps": "3.6-4.4 s"}) == []
