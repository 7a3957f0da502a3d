"""The dictionary: GET lists the team's words (the policy pack's) and the user's own;
POST adds a word to the user's; DELETE /v1/dictionary/<word> removes one.

A change takes effect on the next check: Harper learns the word, our spelling rules pass it,
and the response cache answers nothing checked before the change.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request
from werkzeug.routing import BaseConverter

from checker.grammar.dictionary import organisation_words, valid_word
from server.engines import Engines
from server.errors import ApiError
from server.security import CLIENT_HEADER, body_limit, require_json

bp = Blueprint("dictionary", __name__)
BODY_LIMIT = 4096


class AnythingConverter(BaseConverter):
    """The rest of the path, whatever it holds (werkzeug's own `path` stops at a newline)."""

    regex = r"(?s:.+)"
    part_isolating = False


@bp.record_once
def _register_converter(state: Any) -> None:
    state.app.url_map.converters["anything"] = AnythingConverter


def _engines() -> Engines:
    engines: Engines = current_app.extensions["socialcheck"]
    return engines


def _answer(engines: Engines, personal: list[str]) -> Response:
    return jsonify({"personal": sorted(personal, key=str.casefold), "team": list(organisation_words(engines.policy))})


@bp.get("/dictionary")
def list_words() -> Response:
    engines = _engines()
    return _answer(engines, engines.dictionary.words())


@bp.post("/dictionary")
def add_word() -> Response:
    from server.blueprints.checks import _json_object

    engines = _engines()
    body_limit(BODY_LIMIT)
    require_json()
    payload = _json_object()
    word = payload.get("word")
    if not isinstance(word, str):
        raise ApiError(400, "missing_word", "The body must have 'word': the word to add, such as {\"word\": \"Hartley\"}.")
    try:
        words = engines.dictionary.add(word)
    except ValueError as error:
        raise ApiError(400, "invalid_word", f"That cannot go in the dictionary: {error}.") from None
    return _answer(engines, words)


@bp.delete("/dictionary/<anything:word>")
def remove_word(word: str) -> Response:
    # A DELETE is never sent by a web page without a CORS preflight, which only the
    # extension passes; the client header is asked for all the same, as on every POST.
    if CLIENT_HEADER not in request.headers:
        raise ApiError(403, "client_header_missing", f"Every change must carry the {CLIENT_HEADER} header (any value).")
    try:
        valid_word(word)
    except ValueError as error:
        raise ApiError(400, "invalid_word", f"That is not a dictionary word: {error}.") from None
    engines = _engines()
    return _answer(engines, engines.dictionary.remove(word))

