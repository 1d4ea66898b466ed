"""ROMA Connect instance-list toolkit: SDK conveniences over the generated client, and more.

``RomaConnect`` / ``AsyncRomaConnect`` list instances with paging, typed errors and retries;
``roma_connect.emulator`` is a local emulator of the service; ``roma-connect`` is the CLI.
The shapes come from the generated packages (``roma_connect_client``, ``roma_connect_models``),
never re-declared here.
"""

from roma_connect_models import (
    CpuArch,
    FlavorType,
    Instance,
    InstanceStatus,
    ListInstancesResponse,
)

from ._auth import SdkHmacAuth
from ._client import REGIONS, AsyncRomaConnect, RomaConnect, endpoint_of
from ._exceptions import (
    APIError,
    AuthenticationError,
    BadRequestError,
    PermissionDeniedError,
    RateLimitError,
    RomaConnectError,
    ServerError,
    TransportError,
    UnexpectedResponseError,
)
from ._retry import RetryPolicy

__version__ = "0.1.0"

__all__ = [
    "REGIONS",
    "APIError",
    "AsyncRomaConnect",
    "AuthenticationError",
    "BadRequestError",
    "CpuArch",
    "FlavorType",
    "Instance",
    "InstanceStatus",
    "ListInstancesResponse",
    "PermissionDeniedError",
    "RateLimitError",
    "RetryPolicy",
    "RomaConnect",
    "RomaConnectError",
    "SdkHmacAuth",
    "ServerError",
    "TransportError",
    "UnexpectedResponseError",
    "endpoint_of",
]
