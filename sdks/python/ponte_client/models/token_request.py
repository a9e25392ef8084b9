from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.token_request_metadata_type_0 import TokenRequestMetadataType0


T = TypeVar("T", bound="TokenRequest")


@_attrs_define
class TokenRequest:
    """
    Attributes:
        api_key (str): Your API key: the same pair as every dialect.
        api_secret (str): Its secret (a rotated-out secret works through its grace period).
        taiki_user_id (None | str | Unset): Name an end user made before to open their app again; absent, a new one is
            made.
        metadata (None | TokenRequestMetadataType0 | Unset): A JSON object (at most 4 KiB) echoed in the retrieval's
            webhook.
    """

    api_key: str
    api_secret: str
    taiki_user_id: None | str | Unset = UNSET
    metadata: None | TokenRequestMetadataType0 | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.token_request_metadata_type_0 import TokenRequestMetadataType0

        api_key = self.api_key

        api_secret = self.api_secret

        taiki_user_id: None | str | Unset
        if isinstance(self.taiki_user_id, Unset):
            taiki_user_id = UNSET
        else:
            taiki_user_id = self.taiki_user_id

        metadata: dict[str, Any] | None | Unset
        if isinstance(self.metadata, Unset):
            metadata = UNSET
        elif isinstance(self.metadata, TokenRequestMetadataType0):
            metadata = self.metadata.to_dict()
        else:
            metadata = self.metadata

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "api_key": api_key,
                "api_secret": api_secret,
            }
        )
        if taiki_user_id is not UNSET:
            field_dict["taiki_user_id"] = taiki_user_id
        if metadata is not UNSET:
            field_dict["metadata"] = metadata

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.token_request_metadata_type_0 import TokenRequestMetadataType0

        d = dict(src_dict)
        api_key = d.pop("api_key")

        api_secret = d.pop("api_secret")

        def _parse_taiki_user_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        taiki_user_id = _parse_taiki_user_id(d.pop("taiki_user_id", UNSET))

        def _parse_metadata(data: object) -> None | TokenRequestMetadataType0 | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                metadata_type_0 = TokenRequestMetadataType0.from_dict(data)

                return metadata_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | TokenRequestMetadataType0 | Unset, data)

        metadata = _parse_metadata(d.pop("metadata", UNSET))

        token_request = cls(
            api_key=api_key,
            api_secret=api_secret,
            taiki_user_id=taiki_user_id,
            metadata=metadata,
        )

        token_request.additional_properties = d
        return token_request

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
