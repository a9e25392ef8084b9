from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="ConsentExtension")


@_attrs_define
class ConsentExtension:
    """
    Attributes:
        expiration_date_time (str):
        previous_expiration_date_time (str):
        requested_at (str):
    """

    expiration_date_time: str
    previous_expiration_date_time: str
    requested_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        expiration_date_time = self.expiration_date_time

        previous_expiration_date_time = self.previous_expiration_date_time

        requested_at = self.requested_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "expirationDateTime": expiration_date_time,
                "previousExpirationDateTime": previous_expiration_date_time,
                "requestedAt": requested_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        expiration_date_time = d.pop("expirationDateTime")

        previous_expiration_date_time = d.pop("previousExpirationDateTime")

        requested_at = d.pop("requestedAt")

        consent_extension = cls(
            expiration_date_time=expiration_date_time,
            previous_expiration_date_time=previous_expiration_date_time,
            requested_at=requested_at,
        )

        consent_extension.additional_properties = d
        return consent_extension

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
