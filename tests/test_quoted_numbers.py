"""README.md and docs/deploy.md quote benchmark figures only through markers that scripts/quote_numbers.py fills from
what benchmarks/bench_apps.py and benchmarks/bench_learner_server.py write to docs/performance.md: a re-run of a
benchmark refreshes them, and a typed or stale figure fails here."""

from __future__ import annotations

import re

import pytest

from qdpv_testing import quoted
from qdpv_testing.reports import PERFORMANCE_MD

APP_TABLE = (
    "# Performance\n\n- Machine: 2 cores (AMD EPYC), 24 GiB RAM, Linux; Python 3.11.7.\n\n"
    "| app | time-to-interactive, s (median / max) | x floor | warm: time-to-interactive, s (median / max) "
    "| slider -> painted, ms (median / max) | slider -> text, ms (median / max) | kernel RSS, MB "
    "| transferred cold, MB | transferred warm, kB |\n|---|---|---|---|---|---|---|---|---|\n"
    "| floor | 3.17 / 3.32 | 1.00 | 2.50 / 2.60 | 33 / 36 | 18 / 25 | 98 / 99 | 1.80 / 1.81 | 15 / 16 |\n"
    "| a.ipynb | 4.40 / 4.45 | 1.39 | 3.10 / 3.20 | 60 / 77 | 21 / 26 | 123 / 127 | 1.86 / 1.87 | 18 / 19 |\n"
    "| b.ipynb | 3.65 / 3.67 | 1.15 | 2.90 / 3.00 | 47 / 64 | 18 / 22 | 173 / 178 | 1.87 / 1.87 | 17 / 18 |\n"
)
LEARNER_SECTION = (
    "\n## One learner's Jupyter server\n\n- Run: 2026-11-29 10:00 UTC; ... the gallery, then 3 round(s) of the "
    "gallery and the six apps, 22 pages, each opened ...\n\n"
    "| page | CPU to open, server, s (median / max) | CPU to open, its kernel, s (median / max) "
    "| CPU to open, together, s (median / max) |\n|---|---|---|---|\n"
    "| 00_start_here.ipynb | 0.3 / 0.4 | 1.0 / 1.1 | 1.3 / 1.5 |\n"
    "| 01_a.ipynb | 0.5 / 0.6 | 2.4 / 2.5 | 2.9 / 3.1 |\n"
    "| 05_b.ipynb | 0.5 / 0.6 | 4.2 / 4.4 | 4.7 / 5.0 |\n"
    "| 06_c.ipynb | 0.4 / 0.5 | 3.8 / 3.9 | 4.2 / 4.4 |\n\n"
    "| server RSS | MB |\n|---|---|\n| before any page | 96 |\n| after the gallery | 157 |\n"
    "| after round 1 | 235 |\n| after round 2 | 260 |\n| after round 3 | 282 |\n"
    "| growth per page after round 1 | 3.4 |\n"
)


def _numbers() -> dict[str, str]:
    return quoted.performance_numbers(PERFORMANCE_MD.read_text(encoding="utf-8"))


@pytest.mark.parametrize("path", quoted.QUOTING, ids=lambda p: p.name)
def test_every_quoted_figure_is_the_benchmarks(path):
    text = path.read_text(encoding="utf-8")
    assert quoted.MARKER.search(text), f"{path.name} quotes no benchmark figure through a marker"
    assert quoted.problems(text, _numbers()) == [], path.name


def test_the_app_figures_are_read_off_the_table():
    numbers = quoted.performance_numbers(APP_TABLE, guarantee=0.25)
    assert {k: numbers[k] for k in ("tti_apps", "tti_floor", "painted_apps", "painted_floor")} == {
        "tti_apps": "3.6-4.4 s", "tti_floor": "3.2 s", "painted_apps": "47-60 ms", "painted_floor": "33 ms",
    }
    assert numbers["tti_warm_apps"] == "2.9-3.1 s"
    assert numbers["cold_mb_apps"] == "1.9 MB", "one figure where the range rounds to one"
    assert numbers["warm_kb_apps"] == "17-18 kB"
    assert numbers["kernel_mb_max"] == "178", "the largest kernel of any app at any load, the floor left out"
    assert (numbers["cores"], numbers["machine_mb"]) == ("2", "25,770")
    assert "server_mb" not in numbers, "no learner-server section, no figures of it"


def test_the_learner_server_figures_and_the_deployment_arithmetic():
    numbers = quoted.performance_numbers(APP_TABLE + LEARNER_SECTION, guarantee=0.25)
    assert {k: numbers[k] for k in ("open_app", "open_cpu_s", "open_cpu_server_s", "open_cpu_kernel_s",
                                    "other_kernel_s", "server_start_mb", "server_gallery_mb",
                                    "server_first_round_mb", "server_mb", "server_pages", "server_growth_mb",
                                    "server_run")} == {
        "open_app": "05_b.ipynb", "open_cpu_s": "4.7", "open_cpu_server_s": "0.5", "open_cpu_kernel_s": "4.2",
        "other_kernel_s": "2.4-3.8 s", "server_start_mb": "96", "server_gallery_mb": "157",
        "server_first_round_mb": "235", "server_mb": "282", "server_pages": "22", "server_growth_mb": "3.4",
        "server_run": "2026-11-29",
    }
    # 3 kernels of 178 MB; 25,770 MB // 534; 30 learners x 4.7 CPU s / 2 cores; 282 + 178; 1.2 x (282 + 534);
    # 4.7 s at a quarter core
    assert {k: numbers[k] for k in ("kernels_mb", "learners_by_memory", "class_wait_s", "guarantee_need_mb",
                                    "limit_need_mb", "open_at_guarantee_s")} == {
        "kernels_mb": "534", "learners_by_memory": "48", "class_wait_s": "70", "guarantee_need_mb": "460",
        "limit_need_mb": "979", "open_at_guarantee_s": "19",
    }


def test_the_check_fails_on_a_stale_figure_and_plain_text_drops_the_markers():
    stale = "interactive in <!-- perf:tti_apps -->6.5-11 s<!-- /perf -->"
    assert quoted.problems(stale, {"tti_apps": "3.6-4.4 s"}) != []
    assert quoted.problems(stale, {}) == ["tti_apps: unknown figure"]
    fresh = quoted.fill(stale, {"tti_apps": "3.6-4.4 s"})
    assert quoted.problems(fresh, {"tti_apps": "3.6-4.4 s"}) == []
    assert quoted.plain(fresh) == "interactive in 3.6-4.4 s"


def test_deploy_doc_types_no_figure_a_benchmark_measures():
    """The figures of docs/deploy.md's arithmetic appear in its text only between markers."""
    text = (quoted.ROOT / "docs" / "deploy.md").read_text(encoding="utf-8")
    numbers = _numbers()
    outside = quoted.MARKER.sub(" ", text)
    for key in ("kernel_mb_max", "server_mb", "open_cpu_s", "learners_by_memory", "guarantee_need_mb",
                "limit_need_mb"):
        assert f"<!-- perf:{key} -->" in text, f"docs/deploy.md does not quote {key}"
        assert not re.search(rf"(?<![\d.]){re.escape(numbers[key])}(?![\d.])", outside), (
            f"docs/deploy.md types {numbers[key]} ({key}) outside a marker")
