from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Portal")


@_attrs_define
class Portal:
    """
    Attributes:
        institution_code (str):
        name (str):
        avatar (str):
        is_outage (bool):
        document_types (list[str]):
    """

    institution_code: str
    name: str
    avatar: str
    is_outage: bool
    document_types: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        institution_code = self.institution_code

        name = self.name

        avatar = self.avatar

        is_outage = self.is_outage

        document_types = self.document_types

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "institutionCode": institution_code,
                "name": name,
                "avatar": avatar,
                "isOutage": is_outage,
                "documentTypes": document_types,
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

        document_types = cast(list[str], d.pop("documentTypes"))

        portal = cls(
            institution_code=institution_code,
            name=name,
            avatar=avatar,
            is_outage=is_outage,
            document_types=document_types,
        )

        portal.additional_properties = d
        return portal

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
