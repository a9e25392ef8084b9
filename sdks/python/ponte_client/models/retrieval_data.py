from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.retrieval_data_metadata import RetrievalDataMetadata


T = TypeVar("T", bound="RetrievalData")


@_attrs_define
class RetrievalData:
    """
    Attributes:
        id (int):
        client_id (str): The end user's `taiki_user_id` (the quickstart's name for it).
        taiki_user_id (str): The end user's `taiki_user_id`, under its own name.
        metadata (RetrievalDataMetadata):
        created_at (str):
    """

    id: int
    client_id: str
    taiki_user_id: str
    metadata: RetrievalDataMetadata
    created_at: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        id = self.id

        client_id = self.client_id

        taiki_user_id = self.taiki_user_id

        metadata = self.metadata.to_dict()

        created_at = self.created_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "id": id,
                "client_id": client_id,
                "taiki_user_id": taiki_user_id,
                "metadata": metadata,
                "created_at": created_at,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.retrieval_data_metadata import RetrievalDataMetadata

        d = dict(src_dict)
        id = d.pop("id")

        client_id = d.pop("client_id")

        taiki_user_id = d.pop("taiki_user_id")

        metadata = RetrievalDataMetadata.from_dict(d.pop("metadata"))

        created_at = d.pop("created_at")

        retrieval_data = cls(
            id=id,
            client_id=client_id,
            taiki_user_id=taiki_user_id,
            metadata=metadata,
            created_at=created_at,
        )

        retrieval_data.additional_properties = d
        return retrieval_data

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
