"""The engines one app serves with, hung on `app.extensions["socialcheck"]`.

The rules engine is ready as soon as the policy has loaded. The grammar
engines (Harper, LanguageTool) start in the background, so the server answers
at once: until they are ready, checks answer with the rules alone and
/v1/health says `starting`.
"""

from __future__ import annotations

import importlib
import logging
import threading
from dataclasses import dataclass, field
from types import ModuleType

from checker.policy import Policy
from server.cache import ResponseCache
from server.policy_source import PolicySource
from server.personal_dictionary import PersonalDictionary
from server.settings import ServerSettings

log = logging.getLogger(__name__)

GRAMMAR_ENGINES = ("harper", "languagetool")


def _import_grammar() -> tuple[ModuleType | None, str]:
    try:
        return importlib.import_module("checker.grammar"), ""
    except ImportError as error:
        return None, f"the grammar package could not be loaded ({error.__class__.__name__})"


# Long enough for every rule family to run, readability included.
WARM_UP_TEXT = (
    "Thrilled to share HUGE news!!! Researchers at the University of Leicester have been awarded funding "
    "to study antimicrobial resistance in hospitals across the East Midlands, leveraging synergies with "
    "NHS partners. Read more: https://le.ac.uk/news #researchexcellence #AMR @LeicesterNHS 🎉🎉🎉"
)


def _warm_up(policy: Policy) -> None:
    """Run one check per profile before serving.

    The rules load their shared resources (the sentiment lexicon, the pronouncing dictionary
    behind readability, word lists) on first use; done here, they load once, instead of in
    several request threads at once (which built a copy each: 530 MB instead of 120 MB), and
    the first real check is as quick as the rest.
    """
    from checker.text.engine import check_text

    for profile in policy.profiles:
        check_text(WARM_UP_TEXT, platform="x", profile=profile, policy=policy, grammar=False)


@dataclass(eq=False)
class Engines:
    settings: ServerSettings
    policy: Policy
    cache: ResponseCache
    dictionary: PersonalDictionary
    source: PolicySource | None = None
    grammar: ModuleType | None = None
    grammar_problem: str = ""
    # Bumped each time a new pack goes into force: part of the response cache's key.
    policy_generation: int = 0
    _swap: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @classmethod
    def start(cls, settings: ServerSettings) -> Engines:
        source = PolicySource(
            settings.policy_url or settings.policy,
            cache_dir=settings.policy_cache_dir,
            check_minutes=settings.policy_check_minutes,
        )
        policy = source.load_initial()
        # The visual identity too, so that a mistake in identity.toml stops the server now, not on an upload.
        from checker.image.identity import visual_identity

        visual_identity(policy)
        engines = cls(
            settings=settings,
            policy=policy,
            cache=ResponseCache(settings.cache_size, settings.cache_bytes),
            dictionary=PersonalDictionary(settings.dictionary),
            source=source,
        )
        _warm_up(policy)
        if settings.policy_follow:
            source.start(engines.replace_policy)
        if settings.grammar:
            engines.grammar, engines.grammar_problem = _import_grammar()
            start = getattr(engines.grammar, "start_engines", None)
            if start is not None:
                start(policy=policy, background=True)
            elif not engines.grammar_problem:
                engines.grammar, engines.grammar_problem = None, "the grammar package has no engines yet"
        return engines

    def replace_policy(self, policy: Policy) -> None:
        """Put a new, already validated pack into force (the policy source calls this)."""
        with self._swap:
            self.policy = policy
            self.policy_generation += 1
        # A changed [grammar] table or word list needs its own Harper: built off the request path.
        start = getattr(self.grammar, "start_engines", None) if self.settings.grammar else None
        if start is not None:
            try:
                start(policy=policy, background=True)
            except Exception:  # noqa: BLE001 - the rules are in force; grammar says why in its state
                log.exception("the grammar engines did not start for the new policy pack")

    def policy_in_force(self) -> tuple[Policy, int]:
        """The pack and its generation, read together (a swap may happen between two reads)."""
        with self._swap:
            return self.policy, self.policy_generation

    def stop(self) -> None:
        if self.source is not None:
            self.source.stop()

    def states(self) -> dict[str, dict[str, str]]:
        """Each engine's state (ready, starting, unavailable or off) and why."""
        states = {"rules": {"state": "ready", "reason": f"policy {self.policy.name!r} loaded"}}
        if not self.settings.grammar:
            off = {"state": "off", "reason": "grammar checking is switched off in the server's settings"}
            return states | dict.fromkeys(GRAMMAR_ENGINES, off)
        engine_states = getattr(self.grammar, "engine_states", None)
        if engine_states is None:
            missing = {"state": "unavailable", "reason": self.grammar_problem or "no grammar engines"}
            return states | dict.fromkeys(GRAMMAR_ENGINES, missing)
        for name, state in engine_states().items():
            states[name] = {"state": str(state.get("state", "unavailable")), "reason": str(state.get("reason", ""))}
        return states

    @staticmethod
    def status(states: dict[str, dict[str, str]]) -> str:
        return "starting" if any(s["state"] == "starting" for s in states.values()) else "ok"

    def readiness(self, states: dict[str, dict[str, str]]) -> tuple[str, ...]:
        """Which engines are ready, and the dictionary's version: part of the cache key, so answers
        improve once grammar is up and no answer outlives a word added to the dictionary."""
        from checker.grammar.dictionary import extra_words

        ready = tuple(name for name, state in states.items() if state["state"] == "ready")
        return (*ready, f"dictionary {extra_words.version}")
