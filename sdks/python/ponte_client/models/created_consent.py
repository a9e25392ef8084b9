from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="CreatedConsent")


@_attrs_define
class CreatedConsent:
    """
    Attributes:
        consent_id (str):
        consent_redirect_url (str): The institution's own authorization URL: send the end user there.
        expire_at (str):
    """

    consent_id: str
    consent_redirect_url: str
    expire_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        consent_id = self.consent_id

        consent_redirect_url = self.consent_redirect_url

        expire_at = self.expire_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "consentId": consent_id,
                "consentRedirectUrl": consent_redirect_url,
                "expireAt": expire_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        consent_id = d.pop("consentId")

        consent_redirect_url = d.pop("consentRedirectUrl")

        expire_at = d.pop("expireAt")

        created_consent = cls(
            consent_id=consent_id,
            consent_redirect_url=consent_redirect_url,
            expire_at=expire_at,
        )

        created_consent.additional_properties = d
        return created_consent

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
