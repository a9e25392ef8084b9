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
        replayed (int):
        skipped (int): Messages to an endpoint a 410 disabled stay dead.
        disabled_endpoints (list[str]):
    """

    replayed: int
    skipped: int
    disabled_endpoints: list[str]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        replayed = self.replayed

        skipped = self.skipped

        disabled_endpoints = self.disabled_endpoints

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "replayed": replayed,
                "skipped": skipped,
                "disabledEndpoints": disabled_endpoints,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        replayed = d.pop("replayed")

        skipped = d.pop("skipped")

        disabled_endpoints = cast(list[str], d.pop("disabledEndpoints"))

        bulk_replay = cls(
            replayed=replayed,
            skipped=skipped,
            disabled_endpoints=disabled_endpoints,
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
