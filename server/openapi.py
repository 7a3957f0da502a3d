"""The OpenAPI 3.1 document of the /v1 API, served at GET /v1/openapi.json.

Its schemas are JSON Schema 2020-12, so the tests validate real responses
against them with jsonschema, and schema-driven testing tools can use it.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from checker.findings import CATEGORIES, IMAGE_CATEGORIES, SEVERITIES, TEXT_CATEGORIES
from checker.grammar.dictionary import MAX_WORD_LENGTH, WORD_PATTERN
from server.security import CACHE_HEADER, CLIENT_HEADER
from checker import __version__

ENGINE_STATES = ("ready", "starting", "unavailable", "off")


def _ref(name: str) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{name}"}


def _obj(properties: dict[str, Any], *, required: list[str] | None = None, extra: bool = False) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "object", "properties": properties, "required": required or list(properties)}
    if not extra:
        schema["additionalProperties"] = False
    return schema


_STRING = {"type": "string"}
_COUNT = {"type": "integer", "minimum": 0}
_STRINGS = {"type": "array", "items": _STRING}
_WORD = {
    **_STRING,
    "minLength": 1,
    "maxLength": MAX_WORD_LENGTH,
    "pattern": WORD_PATTERN,
    "description": "One word, as it is spelt: letters and digits, with inner ' or -, no spaces.",
}


@dataclass(frozen=True, slots=True)
class Choices:
    """The names the server's policy defines, which requests must use."""

    text_platforms: tuple[str, ...]
    image_platforms: tuple[str, ...]
    profiles: tuple[str, ...]

    def platform(self, names: tuple[str, ...], default: str, *, form: bool) -> dict[str, Any]:
        # In a form, an empty field means the default; JSON leaves the key out instead.
        return {"enum": [*names, ""] if form else list(names), "default": default, "description": "A platform id from GET /v1/policy."}

    def profile(self, *, form: bool) -> dict[str, Any]:
        names: list[str | None] = [*self.profiles, ""] if form else [*self.profiles, "", None]
        return {"enum": names, "description": "A profile id from GET /v1/policy; empty (or null in JSON): the policy's default."}


def _schemas(choices: Choices) -> dict[str, Any]:
    # A profile check needs something to check: one non-empty text field, or an image.
    something_to_check = [
        *({"required": [name], "properties": {name: {"minLength": 1}}} for name in ("display_name", "handle", "bio")),
        {"required": ["image"]},
    ]
    return {
        "Error": _obj(
            {
                "error": _obj(
                    {
                        "code": {**_STRING, "description": "A stable code for programs, such as bad_json or unknown_platform."},
                        "message": {**_STRING, "description": "What went wrong, for people."},
                        "choices": {**_STRINGS, "description": "The valid names, for unknown_platform and unknown_profile."},
                    },
                    required=["code", "message"],
                )
            }
        ),
        "EngineState": _obj({"state": {"enum": list(ENGINE_STATES)}, "reason": _STRING}),
        "Engines": {
            "type": "object",
            "required": ["rules", "harper", "languagetool"],
            "additionalProperties": _ref("EngineState"),
        },
        "Pack": _obj(
            {
                "name": {**_STRING, "description": "The pack's name (pack.toml [pack] name)."},
                "hash": {**_STRING, "pattern": "^sha256:[0-9a-f]{64}$", "description": "SHA-256 of the pack's files (paths and contents): its version."},
                "source": {**_STRING, "description": "bundled, the pack folder, or the address of the published pack followed."},
                "follows": {"enum": ["folder", "url"], "description": "folder: reloaded when its files change; url: checked every check_every_seconds."},
                "loaded_at": {**_STRING, "description": "When the pack in force was loaded (ISO 8601, UTC)."},
                "checked_at": {"type": ["string", "null"], "description": "When the source was last checked for a new version."},
                "check_every_seconds": {"type": ["number", "null"], "description": "How often the source is checked; null: not followed (the pack stays as loaded)."},
                "offline": {"type": ["string", "null"], "description": "Why the published pack cannot be reached, while the copy kept here is served."},
                "problem": {
                    "oneOf": [
                        {"type": "null"},
                        _obj({"file": {"type": ["string", "null"]}, "rule": {"type": ["string", "null"]}, "message": _STRING, "at": _STRING}),
                    ],
                    "description": "Why the newest version was refused (the pack in force stays): the file, the rule and the problem.",
                },
            }
        ),
        "Health": _obj(
            {
                "status": {"enum": ["ok", "starting"], "description": "starting until every grammar engine has started or given up"},
                "version": _STRING,
                "policy": {**_STRING, "description": "The name of the policy pack in force."},
                "pack": _ref("Pack"),
                "engines": _ref("Engines"),
                "token_required": {"type": "boolean"},
                "cache": _obj({"entries": _COUNT, "max_entries": _COUNT, "hits": _COUNT, "misses": _COUNT}),
            }
        ),
        "Policy": _obj(
            {
                "name": _STRING,
                "organisation": _obj({"name": _STRING, "short_forms": _STRINGS, "domains": _STRINGS}),
                "default_profile": _STRING,
                "profiles": {
                    "type": "array",
                    "items": _obj({"id": _STRING, "description": _STRING, "extends": {"type": ["string", "null"]}}),
                },
                "platforms": {
                    "type": "array",
                    "items": _obj(
                        {
                            "id": _STRING,
                            "name": _STRING,
                            "limit": {"type": ["integer", "null"]},
                            "counting": _STRING,
                            "hashtag_limit": {"type": ["integer", "null"]},
                            "mention_limit": {"type": ["integer", "null"]},
                            "url_limit": {"type": ["integer", "null"]},
                            "byte_limit": {"type": ["integer", "null"]},
                            "source": _STRING,
                            "checked": _STRING,
                        }
                    ),
                },
                "image": _obj(
                    {
                        "platforms": {
                            "type": "array",
                            "items": _obj(
                                {
                                    "id": _STRING,
                                    "name": _STRING,
                                    "shape": _STRING,
                                    "recommended": _COUNT,
                                    "minimum": _COUNT,
                                    "display": _COUNT,
                                    "max_bytes": {"type": ["integer", "null"]},
                                    "formats": _STRINGS,
                                }
                            ),
                        },
                        "palette": {
                            "type": "array",
                            "items": _obj({"name": _STRING, "hex": {"type": "string", "pattern": "^#[0-9A-Fa-f]{6}$"}, "role": _STRING}),
                        },
                    }
                ),
                "categories": _obj(
                    {
                        "text": {"type": "array", "items": {"enum": list(TEXT_CATEGORIES)}},
                        "image": {"type": "array", "items": {"enum": list(IMAGE_CATEGORIES)}},
                    }
                ),
                "severities": {"type": "array", "items": {"enum": list(SEVERITIES)}},
                "guidelines": {
                    "type": "array",
                    "items": _obj({"id": _STRING, "title": _STRING, "text": _STRING, "url": _STRING}),
                },
                "rules": {
                    "type": "array",
                    "items": _obj(
                        {
                            "id": _STRING,
                            "guideline": {**_STRING, "description": "The id of the handbook point it enforces."},
                            "advice": {**_STRING, "description": "What to do about a finding: the rule's advice, else its handbook point."},
                        }
                    ),
                },
            }
        ),
        "Finding": _obj(
            {
                "rule": {**_STRING, "description": "The rule's id, such as tone.shouting."},
                "category": {"enum": list(CATEGORIES)},
                "severity": {"enum": list(SEVERITIES)},
                "start": {**_COUNT, "description": "Offset of the first character, in UTF-16 code units (as JavaScript counts)."},
                "end": {**_COUNT, "description": "Offset just past the span, in UTF-16 code units."},
                "message": _STRING,
                "suggestions": _STRINGS,
                "guideline": {**_STRING, "description": "The id of the handbook point the rule enforces."},
            }
        ),
        "Counts": _obj({severity: _COUNT for severity in SEVERITIES}),
        "Dictionary": _obj(
            {
                "personal": {**_STRINGS, "description": "The user's own words, kept by this server in its config folder."},
                "team": {**_STRINGS, "description": "The organisation's words, from the policy pack (read only)."},
            }
        ),
        "DictionaryWord": _obj({"word": _WORD}, extra=True),  # other fields are ignored
        "TextCheck": _obj(
            {
                "text": {**_STRING, "description": "The draft, as the user typed it."},
                "platform": choices.platform(choices.text_platforms, "generic", form=False),
                "profile": choices.profile(form=False),
            },
            required=["text"],
            extra=True,  # other fields are ignored, so a newer extension can talk to an older server
        ),
        "TextReport": _obj(
            {
                "ok": {"type": "boolean", "description": "True when nothing at error or warning level was found."},
                "counts": _ref("Counts"),
                "findings": {"type": "array", "items": _ref("Finding")},
                "stats": {"type": "object", "description": "What was measured: length as the platform counts it, its limit, ..."},
                "engines": _ref("Engines"),
            }
        ),
        "TextPart": _obj(
            {
                "ok": {"type": "boolean"},
                "counts": _ref("Counts"),
                "findings": {"type": "array", "items": _ref("Finding")},
                "stats": {"type": "object"},
            }
        ),
        "ImageUpload": _obj(
            {
                "image": {"type": "string", "format": "binary", "minLength": 1, "contentMediaType": "application/octet-stream", "description": "PNG, JPEG, WebP or GIF"},
                "platform": choices.platform(choices.image_platforms, "x", form=True),
                "profile": choices.profile(form=True),
            },
            required=["image"],
        ),
        "ImageReport": _obj(
            {
                "ok": {"type": "boolean"},
                "counts": _ref("Counts"),
                "findings": {"type": "array", "items": _ref("Finding"), "description": "About the whole image: start and end are 0."},
                "metrics": {"type": "object", "description": "What was measured: size, format, colours, share on palette, sharpness..."},
                "preview_png": {
                    **_STRING,
                    "contentEncoding": "base64",
                    "contentMediaType": "image/png",
                    "description": "The image as the platform shows it (cropped to its shape, at its display size); empty if it could not be decoded.",
                },
            }
        ),
        "ProfileUpload": {
            **_obj(
                {
                    "display_name": _STRING,
                    "handle": _STRING,
                    "bio": _STRING,
                    "image": {"type": "string", "format": "binary", "minLength": 1, "contentMediaType": "application/octet-stream"},
                    "platform": choices.platform(choices.image_platforms, "x", form=True),
                    "profile": choices.profile(form=True),
                },
                required=[],
            ),
            "anyOf": something_to_check,
        },
        "ProfileReport": _obj(
            {
                "ok": {"type": "boolean"},
                "counts": _ref("Counts"),
                "parts": _obj(
                    {
                        "display_name": _ref("TextPart"),
                        "handle": _ref("TextPart"),
                        "bio": _ref("TextPart"),
                        "image": _ref("ImageReport"),
                    },
                    required=["display_name", "handle", "bio"],
                ),
            }
        ),
    }


def _error_responses(*statuses: int) -> dict[str, Any]:
    reasons = {
        400: "Bad request: broken JSON, a missing or wrong field, an unknown platform or profile",
        401: "The pairing token is missing (where required) or wrong",
        403: "Refused: a Host that is not this server, a web page's Origin, or no X-Socialcheck-Client header",
        413: "The body or the image is larger than the server accepts",
        415: "The wrong content type, or an image format that is not supported",
    }
    return {
        str(status): {"description": reasons[status], "content": {"application/json": {"schema": _ref("Error")}}}
        for status in statuses
    }


def _ok(schema: str, description: str, headers: dict[str, Any] | None = None) -> dict[str, Any]:
    response: dict[str, Any] = {"description": description, "content": {"application/json": {"schema": _ref(schema)}}}
    if headers:
        response["headers"] = headers
    return response


_CLIENT_PARAMETER = {
    "name": CLIENT_HEADER,
    "in": "header",
    "required": True,
    "description": "Any value. Its presence makes browsers ask the server first (a CORS preflight), which web pages fail.",
    "schema": _STRING,
}


@lru_cache(maxsize=8)
def openapi_document(choices: Choices) -> dict[str, Any]:
    """The document for a server whose policy defines `choices`."""
    get_errors = _error_responses(401, 403)
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "socialcheck local server",
            "version": __version__,
            "description": "Checks social media posts and profile images against an organisation's social media "
            "identity. Runs on the member of staff's own machine; offsets are UTF-16 code units.",
        },
        "servers": [{"url": "http://127.0.0.1:8765"}],
        "security": [{}, {"pairingToken": []}],
        "paths": {
            "/v1/health": {
                "get": {
                    "operationId": "health",
                    "summary": "Whether the server and its engines are ready",
                    "responses": {"200": _ok("Health", "The server's state"), **get_errors},
                }
            },
            "/v1/policy": {
                "get": {
                    "operationId": "policy",
                    "summary": "The policy in force: profiles, platforms, categories, guidelines",
                    "responses": {"200": _ok("Policy", "The policy in force"), **get_errors},
                }
            },
            "/v1/openapi.json": {
                "get": {
                    "operationId": "openapi",
                    "summary": "This document",
                    "responses": {
                        "200": {"description": "The OpenAPI document", "content": {"application/json": {"schema": {"type": "object"}}}},
                        **get_errors,
                    },
                }
            },
            "/v1/dictionary": {
                "get": {
                    "operationId": "dictionary",
                    "summary": "The words spelling checks accept: the team's and the user's own",
                    "responses": {"200": _ok("Dictionary", "Both word lists"), **get_errors},
                },
                "post": {
                    "operationId": "addDictionaryWord",
                    "summary": "Add a word to the personal dictionary; it takes effect on the next check",
                    "parameters": [_CLIENT_PARAMETER],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("DictionaryWord")}}},
                    "responses": {"200": _ok("Dictionary", "Both word lists, with the word added"), **_error_responses(400, 401, 403, 413, 415)},
                },
            },
            "/v1/dictionary/{word}": {
                "delete": {
                    "operationId": "removeDictionaryWord",
                    "summary": "Remove a word from the personal dictionary (one that is not there changes nothing)",
                    "parameters": [
                        {"name": "word", "in": "path", "required": True, "schema": _WORD},
                        _CLIENT_PARAMETER,
                    ],
                    "responses": {
                        "200": _ok("Dictionary", "Both word lists, without the word"),
                        **_error_responses(400, 401, 403),
                        "404": {"description": "No word in the path", "content": {"application/json": {"schema": _ref("Error")}}},
                    },
                }
            },
            "/v1/check/text": {
                "post": {
                    "operationId": "checkText",
                    "summary": "Check the text of a post",
                    "parameters": [_CLIENT_PARAMETER],
                    "requestBody": {"required": True, "content": {"application/json": {"schema": _ref("TextCheck")}}},
                    "responses": {
                        "200": _ok(
                            "TextReport",
                            "The findings, sorted by position",
                            {CACHE_HEADER: {"description": "hit when answered from the cache", "schema": {"enum": ["hit", "miss"]}}},
                        ),
                        **_error_responses(400, 401, 403, 413, 415),
                    },
                }
            },
            "/v1/check/image": {
                "post": {
                    "operationId": "checkImage",
                    "summary": "Check a profile image against the platform and the visual identity",
                    "parameters": [_CLIENT_PARAMETER],
                    "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": _ref("ImageUpload")}}},
                    "responses": {
                        "200": _ok("ImageReport", "The findings, what was measured, and a preview"),
                        **_error_responses(400, 401, 403, 413, 415),
                    },
                }
            },
            "/v1/check/profile": {
                "post": {
                    "operationId": "checkProfile",
                    "summary": "Check a whole profile: display name, handle, bio and image",
                    "parameters": [_CLIENT_PARAMETER],
                    "requestBody": {"required": True, "content": {"multipart/form-data": {"schema": _ref("ProfileUpload")}}},
                    "responses": {
                        "200": _ok("ProfileReport", "The findings for each part; text offsets count within that part"),
                        **_error_responses(400, 401, 403, 413, 415),
                    },
                }
            },
        },
        "components": {
            "schemas": _schemas(choices),
            "securitySchemes": {
                "pairingToken": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The pairing token shown by `socialcheck serve`; required when the server says so in /v1/health.",
                }
            },
        },
    }
