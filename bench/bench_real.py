#!/usr/bin/env python3
"""Text checks on posts that institutions really published, beside proselint, in one run.

    .venv/bin/python bench/bench_real.py [--posts 300]

Real posts (../shared/corpora/real_posts/dev.jsonl) carry names, hashtags, handles, links and
emoji, and cost a grammar engine more than the project's own sample posts. Three sizes:

  real post      each post as it was published (a median of about 130 characters)
  280 chars      consecutive posts joined, cut at 280 characters
  3,000 chars    consecutive posts joined, cut at 3,000 characters

Every timed text is new to the process: a number (a counter) is put at the start of every
sentence, so neither the sentence memo nor the grammar engine's caches answer any of it.
proselint (0.16) checks the same texts. The re-check row times a 3,000-character text after
one character in its middle changed (what the extension sends while someone types).
Prints medians in milliseconds and our time as a share of proselint's.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import statistics
import sys
import time
from collections.abc import Callable, Iterable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from checker import check_text  # noqa: E402
from checker.grammar import engine_states, start_engines  # noqa: E402
from checker.policy import load_policy  # noqa: E402
from checker.text.document import Document  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpora" / "real_posts" / "dev.jsonl"


def real_posts(path: Path) -> list[str]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line)["text"] for line in lines if line.strip()]


def joined(posts: list[str], start: int, length: int) -> str:
    """Consecutive posts from `start`, joined with spaces, cut at `length` characters (at a space)."""
    parts, size, index = [], 0, start
    while size < length:
        post = posts[index % len(posts)]
        parts.append(post)
        size += len(post) + 1
        index += 1
    text = " ".join(parts)[:length]
    cut = text.rfind(" ")
    return text[:cut] if cut > length * 0.9 else text


SENTENCE_NUMBERS = itertools.count(1)


def made_new(text: str) -> str:
    """The text with a number before every sentence, never the same twice in a process: each
    sentence is new to every cache. Small numbers (a counter), as a post's own figures are:
    a long one would wake the phone-number check in every sentence."""
    pieces, position = [], 0
    for start, _ in Document(text).sentences:
        pieces.append(text[position:start])
        pieces.append(f"{next(SENTENCE_NUMBERS)} ")
        position = start
    pieces.append(text[position:])
    return "".join(pieces)


def edited(text: str, n: int) -> str:
    """The text with one letter in the middle changed."""
    middle = len(text) // 2
    while middle < len(text) - 1 and not text[middle].isalpha():
        middle += 1
    return text[:middle] + "abcdefghijklmnopqrstuvwxyz"[n % 26] + text[middle + 1 :]


def median_ms(call: Callable[[str], object], texts: Iterable[str]) -> tuple[float, float]:
    """Median wall-clock and CPU time (the process's: Harper lints on threads of its own) of call(text)."""
    times, cpu = [], []
    for text in texts:
        start, start_cpu = time.perf_counter(), time.process_time()
        call(text)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    return statistics.median(times) * 1000, statistics.median(cpu) * 1000


def proselint_check() -> Callable[[str], object]:
    from proselint.checks import __register__
    from proselint.registry import CheckRegistry
    from proselint.tools import LintFile  # proselint 0.16

    CheckRegistry().register_many(__register__)  # what its command line does before linting
    return lambda text: LintFile("post", text).lint()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=int, default=300, help="texts timed for each size (default 300)")
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    os.environ.setdefault("SOCIALCHECK_GRAMMAR", "harper")
    posts = real_posts(args.corpus)
    start_engines(load_policy(), background=False)
    assert engine_states()["harper"]["state"] == "ready", engine_states()
    proselint = proselint_check()
    step = max(1, len(posts) // args.posts)
    picks = [i * step for i in range(args.posts)]
    sizes = (
        ("real post", [posts[i] for i in picks]),
        ("280 chars", [joined(posts, i, 280) for i in picks]),
        ("3,000 chars", [joined(posts, i, 3000) for i in picks[: max(args.posts // 3, 20)]]),
    )
    for _, texts in sizes:  # warm up: imports, compiled patterns, engines (not timed)
        for text in texts[:5]:
            check_text(made_new(text), platform="x")
            proselint(made_new(text))

    print(f"{len(posts):,} real posts; medians in ms, every sentence new; ours as a share of proselint's time")
    print(f"{'text':<14}{'chars':>7}{'rules':>9}{'full':>9}{'proselint':>11}{'rules/pl':>10}{'full/pl':>9}   cpu: rules, full, proselint")
    for name, texts in sizes:
        chars = statistics.median(len(t) for t in texts)
        rules, rules_cpu = median_ms(lambda t: check_text(t, platform="x", grammar=False), (made_new(t) for t in texts))
        full, full_cpu = median_ms(lambda t: check_text(t, platform="x"), (made_new(t) for t in texts))
        theirs, theirs_cpu = median_ms(proselint, (made_new(t) for t in texts))
        print(f"{name:<14}{chars:>7.0f}{rules:>9.3f}{full:>9.3f}{theirs:>11.3f}{rules / theirs:>9.2f}x{full / theirs:>8.2f}x"
              f"   {rules_cpu:.3f} {full_cpu:.3f} {theirs_cpu:.3f}")

    def after_edit(text: str, n: int, grammar: bool) -> tuple[float, float]:
        base = made_new(text)
        check_text(base, platform="x", grammar=grammar)  # the draft as it was (not timed)
        start, start_cpu = time.perf_counter(), time.process_time()
        check_text(edited(base, n), platform="x", grammar=grammar)
        return time.perf_counter() - start, time.process_time() - start_cpu

    long_texts = sizes[2][1]
    rules = [after_edit(t, i, False) for i, t in enumerate(long_texts)]
    full = [after_edit(t, i + 5_000, True) for i, t in enumerate(long_texts)]
    wall = [statistics.median(x[0] for x in each) * 1000 for each in (rules, full)]
    cpu = [statistics.median(x[1] for x in each) * 1000 for each in (rules, full)]
    print(f"{'re-check, 1-char edit':<30}{wall[0]:>9.3f}{wall[1]:>9.3f}   cpu: {cpu[0]:.3f} {cpu[1]:.3f}"
          "   (3,000 characters, one letter changed)")

if __name__ == "__main__":
    main()
