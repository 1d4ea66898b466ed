"""``RomaConnect`` and ``AsyncRomaConnect``: the generated client, with what every SDK adds.

Requests are built by the generated client (``roma_connect_client``: path template,
percent-encoding, query and header parameters); responses are read by the generated pydantic
models (``roma_connect_models``), which validate in compiled code and keep unknown values (open
enums, extra members). On top: credentials from arguments or the environment, AK/SK signing,
timeouts, retries with backoff, typed errors, and paging.
"""

from __future__ import annotations

import asyncio
import logging
import os
import time
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, Self

import httpx
from pydantic import ValidationError
from roma_connect_client import Client
from roma_connect_client.api.instances import list_instances as _operation
from roma_connect_client.types import UNSET
from roma_connect_models import Instance, InstanceStatus, ListInstancesResponse

from . import _exceptions
from ._auth import SdkHmacAuth
from ._retry import RetryPolicy, log_retry

log = logging.getLogger("roma_connect")

# The regions of openapi.yaml's server variable (a test keeps the two lists equal).
REGIONS = (
    "cn-north-1",
    "cn-north-4",
    "cn-east-3",
    "cn-east-2",
    "cn-south-1",
    "ap-southeast-3",
    "ap-southeast-1",
    "ru-northwest-2",
)
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=5.0)
DEFAULT_PAGE_SIZE = 100

ENV_TOKEN = "ROMA_AUTH_TOKEN"
ENV_PROJECT = "ROMA_PROJECT_ID"
ENV_ENDPOINT = "ROMA_ENDPOINT"
ENV_REGION = "ROMA_REGION"
# The official SDK's variable names, so one environment serves both.
ENV_AK = "HUAWEICLOUD_SDK_AK"
ENV_SK = "HUAWEICLOUD_SDK_SK"

Status = InstanceStatus | str


def endpoint_of(region: str) -> str:
    """The regional endpoint of ROMA Connect."""
    if region not in REGIONS:
        raise ValueError(f"unknown region {region!r}; known: {', '.join(REGIONS)}")
    return f"https://roma.{region}.myhuaweicloud.com"


class _Base:
    """Configuration and the request/response handling the sync and async clients share."""

    def __init__(
        self,
        *,
        endpoint: str | None = None,
        region: str | None = None,
        project_id: str | None = None,
        token: str | None = None,
        ak: str | None = None,
        sk: str | None = None,
        timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
        retry: RetryPolicy | None = None,
        httpx_args: dict[str, Any] | None = None,
    ) -> None:
        env = os.environ
        if endpoint and region:
            raise ValueError("give endpoint or region, not both")
        endpoint = endpoint or (endpoint_of(region) if region else None) or env.get(ENV_ENDPOINT)
        if not endpoint and env.get(ENV_REGION):
            endpoint = endpoint_of(env[ENV_REGION])
        if not endpoint:
            raise ValueError(f"an endpoint or a region is required (or {ENV_ENDPOINT})")
        project_id = project_id or env.get(ENV_PROJECT)
        if not project_id:
            raise ValueError(f"a project id is required (or {ENV_PROJECT})")
        if token and (ak or sk):
            raise ValueError("give a token or an AK/SK pair, not both")
        if not token and not (ak or sk):
            token = env.get(ENV_TOKEN)
            if not token:
                ak, sk = env.get(ENV_AK), env.get(ENV_SK)
        if not token and not (ak and sk):
            raise ValueError(f"credentials are required: a token ({ENV_TOKEN}) or ak and sk")

        self.endpoint = endpoint.rstrip("/")
        self.project_id = project_id
        self.retry = retry or RetryPolicy()
        self._token = token or ""
        args = dict(httpx_args or {})
        if ak and sk:
            args["auth"] = SdkHmacAuth(ak, sk, project_id)
        timeout = timeout if isinstance(timeout, httpx.Timeout) else httpx.Timeout(timeout)
        # httpx loads the CA bundle (~20 ms) when a client is built. A plain-HTTP endpoint (an
        # emulator) never shakes hands and redirects are not followed, so it needs no bundle;
        # an https:// endpoint is verified as usual.
        verify = self.endpoint.startswith("https://")
        self._client = Client(
            base_url=self.endpoint, timeout=timeout, verify_ssl=verify, httpx_args=args
        )

    def __repr__(self) -> str:
        auth = "ak/sk" if not self._token else "token"
        return (
            f"{type(self).__name__}(endpoint={self.endpoint!r}, project_id={self.project_id!r}, "
            f"auth={auth})"
        )

    def _request(self, status: Status | None, offset: int | None, limit: int | None) -> Any:
        request = _operation._get_kwargs(
            self.project_id,
            status=UNSET if status is None else status,
            offset=UNSET if offset is None else offset,
            limit=UNSET if limit is None else limit,
            x_auth_token=self._token,
        )
        # Sorted by name, the query is already in the canonical order an AK/SK signature needs
        # (and the same on every call, which helps caches and logs).
        request["params"] = dict(sorted(request["params"].items()))
        return request

    @staticmethod
    def _page(response: httpx.Response) -> ListInstancesResponse:
        if response.status_code != 200:
            raise _exceptions.from_response(response)
        try:
            return ListInstancesResponse.model_validate_json(response.content)
        except ValidationError as error:
            raise _exceptions.UnexpectedResponseError(
                f"200 with a body that is not a page of instances: {error.errors()[0]['msg']}",
                status_code=200,
                error_msg="the body is not a page of instances",
                request_id=response.headers.get("x-request-id"),
            ) from None

    def _wait_before_retry(
        self, attempt: int, response: httpx.Response | None, error: Exception | None
    ) -> float | None:
        """Seconds to wait before retrying attempt ``attempt`` (logged), or None when it is the
        last: then its response is the answer, or, when there was none, TransportError."""
        if not self.retry.should_retry(attempt, response):
            if response is None:
                message = f"no answer from {self.endpoint}: {type(error).__name__}: {error}"
                raise _exceptions.TransportError(message) from None
            return None
        wait = self.retry.delay(attempt, response)
        failure = (
            f"{type(error).__name__}: {error}"
            if response is None
            else str(_exceptions.from_response(response))
        )
        log_retry(attempt, self.retry.attempts, wait, failure)
        return wait

    @staticmethod
    def _plan(first: ListInstancesResponse, page_size: int) -> tuple[list[int], int]:
        """(offsets of the pages after the first, page step), from the first page's total.

        The step is what the first page held when the service capped it below ``page_size``.
        """
        step = min(len(first.instances), page_size)
        if step == 0:
            return [], page_size
        return list(range(len(first.instances), first.total, step)), step


def _unique(instances: list[Instance], seen: set[str]) -> list[Instance]:
    fresh = [i for i in instances if i.id not in seen]
    seen.update(i.id for i in fresh)
    return fresh


class RomaConnect(_Base):
    """Synchronous client of ROMA Connect's instance list.

    ``RomaConnect(endpoint=... | region=..., project_id=..., token=... | ak=..., sk=...)``;
    the project id may come from ``ROMA_PROJECT_ID``, the token from ``ROMA_AUTH_TOKEN`` (or
    AK/SK from ``HUAWEICLOUD_SDK_AK``/``HUAWEICLOUD_SDK_SK``), the endpoint from
    ``ROMA_ENDPOINT`` or ``ROMA_REGION``. Use it as a context manager, or call :meth:`close`.
    """

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection pool."""
        self._client.get_httpx_client().close()

    def list_instances(
        self, *, status: Status | None = None, offset: int | None = None, limit: int | None = None
    ) -> ListInstancesResponse:
        """One page of instances (``total``, ``size``, ``instances``); retried on transient errors.

        Raises a :class:`~roma_connect.RomaConnectError` subclass when the call fails.
        """
        return self._page(self._send(self._request(status, offset, limit)))

    def iter_instances(
        self, *, status: Status | None = None, page_size: int = DEFAULT_PAGE_SIZE
    ) -> Iterator[Instance]:
        """Every instance (of ``status``, if given), page after page, each id once."""
        offset, seen = 0, set[str]()
        while True:
            page = self.list_instances(status=status, offset=offset, limit=page_size)
            yield from _unique(page.instances, seen)
            offset += len(page.instances)
            if not page.instances or offset >= page.total:
                return

    def _send(self, request: dict[str, Any]) -> httpx.Response:
        client = self._client.get_httpx_client()
        attempt = 1
        while True:
            response: httpx.Response | None = None
            error: Exception | None = None
            try:
                response = client.request(**request)
            except (httpx.TransportError, httpx.TimeoutException) as failure:
                error = failure
            wait = self._wait_before_retry(attempt, response, error)
            if wait is None:
                assert response is not None  # _wait_before_retry raised otherwise
                return response
            time.sleep(wait)
            attempt += 1


class AsyncRomaConnect(_Base):
    """Asynchronous client of ROMA Connect's instance list (see :class:`RomaConnect`)."""

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(self, *_: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        """Close the connection pool."""
        await self._client.get_async_httpx_client().aclose()

    async def list_instances(
        self, *, status: Status | None = None, offset: int | None = None, limit: int | None = None
    ) -> ListInstancesResponse:
        """One page of instances; retried on transient errors (see :class:`RomaConnect`)."""
        return self._page(await self._send(self._request(status, offset, limit)))

    async def iter_instances(
        self, *, status: Status | None = None, page_size: int = DEFAULT_PAGE_SIZE
    ) -> AsyncIterator[Instance]:
        """Every instance (of ``status``, if given), page after page, each id once."""
        offset, seen = 0, set[str]()
        while True:
            page = await self.list_instances(status=status, offset=offset, limit=page_size)
            for instance in _unique(page.instances, seen):
                yield instance
            offset += len(page.instances)
            if not page.instances or offset >= page.total:
                return

    async def list_all_instances(
        self,
        *,
        status: Status | None = None,
        page_size: int = DEFAULT_PAGE_SIZE,
        max_concurrency: int = 8,
        progress: Callable[[int, int], None] | None = None,
    ) -> list[Instance]:
        """Every instance, fetching pages concurrently: the first page, then the rest at once.

        The pages after the first are planned from the first page's ``total`` and fetched with
        at most ``max_concurrency`` calls in flight; instances come back in the service's order
        and each id once (a page boundary shifted by a concurrent change can repeat one).

        When ``total`` changes mid-listing: if a later page reports more instances, the extra
        pages are fetched one after another once the planned ones are in; if fewer, the last
        planned pages simply come back short or empty. Either way a warning is logged. An
        instance moved across a page boundary by a concurrent change can be missed; no paging
        API can rule that out. ``progress(done, total)`` is called as instances arrive.
        """
        if max_concurrency < 1:
            raise ValueError("max_concurrency must be at least 1")
        first = await self.list_instances(status=status, offset=0, limit=page_size)
        seen: set[str] = set()
        result = _unique(first.instances, seen)
        if progress:
            progress(len(result), first.total)
        offsets, step = self._plan(first, page_size)
        gate = asyncio.Semaphore(max_concurrency)
        done = len(first.instances)

        async def fetch(offset: int) -> ListInstancesResponse:
            nonlocal done
            async with gate:
                page = await self.list_instances(status=status, offset=offset, limit=page_size)
            done += len(page.instances)
            if progress:
                progress(min(done, first.total), first.total)
            return page

        pages = await asyncio.gather(*(fetch(offset) for offset in offsets))
        total = max([first.total, *(p.total for p in pages)])
        for page in pages:
            result += _unique(page.instances, seen)
        if total != first.total or any(p.total != first.total for p in pages):
            log.warning(
                "the total changed while listing (%d at first, %d at most): the listing may "
                "miss or repeat instances changed meanwhile",
                first.total,
                total,
            )
        offset = offsets[-1] + step if offsets else len(first.instances)
        while offset < total:  # the total grew: fetch what lies past the planned pages
            page = await self.list_instances(status=status, offset=offset, limit=page_size)
            result += _unique(page.instances, seen)
            if not page.instances:
                break
            offset += len(page.instances)
        return result

    async def _send(self, request: dict[str, Any]) -> httpx.Response:
        client = self._client.get_async_httpx_client()
        attempt = 1
        while True:
            response: httpx.Response | None = None
            error: Exception | None = None
            try:
                response = await client.request(**request)
            except (httpx.TransportError, httpx.TimeoutException) as failure:
                error = failure
            wait = self._wait_before_retry(attempt, response, error)
            if wait is None:
                assert response is not None  # _wait_before_retry raised otherwise
                return response
            await asyncio.sleep(wait)
            attempt += 1
