from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="RefreshSchedule")


@_attrs_define
class RefreshSchedule:
    """
    Attributes:
        id (int): The retrieval (`data.id` of its webhooks).
        every_days (int):
        next_refresh_at (str): RFC 3339, on your clock (the sandbox test clock moves it).
        last_refreshed_at (None | str | Unset): RFC 3339, on your clock: when the last refresh ran.
        last_error (None | str | Unset): Why the last refresh could not read the portal (e.g. the end user must connect
            again).
    """

    id: int
    every_days: int
    next_refresh_at: str
    last_refreshed_at: None | str | Unset = UNSET
    last_error: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        every_days = self.every_days

        next_refresh_at = self.next_refresh_at

        last_refreshed_at: None | str | Unset
        if isinstance(self.last_refreshed_at, Unset):
            last_refreshed_at = UNSET
        else:
            last_refreshed_at = self.last_refreshed_at

        last_error: None | str | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "every_days": every_days,
                "next_refresh_at": next_refresh_at,
            }
        )
        if last_refreshed_at is not UNSET:
            field_dict["last_refreshed_at"] = last_refreshed_at
        if last_error is not UNSET:
            field_dict["last_error"] = last_error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        id = d.pop("id")

        every_days = d.pop("every_days")

        next_refresh_at = d.pop("next_refresh_at")

        def _parse_last_refreshed_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_refreshed_at = _parse_last_refreshed_at(d.pop("last_refreshed_at", UNSET))

        def _parse_last_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_error = _parse_last_error(d.pop("last_error", UNSET))

        refresh_schedule = cls(
            id=id,
            every_days=every_days,
            next_refresh_at=next_refresh_at,
            last_refreshed_at=last_refreshed_at,
            last_error=last_error,
        )

        refresh_schedule.additional_properties = d
        return refresh_schedule

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
