from enum import StrEnum


class RequestStatus(StrEnum):
    COMPLETED = "COMPLETED"
    PROCESSING = "PROCESSING"

    def __str__(self) -> str:
        return str(self.value)
