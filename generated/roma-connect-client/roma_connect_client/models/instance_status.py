from enum import StrEnum


class InstanceStatus(StrEnum):
    CREATE_FAILED = "CREATE_FAILED"
    CREATING = "CREATING"
    DELETED = "DELETED"
    DELETE_FAILED = "DELETE_FAILED"
    DELETING = "DELETING"
    ERROR = "ERROR"
    RUNNING = "RUNNING"
    SOFT_DELETED = "SOFT_DELETED"

    def __str__(self) -> str:
        return str(self.value)
