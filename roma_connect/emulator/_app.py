"""The emulator's ASGI app: ``GET /v2/{project_id}/instances`` as the spec says, plus an admin API.

Order of checks for an API call, as a gateway in front of the service does it: injected latency
and faults, then authentication (401), then the project (403), then the parameters (400).
Every answer carries ``X-Request-Id``; every error is a ROMA JSON body with the same id.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import logging
import os
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qsl, unquote

from pydantic import ValidationError
from roma_connect_models import Instance, InstanceStatus, ListInstancesParametersQuery
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from .. import signing
from . import _errors
from ._auth import Caller, Credentials
from ._data import FixtureError, demo_instances, parse_instances
from ._faults import Fault, Faults, Journal, JournalEntry, Latency
from ._store import RawPage, Store

log = logging.getLogger("roma_connect.emulator")

# Assumptions stated in openapi.yaml's parameter descriptions (not in the source document).
DEFAULT_LIMIT = 20
MAX_LIMIT = 500
API_PREFIX = "/v2/"
API_SUFFIX = "/instances"
# The query parameters the spec defines, from the generated model.
_QUERY_NAMES = frozenset(ListInstancesParametersQuery.model_fields)
_JSON = "application/json"
_JSON_BYTES = _JSON.encode()
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")


@dataclass
class Emulator:
    """Everything an emulator instance holds: its store, credentials, faults and journal."""

    store: Store
    credentials: Credentials
    faults: Faults = field(default_factory=Faults)
    journal: Journal = field(default_factory=Journal)
    clock: Callable[[], datetime] = lambda: datetime.now(UTC)


# Request ids: 32 hex digits, a random prefix per process and a counter. Unique like a uuid4,
# without a system call for randomness on every request (the id is made on the hot path).
_ID_PREFIX = os.urandom(8).hex()
_ID_COUNTER = itertools.count()


def _request_id() -> str:
    return f"{_ID_PREFIX}{next(_ID_COUNTER):016x}"


def _json(
    data: Any, status: int, request_id: str, headers: dict[str, str] | None = None
) -> Response:
    body = json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(body, status, {**(headers or {}), "X-Request-Id": request_id}, _JSON)


def _error(error: _errors.RomaError, request_id: str) -> Response:
    headers = {**error.headers, "X-Request-Id": request_id}
    return Response(error.body(request_id), error.status, headers, _JSON)


def _system_error() -> _errors.RomaError:
    return _errors.RomaError(500, _errors.SYSTEM_ERROR, _errors.MSG_SYSTEM_ERROR)


def _headers(raw: list[tuple[bytes, bytes]]) -> dict[str, str]:
    """Request headers, names lower-cased, values read as UTF-8 (a signature covers those bytes;
    Starlette's ``Headers`` read latin-1). A repeated header keeps its last value."""
    return {name.decode("latin-1").lower(): value.decode("utf-8", "replace") for name, value in raw}


def _project_id(raw_path: str) -> str:
    """The project id from the raw path, so an encoded "/" stays inside the id."""
    segments = raw_path.split("/")
    if len(segments) != 4 or segments[0] or segments[1] != "v2" or segments[3] != "instances":
        raise _errors.not_found(f"no such path: {unquote(raw_path)}")
    try:
        return unquote(segments[2], errors="strict")
    except UnicodeDecodeError:
        raise _errors.bad_parameter("project_id", "project_id is not valid UTF-8") from None


def _pairs(raw_query: str) -> list[tuple[str, str]]:
    """The query's (name, value) pairs, as ``parse_qsl(keep_blank_values=True)`` reads them."""
    if "%" in raw_query or "+" in raw_query:
        # surrogateescape: bytes that are no UTF-8 survive decoding, and are refused only when
        # a parameter of the spec carries them.
        return parse_qsl(raw_query, keep_blank_values=True, errors="surrogateescape")
    # Nothing to unquote (the usual query): the same pairs without parse_qsl's per-pair work.
    return [
        (name, value)
        for name, _, value in (pair.partition("=") for pair in raw_query.split("&") if pair)
    ]


def _query(raw_query: str) -> ListInstancesParametersQuery:
    """The spec's query parameters, validated by the generated model; 400 names the culprit."""
    seen: dict[str, str] = {}
    # Without escapes and non-ASCII characters, no value can hold bytes that are no UTF-8.
    ascii_only = raw_query.isascii() and "%" not in raw_query
    for name, value in _pairs(raw_query):
        if name not in _QUERY_NAMES:
            continue  # like the service, ignore parameters it does not define
        if name in seen:
            raise _errors.bad_parameter(name, f"{name} is given more than once")
        if not ascii_only:
            try:
                value.encode()
            except UnicodeEncodeError:
                raise _errors.bad_parameter(name, f"{name} is not valid UTF-8") from None
        seen[name] = value
    try:
        query = ListInstancesParametersQuery.model_validate(seen)
    except ValidationError as error:
        first = error.errors()[0]
        name = str(first["loc"][0]) if first["loc"] else "query"
        raise _errors.bad_parameter(name, f"{name}: {first['msg']}") from None
    for name, raw in seen.items():
        # pydantic's lax mode reads text such as "0.0" as the integer 0; on the wire an integer
        # parameter is written in digits, and anything else is refused like any other bad value.
        value = getattr(query, name)
        if isinstance(value, int) and not _WHOLE_NUMBER.fullmatch(raw):
            raise _errors.bad_parameter(name, f"{name} must be a whole number")
    if query.status is not None and not isinstance(query.status, InstanceStatus):
        allowed = ", ".join(s.value for s in InstanceStatus)
        raise _errors.bad_parameter("status", f"status must be one of {allowed}")
    return query


def _render(page: RawPage) -> bytes:
    """The page's JSON body, ``{"total":…,"size":…,"instances":[…]}``, from the stored JSON.

    One join of the store's slices, so one allocation and one copy of the body: each extra
    temporary copy of a large body (a ``str`` join, ``.encode()``, ``%`` formatting) cost more
    than the join itself.
    """
    parts: list[bytes | memoryview] = [
        b'{"total":%d,"size":%d,"instances":[' % (page.total, page.size)
    ]
    for run in page.runs:
        parts += (run, b",")
    if page.runs:
        parts.pop()
    parts.append(b"]}")
    return b"".join(parts)


class _ListInstances:
    """``GET /v2/{project_id}/instances``, as a plain ASGI endpoint.

    Plain ASGI rather than a Starlette request/response function: this is the emulator's hot
    path, and Starlette's per-request wrapping (a ``Request``, a ``Response`` and an exception
    scope around them) cost as much as the emulator's own work once pages come from the
    store's cache. Errors still go out as Starlette responses, built by :func:`_error`.
    """

    def __init__(self, emulator: Emulator) -> None:
        self.emulator = emulator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        emulator = self.emulator
        request_id = _request_id()
        started = time.perf_counter()
        raw_path = (scope.get("raw_path") or b"").decode("latin-1") or scope["path"]
        raw_query = scope.get("query_string", b"").decode("latin-1")
        method = scope["method"]
        caller = Caller(project_id=None, method="none")
        error: _errors.RomaError | None = None
        try:
            project_id = _project_id(raw_path)
            faults = emulator.faults
            # Nothing pending (the usual case): skip take()'s lock. Whatever was added before
            # this request arrived is visible here, and take() decides under the lock.
            if faults.faults or faults.latency is not None:
                fault, delay = faults.take(project_id)
                if delay:
                    await asyncio.sleep(delay)
                if fault is not None:
                    raise fault.error()
            headers = _headers(scope["headers"])
            # Only a signature covers the query string and the body: a token or no credentials
            # at all need neither, so the common case reads and parses nothing it would not use.
            signed = "authorization" in headers
            caller = emulator.credentials.authenticate(
                method,
                raw_path,
                signing.parse_query(raw_query) if signed else (),
                headers,
                await Request(scope, receive).body() if signed else b"",
                emulator.clock(),
            )
            if caller.project_id is not None and caller.project_id != project_id:
                raise _errors.forbidden(
                    f"the credentials are for another project than {project_id}"
                )
            query = _query(raw_query)
            limit = min(DEFAULT_LIMIT if query.limit is None else query.limit, MAX_LIMIT)
            status = None if query.status is None else str(query.status)
            page = emulator.store.raw_page(project_id, status, query.offset or 0, limit)
            body = _render(page)
        except _errors.RomaError as failure:
            error = failure
        except (UnicodeDecodeError, ValueError) as failure:
            error = _errors.bad_parameter("query", f"undecodable request: {failure}")
        except Exception:  # a bug: log it here, answer the documented 500, never a traceback
            log.exception("request %s failed", request_id)
            error = _system_error()
        # The journal has the call before its answer leaves: whoever got the answer can read it.
        emulator.journal.record(
            JournalEntry(
                request_id=request_id,
                time=time.time(),
                method=method,
                path=unquote(raw_path),
                query=raw_query,
                status=200 if error is None else error.status,
                auth=caller.method,
                access_key=caller.access_key,
                error_code=None if error is None else error.error_code,
                duration_ms=round((time.perf_counter() - started) * 1000, 3),
            )
        )
        if error is not None:
            await _error(error, request_id)(scope, receive, send)
            return
        # What Starlette's Response would send: the same headers, in the same order.
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [
                    (b"x-request-id", request_id.encode()),
                    (b"content-length", b"%d" % len(body)),
                    (b"content-type", _JSON_BYTES),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def create_app(emulator: Emulator) -> Starlette:
    """The ASGI app serving ``emulator``."""
    routes = [
        Route("/v2/{project_id:path}/instances", _ListInstances(emulator), methods=["GET"]),
        *_admin_routes(emulator),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={HTTPException: _http_error, Exception: _unexpected},  # type: ignore[dict-item]
    )
    app.state.emulator = emulator
    return app


async def _http_error(request: Request, exc: HTTPException) -> Response:
    """Starlette's own 404/405 (unknown path or method), in ROMA's dialect."""
    if exc.status_code == 405:
        allow = (exc.headers or {}).get("Allow", "")
        error = _errors.method_not_allowed(
            allow, f"{request.method} is not allowed here; {allow} is"
        )
    elif exc.status_code == 404:
        error = _errors.not_found(f"no such path: {request.url.path}")
    else:
        error = _errors.RomaError(exc.status_code, _errors.INVALID_PARAMETER, str(exc.detail))
    return _error(error, _request_id())


async def _unexpected(request: Request, exc: Exception) -> Response:
    request_id = _request_id()
    log.error("request %s failed", request_id, exc_info=exc)
    return _error(_system_error(), request_id)


# --- admin API ---------------------------------------------------------------------------------

Handler = Callable[[Request], Awaitable[Response]]


def _admin(handler: Callable[[Request], Awaitable[Any]], status: int = 200) -> Handler:
    """Wrap an admin handler: JSON in and out, errors in ROMA's dialect, an X-Request-Id."""

    async def wrapped(request: Request) -> Response:
        request_id = _request_id()
        try:
            result = await handler(request)
        except _errors.RomaError as error:
            return _error(error, request_id)
        except (ValueError, TypeError, FixtureError) as error:
            return _error(_errors.bad_parameter("body", str(error)), request_id)
        return _json(result, status, request_id)

    return wrapped


async def _body(request: Request) -> Any:
    raw = await request.body()
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except json.JSONDecodeError as error:
        raise _errors.bad_parameter("body", f"not JSON: {error.msg}") from None


def _int(data: dict[str, Any], key: str, default: int | None) -> int | None:
    value = data.get(key, default)
    if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
        raise _errors.bad_parameter(key, f"{key} must be an integer")
    return value


def _admin_routes(emulator: Emulator) -> list[Route]:
    store, faults, journal = emulator.store, emulator.faults, emulator.journal

    async def health(_: Request) -> Any:
        return {"status": "ok", "instances": store.count()}

    async def state(_: Request) -> Any:
        return {
            "projects": [{"project_id": p, "instances": n} for p, n in store.projects()],
            "auth": sorted(emulator.credentials.modes) or ["off"],
            **faults.describe(),
        }

    async def reset(request: Request) -> Any:
        data = await _body(request)
        seed = _int(data, "seed", 0) or 0
        store.clear()
        faults.clear()
        journal.clear()
        written = store.put(demo_instances(seed)) if seed else 0
        return {"instances": written}

    async def fixtures(request: Request) -> Any:
        instances = parse_instances(await _body(request), "request body")
        return {"instances": store.put(instances)}

    async def put_instance(request: Request) -> Any:
        data = await _body(request)
        if not isinstance(data, dict):
            raise _errors.bad_parameter("body", "an instance object is required")
        data = {
            **data,
            "id": request.path_params["id"],
            "project_id": request.path_params["project_id"],
        }
        try:
            instance = Instance.model_validate(data)
        except ValidationError as error:
            first = error.errors()[0]
            name = ".".join(str(p) for p in first["loc"]) or "body"
            raise _errors.bad_parameter(name, f"{name}: {first['msg']}") from None
        store.put([instance])
        return json.loads(instance.model_dump_json(exclude_none=True))

    async def delete_instance(request: Request) -> Any:
        if not store.delete(request.path_params["project_id"], request.path_params["id"]):
            raise _errors.not_found("no such instance")
        return {"deleted": request.path_params["id"]}

    async def add_fault(request: Request) -> Any:
        data = await _body(request)
        fault = Fault(
            status=_int(data, "status", 503) or 503,
            remaining=_int(data, "count", 1) or 0,
            retry_after=_int(data, "retry_after", None),
            project_id=data.get("project_id"),
            error_code=str(data.get("error_code") or ""),
            error_msg=str(data.get("error_msg") or ""),
        )
        faults.add(fault)
        return faults.describe()

    async def set_latency(request: Request) -> Any:
        data = await _body(request)
        ms = data.get("ms")
        if not isinstance(ms, int | float) or isinstance(ms, bool):
            raise _errors.bad_parameter("ms", "ms must be a number")
        faults.set_latency(Latency(ms=float(ms), remaining=_int(data, "count", None)))
        return faults.describe()

    async def clear_faults(_: Request) -> Any:
        faults.clear(latency=False)
        return faults.describe()

    async def clear_latency(_: Request) -> Any:
        faults.clear(faults=False)
        return faults.describe()

    async def read_journal(request: Request) -> Any:
        limit = request.query_params.get("limit")
        if limit is not None and not limit.isdigit():
            raise _errors.bad_parameter("limit", "limit must be a whole number")
        entries = journal.entries(None if limit is None else int(limit))
        return {"entries": [e.to_dict() for e in entries]}

    async def clear_journal(_: Request) -> Any:
        journal.clear()
        return {"entries": []}

    base = "/_emulator"
    return [
        Route(f"{base}/health", _admin(health), methods=["GET"]),
        Route(f"{base}/state", _admin(state), methods=["GET"]),
        Route(f"{base}/reset", _admin(reset), methods=["POST"]),
        Route(f"{base}/fixtures", _admin(fixtures), methods=["POST"]),
        Route(
            f"{base}/projects/{{project_id}}/instances/{{id}}",
            _admin(put_instance),
            methods=["PUT"],
        ),
        Route(
            f"{base}/projects/{{project_id}}/instances/{{id}}",
            _admin(delete_instance),
            methods=["DELETE"],
        ),
        Route(f"{base}/faults", _admin(add_fault, 201), methods=["POST"]),
        Route(f"{base}/faults", _admin(clear_faults), methods=["DELETE"]),
        Route(f"{base}/latency", _admin(set_latency), methods=["POST"]),
        Route(f"{base}/latency", _admin(clear_latency), methods=["DELETE"]),
        Route(f"{base}/journal", _admin(read_journal), methods=["GET"]),
        Route(f"{base}/journal", _admin(clear_journal), methods=["DELETE"]),
    ]
