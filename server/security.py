"""The guards of a server that any web page can reach on 127.0.0.1.

In the order they run:

1. `HostAllowList` (WSGI middleware, before Flask and before CORS): only Host
   headers naming this server are answered, which defeats DNS rebinding.
2. Origin: a request from a web page (any Origin that is not the extension's,
   including "null") is refused with 403; clients without an Origin (the
   extension's worker in some browsers, curl, scripts) are served.
3. Pairing token: `Authorization: Bearer <token>`, required when the server
   says so (always on a non-loopback address); a wrong token is always refused.
4. `X-Socialcheck-Client` on every POST, and a JSON content type for text
   checks (enforced in the route): together they make every cross-site
   request need a CORS preflight, which only the extension's origins pass.

CORS itself is flask-cors, configured for the extension's origins only.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from flask import Flask, current_app, request
from flask_cors import CORS

from server.errors import ApiError
from server.settings import ServerSettings, normalise_host

if TYPE_CHECKING:
    from _typeshed.wsgi import StartResponse, WSGIApplication, WSGIEnvironment

CLIENT_HEADER = "X-Socialcheck-Client"
CACHE_HEADER = "X-Socialcheck-Cache"


def split_host(value: str) -> tuple[str, int | None] | None:
    """`"[::1]:8765"` -> `("::1", 8765)`; None when the header is malformed."""
    value = value.strip()
    if value.startswith("["):
        name, bracket, rest = value[1:].partition("]")
        if not bracket or (rest and not rest.startswith(":")):
            return None
        port_text = rest[1:] if rest else ""
    elif value.count(":") > 1:
        return None  # a bare IPv6 address must be in brackets
    else:
        name, _, port_text = value.partition(":")
    if port_text and not (port_text.isascii() and port_text.isdigit()):
        return None
    if not name:
        return None
    return normalise_host(name), int(port_text) if port_text else None


class HostAllowList:
    """WSGI middleware: answer 403 unless the Host header names this server."""

    def __init__(self, app: WSGIApplication, *, hosts: Iterable[str], port: int | None) -> None:
        self.app = app
        self.hosts = frozenset(hosts)
        self.port = port

    def allowed(self, host_header: str) -> bool:
        parsed = split_host(host_header)
        if parsed is None:
            return False
        name, port = parsed
        return name in self.hosts and (self.port is None or port in (None, self.port))

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> Iterable[bytes]:
        if self.allowed(environ.get("HTTP_HOST", "")):
            return self.app(environ, start_response)
        body = json.dumps(
            {
                "error": {
                    "code": "host_not_allowed",
                    "message": "This server answers only requests addressed to it by a local name "
                    "(such as 127.0.0.1 or localhost); this Host header is refused.",
                }
            }
        ).encode()
        start_response(
            "403 Forbidden",
            [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
        )
        return [body]


def _settings() -> ServerSettings:
    settings: ServerSettings = current_app.extensions["socialcheck"].settings
    return settings


def _check_origin() -> None:
    origin = request.headers.get("Origin")
    if origin is not None and not _settings().origin_allowed(origin):
        raise ApiError(
            403,
            "origin_not_allowed",
            "Requests from web pages are refused: only the socialcheck browser extension may call this server.",
        )


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization")
    if header is None:
        return None
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise ApiError(401, "token_invalid", "The Authorization header must be 'Bearer <pairing token>'.")
    return token.strip()


def _check_token() -> None:
    settings = _settings()
    sent = _bearer_token()
    if sent is None:
        if settings.require_token:
            raise ApiError(
                401,
                "token_required",
                "This server needs its pairing token: paste the token that `socialcheck serve` shows "
                "into the extension's options.",
            )
        return
    if settings.token is None or not hmac.compare_digest(sent.encode(), settings.token.encode()):
        raise ApiError(401, "token_invalid", "The pairing token is wrong: copy it again from `socialcheck serve`.")


def _check_client_header() -> None:
    if request.method == "POST" and CLIENT_HEADER not in request.headers:
        raise ApiError(
            403,
            "client_header_missing",
            f"Every check must carry the {CLIENT_HEADER} header (any value), so that web pages cannot "
            "send checks without the browser asking this server first.",
        )


def _guard() -> None:
    _check_origin()
    if request.method == "OPTIONS":
        return  # a CORS preflight carries no credentials; flask-cors answers it
    _check_token()
    _check_client_header()


def require_json() -> None:
    """Text checks take JSON only: a form or text/plain body is what a web page sends without asking."""
    if request.mimetype != "application/json":
        raise ApiError(415, "unsupported_media_type", "Send the text check as JSON (Content-Type: application/json).")


def require_multipart() -> None:
    if request.mimetype != "multipart/form-data":
        raise ApiError(415, "unsupported_media_type", "Send images as multipart/form-data with the file in 'image'.")


def body_limit(limit: int) -> None:
    """Lower the body limit for this request before anything reads the body."""
    request.max_content_length = limit


def init_app(app: Flask, settings: ServerSettings) -> None:
    wrapped: Callable[..., Any] = app.wsgi_app
    app.wsgi_app = HostAllowList(wrapped, hosts=settings.allowed_hosts, port=settings.port)  # type: ignore[method-assign]
    app.before_request(_guard)
    CORS(
        app,
        resources={r"/v1/*": {"origins": settings.cors_origins()}},
        methods=["GET", "POST", "OPTIONS"],
        allow_headers=["Content-Type", "Authorization", CLIENT_HEADER],
        expose_headers=[CACHE_HEADER],
        supports_credentials=False,
        max_age=600,
    )
