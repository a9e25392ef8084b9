from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.file_entry import FileEntry
    from ..models.retrieval_data import RetrievalData
    from ..models.webhook_error import WebhookError


T = TypeVar("T", bound="RetrievalWebhook")


@_attrs_define
class RetrievalWebhook:
    """The webhook `documents.ready`: the retrieval's body, named, with its id.

    Attributes:
        status (str): `success` (at least one file arrived) or `failed`.
        data (RetrievalData):
        files (list[FileEntry]):
        event (str): `documents.ready`.
        event_id (str): The `webhook-id` header's value: stable across retries, deduplicate on it.
        error (None | Unset | WebhookError):
    """

    status: str
    data: RetrievalData
    files: list[FileEntry]
    event: str
    event_id: str
    error: None | Unset | WebhookError = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        from ..models.webhook_error import WebhookError

        status = self.status

        data = self.data.to_dict()

        files = []
        for files_item_data in self.files:
            files_item = files_item_data.to_dict()
            files.append(files_item)

        event = self.event

        event_id = self.event_id

        error: dict[str, Any] | None | Unset
        if isinstance(self.error, Unset):
            error = UNSET
        elif isinstance(self.error, WebhookError):
            error = self.error.to_dict()
        else:
            error = self.error

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "status": status,
                "data": data,
                "files": files,
                "event": event,
                "event_id": event_id,
            }
        )
        if error is not UNSET:
            field_dict["error"] = error

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.file_entry import FileEntry
        from ..models.retrieval_data import RetrievalData
        from ..models.webhook_error import WebhookError

        d = dict(src_dict)
        status = d.pop("status")

        data = RetrievalData.from_dict(d.pop("data"))

        files = []
        _files = d.pop("files")
        for files_item_data in _files:
            files_item = FileEntry.from_dict(files_item_data)

            files.append(files_item)

        event = d.pop("event")

        event_id = d.pop("event_id")

        def _parse_error(data: object) -> None | Unset | WebhookError:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, dict):
                    raise TypeError()
                error_type_0 = WebhookError.from_dict(data)

                return error_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(None | Unset | WebhookError, data)

        error = _parse_error(d.pop("error", UNSET))

        retrieval_webhook = cls(
            status=status,
            data=data,
            files=files,
            event=event,
            event_id=event_id,
            error=error,
        )

        retrieval_webhook.additional_properties = d
        return retrieval_webhook

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
