from enum import StrEnum


class ConsentStatus(StrEnum):
    AUTHORISED = "AUTHORISED"
    AWAITING_AUTHORISATION = "AWAITING_AUTHORISATION"
    EXPIRED = "EXPIRED"
    REJECTED = "REJECTED"
    REVOKED = "REVOKED"

    def __str__(self) -> str:
        return str(self.value)
