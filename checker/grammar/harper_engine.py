"""Harper (harper-py): offline, in-process, British English by default.

Two costs come once, and neither belongs in someone's check:
- the curated dictionary, built by the first `harper.Linter` of a process (about 0.5-1 s,
  shared by every later linter, which then takes about 10 ms);
- the fuzzy index behind spelling suggestions (Levenshtein automata, about 1-2 s and 50 MB),
  built on the first suggestion a thread asks for. Harper keeps it per thread (harper-core's
  `AUTOMATON_BUILDERS` is a `thread_local!`): a thread that suggests once builds its own.
So every Harper call that can suggest (lints, and the probe of the pack's words) runs on the
few lint threads, which live as long as the process; `prewarm` starts the dictionary at
process start while the policy loads (Harper lets go of the GIL).
A `Linter` raises RuntimeError if two threads call it at once: each lint takes one from
a small pool.
"""

from __future__ import annotations

import json
import os
import queue
import re
import sys
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent.futures import Future
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from checker.grammar.config import GrammarConfig

T = TypeVar("T")

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


# Harper's lints run beside Python's work for the same requests (rules, JSON, the server),
# which holds the GIL: on 2 cores one lint thread served as many checks (410 a second against
# 391 with two, bench/bench_server.py --real-posts) in 70 MB less, since each lint thread keeps
# its own spelling index. So a core is left for Python, and at most two lint threads run.
LINTERS = max(1, min(2, (os.cpu_count() or 1) - 1))
LONG_WORD = re.compile(r"\S{64,}")
# Harper keeps the lints of every chunk it has seen (up to 10,000 a linter), so a linter
# grows with every new draft: after this many lints it is replaced by a new one (about 8 ms:
# the dictionary is shared), made beforehand off the request path, and the heap pages the old
# one held are given back. 1,200 new real posts on one linter grew Harper's memory by 137 MB
# never replaced, 97 MB replaced every 100 lints, 37 MB replaced and given back.
RECYCLE_AFTER = 100
# A spare that is late (a busy machine) is made in the lint after this many: bounded all the same.
RECYCLE_AT_THE_LATEST = 4 * RECYCLE_AFTER
# A word Harper cannot know: its first spelling suggestion on a thread builds that thread's
# fuzzy index (about 1-2 s and 50 MB), which is done while building, not in someone's check.
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


class _LintThreads:
    """Up to `size` daemon threads that run every Harper call. A job goes to the first free
    thread, the oldest: under light load every lint runs on one thread, which holds the one
    fuzzy index; the next thread is started only when lints overlap. A job's result is given
    after its thread counts as free again, so a job submitted then goes to that same thread."""

    def __init__(self, size: int, name: str) -> None:
        self._size = size
        self._name = name
        self._lock = threading.Lock()
        self._inboxes: list[queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]]] = []
        self._free: list[bool] = []
        self._backlog: deque[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = deque()

    def submit(self, fn: Callable[..., T], *args: Any) -> Future[T]:
        future: Future[T] = Future()
        job = (future, fn, args)
        with self._lock:
            for index, free in enumerate(self._free):
                if free:
                    self._free[index] = False
                    self._inboxes[index].put(job)
                    return future
            if len(self._inboxes) < self._size:
                inbox: queue.SimpleQueue[tuple[Future[Any], Callable[..., Any], tuple[Any, ...]]] = queue.SimpleQueue()
                self._inboxes.append(inbox)
                self._free.append(False)
                inbox.put(job)
                name = f"{self._name}_{len(self._inboxes) - 1}"
                threading.Thread(target=self._work, args=(len(self._inboxes) - 1,), name=name, daemon=True).start()
                return future
            self._backlog.append(job)
        return future

    def _work(self, index: int) -> None:
        inbox = self._inboxes[index]
        job = inbox.get()
        while True:
            future, fn, args = job
            result: Any = None
            error: BaseException | None = None
            runs = future.set_running_or_notify_cancel()
            if runs:
                try:
                    result = fn(*args)
                except BaseException as raised:  # noqa: BLE001 - handed to whoever waits
                    error = raised
            with self._lock:
                following = self._backlog.popleft() if self._backlog else None
                if following is None:
                    self._free[index] = True
            if runs:
                if error is not None:
                    future.set_exception(error)
                else:
                    future.set_result(result)
            job = following if following is not None else inbox.get()


_threads_lock = threading.Lock()
_threads: _LintThreads | None = None
_thread_state = threading.local()  # on a lint thread: `warm` once its fuzzy index is built


def _lint_threads() -> _LintThreads:
    """The process's Harper threads. Harper keeps state for each thread that lints (its spelling
    automaton, heap arenas): with a lint on each request thread, 8 threads took 830 MB where one
    took 290. Every lint runs on one of LINTERS threads, whichever thread asked for it; as many
    lints run at once as each engine has linters, so a lint never waits for a linter."""
    global _threads
    if _threads is None:
        with _threads_lock:
            if _threads is None:
                _threads = _LintThreads(LINTERS, "socialcheck-harper")
    return _threads


def _warm_this_thread(dialect_name: str) -> None:
    """Build this lint thread's fuzzy index (and, first in the process, Harper's dictionary)."""
    if getattr(_thread_state, "warm", False):
        return
    import harper

    linter = harper.Linter(getattr(harper.Dialect, dialect_name))
    linter.set_lint_config({rule: rule == "SpellCheck" for rule in linter.get_lint_config()})
    linter.organized_lints(WARM_UP, language=MARKUP)
    _thread_state.warm = True


_warming_lock = threading.Lock()
_warming: Future[None] | None = None


def warm_a_lint_thread(dialect_name: str = "BRITISH") -> Future[None]:
    """Build a lint thread's fuzzy index (and, first in the process, Harper's dictionary), once
    a process. Only one: the pool starts its second thread when two lints overlap, and that
    thread builds its own index in its first lint with an unknown word (once; about 50 MB, which
    a server that is never that busy does not spend)."""
    global _warming
    with _warming_lock:
        if _warming is None:
            _warming = _lint_threads().submit(_warm_this_thread, dialect_name)
        return _warming


_prewarmed = False


def prewarm(dialect_name: str = "BRITISH") -> None:
    """Start building Harper's dictionary now, on a daemon thread, before the policy loads.

    Harper lets go of the GIL while it builds, so the policy loads meanwhile; the engine that
    builds later finds it done, whatever its pack (the dictionary serves every dialect). Only
    the dictionary: a lint thread's fuzzy index (another 1-2 s of a core) is started when the
    engine builds, once the server answers, since on a busy machine it slowed the start by half
    a second (first answer 1.2 s with it here, 0.7 s without)."""
    global _prewarmed
    if _prewarmed or os.environ.get("SOCIALCHECK_GRAMMAR", "").strip().lower() == "off":
        return
    _prewarmed = True
    try:
        import harper
    except ImportError:
        return
    dialect = getattr(harper.Dialect, dialect_name)
    threading.Thread(target=harper.Linter, args=(dialect,), name="socialcheck-harper-dictionary", daemon=True).start()


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
        self._ready = False  # the linters are built (each slot holds one; the first is not kept apart)
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
        # The next replacement linter (see RECYCLE_AFTER), with the words' generation it imported.
        self._spare_lock = threading.Lock()
        self._spare: tuple[int, object] | None = None
        self._making_spare = False
        self._words_generation = 0

    # --- life cycle ------------------------------------------------------------------

    def start(self, *, background: bool) -> None:
        """Build the linter now, or in a daemon thread while requests are answered without it."""
        if self._ready:
            return
        if background:
            with self._build_lock:
                if self._building_in_background or self._ready:
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

    def _take_spare(self) -> object | None:
        with self._spare_lock:
            if self._spare is not None and self._spare[0] == self._words_generation:
                linter, self._spare = self._spare[1], None
                return linter
            return None

    def _want_spare(self) -> None:
        """Make the next replacement linter in the background (one at a time, one kept)."""
        with self._spare_lock:
            if self._making_spare or (self._spare is not None and self._spare[0] == self._words_generation):
                return
            self._making_spare = True
        threading.Thread(target=self._make_spare, name="socialcheck-harper-spare", daemon=True).start()

    def _make_spare(self) -> None:
        try:
            release_freed_memory()
            while True:
                generation = self._words_generation  # read before the words the linter imports
                linter = self._new_linter()  # no lint here: this thread must not build a fuzzy index
                with self._spare_lock:
                    if generation == self._words_generation:
                        self._spare = (generation, linter)
                        return
        except Exception:  # noqa: BLE001 - no spare: the lint that needs one makes it
            return
        finally:
            with self._spare_lock:
                self._making_spare = False

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
            if self._ready:
                return
            try:
                import harper

                dialect = getattr(harper.Dialect, self.config.harper_dialect or "BRITISH")
                if self._building_in_background:
                    # A server's first check with a word Harper cannot match within two edits
                    # should find a lint thread's fuzzy index built: started now.
                    warming = warm_a_lint_thread(dialect.name)
                    self._lacks.update(remembered_probes(dialect.name, self.config.words))
                    if self._extra_words or any(word not in self._lacks for word in self.config.words):
                        # The probe below builds an index too: on that thread, once it is warm.
                        warming.result()
                self._probe = harper.Linter(dialect)
                self._organisation_words = self._lacked(self.config.words, remember=dialect.name)
                self._added = self._organisation_words + self._lacked(self._extra_words)
                linters = [self._new_linter() for _ in range(LINTERS)]
            except Exception as error:  # noqa: BLE001 - any failure means "unavailable", never a crash
                self.status.set("unavailable", f"Harper could not start: {type(error).__name__}: {error}")
                return
            finally:
                self._building_in_background = False
            release_freed_memory()
            for each in linters:
                self._idle.put(_Slot(each))
            self._ready = True
            dialect_name = dialect.name.title()
            self.status.set("ready", f"{dialect_name} English, {len(self._organisation_words)} organisation words added")

    def set_extra_words(self, words: tuple[str, ...]) -> None:
        """Replace the words added beyond the pack's (a personal dictionary) in every linter."""
        with self._build_lock:
            self._extra_words = tuple(words)
            if not self._ready:
                return  # the build imports them
            # Probed before taking the linters: the probe runs on a lint thread, which a lint
            # waiting for a linter would otherwise hold.
            added = self._organisation_words + self._lacked(self._extra_words)
            slots = [self._idle.get() for _ in range(LINTERS)]  # waits for lints in progress
            try:
                self._added = added
                with self._spare_lock:
                    self._words_generation += 1  # a spare made with the old words is not used
                    self._spare = None
                for slot in slots:
                    slot.linter.clear_words()  # type: ignore[attr-defined]
                    if self._added:
                        slot.linter.import_words(self._added)  # type: ignore[attr-defined]
            finally:
                for slot in slots:
                    self._idle.put(slot)

    def _lacked(self, words: tuple[str, ...], *, remember: str = "") -> list[str]:
        """The words Harper's own dictionary lacks, probing only new ones (on a lint thread: the
        probe's suggestions build a fuzzy index, which is kept only there). `remember`: the
        dialect under which to keep the answers on disk (the pack's words; not the user's)."""
        if remember:
            self._lacks.update(remembered_probes(remember, words))
        new = tuple(w for w in dict.fromkeys(words) if w not in self._lacks)
        if new:
            flagged = set(_lint_threads().submit(_unknown_words, self._probe, new).result())
            if len(self._lacks) > 50_000:
                self._lacks.clear()
            answers = {w: w in flagged for w in new}
            self._lacks.update(answers)
            if remember:
                remember_probes(remember, answers)
        return [w for w in words if self._lacks.get(w, True)]

    def ensure_ready(self) -> bool:
        """Build on first use unless a background build is under way (then answer without Harper)."""
        if not self._ready and not self._building_in_background and self.status.state != "unavailable":
            self._build()
        return self._ready

    # --- checking --------------------------------------------------------------------

    def lint(self, paragraph: str) -> list[EngineMatch]:
        return self.lint_later(paragraph).result()

    def lint_later(self, paragraph: str) -> Future[list[EngineMatch]]:
        """The lint, started on a lint thread: its answer is the future's result."""
        assert self._ready, "call ensure_ready() first"
        return _lint_threads().submit(self._lint, paragraph)

    def _lint(self, paragraph: str) -> list[EngineMatch]:
        # Harper's spelling suggestions grow with the square of a word's length: a word of
        # 100,000 letters asks for 30 GB and aborts the process. No real word is that long.
        paragraph = LONG_WORD.sub(lambda m: " " * len(m.group()), paragraph)
        slot = self._idle.get()
        replaced = False
        try:
            organised = slot.linter.organized_lints(paragraph, language=MARKUP)  # type: ignore[attr-defined]
            slot.uses += 1
            if slot.uses >= RECYCLE_AFTER:
                spare = self._take_spare()
                if spare is None and slot.uses >= RECYCLE_AT_THE_LATEST:
                    spare = self._new_linter()
                if spare is not None:
                    slot.linter, slot.uses, replaced = spare, 0, True
                else:
                    self._want_spare()
        finally:
            self._idle.put(slot)
        if replaced:
            self._want_spare()  # which first gives back the pages the old linter held
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


# --- what the probe found, kept on disk ------------------------------------------------------
#
# Which of the pack's words Harper lacks is the same for every process with the same Harper and
# the same words, but finding out costs a spelling suggestion a word, and the fuzzy index they
# need (1-2 s) before the first check. So the answers are kept in the user's cache folder
# (SOCIALCHECK_CACHE_DIR, else the platform's usual one), in a file for the dialect and Harper's
# own binary (its size and time: a new harper-py asks again). Only
# the pack's words, which the organisation publishes; never the user's. Unreadable or unwritable,
# it is left alone: the probe runs as before.

MAX_REMEMBERED = 50_000


def _cache_folder() -> Path:
    override = os.environ.get("SOCIALCHECK_CACHE_DIR")
    if override:
        return Path(override)
    if sys.platform == "win32":
        return Path(os.environ.get("LOCALAPPDATA") or Path.home() / "AppData" / "Local") / "socialcheck" / "Cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "socialcheck"
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "socialcheck"


def _harper_fingerprint() -> str:
    import harper._harper as binary

    info = os.stat(binary.__file__)
    return f"{info.st_size}-{info.st_mtime_ns}"


_remembered_lock = threading.Lock()
_remembered: dict[str, dict[str, bool]] = {}  # dialect -> word -> lacked


def _probe_file(dialect_name: str) -> Path:
    # Named by Harper's binary too: two installations side by side (two venvs) keep a file each.
    return _cache_folder() / f"harper-probes-{dialect_name.lower()}-{_harper_fingerprint()}.json"


def remembered_probes(dialect_name: str, words: tuple[str, ...]) -> dict[str, bool]:
    """What earlier probes under this dialect found about these words (those it knows)."""
    with _remembered_lock:
        known = _remembered.get(dialect_name)
        if known is None:
            known = _remembered[dialect_name] = _read_probes(dialect_name)
        return {word: known[word] for word in words if word in known}


def _read_probes(dialect_name: str) -> dict[str, bool]:
    try:
        kept = json.loads(_probe_file(dialect_name).read_text(encoding="utf-8"))
        if not isinstance(kept.get("lacks"), dict):
            return {}
        return {str(word): bool(lacked) for word, lacked in kept["lacks"].items()}
    except (OSError, ValueError, AttributeError, ImportError):
        return {}


def remember_probes(dialect_name: str, answers: dict[str, bool]) -> None:
    """Keep these answers (with those kept before, up to MAX_REMEMBERED) for later processes."""
    with _remembered_lock:
        known = _remembered.setdefault(dialect_name, {})
        if len(known) + len(answers) > MAX_REMEMBERED:
            known.clear()
        known.update(answers)
        contents = json.dumps({"lacks": known}, ensure_ascii=False)
    try:
        target = _probe_file(dialect_name)
        target.parent.mkdir(parents=True, exist_ok=True)
        scratch = target.with_name(f"{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        scratch.write_text(contents, encoding="utf-8")
        os.replace(scratch, target)  # whole or not at all, whoever reads it meanwhile
    except (OSError, AttributeError, ImportError):
        pass


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
