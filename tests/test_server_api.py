"""The /v1 API through Flask's test client: answers, errors, offsets, cache, and the OpenAPI document."""

from __future__ import annotations

import time

import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st
from openapi_spec_validator import validate as validate_openapi

import checker
from server.offsets import Utf16Offsets

CLIENT = {"X-Socialcheck-Client": "pytest"}


def utf16_index(text: str, index: int) -> int:
    return len(text[:index].encode("utf-16-le", "surrogatepass")) // 2


def utf16_slice(text: str, start: int, end: int) -> str:
    return text.encode("utf-16-le", "surrogatepass")[2 * start : 2 * end].decode("utf-16-le", "surrogatepass")


# --- the OpenAPI document, and real responses checked against it ------------------------


@pytest.fixture
def openapi(client):
    response = client.get("/v1/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def assert_matches_openapi(document, path: str, method: str, response) -> None:
    """Validate a real response against the schema the document gives for it."""
    operation = document["paths"][path][method]
    assert str(response.status_code) in operation["responses"], f"{response.status_code} is not documented for {method} {path}"
    schema = operation["responses"][str(response.status_code)]["content"]["application/json"]["schema"]
    # The document's components resolve the schema's $refs: validate with the document as root.
    jsonschema.Draft202012Validator({**document, **schema}).validate(response.get_json())


def test_the_openapi_document_is_valid_openapi(openapi):
    validate_openapi(openapi)
    assert openapi["openapi"].startswith("3.")
    assert {"/v1/health", "/v1/policy", "/v1/check/text", "/v1/openapi.json"} <= set(openapi["paths"])


def test_health_and_policy_match_the_document(client, openapi):
    assert_matches_openapi(openapi, "/v1/health", "get", client.get("/v1/health"))
    assert_matches_openapi(openapi, "/v1/policy", "get", client.get("/v1/policy"))


def test_a_document_that_disagrees_is_caught(client, openapi):
    # The validation above must be able to fail: a response missing a required field does.
    response = client.get("/v1/health")
    schema = openapi["paths"]["/v1/health"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    broken = {k: v for k, v in response.get_json().items() if k != "status"}
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.Draft202012Validator({**openapi, **schema}).validate(broken)


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"text": "HUGE NEWS!!! Leicester Uni is the best university in the world", "platform": "x"}, 200),
        ({"text": "", "platform": "generic"}, 200),
        ({"text": "Hello", "platform": "nowhere"}, 400),
        ({"text": "Hello", "profile": "nobody"}, 400),
        ({"platform": "x"}, 400),
    ],
)
def test_text_check_responses_match_the_document(client, openapi, body, status):
    response = client.post("/v1/check/text", json=body, headers=CLIENT)
    assert response.status_code == status
    assert_matches_openapi(openapi, "/v1/check/text", "post", response)


def test_security_refusals_match_the_document(client, openapi):
    for response in (
        client.post("/v1/check/text", json={"text": "hi"}),
        client.post("/v1/check/text", json={"text": "hi"}, headers={**CLIENT, "Origin": "https://evil.example"}),
        client.post("/v1/check/text", data="hi", content_type="text/plain", headers=CLIENT),
    ):
        assert_matches_openapi(openapi, "/v1/check/text", "post", response)


# --- health and policy ---------------------------------------------------------------------


def test_health_with_grammar_switched_off(client):
    health = client.get("/v1/health").get_json()
    assert health["status"] == "ok"
    assert health["engines"]["rules"]["state"] == "ready"
    assert health["engines"]["harper"]["state"] == "off"
    assert health["engines"]["languagetool"]["state"] == "off"
    assert health["version"] == checker.__version__
    assert health["token_required"] is False


def test_policy_lists_what_the_extension_offers(client):
    policy = client.get("/v1/policy").get_json()
    bundled = checker.load_policy()
    assert policy["name"] == bundled.name
    assert {p["id"] for p in policy["profiles"]} >= {"corporate", "department"}
    assert {p["id"] for p in policy["platforms"]} >= {"generic", "x", "mastodon", "bluesky"}
    assert policy["categories"]["text"][0] == "tone" and "sharpness" in policy["categories"]["image"]
    x = next(p for p in policy["platforms"] if p["id"] == "x")
    assert x["limit"] == 280
    assert all(g["title"] for g in policy["guidelines"])
    image_platforms = {p["id"]: p for p in policy["image"]["platforms"]}
    assert image_platforms["x"]["recommended"] == 400 and image_platforms["mastodon"]["shape"]
    assert policy["image"]["palette"]


# --- text checks ------------------------------------------------------------------------------


def test_a_text_check_answers_what_the_library_finds(client):
    text = "HUGE NEWS!!! Leicester Uni has been awarded a grant."
    response = client.post("/v1/check/text", json={"text": text, "platform": "x", "profile": "corporate"}, headers=CLIENT)
    assert response.status_code == 200
    body = response.get_json()
    expected = checker.check_text(text, platform="x", profile="corporate").to_dict()
    assert body["findings"] == expected["findings"]  # ASCII text: offsets agree
    assert body["ok"] is expected["ok"] is False
    assert body["counts"] == expected["counts"]
    assert body["stats"]["platform"] == "x"
    assert set(body["engines"]) >= {"rules", "harper", "languagetool"}


@pytest.mark.parametrize(
    "text",
    [
        "🎉 HUGE NEWS!!! from Leicester Uni 👩‍🔬",
        "😀😀 Our chairman says Leicester Uni is amazing 🎓 AMAZING!!!",
        "🎉🎉🎉🎉🎉🎉 Leicester Uni 🎉🎉🎉🎉🎉🎉 #greatnewsforall",
        "Leicester Uni 𝐟𝐚𝐧𝐜𝐲 𝐭𝐞𝐱𝐭 here 😀 and HUGE NEWS!!!",
    ],
)
def test_offsets_are_utf16_code_units_around_and_inside_emoji(client, text):
    body = client.post("/v1/check/text", json={"text": text, "platform": "x"}, headers=CLIENT).get_json()
    library = checker.check_text(text, platform="x").findings
    assert len(body["findings"]) == len(library) > 0
    for served, found in zip(body["findings"], library, strict=True):
        assert served["rule"] == found.rule
        assert (served["start"], served["end"]) == (utf16_index(text, found.start), utf16_index(text, found.end))
        # What JavaScript would underline is exactly what the library flagged.
        assert utf16_slice(text, served["start"], served["end"]) == text[found.start : found.end]


def test_emoji_shift_the_offsets(client):
    # At least one of these texts has a finding after an emoji and one with an emoji inside it,
    # so the test above cannot pass by accident with unconverted offsets.
    text = "🎉🎉🎉🎉🎉🎉 HUGE NEWS!!! from Leicester Uni"
    body = client.post("/v1/check/text", json={"text": text, "platform": "x"}, headers=CLIENT).get_json()
    library = checker.check_text(text, platform="x").findings
    assert any(s["start"] != f.start for s, f in zip(body["findings"], library, strict=True))
    assert any(any(ord(c) > 0xFFFF for c in text[f.start : f.end]) for f in library)


@given(st.text(max_size=40), st.data())
def test_utf16_offsets_match_javascript_lengths(text, data):
    index = data.draw(st.integers(0, len(text)))
    assert Utf16Offsets(text)(index) == utf16_index(text, index)


def test_a_repeated_check_comes_from_the_cache(client):
    body = {"text": "Thrilled to announce the new programme at Leicester Uni!!!", "platform": "linkedin"}
    first = client.post("/v1/check/text", json=body, headers=CLIENT)
    second = client.post("/v1/check/text", json=body, headers=CLIENT)
    other_platform = client.post("/v1/check/text", json={**body, "platform": "x"}, headers=CLIENT)
    assert first.headers["X-Socialcheck-Cache"] == "miss"
    assert second.headers["X-Socialcheck-Cache"] == "hit"
    assert other_platform.headers["X-Socialcheck-Cache"] == "miss"
    assert first.get_json() == second.get_json()
    cache = client.get("/v1/health").get_json()["cache"]
    assert cache["hits"] == 1 and cache["entries"] == 2


class TestSmallCache:
    @pytest.fixture
    def app_config(self):
        return {"TESTING": True, "SOCIALCHECK_GRAMMAR": False, "SOCIALCHECK_CACHE_SIZE": 3}

    def test_the_cache_is_bounded_and_keeps_no_text(self, app, client):
        for n in range(10):
            client.post("/v1/check/text", json={"text": f"Draft number {n}"}, headers=CLIENT)
        cache = app.extensions["socialcheck"].cache
        assert len(cache) == 3
        assert all(isinstance(key, bytes) and b"Draft" not in key for key in cache.keys())
        # The most recent drafts are kept, the oldest went first.
        latest = client.post("/v1/check/text", json={"text": "Draft number 9"}, headers=CLIENT)
        oldest = client.post("/v1/check/text", json={"text": "Draft number 0"}, headers=CLIENT)
        assert latest.headers["X-Socialcheck-Cache"] == "hit"
        assert oldest.headers["X-Socialcheck-Cache"] == "miss"


# --- errors: always JSON with a code ----------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "status", "code"),
    [
        ('{"text": "unterminated', 400, "bad_json"),
        ("", 400, "bad_json"),
        (b"\xff\xfe\x00garbage", 400, "bad_json"),
        ('["a list", "not an object"]', 400, "bad_json"),
        ("null", 400, "bad_json"),
        ("[" * 100_000, 400, "bad_json"),
        ('{"platform": "x"}', 400, "missing_text"),
        ('{"text": 42}', 400, "invalid_field"),
        ('{"text": null}', 400, "invalid_field"),
        ('{"text": "hi", "platform": 7}', 400, "invalid_field"),
        ('{"text": "hi", "profile": ["corporate"]}', 400, "invalid_field"),
        ('{"text": "hi", "platform": "myspace"}', 400, "unknown_platform"),
        ('{"text": "hi", "platform": ""}', 400, "unknown_platform"),
        ('{"text": "hi", "profile": "student-union"}', 400, "unknown_profile"),
    ],
)
def test_bad_requests_get_json_errors_with_codes(client, data, status, code):
    response = client.post("/v1/check/text", data=data, content_type="application/json", headers=CLIENT)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    error = response.get_json()["error"]
    assert error["code"] == code
    assert error["message"] and "<" not in error["message"]


def test_a_text_longer_than_the_library_takes_is_refused(client):
    response = client.post("/v1/check/text", json={"text": "a" * 100_001}, headers=CLIENT)
    assert response.status_code == 400
    error = response.get_json()["error"]
    assert error["code"] == "invalid_input" and "100,000" in error["message"]


def test_an_unknown_platform_names_the_valid_ones(client):
    response = client.post("/v1/check/text", json={"text": "hi", "platform": "myspace"}, headers=CLIENT)
    error = response.get_json()["error"]
    assert "x" in error["choices"] and "mastodon" in error["choices"]
    assert "myspace" in error["message"]


def test_a_lone_surrogate_and_control_characters_are_checked(client):
    response = client.post(
        "/v1/check/text", data='{"text": "ok \\ud800 then \\u0000\\u202e LOUD!!!"}', content_type="application/json", headers=CLIENT
    )
    assert response.status_code == 200
    assert response.get_json()["findings"]


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("get", "/v1/nothing-here", 404, "not_found"),
        ("get", "/", 404, "not_found"),
        ("get", "/v1/check/text", 405, "method_not_allowed"),
        ("delete", "/v1/health", 405, "method_not_allowed"),
    ],
)
def test_http_errors_are_json_never_html(client, method, path, status, code):
    response = getattr(client, method)(path, headers=CLIENT)
    assert response.status_code == status
    assert response.mimetype == "application/json"
    assert response.get_json()["error"]["code"] == code
    assert b"<html" not in response.data.lower()


# --- with the grammar engine, as `socialcheck serve` runs -------------------------------------


class TestWithGrammar:
    @pytest.fixture
    def app_config(self):
        return {"TESTING": True, "SOCIALCHECK_GRAMMAR": True}

    def test_health_says_starting_until_harper_is_ready_then_spelling_is_checked(self, client, openapi):
        deadline = time.monotonic() + 60
        while (health := client.get("/v1/health")).get_json()["status"] == "starting":
            assert "starting" in {s["state"] for s in health.get_json()["engines"].values()}
            assert time.monotonic() < deadline, "the grammar engine did not start within a minute"
            time.sleep(0.1)
        assert_matches_openapi(openapi, "/v1/health", "get", health)
        assert health.get_json()["engines"]["harper"]["state"] == "ready"

        text = "🎉🎉 We recieve many applications."
        response = client.post("/v1/check/text", json={"text": text, "platform": "x"}, headers=CLIENT)
        assert_matches_openapi(openapi, "/v1/check/text", "post", response)
        spelling = [f for f in response.get_json()["findings"] if f["category"] == "spelling"]
        assert spelling, response.get_json()["findings"]
        assert utf16_slice(text, spelling[0]["start"], spelling[0]["end"]) == "recieve"
        assert response.get_json()["engines"]["harper"]["state"] == "ready"


def test_the_profile_route_honours_no_grammar(client):
    # The app here runs with SOCIALCHECK_GRAMMAR False (--no-grammar): the bio gets the rules alone.
    response = client.post("/v1/check/profile", data={"bio": "We recieve many applications."}, headers=CLIENT, content_type="multipart/form-data")
    assert response.status_code == 200
    bio = response.get_json()["parts"]["bio"]
    assert "engines" not in bio["stats"]
    assert not [f for f in bio["findings"] if f["category"] in ("spelling", "grammar")]
