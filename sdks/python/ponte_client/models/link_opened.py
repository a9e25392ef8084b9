from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

T = TypeVar("T", bound="LinkOpened")


@_attrs_define
class LinkOpened:
    """
    Attributes:
        link_id (str):
        link_url (str): The hosted widget for this link.
        link_token (str): The widget's token, as the Data API's link token.
        expire_in (int): Seconds.
    """

    link_id: str
    link_url: str
    link_token: str
    expire_in: int
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        link_id = self.link_id

        link_url = self.link_url

        link_token = self.link_token

        expire_in = self.expire_in

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "linkID": link_id,
                "linkURL": link_url,
                "linkToken": link_token,
                "expireIn": expire_in,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        link_id = d.pop("linkID")

        link_url = d.pop("linkURL")

        link_token = d.pop("linkToken")

        expire_in = d.pop("expireIn")

        link_opened = cls(
            link_id=link_id,
            link_url=link_url,
            link_token=link_token,
            expire_in=expire_in,
        )

        link_opened.additional_properties = d
        return link_opened

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
