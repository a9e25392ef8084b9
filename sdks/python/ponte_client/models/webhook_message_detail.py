from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.webhook_attempt import WebhookAttempt


T = TypeVar("T", bound="WebhookMessageDetail")


@_attrs_define
class WebhookMessageDetail:
    """
    Attributes:
        attempts (int):
        created_at (str):
        event_type (str): `CONSENT_STATUS_CHANGED` or `REPORT_READY`.
        id (str):
        payload (Any): The exact body sent.
        status (str): `pending`, `delivered` or `dead`.
        attempt_history (list[WebhookAttempt]):
        finished_at (None | str | Unset):
        last_error (None | str | Unset):
        next_attempt_at (None | str | Unset):
    """

    attempts: int
    created_at: str
    event_type: str
    id: str
    payload: Any
    status: str
    attempt_history: list[WebhookAttempt]
    finished_at: None | str | Unset = UNSET
    last_error: None | str | Unset = UNSET
    next_attempt_at: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        attempts = self.attempts

        created_at = self.created_at

        event_type = self.event_type

        id = self.id

        payload = self.payload

        status = self.status

        attempt_history = []
        for attempt_history_item_data in self.attempt_history:
            attempt_history_item = attempt_history_item_data.to_dict()
            attempt_history.append(attempt_history_item)

        finished_at: None | str | Unset
        if isinstance(self.finished_at, Unset):
            finished_at = UNSET
        else:
            finished_at = self.finished_at

        last_error: None | str | Unset
        if isinstance(self.last_error, Unset):
            last_error = UNSET
        else:
            last_error = self.last_error

        next_attempt_at: None | str | Unset
        if isinstance(self.next_attempt_at, Unset):
            next_attempt_at = UNSET
        else:
            next_attempt_at = self.next_attempt_at

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "attempts": attempts,
                "createdAt": created_at,
                "eventType": event_type,
                "id": id,
                "payload": payload,
                "status": status,
                "attemptHistory": attempt_history,
            }
        )
        if finished_at is not UNSET:
            field_dict["finishedAt"] = finished_at
        if last_error is not UNSET:
            field_dict["lastError"] = last_error
        if next_attempt_at is not UNSET:
            field_dict["nextAttemptAt"] = next_attempt_at

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.webhook_attempt import WebhookAttempt

        d = dict(src_dict)
        attempts = d.pop("attempts")

        created_at = d.pop("createdAt")

        event_type = d.pop("eventType")

        id = d.pop("id")

        payload = d.pop("payload")

        status = d.pop("status")

        attempt_history = []
        _attempt_history = d.pop("attemptHistory")
        for attempt_history_item_data in _attempt_history:
            attempt_history_item = WebhookAttempt.from_dict(attempt_history_item_data)

            attempt_history.append(attempt_history_item)

        def _parse_finished_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        finished_at = _parse_finished_at(d.pop("finishedAt", UNSET))

        def _parse_last_error(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        last_error = _parse_last_error(d.pop("lastError", UNSET))

        def _parse_next_attempt_at(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        next_attempt_at = _parse_next_attempt_at(d.pop("nextAttemptAt", UNSET))

        webhook_message_detail = cls(
            attempts=attempts,
            created_at=created_at,
            event_type=event_type,
            id=id,
            payload=payload,
            status=status,
            attempt_history=attempt_history,
            finished_at=finished_at,
            last_error=last_error,
            next_attempt_at=next_attempt_at,
        )

        webhook_message_detail.additional_properties = d
        return webhook_message_detail

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
