"""Issue 15, F: mistaken or hostile policy packs fail in bounded time and memory with a PolicyError
that names the file, the rule and the problem; and the patterns they may hold run in linear time."""

from __future__ import annotations

import os
import struct
import sys
import zlib
from pathlib import Path

import pytest

from checker import PolicyError, check_profile, check_text, load_policy
from checker.linear_regex import compile_linear, to_re2
from checker.policy import MAX_FILE_BYTES


def _append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + "\n" + text, encoding="utf-8")


def _rule(extra: str, message: str = "Bad: {match}", kind: str = "patterns") -> str:
    return f"""
[rules.hostile_extra]
kind = "{kind}"
severity = "warning"
guideline = "tone"
message = "{message}"
{extra}
examples.flag = ["a bad word here"]
examples.pass = ["all fine"]
"""


def _fails(pack: Path, *, file: str, rule: str | None, problem: str) -> PolicyError:
    with pytest.raises(PolicyError) as caught:
        load_policy(pack)
    error = caught.value
    assert error.file.endswith(file), error
    assert error.rule == rule, error
    assert problem in error.problem, error
    return error


# --- files that are not what a policy file is ------------------------------------------------------


def test_a_deeply_nested_array_is_refused_not_a_recursion_error(pack):
    (pack / "policy/rules/tone.toml").write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n")
    _fails(pack, file="tone.toml", rule=None, problem="nested too deeply")


def test_moderate_nesting_past_the_bound_is_refused_too(pack):
    _append(pack / "policy/rules/tone.toml", "[rules.tone_deep]\nx = " + "[" * 40 + "]" * 40)
    _fails(pack, file="tone.toml", rule=None, problem="nested too deeply")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are POSIX")
def test_a_fifo_as_a_rule_file_is_refused_without_waiting(pack):
    os.mkfifo(pack / "policy/rules/review.toml.fifo")
    (pack / "policy/rules/review.toml").unlink()
    os.rename(pack / "policy/rules/review.toml.fifo", pack / "policy/rules/review.toml")
    _fails(pack, file="review.toml", rule=None, problem="not a regular file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_dev_zero_as_a_rule_file_is_refused_without_reading_it(pack):
    (pack / "policy/rules/review.toml").unlink()
    (pack / "policy/rules/review.toml").symlink_to("/dev/zero")
    _fails(pack, file="review.toml", rule=None, problem="not a regular file")


def test_an_oversized_rule_file_is_refused(pack):
    with (pack / "policy/rules/review.toml").open("a", encoding="utf-8") as handle:
        handle.write("# padding\n" * (MAX_FILE_BYTES // 10 + 1))
    _fails(pack, file="review.toml", rule=None, problem="a policy file may be at most")


# --- messages ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ("{match:>100000000}", "may not have a format"),
        ("{match!r}", "may not have a format or conversion"),
        ("{match.__class__}", "must be a plain name"),
        ("{match[0]}", "must be a plain name"),
        ("unbalanced {match", "not a valid template"),
    ],
)
def test_a_message_may_name_values_but_not_format_them(pack, message, problem):
    _append(pack / "policy/rules/tone.toml", _rule("patterns = ['bad']", message=message))
    _fails(pack, file="tone.toml", rule="tone.hostile_extra", problem=problem)


def test_a_message_option_is_checked_as_well(pack):
    _append(pack / "policy/rules/tone.toml", _rule('of = "hashtag"\nover_limit_message = "{count:>99999999}"', kind="count"))
    _fails(pack, file="tone.toml", rule="tone.hostile_extra", problem="may not have a format")


# --- patterns --------------------------------------------------------------------------------------------


def test_an_exponential_pattern_loads_and_runs_in_linear_time(pack):
    # `(\w+\s?)+$` made `policy validate` and `serve` hang under re; RE2 runs it in linear time.
    _append(pack / "policy/rules/tone.toml", _rule(r"patterns = ['(\w+\s?)+$']"))
    policy = load_policy(pack)
    report = check_text("a" * 5000 + "!", policy=policy, grammar=False)  # finishes within the budget
    assert report is not None


@pytest.mark.parametrize("pattern", [r"(?<=x)(\w+\s?)+$", r"(?<=x)(a|aa)+", r"(a)\1?(b|bb)*c"])
def test_a_backtracking_pattern_that_can_blow_up_is_refused_at_load(pack, pattern):
    _append(pack / "policy/rules/tone.toml", _rule(f"patterns = ['{pattern}']"))
    error = _fails(pack, file="tone.toml", rule="tone.hostile_extra", problem="can backtrack catastrophically")
    assert "linear time" in error.problem


def test_a_lookaround_pattern_with_simple_runs_runs_on_regex_and_keeps_its_meaning(pack):
    _append(pack / "policy/rules/tone.toml", _rule(r"patterns = ['(?<![\w.])\d{1,4}[ \t]+Elm[ \t]+Road(?![ \t]+[A-Z])']" + "\ncase_sensitive = true"))
    policy = load_policy(pack)
    report = check_text("Meet at 7  Elm Road tonight, not 8 Elm Road Gallery or x.9 Elm Road.", policy=policy, grammar=False)
    assert [(f.start, f.end) for f in report.findings if f.rule == "tone.hostile_extra"] == [(8, 19)]


def test_a_slow_lookaround_pattern_is_stopped_with_a_clear_error_and_leaves_the_gil_free(pack):
    import threading
    import time

    from checker.errors import CheckTimeoutError
    from checker.linear_regex import PATTERN_SECONDS

    _append(pack / "policy/rules/tone.toml", _rule(r"patterns = ['(?<!q)(?:a|aa){1,60}b']"))
    policy = load_policy(pack)
    gaps: list[float] = []
    stop = threading.Event()

    def tick() -> None:
        last = time.monotonic()
        while not stop.is_set():
            time.sleep(0.01)
            now = time.monotonic()
            gaps.append(now - last)
            last = now

    ticker = threading.Thread(target=tick)
    ticker.start()
    try:
        with pytest.raises(CheckTimeoutError, match=r"tone\.hostile_extra took longer than"):
            check_text("a" * 5000, policy=policy, grammar=False)
    finally:
        stop.set()
        ticker.join()
    # Another thread kept running all along: the search released the GIL.
    assert max(gaps) < PATTERN_SECONDS / 2


def test_a_bounded_lookaround_pattern_loads_and_keeps_its_meaning(pack):
    _append(pack / "policy/rules/tone.toml", _rule(r"patterns = ['(?<!\d)\d{3}(?!\d)']"))
    policy = load_policy(pack)
    report = check_text("Room 123 or 12345", policy=policy, grammar=False)
    assert [(f.start, f.end) for f in report.findings if f.rule == "tone.hostile_extra"] == [(5, 8)]


def test_a_handle_pattern_that_is_exponential_under_re_runs_in_linear_time(pack):
    text = (pack / "avatar_specs.toml").read_text(encoding="utf-8")
    text = text.replace('handle_pattern = "[A-Za-z0-9_]{4,15}"', 'handle_pattern = "(a|aa)+"', 1)
    (pack / "avatar_specs.toml").write_text(text, encoding="utf-8")
    policy = load_policy(pack)
    report = check_profile("Leicester", "@" + "a" * 5000 + "b", "", platform="x", policy=policy, profile="base")
    assert "profile.handle.invalid" in {f.rule for f in report.handle.findings}


# --- marks ---------------------------------------------------------------------------------------------------


def _png_header_only(path: Path, width: int, height: int) -> None:
    """A PNG whose header claims width x height (its pixels are never reached: the loader refuses first)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b""))


@pytest.mark.parametrize(("side", "problem"), [(9000, "at most 2048 pixels a side"), (20000, "far too many pixels")])
def test_an_oversized_mark_is_refused_from_its_header(pack, side, problem):
    from checker.image.identity import read_visual_identity

    _png_header_only(pack / "marks/shield.png", side, side)
    with pytest.raises(PolicyError) as caught:
        read_visual_identity(load_policy(pack))
    assert caught.value.file.endswith("identity.toml") and caught.value.rule == "marks #1"
    assert problem in caught.value.problem


# --- the translation to RE2 keeps Python's meaning ------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "text", "expected"),
    [
        (r"\w+", "café, naïve", ["café", "naïve"]),
        (r"\d+", "٣٤ and 12", ["٣٤", "12"]),
        (r"a\sb", "a\u00a0b a\u2003b", ["a\u00a0b", "a\u2003b"]),
        (r"[\w-]+", "well-known café", ["well-known", "café"]),
        (r"\S+", "x\u00a0y", ["x", "y"]),
        (r"(?P<flag>org)an", "organ", ["organ"]),
    ],
)
def test_re2_patterns_mean_what_they_mean_in_python(pattern, text, expected):
    compiled = compile_linear(pattern, file="test.toml", rule="r")
    assert compiled.engine == "re2"
    assert [text[m.start() : m.end()] for m in compiled.finditer(text)] == expected


def test_a_lone_surrogate_keeps_every_offset():
    compiled = compile_linear(r"b+", file="test.toml", rule="r")
    assert [m.span() for m in compiled.finditer("a\ud800bb")] == [(2, 4)]


def test_negated_classes_inside_brackets_are_refused_with_advice():
    with pytest.raises(PolicyError, match=r"\\W inside"):
        compile_linear(r"[\W_]", file="test.toml", rule="r")
    assert to_re2(r"[^\]a]") == r"[^\]a]"


@pytest.mark.skipif(sys.platform == "win32", reason="uses POSIX paths only")
def test_every_bundled_pattern_runs_on_a_linear_time_engine():
    policy = load_policy()
    from checker.text.engine import compile_checker
    from checker.text.rules import Patterns

    for check in compile_checker(policy, None).checks:
        if isinstance(check, Patterns):
            for pattern in check.patterns:
                # "re" only for patterns with lookaround whose work at each position is bounded.
                assert pattern.engine in ("re2", "re"), pattern.source
