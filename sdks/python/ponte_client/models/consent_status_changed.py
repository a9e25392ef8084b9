from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.consent_status import ConsentStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.consent_status_changed_external_info import (
        ConsentStatusChangedExternalInfo,
    )


T = TypeVar("T", bound="ConsentStatusChanged")


@_attrs_define
class ConsentStatusChanged:
    """Sent to the client's event webhook whenever a consent changes status.

    Attributes:
        event (str):  Example: CONSENT_STATUS_CHANGED.
        consent_id (str):
        link_id (str):
        institution_code (str):
        status (ConsentStatus):
        occurred_at (str):
        event_id (str): The `webhook-id` header's value: stable across retries, deduplicate on it. Example:
            msg_0193a2b4c5d67e8f9a0b1c2d3e4f5a6b.
        external_info (ConsentStatusChangedExternalInfo): The `externalInfo` object you attached to the link (`{}` when
            none).
        previous_status (ConsentStatus | None | Unset):
        reason (None | str | Unset):
        external_track_id (None | str | Unset): The `externalTrackId` you gave the consent.
        xc_user_id (None | str | Unset): Your own id for the user (`xcUserID`) when a Server API user opened the link.
        duplicate_of (None | str | Unset): The AUTHORISED consent of the same person at the same institution that
            this consent duplicates (see the client's duplicate policy).
    """

    event: str
    consent_id: str
    link_id: str
    institution_code: str
    status: ConsentStatus
    occurred_at: str
    event_id: str
    external_info: ConsentStatusChangedExternalInfo
    previous_status: ConsentStatus | None | Unset = UNSET
    reason: None | str | Unset = UNSET
    external_track_id: None | str | Unset = UNSET
    xc_user_id: None | str | Unset = UNSET
    duplicate_of: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event

        consent_id = self.consent_id

        link_id = self.link_id

        institution_code = self.institution_code

        status = self.status.value

        occurred_at = self.occurred_at

        event_id = self.event_id

        external_info = self.external_info.to_dict()

        previous_status: None | str | Unset
        if isinstance(self.previous_status, Unset):
            previous_status = UNSET
        elif isinstance(self.previous_status, ConsentStatus):
            previous_status = self.previous_status.value
        else:
            previous_status = self.previous_status

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

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
                "status": status,
                "occurredAt": occurred_at,
                "eventId": event_id,
                "externalInfo": external_info,
            }
        )
        if previous_status is not UNSET:
            field_dict["previousStatus"] = previous_status
        if reason is not UNSET:
            field_dict["reason"] = reason
        if external_track_id is not UNSET:
            field_dict["externalTrackId"] = external_track_id
        if xc_user_id is not UNSET:
            field_dict["xcUserID"] = xc_user_id
        if duplicate_of is not UNSET:
            field_dict["duplicateOf"] = duplicate_of

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.consent_status_changed_external_info import (
            ConsentStatusChangedExternalInfo,
        )

        d = dict(src_dict)
        event = d.pop("event")

        consent_id = d.pop("consentId")

        link_id = d.pop("linkId")

        institution_code = d.pop("institutionCode")

        status = ConsentStatus(d.pop("status"))

        occurred_at = d.pop("occurredAt")

        event_id = d.pop("eventId")

        external_info = ConsentStatusChangedExternalInfo.from_dict(
            d.pop("externalInfo")
        )

        def _parse_previous_status(data: object) -> ConsentStatus | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, str):
                    raise TypeError()
                previous_status_type_0 = ConsentStatus(data)

                return previous_status_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(ConsentStatus | None | Unset, data)

        previous_status = _parse_previous_status(d.pop("previousStatus", UNSET))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

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

        consent_status_changed = cls(
            event=event,
            consent_id=consent_id,
            link_id=link_id,
            institution_code=institution_code,
            status=status,
            occurred_at=occurred_at,
            event_id=event_id,
            external_info=external_info,
            previous_status=previous_status,
            reason=reason,
            external_track_id=external_track_id,
            xc_user_id=xc_user_id,
            duplicate_of=duplicate_of,
        )

        consent_status_changed.additional_properties = d
        return consent_status_changed

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
