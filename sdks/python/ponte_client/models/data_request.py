from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..models.product import Product
from ..models.request_status import RequestStatus

if TYPE_CHECKING:
    from ..models.request_report import RequestReport


T = TypeVar("T", bound="DataRequest")


@_attrs_define
class DataRequest:
    """
    Attributes:
        consent_id (list[str]):
        created_at (str):
        link_id (str):
        products (list[Product]):
        reports (list[RequestReport]):
        request_id (str):
        status (RequestStatus):
        type_ (str): `personal` or `business`.
    """

    consent_id: list[str]
    created_at: str
    link_id: str
    products: list[Product]
    reports: list[RequestReport]
    request_id: str
    status: RequestStatus
    type_: str
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        consent_id = self.consent_id

        created_at = self.created_at

        link_id = self.link_id

        products = []
        for products_item_data in self.products:
            products_item = products_item_data.value
            products.append(products_item)

        reports = []
        for reports_item_data in self.reports:
            reports_item = reports_item_data.to_dict()
            reports.append(reports_item)

        request_id = self.request_id

        status = self.status.value

        type_ = self.type_

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "consentId": consent_id,
                "createdAt": created_at,
                "linkId": link_id,
                "products": products,
                "reports": reports,
                "requestId": request_id,
                "status": status,
                "type": type_,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.request_report import RequestReport

        d = dict(src_dict)
        consent_id = cast(list[str], d.pop("consentId"))

        created_at = d.pop("createdAt")

        link_id = d.pop("linkId")

        products = []
        _products = d.pop("products")
        for products_item_data in _products:
            products_item = Product(products_item_data)

            products.append(products_item)

        reports = []
        _reports = d.pop("reports")
        for reports_item_data in _reports:
            reports_item = RequestReport.from_dict(reports_item_data)

            reports.append(reports_item)

        request_id = d.pop("requestId")

        status = RequestStatus(d.pop("status"))

        type_ = d.pop("type")

        data_request = cls(
            consent_id=consent_id,
            created_at=created_at,
            link_id=link_id,
            products=products,
            reports=reports,
            request_id=request_id,
            status=status,
            type_=type_,
        )

        data_request.additional_properties = d
        return data_request

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
