"""Regular expressions from policy files, run in time linear in the text.

Python's `re` backtracks: a pattern such as `(\\w+\\s?)+$` takes exponential time on
a hostile post, and holds the GIL for the whole search, so one request stalls every
other. Policy patterns are data that staff edit, so they cannot be trusted to be
written carefully. They are run on RE2 (google-re2), whose automata take time linear
in the text whatever the pattern.

RE2 has no lookaround and no backreferences. A pattern that needs them is looked at
when the pack loads:

- every repetition bounded (`{0,40}`, `?`, never `*` or `+`) and few ways to match at one
  position (at most MAX_PATHS): it runs on `re`, and its work at each position is bounded,
  so the whole search is linear;
- a repetition (`+`, `*`, `{n,}`) of something that can itself match in more than one way,
  such as `(\\w+\\s?)+`: the shape that backtracks exponentially. It is refused, with a
  PolicyError naming the file, the rule and why;
- otherwise (simple runs such as `[ \\t]+` beside lookaround): it runs on the `regex`
  module with the GIL released, so other requests go on, and at most PATTERN_SECONDS a
  search; past that the check stops with CheckTimeoutError naming the rule.

Python's meaning is kept where RE2's differs: `\\w`, `\\d` and `\\s` are Unicode
(RE2's are ASCII), and `\\Z` is RE2's `\\z`. `\\b` is RE2's ASCII word boundary: a
boundary next to a non-ASCII letter ("naïve") is found where Python would not.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from re import _constants as sre_constants  # type: ignore[attr-defined]
from re import _parser as sre_parser  # type: ignore[attr-defined]
from typing import Any, Protocol

import re2
import regex

from checker.errors import CheckTimeoutError, PolicyError

# Ways a backtracking pattern may match at one position (see _paths): beyond this it is refused.
MAX_PATHS = 10_000
# Longest pattern source a policy may hold: far beyond any real one, and bounds RE2's compile.
MAX_SOURCE_LENGTH = 20_000
# Longest one search by a lookaround pattern on `regex` may take (a post takes milliseconds).
PATTERN_SECONDS = 2.0

_RE2_OPTIONS: dict[bool, Any] = {}

# Python's Unicode classes, written for RE2 (str.isspace is exactly these; \w is str.isalnum or _).
_SPACE = r"\t-\r\x{1c}-\x{1f}\x{85}\p{Z}"
_WORD = r"\p{L}\p{N}_"
_DIGIT = r"\p{Nd}"
_OUTSIDE = {"w": f"[{_WORD}]", "W": f"[^{_WORD}]", "d": _DIGIT, "D": r"\P{Nd}", "s": f"[{_SPACE}]", "S": f"[^{_SPACE}]", "Z": r"\z"}
_INSIDE = {"w": _WORD, "d": _DIGIT, "D": r"\P{Nd}", "s": _SPACE}


class Match(Protocol):
    def span(self, group: int | str = 0) -> tuple[int, int]: ...
    def start(self, group: int | str = 0) -> int: ...
    def end(self, group: int | str = 0) -> int: ...
    def group(self, group: int | str = 0) -> Any: ...
    def expand(self, template: str) -> str: ...


class _Re2Match:
    """RE2's match, answering to group names as `re.Match` does."""

    __slots__ = ("_match", "_names")

    def __init__(self, match: Any, names: Mapping[str, int]) -> None:
        self._match = match
        self._names = names

    def _index(self, group: int | str) -> int:
        return self._names[group] if isinstance(group, str) else group

    def span(self, group: int | str = 0) -> tuple[int, int]:
        return tuple(self._match.span(self._index(group)))  # type: ignore[return-value]

    def start(self, group: int | str = 0) -> int:
        return int(self._match.start(self._index(group)))

    def end(self, group: int | str = 0) -> int:
        return int(self._match.end(self._index(group)))

    def group(self, group: int | str = 0) -> Any:
        return self._match.group(self._index(group))

    def expand(self, template: str) -> str:
        return str(self._match.expand(template))


@dataclass(frozen=True, slots=True, eq=False)
class LinearPattern:
    """A compiled policy pattern; `engine` says which engine runs it ("re2" or "re")."""

    source: str
    engine: str  # "re2", "re" (bounded backtracking) or "regex" (GIL released, time-limited)
    compiled: Any
    groupindex: Mapping[str, int]
    where: str = ""  # the rule, for the timeout's message
    flags: int = 0  # Python's flags it was written for (re.IGNORECASE)

    @property
    def pattern(self) -> str:
        """The source, as re.Pattern names it."""
        return self.source

    def finditer(self, text: str) -> Iterator[Match]:
        if self.engine == "re":
            yield from self.compiled.finditer(text)
            return
        if self.engine == "regex":
            try:
                yield from self.compiled.finditer(text, concurrent=True, timeout=PATTERN_SECONDS)
            except TimeoutError:
                raise self._timed_out() from None
            return
        for match in self.compiled.finditer(_encodable(text)):
            yield _Re2Match(match, self.groupindex)

    def search(self, text: str) -> Match | None:
        return next(self.finditer(text), None)

    def fullmatch(self, text: str) -> Match | None:
        if self.engine == "re":
            return self.compiled.fullmatch(text)  # type: ignore[no-any-return]
        if self.engine == "regex":
            try:
                return self.compiled.fullmatch(text, concurrent=True, timeout=PATTERN_SECONDS)  # type: ignore[no-any-return]
            except TimeoutError:
                raise self._timed_out() from None
        match = self.compiled.fullmatch(_encodable(text))
        if match is None:
            return None
        return _Re2Match(match, self.groupindex)

    def _timed_out(self) -> CheckTimeoutError:
        return CheckTimeoutError(
            f"a pattern of {self.where or 'the policy'} took longer than {PATTERN_SECONDS:g} s on this text, "
            "so the check was stopped; check it in shorter parts"
        )


_SURROGATE = re.compile("[\ud800-\udfff]")


def _encodable(text: str) -> str:
    """RE2 reads UTF-8, which has no lone surrogates (JSON can carry one): each becomes U+FFFD,
    one character for one, so every offset stays the same."""
    if text.isascii():
        return text
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _SURROGATE.sub("\ufffd", text)
    return text


def _options(ignore_case: bool) -> Any:
    options = _RE2_OPTIONS.get(ignore_case)
    if options is None:
        options = re2.Options()
        options.log_errors = False
        options.case_sensitive = not ignore_case
        _RE2_OPTIONS[ignore_case] = options
    return options


class _Untranslatable(ValueError):
    pass


def to_re2(source: str) -> str:
    """Python pattern syntax to RE2's, keeping Python's Unicode meaning of \\w, \\d and \\s."""
    out: list[str] = []
    i, n = 0, len(source)
    in_class = False
    class_start = -1
    while i < n:
        ch = source[i]
        if ch == "\\" and i + 1 < n:
            nxt = source[i + 1]
            table = _INSIDE if in_class else _OUTSIDE
            if nxt in table:
                out.append(table[nxt])
            elif in_class and nxt in "WS":
                raise _Untranslatable(f"\\{nxt} inside [...] (write the class without it)")
            elif nxt == "u" and re.fullmatch(r"[0-9a-fA-F]{4}", source[i + 2 : i + 6]):
                out.append("\\x{" + source[i + 2 : i + 6] + "}")
                i += 6
                continue
            elif nxt == "U" and re.fullmatch(r"[0-9a-fA-F]{8}", source[i + 2 : i + 10]):
                out.append("\\x{" + source[i + 2 : i + 10] + "}")
                i += 10
                continue
            else:
                out.append(source[i : i + 2])
            i += 2
            continue
        if in_class:
            # A ']' right after '[' or '[^' is a literal, as in Python.
            if ch == "]" and i > class_start:
                in_class = False
        elif ch == "[":
            in_class = True
            class_start = i + 1
            if i + 1 < n and source[i + 1] == "^":
                class_start += 1
            out.append(ch)
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out)


def _bounded(product: int) -> int:
    return min(product, MAX_PATHS + 1)


def _paths(items: Any) -> int:
    """An upper bound on the ways `items` can match at one position (MAX_PATHS + 1 meaning too many,
    or unbounded); raises _Exponential at a repetition of something that can match in several ways."""
    total = 1
    for op, av in items:
        if op is sre_constants.BRANCH:
            ways = _bounded(sum(_paths(branch) for branch in av[1]))
        elif op is sre_constants.SUBPATTERN:
            ways = _paths(av[3])
        elif op is sre_constants.ATOMIC_GROUP:
            ways = _paths(av)
        elif op in (sre_constants.MAX_REPEAT, sre_constants.MIN_REPEAT, sre_constants.POSSESSIVE_REPEAT):
            low, high, body = av
            each = _paths(body)
            if high is sre_constants.MAXREPEAT:
                if each > 1 and op is not sre_constants.POSSESSIVE_REPEAT:
                    raise _Exponential()
                ways = MAX_PATHS + 1
            else:
                ways, power = 0, 1
                for count in range(high + 1):
                    if count >= low:
                        ways = _bounded(ways + power)
                    power = _bounded(power * each)
                    if ways > MAX_PATHS:
                        break
        elif op in (sre_constants.ASSERT, sre_constants.ASSERT_NOT):
            _paths(av[1])  # an assertion adds no way to match; its own repetitions are checked all the same
            ways = 1
        elif op is sre_constants.GROUPREF_EXISTS:
            ways = max(_paths(av[1]), _paths(av[2]) if av[2] else 1)
        else:
            ways = 1
        total = _bounded(total * ways)
    return total


class _Exponential(Exception):
    pass


def compile_linear(source: str, *, ignore_case: bool = False, file: str, rule: str | None, what: str = "pattern") -> LinearPattern:
    """Compile a policy pattern to run in linear time, or raise PolicyError saying why it cannot."""

    def fail(problem: str) -> PolicyError:
        return PolicyError(file, rule, f"{what} {_shown(source)} {problem}")

    if not isinstance(source, str):
        raise PolicyError(file, rule, f"{what} must be a string, not {type(source).__name__}")
    if len(source) > MAX_SOURCE_LENGTH:
        raise fail(f"is {len(source):,} characters long; the most a pattern may be is {MAX_SOURCE_LENGTH:,}")
    flags = re.IGNORECASE if ignore_case else 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)  # "possible nested set": style, not a mistake
            python = re.compile(source, flags)
    except (re.error, RecursionError, OverflowError) as problem:
        raise fail(f"is not a valid regular expression: {problem}") from None
    try:
        compiled = re2.compile(to_re2(source), _options(ignore_case))
    except _Untranslatable as problem:
        raise fail(f"uses {problem}") from None
    except re2.error as problem:
        why = str(problem).removeprefix("b'").removeprefix('b"').rstrip("'\"")  # RE2's reason, such as "invalid perl operator: (?<!"
    else:
        return LinearPattern(source, "re2", compiled, dict(compiled.groupindex), rule or file, flags)
    # RE2 cannot run it: how much can it backtrack?
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", FutureWarning)
            parsed = sre_parser.parse(source, flags)
        ways = _paths(parsed)
    except _Exponential:
        raise fail(
            f"can backtrack catastrophically: it repeats (+, * or {{n,}}) something that can match in more than one "
            f"way, and it needs a backtracking engine (RE2, which runs policy patterns in linear time, cannot run it: "
            f"{why}); remove the lookaround or backreference, or make the repeated part match one way only"
        ) from None
    except RecursionError:
        raise fail("is nested too deeply") from None
    if ways <= MAX_PATHS:
        return LinearPattern(source, "re", python, dict(python.groupindex), rule or file, flags)
    try:
        compiled = regex.compile(source, flags | regex.VERSION0)
    except (regex.error, RecursionError, OverflowError) as problem:
        raise fail(f"is not a valid regular expression: {problem}") from None
    return LinearPattern(source, "regex", compiled, dict(compiled.groupindex), rule or file, flags)


def _shown(source: str) -> str:
    return repr(source if len(source) <= 120 else source[:117] + "...")
