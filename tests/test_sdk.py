"""The SDK conveniences against the real emulator on loopback (mock transports only where a
response the emulator never gives is needed: a body that is not JSON)."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import logging
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from roma_connect import (
    REGIONS,
    AsyncRomaConnect,
    AuthenticationError,
    BadRequestError,
    PermissionDeniedError,
    RateLimitError,
    RetryPolicy,
    RomaConnect,
    RomaConnectError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
    endpoint_of,
)
from roma_connect.emulator import (
    DEMO_PROJECTS,
    MAX_LIMIT,
    Emulator,
    Fault,
    Settings,
    build,
    demo_instances,
    running,
)
from tests.spec_tools import load_spec

PROJECT, OTHER = DEMO_PROJECTS
TOKEN = "sdk-test-token-0123456789"
AK, SK = "SDKTESTAK0000000001", "sdk-test-secret-key-0123456789abcdef"
SEEDED = 500  # 250 per project
FAST = RetryPolicy(attempts=3, backoff=0.0)


@pytest.fixture(scope="module")
def emulator() -> Emulator:
    return build(Settings(tokens=[(TOKEN, PROJECT)], keys=[(AK, SK, PROJECT)]))[0]


@pytest.fixture(scope="module")
def url(emulator: Emulator) -> Iterator[str]:
    with running(emulator) as base:
        yield base


@pytest.fixture(autouse=True)
def fresh(emulator: Emulator) -> None:
    emulator.store.clear()
    emulator.store.put(demo_instances(SEEDED))
    emulator.faults.clear()
    emulator.journal.clear()


def _expected(status: str | None = None) -> list[str]:
    return [
        i.id
        for i in demo_instances(SEEDED)
        if i.project_id == PROJECT and (status is None or str(i.status) == status)
    ]


def _sync(url: str, **kwargs: Any) -> RomaConnect:
    options: dict[str, Any] = {
        "endpoint": url,
        "project_id": PROJECT,
        "token": TOKEN,
        "retry": FAST,
    }
    return RomaConnect(**{**options, **kwargs})


def _async(url: str, **kwargs: Any) -> AsyncRomaConnect:
    options: dict[str, Any] = {
        "endpoint": url,
        "project_id": PROJECT,
        "token": TOKEN,
        "retry": FAST,
    }
    return AsyncRomaConnect(**{**options, **kwargs})


# --- paging ------------------------------------------------------------------------------------


@pytest.mark.parametrize("page_size", [1, 33, 100, 250, 1000])
def test_iter_instances_yields_every_instance_once(url: str, page_size: int) -> None:
    with _sync(url) as client:
        assert [i.id for i in client.iter_instances(page_size=page_size)] == _expected()


def test_iter_instances_with_a_status_filter(url: str) -> None:
    with _sync(url) as client:
        assert [i.id for i in client.iter_instances(status="RUNNING")] == _expected("RUNNING")


def test_async_iter_instances(url: str) -> None:
    async def collect() -> list[str]:
        async with _async(url) as client:
            return [i.id async for i in client.iter_instances(page_size=40)]

    assert asyncio.run(collect()) == _expected()


@pytest.mark.parametrize(("page_size", "concurrency"), [(7, 1), (50, 4), (100, 16), (1000, 3)])
def test_concurrent_listing_returns_every_instance_once_in_order(
    url: str, page_size: int, concurrency: int
) -> None:
    async def collect() -> list[str]:
        async with _async(url) as client:
            instances = await client.list_all_instances(
                page_size=page_size, max_concurrency=concurrency
            )
            return [i.id for i in instances]

    assert asyncio.run(collect()) == _expected()


def test_concurrent_listing_beyond_the_services_page_cap(url: str, emulator: Emulator) -> None:
    emulator.store.put(demo_instances(2 * 1200, projects=[OTHER]))
    emulator.credentials.add_token("other-token", OTHER)

    async def collect() -> list[str]:
        async with _async(url, project_id=OTHER, token="other-token") as client:
            return [i.id for i in await client.list_all_instances(page_size=5000)]

    ids = asyncio.run(collect())
    expected = emulator.store.page(OTHER, None, 0, 10**6)
    assert ids == [json.loads(body)["id"] for body in expected.bodies]  # pages capped, none lost
    assert len(ids) > MAX_LIMIT


def test_paging_survives_faults_in_the_middle(url: str, emulator: Emulator) -> None:
    with _sync(url) as client:
        seen = []
        for instance in client.iter_instances(page_size=50):
            seen.append(instance.id)
            if len(seen) == 60:  # mid-listing: the next calls fail, then recover
                emulator.faults.add(Fault(status=503, remaining=2))
    assert seen == _expected()
    statuses = [e.status for e in emulator.journal.entries()]
    assert statuses.count(503) == 2


def test_concurrent_listing_survives_429_with_retry_after(url: str, emulator: Emulator) -> None:
    def fail_after_first_page(done: int, total: int) -> None:
        if done == 50:
            emulator.faults.add(Fault(status=429, remaining=2, retry_after=1))

    async def collect() -> list[str]:
        async with _async(url) as client:
            instances = await client.list_all_instances(
                page_size=50, max_concurrency=4, progress=fail_after_first_page
            )
            return [i.id for i in instances]

    assert asyncio.run(collect()) == _expected()
    entries = emulator.journal.entries()
    throttled = [e for e in entries if e.status == 429]
    assert len(throttled) == 2
    # Retry-After: 1 was honoured: the last call came at least a second after the first 429.
    assert max(e.time for e in entries) - throttled[0].time >= 1.0


def test_a_total_that_grows_mid_listing_is_followed(
    url: str, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    extra = list(demo_instances(SEEDED + 40))[SEEDED:]  # 20 more in each project

    def grow(done: int, total: int) -> None:
        if done == 100:
            emulator.store.put(extra)

    async def collect() -> list[str]:
        async with _async(url) as client:
            instances = await client.list_all_instances(page_size=100, progress=grow)
            return [i.id for i in instances]

    ids = asyncio.run(collect())
    assert ids == _expected() + [i.id for i in extra if i.project_id == PROJECT]
    assert "the total changed while listing" in caplog.text


# --- errors ------------------------------------------------------------------------------------


def _error_of(call: Any) -> RomaConnectError:
    with pytest.raises(RomaConnectError) as raised:
        call()
    return raised.value


@pytest.mark.parametrize(
    ("make_client", "kwargs", "cls", "status", "code"),
    [
        ({}, {"status": "BOGUS"}, BadRequestError, 400, "ROMA.00013000"),
        ({"token": "wrong"}, {}, AuthenticationError, 401, "ROMA.00012000"),
        ({"token": None, "ak": AK, "sk": "wrong"}, {}, AuthenticationError, 401, "ROMA.00012000"),
        ({"project_id": OTHER}, {}, PermissionDeniedError, 403, "ROMA.00012000"),
    ],
)
def test_each_error_class_carries_romas_fields(
    url: str,
    emulator: Emulator,
    make_client: dict[str, Any],
    kwargs: dict[str, Any],
    cls: type[RomaConnectError],
    status: int,
    code: str,
) -> None:
    with _sync(url, **make_client) as client:
        error = _error_of(lambda: client.list_instances(**kwargs))
    assert type(error) is cls
    assert (error.status_code, error.error_code) == (status, code)
    assert error.error_msg and error.error_details
    assert error.request_id == emulator.journal.entries()[-1].request_id
    assert error.request_id in str(error) and code in str(error)


@pytest.mark.parametrize(
    ("fault_status", "cls", "calls"),
    [
        (500, ServerError, 3),
        (503, ServerError, 3),
        (429, RateLimitError, 3),
        (418, UnexpectedResponseError, 1),
    ],
)
def test_errors_after_retries(
    url: str, emulator: Emulator, fault_status: int, cls: type[RomaConnectError], calls: int
) -> None:
    emulator.faults.add(Fault(status=fault_status, remaining=10))
    with _sync(url) as client:
        error = _error_of(client.list_instances)
    assert type(error) is cls and error.status_code == fault_status
    assert len(emulator.journal.entries()) == calls  # retried only what is worth retrying


def test_a_body_that_is_not_json_is_an_unexpected_response() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(
            502 if "offset" in str(request.url) else 200,
            text="<html>proxy</html>",
            headers={"X-Request-Id": "from-header"},
        )

    transport = httpx.MockTransport(handler)
    options: dict[str, Any] = {"endpoint": "http://roma.test", "project_id": "p", "token": "t"}
    with RomaConnect(**options, retry=FAST, httpx_args={"transport": transport}) as client:
        error = _error_of(client.list_instances)
        assert type(error) is UnexpectedResponseError
        assert (error.status_code, error.request_id) == (200, "from-header")
        server = _error_of(lambda: client.list_instances(offset=0))
        assert type(server) is ServerError and server.error_code is None
        assert "not a ROMA error" in str(server) and server.request_id == "from-header"


def test_no_answer_is_a_transport_error_after_retries(caplog: pytest.LogCaptureFixture) -> None:
    with RomaConnect(
        endpoint="http://127.0.0.1:9", project_id="p", token=TOKEN, retry=FAST
    ) as client:
        error = _error_of(client.list_instances)
    assert type(error) is TransportError and error.status_code is None
    assert [r.getMessage().split(";")[1] for r in caplog.records] == [
        " retry 1 of 2 in 0.00 s",
        " retry 2 of 2 in 0.00 s",
    ]


# --- credentials and configuration -------------------------------------------------------------


def test_aksk_signing_is_accepted(url: str, emulator: Emulator) -> None:
    with _sync(url, token=None, ak=AK, sk=SK) as client:
        assert [i.id for i in client.iter_instances(status="RUNNING")] == _expected("RUNNING")
    assert {e.auth for e in emulator.journal.entries()} == {"aksk"}


def test_the_signature_matches_one_computed_from_the_documented_algorithm() -> None:
    """An independent implementation of Huawei's signing guide, written out here."""
    sent: list[httpx.Request] = []

    def capture(request: httpx.Request) -> httpx.Response:
        sent.append(request)
        return httpx.Response(200, json={"total": 0, "size": 0, "instances": []})

    options: dict[str, Any] = {"endpoint": "http://roma.test:8080", "project_id": "p r~j"}
    with RomaConnect(
        **options, ak=AK, sk=SK, httpx_args={"transport": httpx.MockTransport(capture)}
    ) as client:
        client.list_instances(status="RUNNING", offset=0, limit=5)
    (request,) = sent
    authorization = request.headers["Authorization"]
    signed_headers = authorization.split("SignedHeaders=")[1].split(",")[0]
    assert signed_headers == "host;x-project-id;x-sdk-date"
    date = request.headers["X-Sdk-Date"]
    canonical = "\n".join(
        [
            "GET",
            "/v2/p%20r~j/instances/",  # each segment encoded (all but A-Za-z0-9-_.~), trailing /
            "limit=5&offset=0&status=RUNNING",  # sorted by name
            f"host:roma.test:8080\nx-project-id:p r~j\nx-sdk-date:{date}\n",
            signed_headers,
            hashlib.sha256(b"").hexdigest(),
        ]
    )
    to_sign = f"SDK-HMAC-SHA256\n{date}\n{hashlib.sha256(canonical.encode()).hexdigest()}"
    expected = hmac.new(SK.encode(), to_sign.encode(), hashlib.sha256).hexdigest()
    assert authorization == (
        f"SDK-HMAC-SHA256 Access={AK}, SignedHeaders={signed_headers}, Signature={expected}"
    )
    assert "X-Auth-Token" not in request.headers


def test_secrets_stay_out_of_repr_errors_and_logs(
    url: str, emulator: Emulator, caplog: pytest.LogCaptureFixture
) -> None:
    emulator.faults.add(Fault(status=503, remaining=1))
    with _sync(url, token=None, ak=AK, sk=SK) as signed, _sync(url) as tokened:
        signed.list_instances()
        texts = [repr(signed), repr(tokened), repr(signed._client), caplog.text]
        texts.append(
            str(_error_of(lambda: _sync(url, token=None, ak=AK, sk="nope").list_instances()))
        )
    for text in texts:
        assert SK not in text and TOKEN not in text and "nope" not in text


def test_configuration_from_the_environment(url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ROMA_ENDPOINT", url)
    monkeypatch.setenv("ROMA_PROJECT_ID", PROJECT)
    monkeypatch.setenv("ROMA_AUTH_TOKEN", TOKEN)
    with RomaConnect() as client:
        assert client.list_instances(limit=1).total == 250
    monkeypatch.delenv("ROMA_AUTH_TOKEN")
    monkeypatch.setenv("HUAWEICLOUD_SDK_AK", AK)
    monkeypatch.setenv("HUAWEICLOUD_SDK_SK", SK)
    with RomaConnect() as client:
        assert client.list_instances(limit=1).total == 250


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"project_id": PROJECT, "token": "t"}, "endpoint or a region"),
        ({"endpoint": "http://x", "token": "t"}, "project id"),
        ({"endpoint": "http://x", "project_id": "p"}, "credentials"),
        (
            {"endpoint": "http://x", "project_id": "p", "token": "t", "ak": "a", "sk": "s"},
            "not both",
        ),
        ({"region": "mars-1", "project_id": "p", "token": "t"}, "unknown region"),
    ],
)
def test_bad_configuration_is_a_clear_value_error(
    monkeypatch: pytest.MonkeyPatch, kwargs: dict[str, Any], message: str
) -> None:
    for name in ("ROMA_ENDPOINT", "ROMA_REGION", "ROMA_PROJECT_ID", "ROMA_AUTH_TOKEN",
                 "HUAWEICLOUD_SDK_AK", "HUAWEICLOUD_SDK_SK"):  # fmt: skip
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ValueError, match=message):
        RomaConnect(**kwargs)


def test_regions_are_the_specs() -> None:
    variables = load_spec()["servers"][0]["variables"]["region"]
    assert list(REGIONS) == variables["enum"]
    assert endpoint_of("cn-north-4") == "https://roma.cn-north-4.myhuaweicloud.com"


def test_retry_policy_waits() -> None:
    policy = RetryPolicy(attempts=4, backoff=0.5, max_backoff=1.0, max_retry_after=30)
    assert policy.delay(1, httpx.Response(503, headers={"Retry-After": "7"})) == 7
    assert policy.delay(1, httpx.Response(503, headers={"Retry-After": "3600"})) == 30
    waits = [policy.delay(n, None) for n in (1, 2, 3) for _ in range(50)]
    assert all(0 <= w <= 1.0 for w in waits) and len(set(waits)) > 10  # jittered, capped
    assert policy.should_retry(3, None) and not policy.should_retry(4, None)
    assert not policy.should_retry(1, httpx.Response(400))
    logging.getLogger("roma_connect").debug("policy %r", policy)
