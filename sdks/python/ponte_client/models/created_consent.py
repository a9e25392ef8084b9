from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="CreatedConsent")


@_attrs_define
class CreatedConsent:
    """
    Attributes:
        consent_id (str):
        consent_redirect_url (str): The institution's own authorization URL: send the end user there.
        expire_at (str):
        duplicate_of (None | str | Unset): The AUTHORISED consent of the same person at the same institution that
            this one duplicates; `null` when it is the person's only one there.
        duplicate_warning (None | str | Unset): Set when the client asks for a warning (duplicate policy `warn`): what
            the widget tells the end user.
    """

    consent_id: str
    consent_redirect_url: str
    expire_at: str
    duplicate_of: None | str | Unset = UNSET
    duplicate_warning: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        consent_id = self.consent_id

        consent_redirect_url = self.consent_redirect_url

        expire_at = self.expire_at

        duplicate_of: None | str | Unset
        if isinstance(self.duplicate_of, Unset):
            duplicate_of = UNSET
        else:
            duplicate_of = self.duplicate_of

        duplicate_warning: None | str | Unset
        if isinstance(self.duplicate_warning, Unset):
            duplicate_warning = UNSET
        else:
            duplicate_warning = self.duplicate_warning

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "consentId": consent_id,
                "consentRedirectUrl": consent_redirect_url,
                "expireAt": expire_at,
            }
        )
        if duplicate_of is not UNSET:
            field_dict["duplicateOf"] = duplicate_of
        if duplicate_warning is not UNSET:
            field_dict["duplicateWarning"] = duplicate_warning

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        consent_id = d.pop("consentId")

        consent_redirect_url = d.pop("consentRedirectUrl")

        expire_at = d.pop("expireAt")

        def _parse_duplicate_of(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        duplicate_of = _parse_duplicate_of(d.pop("duplicateOf", UNSET))

        def _parse_duplicate_warning(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        duplicate_warning = _parse_duplicate_warning(d.pop("duplicateWarning", UNSET))

        created_consent = cls(
            consent_id=consent_id,
            consent_redirect_url=consent_redirect_url,
            expire_at=expire_at,
            duplicate_of=duplicate_of,
            duplicate_warning=duplicate_warning,
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
