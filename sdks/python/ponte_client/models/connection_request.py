from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ConnectionRequest")


@_attrs_define
class ConnectionRequest:
    """
    Attributes:
        institution_code (str): The portal, as `GET /api/institutions` lists it.
        ui_locales (None | str | Unset): The language of the portal's sign-in page: `pt-BR` or `en` (OpenID's
            `ui_locales`); without it the portal follows the browser.
    """

    institution_code: str
    ui_locales: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        institution_code = self.institution_code

        ui_locales: None | str | Unset
        if isinstance(self.ui_locales, Unset):
            ui_locales = UNSET
        else:
            ui_locales = self.ui_locales

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "institutionCode": institution_code,
            }
        )
        if ui_locales is not UNSET:
            field_dict["ui_locales"] = ui_locales

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        institution_code = d.pop("institutionCode")

        def _parse_ui_locales(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        ui_locales = _parse_ui_locales(d.pop("ui_locales", UNSET))

        connection_request = cls(
            institution_code=institution_code,
            ui_locales=ui_locales,
        )

        connection_request.additional_properties = d
        return connection_request

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
