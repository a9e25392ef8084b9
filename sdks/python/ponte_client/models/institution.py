from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.product import Product

T = TypeVar("T", bound="Institution")


@_attrs_define
class Institution:
    """
    Attributes:
        institution_code (str): A slug: `itau`, `nubank`, … Example: itau.
        name (str):
        avatar (str): URL of a square logo.
        is_outage (bool): An institution in outage refuses consents with `INSTITUTION_OUTAGE`.
        institution_type (int):
        business_type (str):
        available_resources (list[Product]):
    """

    institution_code: str
    name: str
    avatar: str
    is_outage: bool
    institution_type: int
    business_type: str
    available_resources: list[Product]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        institution_code = self.institution_code

        name = self.name

        avatar = self.avatar

        is_outage = self.is_outage

        institution_type = self.institution_type

        business_type = self.business_type

        available_resources = []
        for available_resources_item_data in self.available_resources:
            available_resources_item = available_resources_item_data.value
            available_resources.append(available_resources_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "institutionCode": institution_code,
                "name": name,
                "avatar": avatar,
                "isOutage": is_outage,
                "institutionType": institution_type,
                "businessType": business_type,
                "availableResources": available_resources,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        institution_code = d.pop("institutionCode")

        name = d.pop("name")

        avatar = d.pop("avatar")

        is_outage = d.pop("isOutage")

        institution_type = d.pop("institutionType")

        business_type = d.pop("businessType")

        available_resources = []
        _available_resources = d.pop("availableResources")
        for available_resources_item_data in _available_resources:
            available_resources_item = Product(available_resources_item_data)

            available_resources.append(available_resources_item)

        institution = cls(
            institution_code=institution_code,
            name=name,
            avatar=avatar,
            is_outage=is_outage,
            institution_type=institution_type,
            business_type=business_type,
            available_resources=available_resources,
        )

        institution.additional_properties = d
        return institution

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
