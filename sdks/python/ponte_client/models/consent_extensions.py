from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.consent_extension import ConsentExtension


T = TypeVar("T", bound="ConsentExtensions")


@_attrs_define
class ConsentExtensions:
    """
    Attributes:
        consent_id (str):
        extensions (list[ConsentExtension]): Newest first.
    """

    consent_id: str
    extensions: list[ConsentExtension]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        consent_id = self.consent_id

        extensions = []
        for extensions_item_data in self.extensions:
            extensions_item = extensions_item_data.to_dict()
            extensions.append(extensions_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "consentId": consent_id,
                "extensions": extensions,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.consent_extension import ConsentExtension

        d = dict(src_dict)
        consent_id = d.pop("consentId")

        extensions = []
        _extensions = d.pop("extensions")
        for extensions_item_data in _extensions:
            extensions_item = ConsentExtension.from_dict(extensions_item_data)

            extensions.append(extensions_item)

        consent_extensions = cls(
            consent_id=consent_id,
            extensions=extensions,
        )

        consent_extensions.additional_properties = d
        return consent_extensions

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
