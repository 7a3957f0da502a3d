"""What the tone model costs per post: the model alone, cold and warm, and its two rules in check_text.

    .venv/bin/python bench/bench_tone_model.py [--posts ../shared/corpora/real_posts/dev.jsonl] [--limit 2000]

Posts are real ones when the shared corpus is there, otherwise a built-in sample. "cold" scores
every post with an empty word cache (each word's letter n-grams looked up afresh); "warm" is the
steady state of a running server, where common words come from the cache. The rules' cost is
check_text (grammar off) with and without offensive.model and tone.model, on posts it has not seen.
"""

from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path

from checker import load_policy
from checker.policy import DEFAULT_PACK
from checker.text.engine import CompiledChecker, compile_checker
from checker.text.tone_model import ToneModel

SAMPLE = [
    "Applications are now open for our MSc in Data Science! Join us at the open day on 12 March in the Fielding Johnson Building.",
    "Congratulations to the 300 volunteers who helped at our graduation ceremonies this week. You were brilliant!",
    "Struggling with exam stress? You are not alone. Our Student Wellbeing team offers drop-in sessions every weekday.",
    "Our archaeologists led the team that found the remains of King Richard III, buried beneath a car park in Leicester.",
]


def read_posts(path: Path, limit: int) -> list[str]:
    if not path.is_file():
        return SAMPLE * (limit // len(SAMPLE))
    posts = [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return posts[:limit]


def per_post_ms(function, texts: list[str]) -> tuple[float, float]:
    """Median and 90th percentile in milliseconds of function(text) over the texts."""
    times = []
    for text in texts:
        start = time.perf_counter()
        function(text)
        times.append(time.perf_counter() - start)
    times.sort()
    return statistics.median(times) * 1000, times[int(len(times) * 0.9)] * 1000


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--posts", type=Path, default=Path(__file__).resolve().parent.parent.parent / "shared/corpora/real_posts/dev.jsonl")
    parser.add_argument("--limit", type=int, default=2000)
    args = parser.parse_args()
    texts = read_posts(args.posts, args.limit)
    print(f"{len(texts)} posts, median {statistics.median(len(t) for t in texts):.0f} characters")

    start = time.perf_counter()
    model = ToneModel.load(DEFAULT_PACK / "policy" / "tone_model.npz")
    print(f"load model                 {(time.perf_counter() - start) * 1000:8.1f} ms once ({model.features:,} features)")

    def cold(text: str) -> None:
        model._word_cache.clear()
        model.score(text)

    median, p90 = per_post_ms(cold, texts)
    print(f"model, cold word cache     median {median:.3f} ms   p90 {p90:.3f} ms a post")
    for text in texts:  # warm the cache as a running server would be
        model.score(text)
    median, p90 = per_post_ms(model.score, texts)
    print(f"model, warm word cache     median {median:.3f} ms   p90 {p90:.3f} ms a post")

    policy = load_policy()
    full = compile_checker(policy, None)
    without = CompiledChecker(policy, full.profile, tuple(c for c in full.checks if c.rule.kind != "tone_model"))
    # Interleaved, each on text it has not seen, so neither gets the other's warm caches.
    with_times, without_times = [], []
    for n, text in enumerate(texts):
        for checker, times, mark in ((full, with_times, "a"), (without, without_times, "b")):
            fresh = f"{text} ({mark}{n})"
            start = time.perf_counter()
            checker.run(fresh, "x", grammar=False)
            times.append(time.perf_counter() - start)
    with_model, no_model = statistics.median(with_times) * 1000, statistics.median(without_times) * 1000
    print(f"check_text, rules only     median {no_model:.3f} ms a post without the model rules")
    print(f"check_text, rules + model  median {with_model:.3f} ms a post ({with_model - no_model:+.3f} ms for the model)")

if __name__ == "__main__":
    main()
