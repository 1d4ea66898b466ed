"""Huawei Cloud AK/SK request signing (``SDK-HMAC-SHA256``), for both ends of a request.

This is the scheme of Huawei's "API Request Signing Guide", as the official Python SDK
(``huaweicloudsdkcore/signer/signer.py``, class ``Signer``) implements it:

* ``X-Sdk-Date: YYYYMMDDTHHMMSSZ`` (UTC) and
  ``Authorization: SDK-HMAC-SHA256 Access=<AK>, SignedHeaders=<h1;h2>, Signature=<hex>``;
* canonical request = method, canonical URI, canonical query string, canonical headers, signed
  header list and payload hash, joined by ``\\n``;
* string to sign = ``SDK-HMAC-SHA256\\n<X-Sdk-Date>\\n<hex sha256(canonical request)>``;
* signature = hex HMAC-SHA256 of the string to sign, keyed with the secret key.

One module, two users: a client-side signer (:func:`sign`) and a server-side verifier
(:func:`verify`) share every canonicalisation step, so they cannot drift apart. Nothing here
knows about a transport: callers pass plain strings, bytes and mappings.

How callers should hand requests over, so that both sides canonicalise the same thing:

* ``path`` is the request path **as sent on the wire** (percent-encoded, without the query),
  e.g. ``httpx.URL.raw_path`` up to ``?`` or ASGI ``scope["raw_path"]``. It is URL-decoded
  before canonicalisation, exactly as the SDK decodes its ``resource_path``.
* ``query`` is the list of decoded ``(name, value)`` pairs. :func:`parse_query` turns a wire
  query string into them; a signer should put :func:`canonical_query_string` on the wire, as
  the SDK does, so that every parser reads it back unchanged.
* ``headers`` map names (any case) to ``str`` values, wire bytes decoded as UTF-8: the SDK signs
  the text of a value and sends its UTF-8 bytes. (Starlette's ``Headers`` decode latin-1, which
  differs for non-ASCII values.)
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote, unquote

__all__ = [
    "ALGORITHM",
    "AUTHORIZATION_HEADER",
    "CONTENT_SHA256_HEADER",
    "DATE_FORMAT",
    "DATE_HEADER",
    "EMPTY_BODY_SHA256",
    "MAX_CLOCK_SKEW",
    "UNSIGNED_PAYLOAD",
    "Authorization",
    "ClockSkew",
    "MalformedAuthorization",
    "MissingSignedHeader",
    "SignatureError",
    "SignatureMismatch",
    "UnknownAccessKey",
    "UnsupportedAlgorithm",
    "canonical_query_string",
    "canonical_request",
    "canonical_uri",
    "format_sdk_date",
    "parse_authorization",
    "parse_query",
    "sign",
    "signature",
    "string_to_sign",
    "verify",
]

ALGORITHM = "SDK-HMAC-SHA256"
DATE_HEADER = "X-Sdk-Date"
AUTHORIZATION_HEADER = "Authorization"
CONTENT_SHA256_HEADER = "X-Sdk-Content-Sha256"
UNSIGNED_PAYLOAD = "UNSIGNED-PAYLOAD"
DATE_FORMAT = "%Y%m%dT%H%M%SZ"
EMPTY_BODY_SHA256 = hashlib.sha256(b"").hexdigest()
MAX_CLOCK_SKEW = timedelta(minutes=15)

# strptime alone accepts "2024111T1234Z"-style short fields; the date is part of the string to
# sign, so only the exact form the SDK writes may be accepted.
_DATE_RE = re.compile(r"\d{8}T\d{6}Z")
# RFC 9110 token characters: anything else in SignedHeaders cannot be a header name.
_HEADER_NAME_RE = re.compile(r"[!#$%&'*+\-.^_`|~0-9A-Za-z]+")
_SIGNATURE_RE = re.compile(r"[0-9a-fA-F]{64}")
_AUTH_FIELDS = ("Access", "SignedHeaders", "Signature")
_HOST = "host"


# --- errors -------------------------------------------------------------------------------------


class SignatureError(ValueError):
    """A request's signature was refused. Messages never contain a secret key or a signature."""


class UnsupportedAlgorithm(SignatureError):
    """The Authorization header names a scheme other than ``SDK-HMAC-SHA256``."""


class MalformedAuthorization(SignatureError):
    """The Authorization header is missing or does not have the ``SDK-HMAC-SHA256`` shape."""


class UnknownAccessKey(SignatureError):
    """No secret key is known for the Authorization header's access key."""


class ClockSkew(SignatureError):
    """``X-Sdk-Date`` is missing, unparseable or further than the allowed skew from now."""


class MissingSignedHeader(SignatureError):
    """A header named in SignedHeaders is not in the request."""


class SignatureMismatch(SignatureError):
    """The signature does not match the request as received.

    ``canonical`` holds the canonical request the verifier rebuilt, for a server's debug log;
    it is deliberately not in the message, which may be shown to the client.
    """

    def __init__(self, message: str, canonical: str) -> None:
        super().__init__(message)
        self.canonical = canonical


# --- canonicalisation ---------------------------------------------------------------------------


def _encode(text: str) -> str:
    # quote() always leaves A-Za-z0-9 and "_.-~" alone; safe="~" (the SDK's call) adds nothing,
    # and crucially drops quote's default "/", so a "/" inside a name or value is escaped.
    return quote(text, safe="~")


def canonical_uri(path: str) -> str:
    """Return the canonical URI of a wire path: decoded, each segment re-encoded, ending in ``/``.

    As in the SDK, the whole path is decoded before it is split, so ``%2F`` becomes a segment
    separator rather than an escaped slash.
    """
    encoded = "/".join(_encode(segment) for segment in unquote(path).split("/"))
    # The SDK and Huawei's gateway signing sample both append it, whatever the request path.
    return encoded if encoded.endswith("/") else encoded + "/"


def canonical_query_string(query: Iterable[tuple[str, str]]) -> str:
    """Return the canonical query string of decoded ``(name, value)`` pairs.

    Pairs are sorted by decoded name, then decoded value (the SDK sorts before encoding), then
    both are percent-encoded, leaving only ``A-Za-z0-9-_.~``. Repeated names give one ``name=value``
    each; an empty value gives ``name=``.
    """
    return "&".join(f"{_encode(name)}={_encode(value)}" for name, value in sorted(query))


def parse_query(raw: str | bytes) -> list[tuple[str, str]]:
    """Split a wire query string (without ``?``) into decoded ``(name, value)`` pairs.

    Follows Huawei's API Gateway signing sample: fields split on ``&`` and the first ``=``, a
    field without ``=`` has the value ``""``, fields with an empty name are dropped, and ``+`` is
    a literal plus (``%XX`` is the only escape). Both the signer and the verifier should read the
    wire query with this function.
    """
    text = raw.decode("latin-1") if isinstance(raw, bytes) else raw
    pairs: list[tuple[str, str]] = []
    for field in text.split("&"):
        name, _, value = field.partition("=")
        if name:
            pairs.append((unquote(name), unquote(value)))
    return pairs


def _normalise_names(names: Iterable[str]) -> list[str]:
    return sorted({name.strip().lower() for name in names})


def _payload_hash(body: bytes, signed: Mapping[str, str]) -> str:
    # The SDK hashes an empty body even when X-Sdk-Content-Sha256 is set.
    if not body:
        return EMPTY_BODY_SHA256
    # Only a *signed* X-Sdk-Content-Sha256 may stand in for the body hash: honouring an unsigned
    # one would let anyone add it (set to the original body's hash) and then swap the body.
    declared = signed.get(CONTENT_SHA256_HEADER.lower(), "")
    return declared or hashlib.sha256(body).hexdigest()


def canonical_request(
    method: str,
    path: str,
    query: Iterable[tuple[str, str]],
    headers: Mapping[str, str],
    signed_headers: Iterable[str],
    body: bytes,
) -> str:
    """Return the canonical request: the six lines whose hash is signed.

    ``signed_headers`` are lower-cased, de-duplicated and sorted; each must be in ``headers``
    (looked up case-insensitively), else :class:`MissingSignedHeader`. Header values are
    stripped of surrounding whitespace. The payload line is the hex SHA-256 of ``body``, or the
    signed ``X-Sdk-Content-Sha256`` value (e.g. ``UNSIGNED-PAYLOAD``) when the body is not empty.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    names = _normalise_names(signed_headers)
    missing = [name for name in names if name not in lowered]
    if missing:
        raise MissingSignedHeader(f"signed header(s) not in the request: {', '.join(missing)}")
    signed = {name: lowered[name].strip() for name in names}
    return "\n".join(
        [
            method.upper(),
            canonical_uri(path),
            canonical_query_string(query),
            "".join(f"{name}:{value}\n" for name, value in signed.items()),
            ";".join(names),
            _payload_hash(body, signed),
        ]
    )


def string_to_sign(sdk_date: str, canonical: str) -> str:
    """Return ``SDK-HMAC-SHA256\\n<sdk_date>\\n<hex sha256 of the UTF-8 canonical request>``."""
    digest = hashlib.sha256(canonical.encode("utf-8")).hexdigest()
    return f"{ALGORITHM}\n{sdk_date}\n{digest}"


def signature(secret_key: str, to_sign: str) -> str:
    """Return the hex HMAC-SHA256 of ``to_sign`` keyed with ``secret_key`` (both UTF-8)."""
    return hmac.new(secret_key.encode("utf-8"), to_sign.encode("utf-8"), hashlib.sha256).hexdigest()


def format_sdk_date(moment: datetime) -> str:
    """Format an aware datetime as an ``X-Sdk-Date`` value (``YYYYMMDDTHHMMSSZ``, UTC)."""
    return _utc(moment).strftime(DATE_FORMAT)


def _utc(moment: datetime) -> datetime:
    # A naive datetime would be read as local time and silently shift the signed date by the
    # machine's UTC offset, which the gateway then refuses as clock skew: refuse it here.
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("datetime must be timezone-aware (e.g. datetime.now(UTC))")
    return moment.astimezone(UTC)


# --- signing ------------------------------------------------------------------------------------


def sign(
    method: str,
    path: str,
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    *,
    access_key: str,
    secret_key: str,
    now: datetime | None = None,
    host: str | None = None,
) -> dict[str, str]:
    """Sign a request as the SDK does; return the headers to add to it.

    Every header in ``headers`` is signed, as the SDK signs every header it sets (pass only
    headers that reach the server unchanged, e.g. ``Host``, ``Content-Type``, ``X-Project-Id``),
    except ``Authorization``, any given ``X-Sdk-Date`` (replaced by ``now``) and names
    containing ``_``. ``Host`` is signed too: from ``headers``, else from ``host``.

    The result holds ``X-Sdk-Date`` and ``Authorization``, and ``Host`` when it came from
    ``host``. Send the query as :func:`canonical_query_string` of ``query``.
    """
    if not access_key or not secret_key:
        raise ValueError("access_key and secret_key must not be empty")
    if any(char.isspace() or char == "," for char in access_key):
        raise ValueError("access_key must not contain whitespace or ','")

    added: dict[str, str] = {}
    to_sign: dict[str, str] = {}
    for name, value in headers.items():
        lower = name.lower()
        # Skipped as the SDK skips them; presumably because proxies such as nginx drop "_" names
        # by default, and a signed header the gateway never sees could only fail verification.
        if "_" in name or lower in (AUTHORIZATION_HEADER.lower(), DATE_HEADER.lower()):
            continue
        to_sign[lower] = value
    if _HOST not in to_sign:
        if not host:
            raise ValueError("a Host header (or host=) is required: the signature covers it")
        to_sign[_HOST] = added["Host"] = host

    sdk_date = format_sdk_date(now if now is not None else datetime.now(UTC))
    to_sign[DATE_HEADER.lower()] = added[DATE_HEADER] = sdk_date

    names = _normalise_names(to_sign)
    canonical = canonical_request(method, path, query, to_sign, names, body)
    value = signature(secret_key, string_to_sign(sdk_date, canonical))
    added[AUTHORIZATION_HEADER] = (
        f"{ALGORITHM} Access={access_key}, SignedHeaders={';'.join(names)}, Signature={value}"
    )
    return added


# --- verification -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Authorization:
    """The parsed fields of an ``SDK-HMAC-SHA256`` Authorization header."""

    access: str
    signed_headers: tuple[str, ...]
    signature: str


def parse_authorization(value: str) -> Authorization:
    """Parse ``SDK-HMAC-SHA256 Access=..., SignedHeaders=a;b, Signature=<hex>``.

    Raises :class:`UnsupportedAlgorithm` for another scheme and :class:`MalformedAuthorization`
    when a field is missing, repeated, empty, unknown or ill-formed.
    """
    if not value.strip():
        raise MalformedAuthorization(f"{AUTHORIZATION_HEADER} header is empty")
    scheme, _, rest = value.strip().partition(" ")
    if scheme != ALGORITHM:
        # The scheme is echoed (it is never secret), shortened so a hostile header cannot
        # flood logs.
        raise UnsupportedAlgorithm(
            f"unsupported signing algorithm {scheme[:40]!r}; expected {ALGORITHM!r}"
        )
    fields: dict[str, str] = {}
    for part in rest.split(","):
        key, sep, field_value = part.strip().partition("=")
        if not sep or key not in _AUTH_FIELDS:
            raise MalformedAuthorization(
                f"Authorization fields must be {', '.join(_AUTH_FIELDS)}; got {key[:40]!r}"
            )
        if key in fields:
            raise MalformedAuthorization(f"Authorization field {key} is repeated")
        if not field_value:
            raise MalformedAuthorization(f"Authorization field {key} is empty")
        fields[key] = field_value
    missing = [key for key in _AUTH_FIELDS if key not in fields]
    if missing:
        raise MalformedAuthorization(f"Authorization lacks field(s) {', '.join(missing)}")

    access = fields["Access"]
    if any(char.isspace() for char in access):
        raise MalformedAuthorization("Access must not contain whitespace")
    names = tuple(fields["SignedHeaders"].split(";"))
    if not all(_HEADER_NAME_RE.fullmatch(name) for name in names):
        raise MalformedAuthorization("SignedHeaders must be header names separated by ';'")
    # Checked before any comparison: compare_digest raises TypeError on non-ASCII text.
    if not _SIGNATURE_RE.fullmatch(fields["Signature"]):
        raise MalformedAuthorization("Signature must be 64 hexadecimal digits")
    return Authorization(access=access, signed_headers=names, signature=fields["Signature"])


def _parse_sdk_date(value: str | None) -> tuple[str, datetime]:
    if value is None:
        raise ClockSkew(f"{DATE_HEADER} header is missing")
    value = value.strip()
    if not _DATE_RE.fullmatch(value):
        raise ClockSkew(f"{DATE_HEADER} must look like 20240102T030405Z")
    try:
        return value, datetime.strptime(value, DATE_FORMAT).replace(tzinfo=UTC)
    except ValueError:
        raise ClockSkew(f"{DATE_HEADER} is not a valid date and time") from None


def verify(
    method: str,
    path: str,
    query: Sequence[tuple[str, str]],
    headers: Mapping[str, str],
    body: bytes,
    *,
    lookup_secret: Callable[[str], str | None],
    now: datetime | None = None,
    max_clock_skew: timedelta = MAX_CLOCK_SKEW,
) -> str:
    """Check a received request's ``SDK-HMAC-SHA256`` signature; return its access key.

    The canonical request is rebuilt from the headers named in the Authorization header's
    SignedHeaders only, so headers added on the way (proxies, HTTP clients) do not matter.
    ``lookup_secret`` maps an access key to its secret key, or ``None`` when unknown.

    Raises a :class:`SignatureError` subclass: :class:`MalformedAuthorization` (also when the
    header is absent), :class:`UnsupportedAlgorithm`, :class:`ClockSkew`,
    :class:`MissingSignedHeader`, :class:`UnknownAccessKey` or :class:`SignatureMismatch`.
    """
    lowered = {name.lower(): value for name, value in headers.items()}
    raw_authorization = lowered.get(AUTHORIZATION_HEADER.lower())
    if raw_authorization is None:
        raise MalformedAuthorization(f"{AUTHORIZATION_HEADER} header is missing")
    auth = parse_authorization(raw_authorization)

    sdk_date, signed_at = _parse_sdk_date(lowered.get(DATE_HEADER.lower()))
    current = _utc(now if now is not None else datetime.now(UTC))
    if abs(current - signed_at) > max_clock_skew:
        raise ClockSkew(f"{DATE_HEADER} is more than {max_clock_skew} away from the server's clock")

    # Structure first, key lookup second: a malformed request never costs a key-store query.
    canonical = canonical_request(method, path, query, lowered, auth.signed_headers, body)
    secret_key = lookup_secret(auth.access)
    if secret_key is None:
        raise UnknownAccessKey(f"unknown access key {auth.access[:64]!r}")

    expected = signature(secret_key, string_to_sign(sdk_date, canonical))
    if not hmac.compare_digest(expected, auth.signature.lower()):
        raise SignatureMismatch(
            "signature does not match the request (method, path, query, signed headers, body)",
            canonical,
        )
    return auth.access
