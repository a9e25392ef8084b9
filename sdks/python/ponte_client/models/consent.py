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
