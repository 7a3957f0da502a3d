"""The server's guards, each shown refusing what it should and letting the extension through."""

from __future__ import annotations

import logging

import pytest

from server.security import HostAllowList, split_host

CLIENT = {"X-Socialcheck-Client": "pytest"}
CHROME_ORIGIN = "chrome-extension://" + "abcdefghijklmnop" * 2
FIREFOX_ORIGIN = "moz-extension://0f1e2d3c-4b5a-4697-8877-665544332211"
TOKEN = "pairing-token-for-tests-0123456789"


def error_code(response) -> str:
    assert response.mimetype == "application/json", response.data[:200]
    return response.get_json()["error"]["code"]


# --- Host allow-list: first, against DNS rebinding -----------------------------------


@pytest.mark.parametrize(
    "host",
    ["evil.example", "evil.example:8765", "127.0.0.1.nip.io", "localhost.evil.example", "[::2]", "", "localhost:abc", "::1"],
)
def test_a_host_that_is_not_this_server_is_refused(client, host):
    response = client.get("/v1/health", headers={"Host": host})
    assert response.status_code == 403
    assert error_code(response) == "host_not_allowed"


def test_a_rebinding_host_gets_no_cors_headers_even_from_the_extension(client):
    response = client.get("/v1/health", headers={"Host": "rebind.example:8765", "Origin": CHROME_ORIGIN})
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "LOCALHOST:8765", "[::1]:8765", "127.0.0.1:8765"])
def test_local_names_are_answered(client, host):
    assert client.get("/v1/health", headers={"Host": host}).status_code == 200


@pytest.mark.parametrize(
    ("header", "parsed"),
    [("localhost", ("localhost", None)), ("[::1]:80", ("::1", 80)), ("a:1:2", None), ("[::1", None), ("[::1]x", None)],
)
def test_split_host(header, parsed):
    assert split_host(header) == parsed


def test_the_port_must_be_the_servers_when_known():
    guard = HostAllowList(lambda environ, start: [], hosts={"localhost"}, port=8765)
    assert guard.allowed("localhost:8765") and guard.allowed("localhost")
    assert not guard.allowed("localhost:9999")


# --- Origins: web pages refused, the extension served with CORS --------------------------


@pytest.mark.parametrize("origin", ["https://evil.example", "http://localhost:3000", "null", "chrome-extension://short"])
def test_a_web_page_origin_is_refused(client, origin):
    response = client.post("/v1/check/text", json={"text": "Hello"}, headers={**CLIENT, "Origin": origin})
    assert response.status_code == 403
    assert error_code(response) == "origin_not_allowed"
    assert "Access-Control-Allow-Origin" not in response.headers


def test_a_web_page_preflight_is_refused(client):
    response = client.options(
        "/v1/check/text",
        headers={
            "Origin": "https://evil.example",
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-socialcheck-client",
        },
    )
    assert response.status_code == 403
    assert "Access-Control-Allow-Origin" not in response.headers


@pytest.mark.parametrize("origin", [CHROME_ORIGIN, FIREFOX_ORIGIN])
def test_the_extension_passes_the_preflight_and_gets_cors_headers(client, origin):
    preflight = client.options(
        "/v1/check/text",
        headers={
            "Origin": origin,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, x-socialcheck-client, authorization",
        },
    )
    assert preflight.status_code == 200
    assert preflight.headers["Access-Control-Allow-Origin"] == origin
    allowed = preflight.headers["Access-Control-Allow-Headers"].lower()
    assert {"content-type", "x-socialcheck-client", "authorization"} <= {h.strip() for h in allowed.split(",")}

    response = client.get("/v1/health", headers={"Origin": origin})
    assert response.status_code == 200
    assert response.headers["Access-Control-Allow-Origin"] == origin


class TestFixedExtensionId:
    @pytest.fixture
    def app_config(self):
        return {"TESTING": True, "SOCIALCHECK_GRAMMAR": False, "SOCIALCHECK_EXTENSION_IDS": ["abcdefghijklmnop" * 2]}

    def test_only_that_extension_is_served(self, client):
        assert client.get("/v1/health", headers={"Origin": CHROME_ORIGIN}).status_code == 200
        other = client.get("/v1/health", headers={"Origin": "chrome-extension://" + "p" * 32})
        assert other.status_code == 403
        assert client.get("/v1/health", headers={"Origin": FIREFOX_ORIGIN}).status_code == 403


# --- Requests a web page could send without a preflight ---------------------------------


@pytest.mark.parametrize(
    "body",
    [
        {"data": {"text": "HUGE NEWS"}, "content_type": "application/x-www-form-urlencoded"},
        {"data": '{"text": "HUGE NEWS"}', "content_type": "text/plain"},
        {"data": {"text": "HUGE NEWS"}, "content_type": "multipart/form-data"},
        {"json": {"text": "HUGE NEWS"}},
    ],
    ids=["form", "text-plain", "multipart", "json"],
)
def test_a_post_without_the_client_header_is_refused(client, body):
    response = client.post("/v1/check/text", **body)
    assert response.status_code == 403
    assert error_code(response) == "client_header_missing"


@pytest.mark.parametrize("content_type", ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data"])
def test_a_text_check_must_be_json_even_with_the_header(client, content_type):
    response = client.post("/v1/check/text", data='{"text": "hi"}', content_type=content_type, headers=CLIENT)
    assert response.status_code == 415
    assert error_code(response) == "unsupported_media_type"


def test_an_image_check_without_the_client_header_is_refused(client):
    response = client.post("/v1/check/image", data={"platform": "x"}, content_type="multipart/form-data")
    assert response.status_code == 403
    assert error_code(response) == "client_header_missing"


# --- Body size ---------------------------------------------------------------------------


class TestBodyLimits:
    @pytest.fixture
    def app_config(self):
        return {"TESTING": True, "SOCIALCHECK_GRAMMAR": False, "SOCIALCHECK_TEXT_BODY_LIMIT": 10_000}

    def test_an_oversized_text_body_is_refused(self, client):
        response = client.post("/v1/check/text", json={"text": "a" * 20_000}, headers=CLIENT)
        assert response.status_code == 413
        assert error_code(response) == "too_large"

    def test_a_body_just_under_the_limit_is_checked(self, client):
        response = client.post("/v1/check/text", json={"text": "a " * 4_000}, headers=CLIENT)
        assert response.status_code == 200


# --- Pairing token ----------------------------------------------------------------------


class TestTokenRequired:
    @pytest.fixture
    def app_config(self):
        return {"TESTING": True, "SOCIALCHECK_GRAMMAR": False, "SOCIALCHECK_TOKEN": TOKEN, "SOCIALCHECK_REQUIRE_TOKEN": True}

    @pytest.mark.parametrize(
        ("authorization", "code"),
        [
            (None, "token_required"),
            ("Bearer wrong-token-wrong-token-wrong", "token_invalid"),
            (f"Basic {TOKEN}", "token_invalid"),
            ("Bearer ", "token_invalid"),
            (f"Bearer {TOKEN}x", "token_invalid"),
        ],
    )
    def test_a_missing_or_wrong_token_is_refused(self, client, authorization, code):
        headers = {**CLIENT, **({"Authorization": authorization} if authorization else {})}
        for response in (
            client.post("/v1/check/text", json={"text": "Hello"}, headers=headers),
            client.get("/v1/policy", headers=headers),
        ):
            assert response.status_code == 401
            assert error_code(response) == code
            assert response.headers["WWW-Authenticate"].startswith("Bearer")

    def test_the_right_token_is_served(self, client):
        headers = {**CLIENT, "Authorization": f"Bearer {TOKEN}"}
        assert client.post("/v1/check/text", json={"text": "Hello"}, headers=headers).status_code == 200
        health = client.get("/v1/health", headers=headers).get_json()
        assert health["token_required"] is True

    def test_the_extensions_preflight_needs_no_token(self, client):
        preflight = client.options(
            "/v1/check/text",
            headers={"Origin": CHROME_ORIGIN, "Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"},
        )
        assert preflight.status_code == 200
        assert preflight.headers["Access-Control-Allow-Origin"] == CHROME_ORIGIN


class TestTokenOptional:
    @pytest.fixture
    def app_config(self):
        return {"TESTING": True, "SOCIALCHECK_GRAMMAR": False, "SOCIALCHECK_TOKEN": TOKEN}

    def test_no_token_is_fine_on_loopback(self, client):
        assert client.post("/v1/check/text", json={"text": "Hello"}, headers=CLIENT).status_code == 200

    def test_a_wrong_token_is_refused_even_when_optional(self, client):
        headers = {**CLIENT, "Authorization": "Bearer not-the-token-not-the-token"}
        response = client.post("/v1/check/text", json={"text": "Hello"}, headers=headers)
        assert response.status_code == 401
        assert error_code(response) == "token_invalid"


# --- Nothing the user typed is logged -------------------------------------------------


def test_the_text_of_a_post_never_reaches_the_log(app, client, caplog):
    secret = "Confidential draft about Jo Bloggs 07700 900123"

    @app.post("/v1/explode")
    def explode():  # an endpoint that fails with the text in its message, as a bug might
        raise RuntimeError(secret)

    caplog.set_level(logging.DEBUG)
    assert client.post("/v1/check/text", json={"text": secret}, headers=CLIENT).status_code == 200
    assert client.post("/v1/check/text", json={"text": secret, "platform": "nowhere"}, headers=CLIENT).status_code == 400
    assert client.post("/v1/check/text", data=secret, content_type="application/json", headers=CLIENT).status_code == 400
    failed = client.post("/v1/explode", headers=CLIENT)
    assert failed.status_code == 500
    assert error_code(failed) == "internal_error"
    assert secret not in failed.get_data(as_text=True)
    assert any("RuntimeError" in record.getMessage() for record in caplog.records)
    logged = "\n".join(record.getMessage() for record in caplog.records) + caplog.text
    assert "Jo Bloggs" not in logged and "07700" not in logged
