from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar

from attrs import define as _attrs_define
from attrs import field as _attrs_field

if TYPE_CHECKING:
    from ..models.endpoint_quota import EndpointQuota


T = TypeVar("T", bound="ConsentQuota")


@_attrs_define
class ConsentQuota:
    """The consent's budgets for the current month.

    Attributes:
        consent_id (str):
        institution_code (str):
        month (str): `YYYY-MM` in Brasília time, the month the institution counts in. Example: 2026-12.
        endpoints (list[EndpointQuota]): Every limited endpoint the consent's products call.
    """

    consent_id: str
    institution_code: str
    month: str
    endpoints: list[EndpointQuota]
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        consent_id = self.consent_id

        institution_code = self.institution_code

        month = self.month

        endpoints = []
        for endpoints_item_data in self.endpoints:
            endpoints_item = endpoints_item_data.to_dict()
            endpoints.append(endpoints_item)

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "consentId": consent_id,
                "institutionCode": institution_code,
                "month": month,
                "endpoints": endpoints,
            }
        )

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.endpoint_quota import EndpointQuota

        d = dict(src_dict)
        consent_id = d.pop("consentId")

        institution_code = d.pop("institutionCode")

        month = d.pop("month")

        endpoints = []
        _endpoints = d.pop("endpoints")
        for endpoints_item_data in _endpoints:
            endpoints_item = EndpointQuota.from_dict(endpoints_item_data)

            endpoints.append(endpoints_item)

        consent_quota = cls(
            consent_id=consent_id,
            institution_code=institution_code,
            month=month,
            endpoints=endpoints,
        )

        consent_quota.additional_properties = d
        return consent_quota

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
