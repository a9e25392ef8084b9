from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.product import Product
from ..models.report_status import ReportStatus
from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.report_ready_external_info import ReportReadyExternalInfo


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
        event_id (str): The `webhook-id` header's value: stable across retries, deduplicate on it. Example:
            msg_0193a2b4c5d67e8f9a0b1c2d3e4f5a6b.
        external_info (ReportReadyExternalInfo): The `externalInfo` object you attached to the link (`{}` when none).
        reason (None | str | Unset): Why a `FAILED` report failed, as a stable code.
        download_url (str | Unset): A `SUCCESS` report's JSON, signed and valid 15 minutes from the attempt
            that sends it (each retry brings fresh URLs); absent on a `FAILED` one.
        pdf_url (str | Unset): The same report as a PDF, signed like `downloadUrl`.
        expire_at (str | Unset): When `downloadUrl` and `pdfUrl` stop working.
        external_track_id (None | str | Unset): The `externalTrackId` you gave the consent.
        xc_user_id (None | str | Unset): Your own id for the user (`xcUserID`) when a Server API user opened the link.
        duplicate_of (None | str | Unset): The AUTHORISED consent of the same person at the same institution that
            this consent duplicates (see the client's duplicate policy).
    """

    event: str
    request_id: str
    report_id: str
    link_id: str
    consent_id: str
    product: Product
    status: ReportStatus
    summary: Any
    event_id: str
    external_info: ReportReadyExternalInfo
    reason: None | str | Unset = UNSET
    download_url: str | Unset = UNSET
    pdf_url: str | Unset = UNSET
    expire_at: str | Unset = UNSET
    external_track_id: None | str | Unset = UNSET
    xc_user_id: None | str | Unset = UNSET
    duplicate_of: None | str | Unset = UNSET
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

        event_id = self.event_id

        external_info = self.external_info.to_dict()

        reason: None | str | Unset
        if isinstance(self.reason, Unset):
            reason = UNSET
        else:
            reason = self.reason

        download_url = self.download_url

        pdf_url = self.pdf_url

        expire_at = self.expire_at

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
                "requestId": request_id,
                "reportId": report_id,
                "linkId": link_id,
                "consentId": consent_id,
                "product": product,
                "status": status,
                "summary": summary,
                "eventId": event_id,
                "externalInfo": external_info,
            }
        )
        if reason is not UNSET:
            field_dict["reason"] = reason
        if download_url is not UNSET:
            field_dict["downloadUrl"] = download_url
        if pdf_url is not UNSET:
            field_dict["pdfUrl"] = pdf_url
        if expire_at is not UNSET:
            field_dict["expireAt"] = expire_at
        if external_track_id is not UNSET:
            field_dict["externalTrackId"] = external_track_id
        if xc_user_id is not UNSET:
            field_dict["xcUserID"] = xc_user_id
        if duplicate_of is not UNSET:
            field_dict["duplicateOf"] = duplicate_of

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.report_ready_external_info import ReportReadyExternalInfo

        d = dict(src_dict)
        event = d.pop("event")

        request_id = d.pop("requestId")

        report_id = d.pop("reportId")

        link_id = d.pop("linkId")

        consent_id = d.pop("consentId")

        product = Product(d.pop("product"))

        status = ReportStatus(d.pop("status"))

        summary = d.pop("summary")

        event_id = d.pop("eventId")

        external_info = ReportReadyExternalInfo.from_dict(d.pop("externalInfo"))

        def _parse_reason(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        reason = _parse_reason(d.pop("reason", UNSET))

        download_url = d.pop("downloadUrl", UNSET)

        pdf_url = d.pop("pdfUrl", UNSET)

        expire_at = d.pop("expireAt", UNSET)

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

        report_ready = cls(
            event=event,
            request_id=request_id,
            report_id=report_id,
            link_id=link_id,
            consent_id=consent_id,
            product=product,
            status=status,
            summary=summary,
            event_id=event_id,
            external_info=external_info,
            reason=reason,
            download_url=download_url,
            pdf_url=pdf_url,
            expire_at=expire_at,
            external_track_id=external_track_id,
            xc_user_id=xc_user_id,
            duplicate_of=duplicate_of,
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
