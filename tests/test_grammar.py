"""Grammar and spelling with the real Harper engine (British English)."""

from __future__ import annotations

import socket
import threading

import pytest

from checker.errors import InputError, PolicyError
from checker.findings import Finding
from checker.grammar import check_grammar, engine_states, merge, read_config, start_engines
try:
    from tests.grammar_support import QUALITY, make_policy
except ImportError:  # tests/ is not a package: pytest puts it on sys.path
    from grammar_support import QUALITY, make_policy

ENV_KEYS = ("SOCIALCHECK_GRAMMAR", "SOCIALCHECK_LT_URL", "SOCIALCHECK_LT_JAR_DIR", "LTP_JAR_DIR_PATH",
            "SOCIALCHECK_LT_START_TIMEOUT")


@pytest.fixture(autouse=True)
def harper_only(monkeypatch):
    """Every test here checks with Harper alone, whatever the developer's environment says."""
    for key in ENV_KEYS:
        monkeypatch.delenv(key, raising=False)
    monkeypatch.setenv("SOCIALCHECK_GRAMMAR", "harper")


@pytest.fixture(scope="module")
def policy():
    return make_policy()


def spans(text: str, findings: list[Finding]) -> list[tuple[str, str, str]]:
    return [(f.category, text[f.start:f.end], f.severity) for f in findings]


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity in ("error", "warning")]


# --- what Harper finds ------------------------------------------------------------------


def test_misspellings_are_found_with_spans_and_suggestions(policy):
    text = "Our students recieved their results yesterday and definately deserve a celebration."
    findings = check_grammar(text, policy)
    by_word = {text[f.start:f.end]: f for f in findings}
    assert set(by_word) == {"recieved", "definately"}
    assert by_word["recieved"].start == text.index("recieved")
    assert by_word["recieved"].suggestions[0] == "received"
    assert by_word["definately"].suggestions[0] == "definitely"
    for finding in findings:
        assert finding.category == "spelling"
        assert finding.severity == "warning"
        assert finding.rule == "spelling.harper.SpellCheck"
        assert finding.guideline == QUALITY
        assert "‘" in finding.message and "`" not in finding.message


def test_grammar_slips_are_found(policy):
    text = "He go to the the library every day. Its a lovely place to study."
    findings = check_grammar(text, policy)
    found = {(f.rule, text[f.start:f.end]): f for f in findings}
    assert found[("grammar.harper.RepeatedWords", "the the")].suggestions == ("the",)
    assert "goes" in found[("grammar.harper.PronounVerbAgreement", "go")].suggestions
    assert "It's" in found[("grammar.harper.ItsContraction", "Its")].suggestions
    assert all(f.category == "grammar" for f in found.values())
    # policy/grammar.toml: slips readers notice block; agreement advice misreads real posts, so it is info.
    assert found[("grammar.harper.RepeatedWords", "the the")].severity == "warning"
    assert found[("grammar.harper.ItsContraction", "Its")].severity == "warning"
    assert found[("grammar.harper.PronounVerbAgreement", "go")].severity == "info"


def test_american_spelling_is_flagged_and_british_spelling_is_not(policy):
    assert spans("We study behavior.", check_grammar("We study behavior.", policy)) == [
        ("spelling", "behavior", "warning")
    ]
    british = "We analysed the colour of the programme at the centre, and organised a travelling show."
    assert check_grammar(british, policy) == []


# Clean posts of the kind staff write, with names, hashtags, mentions, links and emoji.
CLEAN_POSTS = [
    "Congratulations to Dr Priya Patel, who has been elected a Fellow of the Royal Society! 🎉",
    "The David Wilson Library is open 24 hours a day during the exam period. #UniOfLeicester",
    "Our physicists helped to build the camera on the @ESA mission launching this week: https://le.ac.uk/news",
    "Join us at the Attenborough Arts Centre on Saturday for a free, relaxed performance for families.",
    "Thank you to everyone who ran the Leicester half marathon for the Brookfield appeal 🏃‍♀️🏃",
    "Applications for our PGCE in Primary Education close on 31 January. Find out more at le.ac.uk/pgce",
    "A new study from our School of Geography, Geology and the Environment maps flood risk across the Midlands.",
    "Welcome Week starts on Monday: meet your personal tutor in the Fielding Johnson Building. 👋",
    "Professor Sir Alec Jeffreys discovered DNA fingerprinting at Leicester in 1984. #OnThisDay",
    "Our Botanic Garden in Oadby is open every weekend, with guided walks at 11am and 2pm. 🌷",
]


@pytest.mark.parametrize("text", CLEAN_POSTS)
def test_clean_posts_have_no_grammar_or_spelling_warning(policy, text):
    assert blocking(check_grammar(text, policy)) == []


def test_offsets_after_emoji_are_python_string_indices(policy):
    text = "Snow day 👩‍🔬❄️ 𝐁𝐨𝐥𝐝 and 🇬🇧 — the lab recieved new kit."
    [finding] = check_grammar(text, policy)
    assert text[finding.start:finding.end] == "recieved"


def test_paragraphs_are_checked_each_with_offsets_into_the_post(policy):
    text = "First line is fine.\n\nSecond line has a mispelled word.\r\nThird line recieved one too."
    words = [text[f.start:f.end] for f in check_grammar(text, policy)]
    assert words == ["mispelled", "recieved"]


# --- social media awareness ------------------------------------------------------------------


def test_hashtags_mentions_links_emails_and_emoji_are_not_misspellings(policy):
    text = (
        "Thanks @UniofLeicester and @jo@mastodon.social 🎉 See https://le.ac.uk/news/xyzzy-qwrt, "
        "le.ac.uk/qwrtz or email pressofice@le.ac.uk. #freshersweek #sciencewk $LSE 💙💙"
    )
    assert check_grammar(text, policy) == []


def test_camel_case_hashtags_have_their_words_checked_as_advice(policy):
    text = "Well done, everyone! #ResearchExcelence"
    [finding] = check_grammar(text, policy)
    assert text[finding.start:finding.end] == "Excelence"
    assert finding.suggestions[0] == "Excellence"
    assert finding.severity == "info"  # every word of a CamelCase hashtag is capitalised
    assert "#ResearchExcelence" in finding.message


def test_organisation_words_are_known(policy):
    text = (
        "Join us at the Fielding Johnson Building, Percy Gee and the Attenborough Arts Centre in Oadby, "
        "Leicestershire, for MSc and PhD open days on Richard III and the Jurassic coast. Brookfield too."
    )
    assert check_grammar(text, policy) == []


def test_capitalised_unknown_names_are_at_most_info(policy):
    text = "Congratulations to Xanthe Quorrington and the UKRIQ panel on winning the award."
    findings = check_grammar(text, policy)
    assert findings, "Harper should at least mention names it does not know"
    assert {f.severity for f in findings} == {"info"}
    assert blocking(check_grammar("Ask Mia about it today.", policy)) == []


def test_lowercase_misspelling_at_sentence_start_stays_a_warning(policy):
    text = "Teh results are in."
    [finding] = check_grammar(text, policy)
    assert (text[finding.start:finding.end], finding.severity) == ("Teh", "warning")


def test_dictionary_file_of_another_pack_is_used(tmp_path):
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "dictionary.txt").write_text("# ours\nQuorrington\nzorblax\n", encoding="utf-8")
    text = "The zorblax prize goes to Quorrington."
    assert spans(text, check_grammar(text, make_policy())) == [
        ("spelling", "zorblax", "info"),  # a word no dictionary knows, near no common word: not a typo
        ("spelling", "Quorrington", "info"),
    ]
    assert check_grammar(text, make_policy(root=tmp_path)) == []


# --- configuration ----------------------------------------------------------------------------


def test_grammar_off_gives_no_findings(monkeypatch):
    monkeypatch.setenv("SOCIALCHECK_GRAMMAR", "off")
    assert check_grammar("Teh results recieved.", make_policy()) == []
    assert engine_states()["harper"]["state"] == "off"


def test_pack_setting_chooses_engines_and_environment_wins(monkeypatch):
    monkeypatch.delenv("SOCIALCHECK_GRAMMAR")
    assert check_grammar("Teh results.", make_policy({"engines": "off"})) == []
    monkeypatch.setenv("SOCIALCHECK_GRAMMAR", "harper")
    assert check_grammar("Teh results.", make_policy({"engines": "off"}))


def test_rules_the_pack_turns_off_are_not_run_and_disabled_rules_adds_more(policy):
    text = "We offer workshops, music, and storytelling."
    assert check_grammar(text, policy) == []  # grammar.toml: British house style, no Oxford comma rule
    assert check_grammar("We met the the team.", policy)[0].rule == "grammar.harper.RepeatedWords"
    assert check_grammar("We met the the team.", make_policy({"disabled_rules": ["harper.RepeatedWords"]})) == []


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ({"engines": "grammarly"}, "engines must be one of"),
        ({"enginez": "harper"}, "unknown setting"),
        ({"disabled_rules": ["NoSuchRule"]}, "must be 'harper.RuleName'"),
        ({"disabled_rules": ["harper.NoSuchRule"]}, "Harper has no rule"),
        ({"disabled_rules": "harper.OxfordComma"}, "disabled_rules must be list"),
        ({"severity": "warning"}, "unknown setting"),
        ({"languagetool_url": "ftp://example.org"}, "http(s) URL"),
        ({"start_timeout": 0}, "start_timeout"),
        ({"language": "fr"}, "needs LanguageTool"),
        ({"cache_paragraphs": True}, "cache_paragraphs must be int"),
    ],
)
def test_configuration_mistakes_name_file_rule_and_problem(monkeypatch, table, problem):
    monkeypatch.delenv("SOCIALCHECK_GRAMMAR")
    with pytest.raises(PolicyError) as caught:
        read_config(make_policy(table))
    assert caught.value.file.endswith("pack.toml")
    assert caught.value.rule == "grammar"
    assert problem in caught.value.problem


def test_environment_mistakes_name_the_variable(monkeypatch):
    monkeypatch.setenv("SOCIALCHECK_GRAMMAR", "sometimes")
    with pytest.raises(PolicyError, match="environment variable SOCIALCHECK_GRAMMAR"):
        check_grammar("Hello.", make_policy())


def test_dictionary_mistakes_are_policy_errors(tmp_path):
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "dictionary.txt").write_text("Oadby\n!!!\n", encoding="utf-8")
    with pytest.raises(PolicyError, match=r"line 2: '!!!' has no word"):
        check_grammar("Hello.", make_policy(root=tmp_path))


def test_bad_input_is_a_clear_error(policy):
    with pytest.raises(InputError, match="must be a string"):
        check_grammar(b"bytes", policy)  # type: ignore[arg-type]
    assert check_grammar("", policy) == []
    assert check_grammar(" \n\n ", policy) == []


# --- merge ---------------------------------------------------------------------------------------


def finding(rule, category, start, end, suggestions=(), severity="warning"):
    return Finding(rule, category, severity, start, end, "message", tuple(suggestions))


def test_merge_keeps_our_finding_where_an_engine_says_the_same():
    text = "We analyzed the behavior of bees."
    ours = finding("brand.spelling", "brand", 3, 11, ["analysed"])
    theirs = [
        finding("spelling.harper.SpellCheck", "spelling", 3, 11, ["analysed"]),
        finding("spelling.harper.SpellCheck", "spelling", 16, 24, ["behaviour"]),
    ]
    merged = merge([ours], theirs)
    assert [text[f.start:f.end] for f in merged] == ["analyzed", "behavior"]
    assert merged[0] is ours


def test_merge_drops_engine_matches_inside_a_word_level_policy_finding():
    # "Uni of Leicester": our brand rule; Harper's complaint about "Uni" adds nothing.
    ours = finding("brand.name", "brand", 4, 20)
    assert merge([ours], [finding("grammar.harper.X", "grammar", 4, 7)]) == [ours]


def test_merge_keeps_a_typo_inside_a_long_sentence_finding():
    ours = finding("clarity.long_sentence", "clarity", 0, 300, severity="info")
    typo = finding("spelling.harper.SpellCheck", "spelling", 40, 48, ["received"])
    assert merge([ours], [typo]) == [ours, typo]
    tone = finding("tone.hostile", "tone", 0, 120)
    assert merge([tone], [typo]) == [tone, typo]


# --- engines, threads, cache, privacy ----------------------------------------------------------


def test_engine_states_report_each_engine(policy):
    states = start_engines(policy, background=False)
    assert states["harper"]["state"] == "ready"
    assert "British" in states["harper"]["reason"]
    assert states["languagetool"]["state"] == "off"
    assert engine_states() == states


def test_background_start_reports_starting_then_ready():
    policy = make_policy({"cache_paragraphs": 7})  # a configuration of its own: a fresh engine
    states = start_engines(policy, background=True)
    assert states["harper"]["state"] in ("starting", "ready")
    for _ in range(200):
        if engine_states()["harper"]["state"] == "ready":
            break
        threading.Event().wait(0.05)
    assert engine_states()["harper"]["state"] == "ready"
    assert check_grammar("It recieved praise.", policy)


def test_many_threads_share_the_engine_safely(policy):
    texts = [f"Post {n}: the team recieved {n} awards and and more." for n in range(40)]
    results: dict[str, list[tuple[int, int, str]]] = {}
    errors: list[BaseException] = []

    def work(chunk: list[str]) -> None:
        try:
            for text in chunk:
                results[text] = [(f.start, f.end, f.rule) for f in check_grammar(text, policy)]
        except BaseException as error:  # noqa: BLE001 - collected and asserted below
            errors.append(error)

    threads = [threading.Thread(target=work, args=(texts[i::8],)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(results) == len(texts)
    for text in texts:  # the same answer as one thread alone gives
        alone = [(f.start, f.end, f.rule) for f in check_grammar(text, policy)]
        assert results[text] == alone
        assert {rule for _, _, rule in alone} == {"spelling.harper.SpellCheck", "grammar.harper.RepeatedWords"}


def test_recheck_after_an_edit_lints_only_the_changed_paragraph():
    from checker.grammar import _config_for, _engines_for

    policy = make_policy({"cache_paragraphs": 64})
    paragraphs = ["Line one is about research.", "Line two is about teaching.", "Line three is about sport."]
    check_grammar("\n".join(paragraphs), policy)
    cache = _engines_for(_config_for(policy))._caches["harper"]
    misses = cache.misses
    edited = paragraphs[:]
    edited[1] = "Line two is about teachng."
    findings = check_grammar("\n".join(edited), policy)
    assert cache.misses == misses + 1
    assert [f.suggestions[0] for f in findings] == ["teaching"]


def test_a_post_is_linted_in_one_call_and_an_edit_re_lints_only_its_sentence(monkeypatch):
    from checker.grammar import _config_for, _engines_for

    policy = make_policy({"cache_paragraphs": 64})
    engines = _engines_for(_config_for(policy))
    engines.harper.ensure_ready()
    linted: list[str] = []
    lint_later = engines.harper.lint_later
    monkeypatch.setattr(engines.harper, "lint_later", lambda text: linted.append(text) or lint_later(text))
    sentences = ["Our archive opens on Monday.", "It holds letters from 1850.", "Come and see the maps #LeicesterLife"]
    check_grammar(" ".join(sentences) + "\nA second line.", policy)
    assert len(linted) == 1  # every sentence and the hashtag's words, in one call
    edited = " ".join([sentences[0], "It holds leters from 1850.", sentences[2]]) + "\nA second line."
    findings = check_grammar(edited, policy)
    assert linted[1:] == ["It holds leters from 1850."]
    assert [edited[f.start : f.end] for f in findings] == ["leters"]


def test_a_sentence_is_judged_in_its_post_however_its_findings_were_remembered():
    # Each sentence's findings are memoised, but some depend on what stands beside it: a capital
    # first in a sentence is no name, and Harper saw a hashtag next to the sentence as a blank.
    # The same sentences in other posts, remembered first, must not change a post's findings.
    sentence = "A unknown group met."  # harper.AnA, judged by whether "A" may be a name
    texts = [sentence, f"Visit us \U0001F389 {sentence}", f"Visit #Tag {sentence}", f"Visit us. {sentence}",
             "Thanks to the the\nResearch team.", "Thanks to the the\n#Research team."]

    def judged(text, policy):
        return [(f.rule, f.severity, f.start, f.end) for f in check_grammar(text, policy)]

    alone = [judged(text, make_policy({"cache_paragraphs": 100 + index})) for index, text in enumerate(texts)]
    assert len({tuple(rule for rule, *_ in found) for found in alone[4:]}) == 2  # the neighbours matter
    assert len({tuple(severity for _, severity, *_ in found) for found in alone[:4]}) == 3
    shared = make_policy({"cache_paragraphs": 64})
    for _ in range(2):  # the second time round, every sentence is remembered
        for text, expected in list(zip(texts, alone))[::-1]:
            assert judged(text, shared) == expected, text


def test_sentence_parts_are_cut_only_where_a_new_sentence_surely_starts():
    from checker.grammar.cache import paragraphs

    text = "See e.g. the lab. Dr. Lee met Jane S. Smith. She said \"It works. Really.\" Then 3 came! Fine.\nNext line."
    parts = [(offset, part) for offset, part in paragraphs(text, 1)]
    assert [part for _, part in parts] == [
        "See e.g. the lab.", "Dr. Lee met Jane S. Smith.", 'She said "It works. Really." Then 3 came!', "Fine.", "Next line.",
    ]
    assert all(text[offset : offset + len(part)] == part for offset, part in parts)
    post = "Read more https://t.co/x1 Our lab opens 🎉 Come along #LeicesterLife Tickets at @union Desk"
    assert [part for _, part in paragraphs(post, 1)] == [
        "Read more https://t.co/x1", "Our lab opens 🎉", "Come along #LeicesterLife", "Tickets at @union Desk",
    ]
    post = "Eat chocolate! https://t.co/x1 #Deakin researchers agree. @unitartu Could you say more? Thanks @NRL Team"
    assert [part for _, part in paragraphs(post, 1)] == [
        "Eat chocolate! https://t.co/x1", "#Deakin researchers agree.", "@unitartu Could you say more?", "Thanks @NRL Team",
    ]


def test_a_draft_cut_again_after_an_edit_is_cut_as_a_new_one_would_be():
    from checker.grammar.cache import RecentSplits, paragraphs

    base = ('Our lab opens today. Dr. Lee will speak. Come along #LeicesterLife Tickets at @union Desk. '
            '"It works." Then 3 came! Fine.\n\nNext line. Last one 🎉 Bye.')
    parts = list(paragraphs(base, 1))
    for index, (offset, _) in enumerate(parts):  # what the re-cut relies on: from a part's start on,
        assert list(paragraphs(base, 1, offset)) == parts[index:]  # nothing before it matters
    edits = [base, base + " More", base.replace("today", "tday"), '"' + base, base.replace('"It works."', "It works.\""),
             base.replace("\n\n", " "), base.replace("speak.", "speak"), base[:-1], "x" + base, base.replace("Dr.", "Dr"),
             base.replace("Fine.", "“Fine."), base.replace("Desk.", "Desk. “")]
    splits = RecentSplits(1)
    for text in edits + edits[::-1]:
        assert splits.parts(text) == tuple(paragraphs(text, 1)), text


@pytest.mark.parametrize("line", ["Aaa " * 100_000, 'He said "Aaa. ' + "Bbb. " * 80_000,
                                  "#" + "a." * 200_000 + " x", "https://" + "a" * 400_000 + "! x"])
def test_cutting_a_line_into_sentences_is_linear(line):
    # No cut for 400,000 characters: a quadratic cutter (each word re-reading its part) takes
    # seconds here, a linear one some milliseconds. The bound only catches the square.
    import time

    from checker.grammar.cache import paragraphs

    start = time.process_time()
    parts = list(paragraphs(line, 1))
    assert time.process_time() - start < 1.0
    assert len(parts) == 1 and parts[0][1].strip() == line.strip()


def test_harper_sends_nothing_over_the_network(policy, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the grammar layer tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    assert check_grammar("A brand new post that nobody has checked befor.", policy)


def test_an_edit_in_one_long_paragraph_re_lints_only_its_part():
    from checker.grammar import _config_for, _engines_for

    policy = make_policy({"cache_paragraphs": 64})
    sentence = "Our researchers work with partners across the Midlands on projects about {} and health."
    topics = ["housing", "transport", "schools", "water", "energy", "food", "sport", "music", "parks", "air"]
    post = " ".join(sentence.format(topic) for topic in topics)  # one line of about 900 characters
    check_grammar(post, policy)
    cache = _engines_for(_config_for(policy))._caches["harper"]
    misses = cache.misses
    edited = post.replace("about sport", "about sporrt")
    findings = check_grammar(edited, policy)
    assert cache.misses == misses + 1
    assert [edited[f.start : f.end] for f in findings] == ["sporrt"]


# --- policy/grammar.toml and the word counts behind it ---------------------------------------


def test_word_count_table_is_wordsegments(tmp_path):
    """checker/wordfreq.npz is scripts/build_wordfreq.py's output for the installed wordsegment."""
    from importlib import resources

    import wordsegment

    from checker import wordfreq

    lines = resources.files(wordsegment).joinpath("unigrams.txt").read_text(encoding="utf-8").splitlines()
    for line in lines[:50] + lines[100_000:100_050] + lines[-50:]:
        word, count = line.split("\t")
        assert wordfreq.count(word) == pytest.approx(float(count), rel=1e-6), word
    assert wordfreq.count("kianne") == 0
    assert wordfreq.edits("recieve", "receive") == 1 and wordfreq.edits("Flinders", "flanders") == 1


def test_typos_block_and_names_and_specialist_words_do_not(policy):
    text = "Kianne from Flinders studies immunotherapy and telehealth; she recieved a prize in Britian."
    severities = {text[f.start:f.end]: f.severity for f in check_grammar(text, policy)}
    assert severities["recieved"] == "warning" and severities["Britian"] == "warning"
    for word in ("Kianne", "Flinders", "immunotherapy", "telehealth"):
        assert severities.get(word, "info") == "info", word


def test_a_rare_dictionary_word_beside_a_common_one_is_not_a_typo(policy):
    text = "Our lab serves grub and soya milk to every subunit; it recieved a prize."
    severities = {text[f.start:f.end]: f.severity for f in check_grammar(text, policy)}
    assert severities["recieved"] == "warning"
    for word in ("grub", "soya", "subunit"):  # grab, soda and submit are far commoner
        assert severities.get(word, "info") == "info", word


def test_links_mentions_and_hashtags_are_blanked_before_harper(policy):
    text = "Do you know a #FedUni alumni who has transformed lives? Tell @UniOfLeicesterX: https://t.co/8NkNNeNW4F"
    assert check_grammar(text, policy) == []  # no "a alumni" from the blanked hashtag, no spelling in the link


@pytest.mark.parametrize(
    ("toml", "problem"),
    [
        ("[decisions.x]\nrules = ['harper.SpellCheck']\nseverity = 'loud'\nexamples.pass = ['a']", "severity must be one of"),
        ("[decisions.x]\nrules = ['SpellCheck']\nseverity = 'info'\nexamples.flag = ['a']\nexamples.pass = ['a']", "must be 'harper.RuleName'"),
        ("[decisions.x]\nrules = ['harper.NoSuchRule']\nseverity = 'off'\nexamples.pass = ['a']", "Harper has no rule"),
        ("[decisions.x]\nrules = ['harper.Spaces']\nseverity = 'off'\nexamples.flag = ['a']\nexamples.pass = ['a']", "only examples.pass"),
        ("[decisions.x]\nrules = ['harper.Spaces']\nseverity = 'warning'\nexamples.pass = ['a']", "needs examples.flag"),
        ("[decisions.x]\nrules = ['harper.SpellCheck']\nseverity = 'warning'\ntypo = { commoner_by = 5 }\nexamples.flag = ['a']\nexamples.pass = ['a']", "typo must be a table"),
        ("[decisions.x]\nrules = ['harper.Spaces']\nseverity = 'off'\nexamples.pass = ['a']\n[decisions.y]\nrules = ['harper.Spaces']\nseverity = 'off'\nexamples.pass = ['a']", "already decided"),
        ("[decisions.x]\nrules = ['harper.SpellCheck']\nseverity = 'warning'\nnames = 'info'\ntypo = { commoner_by = 5, max_edits = 2, min_letters = 4, variant_count = 2000000, dictionary = 'yes' }\nexamples.flag = ['a']\nexamples.pass = ['a']", "typo.dictionary must be true or false"),
        ("[decisions.x]\nrules = ['harper.SpellCheck']\nseverity = 'warning'\nnames = 'info'\ntypo = { commoner_by = 5, max_edits = 2, min_letters = 4, variant_count = 2000000, variant_edits = 5 }\nexamples.flag = ['a']\nexamples.pass = ['a']", "typo.variant_edits must be 1, 2 or 3"),
        ("[defaults]\nseverity = 'warning'\ncolour = 'red'", "takes only severity"),
    ],
)
def test_grammar_toml_mistakes_name_the_file_and_decision(tmp_path, monkeypatch, toml, problem):
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "grammar.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        read_config(make_policy(root=tmp_path))
    assert caught.value.file.endswith("grammar.toml")
    assert caught.value.rule.startswith("grammar")
    assert problem in caught.value.problem


def test_plurals_compounds_and_abbreviations_harper_lacks_are_not_typos(policy):
    text = "New deans elected. Thanks for the great writeup! Our eggs-hibition ends soon, incl. the shop."
    assert blocking(check_grammar(text, policy)) == []
    slip = "Sorry, our website hasnt caught up."
    assert [f.severity for f in check_grammar(slip, policy) if slip[f.start:f.end] == "hasnt"] == ["warning"]


def test_a_capitalised_word_is_a_typo_only_when_two_letters_are_swapped(policy):
    assert [f.severity for f in check_grammar("Applications from across Britian.", policy)] == ["warning"]
    assert blocking(check_grammar("Toomas Asser and Margit Sutrop run for rector.", policy)) == []


def test_rules_a_pack_leaves_undecided_are_not_run_when_its_default_is_off(tmp_path):
    import harper

    from checker.grammar.harper_engine import HarperEngine

    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "grammar.toml").write_text(
        "[defaults]\nseverity = 'off'\n[decisions.spelling]\nrules = ['harper.SpellCheck']\nseverity = 'warning'\n"
        "examples.flag = ['We recieved it.']\nexamples.pass = ['We received it.']\n",
        encoding="utf-8",
    )
    settings = HarperEngine(read_config(make_policy(root=tmp_path)))._lint_config(harper.Linter(harper.Dialect.BRITISH))
    assert settings["SpellCheck"] is not False
    assert [rule for rule, on in settings.items() if on is not False] == ["SpellCheck"]  # nothing else costs anything
    text = "We recieved it, and the the team is is here."
    assert [f.rule for f in check_grammar(text, make_policy(root=tmp_path))] == ["spelling.harper.SpellCheck"]


def test_engines_of_old_configurations_are_let_go(tmp_path):
    """Each pack reload with new words is a new configuration; only the newest few keep engines."""
    import checker.grammar as grammar

    for n in range(grammar.MAX_CONFIGURATIONS + 3):
        pack = tmp_path / f"pack{n}"
        (pack / "policy").mkdir(parents=True)
        (pack / "policy" / "dictionary.txt").write_text(f"zorblax{n}\n", encoding="utf-8")
        check_grammar("", make_policy(root=pack))
    assert len(grammar._engines) <= grammar.MAX_CONFIGURATIONS
