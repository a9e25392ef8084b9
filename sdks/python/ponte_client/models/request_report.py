from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.product import Product
from ..models.report_status import ReportStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="RequestReport")


@_attrs_define
class RequestReport:
    """
    Attributes:
        consent_id (str):
        deleted (bool): Its consent was revoked and the report erased.
        generated_at (str):
        product (Product):
        report_id (str):
        status (ReportStatus):
        reason (None | str | Unset):
    """

    consent_id: str
    deleted: bool
    generated_at: str
    product: Product
    report_id: str
    status: ReportStatus
    reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        consent_id = self.consent_id

        deleted = self.deleted

        generated_at = self.generated_at

        product = self.product.value

        report_id = self.report_id

        status = self.status.value

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "consentId": consent_id,
                "deleted": deleted,
                "generatedAt": generated_at,
                "product": product,
                "reportId": report_id,
                "status": status,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        consent_id = d.pop("consentId")

        deleted = d.pop("deleted")

        generated_at = d.pop("generatedAt")

        product = Product(d.pop("product"))

        report_id = d.pop("reportId")

        status = ReportStatus(d.pop("status"))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        request_report = cls(
            consent_id=consent_id,
            deleted=deleted,
            generated_at=generated_at,
            product=product,
            report_id=report_id,
            status=status,
            reason=reason,
        )

        request_report.additional_properties = d
        return request_report

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
