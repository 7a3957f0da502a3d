"""Text checks in-process: medians for a 280- and a 3,000-character post, beside proselint.

    .venv/bin/python bench/bench_text.py [--repeat 200]

Every timed check is of text the checker has not seen (each sentence changed), except the
re-check after a one-character edit of a 3,000-character post, which is what the extension
sends while someone types. Prints medians in milliseconds and the ratio to proselint.
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


def median_ms(function: Callable[[int], object], repeat: int) -> float:
    """Median time of function(n) for n = 1..repeat, after one warm-up call (start-up is not measured)."""
    function(0)
    times = []
    for n in range(1, repeat + 1):
        start = time.perf_counter()
        function(n)
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def fresh(text: str, n: int) -> str:
    """The text with every sentence made new (and different from the others), so nothing comes from a memo."""
    sentences = text.split(". ")
    return ". ".join(f"Item {n}-{i}: {sentence}" for i, sentence in enumerate(sentences))


def edited(text: str, n: int) -> str:
    """The text with one character in the middle changed."""
    middle = len(text) // 2
    return text[:middle] + "abcdefghijklmnopqrstuvwxyz"[n % 26] + text[middle + 1 :]


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
        rules = median_ms(lambda n: check_text(fresh(text, n), platform="x", grammar=False), args.repeat)
        with_grammar = median_ms(lambda n: check_text(fresh(text, n + args.repeat), platform="x"), args.repeat)
        theirs = median_ms(lambda n: proselint(fresh(text, n)), max(args.repeat // 4, 5)) if proselint else float("nan")
        rows.append((name, rules, with_grammar, theirs))

    def after_edit(n: int, grammar: bool) -> object:
        base = fresh(POST_3000, 10_000 + n)
        check_text(base, platform="x", grammar=grammar)  # the draft as it was (not timed: see below)
        start = time.perf_counter()
        check_text(edited(base, n), platform="x", grammar=grammar)
        return time.perf_counter() - start

    edit_rules = statistics.median(after_edit(n, False) for n in range(args.repeat)) * 1000
    edit_grammar = statistics.median(after_edit(n, True) for n in range(args.repeat)) * 1000
    print(f"{'text (new each time)':<22}{'rules ms':>10}{'+grammar ms':>13}{'proselint ms':>14}{'proselint/rules':>17}")
    for name, rules, with_grammar, theirs in rows:
        print(f"{name:<22}{rules:>10.3f}{with_grammar:>13.3f}{theirs:>14.3f}{theirs / rules:>16.1f}x")
    print(f"{'re-check, 1-char edit':<22}{edit_rules:>10.3f}{edit_grammar:>13.3f}   (a 3,000-character post, one character changed)")


if __name__ == "__main__":
    main()
