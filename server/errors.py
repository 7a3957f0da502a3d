"""Every error leaves the server as JSON: `{"error": {"code": ..., "message": ...}}`.

Never an HTML page, never a stack trace, and never the text of a post in the
log: an unexpected exception is logged by its type and traceback only, since
its message may quote what the user wrote.
"""

from __future__ import annotations

import traceback
from typing import Any

from flask import Flask, Response, current_app, jsonify
from werkzeug.exceptions import HTTPException

from checker.errors import InputError, PolicyError, UnknownPlatformError, UnknownProfileError

# Codes for the HTTP errors Flask and Werkzeug raise themselves.
HTTP_CODES: dict[int, str] = {
    400: "bad_request",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    431: "headers_too_large",
}

HTTP_MESSAGES: dict[int, str] = {
    404: "There is no such address on this server; see /v1/openapi.json for the routes.",
    405: "This address does not accept that method; see /v1/openapi.json.",
    413: "The request body is larger than this server accepts.",
}


class ApiError(Exception):
    """An error answered to the client as it is: status, code and a message for people."""

    def __init__(self, status: int, code: str, message: str, **extra: Any) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra


def error_response(status: int, code: str, message: str, **extra: Any) -> Response:
    response = jsonify({"error": {"code": code, "message": message, **extra}})
    response.status_code = status
    return response


def _api_error(error: ApiError) -> Response:
    response = error_response(error.status, error.code, error.message, **error.extra)
    if error.status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="socialcheck"'
    return response


def _http_error(error: HTTPException) -> Response:
    status = error.code or 500
    code = HTTP_CODES.get(status, "http_error")
    message = HTTP_MESSAGES.get(status) or error.description or error.name
    response = error_response(status, code, message)
    allowed = getattr(error, "valid_methods", None)
    if allowed:
        response.headers["Allow"] = ", ".join(allowed)
    return response


def _unknown_choice(error: UnknownPlatformError | UnknownProfileError) -> Response:
    return error_response(400, f"unknown_{error.kind}", str(error), choices=list(error.valid))


def _input_error(error: InputError) -> Response:
    return error_response(400, "invalid_input", str(error))


def _policy_error(error: PolicyError) -> Response:
    # Names a file on the server, not anything the user typed.
    current_app.logger.error("policy error: %s", error)
    return error_response(500, "policy_error", str(error))


def _unexpected(error: Exception) -> Response:
    # The message of an unexpected exception may quote the draft: log the type and where only.
    frames = "".join(traceback.format_tb(error.__traceback__))
    current_app.logger.error("unexpected %s while answering a request\n%s", type(error).__name__, frames)
    return error_response(500, "internal_error", "The server failed to answer; the details are in its log.")


def init_app(app: Flask) -> None:
    app.register_error_handler(ApiError, _api_error)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(UnknownPlatformError, _unknown_choice)
    app.register_error_handler(UnknownProfileError, _unknown_choice)
    app.register_error_handler(InputError, _input_error)
    app.register_error_handler(PolicyError, _policy_error)
    app.register_error_handler(Exception, _unexpected)
