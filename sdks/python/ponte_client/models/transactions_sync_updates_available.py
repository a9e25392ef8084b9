from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.transactions_sync_updates_available_external_info import (
        TransactionsSyncUpdatesAvailableExternalInfo,
    )


T = TypeVar("T", bound="TransactionsSyncUpdatesAvailable")


@_attrs_define
class TransactionsSyncUpdatesAvailable:
    """Sent to the client's event webhook when a refresh finds transactions added,
    modified or removed: call the sync endpoint with your last cursor.

        Attributes:
            event (str):  Example: TRANSACTIONS_SYNC_UPDATES_AVAILABLE.
            consent_id (str):
            link_id (str):
            institution_code (str):
            initial_update_complete (bool): The recent window has been read.
            historical_update_complete (bool): The whole history has been read.
            occurred_at (str):
            event_id (str): The `webhook-id` header's value: stable across retries, deduplicate on it. Example:
                msg_0193a2b4c5d67e8f9a0b1c2d3e4f5a6b.
            external_info (TransactionsSyncUpdatesAvailableExternalInfo): The `externalInfo` object you attached to the link
                (`{}` when none).
            external_track_id (None | str | Unset): The `externalTrackId` you gave the consent.
            xc_user_id (None | str | Unset): Your own id for the user (`xcUserID`) when a Server API user opened the link.
            duplicate_of (None | str | Unset): The AUTHORISED consent of the same person at the same institution that
                this consent duplicates (see the client's duplicate policy).
    """

    event: str
    consent_id: str
    link_id: str
    institution_code: str
    initial_update_complete: bool
    historical_update_complete: bool
    occurred_at: str
    event_id: str
    external_info: TransactionsSyncUpdatesAvailableExternalInfo
    external_track_id: None | str | Unset = UNSET
    xc_user_id: None | str | Unset = UNSET
    duplicate_of: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event

        consent_id = self.consent_id

        link_id = self.link_id

        institution_code = self.institution_code

        initial_update_complete = self.initial_update_complete

        historical_update_complete = self.historical_update_complete

        occurred_at = self.occurred_at

        event_id = self.event_id

        external_info = self.external_info.to_dict()

        external_track_id: None | str | Unset
        if isinstance(self.external_track_id, Unset):
            external_track_id = UNSET
        else:
            external_track_id = self.external_track_id

        xc_user_id: None | str | Unset
        if isinstance(self.xc_user_id, Unset):
            xc_user_id = UNSET
        else:
            xc_user_id = self.xc_user_id

        duplicate_of: None | str | Unset
        if isinstance(self.duplicate_of, Unset):
            duplicate_of = UNSET
        else:
            duplicate_of = self.duplicate_of

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "consentId": consent_id,
                "linkId": link_id,
                "institutionCode": institution_code,
                "initialUpdateComplete": initial_update_complete,
                "historicalUpdateComplete": historical_update_complete,
                "occurredAt": occurred_at,
                "eventId": event_id,
                "externalInfo": external_info,
            }
        )
        if external_track_id is not UNSET:
            field_dict["externalTrackId"] = external_track_id
        if xc_user_id is not UNSET:
            field_dict["xcUserID"] = xc_user_id
        if duplicate_of is not UNSET:
            field_dict["duplicateOf"] = duplicate_of

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.transactions_sync_updates_available_external_info import (
            TransactionsSyncUpdatesAvailableExternalInfo,
        )

        d = dict(src_dict)
        event = d.pop("event")

        consent_id = d.pop("consentId")

        link_id = d.pop("linkId")

        institution_code = d.pop("institutionCode")

        initial_update_complete = d.pop("initialUpdateComplete")

        historical_update_complete = d.pop("historicalUpdateComplete")

        occurred_at = d.pop("occurredAt")

        event_id = d.pop("eventId")

        external_info = TransactionsSyncUpdatesAvailableExternalInfo.from_dict(
            d.pop("externalInfo")
        )

        def _parse_external_track_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_track_id = _parse_external_track_id(d.pop("externalTrackId", UNSET))

        def _parse_xc_user_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        xc_user_id = _parse_xc_user_id(d.pop("xcUserID", UNSET))

        def _parse_duplicate_of(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        duplicate_of = _parse_duplicate_of(d.pop("duplicateOf", UNSET))

        transactions_sync_updates_available = cls(
            event=event,
            consent_id=consent_id,
            link_id=link_id,
            institution_code=institution_code,
            initial_update_complete=initial_update_complete,
            historical_update_complete=historical_update_complete,
            occurred_at=occurred_at,
            event_id=event_id,
            external_info=external_info,
            external_track_id=external_track_id,
            xc_user_id=xc_user_id,
            duplicate_of=duplicate_of,
        )

        transactions_sync_updates_available.additional_properties = d
        return transactions_sync_updates_available

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
