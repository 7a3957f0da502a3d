"""Schema-driven tests of the HTTP API: schemathesis reads the server's own OpenAPI document.

The real server (create_app under waitress, on a free loopback port) is started once for
the module; its GET /v1/openapi.json is the schema. Schemathesis generates requests for
every operation, valid ones and ones that break the schema, sends them over HTTP to
127.0.0.1:PORT, and runs its checks on each response: never a 5xx, the status code, content
type, headers and body as the document says, valid input answered and invalid input refused. Grammar is off so that examples are quick;
the grammar engine has its own tests.
"""

from __future__ import annotations

import http.client
import io
import json
from collections.abc import Iterator

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image
from schemathesis import GenerationMode, checks

from checker import load_policy
from checker.image.identity import visual_identity
from server import create_app

try:  # as a package (python -m pytest from the root) or with tests/ on the path
    from tests.live_server import waitress_server
except ImportError:
    from live_server import waitress_server

EXAMPLES = 60  # for each operation and mode: about 9 x 60 requests in all


@pytest.fixture(scope="module")
def live_port() -> Iterator[int]:
    with waitress_server({"SOCIALCHECK_GRAMMAR": False}) as port:
        yield port


def _headers(port: int) -> dict[str, str]:
    # X-Socialcheck-Client is a documented parameter: schemathesis sends it, or leaves it out
    # when it makes an invalid request, which the server must then refuse.
    return {"Host": f"127.0.0.1:{port}"}


@pytest.fixture(scope="module")
def api_schema(live_port) -> schemathesis.BaseSchema:
    """The OpenAPI document as the running server serves it (not the Python dict behind it)."""
    connection = http.client.HTTPConnection("127.0.0.1", live_port, timeout=10)
    try:
        connection.request("GET", "/v1/openapi.json", headers=_headers(live_port))
        response = connection.getresponse()
        assert response.status == 200
        document = json.loads(response.read())
    finally:
        connection.close()
    return schemathesis.openapi.from_dict(document)


# The operations, listed at collection time from the document the app builds. (schemathesis
# 4.32's own pytest fixture loader reads a pytest attribute that pytest 9 no longer has, so
# the cases are drawn with hypothesis directly from each operation's strategy.)
OPERATIONS = [
    (path, method.upper())
    for path, methods in create_app({"SOCIALCHECK_GRAMMAR": False}).test_client()
    .get("/v1/openapi.json", headers={"Host": "127.0.0.1"})
    .get_json()["paths"]
    .items()
    for method in methods
]


# Valid requests for every operation; invalid ones for those that take input (a GET with no
# parameters has no invalid request to make).
CASES = [
    pytest.param(path, method, mode, id=f"{method} {path} {mode.value}")
    for path, method in OPERATIONS
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
    if mode is GenerationMode.POSITIVE or method == "POST"
]
# What the server promises: never a 5xx, and every answer (status, content type, headers,
# body) as the document says; and the request schemas say exactly what the server accepts:
# valid requests are answered, invalid ones refused with a 4xx.
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_headers_conformance,
    checks.response_schema_conformance,
    checks.positive_data_acceptance,
]
# A multipart form carries every field as text, so a "wrong type" there (an integer bio) is
# the same bytes as a right one: invalid requests are judged on JSON bodies only.
JSON_CHECKS = [*CHECKS, checks.negative_data_rejection]


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (400, 400), (0, 40, 80)).save(buffer, "PNG")
    return buffer.getvalue()


PNG = _png()
POLICY = load_policy()
TEXT_PLATFORMS = sorted(POLICY.platforms)
IMAGE_PLATFORMS = sorted(visual_identity(POLICY).platforms)
PROFILES = sorted(POLICY.profiles)


def _made_valid(case: schemathesis.Case, path: str, draw: st.DrawFn) -> None:
    """A schema can say "binary", not "a decodable image": a valid case's image is a real PNG.
    Half the time its names are drawn from the policy too (the schema's enums allow them all)."""
    if not isinstance(case.body, dict):
        return
    if "image" in case.body:
        case.body["image"] = PNG
    if not draw(st.booleans()):
        return
    if "platform" in case.body:
        case.body["platform"] = draw(st.sampled_from(TEXT_PLATFORMS if path == "/v1/check/text" else IMAGE_PLATFORMS))
    if isinstance(case.body.get("profile"), str):
        case.body["profile"] = draw(st.sampled_from(PROFILES))


@pytest.mark.parametrize(("path", "method", "mode"), CASES)
def test_every_operation_answers_as_its_schema_says(live_port, api_schema, path, method, mode):
    operation = api_schema[path][method]
    base_url = f"http://127.0.0.1:{live_port}"
    statuses: set[int] = set()

    @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    @given(case=operation.as_strategy(mode), data=st.data())
    def answers_as_documented(case: schemathesis.Case, data: st.DataObject) -> None:
        if mode is GenerationMode.POSITIVE:
            _made_valid(case, path, data.draw)
        chosen = JSON_CHECKS if path == "/v1/check/text" else CHECKS
        response = case.call_and_validate(base_url=base_url, headers=_headers(live_port), checks=chosen, timeout=30)
        statuses.add(response.status_code)

    answers_as_documented()
    if mode is GenerationMode.POSITIVE:
        assert 200 in statuses, f"no valid request of {method} {path} was answered 200: {sorted(statuses)}"
    else:
        assert any(400 <= status < 500 for status in statuses), f"no invalid request was refused: {sorted(statuses)}"
