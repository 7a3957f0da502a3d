"""GET routes that describe the server: health, the policy in force, the OpenAPI document."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, jsonify

from checker.findings import IMAGE_CATEGORIES, SEVERITIES, TEXT_CATEGORIES
from checker.policy import Policy
from server.engines import Engines
from server.openapi import Choices, openapi_document
from checker import __version__

bp = Blueprint("meta", __name__)


def _engines() -> Engines:
    engines: Engines = current_app.extensions["socialcheck"]
    return engines


@bp.get("/health")
def health() -> Response:
    engines = _engines()
    states = engines.states()
    return jsonify(
        {
            "status": engines.status(states),
            "version": __version__,
            "policy": engines.policy.name,
            "pack": engines.source.state() if engines.source is not None else None,  # always set by Engines.start
            "engines": states,
            "token_required": engines.settings.require_token,
            "cache": engines.cache.stats(),
        }
    )


def policy_document(policy: Policy) -> dict[str, Any]:
    """What the extension shows and offers: profiles, platforms, categories and the handbook's points."""
    return {
        "name": policy.name,
        "organisation": {
            "name": policy.organisation.name,
            "short_forms": list(policy.organisation.short_forms),
            "domains": list(policy.organisation.domains),
        },
        "default_profile": policy.default_profile,
        "profiles": [
            {"id": p.id, "description": p.description, "extends": p.extends} for p in policy.profiles.values()
        ],
        "platforms": [
            {
                "id": p.id,
                "name": p.name,
                "limit": p.limit,
                "counting": p.counting,
                "hashtag_limit": p.hashtag_limit,
                "mention_limit": p.mention_limit,
                "url_limit": p.url_limit,
                "byte_limit": p.byte_limit,
                "source": p.source,
                "checked": p.checked,
            }
            for p in policy.platforms.values()
        ],
        "image": _image_document(policy),
        "categories": {"text": list(TEXT_CATEGORIES), "image": list(IMAGE_CATEGORIES)},
        "severities": list(SEVERITIES),
        "guidelines": [
            {"id": g.id, "title": g.title, "text": g.text, "url": g.url} for g in policy.guidelines.values()
        ],
        # What to do about each rule's finding, for cards whose finding has no suggestion.
        "rules": [{"id": r.id, "guideline": r.guideline, "advice": policy.advice(r.id)} for r in policy.rules.values()],
    }


def _image_document(policy: Policy) -> dict[str, Any]:
    """The visual identity the image checks use: each platform's avatar figures and the brand palette."""
    from checker.image.identity import visual_identity

    identity = visual_identity(policy)
    return {
        "platforms": [
            {
                "id": spec.id,
                "name": spec.name,
                "shape": spec.shape,
                "recommended": spec.recommended,
                "minimum": spec.minimum,
                "display": spec.display,
                "max_bytes": spec.max_bytes,
                "formats": list(spec.formats),
            }
            for spec in identity.platforms.values()
        ],
        "palette": [{"name": c.name, "hex": c.hex, "role": c.role} for c in identity.palette],
    }


@bp.get("/policy")
def policy() -> Response:
    return jsonify(policy_document(_engines().policy))


@bp.get("/openapi.json")
def openapi() -> Response:
    from checker.image.identity import visual_identity

    policy = _engines().policy
    choices = Choices(tuple(policy.platforms), tuple(visual_identity(policy).platforms), tuple(policy.profiles))
    return jsonify(openapi_document(choices))
