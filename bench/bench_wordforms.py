"""What word forms cost: loading the pack, and the term rules on each post, with and without them.

    .venv/bin/python bench/bench_wordforms.py [--repeat 5] [--posts ../shared/corpora/real_posts/dev.jsonl]

Word forms ("chairmen" for "chairman") are made once, when a policy loads, with lemminflect,
whose lexicon is let go afterwards. This reports the load of the pack in a fresh process (as a
server or the CLI pays it), then loads the pack afresh `repeat` times each way in this process
(word lookups memoised) and reports the median load time,
the number of phrases the term rules index, and the median time of the term rules alone on
each post of a posts file (real posts when given, else built-in samples).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

from checker.policy import DEFAULT_PACK, read_policy
from checker.text import rules as rule_kinds
from checker.text.document import Document
from checker.text.engine import compile_checker
from checker.text.rules import Context, Terms

SAMPLES = [
    "Our chairmen and spokeswomen met the craftsmen behind the new gallery.",
    "Applications are now open for our MSc in Data Science! Join us at the open day on 12 March.",
    "The research team analysed 4,000 samples from the National Forest this year.",
]


def no_forms(term: str, suggestions: object) -> Iterator[tuple[str, tuple[str, ...]]]:
    return iter(())


def load(with_forms: bool) -> tuple[float, list[Terms]]:
    rule_kinds.word_forms = real_word_forms if with_forms else no_forms
    start = time.perf_counter()
    policy = read_policy(DEFAULT_PACK)
    checker = compile_checker(policy, policy.default_profile)
    elapsed = time.perf_counter() - start
    return elapsed, [check for check in checker.checks if isinstance(check, Terms)]


def per_post_ms(terms: list[Terms], texts: list[str]) -> float:
    times = []
    for text in texts:
        doc = Document(text)
        start = time.perf_counter()
        for check in terms:
            context = Context(platform=check_platform, policy=check_policy)
            list(check.run(doc, context))
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


real_word_forms = rule_kinds.word_forms
check_policy = read_policy(DEFAULT_PACK)
check_platform = check_policy.platform("x")


COLD_LOAD = (
    "import time; from checker.policy import load_policy; start = time.perf_counter(); load_policy(); "
    "print((time.perf_counter() - start) * 1000)"
)


def _cold_load_ms() -> float:
    """The bundled pack loaded as a server or CLI loads it: a new process, every profile compiled."""
    output = subprocess.run([sys.executable, "-c", COLD_LOAD], capture_output=True, text=True, check=True).stdout
    return float(output.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--posts", type=Path)
    args = parser.parse_args()
    texts = SAMPLES
    if args.posts:
        texts = [json.loads(line)["text"] for line in args.posts.read_text(encoding="utf-8").splitlines() if line.strip()]
    cold = [_cold_load_ms() for _ in range(args.repeat)]
    print(f"pack load in a fresh process (lexicon, forms, every profile): {statistics.median(cold):.0f} ms")
    start = time.perf_counter()
    from lemminflect import getAllInflections

    getAllInflections("man")  # lemminflect reads its lexicon on first use, once a process
    print(f"lemminflect lexicon, first use in a process: {1000 * (time.perf_counter() - start):.0f} ms")
    load(True)  # warm up the Python caches
    for label, with_forms in (("without word forms", False), ("with word forms", True)):
        loads = []
        for _ in range(args.repeat):
            elapsed, terms = load(with_forms)
            loads.append(elapsed)
        phrases = sum(len(check.index) for check in terms)
        per_post_ms(terms, texts[:50])  # warm the per-word memo the way a running server has it
        print(f"{label}: pack load {statistics.median(loads) * 1000:.0f} ms, {phrases} phrases, term rules {per_post_ms(terms, texts):.3f} ms a post")
    rule_kinds.word_forms = real_word_forms


if __name__ == "__main__":
    main()
