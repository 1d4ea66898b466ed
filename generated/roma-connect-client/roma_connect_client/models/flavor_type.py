from enum import StrEnum


class FlavorType(StrEnum):
    BASIC = "basic"
    ENTERPRISE = "enterprise"
    PLATINUM = "platinum"
    PROFESSIONAL = "professional"

    def __str__(self) -> str:
        return str(self.value)
