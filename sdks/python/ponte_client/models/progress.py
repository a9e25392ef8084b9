from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="Progress")


@_attrs_define
class Progress:
    """
    Attributes:
        id (int):
        institution_code (str):
        status (str): `awaiting_login`, `retrieving`, `success`, `failed` or `expired` (the end user
            did not sign in at the portal within 30 minutes; connecting again to the same
            portal starts it again under the same id).
        files_total (int):
        files_retrieved (int):
    """

    id: int
    institution_code: str
    status: str
    files_total: int
    files_retrieved: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        institution_code = self.institution_code

        status = self.status

        files_total = self.files_total

        files_retrieved = self.files_retrieved

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "institution_code": institution_code,
                "status": status,
                "files_total": files_total,
                "files_retrieved": files_retrieved,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        institution_code = d.pop("institution_code")

        status = d.pop("status")

        files_total = d.pop("files_total")

        files_retrieved = d.pop("files_retrieved")

        progress = cls(
            id=id,
            institution_code=institution_code,
            status=status,
            files_total=files_total,
            files_retrieved=files_retrieved,
        )

        progress.additional_properties = d
        return progress

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
