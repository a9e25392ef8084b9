from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.sync_account_limits_type_0_item import SyncAccountLimitsType0Item


T = TypeVar("T", bound="SyncAccount")


@_attrs_define
class SyncAccount:
    """One account's balances or one card's limits, read by a refresh.

    Attributes:
        account_id (str): The account's `accountId` or the card's `creditCardAccountId`, as in `added`.
        as_of (str): When Ponte read them (RFC 3339, on your clock). A refresh whose balances call the
            institution refused (a `429`, a spent monthly limit) keeps the last ones, and
            their `asOf`.
        limits (list[SyncAccountLimitsType0Item] | None | Unset): For a card, the items of the institution's OFB credit-
            cards `/limits`, unchanged.
    """

    account_id: str
    as_of: str
    limits: list[SyncAccountLimitsType0Item] | None | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        account_id = self.account_id

        as_of = self.as_of

        limits: list[dict[str, Any]] | None | Unset
        if isinstance(self.limits, Unset):
            limits = UNSET
        elif isinstance(self.limits, list):
            limits = []
            for limits_type_0_item_data in self.limits:
                limits_type_0_item = limits_type_0_item_data.to_dict()
                limits.append(limits_type_0_item)

        else:
            limits = self.limits

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "accountId": account_id,
                "asOf": as_of,
            }
        )
        if limits is not UNSET:
            field_dict["limits"] = limits

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.sync_account_limits_type_0_item import SyncAccountLimitsType0Item

        d = dict(src_dict)
        account_id = d.pop("accountId")

        as_of = d.pop("asOf")

        def _parse_limits(
            data: object,
        ) -> list[SyncAccountLimitsType0Item] | None | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            try:
                if not isinstance(data, list):
                    raise TypeError()
                limits_type_0 = []
                _limits_type_0 = data
                for limits_type_0_item_data in _limits_type_0:
                    limits_type_0_item = SyncAccountLimitsType0Item.from_dict(
                        limits_type_0_item_data
                    )

                    limits_type_0.append(limits_type_0_item)

                return limits_type_0
            except (TypeError, ValueError, AttributeError, KeyError):
                pass
            return cast(list[SyncAccountLimitsType0Item] | None | Unset, data)

        limits = _parse_limits(d.pop("limits", UNSET))

        sync_account = cls(
            account_id=account_id,
            as_of=as_of,
            limits=limits,
        )

        sync_account.additional_properties = d
        return sync_account

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
