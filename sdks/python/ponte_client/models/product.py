from enum import StrEnum


class Product(StrEnum):
    ACCOUNTS = "accounts"
    CREDITCARDS = "creditCards"
    INSIGHTS = "insights"
    INVESTMENTS = "investments"
    LOANS = "loans"
    REGISTRATION = "registration"

    def __str__(self) -> str:
        return str(self.value)
