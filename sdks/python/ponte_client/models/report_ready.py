from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.product import Product
from ..models.report_status import ReportStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="ReportReady")


@_attrs_define
class ReportReady:
    """Sent to `productsCallbackUrl[product]` or the client's report webhook.

    Attributes:
        event (str):  Example: REPORT_READY.
        request_id (str):
        report_id (str):
        link_id (str):
        consent_id (str):
        product (Product):
        status (ReportStatus):
        summary (Any):
        download_url (str):
        pdf_url (str):
        expire_at (str):
        reason (None | str | Unset): Why a `FAILED` report failed, as a stable code.
    """

    event: str
    request_id: str
    report_id: str
    link_id: str
    consent_id: str
    product: Product
    status: ReportStatus
    summary: Any
    download_url: str
    pdf_url: str
    expire_at: str
    reason: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        event = self.event

        request_id = self.request_id

        report_id = self.report_id

        link_id = self.link_id

        consent_id = self.consent_id

        product = self.product.value

        status = self.status.value

        summary = self.summary

        download_url = self.download_url

        pdf_url = self.pdf_url

        expire_at = self.expire_at

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "event": event,
                "requestId": request_id,
                "reportId": report_id,
                "linkId": link_id,
                "consentId": consent_id,
                "product": product,
                "status": status,
                "summary": summary,
                "downloadUrl": download_url,
                "pdfUrl": pdf_url,
                "expireAt": expire_at,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        event = d.pop("event")

        request_id = d.pop("requestId")

        report_id = d.pop("reportId")

        link_id = d.pop("linkId")

        consent_id = d.pop("consentId")

        product = Product(d.pop("product"))

        status = ReportStatus(d.pop("status"))

        summary = d.pop("summary")

        download_url = d.pop("downloadUrl")

        pdf_url = d.pop("pdfUrl")

        expire_at = d.pop("expireAt")

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        report_ready = cls(
            event=event,
            request_id=request_id,
            report_id=report_id,
            link_id=link_id,
            consent_id=consent_id,
            product=product,
            status=status,
            summary=summary,
            download_url=download_url,
            pdf_url=pdf_url,
            expire_at=expire_at,
            reason=reason,
        )

        report_ready.additional_properties = d
        return report_ready

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
