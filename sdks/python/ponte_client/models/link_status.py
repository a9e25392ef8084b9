from enum import StrEnum


class LinkStatus(StrEnum):
    COMPLETED = "COMPLETED"
    EXPIRED = "EXPIRED"
    IN_PROGRESS = "IN_PROGRESS"
    PENDING = "PENDING"

    def __str__(self) -> str:
        return str(self.value)
