"""httpx authentication for AK/SK: signs each request with SDK-HMAC-SHA256, as the official SDK.

The canonicalisation is :mod:`roma_connect.signing`, the same code the emulator verifies with.
"""

from __future__ import annotations

from collections.abc import Generator
from datetime import UTC, datetime

import httpx

from . import signing


class SdkHmacAuth(httpx.Auth):
    """Sign requests with an access key / secret key pair for one project."""

    def __init__(self, access_key: str, secret_key: str, project_id: str) -> None:
        if not access_key or not secret_key:
            raise ValueError("both an access key and a secret key are required")
        self.access_key = access_key
        self._secret_key = secret_key
        self.project_id = project_id

    def __repr__(self) -> str:
        return f"SdkHmacAuth(access_key={self.access_key!r}, secret_key=<hidden>)"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sign ``request`` in place (called by httpx for every attempt, so dates are fresh)."""
        # The generated client always sends the spec's X-Auth-Token header; signed calls have
        # no token, and an empty one must not reach the gateway.
        request.headers.pop("X-Auth-Token", None)
        request.headers["X-Project-Id"] = self.project_id
        query = signing.parse_query(request.url.query)
        # Put the canonical query string on the wire, as the SDK does, so that every parser
        # on the way reads back exactly the pairs that were signed.
        canonical = signing.canonical_query_string(query).encode()
        if canonical != request.url.query:  # the SDK sends sorted parameters: usually equal
            request.url = request.url.copy_with(query=canonical or None)
        path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
        signed = {"Host": request.headers["Host"], "X-Project-Id": self.project_id}
        request.headers.update(
            signing.sign(
                request.method,
                path,
                query,
                signed,
                request.content,
                access_key=self.access_key,
                secret_key=self._secret_key,
                now=datetime.now(UTC),
            )
        )
        yield request
