"""The official Huawei SDK (``huaweicloudsdkroma``), unchanged, against the emulator on loopback.

It signs with AK/SK (SDK-HMAC-SHA256) and reaches the emulator through its endpoint override,
exactly as a user would point it at a region.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from huaweicloudsdkcore.auth.credentials import BasicCredentials
from huaweicloudsdkcore.exceptions.exceptions import ClientRequestException
from huaweicloudsdkcore.http.http_config import HttpConfig
from huaweicloudsdkroma.v2 import CheckRomaInstanceListV2Request, RomaClient

from roma_connect.emulator import (
    DEMO_PROJECTS,
    Emulator,
    Settings,
    build,
    demo_instances,
    running,
)

PROJECT = DEMO_PROJECTS[0]
AK, SK = "INTEROPAK000000000001", "interop-secret-key-0123456789abcdef"


@pytest.fixture(scope="module", autouse=True)
def _isolated_sdk(tmp_path_factory: pytest.TempPathFactory) -> Iterator[None]:
    """The SDK writes $HOME/.huaweicloud/application_id and honours proxy variables."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("HOME", str(tmp_path_factory.mktemp("sdk-home")))
        patch.setenv("NO_PROXY", "127.0.0.1,localhost")
        yield


@pytest.fixture(scope="module")
def emulator() -> Emulator:
    settings = Settings(seed=250, keys=[(AK, SK, PROJECT)], modes=frozenset({"aksk"}))
    return build(settings)[0]


@pytest.fixture(scope="module")
def endpoint(emulator: Emulator) -> Iterator[str]:
    with running(emulator) as url:
        yield url


def _client(endpoint: str, secret_key: str = SK) -> Any:
    config = HttpConfig.get_default_config()
    config.retry_times = 0  # a refusal must surface, not be retried
    return (
        RomaClient.new_builder()
        .with_http_config(config)
        .with_credentials(BasicCredentials(AK, secret_key, PROJECT))
        .with_endpoints([endpoint])
        .build()
    )


def test_the_official_sdk_lists_every_seeded_instance(endpoint: str, emulator: Emulator) -> None:
    client = _client(endpoint)
    expected = [i for i in demo_instances(250) if i.project_id == PROJECT]
    seen = []
    offset = 0
    while True:
        page = client.check_roma_instance_list_v2(
            CheckRomaInstanceListV2Request(offset=offset, limit=50)
        )
        assert page.total == len(expected)
        if not page.instances:
            break
        seen += page.instances
        offset += page.size
    assert [i.id for i in seen] == [i.id for i in expected]
    assert [i.status for i in seen] == [str(i.status) for i in expected]
    assert {e.auth for e in emulator.journal.entries()} == {"aksk"}


def test_the_official_sdk_filters_by_status(endpoint: str) -> None:
    page = _client(endpoint).check_roma_instance_list_v2(
        CheckRomaInstanceListV2Request(status="RUNNING", limit=500)
    )
    expected = [i for i in demo_instances(250) if i.project_id == PROJECT and i.status == "RUNNING"]
    assert page.total == len(expected) == len(page.instances)


def test_a_wrong_secret_key_is_refused(endpoint: str, emulator: Emulator) -> None:
    with pytest.raises(ClientRequestException) as refused:
        _client(endpoint, secret_key="not-the-secret").check_roma_instance_list_v2(
            CheckRomaInstanceListV2Request(limit=1)
        )
    error = refused.value
    assert error.status_code == 401
    assert error.error_code == "ROMA.00012000"
    assert "signature" in error.error_msg
    assert error.request_id == emulator.journal.entries()[-1].request_id
