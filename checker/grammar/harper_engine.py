"""Harper (harper-py): offline, in-process, British English by default.

The first `harper.Linter` of a process takes about 1 s (it builds the curated dictionary,
which later linters share), and the first spelling suggestion about 2 s more (the fuzzy
index): both are done once per process, in the background or on first use.
A `Linter` raises RuntimeError if two threads call it at once: each lint takes one from
a small pool.
"""

from __future__ import annotations

import os
import queue
import re
import threading
import time
from concurrent.futures import ThreadPoolExecutor
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
# Harper keeps the lints of every chunk it has seen (up to 10,000 a linter), so a linter
# grows with every new draft: after this many lints it is replaced by a new one (about 10 ms:
# the dictionary is shared). 1,500 new real posts: 493 MB without, 292 MB with.
RECYCLE_AFTER = 100
# A word Harper cannot know: its first spelling suggestion builds the fuzzy index (about 2 s
# and 50 MB, once per process), which is done while building, not in someone's first check.
WARM_UP = "We saw Qzxwvbnmq today."


def _tidy(message: str) -> str:
    """Harper marks words with Markdown backticks; people read quotation marks."""
    parts = message.split("`")
    if len(parts) % 2 == 0:  # unbalanced: leave it alone
        return message
    return "".join(part if i % 2 == 0 else f"‘{part}’" for i, part in enumerate(parts))


def release_freed_memory() -> None:
    """Give freed heap pages back to the system (glibc): building Harper's dictionary and
    fuzzy index leaves about 70 MB free but resident. Elsewhere a no-op."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass


_threads_lock = threading.Lock()
_threads: ThreadPoolExecutor | None = None


def _lint_threads() -> ThreadPoolExecutor:
    """The process's Harper threads. Harper keeps state for each thread that lints (its spelling
    automaton, heap arenas): with a lint on each request thread, 8 threads took 830 MB where one
    took 290. Every lint runs on one of LINTERS threads, whichever thread asked for it; as many
    lints run at once as each engine has linters, so a lint never waits for a linter."""
    global _threads
    if _threads is None:
        with _threads_lock:
            if _threads is None:
                _threads = ThreadPoolExecutor(max_workers=LINTERS, thread_name_prefix="socialcheck-harper")
    return _threads


def _warm_lint_threads(linters: list[object]) -> None:
    """Give each of the process's Harper threads its first spelling suggestion now.

    Harper builds its spelling automaton once for every thread that asks for a suggestion
    (about 1 s): warmed on the building thread alone, the first checks on each lint thread
    took 0.8 to 1.7 s after "ready". A barrier holds each task until all have started, so
    every thread of the pool gets one."""
    barrier = threading.Barrier(len(linters))

    def warm(linter: object) -> None:
        barrier.wait(timeout=60)
        linter.organized_lints(WARM_UP, language=MARKUP)  # type: ignore[attr-defined]

    for done in [_lint_threads().submit(warm, linter) for linter in linters]:
        done.result()


class _Slot:
    """A linter and how many lints it has made (harper.Linter takes no attributes)."""

    __slots__ = ("linter", "uses")

    def __init__(self, linter: object) -> None:
        self.linter = linter
        self.uses = 0


class HarperEngine:
    name = "harper"

    def __init__(self, config: GrammarConfig) -> None:
        self.config = config
        self.status = EngineStatus("starting", "not built yet: builds on first use")
        self._linter = None
        self._build_lock = threading.Lock()
        # A Linter is not thread-safe, but Harper lets go of the GIL while it lints: one
        # Linter a core lets two requests lint at once (the dictionary is shared, so memory
        # barely grows). Each lint takes an idle Linter and gives it back; last in, first out,
        # so that one person's re-checks meet the linter whose cache holds their draft.
        self._idle: queue.LifoQueue[_Slot] = queue.LifoQueue()
        self._building_in_background = False
        self._probe: object | None = None  # a linter with Harper's own dictionary alone, to ask what it lacks
        self._organisation_words: list[str] = []  # the pack's words Harper did not know
        self._extra_words: tuple[str, ...] = ()  # the personal dictionary's
        self._added: list[str] = []  # what every linter imports: both of those that Harper lacks
        # Whether Harper's own dictionary lacks a word: asked once a word (a probe costs a
        # spelling suggestion, some milliseconds), not again on every dictionary change.
        self._lacks: dict[str, bool] = {}
        self._settings: dict[str, bool | None] | None = None  # the lint config every linter gets

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

    def _new_linter(self) -> object:
        import harper

        linter = harper.Linter(getattr(harper.Dialect, self.config.harper_dialect or "BRITISH"))
        linter.set_lint_config(self._lint_config(linter))
        if self._added:
            linter.import_words(self._added)
        return linter

    def _lint_config(self, linter: object) -> dict[str, bool | None]:
        """Harper's rules as the pack decides: a rule decided "off" is not run, and when the pack's
        [defaults] severity is "off", neither is any rule it does not decide (nothing of theirs
        would be reported: running them cost 2.5 ms of Harper's 3.4 a real post)."""
        if self._settings is None:
            settings = linter.get_lint_config()  # type: ignore[attr-defined]
            for rule in self.config.harper_disabled():
                settings[rule] = False
            decisions = self.config.decisions
            if decisions.default == "off":
                decided = {r.removeprefix("harper.") for r, _ in decisions.by_rule if r.startswith("harper.")}
                for rule in settings:
                    if rule not in decided:
                        settings[rule] = False
            self._settings = settings
        return dict(self._settings)

    def _build(self) -> None:
        with self._build_lock:
            if self._linter is not None:
                return
            try:
                import harper

                dialect = getattr(harper.Dialect, self.config.harper_dialect or "BRITISH")
                self._probe = harper.Linter(dialect)
                self._organisation_words = self._lacked(self.config.words)
                self._added = self._organisation_words + self._lacked(self._extra_words)
                linters = [self._new_linter() for _ in range(LINTERS)]
                _warm_lint_threads(linters)
            except Exception as error:  # noqa: BLE001 - any failure means "unavailable", never a crash
                self.status.set("unavailable", f"Harper could not start: {type(error).__name__}: {error}")
                return
            finally:
                self._building_in_background = False
            release_freed_memory()
            for each in linters:
                self._idle.put(_Slot(each))
            self._linter = linters[0]
            dialect_name = dialect.name.title()
            self.status.set("ready", f"{dialect_name} English, {len(self._organisation_words)} organisation words added")

    def set_extra_words(self, words: tuple[str, ...]) -> None:
        """Replace the words added beyond the pack's (a personal dictionary) in every linter."""
        with self._build_lock:
            self._extra_words = tuple(words)
            if self._linter is None:
                return  # the build imports them
            slots = [self._idle.get() for _ in range(LINTERS)]  # waits for lints in progress
            try:
                self._added = self._organisation_words + self._lacked(self._extra_words)
                for slot in slots:
                    slot.linter.clear_words()  # type: ignore[attr-defined]
                    if self._added:
                        slot.linter.import_words(self._added)  # type: ignore[attr-defined]
            finally:
                for slot in slots:
                    self._idle.put(slot)

    def _lacked(self, words: tuple[str, ...]) -> list[str]:
        """The words Harper's own dictionary lacks, probing only new ones."""
        new = tuple(w for w in dict.fromkeys(words) if w not in self._lacks)
        if new:
            flagged = set(_unknown_words(self._probe, new))
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
        return _lint_threads().submit(self._lint, paragraph).result()

    def _lint(self, paragraph: str) -> list[EngineMatch]:
        # Harper's spelling suggestions grow with the square of a word's length: a word of
        # 100,000 letters asks for 30 GB and aborts the process. No real word is that long.
        paragraph = LONG_WORD.sub(lambda m: " " * len(m.group()), paragraph)
        slot = self._idle.get()
        try:
            organised = slot.linter.organized_lints(paragraph, language=MARKUP)  # type: ignore[attr-defined]
            slot.uses += 1
            if slot.uses >= RECYCLE_AFTER:
                slot.linter, slot.uses = self._new_linter(), 0
        finally:
            self._idle.put(slot)
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
    # SpellCheck alone decides, and runs in a tenth of the time of every rule.
    linter.set_lint_config({rule: rule == "SpellCheck" for rule in linter.get_lint_config()})  # type: ignore[attr-defined]
    probe = " ".join(f"We saw {word} today." for word in words)
    lints = linter.organized_lints(probe, language="plaintext", dedup=False)  # type: ignore[attr-defined]
    flagged = {lint.problem_text for lint in lints.get("SpellCheck", [])}
    return [word for word in words if word in flagged]
