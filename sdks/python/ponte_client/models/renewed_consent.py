from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="RenewedConsent")


@_attrs_define
class RenewedConsent:
    """
    Attributes:
        consent_id (str):
        status (str):
        expiration_date_time (str): The new expiry, as the institution now holds it.
        previous_expiration_date_time (str):
    """

    consent_id: str
    status: str
    expiration_date_time: str
    previous_expiration_date_time: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        consent_id = self.consent_id

        status = self.status

        expiration_date_time = self.expiration_date_time

        previous_expiration_date_time = self.previous_expiration_date_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "consentId": consent_id,
                "status": status,
                "expirationDateTime": expiration_date_time,
                "previousExpirationDateTime": previous_expiration_date_time,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        consent_id = d.pop("consentId")

        status = d.pop("status")

        expiration_date_time = d.pop("expirationDateTime")

        previous_expiration_date_time = d.pop("previousExpirationDateTime")

        renewed_consent = cls(
            consent_id=consent_id,
            status=status,
            expiration_date_time=expiration_date_time,
            previous_expiration_date_time=previous_expiration_date_time,
        )

        renewed_consent.additional_properties = d
        return renewed_consent

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
