"""A post read from its sentences' Documents has exactly the words, spans and emoji of one read whole."""

from __future__ import annotations

from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from checker.text.document import Document

# What sits at sentence boundaries and inside the spans a Document finds.
PIECES = st.sampled_from(
    [
        "Hello", "WOW", "it’s", "don't", "#DataScience", "#a", "@user", "@user@mastodon.social", "jane.smith@gmail.com",
        "https://le.ac.uk/x?y=1.", "www.le.ac.uk", "le.ac.uk/courses", "Dr.", "e.g.", "A.", "1️⃣", "#️⃣", "🎉", "👩\u200d🔬",
        "🇬🇧", "©", "\u200d", "\ufe0f", ". ", "! ", "? ", "… ", "\n\n", "\n- ", "\n1 ", "\n", " ", "  ", "\t", "'", "\"",
        "”", "’", ")", "(", ",", "é", "İ", "ß", "𝐁𝐨𝐥𝐝", "\ud83d", "_", "&", "#", "@", ".", "-", "ΟΔΟΣ", "Σ", "·", "K",
    ]
)
TEXTS = st.one_of(st.lists(PIECES, max_size=40).map("".join), st.text(max_size=200))


@given(TEXTS)
@settings(max_examples=1500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@example("HUGE NEWS! GREAT #News. Visit https://le.ac.uk/x. Email a@b.com 🎉🎉\n\n- NEXT @user")
def test_a_post_read_from_its_sentences_is_the_post_read_whole(text):
    whole, parts = Document(text), Document.of_post(text)
    assert parts.sentences == whole.sentences
    assume(not any(_crosses_a_sentence_end(span, whole.sentences) for span in whole.special))
    assert parts.special == whole.special
    assert parts.tokens == whole.tokens
    assert parts.emoji == whole.emoji


def _crosses_a_sentence_end(span, sentences) -> bool:
    return not any(start <= span.start and span.end <= end for start, end in sentences)


def test_a_link_ends_with_its_sentence_not_with_the_closing_quote_after_it():
    # Read whole, the link took the full stop and the quote after it ("...=1.”"); read from its
    # sentence (as the sentence rules always read it), it ends before the full stop, as X counts it.
    text = 'See “https://le.ac.uk/x?y=1.” Then more.'
    link = text.index("https")
    assert Document(text).special[0].end == text.index("”") + 1
    assert [(s.start, s.end, s.kind) for s in Document.of_post(text).special] == [(link, text.index(".”"), "url")]


@given(TEXTS)
@settings(max_examples=1500, deadline=None)
@example("Visit LE.AC.UK/x or ſtudy.ORG, HTTPS://x.y")
def test_every_text_with_a_link_has_what_the_link_search_looks_for_first(text):
    from checker.text.document import URL, URL_HINT

    if URL.search(text) is not None:
        assert URL_HINT.search(text) is not None


@given(TEXTS)
@settings(max_examples=1500, deadline=None)
@example("ΟΔΟΣ·Α and İstanbul, it’s DON’T")
def test_a_word_is_lowered_as_on_its_own(text):
    for token in Document(text).tokens:
        assert token.text == text[token.start : token.end]
        assert token.lower in (token.text.lower().replace("’", "'"), token.text.lower())


def test_a_text_without_a_domain_ending_finds_the_same_links_without_trying_a_domain_at_every_word():
    from checker.text import document

    for text in ("See https://t.co/AbC123, then www.le.ac.uk and le.ac.uk/news.", "https://t.co/x https://bit.ly/y", "news.bbc.co.uk! x.io, a.b.c"):
        with_domains = [m.span() for m in document.URL.finditer(text)]
        assert [(s.start, s.end) for s in Document(text).spans_of("url")] == with_domains
    text = "Read https://t.co/AbC123 and https://example.de/page now"
    assert document.DOMAIN_ENDING.search(text) is None
    assert [m.span() for m in document.URL_WITH_SCHEME.finditer(text)] == [m.span() for m in document.URL.finditer(text)]


def test_words_are_the_runs_the_character_at_a_time_pattern_finds():
    """WORD takes runs possessively; it finds what the pattern it replaced finds, on every kind of text."""
    import random
    import re

    from checker.text.document import WORD

    before = re.compile(r"[^\W_](?:[\w]|['’][^\W_])*")
    pieces = list("ab_1'’ .-éΣ😂٣#@") + ["don't", "O’Neill's", "__x", "x__y", "''a"]
    rng = random.Random(12)
    texts = ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 16))) for _ in range(20_000)]
    for text in texts:
        assert [m.span() for m in WORD.finditer(text)] == [m.span() for m in before.finditer(text)], text
