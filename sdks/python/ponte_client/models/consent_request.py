from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ConsentRequest")


@_attrs_define
class ConsentRequest:
    """
    Attributes:
        institution_code (str): The institution the end user picked. Example: itau.
        external_track_id (None | str | Unset): Your own reference, echoed in the consent and its webhooks. Example:
            order-42.
        personal_tax_id (None | str | Unset): Must match the link's, when given.
        business_tax_id (None | str | Unset):
        redirect_url (None | str | Unset):
        phone (None | str | Unset):
        email (None | str | Unset):
    """

    institution_code: str
    external_track_id: None | str | Unset = UNSET
    personal_tax_id: None | str | Unset = UNSET
    business_tax_id: None | str | Unset = UNSET
    redirect_url: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        institution_code = self.institution_code

        external_track_id: None | str | Unset
        if isinstance(self.external_track_id, Unset):
            external_track_id = UNSET
        else:
            external_track_id = self.external_track_id

        personal_tax_id: None | str | Unset
        if isinstance(self.personal_tax_id, Unset):
            personal_tax_id = UNSET
        else:
            personal_tax_id = self.personal_tax_id

        business_tax_id: None | str | Unset
        if isinstance(self.business_tax_id, Unset):
            business_tax_id = UNSET
        else:
            business_tax_id = self.business_tax_id

        redirect_url: None | str | Unset
        if isinstance(self.redirect_url, Unset):
            redirect_url = UNSET
        else:
            redirect_url = self.redirect_url

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "institutionCode": institution_code,
            }
        )
        if external_track_id is not UNSET:
            field_dict["externalTrackId"] = external_track_id
        if personal_tax_id is not UNSET:
            field_dict["personalTaxId"] = personal_tax_id
        if business_tax_id is not UNSET:
            field_dict["businessTaxId"] = business_tax_id
        if redirect_url is not UNSET:
            field_dict["redirectUrl"] = redirect_url
        if phone is not UNSET:
            field_dict["phone"] = phone
        if email is not UNSET:
            field_dict["email"] = email

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        institution_code = d.pop("institutionCode")

        def _parse_external_track_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_track_id = _parse_external_track_id(d.pop("externalTrackId", UNSET))

        def _parse_personal_tax_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        personal_tax_id = _parse_personal_tax_id(d.pop("personalTaxId", UNSET))

        def _parse_business_tax_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        business_tax_id = _parse_business_tax_id(d.pop("businessTaxId", UNSET))

        def _parse_redirect_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        redirect_url = _parse_redirect_url(d.pop("redirectUrl", UNSET))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        consent_request = cls(
            institution_code=institution_code,
            external_track_id=external_track_id,
            personal_tax_id=personal_tax_id,
            business_tax_id=business_tax_id,
            redirect_url=redirect_url,
            phone=phone,
            email=email,
        )

        consent_request.additional_properties = d
        return consent_request

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
