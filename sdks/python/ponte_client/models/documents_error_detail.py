from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="DocumentsErrorDetail")


@_attrs_define
class DocumentsErrorDetail:
    """
    Attributes:
        code (str): `invalid_field`, `invalid_credentials`, `invalid_token`, `token_expired`, `not_found`,
            `conflict`, `declined`, `forbidden`, `method_not_allowed`, `payload_too_large`,
            `unsupported_media_type`, `range_not_satisfiable`, `rate_limited` (`Retry-After`),
            `quota_exhausted`, `institution_outage`, `institution_error`, `unavailable`,
            `request_refused`, `internal_error`. Example: invalid_field.
        message (str):
        field (None | str | Unset): The request member (or header) at fault, in the caller's spelling; `null` when none.
            Example: api_secret.
    """

    code: str
    message: str
    field: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        code = self.code

        message = self.message

        field: None | str | Unset
        if isinstance(self.field, Unset):
            field = UNSET
        else:
            field = self.field

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "code": code,
                "message": message,
            }
        )
        if field is not UNSET:
            field_dict["field"] = field

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        code = d.pop("code")

        message = d.pop("message")

        def _parse_field(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        field = _parse_field(d.pop("field", UNSET))

        documents_error_detail = cls(
            code=code,
            message=message,
            field=field,
        )

        documents_error_detail.additional_properties = d
        return documents_error_detail

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
