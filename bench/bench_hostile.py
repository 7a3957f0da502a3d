#!/usr/bin/env python3
"""The hostile texts of issue 15, timed in-process (rules only), best of a few runs each,
every run from empty caches (a new checker memo and no remembered sentences).

    .venv/bin/python bench/bench_hostile.py [--runs 3]

Before the fix the first of these took 201 s through the server and the in-process 20,000
character one 10 s; docs/robustness.md gives the figures before and after.
"""

from __future__ import annotations

import argparse
import os
import time

from checker import check_text, load_policy
from checker.text import document
from checker.text.engine import CompiledChecker, compile_checker

TEXTS = {
    '"a"+"1"*99998+"_"': "a" + "1" * 99998 + "_",
    '"student"+" "*99990+"x"': "student" + " " * 99990 + "x",
    '"#a "*33333': "#a " * 33333,
    '"a@b.cc "*14000': "a@b.cc " * 14000,
    '"labour "*14000': "labour " * 14000,
    '"!? "*33333': "!? " * 33333,
    '"a"+"1"*19998+"_"': "a" + "1" * 19998 + "_",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    runs = parser.parse_args().runs
    check_text("Warm up the rules once.", grammar=False)
    compiled = compile_checker(load_policy(), None)
    print(f"load average (1 min) at start: {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs")
    print(f"{'text':28} {'best s':>8} {'findings':>9}")
    for name, text in TEXTS.items():
        best, findings = float("inf"), 0
        for _ in range(runs):
            fresh = CompiledChecker(compiled.policy, compiled.profile, compiled.checks)
            document._SENTENCE_DOCUMENTS.clear()
            started = time.perf_counter()
            report = fresh.run(text, "generic", grammar=False)
            best = min(best, time.perf_counter() - started)
            findings = len(report.findings) + int(report.stats.get("omitted_findings", 0))
        print(f"{name:28} {best:>8.2f} {findings:>9,}")


if __name__ == "__main__":
    main()
