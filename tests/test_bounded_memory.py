"""Issue 15, B: every cache is bounded in bytes, so distinct long drafts cannot grow the server
without a plateau (before: 6.4 MB kept a 100,000-character draft, 0.34 to 1.62 GB in 200)."""

from __future__ import annotations

import random

import pytest

from checker import check_text, load_policy
from checker.lru import BoundedLru, approximate_size
from checker.text import document
from checker.text.engine import compile_checker

CLIENT = {"X-Socialcheck-Client": "pytest"}
WORDS = "the students at leicester won an award for their research on antimicrobial resistance today".split()


def _draft(seed: int, length: int = 99_000) -> str:
    rng = random.Random(seed)
    return " ".join(rng.choice(WORDS) for _ in range(length // 6))[:length] + f" {seed}"


def test_a_bounded_cache_drops_the_oldest_when_its_bytes_run_out():
    cache: BoundedLru[int, str] = BoundedLru(1000, 10_000, lambda key, value: len(value))
    for key in range(100):
        cache.put(key, "x" * 1000)
    assert cache.bytes <= 10_000 and len(cache) == 10
    assert cache.get(99) is not None and cache.get(0) is None


def test_an_entry_too_large_for_a_quarter_of_the_budget_is_not_kept():
    cache: BoundedLru[int, str] = BoundedLru(1000, 10_000, lambda key, value: len(value))
    cache.put(1, "x" * 3000)
    assert len(cache) == 0


def test_the_size_estimate_grows_with_what_an_answer_holds():
    small = approximate_size({"findings": [{"message": "m"}]})
    large = approximate_size({"findings": [{"message": "m" * 1000}] * 100})
    assert large > 100 * 1000 > small


def test_distinct_long_drafts_stay_within_the_checkers_caches():
    policy = load_policy()
    checker = compile_checker(policy, None)
    for seed in range(12):
        check_text(_draft(seed, 70_000) + ". " + _draft(seed + 100, 20_000), policy=policy, grammar=False)
    assert document._SENTENCE_DOCUMENTS.bytes <= document._SENTENCE_DOCUMENTS.max_bytes
    assert checker.memo.bytes <= checker.memo.max_bytes


@pytest.fixture
def app_config():
    return {"TESTING": True, "SOCIALCHECK_GRAMMAR": False, "SOCIALCHECK_CACHE_BYTES": 8_000_000}


def test_the_response_cache_stays_within_its_bytes(app, client):
    for seed in range(15):
        response = client.post("/v1/check/text", json={"text": "!? " * 3000 + _draft(seed, 30_000)}, headers=CLIENT)
        assert response.status_code == 200
    cache = app.extensions["socialcheck"].cache
    assert 0 < cache.bytes <= 8_000_000
    assert len(cache) < 15  # older answers went to make room
