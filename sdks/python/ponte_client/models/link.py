from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.link_status import LinkStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.consent import Consent
    from ..models.link_products_callback_url import LinkProductsCallbackUrl


T = TypeVar("T", bound="Link")


@_attrs_define
class Link:
    """
    Attributes:
        link_id (str):
        status (LinkStatus):
        products_callback_url (LinkProductsCallbackUrl):
        external_info (Any):
        created_at (str): RFC 3339, UTC.
        expire_at (str):
        consents (list[Consent]):
        personal_tax_id (None | str | Unset):
        business_tax_id (None | str | Unset):
        email (None | str | Unset):
        phone (None | str | Unset):
        redirect_url (None | str | Unset):
    """

    link_id: str
    status: LinkStatus
    products_callback_url: LinkProductsCallbackUrl
    external_info: Any
    created_at: str
    expire_at: str
    consents: list[Consent]
    personal_tax_id: None | str | Unset = UNSET
    business_tax_id: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    redirect_url: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        link_id = self.link_id

        status = self.status.value

        products_callback_url = self.products_callback_url.to_dict()

        external_info = self.external_info

        created_at = self.created_at

        expire_at = self.expire_at

        consents = []
        for consents_item_data in self.consents:
            consents_item = consents_item_data.to_dict()
            consents.append(consents_item)

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

        email: None | str | Unset
        if isinstance(self.email, Unset):
            email = UNSET
        else:
            email = self.email

        phone: None | str | Unset
        if isinstance(self.phone, Unset):
            phone = UNSET
        else:
            phone = self.phone

        redirect_url: None | str | Unset
        if isinstance(self.redirect_url, Unset):
            redirect_url = UNSET
        else:
            redirect_url = self.redirect_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "linkId": link_id,
                "status": status,
                "productsCallbackUrl": products_callback_url,
                "externalInfo": external_info,
                "createdAt": created_at,
                "expireAt": expire_at,
                "consents": consents,
            }
        )
        if personal_tax_id is not UNSET:
            field_dict["personalTaxId"] = personal_tax_id
        if business_tax_id is not UNSET:
            field_dict["businessTaxId"] = business_tax_id
        if email is not UNSET:
            field_dict["email"] = email
        if phone is not UNSET:
            field_dict["phone"] = phone
        if redirect_url is not UNSET:
            field_dict["redirectUrl"] = redirect_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.consent import Consent
        from ..models.link_products_callback_url import LinkProductsCallbackUrl

        d = dict(src_dict)
        link_id = d.pop("linkId")

        status = LinkStatus(d.pop("status"))

        products_callback_url = LinkProductsCallbackUrl.from_dict(
            d.pop("productsCallbackUrl")
        )

        external_info = d.pop("externalInfo")

        created_at = d.pop("createdAt")

        expire_at = d.pop("expireAt")

        consents = []
        _consents = d.pop("consents")
        for consents_item_data in _consents:
            consents_item = Consent.from_dict(consents_item_data)

            consents.append(consents_item)

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

        def _parse_email(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        email = _parse_email(d.pop("email", UNSET))

        def _parse_phone(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        phone = _parse_phone(d.pop("phone", UNSET))

        def _parse_redirect_url(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        redirect_url = _parse_redirect_url(d.pop("redirectUrl", UNSET))

        link = cls(
            link_id=link_id,
            status=status,
            products_callback_url=products_callback_url,
            external_info=external_info,
            created_at=created_at,
            expire_at=expire_at,
            consents=consents,
            personal_tax_id=personal_tax_id,
            business_tax_id=business_tax_id,
            email=email,
            phone=phone,
            redirect_url=redirect_url,
        )

        link.additional_properties = d
        return link

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
