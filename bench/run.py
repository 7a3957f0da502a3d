#!/usr/bin/env python3
"""Run every benchmark under bench/ and print a table of medians against the targets.

    .venv/bin/python bench/run.py          # or: make bench   (about 4 minutes)
    .venv/bin/python bench/run.py --quick  # fewer repeats, for a smoke run
    .venv/bin/python bench/run.py --report docs/robustness.md   # and write the table into the report

Each script runs in its own process (so one's warm caches and threads do not help or
hurt another) with modest repeat counts; its output is shown as it comes under a
heading, then the key figures are read back from that output into one summary.
Targets come from the issues: library (2), images (3), server (4), benchmarks (6),
grammar (7), word forms (11), speed on real posts (12). Figures depend on how busy the machine is: the load average is printed.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"


@dataclass(frozen=True)
class Script:
    title: str
    file: str
    options: tuple[str, ...]
    quick_options: tuple[str, ...]


SCRIPTS = (
    Script("Text checks in-process, beside proselint", "bench_text.py", ("--repeat", "100"), ("--repeat", "20")),
    Script("Grammar (Harper) cost per post", "bench_grammar.py", ("--runs", "200"), ("--runs", "40")),
    Script("Profile-image checks", "bench_image.py", ("--runs", "15"), ("--runs", "4")),
    Script(
        "HTTP server on loopback, Harper on (the default install)",
        "bench_server.py",
        ("--seconds", "4", "--requests", "1500"),
        ("--seconds", "1.5", "--requests", "400"),
    ),
    Script(
        "HTTP server on loopback, grammar off",
        "bench_server.py",
        ("--no-grammar", "--seconds", "4", "--requests", "1500"),
        ("--no-grammar", "--seconds", "1.5", "--requests", "400"),
    ),
    Script("Word forms of term lists (lemminflect, made at load)", "bench_wordforms.py", ("--repeat", "5"), ("--repeat", "2")),
    Script(
        "HTTP server on loopback, Harper on, real posts (each made new)",
        "bench_server.py",
        ("--real-posts", "--seconds", "4", "--requests", "1500"),
        ("--real-posts", "--seconds", "1.5", "--requests", "400"),
    ),
    Script("Real posts in-process, beside proselint", "bench_real.py", ("--posts", "300"), ("--posts", "60")),
    Script("Start-up: server until Harper is ready, one-shot socialcheck text", "bench_startup.py", ("--runs", "3"), ("--runs", "1")),
)


@dataclass(frozen=True)
class Target:
    """One row of the summary: a figure read from a script's output by a pattern."""

    label: str
    issue: int
    script: int  # index into SCRIPTS
    pattern: str  # first group is the figure
    limit: float | None  # None: shown for information, no target
    unit: str = "ms"
    more_is_better: bool = False


TARGETS = (
    Target("text 280 chars, new text, rules (median)", 2, 0, r"^280 chars\s+([\d.]+)", 1.0),
    Target("text 280 chars, new text, rules + grammar", 2, 0, r"^280 chars\s+[\d.]+\s+([\d.]+)", None),
    Target("proselint 280 chars", 2, 0, r"^280 chars\s+[\d.]+\s+[\d.]+\s+([\d.]+)", None),
    Target("text 3,000 chars, new text, rules (median)", 2, 0, r"^3,000 chars\s+([\d.]+)", 10.0),
    Target("proselint 3,000 chars", 2, 0, r"^3,000 chars\s+[\d.]+\s+[\d.]+\s+([\d.]+)", None),
    Target("re-check 3,000 chars after 1-char edit, rules", 6, 0, r"^re-check, 1-char edit\s+([\d.]+)", 2.0),
    Target("re-check 3,000 chars after 1-char edit, + grammar", 6, 0, r"^re-check, 1-char edit\s+[\d.]+\s+([\d.]+)", 2.0),
    Target("Harper extra per fresh 280-char post", 7, 1, r"harper, fresh 280-char post\s+median ([\d.]+)", 1.0),
    Target("grammar off, per post", 7, 1, r"grammar off\s+median ([\d.]+)", 0.05),
    Target("image 400x400 PNG, mark on brand colour", 3, 2, r"^400x400 PNG, mark on brand colour\s+[\d,]+\s+([\d.]+)", 20.0),
    Target("image 400x400 PNG, photograph-like", 3, 2, r"^400x400 PNG, photograph-like\s+[\d,]+\s+([\d.]+)", 20.0),
    Target("image 4000x3000 JPEG, mark on brand colour", 3, 2, r"^4000x3000 JPEG, mark on brand colour\s+[\d,]+\s+([\d.]+)", 150.0),
    Target("image 4000x3000 JPEG, photograph-like", 3, 2, r"^4000x3000 JPEG, photograph-like\s+[\d,]+\s+([\d.]+)", 150.0),
    Target("server p50, 8 clients paced (Harper on)", 4, 3, r"^paced\s.*?p50\s+([\d.]+) ms", 5.0),
    Target("server p99, 8 clients paced (Harper on)", 4, 3, r"^paced\s.*?p99\s+([\d.]+) ms", 20.0),
    Target("server throughput, saturated (Harper on)", 4, 3, r"^saturated\s+\d+ checks\s+(\d+)/s", 300.0, "/s", True),
    Target("server peak memory (Harper on)", 4, 3, r"^memory\s.*peak (\d+) MB", None, "MB"),
    Target("server p50, 8 clients paced (grammar off)", 4, 4, r"^paced\s.*?p50\s+([\d.]+) ms", 5.0),
    Target("server p99, 8 clients paced (grammar off)", 4, 4, r"^paced\s.*?p99\s+([\d.]+) ms", 20.0),
    Target("server throughput, saturated (grammar off)", 4, 4, r"^saturated\s+\d+ checks\s+(\d+)/s", 300.0, "/s", True),
    Target("server peak memory (no LanguageTool)", 4, 4, r"^memory\s.*peak (\d+) MB", 150.0, "MB"),
    Target("word forms: lemminflect lexicon, first use a process", 11, 5, r"first use in a process: (\d+) ms", None),
    Target("word forms: pack load with them (without: see script)", 11, 5, r"^with word forms: pack load (\d+) ms", None),
    Target("word forms: term rules per post, with them", 11, 5, r"^with word forms:.*term rules ([\d.]+) ms", None),
    # issue 12: real posts, every sentence new; ratios are ours over proselint's median in the same run
    Target("real post as published (~130 chars), full check", 12, 7, r"^real post\s+\d+\s+[\d.]+\s+([\d.]+)", None),
    Target("real post as published, proselint", 12, 7, r"^real post\s+\d+\s+[\d.]+\s+[\d.]+\s+([\d.]+)", None),
    Target("real post as published, full / proselint", 12, 7, r"^real post\s+(?:\S+\s+){5}([\d.]+)x", 0.5, "x"),
    Target("real posts to 280 chars, rules", 12, 7, r"^280 chars\s+\d+\s+([\d.]+)", None),
    Target("real posts to 280 chars, full check", 12, 7, r"^280 chars\s+\d+\s+[\d.]+\s+([\d.]+)", None),
    Target("real posts to 280 chars, proselint", 12, 7, r"^280 chars\s+\d+\s+[\d.]+\s+[\d.]+\s+([\d.]+)", None),
    Target("real posts to 280 chars, rules / proselint", 12, 7, r"^280 chars\s+(?:\S+\s+){4}([\d.]+)x", 0.25, "x"),
    Target("real posts to 280 chars, full / proselint", 12, 7, r"^280 chars\s+(?:\S+\s+){5}([\d.]+)x", 0.5, "x"),
    Target("real posts to 3,000 chars, rules", 12, 7, r"^3,000 chars\s+\d+\s+([\d.]+)", None),
    Target("real posts to 3,000 chars, full check", 12, 7, r"^3,000 chars\s+\d+\s+[\d.]+\s+([\d.]+)", None),
    Target("real posts to 3,000 chars, proselint", 12, 7, r"^3,000 chars\s+\d+\s+[\d.]+\s+[\d.]+\s+([\d.]+)", None),
    Target("real posts to 3,000 chars, rules / proselint", 12, 7, r"^3,000 chars\s+(?:\S+\s+){4}([\d.]+)x", 0.25, "x"),
    Target("real posts to 3,000 chars, full / proselint", 12, 7, r"^3,000 chars\s+(?:\S+\s+){5}([\d.]+)x", 0.5, "x"),
    Target("real 3,000 chars, re-check after 1-char edit, + grammar", 12, 7, r"^re-check, 1-char edit\s+[\d.]+\s+([\d.]+)", 2.0),
    Target("server throughput, real posts (Harper on)", 12, 6, r"^saturated\s+\d+ checks\s+(\d+)/s", 600.0, "/s", True),
    Target("server p99 at 320/s, real posts (Harper on)", 12, 6, r"^paced\s.*?p99\s+([\d.]+) ms", 20.0),
    Target("server peak memory, real posts (Harper on)", 12, 6, r"^memory\s.*peak (\d+) MB", 200.0, "MB"),
    Target("server answers with Harper ready, from start", 12, 8, r"^server Harper ready\s+median ([\d.]+) s", 1.5, "s"),
    Target("one-shot socialcheck text (Harper on)", 12, 8, r"^socialcheck text, Harper\s+median ([\d.]+) s", 1.0, "s"),
    Target("one-shot socialcheck text, a server running", 12, 8, r"^socialcheck text, server\s+median ([\d.]+) s", 1.0, "s"),
    Target("one-shot socialcheck text --no-grammar", 12, 8, r"^socialcheck text, rules\s+median ([\d.]+) s", None, "s"),
)


def run_script(script: Script, *, quick: bool) -> tuple[str, int, float]:
    """Run one script, echoing its output as it comes; return the output, exit status and seconds."""
    command = [sys.executable, str(BENCH / script.file), *(script.quick_options if quick else script.options)]
    print(f"\n== {script.title} ==")
    print(f"$ {' '.join(['.venv/bin/python', f'bench/{script.file}', *command[2:]])}", flush=True)
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONUNBUFFERED": "1"}
    started = time.perf_counter()
    lines = []
    with subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True) as process:
        assert process.stdout is not None
        for line in process.stdout:
            print(f"  {line}", end="", flush=True)
            lines.append(line)
    return "".join(lines), process.returncode, time.perf_counter() - started


def figure(output: str, pattern: str) -> float | None:
    found = re.search(pattern, output, re.MULTILINE)
    return float(found.group(1)) if found else None


def verdict(target: Target, value: float | None) -> str:
    if value is None:
        return "NO FIGURE"
    if target.limit is None:
        return "info"
    met = value > target.limit if target.more_is_better else value < target.limit
    return "meets" if met else "MISSES"


@dataclass(frozen=True)
class Row:
    target: Target
    value: float | None

    @property
    def measured(self) -> str:
        if self.value is None:
            return "-"
        if self.target.unit == "ms":
            return f"{self.value:.3f} ms"
        if self.target.unit in ("x", "s"):
            return f"{self.value:.2f}{self.target.unit}" if self.target.unit == "x" else f"{self.value:.2f} s"
        return f"{self.value:.0f} {self.target.unit}"

    @property
    def limit(self) -> str:
        if self.target.limit is None:
            return "-"
        unit = "x" if self.target.unit == "x" else f" {self.target.unit}"
        return f"{'>' if self.target.more_is_better else '<'} {self.target.limit:g}{unit}"

    @property
    def verdict(self) -> str:
        return verdict(self.target, self.value)


def measure(outputs: list[str]) -> list[Row]:
    return [Row(target, figure(outputs[target.script], target.pattern)) for target in TARGETS]


def summary(rows: list[Row]) -> list[str]:
    lines = [f"{'figure':<52}{'issue':>6}{'measured':>12}{'target':>12}  verdict"]
    for row in rows:
        lines.append(f"{row.target.label:<52}{row.target.issue:>6}{row.measured:>12}{row.limit:>12}  {row.verdict}")
    return lines


REPORT_BEGIN = "<!-- bench/run.py --report: generated from here -->"
REPORT_END = "<!-- bench/run.py --report: generated up to here -->"


def markdown(rows: list[Row], *, quick: bool, load: float, seconds: float) -> str:
    """The generated block of the report: when, how busy the machine was, and the table."""
    when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())
    command = ".venv/bin/python bench/run.py --report docs/robustness.md" + (" --quick" if quick else "")
    lines = [
        REPORT_BEGIN,
        f"The run of {when} on {os.cpu_count()} CPUs, load average (1 min) {load:.2f} when it began, "
        f"{seconds:.0f} s in all{' (a quick run: fewer repeats)' if quick else ''}; made by `{command}`:",
        "",
        "| figure | issue | measured | target | |",
        "|---|---|---|---|---|",
    ]
    for row in rows:
        limit = "" if row.target.limit is None else row.limit
        shown = "" if row.verdict == "info" else row.verdict
        lines.append(f"| {row.target.label} | {row.target.issue} | {row.measured} | {limit} | {shown} |")
    lines.append(REPORT_END)
    return "\n".join(lines)


def write_report(path: Path, block: str) -> None:
    """Replace the generated block between the markers; the hand-written prose stays as it is."""
    text = path.read_text(encoding="utf-8")
    begin, end = text.find(REPORT_BEGIN), text.find(REPORT_END)
    if begin == -1 or end < begin:
        raise SystemExit(f"{path}: the markers for the generated block are missing:\n  {REPORT_BEGIN}\n  {REPORT_END}")
    path.write_text(text[:begin] + block + text[end + len(REPORT_END) :], encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer repeats: a smoke run of every script")
    parser.add_argument(
        "--report", type=Path, metavar="FILE", help="also write the table into FILE (docs/robustness.md) between its markers"
    )
    args = parser.parse_args()
    load = os.getloadavg()[0]
    print(f"socialcheck benchmarks; load average (1 min) {load:.2f} on {os.cpu_count()} CPUs")
    outputs, problems = [], []
    started = time.perf_counter()
    for script in SCRIPTS:
        output, status, seconds = run_script(script, quick=args.quick)
        outputs.append(output)
        print(f"  ({seconds:.1f} s, exit status {status})")
        # bench_server.py exits 1 when it missed a target but ran: only a crash (a traceback) is a problem here.
        if "Traceback (most recent call last)" in output or status not in (0, 1):
            problems.append(f"{script.file} {' '.join(script.options)} failed (exit status {status})")
    print(f"\n== Summary: medians against the targets ({time.perf_counter() - started:.0f} s in all) ==")
    rows = measure(outputs)
    for line in summary(rows):
        print(line)
    missing = [row for row in rows if row.value is None]
    for problem in problems:
        print(f"ERROR: {problem}")
    if missing:
        print("ERROR: some figures were not found in the scripts' output (has a script's format changed?)")
    if args.report is not None and not problems and not missing:
        write_report(args.report, markdown(rows, quick=args.quick, load=load, seconds=time.perf_counter() - started))
        print(f"wrote the table into {args.report}")
    elif args.report is not None:
        print(f"ERROR: {args.report} left as it was, since the run was incomplete")
    return 1 if problems or missing else 0


if __name__ == "__main__":
    sys.exit(main())
