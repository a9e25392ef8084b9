from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EndpointQuota")


@_attrs_define
class EndpointQuota:
    """
    Attributes:
        endpoint (str): The Open Finance path template. Example: /open-
            banking/accounts/v2/accounts/{accountId}/transactions.
        limit (int): Calls a month per resource (account, card, bill) the endpoint names. Example: 4.
        used (int): Calls this month by the resource that made the most.
        remaining (int):
        resets_at (str): When the month ends at the institution and the budget starts again. Example:
            2027-01-01T03:00:00.000Z.
    """

    endpoint: str
    limit: int
    used: int
    remaining: int
    resets_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        endpoint = self.endpoint

        limit = self.limit

        used = self.used

        remaining = self.remaining

        resets_at = self.resets_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "endpoint": endpoint,
                "limit": limit,
                "used": used,
                "remaining": remaining,
                "resetsAt": resets_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        endpoint = d.pop("endpoint")

        limit = d.pop("limit")

        used = d.pop("used")

        remaining = d.pop("remaining")

        resets_at = d.pop("resetsAt")

        endpoint_quota = cls(
            endpoint=endpoint,
            limit=limit,
            used=used,
            remaining=remaining,
            resets_at=resets_at,
        )

        endpoint_quota.additional_properties = d
        return endpoint_quota

    @property
    def additional_keys(self) -> list[str]:
        return list(self.additional_properties.keys())

    def __getitem__(self, key: str) -> Any:
        return self.additional_properties[key]

    def __setitem__(self, key: str, value: Any) -> None:
        self.additional_properties[key] = value

    def __delitem__(self, key: str) -> None:
        del self.additional_properties[key]

    def __contains__(self, key: str) -> bool:
        return key in self.additional_properties
