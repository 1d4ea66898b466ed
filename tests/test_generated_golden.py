"""Golden tests: the source page's own example responses, through the generated code.

The bodies come from the vendored page (``seed_doc``); the expected typed values are what the
page's table says each field means.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import httpx
import pytest
import roma_connect_models as models
from roma_connect_client import Client
from roma_connect_client.api.instances import list_instances
from roma_connect_client.models import (
    CpuArch,
    CreatedUser,
    ErrorResponse,
    FlavorType,
    InstanceStatus,
    LastUpdatedUser,
    ListInstancesResponse,
)

from tests import seed_doc

DOC = seed_doc.load()
CREATED = dt.datetime(2019, 12, 6, 6, 49, 4, tzinfo=dt.UTC)


def _call(status: int, body: Any) -> Any:
    transport = httpx.MockTransport(lambda _: httpx.Response(status, json=body))
    client = Client(base_url="http://roma.test", httpx_args={"transport": transport})
    return list_instances.sync_detailed("p", client=client, x_auth_token="t").parsed


def test_documented_page_through_the_client() -> None:
    page = _call(200, DOC.examples[200])
    assert isinstance(page, ListInstancesResponse)
    assert (page.total, page.size, len(page.instances)) == (1, 1, 1)
    instance = page.instances[0]
    assert instance.id == "e34610ca-0a37-4f04-8856-4101b08cc5e2"
    assert instance.description == " "  # a single space survives, as documented
    assert instance.flavor_type is FlavorType.BASIC
    assert instance.cpu_arch is CpuArch.X86_64
    assert instance.status is InstanceStatus.RUNNING
    assert instance.publicip_enable is True
    assert instance.create_time == CREATED and instance.update_time == CREATED
    assert instance.maintain_begin == "22:00:00" and instance.maintain_end == "02:00:00"
    assert instance.enterprise_project_id == "0"
    assert instance.available_zone_ids == ["9f1c5806706d4c1fb0eb72f0a9b18c77"]
    assert isinstance(instance.created_user, CreatedUser)
    assert instance.created_user.user_id == "string"
    assert isinstance(instance.last_updated_user, LastUpdatedUser)
    assert instance.last_updated_user.user_name == "string"
    expected = {**DOC.examples[200]["instances"][0]}
    expected["create_time"] = expected["update_time"] = "2019-12-06T06:49:04+00:00"
    assert page.to_dict() == {**DOC.examples[200], "instances": [expected]}


def test_documented_page_through_the_models() -> None:
    page = models.ListInstancesResponse.model_validate(DOC.examples[200])
    instance = page.instances[0]
    assert instance.flavor_type is models.FlavorType.BASIC
    assert instance.cpu_arch is models.CpuArch.X86_64
    assert instance.status is models.InstanceStatus.RUNNING
    assert instance.create_time == CREATED
    assert page.model_dump(mode="json", exclude_unset=True) == DOC.examples[200]


def test_documented_spellings_outside_the_enums_are_kept() -> None:
    """The page's table spells flavor types "Basic": such a value must parse, and stay as sent."""
    body = {**DOC.examples[200]}
    body["instances"] = [{**body["instances"][0], "flavor_type": "Basic", "cpu_arch": "riscv64"}]
    page = _call(200, body)
    assert page.instances[0].flavor_type == "Basic"
    assert page.instances[0].to_dict()["cpu_arch"] == "riscv64"
    model = models.ListInstancesResponse.model_validate(body)
    assert model.instances[0].flavor_type == "Basic"
    assert not isinstance(model.instances[0].flavor_type, models.FlavorType)


@pytest.mark.parametrize("status", sorted(s for s in DOC.examples if s != 200))
def test_documented_errors(status: int) -> None:
    example = DOC.examples[status]
    error = _call(status, example)
    assert isinstance(error, ErrorResponse)
    assert (error.error_code, error.error_msg) == (example["error_code"], example["error_msg"])
    assert error.request_id == "13760c1fe8655e61209b75665e9bef43"
    assert error.to_dict() == example
    assert models.ErrorResponse.model_validate(example).model_dump(exclude_unset=True) == example


def test_query_parameter_model() -> None:
    """The generated query model keeps the spec's bounds and open status filter."""
    query = models.ListInstancesParametersQuery.model_validate(
        {"status": "RUNNING", "offset": 0, "limit": 1}
    )
    assert query.status is models.InstanceStatus.RUNNING
    assert models.ListInstancesParametersQuery(status="NEW_STATUS").status == "NEW_STATUS"
    with pytest.raises(ValueError, match="offset"):
        models.ListInstancesParametersQuery(offset=-1)
    with pytest.raises(ValueError, match="limit"):
        models.ListInstancesParametersQuery(limit=0)
