from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.open_link_doc_external_info_type_0 import OpenLinkDocExternalInfoType0
    from ..models.open_link_doc_products_callback_url_type_0 import (
        OpenLinkDocProductsCallbackUrlType0,
    )


T = TypeVar("T", bound="OpenLinkDoc")


@_attrs_define
class OpenLinkDoc:
    """At least one tax id. Every field is optional on its own.

    Attributes:
        personal_tax_id (None | str | Unset): The person's CPF, with or without punctuation. Example: 529.982.247-25.
        business_tax_id (None | str | Unset): The company's CNPJ, with or without punctuation. Example:
            11.222.333/0001-81.
        email (None | str | Unset):  Example: ana@example.com.
        phone (None | str | Unset):  Example: +5511987654321.
        redirect_url (None | str | Unset): Where the end user returns after the institution (https, or http on
            loopback); empty
            is the same as absent. Example: https://app.example.com/done.
        products_callback_url (None | OpenLinkDocProductsCallbackUrlType0 | Unset): A report webhook URL per product,
            overriding the client's report webhook. Example: {'accounts': 'https://app.example.com/hooks/accounts'}.
        external_info (None | OpenLinkDocExternalInfoType0 | Unset): Your own data (a JSON object), returned with the
            link.
        consent_id (None | str | Unset): Update mode: one of your consents (`AUTHORISED`) the end user renews at its
            institution.
            The widget skips the institution list; the consent keeps its `consentId`, reports and
            webhooks, and takes the new authorisation and expiry (`CONSENT_RENEWED`). The tax ids
            may be left out (the consent's are used). Another client's consent answers 404; an
            ended one, or one with an update-mode link already open, 409 `CONFLICT`. Example:
            5f0c6a7e-2b1d-4c55-9a53-0e8f2d1c9b7a.
    """

    personal_tax_id: None | str | Unset = UNSET
    business_tax_id: None | str | Unset = UNSET
    email: None | str | Unset = UNSET
    phone: None | str | Unset = UNSET
    redirect_url: None | str | Unset = UNSET
    products_callback_url: None | OpenLinkDocProductsCallbackUrlType0 | Unset = UNSET
    external_info: None | OpenLinkDocExternalInfoType0 | Unset = UNSET
    consent_id: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.open_link_doc_external_info_type_0 import (
            OpenLinkDocExternalInfoType0,
        )
        from ..models.open_link_doc_products_callback_url_type_0 import (
            OpenLinkDocProductsCallbackUrlType0,
        )

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

        products_callback_url: dict[str, Any] | None | Unset
        if isinstance(self.products_callback_url, Unset):
            products_callback_url = UNSET
        elif isinstance(
            self.products_callback_url, OpenLinkDocProductsCallbackUrlType0
        ):
            products_callback_url = self.products_callback_url.to_dict()
        else:
            products_callback_url = self.products_callback_url

        external_info: dict[str, Any] | None | Unset
        if isinstance(self.external_info, Unset):
            external_info = UNSET
        elif isinstance(self.external_info, OpenLinkDocExternalInfoType0):
            external_info = self.external_info.to_dict()
        else:
            external_info = self.external_info

        consent_id: None | str | Unset
        if isinstance(self.consent_id, Unset):
            consent_id = UNSET
        else:
            consent_id = self.consent_id

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update({})
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
        if products_callback_url is not UNSET:
            field_dict["productsCallbackUrl"] = products_callback_url
        if external_info is not UNSET:
            field_dict["externalInfo"] = external_info
        if consent_id is not UNSET:
            field_dict["consentId"] = consent_id

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.open_link_doc_external_info_type_0 import (
            OpenLinkDocExternalInfoType0,
        )
        from ..models.open_link_doc_products_callback_url_type_0 import (
            OpenLinkDocProductsCallbackUrlType0,
        )

        d = dict(src_dict)

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

        def _parse_products_callback_url(
            data: object,
        ) -> None | OpenLinkDocProductsCallbackUrlType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                products_callback_url_type_0 = (
                    OpenLinkDocProductsCallbackUrlType0.from_dict(data)
                )

                return products_callback_url_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OpenLinkDocProductsCallbackUrlType0 | Unset, data)

        products_callback_url = _parse_products_callback_url(
            d.pop("productsCallbackUrl", UNSET)
        )

        def _parse_external_info(
            data: object,
        ) -> None | OpenLinkDocExternalInfoType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                external_info_type_0 = OpenLinkDocExternalInfoType0.from_dict(data)

                return external_info_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | OpenLinkDocExternalInfoType0 | Unset, data)

        external_info = _parse_external_info(d.pop("externalInfo", UNSET))

        def _parse_consent_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        consent_id = _parse_consent_id(d.pop("consentId", UNSET))

        open_link_doc = cls(
            personal_tax_id=personal_tax_id,
            business_tax_id=business_tax_id,
            email=email,
            phone=phone,
            redirect_url=redirect_url,
            products_callback_url=products_callback_url,
            external_info=external_info,
            consent_id=consent_id,
        )

        open_link_doc.additional_properties = d
        return open_link_doc

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
