from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

T = TypeVar("T", bound="ConsentRenewed")


@_attrs_define
class ConsentRenewed:
    """Sent to the client's event webhook when a consent is renewed without a redirect.

    Attributes:
        event (str):  Example: CONSENT_RENEWED.
        consent_id (str):
        link_id (str):
        institution_code (str):
        expiration_date_time (str):
        occurred_at (str):
        external_track_id (None | str | Unset):
        previous_expiration_date_time (None | str | Unset):
    """

    event: str
    consent_id: str
    link_id: str
    institution_code: str
    expiration_date_time: str
    occurred_at: str
    external_track_id: None | str | Unset = UNSET
    previous_expiration_date_time: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event

        consent_id = self.consent_id

        link_id = self.link_id

        institution_code = self.institution_code

        expiration_date_time = self.expiration_date_time

        occurred_at = self.occurred_at

        external_track_id: None | str | Unset
        if isinstance(self.external_track_id, Unset):
            external_track_id = UNSET
        else:
            external_track_id = self.external_track_id

        previous_expiration_date_time: None | str | Unset
        if isinstance(self.previous_expiration_date_time, Unset):
            previous_expiration_date_time = UNSET
        else:
            previous_expiration_date_time = self.previous_expiration_date_time

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "consentId": consent_id,
                "linkId": link_id,
                "institutionCode": institution_code,
                "expirationDateTime": expiration_date_time,
                "occurredAt": occurred_at,
            }
        )
        if external_track_id is not UNSET:
            field_dict["externalTrackId"] = external_track_id
        if previous_expiration_date_time is not UNSET:
            field_dict["previousExpirationDateTime"] = previous_expiration_date_time

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        event = d.pop("event")

        consent_id = d.pop("consentId")

        link_id = d.pop("linkId")

        institution_code = d.pop("institutionCode")

        expiration_date_time = d.pop("expirationDateTime")

        occurred_at = d.pop("occurredAt")

        def _parse_external_track_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_track_id = _parse_external_track_id(d.pop("externalTrackId", UNSET))

        def _parse_previous_expiration_date_time(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        previous_expiration_date_time = _parse_previous_expiration_date_time(
            d.pop("previousExpirationDateTime", UNSET)
        )

        consent_renewed = cls(
            event=event,
            consent_id=consent_id,
            link_id=link_id,
            institution_code=institution_code,
            expiration_date_time=expiration_date_time,
            occurred_at=occurred_at,
            external_track_id=external_track_id,
            previous_expiration_date_time=previous_expiration_date_time,
        )

        consent_renewed.additional_properties = d
        return consent_renewed

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
