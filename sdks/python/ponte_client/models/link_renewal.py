from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="LinkRenewal")


@_attrs_define
class LinkRenewal:
    """The consent an update-mode link renews, and how the renewal stands.

    Attributes:
        consent_id (str):
        institution_code (str):  Example: itau.
        institution_name (str):  Example: Itaú.
        avatar (str):
        status (str): `OPEN` (nothing asked of the institution yet), `AWAITING_AUTHORISATION`, `AUTHORISED`
            (renewed: the consent holds the new authorisation) or `REJECTED` (the consent is
            unchanged). Example: AWAITING_AUTHORISATION.
        expiration_date_time (str): The consent's expiry: the new one once `AUTHORISED`.
        reason (None | str | Unset): Why a renewal was `REJECTED` (an Open Finance reason code).
    """

    consent_id: str
    institution_code: str
    institution_name: str
    avatar: str
    status: str
    expiration_date_time: str
    reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        consent_id = self.consent_id

        institution_code = self.institution_code

        institution_name = self.institution_name

        avatar = self.avatar

        status = self.status

        expiration_date_time = self.expiration_date_time

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "consentId": consent_id,
                "institutionCode": institution_code,
                "institutionName": institution_name,
                "avatar": avatar,
                "status": status,
                "expirationDateTime": expiration_date_time,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        consent_id = d.pop("consentId")

        institution_code = d.pop("institutionCode")

        institution_name = d.pop("institutionName")

        avatar = d.pop("avatar")

        status = d.pop("status")

        expiration_date_time = d.pop("expirationDateTime")

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        link_renewal = cls(
            consent_id=consent_id,
            institution_code=institution_code,
            institution_name=institution_name,
            avatar=avatar,
            status=status,
            expiration_date_time=expiration_date_time,
            reason=reason,
        )

        link_renewal.additional_properties = d
        return link_renewal

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
