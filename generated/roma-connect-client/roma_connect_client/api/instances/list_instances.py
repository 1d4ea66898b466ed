from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_response import ErrorResponse
from ...models.instance_status import InstanceStatus
from ...models.list_instances_response import ListInstancesResponse
from ...types import UNSET, Response, Unset


def _get_kwargs(
    project_id: str,
    *,
    status: InstanceStatus | str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_auth_token: str,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}
    headers["X-Auth-Token"] = x_auth_token

    params: dict[str, Any] = {}

    json_status: str | Unset
    if isinstance(status, Unset):
        json_status = UNSET
    elif isinstance(status, InstanceStatus):
        json_status = status.value
    else:
        json_status = status
    params["status"] = json_status

    params["offset"] = offset

    params["limit"] = limit

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/v2/{project_id}/instances".format(
            project_id=quote(str(project_id), safe=""),
        ),
        "params": params,
    }

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorResponse | ListInstancesResponse | None:
    if response.status_code == 200:
        response_200 = ListInstancesResponse.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = ErrorResponse.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = ErrorResponse.from_dict(response.json())

        return response_401

    if response.status_code == 403:
        response_403 = ErrorResponse.from_dict(response.json())

        return response_403

    if response.status_code == 500:
        response_500 = ErrorResponse.from_dict(response.json())

        return response_500

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorResponse | ListInstancesResponse]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: InstanceStatus | str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_auth_token: str,
) -> Response[ErrorResponse | ListInstancesResponse]:
    """Querying instance list

     This API is used to obtain the list of virtual instances that meet the search criteria.

    Authorization: each account has all the permissions required to call all APIs, but IAM
    users must be assigned the required permissions (see "Permissions Policies and Supported
    Actions" in the ROMA Connect documentation).

    The official Huawei Python SDK calls this operation
    `RomaClient.check_roma_instance_list_v2` (`CheckRomaInstanceListV2Request`).

    Args:
        project_id (str):
        status (InstanceStatus | str | Unset): Instance status. As a query filter: the status to
            list. In an instance: Instance running status. Assumption (not in the source doc) for
            responses: the English page does not enumerate the running status; the Chinese edition
            lists the same 8 values as the filter.
        offset (int | Unset):
        limit (int | Unset):
        x_auth_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListInstancesResponse]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        status=status,
        offset=offset,
        limit=limit,
        x_auth_token=x_auth_token,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: InstanceStatus | str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_auth_token: str,
) -> ErrorResponse | ListInstancesResponse | None:
    """Querying instance list

     This API is used to obtain the list of virtual instances that meet the search criteria.

    Authorization: each account has all the permissions required to call all APIs, but IAM
    users must be assigned the required permissions (see "Permissions Policies and Supported
    Actions" in the ROMA Connect documentation).

    The official Huawei Python SDK calls this operation
    `RomaClient.check_roma_instance_list_v2` (`CheckRomaInstanceListV2Request`).

    Args:
        project_id (str):
        status (InstanceStatus | str | Unset): Instance status. As a query filter: the status to
            list. In an instance: Instance running status. Assumption (not in the source doc) for
            responses: the English page does not enumerate the running status; the Chinese edition
            lists the same 8 values as the filter.
        offset (int | Unset):
        limit (int | Unset):
        x_auth_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListInstancesResponse
    """

    return sync_detailed(
        project_id=project_id,
        client=client,
        status=status,
        offset=offset,
        limit=limit,
        x_auth_token=x_auth_token,
    ).parsed


async def asyncio_detailed(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: InstanceStatus | str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_auth_token: str,
) -> Response[ErrorResponse | ListInstancesResponse]:
    """Querying instance list

     This API is used to obtain the list of virtual instances that meet the search criteria.

    Authorization: each account has all the permissions required to call all APIs, but IAM
    users must be assigned the required permissions (see "Permissions Policies and Supported
    Actions" in the ROMA Connect documentation).

    The official Huawei Python SDK calls this operation
    `RomaClient.check_roma_instance_list_v2` (`CheckRomaInstanceListV2Request`).

    Args:
        project_id (str):
        status (InstanceStatus | str | Unset): Instance status. As a query filter: the status to
            list. In an instance: Instance running status. Assumption (not in the source doc) for
            responses: the English page does not enumerate the running status; the Chinese edition
            lists the same 8 values as the filter.
        offset (int | Unset):
        limit (int | Unset):
        x_auth_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorResponse | ListInstancesResponse]
    """

    kwargs = _get_kwargs(
        project_id=project_id,
        status=status,
        offset=offset,
        limit=limit,
        x_auth_token=x_auth_token,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    project_id: str,
    *,
    client: AuthenticatedClient | Client,
    status: InstanceStatus | str | Unset = UNSET,
    offset: int | Unset = UNSET,
    limit: int | Unset = UNSET,
    x_auth_token: str,
) -> ErrorResponse | ListInstancesResponse | None:
    """Querying instance list

     This API is used to obtain the list of virtual instances that meet the search criteria.

    Authorization: each account has all the permissions required to call all APIs, but IAM
    users must be assigned the required permissions (see "Permissions Policies and Supported
    Actions" in the ROMA Connect documentation).

    The official Huawei Python SDK calls this operation
    `RomaClient.check_roma_instance_list_v2` (`CheckRomaInstanceListV2Request`).

    Args:
        project_id (str):
        status (InstanceStatus | str | Unset): Instance status. As a query filter: the status to
            list. In an instance: Instance running status. Assumption (not in the source doc) for
            responses: the English page does not enumerate the running status; the Chinese edition
            lists the same 8 values as the filter.
        offset (int | Unset):
        limit (int | Unset):
        x_auth_token (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorResponse | ListInstancesResponse
    """

    return (
        await asyncio_detailed(
            project_id=project_id,
            client=client,
            status=status,
            offset=offset,
            limit=limit,
            x_auth_token=x_auth_token,
        )
    ).parsed
