"""Errors the SDK raises: one class per failure class, each carrying what ROMA said.

Every error from a response carries the HTTP status, ``error_code``, ``error_msg``,
``error_details`` and ``request_id`` (from the body, else the ``X-Request-Id`` header), so a
user can act on it or quote the request id to support. Nothing here ever holds a credential.
"""

from __future__ import annotations

import contextlib
import json
from typing import Any

import httpx


class RomaConnectError(Exception):
    """Base class of every error the SDK raises."""

    status_code: int | None = None
    error_code: str | None = None
    error_msg: str | None = None
    error_details: str | None = None
    request_id: str | None = None

    def __init__(
        self,
        message: str,
        *,
        status_code: int | None = None,
        error_code: str | None = None,
        error_msg: str | None = None,
        error_details: str | None = None,
        request_id: str | None = None,
    ) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.error_code = error_code
        self.error_msg = error_msg
        self.error_details = error_details
        self.request_id = request_id


class APIError(RomaConnectError):
    """The service answered with an error status."""


class BadRequestError(APIError):
    """400: a parameter the service refused (``error_msg`` names it)."""


class AuthenticationError(APIError):
    """401: missing, unknown or expired token, or a refused AK/SK signature."""


class PermissionDeniedError(APIError):
    """403: the credentials are valid but not for this project."""


class ServerError(APIError):
    """5xx: the service failed (retried before it is raised)."""


class UnexpectedResponseError(APIError):
    """A status the spec does not document, or a body that is not ROMA's JSON."""


class RateLimitError(UnexpectedResponseError):
    """429: throttled by the API gateway (retried before it is raised)."""


class TransportError(RomaConnectError):
    """No answer: the connection failed or timed out (retried before it is raised)."""


_BY_STATUS: dict[int, type[APIError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: PermissionDeniedError,
    429: RateLimitError,
}


def from_response(response: httpx.Response) -> APIError:
    """The error for a non-2xx response, or for a 2xx one whose body cannot be read."""
    status = response.status_code
    body: Any = None
    with contextlib.suppress(ValueError, UnicodeDecodeError):
        body = json.loads(response.content)
    fields = body if isinstance(body, dict) else {}
    request_id = _text(fields.get("request_id")) or response.headers.get("x-request-id")
    error_code = _text(fields.get("error_code"))
    error_msg = _text(fields.get("error_msg"))
    if status in _BY_STATUS:
        cls = _BY_STATUS[status]
    elif status >= 500:
        cls = ServerError
    else:
        cls = UnexpectedResponseError
    if error_code is None and cls is not UnexpectedResponseError and status < 500:
        cls = UnexpectedResponseError  # a documented status, but not ROMA's error body
    if error_msg is None:
        kind = "JSON" if body is not None else response.headers.get("content-type", "no")
        error_msg = f"HTTP {status} with a {kind} body that is not a ROMA error"
    message = f"{status} {error_code or '-'}: {error_msg}"
    if request_id:
        message += f" (request id {request_id})"
    return cls(
        message,
        status_code=status,
        error_code=error_code,
        error_msg=error_msg,
        error_details=_text(fields.get("error_details")),
        request_id=request_id,
    )


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None
