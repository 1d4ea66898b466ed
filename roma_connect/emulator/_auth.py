"""Who is calling: ``X-Auth-Token`` tokens and SDK-HMAC-SHA256 (AK/SK) signatures.

Tokens and access keys map to projects. A token is looked up by its SHA-256 digest and then
compared in constant time, so neither the lookup nor the comparison depends on how much of a
wrong token matches. Secrets never leave this module: error messages name the failure, not
the value.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

from .. import signing
from . import _errors

MODES = frozenset({"token", "aksk"})


@dataclass(frozen=True, slots=True)
class Caller:
    """An authenticated caller: the project it may act on, and how it proved it."""

    project_id: str | None  # None: auth is off, every project is allowed
    method: str  # "token", "aksk" or "off"
    access_key: str | None = None


@dataclass
class Credentials:
    """Tokens and AK/SK pairs the emulator accepts, and which auth methods are on."""

    modes: frozenset[str] = MODES  # empty: auth is off
    tokens: dict[str, str] = field(default_factory=dict)  # token -> project id
    keys: dict[str, tuple[str, str]] = field(default_factory=dict)  # AK -> (SK, project id)

    def __post_init__(self) -> None:
        self._by_digest = {_digest(t): (t, p) for t, p in self.tokens.items()}

    def add_token(self, token: str, project_id: str) -> None:
        """Accept ``token`` for ``project_id``."""
        self.tokens[token] = project_id
        self._by_digest[_digest(token)] = (token, project_id)

    def add_key(self, access_key: str, secret_key: str, project_id: str) -> None:
        """Accept AK/SK signatures by ``access_key`` for ``project_id``."""
        self.keys[access_key] = (secret_key, project_id)

    def authenticate(
        self,
        method: str,
        path: str,
        query: Sequence[tuple[str, str]],
        headers: Mapping[str, str],
        body: bytes,
        now: datetime,
    ) -> Caller:
        """The caller of this request, or a 401 :class:`RomaError` saying what is wrong."""
        if not self.modes:
            return Caller(project_id=None, method="off")
        authorization = headers.get("authorization")
        if authorization is not None and "aksk" in self.modes:
            return self._signed(method, path, query, headers, body, now)
        token = headers.get("x-auth-token")
        if token is not None and "token" in self.modes:
            found = self._by_digest.get(_digest(token))
            if found is None or not hmac.compare_digest(found[0].encode(), token.encode()):
                raise _errors.unauthorized(details="the X-Auth-Token is not known")
            return Caller(project_id=found[1], method="token")
        accepted = " or ".join(
            {"token": "an X-Auth-Token header", "aksk": "an SDK-HMAC-SHA256 Authorization"}[m]
            for m in sorted(self.modes, reverse=True)
        )
        raise _errors.unauthorized(details=f"no credentials: send {accepted}")

    def _signed(
        self,
        method: str,
        path: str,
        query: Sequence[tuple[str, str]],
        headers: Mapping[str, str],
        body: bytes,
        now: datetime,
    ) -> Caller:
        def secret_of(access_key: str) -> str | None:
            entry = self.keys.get(access_key)
            return None if entry is None else entry[0]

        try:
            access_key = signing.verify(
                method, path, query, headers, body, lookup_secret=secret_of, now=now
            )
        except signing.SignatureError as error:
            raise _errors.unauthorized(
                f"Incorrect IAM authentication information: {error}", details=str(error)
            ) from None
        return Caller(project_id=self.keys[access_key][1], method="aksk", access_key=access_key)


def make_token() -> str:
    """A fresh random token, for an emulator started without one."""
    return "roma-emu-" + secrets.token_urlsafe(24)


def _digest(token: str) -> bytes:
    return hashlib.sha256(token.encode("utf-8", "surrogateescape")).digest()
