from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Self, TypeVar, cast

from attrs import define as _attrs_define
from attrs import field as _attrs_field

from ..types import UNSET, Unset

if TYPE_CHECKING:
    from ..models.removed_transaction import RemovedTransaction
    from ..models.sync_account import SyncAccount
    from ..models.transactions_sync_page_added_item import TransactionsSyncPageAddedItem
    from ..models.transactions_sync_page_modified_item import (
        TransactionsSyncPageModifiedItem,
    )


T = TypeVar("T", bound="TransactionsSyncPage")


@_attrs_define
class TransactionsSyncPage:
    """Changes since the cursor. Apply `added`, `modified` and `removed` in any order: a page
    names each transaction at most once.

        Attributes:
            added (list[TransactionsSyncPageAddedItem]): Transactions seen for the first time: the institution's OFB item
                (accounts
                `transactions` or credit-card `transactions`) plus `accountId` (the account or
                card it belongs to) and, when it settled a processing one under a new id,
                `pendingTransactionId`.
            modified (list[TransactionsSyncPageModifiedItem]): New versions of transactions returned before, same shape (a
                processing
                purchase that settled, a corrected name or amount).
            removed (list[RemovedTransaction]): Transactions the institution no longer lists (a voided authorisation).
            next_cursor (str): Pass it back to continue; it never skips or repeats a change, whatever refreshes
                land meanwhile.
            has_more (bool): More changes wait after this page: call again at once with `nextCursor`.
            refreshing (bool): A refresh is queued or running; `TRANSACTIONS_SYNC_UPDATES_AVAILABLE` follows
                when it finds changes.
            accounts (list[SyncAccount]): Each synced account's current balances and each card's limits, as the last
                refresh that could read them left them (every page carries them).
            synced_through (None | str | Unset): The day (YYYY-MM-DD, on your clock) the last refresh read through; `null`
                before
                the first one.
    """

    added: list[TransactionsSyncPageAddedItem]
    modified: list[TransactionsSyncPageModifiedItem]
    removed: list[RemovedTransaction]
    next_cursor: str
    has_more: bool
    refreshing: bool
    accounts: list[SyncAccount]
    synced_through: None | str | Unset = UNSET
    additional_properties: dict[str, Any] = _attrs_field(init=False, factory=dict)

    def to_dict(self) -> dict[str, Any]:
        added = []
        for added_item_data in self.added:
            added_item = added_item_data.to_dict()
            added.append(added_item)

        modified = []
        for modified_item_data in self.modified:
            modified_item = modified_item_data.to_dict()
            modified.append(modified_item)

        removed = []
        for removed_item_data in self.removed:
            removed_item = removed_item_data.to_dict()
            removed.append(removed_item)

        next_cursor = self.next_cursor

        has_more = self.has_more

        refreshing = self.refreshing

        accounts = []
        for accounts_item_data in self.accounts:
            accounts_item = accounts_item_data.to_dict()
            accounts.append(accounts_item)

        synced_through: None | str | Unset
        if isinstance(self.synced_through, Unset):
            synced_through = UNSET
        else:
            synced_through = self.synced_through

        field_dict: dict[str, Any] = {}
        field_dict.update(self.additional_properties)
        field_dict.update(
            {
                "added": added,
                "modified": modified,
                "removed": removed,
                "nextCursor": next_cursor,
                "hasMore": has_more,
                "refreshing": refreshing,
                "accounts": accounts,
            }
        )
        if synced_through is not UNSET:
            field_dict["syncedThrough"] = synced_through

        return field_dict

    @classmethod
    def from_dict(cls, src_dict: Mapping[str, Any]) -> Self:
        from ..models.removed_transaction import RemovedTransaction
        from ..models.sync_account import SyncAccount
        from ..models.transactions_sync_page_added_item import (
            TransactionsSyncPageAddedItem,
        )
        from ..models.transactions_sync_page_modified_item import (
            TransactionsSyncPageModifiedItem,
        )

        d = dict(src_dict)
        added = []
        _added = d.pop("added")
        for added_item_data in _added:
            added_item = TransactionsSyncPageAddedItem.from_dict(added_item_data)

            added.append(added_item)

        modified = []
        _modified = d.pop("modified")
        for modified_item_data in _modified:
            modified_item = TransactionsSyncPageModifiedItem.from_dict(
                modified_item_data
            )

            modified.append(modified_item)

        removed = []
        _removed = d.pop("removed")
        for removed_item_data in _removed:
            removed_item = RemovedTransaction.from_dict(removed_item_data)

            removed.append(removed_item)

        next_cursor = d.pop("nextCursor")

        has_more = d.pop("hasMore")

        refreshing = d.pop("refreshing")

        accounts = []
        _accounts = d.pop("accounts")
        for accounts_item_data in _accounts:
            accounts_item = SyncAccount.from_dict(accounts_item_data)

            accounts.append(accounts_item)

        def _parse_synced_through(data: object) -> None | str | Unset:
            if data is None:
                return data
            if isinstance(data, Unset):
                return data
            return cast(None | str | Unset, data)

        synced_through = _parse_synced_through(d.pop("syncedThrough", UNSET))

        transactions_sync_page = cls(
            added=added,
            modified=modified,
            removed=removed,
            next_cursor=next_cursor,
            has_more=has_more,
            refreshing=refreshing,
            accounts=accounts,
            synced_through=synced_through,
        )

        transactions_sync_page.additional_properties = d
        return transactions_sync_page

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
