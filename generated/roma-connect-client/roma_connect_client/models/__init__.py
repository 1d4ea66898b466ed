"""Contains all the data models used in inputs/outputs"""

from .cpu_arch import CpuArch
from .created_user import CreatedUser
from .error_response import ErrorResponse
from .flavor_type import FlavorType
from .instance import Instance
from .instance_status import InstanceStatus
from .last_updated_user import LastUpdatedUser
from .list_instances_response import ListInstancesResponse

__all__ = (
    "CpuArch",
    "CreatedUser",
    "ErrorResponse",
    "FlavorType",
    "Instance",
    "InstanceStatus",
    "LastUpdatedUser",
    "ListInstancesResponse",
)
