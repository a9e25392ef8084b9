from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.product import Product
from ..models.report_status import ReportStatus
from ..types import UNSET, Unset

T = TypeVar("T", bound="Report")


@_attrs_define
class Report:
    """A report as `GET /data/v1/reports/{id}` and `downloadUrl` return it.

    Attributes:
        report_id (str):
        request_id (str):
        link_id (str):
        consent_id (str):
        institution_code (str):
        product (Product):
        status (ReportStatus):
        generated_at (str):
        version (int): Each retrieval of a consent's product is a new version; earlier ones are kept.
        summary (Any):
        data (Any): The institution's Open Finance Brasil records unchanged, or Ponte's insights.
        reason (None | str | Unset):
        previous_report_id (None | str | Unset):
        latest_report_id (None | str | Unset):
        download_url (str | Unset): Signed, valid 15 minutes (absent on the download itself).
        expire_at (str | Unset): When `downloadUrl` and `pdfUrl` stop working (absent on the download itself).
        pdf_url (str | Unset): The report as a PDF, signed like `downloadUrl` (absent on the download itself).
    """

    report_id: str
    request_id: str
    link_id: str
    consent_id: str
    institution_code: str
    product: Product
    status: ReportStatus
    generated_at: str
    version: int
    summary: Any
    data: Any
    reason: None | str | Unset = UNSET
    previous_report_id: None | str | Unset = UNSET
    latest_report_id: None | str | Unset = UNSET
    download_url: str | Unset = UNSET
    expire_at: str | Unset = UNSET
    pdf_url: str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        report_id = self.report_id

        request_id = self.request_id

        link_id = self.link_id

        consent_id = self.consent_id

        institution_code = self.institution_code

        product = self.product.value

        status = self.status.value

        generated_at = self.generated_at

        version = self.version

        summary = self.summary

        data = self.data

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        previous_report_id: None | str | Unset
        if isinstance(self.previous_report_id, Unset):
            previous_report_id = UNSET
        else:
            previous_report_id = self.previous_report_id

        latest_report_id: None | str | Unset
        if isinstance(self.latest_report_id, Unset):
            latest_report_id = UNSET
        else:
            latest_report_id = self.latest_report_id

        download_url = self.download_url

        expire_at = self.expire_at

        pdf_url = self.pdf_url

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "reportId": report_id,
                "requestId": request_id,
                "linkId": link_id,
                "consentId": consent_id,
                "institutionCode": institution_code,
                "product": product,
                "status": status,
                "generatedAt": generated_at,
                "version": version,
                "summary": summary,
                "data": data,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if previous_report_id is not UNSET:
            field_dict["previousReportId"] = previous_report_id
        if latest_report_id is not UNSET:
            field_dict["latestReportId"] = latest_report_id
        if download_url is not UNSET:
            field_dict["downloadUrl"] = download_url
        if expire_at is not UNSET:
            field_dict["expireAt"] = expire_at
        if pdf_url is not UNSET:
            field_dict["pdfUrl"] = pdf_url

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        d = dict(src_dict)
        report_id = d.pop("reportId")

        request_id = d.pop("requestId")

        link_id = d.pop("linkId")

        consent_id = d.pop("consentId")

        institution_code = d.pop("institutionCode")

        product = Product(d.pop("product"))

        status = ReportStatus(d.pop("status"))

        generated_at = d.pop("generatedAt")

        version = d.pop("version")

        summary = d.pop("summary")

        data = d.pop("data")

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        def _parse_previous_report_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        previous_report_id = _parse_previous_report_id(d.pop("previousReportId", UNSET))

        def _parse_latest_report_id(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        latest_report_id = _parse_latest_report_id(d.pop("latestReportId", UNSET))

        download_url = d.pop("downloadUrl", UNSET)

        expire_at = d.pop("expireAt", UNSET)

        pdf_url = d.pop("pdfUrl", UNSET)

        report = cls(
            report_id=report_id,
            request_id=request_id,
            link_id=link_id,
            consent_id=consent_id,
            institution_code=institution_code,
            product=product,
            status=status,
            generated_at=generated_at,
            version=version,
            summary=summary,
            data=data,
            reason=reason,
            previous_report_id=previous_report_id,
            latest_report_id=latest_report_id,
            download_url=download_url,
            expire_at=expire_at,
            pdf_url=pdf_url,
        )

        report.additional_properties = d
        return report

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
