"""POST routes that check something: text (JSON), an image and a whole profile (multipart).

Offsets in every text finding are UTF-16 code units, as JavaScript counts them.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from typing import Any

from flask import Blueprint, Response, current_app, jsonify, request

import checker
from server.cache import cache_key
from server.engines import Engines
from server.errors import ApiError
from server.offsets import findings_to_utf16
from server.security import CACHE_HEADER, body_limit, require_json, require_multipart

bp = Blueprint("checks", __name__)


def _engines() -> Engines:
    engines: Engines = current_app.extensions["socialcheck"]
    return engines


def _json_object() -> dict[str, Any]:
    try:
        payload = json.loads(request.get_data(cache=False))
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        # json's message names the line and column only, never the content.
        detail = f": {error}" if isinstance(error, json.JSONDecodeError) else ""
        raise ApiError(400, "bad_json", f"The body is not valid JSON{detail}.") from None
    if not isinstance(payload, dict):
        raise ApiError(400, "bad_json", "The body must be a JSON object such as {\"text\": \"...\", \"platform\": \"x\"}.")
    return payload


def _optional_string(fields: Mapping[str, Any], name: str, default: str | None) -> str | None:
    value = fields.get(name)
    if value is None:
        return default
    if not isinstance(value, str):
        raise ApiError(400, "invalid_field", f"'{name}' must be a string.")
    return value


@bp.post("/check/text")
def check_text() -> Response:
    engines = _engines()
    body_limit(engines.settings.text_body_limit)
    require_json()
    payload = _json_object()
    if "text" not in payload:
        raise ApiError(400, "missing_text", "The body must have 'text': the draft to check.")
    text = payload["text"]
    if not isinstance(text, str):
        raise ApiError(400, "invalid_field", "'text' must be a string.")
    platform = _optional_string(payload, "platform", "generic")
    profile = _optional_string(payload, "profile", None) or None  # "" means the policy's default

    states = engines.states()
    # The pack may be replaced while serving (server.policy_source): answers are cached per pack.
    policy, generation = engines.policy_in_force()
    key = cache_key(text, platform, profile, engines.readiness(states), generation)
    answer = engines.cache.get(key)
    hit = answer is not None
    if answer is None:
        report = checker.check_text(
            text, platform=platform, profile=profile, policy=policy, grammar=engines.settings.grammar
        )
        answer = report.to_dict()
        answer["findings"] = findings_to_utf16(text, answer["findings"])
        engines.cache.put(key, answer)
    response = jsonify({**answer, "engines": states})
    response.headers[CACHE_HEADER] = "hit" if hit else "miss"
    return response


# --- images and profiles (multipart) -------------------------------------------------------


def _form_string(name: str, default: str | None) -> str | None:
    value = request.form.get(name)
    return default if value is None or value == "" else value


def _guard_image(data: bytes, max_pixels: int) -> None:
    """Refuse what is not an image we read, and images too large, from the header alone."""
    from PIL import Image, UnidentifiedImageError

    from checker.image.identity import KNOWN_FORMATS

    try:
        with Image.open(io.BytesIO(data), formats=list(KNOWN_FORMATS)) as image:
            width, height = image.size
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        width = height = max_pixels  # past Pillow's own guard: far too large
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ApiError(
            415, "unsupported_image", f"This is not an image the checker reads ({', '.join(KNOWN_FORMATS)}), or its header is damaged."
        ) from None
    if width * height > max_pixels:
        raise ApiError(
            413,
            "image_too_large",
            f"The image has more pixels than this server opens ({max_pixels:,} at most); profile images need "
            "only a few hundred pixels a side.",
        )


def _uploaded_image(*, required: bool) -> bytes | None:
    upload = request.files.get("image")
    if upload is None:
        if required:
            raise ApiError(400, "missing_image", "Send the image as a file in the multipart field 'image'.")
        return None
    data = upload.read()
    if not data:
        raise ApiError(400, "missing_image", "The uploaded image is empty (0 bytes).")
    _guard_image(data, _engines().settings.max_image_pixels)
    return data


def _multipart() -> Engines:
    engines = _engines()
    body_limit(engines.settings.image_body_limit)
    require_multipart()
    return engines


@bp.post("/check/image")
def check_image() -> Response:
    engines = _multipart()
    data = _uploaded_image(required=True)
    report = checker.check_image(
        data, platform=_form_string("platform", "x"), profile=_form_string("profile", None), policy=engines.policy
    )
    return jsonify(report.to_dict())


@bp.post("/check/profile")
def check_profile() -> Response:
    engines = _multipart()
    parts = {name: request.form.get(name, "") for name in ("display_name", "handle", "bio")}
    image = _uploaded_image(required=False)
    if image is None and not any(parts.values()):
        raise ApiError(400, "missing_profile", "Send something to check: display_name, handle, bio or an image.")
    report = checker.check_profile(
        parts["display_name"],
        parts["handle"],
        parts["bio"],
        image,
        platform=_form_string("platform", "x"),
        profile=_form_string("profile", None),
        policy=engines.policy,
        grammar=engines.settings.grammar,  # --no-grammar holds for the bio as for posts
    )
    answer = report.to_dict()
    for name, text in parts.items():
        answer["parts"][name]["findings"] = findings_to_utf16(text, answer["parts"][name]["findings"])
    return jsonify(answer)
