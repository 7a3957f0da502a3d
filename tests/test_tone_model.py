"""The shipped tone model: its file, what it predicts, how it explains itself, and its rules."""

from __future__ import annotations

import gc
import math
import re
import shutil
import tracemalloc
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from checker import PolicyError, check_text, load_policy
from checker.policy import DEFAULT_PACK
from checker.text.engine import compile_checker
from checker.text.tone_model import CHAR_NGRAMS, FORMAT, PHRASE_WORDS, TONES, ToneModel, ToneModelCheck, save_model, text_features, word_features, word_norms, words

MODEL_FILE = DEFAULT_PACK / "policy" / "tone_model.npz"


@pytest.fixture(scope="module")
def model() -> ToneModel:
    return ToneModel.load(MODEL_FILE)


def test_the_shipped_model_is_small_and_in_the_training_scripts_format(model):
    assert MODEL_FILE.stat().st_size < 4_000_000
    with np.load(MODEL_FILE, allow_pickle=False) as data:  # no pickles: data, not code
        assert set(data.files) == {"meta", "vocabulary", "weights", "bias"}
        assert data["weights"].dtype == np.float32
        assert data["weights"].shape == (len(data["vocabulary"]), len(TONES))
    assert model.meta["format"] == FORMAT
    assert tuple(model.meta["tones"]) == TONES
    assert tuple(model.meta["char_ngrams"]) == CHAR_NGRAMS
    for tone in TONES:  # the training report the script writes
        report = model.meta["report"][tone]
        assert 0.5 < report["val_auc"] <= 1
        assert set(report["thresholds"]) >= {"0.8", "0.9"}


def test_the_shipped_model_gives_the_scores_the_training_script_recorded(model):
    examples = model.meta["examples"]
    assert len(examples) >= 5
    for text, expected in examples.items():
        got = model.score(text).probabilities
        for tone in TONES:
            assert got[tone] == pytest.approx(expected[tone], abs=1e-3), (text, tone)


def test_known_predictions(model):
    assert model.score("You are a fucking idiot and everyone knows it").probabilities["offensive"] > 0.95
    assert model.score("Congratulations to all our graduates: a brilliant day on campus!").probabilities["offensive"] < 0.05
    assert model.score("Oh great, another Monday. Just what I needed.").probabilities["sarcastic"] > 0.9
    assert model.score("These illegals should be deported, every last one").probabilities["hostile"] > 0.9


def test_a_score_is_the_trained_sum_of_feature_weights(model):
    """Inference adds, word by word and from a cache, what training counts: the features of
    text_features, counted, over the square root of their total."""
    for text in ("What a load of rubbish, honestly", "Our new MSc opens in September", "fuuuuck this", "x"):
        counts = Counter(f for f in text_features(text) if model.row(f) is not None)
        total = sum(counts.values())
        logits = model.bias + sum((model.weights[model.row(f)].astype(np.float64) * n for f, n in counts.items()), np.zeros(len(TONES))) / math.sqrt(max(total, 1))
        got = model.score(text).probabilities
        for tone, logit in zip(TONES, logits, strict=True):
            assert got[tone] == pytest.approx(1 / (1 + math.exp(-logit)), abs=1e-9)


def test_the_loaded_model_holds_hashes_and_float32_weights_not_a_dict_of_its_features():
    """113,672 features held as a dict of strings took 17 MB of every server; as sorted hashes
    beside the float32 weights they take under 3 MB."""
    tracemalloc.start()
    try:
        loaded = ToneModel.load(MODEL_FILE)
        gc.collect()
        held, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert loaded.features > 100_000
    assert held < 4_000_000
    assert loaded.row("w idiot") is not None and loaded.row("w no-such-feature-anywhere") is None


def test_a_saved_model_loads_with_the_same_rows_and_scores(tmp_path):
    tiny = _tiny_model({"w what": 0.5, "w fun": 0.25, "p what fun": 2.0, "c  wh": -0.125})
    save_model(tmp_path / "tiny.npz", tiny.meta, ["c  wh", "p what fun", "w fun", "w what"], np.array([[0, 0, w, 0] for w in (-0.125, 2.0, 0.25, 0.5)]), np.zeros(4))
    loaded = ToneModel.load(tmp_path / "tiny.npz")
    for feature in ("w what", "w fun", "p what fun", "c  wh", "w other"):
        assert (loaded.row(feature) is None) == (tiny.row(feature) is None)
        if loaded.row(feature) is not None:
            assert loaded.weights[loaded.row(feature)].tolist() == tiny.weights[tiny.row(feature)].tolist()
    assert loaded.score("What fun!").probabilities == tiny.score("What fun!").probabilities
    assert tiny.score("What fun!").probabilities["sarcastic"] > 0.5


def test_words_looked_up_together_sum_as_each_word_alone(model):
    """A window's unseen words are summed in one table; each sum is the word's own, bit for bit."""
    norms = [w.norm for w in words("Congratulations to our brilliant graduates, fuuuck the haters, supercalifragilistic x")]
    together = ToneModel.load(MODEL_FILE)._word_vectors(norms)
    for norm, (vector, count) in zip(norms, together, strict=True):
        rows = [model.row(f) for f in word_features(norm) if model.row(f) is not None]
        alone = model.weights[rows].astype(np.float64).sum(axis=0) if rows else np.zeros(len(TONES))
        assert vector.tobytes() == alone.tobytes() and count == len(rows), norm


def test_a_vocabulary_that_lists_a_feature_twice_is_refused():
    meta = {"format": FORMAT, "tones": list(TONES), "char_ngrams": list(CHAR_NGRAMS)}
    with pytest.raises(ValueError, match="twice"):
        ToneModel(meta, ["w a", "w a"], np.zeros((2, len(TONES))), np.zeros(len(TONES)))


def test_words_skip_links_mentions_and_numbers_and_keep_offsets():
    text = "@user Read https://example.com/x now, 2024 FUUUN’s here"
    found = words(text)
    assert [w.norm for w in found] == ["read", "now", "fuun's", "here"]
    assert [text[w.start : w.end] for w in found] == ["Read", "now", "FUUUN’s", "here"]


def test_lowering_keeps_every_character_in_the_word_classes_it_was_in():
    """word_norms finds the words in the lowered text: that finds them where the text has them only
    if no character that lowers to one character moves in or out of a class the word pattern reads."""
    classes = [re.compile(r"[^\W\d_]"), re.compile(r"['’]"), re.compile(r"[\U0001f300-\U0001faff\u2600-\u27bf]")]
    for code in range(0x110000):
        if 0xD800 <= code <= 0xDFFF:
            continue
        char = chr(code)
        lower = char.lower().replace("’", "'")
        if len(lower) == 1:
            assert [bool(c.fullmatch(char)) for c in classes] == [bool(c.fullmatch(lower)) for c in classes], hex(code)


@pytest.mark.parametrize(
    "text",
    [
        "@user Read https://example.com/x now, 2024 FUUUN’s here",
        "xhttps://a.com b", "a'http://x.com c", "@bob's cat", "ab'@cd", "@a'b@c d", "don't@x's y", "AAa!!! fuuuck",
        "we’re @us’s www.x.y’z q", "❶❷@a❸", "Σίσυφος http://x", "İstanbul @a b", "x@y.com's", "a’’b", "ha'www.x 'ok", "@", "http://",
        "a" * 2500 + " @b c", "Wow 😂😂😂 @someone's soooo gooood’s www.uni.ac.uk/news’s end",
    ],
)
def test_word_norms_are_the_norms_of_words(text):
    """What scoring reads (no offsets) is what `words` finds, word for word, around links and mentions too."""
    assert word_norms(text) == [w.norm for w in words(text)]


def test_scores_make_their_words_offsets_when_asked(model):
    text = "Honestly @you are a pathetic clueless moron https://x.co/y"
    assert model.score(text).words == tuple(words(text))


def test_drivers_are_words_or_short_phrases_of_the_text_never_the_whole_post(model):
    text = "Thanks for coming. Honestly you are a pathetic clueless moron and nobody likes you."
    scores = model.score(text)
    drivers = scores.drivers("offensive", text=text)
    assert 1 <= len(drivers) <= 3
    assert all(len(text[d.start : d.end].split()) <= PHRASE_WORDS for d in drivers)
    assert any("moron" in text[d.start : d.end] for d in drivers)


def _tiny_model(weights: dict[str, float]) -> ToneModel:
    """A model that knows only `weights` (for the sarcastic tone): to pin how drivers are chosen, whatever the shipped weights."""
    vocabulary = sorted(weights)
    matrix = np.zeros((len(vocabulary), len(TONES)))
    for row, feature in enumerate(vocabulary):
        matrix[row, TONES.index("sarcastic")] = weights[feature]
    meta = {"format": FORMAT, "tones": list(TONES), "char_ngrams": list(CHAR_NGRAMS)}
    return ToneModel(meta, vocabulary, matrix, np.zeros(len(TONES)))


def test_a_pair_that_carries_the_tone_is_underlined_as_one_phrase_and_a_name_is_not_underlined():
    tiny = _tiny_model({"w what": 0.5, "w fun": 0.5, "p what fun": 2.0, "w friday": 3.0, "w ugh": 1.0, "w sure": 0.5, "p sure ugh": 2.0})
    text = "Ugh. What fun, another Friday. Sure. Ugh"
    drivers = tiny.score(text).drivers("sarcastic", text=text)
    underlined = [text[d.start : d.end] for d in drivers]
    assert "What fun" in underlined  # the pair pushes more than either word: one phrase
    assert "Friday" not in underlined  # a capitalised word inside a sentence names what the post is about
    assert "Sure. Ugh" not in underlined  # never joined across the end of a sentence
    # Without the text (so no way to tell names or sentences), the words are still joined by their pair.
    assert any(d.end - d.start == len("What fun") for d in tiny.score(text).drivers("sarcastic"))


def test_empty_and_odd_text_score_without_error(model):
    for text in ("", "   ", "🎓🎓🎓", "https://le.ac.uk", "@someone", "a" * 100_000, "\x00\ud800"):
        scores = model.score(text)
        assert all(0 < p < 1 for p in scores.probabilities.values())


def test_findings_underline_the_driving_words_and_name_the_tone():
    report = check_text("Shut your mouth, nobody asked a clueless clown like you", grammar=False)
    model_findings = [f for f in report.findings if f.rule == "offensive.model"]
    assert model_findings
    text = "Shut your mouth, nobody asked a clueless clown like you"
    assert all(len(text[f.start : f.end].split()) <= PHRASE_WORDS for f in model_findings)  # words or a short phrase, never the post
    assert all("offensive" in f.message for f in model_findings)
    # "clown" is on the insults list: that rule flags it, the model does not underline it twice.
    assert "clown" not in [text[f.start : f.end] for f in model_findings]
    assert any(f.rule == "offensive.insults" and f.blocking for f in report.findings)


def test_words_a_blocking_list_flags_are_left_to_it():
    text = "Shut your fucking mouth, nobody asked you"
    report = check_text(text, grammar=False)
    assert any(f.rule == "offensive.profanity" and text[f.start : f.end] == "fucking" for f in report.findings)
    assert "fucking" not in [text[f.start : f.end] for f in report.findings if f.rule == "offensive.model"]


def test_sarcasm_is_a_tone_finding():
    text = "Oh great, another Monday. Just what I needed."
    findings = [f for f in check_text(text, grammar=False).findings if f.rule == "tone.model"]
    assert findings and all(f.severity == "warning" and "sarcastic" in f.message for f in findings)


def test_an_offensive_paragraph_is_found_inside_a_long_post():
    """The model reads tweet-sized runs of sentences within a paragraph, so a long kind post does not dilute one bad paragraph."""
    kind = "Our open day is on Saturday, with tours of the labs, talks from lecturers and a chance to meet students. "
    text = kind * 20 + "\n\nLock her up, she is a crook and a criminal.\n\n" + kind * 10
    findings = [f for f in check_text(text, grammar=False).findings if f.rule == "offensive.model"]
    assert findings and all(text[f.start : f.end] in ("crook", "criminal", "Lock") for f in findings)


def test_ordinary_posts_are_not_flagged():
    for text in (
        "We are deeply saddened by the death of Professor Smith. Our thoughts are with her family.",
        "Our researchers are studying how hate speech spreads online.",
        "Join us for the Death Fair at the museum this Saturday.",
        "Results day! Good luck to everyone waiting for their grades.",
    ):
        report = check_text(text, grammar=False)
        assert not [f for f in report.findings if f.rule.endswith(".model") and f.blocking], text


def test_profiles_set_the_model_thresholds(model):
    policy = load_policy()
    thresholds = {}
    for profile in ("corporate", "department"):
        check = next(c for c in compile_checker(policy, profile).checks if c.rule.id == "offensive.model")
        assert isinstance(check, ToneModelCheck)
        thresholds[profile] = check.thresholds["offensive"]
    assert thresholds["department"] > thresholds["corporate"]
    texts = [
        "Shut your mouth, nobody wants to hear from a clueless wannabe",
        "She's a total skank and a gold digger",
        "Lock her up, she is a crook and a criminal",
        "This is the worst day ever, I'm miserable",
        "Antifa are domestic terrorists, lock them all up",
    ]
    for text in texts:
        probability = model.score(text).probabilities["offensive"]
        for profile, level in thresholds.items():
            blocking = [f for f in check_text(text, profile=profile, grammar=False).findings if f.rule == "offensive.model" and f.blocking]
            assert bool(blocking) == (probability >= level), (text, profile, probability)


def _replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize(
    ("old", "new", "problem"),
    [
        ("thresholds = { offensive = 0.75 }", "thresholds = { rude = 0.8 }", "'rude' is not a tone of the model"),
        ("thresholds = { offensive = 0.75 }", "thresholds = { offensive = 80 }", "must be a probability"),
        ("thresholds = { offensive = 0.75 }", 'thresholds = { offensive = 0.75 }\nmodel = "missing.npz"', "not found"),
        ('covered_by = ["offensive.profanity",', 'covered_by = ["offensive.nothing",', "'offensive.nothing', which is not a rule"),
        ('"offensive.insults", "offensive.slurs"]', '"offensive.insults", "offensive.slurs"]\ndecides_for = ["tone.model"]\nconfirm_at = { offensive = 0.5 }', "a tone-model rule"),
        ('"offensive.insults", "offensive.slurs"]', '"offensive.insults", "offensive.slurs"]\ndecides_for = ["offensive.insults"]', "'decides_for' needs 'confirm_at'"),
    ],
)
def test_a_bad_model_rule_fails_on_load(pack, old, new, problem):
    _replace(pack / "policy/rules/offensive.toml", old, new)
    with pytest.raises(PolicyError, match=problem):
        load_policy(pack)


def test_a_list_the_model_decides_for_blocks_only_where_the_model_reads_it_as_offensive(pack):
    rules = pack / "policy/rules/offensive.toml"
    _replace(rules, '[rules.insults]\nkind = "terms"\nseverity = "error"', '[rules.insults]\nkind = "terms"\nseverity = "info"')
    _replace(rules, '"offensive.insults", "offensive.slurs"]', '"offensive.slurs"]\ndecides_for = ["offensive.insults"]\nconfirm_at = { offensive = 0.5 }')
    policy = load_policy(pack)

    def blocking(text: str) -> list[str]:
        findings = check_text(text, policy=policy, grammar=False).findings
        return [text[f.start : f.end] for f in findings if f.blocking and f.category == "offensive"]

    assert "trash" in blocking("You are trash and everyone knows it")
    assert blocking("It's Global Recycling Day, so we're talking trash: where your rubbish goes.") == []
    assert blocking("The Year of the Pig is here! Let it be full of fun, learning and success!") == []


def test_a_model_file_that_is_not_a_model_fails_on_load(pack):
    (pack / "policy/tone_model.npz").write_bytes(b"not a model")
    with pytest.raises(PolicyError, match="cannot be read"):
        load_policy(pack)


def test_profile_options_must_name_a_rule_and_be_valid(pack):
    pack_toml = pack / "policy/pack.toml"
    _replace(pack_toml, 'options = { "offensive.model"', 'options = { "offensive.nothing"')
    with pytest.raises(PolicyError, match="sets options of a rule that does not exist"):
        load_policy(pack)
    shutil.copy(DEFAULT_PACK / "policy/pack.toml", pack_toml)
    _replace(pack_toml, "thresholds = { offensive = 0.9 }", "thresholds = { offensive = 2 }")
    with pytest.raises(PolicyError, match="must be a probability"):
        load_policy(pack)
