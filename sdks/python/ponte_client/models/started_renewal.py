from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="StartedRenewal")


@_attrs_define
class StartedRenewal:
    """Where the end user authorises the renewal.

    Attributes:
        consent_id (str): The consent being renewed (its id does not change).
        consent_redirect_url (str): The institution's own authorization URL for the new authorisation.
    """

    consent_id: str
    consent_redirect_url: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        consent_id = self.consent_id

        consent_redirect_url = self.consent_redirect_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "consentId": consent_id,
                "consentRedirectUrl": consent_redirect_url,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        consent_id = d.pop("consentId")

        consent_redirect_url = d.pop("consentRedirectUrl")

        started_renewal = cls(
            consent_id=consent_id,
            consent_redirect_url=consent_redirect_url,
        )

        started_renewal.additional_properties = d
        return started_renewal

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
