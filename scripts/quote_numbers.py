"""Write the benchmark figures README.md and docs/deploy.md quote from docs/performance.md (or, with --check, compare).

Usage: .venv/bin/python scripts/quote_numbers.py [--check]. benchmarks/bench_apps.py and
benchmarks/bench_learner_server.py run this after each run.
"""

from __future__ import annotations

import argparse
import sys

from qdpv_testing import quoted
from qdpv_testing.reports import PERFORMANCE_MD


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare only; exit 1 on a difference")
    args = parser.parse_args(argv)
    if not args.check:
        quoted.refresh()
        return 0
    numbers = quoted.performance_numbers(PERFORMANCE_MD.read_text(encoding="utf-8"))
    found = [f"{path.name}: {p}" for path in quoted.QUOTING for p in quoted.problems(path.read_text(), numbers)]
    for line in found:
        print(line, file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
