"""The personal dictionary over HTTP: a word added stops being flagged at once (Harper and our
spelling rules, with no cached answer surviving), is kept in its file across restarts, and
can be removed."""

from __future__ import annotations

from pathlib import Path

import pytest

from server import create_app

CLIENT = {"X-Socialcheck-Client": "pytest"}
DRAFT = "Hartley met Priya to analyze immunotherapy."


def flagged(client, text: str = DRAFT) -> list[str]:
    answer = client.post("/v1/check/text", json={"text": text, "platform": "x"}, headers=CLIENT).get_json()
    return sorted(text[f["start"] : f["end"]] for f in answer["findings"])


@pytest.fixture()
def app_with(tmp_path: Path):
    apps = []

    def make(path: Path | None = tmp_path / "dictionary.txt"):
        app = create_app({"SOCIALCHECK_GRAMMAR": True, "SOCIALCHECK_DICTIONARY": str(path) if path else None})
        from checker.grammar import start_engines

        start_engines(app.extensions["socialcheck"].policy, background=False)
        apps.append(app)
        return app.test_client()

    yield make
    create_app({"SOCIALCHECK_GRAMMAR": False})  # leaves the process's added words empty for other tests


def test_a_word_added_is_not_flagged_on_the_next_check_and_a_removed_one_is_again(app_with, tmp_path: Path) -> None:
    client = app_with()
    assert {"Hartley", "Priya", "immunotherapy", "analyze"} <= set(flagged(client))
    flagged(client)  # now answered from the response cache

    answer = client.post("/v1/dictionary", json={"word": "Hartley"}, headers=CLIENT).get_json()
    assert answer["personal"] == ["Hartley"]
    assert "Leicester" in answer["team"]
    client.post("/v1/dictionary", json={"word": "analyze"}, headers=CLIENT)
    now = flagged(client)
    assert "Hartley" not in now and "analyze" not in now  # Harper, and our own brand.ize_spelling
    assert "Priya" in now

    assert client.get("/v1/dictionary").get_json()["personal"] == ["analyze", "Hartley"]
    assert client.delete("/v1/dictionary/Hartley", headers=CLIENT).get_json()["personal"] == ["analyze"]
    assert "Hartley" in flagged(client)


def test_the_words_are_kept_in_the_file_across_a_restart(app_with, tmp_path: Path) -> None:
    client = app_with()
    client.post("/v1/dictionary", json={"word": "Priya"}, headers=CLIENT)
    assert "Priya\n" in (tmp_path / "dictionary.txt").read_text(encoding="utf-8")
    again = app_with()
    assert again.get("/v1/dictionary").get_json()["personal"] == ["Priya"]
    assert "Priya" not in flagged(again)


@pytest.mark.parametrize("body", [{"word": "two words"}, {"word": ""}, {"word": " Hartley"}, {"word": 7}, {}, {"word": "x" * 101}])
def test_what_is_not_one_word_is_refused_clearly(app_with, body) -> None:
    client = app_with(None)
    response = client.post("/v1/dictionary", json=body, headers=CLIENT)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] in ("invalid_word", "missing_word")
    assert client.get("/v1/dictionary").get_json()["personal"] == []


def test_removing_what_is_not_a_word_is_refused(app_with) -> None:
    client = app_with(None)
    assert client.delete("/v1/dictionary/two words", headers=CLIENT).status_code == 400
    assert client.delete("/v1/dictionary/Nobody", headers=CLIENT).get_json()["personal"] == []


def test_changes_need_the_client_header(app_with) -> None:
    client = app_with(None)
    assert client.post("/v1/dictionary", json={"word": "Hartley"}).status_code == 403
    assert client.delete("/v1/dictionary/Hartley").status_code == 403


def test_a_damaged_file_does_not_stop_the_server(app_with, tmp_path: Path) -> None:
    path = tmp_path / "dictionary.txt"
    path.write_bytes(b"\xff\xfe not utf-8")
    client = app_with(path)
    assert client.get("/v1/dictionary").get_json()["personal"] == []
    client.post("/v1/dictionary", json={"word": "Hartley"}, headers=CLIENT)
    assert client.get("/v1/dictionary").get_json()["personal"] == ["Hartley"]
