"""Text checks in-process: medians for a 280- and a 3,000-character post, beside proselint.

    .venv/bin/python bench/bench_text.py [--repeat 200]

Also times re-checking a 3,000-character post after a one-character edit, with and
without grammar. Prints medians in milliseconds and the ratio to proselint.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable

from checker import check_text

POST_280 = (
    "Applications are now open for our MSc in Data Science! Join us at the open day on 12 March in the "
    "Fielding Johnson Building to meet the team, tour the labs and hear from graduates. Funding is available "
    "for home and international students: https://le.ac.uk/courses #DataScience"
)[:280]
PARAGRAPH = (
    "Our researchers have been working with colleagues across the Midlands to design a programme that gives "
    "young people the chance to explore science and engineering through workshops, mentoring and placements. "
    "The Uni of Leicester team analyzed the results and found that students who took part were more likely to apply. "
)
POST_3000 = (PARAGRAPH * 12)[:3000]


def median_ms(function: Callable[[], object], repeat: int) -> float:
    function()  # warm caches and lazy loads: start-up is not what this measures
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def proselint_check() -> Callable[[str], object] | None:
    try:
        from proselint.checks import __register__
        from proselint.registry import CheckRegistry
        from proselint.tools import LintFile  # proselint 0.16
    except ImportError:
        return None
    CheckRegistry().register_many(__register__)  # what its command line does before linting
    return lambda text: LintFile("post", text).lint()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    proselint = proselint_check()
    rows = []
    for name, text in (("280 chars", POST_280), ("3,000 chars", POST_3000)):
        rules = median_ms(lambda: check_text(text, platform="x", grammar=False), args.repeat)
        with_grammar = median_ms(lambda: check_text(text, platform="x"), args.repeat)
        theirs = median_ms(lambda: proselint(text), max(args.repeat // 4, 5)) if proselint else float("nan")
        rows.append((name, rules, with_grammar, theirs))
    edits = iter(range(10**9))

    def edited(grammar: bool) -> object:
        n = next(edits)
        text = POST_3000[:1500] + "abcdefghij"[n % 10] + POST_3000[1501:]
        return check_text(text, platform="x", grammar=grammar)

    edit_rules = median_ms(lambda: edited(False), args.repeat)
    edit_grammar = median_ms(lambda: edited(True), args.repeat)
    print(f"{'text':<14}{'rules ms':>10}{'+grammar ms':>13}{'proselint ms':>14}{'proselint/rules':>17}")
    for name, rules, with_grammar, theirs in rows:
        print(f"{name:<14}{rules:>10.3f}{with_grammar:>13.3f}{theirs:>14.3f}{theirs / rules:>16.1f}x")
    print(f"{'1-char edit':<14}{edit_rules:>10.3f}{edit_grammar:>13.3f}   (3,000-character post, one character changed)")


if __name__ == "__main__":
    main()
