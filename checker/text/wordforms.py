"""Word forms of a listed term, made when a policy loads: "chairman" also matches "chairmen".

A list names each term once, in its base form; its plurals, -s, -ed and -ing
forms (and comparatives) come from lemminflect's English lexicon, never from
hand-written suffix rules. A form is made only where every suggestion takes
the same form, so the suggestion keeps the writer's form: "chairmen" ->
"chairs", "blacklisting" -> "blocklisting", "turned a blind eye" -> "ignored".
A one-word term with no suggestion gets its plural only: a verb form of a
noun is rarely the same insult ("a creep", but "crept"). Possessives need no forms:
the matcher reads "chairman's" as "chairman" and leaves the "'s" in place.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from functools import lru_cache

# Penn tags of the forms made, with the words they inflect in a phrase:
# nouns and adjectives are inflected at the end ("maiden names"), verbs at the start ("turned a blind eye").
NOUN_FORMS = ("NNS",)
VERB_FORMS = ("VBD", "VBN", "VBG", "VBZ")
ADJECTIVE_FORMS = ("JJR", "JJS")
ARTICLES = frozenset({"the", "a", "an"})
INFLECTED_ENDINGS = ("s", "ed", "ing")
# In a suggestion such as "person with an addiction" the head noun comes before these words.
AFTER_HEAD = frozenset({"with", "of", "who", "whose", "in", "for", "from", "to", "and", "or", "at", "on"})


def word_forms(term: str, suggestions: Sequence[str]) -> Iterator[tuple[str, tuple[str, ...]]]:
    """Each inflected form of `term` with the same form of every suggestion, as (form, suggestions); the term itself is not among them."""
    words = term.split(" ")
    if not all(_plain(word) for word in words):
        return  # prefixes ("fuck*"), names with capitals, text-speak with digits: listed as written
    if not suggestions and len(words) > 1:
        return  # without a suggestion to agree with, "do not share" would become "do not shares"
    seen = {term.lower()}
    phrase = len(words) > 1
    for tag in (*NOUN_FORMS, *ADJECTIVE_FORMS, *VERB_FORMS):
        if not suggestions and tag not in NOUN_FORMS:
            continue
        if phrase and tag in ADJECTIVE_FORMS:
            continue  # "deaf and dumber" is no one's phrase
        if phrase and tag in NOUN_FORMS and words[0].lower() in ARTICLES:
            continue  # "the blind" means people; "the blinds" are at the window
        at = 0 if tag in VERB_FORMS else len(words) - 1
        for form in _inflections(words[at].lower(), tag):
            inflected = " ".join([*words[:at], _like(form, words[at]), *words[at + 1 :]])
            if inflected.lower() in seen:
                continue
            # A word the lexicon lacks takes the regular form only beside a one-word term ("blacklisting" -> "blocklisting").
            new_suggestions = tuple(_inflect_phrase(s, tag, allow_oov=not phrase) for s in suggestions)
            if any(s is None for s in new_suggestions):
                continue
            seen.add(inflected.lower())
            yield inflected, tuple(s for s in new_suggestions if s is not None)


def _plain(word: str) -> bool:
    return word.isalpha() and word.islower() or (word.isalpha() and word[:1].isupper() and word[1:].islower())


def _like(form: str, model: str) -> str:
    return form[:1].upper() + form[1:] if model[:1].isupper() else form


@lru_cache(maxsize=8192)
def _inflections(word: str, tag: str) -> tuple[str, ...]:
    """The word's forms for the tag from the lexicon, when the word is a base form it knows."""
    from lemminflect import getAllInflections

    forms = getAllInflections(word).get(tag, ())
    return tuple(form for form in forms if form != word and " " not in form and "-" not in form)


def _inflect_phrase(suggestion: str, tag: str, allow_oov: bool = True) -> str | None:
    """The suggestion in the form `tag`, or None when it has no such form ("disappointing" has no past tense)."""
    if not suggestion:
        return suggestion
    words = suggestion.split(" ")
    if tag in VERB_FORMS:
        at = 0
    else:
        at = next((i - 1 for i, word in enumerate(words) if i and word.lower() in AFTER_HEAD), len(words) - 1)
    form = _inflect_word(words[at], tag, allow_oov and len(words) == 1)
    if form is None:
        return None
    return " ".join([*words[:at], form, *words[at + 1 :]])


@lru_cache(maxsize=8192)
def _inflect_word(word: str, tag: str, allow_oov: bool) -> str | None:
    from lemminflect import getAllInflections, getInflection

    if not word.isalpha():
        return None
    lower = word.lower()
    known = getAllInflections(lower)
    if known:
        forms = known.get(tag, ())
    elif not allow_oov or lower.endswith(INFLECTED_ENDINGS):
        # Not a base form the lexicon knows: already inflected ("lessons", "was"), or a guess that could be wrong.
        # (Asking lemminflect's lemmatizer would say which, but it costs 33 MB for the life of the process.)
        return None
    else:
        # A word the lexicon lacks ("blocklist") takes the regular form; the term's own form says the tag fits.
        forms = getInflection(lower, tag, inflect_oov=True)
    if not forms:
        return None
    if tag == "NNS" and lower.endswith("person"):
        return word[: -len("person")] + "people"  # "spokespeople", not the lexicon's legal "spokespersons"
    return _like(forms[0], word) if word[:1].isupper() else forms[0]


def release_lexicon() -> None:
    """Let go of lemminflect's lexicon once a policy is compiled; it loads again if a new policy needs it.

    It is some 18 MB of small objects that every full garbage collection would walk for the
    life of a server, adding pauses to requests; the forms a policy needs are already made
    (and the word lookups stay memoised above).
    """
    try:
        from lemminflect.core.Inflections import Inflections
    except ImportError:  # pragma: no cover - lemminflect is a dependency
        return
    instance = type(Inflections)._instances.get(Inflections)  # the library's singleton, if it was made
    if instance is not None and hasattr(instance, "infl_dict"):
        del instance.infl_dict  # lemminflect reloads it lazily (Inflections._getInflDict)
