#!/usr/bin/env python3
"""What the personal-data rules (the privacy category) cost: per real post, and on long odd input.

    .venv/bin/python bench/bench_personal_data.py [--posts ../shared/corpora/real_posts/dev.jsonl] [--repeat 3]

Runs only the privacy rules, over whole posts (no sentence memo, a fresh Document a post), so the
figure is the rules' own cost. The pathological inputs are 100,000 characters of figures that
look like phone numbers, cards and addresses: the time must grow with the length, not faster.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from checker import load_policy  # noqa: E402
from checker.text.document import Document  # noqa: E402
from checker.text.rules import Context, compile_rule  # noqa: E402

PATHOLOGICAL = {
    "spaced zeros": "0" + " 0" * 50_000,
    "dotted digits": "1.1.1." * 16_000,
    "plus signs and digits": "+44 " * 25_000,
    "real mobiles": "07400 123456, " * 7_000,
    "street names": "1 " + "Aa " * 33_000 + "road",
    "colons": ":" * 50_000 + "a" * 50_000,
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", default=str(Path(__file__).resolve().parent.parent.parent / "shared" / "corpora" / "real_posts" / "dev.jsonl"))
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    policy = load_policy()
    checks = [compile_rule(rule, policy) for rule in policy.rules.values() if rule.category == "privacy"]
    context = Context(platform=policy.platform("generic"), policy=policy)

    def run(text: str) -> None:
        doc = Document(text)
        for check in checks:
            list(check.run(doc, context))

    path = Path(args.posts)
    if path.exists():
        posts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
        rounds = []
        for _ in range(args.repeat):
            start = time.perf_counter()
            for text in posts:
                run(text)
            rounds.append((time.perf_counter() - start) / len(posts))
        print(f"privacy rules per real post: median {statistics.median(rounds) * 1e6:.0f} us over {len(posts)} posts x {args.repeat}")
    for name, text in PATHOLOGICAL.items():
        text = text[:100_000]
        half = text[: len(text) // 2]
        times = []
        for sample in (half, text):
            start = time.perf_counter()
            run(sample)
            times.append(time.perf_counter() - start)
        print(f"{name:24} {len(text):>7,} chars: {times[1] * 1000:7.1f} ms (half the length: {times[0] * 1000:6.1f} ms)")


if __name__ == "__main__":
    main()
