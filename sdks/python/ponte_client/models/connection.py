from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.institution_ref import InstitutionRef


T = TypeVar("T", bound="Connection")


@_attrs_define
class Connection:
    """One bank connection of the user: a consent at one institution.

    Attributes:
        consent_id (str):
        link_id (str):
        institution (InstitutionRef):
        status (str): `AWAITING_AUTHORISATION`, `AUTHORISED`, `REJECTED`, `REVOKED` or `EXPIRED`.
        products (list[str]): What it shares: `registration`, `accounts`, `creditCards`, `loans`, `investments`,
            `insights`.
        created (int): Unix milliseconds.
        expiry (int): Unix milliseconds: until when it shares.
        status_reason (None | str | Unset): Why it reached that status, when it says (`END_USER_REVOKED`, …).
    """

    consent_id: str
    link_id: str
    institution: InstitutionRef
    status: str
    products: list[str]
    created: int
    expiry: int
    status_reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        consent_id = self.consent_id

        link_id = self.link_id

        institution = self.institution.to_dict()

        status = self.status

        products = self.products

        created = self.created

        expiry = self.expiry

        status_reason: None | str | Unset
        if isinstance(self.status_reason, Unset):
            status_reason = UNSET
        else:
            status_reason = self.status_reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "consentID": consent_id,
                "linkID": link_id,
                "institution": institution,
                "status": status,
                "products": products,
                "created": created,
                "expiry": expiry,
            }
        )
        if status_reason is not UNSET:
            field_dict["statusReason"] = status_reason

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.institution_ref import InstitutionRef

        d = dict(src_dict)
        consent_id = d.pop("consentID")

        link_id = d.pop("linkID")

        institution = InstitutionRef.from_dict(d.pop("institution"))

        status = d.pop("status")

        products = cast(list[str], d.pop("products"))

        created = d.pop("created")

        expiry = d.pop("expiry")

        def _parse_status_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        status_reason = _parse_status_reason(d.pop("statusReason", UNSET))

        connection = cls(
            consent_id=consent_id,
            link_id=link_id,
            institution=institution,
            status=status,
            products=products,
            created=created,
            expiry=expiry,
            status_reason=status_reason,
        )

        connection.additional_properties = d
        return connection

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
