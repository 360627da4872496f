"""Figures that README.md and docs/deploy.md quote from docs/performance.md, written between markers by a script,
never typed.

A quoted figure sits between markers, ``<!-- perf:KEY -->3.7-4.9 s<!-- /perf -->``. :func:`performance_numbers`
reads them off docs/performance.md: the app table ``benchmarks/bench_apps.py`` writes (time-to-interactive,
latency, kernel memory, bytes on the network), the section ``benchmarks/bench_learner_server.py`` writes (one
learner's Jupyter server: its memory over a session, the CPU it spends to open a page) and the one
``benchmarks/bench_kernel_start.py`` writes (kernels started normally or forked: start, CPU, memory); the arithmetic
docs/deploy.md does with them (learners per machine, memory and CPU per learner) uses the machine line of the app
table and the CPU guarantee of ``deploy/jupyterhub/values.yaml``. :func:`fill` writes the figures into a text,
:func:`problems` lists what differs, :func:`plain` is a text as a reader sees it (markers dropped).
``scripts/quote_numbers.py`` runs these on the files, the two benchmarks refresh them after each run, and
``tests/test_quoted_numbers.py`` fails on drift.
"""

from __future__ import annotations

import re

from . import GALLERY, ROOT
from .reports import PERFORMANCE_MD, split_section

QUOTING = (ROOT / "README.md", ROOT / "docs" / "deploy.md")
"""The files that quote benchmark figures."""

VALUES_YAML = ROOT / "deploy" / "jupyterhub" / "values.yaml"

LEARNER_SERVER = "## One learner's Jupyter server"
"""The title of the section ``bench_learner_server.py`` writes."""

APPS_OPEN_AT_ONCE = 3
"""Voila pages a learner has open at once, each with its own kernel: the gallery, the app at hand and one more (the
gallery and the capstone open apps in new tabs; a closed tab's kernel is shut down). docs/deploy.md sizes memory
with it."""

LIMIT_HEADROOM = 1.2
"""The memory limit over the server plus APPS_OPEN_AT_ONCE largest kernels: kernels vary by a few MB between loads,
the server grows a little with every page it renders, and a kernel whose tab vanished without a word stays until
culled."""

CLASS_SIZE = 30
"""The class docs/deploy.md's arithmetic of opening an app all at once is done for."""

GIB_MB = 2**30 / 1e6

MARKER = re.compile(r"<!-- perf:(\w+) -->(.*?)<!-- /perf -->", re.DOTALL)


def tables(text: str) -> list[tuple[list[str], dict[str, list[str]]]]:
    """Every markdown table of ``text``: (header cells, {first cell: all cells of that row})."""
    found: list[tuple[list[str], dict[str, list[str]]]] = []
    header: list[str] | None = None
    for line in text.splitlines():
        if not line.startswith("|"):
            header = None
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("|---"):
            continue
        if header is None:
            header = cells
            found.append((header, {}))
        else:
            found[-1][1][cells[0]] = cells
    return found


def column(table: tuple[list[str], dict[str, list[str]]], heading: str) -> dict[str, str]:
    """{first cell: cell} of the column of ``table`` whose heading starts with ``heading``."""
    header, rows = table
    index = next(i for i, h in enumerate(header) if h.startswith(heading))
    return {key: cells[index] for key, cells in rows.items()}


def _median(cell: str) -> float:
    """The median of a "median / max" cell."""
    return float(cell.split("/")[0])


def _largest(cell: str) -> float:
    """The larger of a "median / max" cell."""
    return max(float(x) for x in cell.split("/"))


def _span(values: list[float], digits: int, unit: str) -> str:
    """``"low-high unit"`` with ``digits`` decimals, or one number when both read the same."""
    low, high = f"{min(values):.{digits}f}", f"{max(values):.{digits}f}"
    return f"{low} {unit}" if low == high else f"{low}-{high} {unit}"


def app_table_numbers(text: str) -> dict[str, str]:
    """Figures of the app table (the first table of ``text``, as bench_apps.py writes it)."""
    table = tables(text)[0]
    numbers: dict[str, str] = {}
    for key, heading, digits, unit in [("tti", "time-to-interactive", 1, "s"),
                                       ("tti_warm", "warm: time-to-interactive", 1, "s"),
                                       ("painted", "slider -> painted", 0, "ms"),
                                       ("cold_mb", "transferred cold", 1, "MB"),
                                       ("warm_kb", "transferred warm", 0, "kB")]:
        cells = column(table, heading)
        floor = cells.pop("floor")
        cells.pop("app", None)
        numbers[f"{key}_apps"] = _span([_median(c) for c in cells.values()], digits, unit)
        numbers[f"{key}_floor"] = f"{_median(floor):.{digits}f} {unit}"
    kernels = column(table, "kernel RSS")
    numbers["kernel_mb_max"] = f"{max(_largest(c) for k, c in kernels.items() if k != 'floor'):.0f}"
    machine = re.search(r"- Machine: (\d+) cores \(.*?\), (\d+) GiB RAM", text)
    numbers["cores"] = machine[1]
    numbers["machine_mb"] = f"{int(machine[2]) * GIB_MB:,.0f}"
    return numbers


def learner_server_numbers(text: str) -> dict[str, str]:
    """Figures of the section bench_learner_server.py writes, or none when ``text`` has no such section."""
    _, section, _ = split_section(text, LEARNER_SERVER)
    if not section:
        return {}
    cpu, memory = tables(section)
    server, kernel, together = (column(cpu, f"CPU to open, {who}") for who in ("server", "its kernel", "together"))
    apps = [name for name in together if name != GALLERY]
    heaviest = max(apps, key=lambda name: _median(together[name]))
    others = [_median(kernel[name]) for name in apps if name != heaviest]
    rss = {when: cells[1] for when, cells in memory[1].items()}
    session = [when for when in rss if when.startswith("after round")]
    return {
        "server_run": re.search(r"- Run: (\d{4}-\d\d-\d\d)", section)[1],
        "open_app": heaviest,
        "open_cpu_s": f"{_median(together[heaviest]):.1f}",
        "open_cpu_server_s": f"{_median(server[heaviest]):.1f}",
        "open_cpu_kernel_s": f"{_median(kernel[heaviest]):.1f}",
        "other_kernel_s": _span(others, 1, "s"),
        "server_start_mb": rss["before any page"],
        "server_gallery_mb": rss["after the gallery"],
        "server_first_round_mb": rss["after round 1"],
        "server_mb": rss[session[-1]],
        "server_pages": re.search(r"the six apps, (\d+) pages", section)[1],
        "server_growth_mb": rss["growth per page after round 1"],
    }


KERNELS = "## Kernels: start, CPU, memory"
"""The title of the section ``bench_kernel_start.py`` writes."""


def kernel_numbers(text: str) -> dict[str, str]:
    """Figures of the section bench_kernel_start.py writes (normal vs forked kernels), or none without it."""
    _, section, _ = split_section(text, KERNELS)
    if not section:
        return {}
    table = tables(section)[0]
    reply, cpu, uss, rss = (column(table, h) for h in ("start to first reply", "CPU per kernel", "USS", "RSS"))
    normal, forked = "normal start", next(k for k in table[1] if k.startswith("forked"))
    return {
        "fork_reply_ms": f"{_median(reply[forked]):.0f} ms",
        "normal_reply_ms": f"{_median(reply[normal]):.0f} ms",
        "fork_cpu_s": f"{_median(cpu[forked]):.2f} s",
        "normal_cpu_s": f"{_median(cpu[normal]):.2f} s",
        "fork_uss_mb": f"{_median(uss[forked]):.0f} MB",
        "normal_rss_mb": f"{_median(rss[normal]):.0f} MB",
    }


def deployment_numbers(numbers: dict[str, str], cpu_guarantee: float) -> dict[str, str]:
    """docs/deploy.md's arithmetic on the measured figures: memory and CPU per learner, learners per machine."""
    if "server_mb" not in numbers:
        return {}
    kernel, server = float(numbers["kernel_mb_max"]), float(numbers["server_mb"])
    open_s, cores = float(numbers["open_cpu_s"]), int(numbers["cores"])
    machine = float(numbers["machine_mb"].replace(",", ""))
    kernels = APPS_OPEN_AT_ONCE * kernel
    return {
        "kernels_mb": f"{kernels:.0f}",
        "learners_by_memory": f"{machine // kernels:.0f}",
        "class_wait_s": f"{CLASS_SIZE * open_s / cores:.0f}",
        "guarantee_need_mb": f"{server + kernel:.0f}",
        "limit_need_mb": f"{LIMIT_HEADROOM * (server + kernels):.0f}",
        "open_at_guarantee_s": f"{open_s / cpu_guarantee:.0f}",
    }


def cpu_guarantee() -> float:
    """A learner's CPU guarantee, cores, in deploy/jupyterhub/values.yaml."""
    import yaml

    return float(yaml.safe_load(VALUES_YAML.read_text())["singleuser"]["cpu"]["guarantee"])


def performance_numbers(text: str, guarantee: float | None = None) -> dict[str, str]:
    """Every figure the quoting files may quote, from the text of docs/performance.md (and values.yaml's CPU
    guarantee, read from the file unless given)."""
    numbers = {**app_table_numbers(text), **learner_server_numbers(text), **kernel_numbers(text)}
    numbers.update(deployment_numbers(numbers, cpu_guarantee() if guarantee is None else guarantee))
    return numbers


def fill(text: str, numbers: dict[str, str]) -> str:
    """``text`` with every marker's content replaced by its number (unknown keys are left for problems())."""
    return MARKER.sub(lambda m: f"<!-- perf:{m[1]} -->{numbers.get(m[1], m[2])}<!-- /perf -->", text)


def problems(text: str, numbers: dict[str, str]) -> list[str]:
    """What differs between the quoted figures in ``text`` and ``numbers``."""
    out = []
    for key, quoted in MARKER.findall(text):
        if key not in numbers:
            out.append(f"{key}: unknown figure")
        elif quoted != numbers[key]:
            out.append(f"{key}: quoted {quoted!r}, the benchmark says {numbers[key]!r}")
    return out


def plain(text: str) -> str:
    """``text`` as a reader sees it: the quoted figures without their markers."""
    return MARKER.sub(lambda m: m[2], text)


def refresh() -> None:
    """Write the current figures of docs/performance.md into every quoting file."""
    numbers = performance_numbers(PERFORMANCE_MD.read_text(encoding="utf-8"))
    for path in QUOTING:
        path.write_text(fill(path.read_text(encoding="utf-8"), numbers), encoding="utf-8")
