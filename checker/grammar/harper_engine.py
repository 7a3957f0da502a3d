"""Harper (harper-py): offline, in-process, British English by default.

Building a `harper.Linter` takes about 0.6 s (it builds the curated dictionary),
so one is built per configuration, once, in the background or on first use.
A `Linter` raises RuntimeError if two threads call it at once; a lint takes
well under a millisecond, so one lock is cheaper than a linter per thread.
"""

from __future__ import annotations

import os
import queue
import re
import threading
import time
from dataclasses import dataclass

from checker.grammar.config import GrammarConfig

# Harper's lint kinds that are about spelling; every other kind is grammar, style or punctuation.
SPELLING_KINDS = frozenset({"Spelling", "Typo"})
# A post is plain text: Markdown mode would read "*" and "_" as markup. (Both cost the same.)
MARKUP = "plaintext"


@dataclass(frozen=True, slots=True)
class EngineMatch:
    """One engine match in one paragraph (offsets are `str` indices into that paragraph)."""

    engine: str
    rule: str
    category: str  # "grammar" or "spelling"
    start: int
    end: int
    message: str
    suggestions: tuple[str, ...]
    case_only: bool = False  # every suggestion changes only the letters' case
    in_hashtag: bool = False  # a word of a CamelCase hashtag, checked on its own


class EngineStatus:
    """A thread-safe state: off, starting, ready or unavailable, and why."""

    def __init__(self, state: str, reason: str) -> None:
        self._lock = threading.Lock()
        self.state = state
        self.reason = reason
        self.since = time.monotonic()

    def set(self, state: str, reason: str) -> None:
        with self._lock:
            self.state, self.reason, self.since = state, reason, time.monotonic()

    def as_dict(self) -> dict[str, str]:
        with self._lock:
            return {"state": self.state, "reason": self.reason}


LINTERS = max(1, min(2, os.cpu_count() or 1))
LONG_WORD = re.compile(r"\S{64,}")


def _tidy(message: str) -> str:
    """Harper marks words with Markdown backticks; people read quotation marks."""
    parts = message.split("`")
    if len(parts) % 2 == 0:  # unbalanced: leave it alone
        return message
    return "".join(part if i % 2 == 0 else f"‘{part}’" for i, part in enumerate(parts))


class HarperEngine:
    name = "harper"

    def __init__(self, config: GrammarConfig) -> None:
        self.config = config
        self.status = EngineStatus("starting", "not built yet: builds on first use")
        self._linter = None
        self._build_lock = threading.Lock()
        # A Linter is not thread-safe, but Harper lets go of the GIL while it lints: one
        # Linter a core lets two requests lint at once (the dictionary is shared, so memory
        # barely grows). Each lint takes an idle Linter and gives it back.
        self._idle: queue.SimpleQueue[object] = queue.SimpleQueue()
        self._building_in_background = False
        self._organisation_words: list[str] = []  # the pack's words Harper did not know
        self._extra_words: tuple[str, ...] = ()  # the personal dictionary's
        # Whether Harper's own dictionary lacks a word: asked once a word (a probe costs a
        # spelling suggestion, some milliseconds), not again on every dictionary change.
        self._lacks: dict[str, bool] = {}

    # --- life cycle ------------------------------------------------------------------

    def start(self, *, background: bool) -> None:
        """Build the linter now, or in a daemon thread while requests are answered without it."""
        if self._linter is not None:
            return
        if background:
            with self._build_lock:
                if self._building_in_background or self._linter is not None:
                    return
                self._building_in_background = True
            self.status.set("starting", "building Harper's dictionary in the background")
            threading.Thread(target=self._build, name="socialcheck-harper-build", daemon=True).start()
        else:
            self._build()

    def _build(self) -> None:
        with self._build_lock:
            if self._linter is not None:
                return
            try:
                import harper

                dialect = getattr(harper.Dialect, self.config.harper_dialect or "BRITISH")
                linters = []
                for _ in range(LINTERS):
                    linter = harper.Linter(dialect)
                    settings = linter.get_lint_config()
                    for rule in self.config.harper_disabled():
                        settings[rule] = False
                    linter.set_lint_config(settings)
                    unknown = self._lacked(linter, self.config.words)
                    extra = self._lacked(linter, self._extra_words)
                    if unknown or extra:
                        linter.import_words(unknown + extra)
                    linters.append(linter)
                self._organisation_words = unknown
            except Exception as error:  # noqa: BLE001 - any failure means "unavailable", never a crash
                self.status.set("unavailable", f"Harper could not start: {type(error).__name__}: {error}")
                return
            finally:
                self._building_in_background = False
            for each in linters:
                self._idle.put(each)
            self._linter = linters[0]
            dialect_name = dialect.name.title()
            self.status.set("ready", f"{dialect_name} English, {len(unknown)} organisation words added")

    def set_extra_words(self, words: tuple[str, ...]) -> None:
        """Replace the words added beyond the pack's (a personal dictionary) in every linter."""
        with self._build_lock:
            self._extra_words = tuple(words)
            if self._linter is None:
                return  # the build imports them
            linters = [self._idle.get() for _ in range(LINTERS)]  # waits for lints in progress
            try:
                linters[0].clear_words()  # a probe needs Harper's own dictionary alone
                added = self._organisation_words + self._lacked(linters[0], self._extra_words)
                for linter in linters:
                    linter.clear_words()
                    if added:
                        linter.import_words(added)
            finally:
                for linter in linters:
                    self._idle.put(linter)

    def _lacked(self, linter: object, words: tuple[str, ...]) -> list[str]:
        """The words Harper's own dictionary lacks (`linter` has no imported words), probing only new ones."""
        new = tuple(w for w in dict.fromkeys(words) if w not in self._lacks)
        if new:
            flagged = set(_unknown_words(linter, new))
            if len(self._lacks) > 50_000:
                self._lacks.clear()
            self._lacks.update((w, w in flagged) for w in new)
        return [w for w in words if self._lacks.get(w, True)]

    def ensure_ready(self) -> bool:
        """Build on first use unless a background build is under way (then answer without Harper)."""
        if self._linter is None and not self._building_in_background and self.status.state != "unavailable":
            self._build()
        return self._linter is not None

    # --- checking --------------------------------------------------------------------

    def lint(self, paragraph: str) -> list[EngineMatch]:
        assert self._linter is not None, "call ensure_ready() first"
        # Harper's spelling suggestions grow with the square of a word's length: a word of
        # 100,000 letters asks for 30 GB and aborts the process. No real word is that long.
        paragraph = LONG_WORD.sub(lambda m: " " * len(m.group()), paragraph)
        linter = self._idle.get()
        try:
            organised = linter.organized_lints(paragraph, language=MARKUP)
        finally:
            self._idle.put(linter)
        matches = []
        for rule, lints in organised.items():
            for lint in lints:
                span = lint.span
                suggestions = tuple(_replacement(lint.problem_text, s) for s in lint.suggestions)
                matches.append(
                    EngineMatch(
                        engine="harper",
                        rule=rule,
                        category="spelling" if lint.lint_kind in SPELLING_KINDS else "grammar",
                        start=span.start,
                        end=span.end,
                        message=_tidy(lint.message),
                        suggestions=suggestions,
                        case_only=bool(suggestions)
                        and all(s.lower() == lint.problem_text.lower() for s in suggestions),
                    )
                )
        return matches


def _replacement(problem: str, suggestion: object) -> str:
    """The text that replaces the span: Harper also removes and inserts after."""
    import harper

    kind = getattr(suggestion, "kind", harper.SuggestionKind.REPLACE)
    text = getattr(suggestion, "replacement_text", "")
    if kind == harper.SuggestionKind.REMOVE:
        return ""
    if kind == harper.SuggestionKind.INSERT_AFTER:
        return problem + text
    return text


def _unknown_words(linter: object, words: tuple[str, ...]) -> list[str]:
    """The organisation's words that Harper flags as misspelt: only those are imported.

    Importing a word Harper already knows ("the", "of" from "University of Leicester")
    would replace its curated entry, and with it what the grammar rules know about it.
    """
    if not words:
        return []
    probe = " ".join(f"We saw {word} today." for word in words)
    lints = linter.organized_lints(probe, language="plaintext", dedup=False)  # type: ignore[attr-defined]
    flagged = {lint.problem_text for lint in lints.get("SpellCheck", [])}
    return [word for word in words if word in flagged]
