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
        request_id (str):
        link_id (str):
        type_ (str): `personal` or `business`.
        status (RequestStatus):
        consent_id (list[str]):
        products (list[Product]):
        created_at (str):
        reports (list[RequestReport]):
    """

    request_id: str
    link_id: str
    type_: str
    status: RequestStatus
    consent_id: list[str]
    products: list[Product]
    created_at: str
    reports: list[RequestReport]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        request_id = self.request_id

        link_id = self.link_id

        type_ = self.type_

        status = self.status.value

        consent_id = self.consent_id

        products = []
        for products_item_data in self.products:
            products_item = products_item_data.value
            products.append(products_item)

        created_at = self.created_at

        reports = []
        for reports_item_data in self.reports:
            reports_item = reports_item_data.to_dict()
            reports.append(reports_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "requestId": request_id,
                "linkId": link_id,
                "type": type_,
                "status": status,
                "consentId": consent_id,
                "products": products,
                "createdAt": created_at,
                "reports": reports,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.request_report import RequestReport

        d = dict(src_dict)
        request_id = d.pop("requestId")

        link_id = d.pop("linkId")

        type_ = d.pop("type")

        status = RequestStatus(d.pop("status"))

        consent_id = cast(list[str], d.pop("consentId"))

        products = []
        _products = d.pop("products")
        for products_item_data in _products:
            products_item = Product(products_item_data)

            products.append(products_item)

        created_at = d.pop("createdAt")

        reports = []
        _reports = d.pop("reports")
        for reports_item_data in _reports:
            reports_item = RequestReport.from_dict(reports_item_data)

            reports.append(reports_item)

        data_request = cls(
            request_id=request_id,
            link_id=link_id,
            type_=type_,
            status=status,
            consent_id=consent_id,
            products=products,
            created_at=created_at,
            reports=reports,
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
