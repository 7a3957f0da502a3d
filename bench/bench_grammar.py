#!/usr/bin/env python3
"""What grammar checking costs per post: Harper on a 280-character post, a re-check after a
one-character edit, and grammar switched off. Prints medians (ms) and ratios.

    .venv/bin/python bench/bench_grammar.py [--runs 400]

Target (issue 7): under 1 ms extra per 280-character post with Harper; nothing with grammar off.
Each "fresh" run changes a number in the post, so no paragraph comes from the cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checker.grammar import check_grammar, engine_states, start_engines  # noqa: E402
from checker.policy import load_policy  # noqa: E402

POST = (
    "Our researchers at the University of Leicester have published new findings on climate resilience "
    "in coastal towns across the UK, working with {n} local councils. Read the full report and find out "
    "how you can get involved with our community projects this spring! 🌍 #UniOfLeicester"
)
PARAGRAPHS = (
    "Our {n} researchers have published new findings on climate resilience in coastal towns.\n"
    "They worked with {n} local councils and charities across the Midlands this year.\n"
    "Read the report and join our {n} community projects this spring! 🌍 #UniOfLeicester"
)


def median_ms(samples: list[float]) -> float:
    return statistics.median(samples) * 1000


def timed(call, texts: list[str]) -> list[float]:
    samples = []
    for text in texts:
        start = time.perf_counter()
        call(text)
        samples.append(time.perf_counter() - start)
    return samples


def edit_timings(call, texts: list[str]) -> list[float]:
    """Check each post, delete one character ("councils" to "council"), and time the re-check."""
    samples = []
    for text in texts:
        call(text)
        edited = text.replace("councils", "council", 1)
        start = time.perf_counter()
        call(edited)
        samples.append(time.perf_counter() - start)
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=400)
    runs = parser.parse_args().runs

    os.environ["SOCIALCHECK_GRAMMAR"] = "harper"
    policy = load_policy()
    started = time.perf_counter()
    start_engines(policy, background=False)
    build_s = time.perf_counter() - started
    assert engine_states()["harper"]["state"] == "ready", engine_states()

    post = POST.format(n=12)
    print(f"post length: {len(post)} characters; Harper built in {build_s:.2f} s")
    check = lambda text: check_grammar(text, policy)  # noqa: E731

    for text in (POST.format(n=n) for n in range(20)):  # warm up
        check(text)
    fresh = median_ms(timed(check, [POST.format(n=1000 + n) for n in range(runs)]))
    cached = median_ms(timed(check, [post] * runs))

    # A one-character edit to a one-paragraph post re-lints that paragraph; to a three-line
    # post, only the line that changed. Each post is checked as typed, then timed after the edit.
    edit_one = median_ms(edit_timings(check, [POST.format(n=5000 + n) for n in range(runs)]))
    edit_lines = median_ms(edit_timings(check, [PARAGRAPHS.format(n=9000 + n) for n in range(runs)]))
    whole_lines = median_ms(timed(check, [PARAGRAPHS.format(n=20000 + n) for n in range(runs)]))

    os.environ["SOCIALCHECK_GRAMMAR"] = "off"
    off = median_ms(timed(check, [POST.format(n=30000 + n) for n in range(runs)]))

    print(f"harper, fresh 280-char post        median {fresh:.3f} ms")
    print(f"harper, same post again (cached)   median {cached:.3f} ms")
    print(f"re-check after 1-char edit, 1 para median {edit_one:.3f} ms")
    print(f"3-line post, all lines new         median {whole_lines:.3f} ms")
    print(f"3-line post, 1 line edited         median {edit_lines:.3f} ms  ratio {edit_lines / whole_lines:.2f}")
    print(f"grammar off                        median {off:.4f} ms")
    verdict = "meets" if fresh < 1.0 else "misses"
    print(f"harper extra per 280-char post: {fresh:.3f} ms ({verdict} the 1 ms target)")


if __name__ == "__main__":
    main()
