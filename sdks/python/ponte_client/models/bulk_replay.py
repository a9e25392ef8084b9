from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="BulkReplay")


@_attrs_define
class BulkReplay:
    """
    Attributes:
        disabled_endpoints (list[str]):
        replayed (int):
        skipped (int): Messages to an endpoint a 410 disabled stay dead.
    """

    disabled_endpoints: list[str]
    replayed: int
    skipped: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        disabled_endpoints = self.disabled_endpoints

        replayed = self.replayed

        skipped = self.skipped

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "disabledEndpoints": disabled_endpoints,
                "replayed": replayed,
                "skipped": skipped,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        disabled_endpoints = cast(list[str], d.pop("disabledEndpoints"))

        replayed = d.pop("replayed")

        skipped = d.pop("skipped")

        bulk_replay = cls(
            disabled_endpoints=disabled_endpoints,
            replayed=replayed,
            skipped=skipped,
        )

        bulk_replay.additional_properties = d
        return bulk_replay

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
