from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="EnvelopeError")


@_attrs_define
class EnvelopeError:
    """
    Attributes:
        code (str): `""` on success. `40001` a header missing or malformed (`Server-Key`, `Authorization`),
            `40002` a parameter failed (its number in `field`), `40101` unknown Server Key ID or wrong
            secret, `40102` auth ticket expired, already used or unknown, `40103` access token invalid,
            expired or its session ended, `40104` refresh token invalid, expired or reused (the session
            is ended), `40301` a token of another kind, `40302` the end user declined at the institution, `40401` not found
            (or not yours), `40501` wrong
            method, `40901` conflict, `41301` body too large, `42901` too many failed attempts
            (`Retry-After`), `50001` internal error. Example: 40002.
        message (str):
        field (str): The number of the parameter at fault (`"101"` … `"112"`), `""` when none. Example: 105.
    """

    code: str
    message: str
    field: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        field = self.field

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
                "field": field,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        field = d.pop("field")

        envelope_error = cls(
            code=code,
            message=message,
            field=field,
        )

        envelope_error.additional_properties = d
        return envelope_error

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
