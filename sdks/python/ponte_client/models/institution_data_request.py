from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.product import Product
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.institution_data_request_products_callback_url_type_0 import (
        InstitutionDataRequestProductsCallbackUrlType0,
    )


T = TypeVar("T", bound="InstitutionDataRequest")


@_attrs_define
class InstitutionDataRequest:
    """
    Attributes:
        tax_id (str): The link's CPF (personal) or CNPJ (business); must match the link. Example: 52998224725.
        link_id (str): The link the consents belong to.
        consent_id (list[str]): Each must be `AUTHORISED`, or the request is refused with `CONSENT_NOT_AUTHORISED`.
        institution_id (None | str | Unset):
        products (list[Product] | None | Unset):
        products_callback_url (InstitutionDataRequestProductsCallbackUrlType0 | None | Unset): A report webhook URL per
            product for this request.
    """

    tax_id: str
    link_id: str
    consent_id: list[str]
    institution_id: None | str | Unset = UNSET
    products: list[Product] | None | Unset = UNSET
    products_callback_url: (
        InstitutionDataRequestProductsCallbackUrlType0 | None | Unset
    ) = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.institution_data_request_products_callback_url_type_0 import (
            InstitutionDataRequestProductsCallbackUrlType0,
        )

        tax_id = self.tax_id

        link_id = self.link_id

        consent_id = self.consent_id

        institution_id: None | str | Unset
        if isinstance(self.institution_id, Unset):
            institution_id = UNSET
        else:
            institution_id = self.institution_id

        products: list[str] | None | Unset
        if isinstance(self.products, Unset):
            products = UNSET
        elif isinstance(self.products, list):
            products = []
            for products_type_0_item_data in self.products:
                products_type_0_item = products_type_0_item_data.value
                products.append(products_type_0_item)

        else:
            products = self.products

        products_callback_url: dict[str, Any] | None | Unset
        if isinstance(self.products_callback_url, Unset):
            products_callback_url = UNSET
        elif isinstance(
            self.products_callback_url, InstitutionDataRequestProductsCallbackUrlType0
        ):
            products_callback_url = self.products_callback_url.to_dict()
        else:
            products_callback_url = self.products_callback_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "taxId": tax_id,
                "linkId": link_id,
                "consentId": consent_id,
            }
        )
        if institution_id is not UNSET:
            field_dict["institutionId"] = institution_id
        if products is not UNSET:
            field_dict["products"] = products
        if products_callback_url is not UNSET:
            field_dict["productsCallbackUrl"] = products_callback_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.institution_data_request_products_callback_url_type_0 import (
            InstitutionDataRequestProductsCallbackUrlType0,
        )

        d = dict(src_dict)
        tax_id = d.pop("taxId")

        link_id = d.pop("linkId")

        consent_id = cast(list[str], d.pop("consentId"))

        def _parse_institution_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        institution_id = _parse_institution_id(d.pop("institutionId", UNSET))

        def _parse_products(data: object) -> list[Product] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                products_type_0 = []
                _products_type_0 = data
                for products_type_0_item_data in _products_type_0:
                    products_type_0_item = Product(products_type_0_item_data)

                    products_type_0.append(products_type_0_item)

                return products_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[Product] | None | Unset, data)

        products = _parse_products(d.pop("products", UNSET))

        def _parse_products_callback_url(
            data: object,
        ) -> InstitutionDataRequestProductsCallbackUrlType0 | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                products_callback_url_type_0 = (
                    InstitutionDataRequestProductsCallbackUrlType0.from_dict(data)
                )

                return products_callback_url_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(
                InstitutionDataRequestProductsCallbackUrlType0 | None | Unset, data
            )

        products_callback_url = _parse_products_callback_url(
            d.pop("productsCallbackUrl", UNSET)
        )

        institution_data_request = cls(
            tax_id=tax_id,
            link_id=link_id,
            consent_id=consent_id,
            institution_id=institution_id,
            products=products,
            products_callback_url=products_callback_url,
        )

        institution_data_request.additional_properties = d
        return institution_data_request

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
