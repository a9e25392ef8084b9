from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.consent_status import ConsentStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.status_change import StatusChange


T = TypeVar("T", bound="Consent")


@_attrs_define
class Consent:
    """
    Attributes:
        consent_id (str):
        link_id (str):
        institution_code (str):
        status (ConsentStatus):
        status_history (list[StatusChange]): Oldest first.
        created_at (str):
        expire_at (str):
        permissions (list[str]): Open Finance Brasil permissions granted, e.g. `ACCOUNTS_READ`.
        external_track_id (None | str | Unset):
        status_reason (None | str | Unset):
        expiration_date_time (None | str | Unset): When the consent ends unless renewed (`POST …/renew`); absent for one
            without an end.
        rejection_reason (None | str | Unset): For a `REJECTED` consent: `CUSTOMER_MANUALLY_REJECTED`,
            `CONSENT_EXPIRED`, `CONSENT_MAX_DATE_REACHED`, …
        rejected_by (None | str | Unset): For a `REJECTED` consent: `USER`, `ASPSP` (the institution) or `TPP` (Ponte or
            you).
        rejection_check (None | str | Unset): For a consent Ponte rejected (`INTERNAL_SECURITY_REASON`, `rejectedBy:
            TPP`) because the
            institution's answer failed a FAPI-BR check: which one, e.g. `id_token.s_hash`, `token.scope`. Example:
            id_token.s_hash.
        duplicate_of (None | str | Unset): The AUTHORISED consent of the same person at the same institution that
            this one duplicates; `null` when it is the person's only one there.
    """

    consent_id: str
    link_id: str
    institution_code: str
    status: ConsentStatus
    status_history: list[StatusChange]
    created_at: str
    expire_at: str
    permissions: list[str]
    external_track_id: None | str | Unset = UNSET
    status_reason: None | str | Unset = UNSET
    expiration_date_time: None | str | Unset = UNSET
    rejection_reason: None | str | Unset = UNSET
    rejected_by: None | str | Unset = UNSET
    rejection_check: None | str | Unset = UNSET
    duplicate_of: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        consent_id = self.consent_id

        link_id = self.link_id

        institution_code = self.institution_code

        status = self.status.value

        status_history = []
        for status_history_item_data in self.status_history:
            status_history_item = status_history_item_data.to_dict()
            status_history.append(status_history_item)

        created_at = self.created_at

        expire_at = self.expire_at

        permissions = self.permissions

        external_track_id: None | str | Unset
        if isinstance(self.external_track_id, Unset):
            external_track_id = UNSET
        else:
            external_track_id = self.external_track_id

        status_reason: None | str | Unset
        if isinstance(self.status_reason, Unset):
            status_reason = UNSET
        else:
            status_reason = self.status_reason

        expiration_date_time: None | str | Unset
        if isinstance(self.expiration_date_time, Unset):
            expiration_date_time = UNSET
        else:
            expiration_date_time = self.expiration_date_time

        rejection_reason: None | str | Unset
        if isinstance(self.rejection_reason, Unset):
            rejection_reason = UNSET
        else:
            rejection_reason = self.rejection_reason

        rejected_by: None | str | Unset
        if isinstance(self.rejected_by, Unset):
            rejected_by = UNSET
        else:
            rejected_by = self.rejected_by

        rejection_check: None | str | Unset
        if isinstance(self.rejection_check, Unset):
            rejection_check = UNSET
        else:
            rejection_check = self.rejection_check

        duplicate_of: None | str | Unset
        if isinstance(self.duplicate_of, Unset):
            duplicate_of = UNSET
        else:
            duplicate_of = self.duplicate_of

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "consentId": consent_id,
                "linkId": link_id,
                "institutionCode": institution_code,
                "status": status,
                "statusHistory": status_history,
                "createdAt": created_at,
                "expireAt": expire_at,
                "permissions": permissions,
            }
        )
        if external_track_id is not UNSET:
            field_dict["externalTrackId"] = external_track_id
        if status_reason is not UNSET:
            field_dict["statusReason"] = status_reason
        if expiration_date_time is not UNSET:
            field_dict["expirationDateTime"] = expiration_date_time
        if rejection_reason is not UNSET:
            field_dict["rejectionReason"] = rejection_reason
        if rejected_by is not UNSET:
            field_dict["rejectedBy"] = rejected_by
        if rejection_check is not UNSET:
            field_dict["rejectionCheck"] = rejection_check
        if duplicate_of is not UNSET:
            field_dict["duplicateOf"] = duplicate_of

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.status_change import StatusChange

        d = dict(src_dict)
        consent_id = d.pop("consentId")

        link_id = d.pop("linkId")

        institution_code = d.pop("institutionCode")

        status = ConsentStatus(d.pop("status"))

        status_history = []
        _status_history = d.pop("statusHistory")
        for status_history_item_data in _status_history:
            status_history_item = StatusChange.from_dict(status_history_item_data)

            status_history.append(status_history_item)

        created_at = d.pop("createdAt")

        expire_at = d.pop("expireAt")

        permissions = cast(list[str], d.pop("permissions"))

        def _parse_external_track_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        external_track_id = _parse_external_track_id(d.pop("externalTrackId", UNSET))

        def _parse_status_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status_reason = _parse_status_reason(d.pop("statusReason", UNSET))

        def _parse_expiration_date_time(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        expiration_date_time = _parse_expiration_date_time(
            d.pop("expirationDateTime", UNSET)
        )

        def _parse_rejection_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rejection_reason = _parse_rejection_reason(d.pop("rejectionReason", UNSET))

        def _parse_rejected_by(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rejected_by = _parse_rejected_by(d.pop("rejectedBy", UNSET))

        def _parse_rejection_check(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        rejection_check = _parse_rejection_check(d.pop("rejectionCheck", UNSET))

        def _parse_duplicate_of(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        duplicate_of = _parse_duplicate_of(d.pop("duplicateOf", UNSET))

        consent = cls(
            consent_id=consent_id,
            link_id=link_id,
            institution_code=institution_code,
            status=status,
            status_history=status_history,
            created_at=created_at,
            expire_at=expire_at,
            permissions=permissions,
            external_track_id=external_track_id,
            status_reason=status_reason,
            expiration_date_time=expiration_date_time,
            rejection_reason=rejection_reason,
            rejected_by=rejected_by,
            rejection_check=rejection_check,
            duplicate_of=duplicate_of,
        )

        consent.additional_properties = d
        return consent

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
