from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.connection import Connection
    from ..models.envelope_error import EnvelopeError


T = TypeVar("T", bound="RevokeConnectionResponse200")


@_attrs_define
class RevokeConnectionResponse200:
    """
    Attributes:
        status (int): The HTTP status, repeated.
        error (EnvelopeError):
        data (Connection): One bank connection of the user: a consent at one institution.
    """

    status: int
    error: EnvelopeError
    data: Connection
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        status = self.status

        error = self.error.to_dict()

        data = self.data.to_dict()

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "error": error,
                "data": data,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.connection import Connection
        from ..models.envelope_error import EnvelopeError

        d = dict(src_dict)
        status = d.pop("status")

        error = EnvelopeError.from_dict(d.pop("error"))

        data = Connection.from_dict(d.pop("data"))

        revoke_connection_response_200 = cls(
            status=status,
            error=error,
            data=data,
        )

        revoke_connection_response_200.additional_properties = d
        return revoke_connection_response_200

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
