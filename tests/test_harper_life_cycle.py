"""Harper's life cycle: the lint threads (where its per-thread fuzzy index lives) and the probe's
answers kept on disk for the next process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from checker.grammar.harper_engine import _LintThreads

BUILD = """
import json, sys
from checker.grammar import _config_for, _engines_for
from checker.policy import load_policy
engines = _engines_for(_config_for(load_policy(None)))
engines.harper.set_extra_words(("Zorblaxian",))
engines.harper.ensure_ready()
print(json.dumps(sorted(engines.harper._organisation_words)))
"""


def build_in_a_new_process(cache: Path) -> list[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SOCIALCHECK_", "LTP_"))}
    env["SOCIALCHECK_CACHE_DIR"] = str(cache)
    result = subprocess.run([sys.executable, "-c", BUILD], capture_output=True, text=True, env=env, timeout=120, check=True)
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def first_build(tmp_path_factory) -> tuple[list[str], Path]:
    """The organisation words of a build with an empty cache folder, and the file it kept."""
    cache = tmp_path_factory.mktemp("cache")
    words = build_in_a_new_process(cache)
    [kept] = cache.glob("harper-probes-british-*.json")
    return words, kept


def test_the_pack_words_harper_lacks_are_kept_for_the_next_process_and_the_users_are_not(first_build):
    first, kept = first_build
    lacks = json.loads(kept.read_text(encoding="utf-8"))["lacks"]
    assert first and set(first) == {word for word, lacked in lacks.items() if lacked}
    assert "Zorblaxian" not in lacks  # a personal word is the user's: never written down
    assert build_in_a_new_process(kept.parent) == first


@pytest.mark.parametrize("damage", ["", "not json", '{"lacks": 3}', '["a"]'])
def test_a_damaged_probe_file_is_probed_again(first_build, tmp_path, damage):
    first, kept = first_build
    (tmp_path / kept.name).write_text(damage, encoding="utf-8")
    assert build_in_a_new_process(tmp_path) == first
    assert json.loads((tmp_path / kept.name).read_text(encoding="utf-8"))["lacks"]


def test_an_unwritable_cache_folder_costs_nothing_but_the_probe(first_build, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    assert build_in_a_new_process(blocker / "cache") == first_build[0]


def test_a_job_goes_to_the_first_free_thread_and_a_second_starts_only_when_jobs_overlap():
    pool = _LintThreads(2, "test-lint")
    name = lambda: threading.current_thread().name  # noqa: E731
    assert {pool.submit(name).result() for _ in range(20)} == {"test-lint_0"}  # one after another: one thread
    release = threading.Event()
    busy = pool.submit(release.wait, 10)
    assert pool.submit(name).result() == "test-lint_1"  # the first is busy
    waiting = pool.submit(name)  # both busy: waits for one
    release.set()
    assert busy.result() is True and waiting.result() in ("test-lint_0", "test-lint_1")
    assert pool.submit(name).result() == "test-lint_0"


def test_a_job_that_raises_hands_the_error_to_its_caller_and_frees_its_thread():
    pool = _LintThreads(1, "test-raise")
    with pytest.raises(ZeroDivisionError):
        pool.submit(lambda: 1 / 0).result()
    assert pool.submit(lambda: 42).result() == 42


def test_linters_replaced_in_the_background_keep_the_words_and_the_findings(monkeypatch, tmp_path):
    import time

    import checker.grammar.harper_engine as harper_engine
    from checker.grammar import _config_for, _engines_for
    from checker.policy import load_policy

    monkeypatch.setenv("SOCIALCHECK_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(harper_engine, "RECYCLE_AFTER", 3)
    monkeypatch.setattr(harper_engine, "RECYCLE_AT_THE_LATEST", 12)
    harper = _engines_for(_config_for(load_policy(None))).harper
    assert harper.ensure_ready()
    before = [(m.rule, m.start, m.end) for m in harper.lint("We recieved a Zorblaxian award.")]
    assert ("SpellCheck", 14, 24) in before
    harper.set_extra_words(("Zorblaxian",))
    linters: dict[int, object] = {}  # kept alive, so that no id is used twice
    for n in range(40):
        found = [(m.rule, m.start, m.end) for m in harper.lint(f"We recieved a Zorblaxian award {n}.")]
        assert ("SpellCheck", 3, 11) in found and ("SpellCheck", 14, 24) not in found, n
        linters.update((id(slot.linter), slot.linter) for slot in list(harper._idle.queue))
        time.sleep(0.005)  # a spare is made meanwhile
    assert len(linters) > 3  # replaced, again and again
    harper.set_extra_words(())
