from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="TokenIssued")


@_attrs_define
class TokenIssued:
    """
    Attributes:
        access_token (str): For the documents app (`/app?access_token=`) or your own: `Authorization: Bearer` on the
            end user's endpoints, for one hour.
        taiki_user_id (str): The end user: name it again in `POST /api/token` to open their app again.
        expires_in (int): Seconds: 3600.
    """

    access_token: str
    taiki_user_id: str
    expires_in: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        access_token = self.access_token

        taiki_user_id = self.taiki_user_id

        expires_in = self.expires_in

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "access_token": access_token,
                "taiki_user_id": taiki_user_id,
                "expires_in": expires_in,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        access_token = d.pop("access_token")

        taiki_user_id = d.pop("taiki_user_id")

        expires_in = d.pop("expires_in")

        token_issued = cls(
            access_token=access_token,
            taiki_user_id=taiki_user_id,
            expires_in=expires_in,
        )

        token_issued.additional_properties = d
        return token_issued

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
