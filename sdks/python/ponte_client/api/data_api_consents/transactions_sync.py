from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.transactions_sync_page import TransactionsSyncPage
from ...types import UNSET, Response, Unset


def _get_kwargs(
    consent_id: str,
    *,
    cursor: str | Unset = UNSET,
    count: int | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["cursor"] = cursor

    params["count"] = count

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/data/v1/consents/{consent_id}/transactions/sync".format(
            consent_id=quote(str(consent_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | TransactionsSyncPage | None:
    if response.status_code == 200:
        response_200 = TransactionsSyncPage.from_dict(response.json())

        return response_200

    if 400 <= response.status_code <= 499:
        response_4xx = ErrorEnvelope.from_dict(response.json())

        return response_4xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | TransactionsSyncPage]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    consent_id: str,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    count: int | Unset = UNSET,
) -> Response[ErrorEnvelope | TransactionsSyncPage]:
    """Transactions added, modified or removed since a cursor

     Start without a cursor; keep the last `nextCursor` and call again when
    `TRANSACTIONS_SYNC_UPDATES_AVAILABLE` arrives. Each change comes exactly once. A card purchase read
    before its bill closed comes back `modified` with its `billId` once the bill closes. `accounts`
    carries each account's current balances and each card's limits, with when they were read. A
    processing (`TRANSACAO_PROCESSANDO`) transaction that settles under the same `transactionId` is
    `modified`, never added twice; one the institution settles under a new id is `removed` and the
    settled one `added` with `pendingTransactionId`.

    Args:
        consent_id (str):
        cursor (str | Unset):
        count (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TransactionsSyncPage]
    """

    kwargs = _get_kwargs(
        consent_id=consent_id,
        cursor=cursor,
        count=count,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    consent_id: str,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    count: int | Unset = UNSET,
) -> ErrorEnvelope | TransactionsSyncPage | None:
    """Transactions added, modified or removed since a cursor

     Start without a cursor; keep the last `nextCursor` and call again when
    `TRANSACTIONS_SYNC_UPDATES_AVAILABLE` arrives. Each change comes exactly once. A card purchase read
    before its bill closed comes back `modified` with its `billId` once the bill closes. `accounts`
    carries each account's current balances and each card's limits, with when they were read. A
    processing (`TRANSACAO_PROCESSANDO`) transaction that settles under the same `transactionId` is
    `modified`, never added twice; one the institution settles under a new id is `removed` and the
    settled one `added` with `pendingTransactionId`.

    Args:
        consent_id (str):
        cursor (str | Unset):
        count (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TransactionsSyncPage
    """

    return sync_detailed(
        consent_id=consent_id,
        client=client,
        cursor=cursor,
        count=count,
    ).parsed


async def asyncio_detailed(
    consent_id: str,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    count: int | Unset = UNSET,
) -> Response[ErrorEnvelope | TransactionsSyncPage]:
    """Transactions added, modified or removed since a cursor

     Start without a cursor; keep the last `nextCursor` and call again when
    `TRANSACTIONS_SYNC_UPDATES_AVAILABLE` arrives. Each change comes exactly once. A card purchase read
    before its bill closed comes back `modified` with its `billId` once the bill closes. `accounts`
    carries each account's current balances and each card's limits, with when they were read. A
    processing (`TRANSACAO_PROCESSANDO`) transaction that settles under the same `transactionId` is
    `modified`, never added twice; one the institution settles under a new id is `removed` and the
    settled one `added` with `pendingTransactionId`.

    Args:
        consent_id (str):
        cursor (str | Unset):
        count (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TransactionsSyncPage]
    """

    kwargs = _get_kwargs(
        consent_id=consent_id,
        cursor=cursor,
        count=count,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    consent_id: str,
    *,
    client: AuthenticatedClient,
    cursor: str | Unset = UNSET,
    count: int | Unset = UNSET,
) -> ErrorEnvelope | TransactionsSyncPage | None:
    """Transactions added, modified or removed since a cursor

     Start without a cursor; keep the last `nextCursor` and call again when
    `TRANSACTIONS_SYNC_UPDATES_AVAILABLE` arrives. Each change comes exactly once. A card purchase read
    before its bill closed comes back `modified` with its `billId` once the bill closes. `accounts`
    carries each account's current balances and each card's limits, with when they were read. A
    processing (`TRANSACAO_PROCESSANDO`) transaction that settles under the same `transactionId` is
    `modified`, never added twice; one the institution settles under a new id is `removed` and the
    settled one `added` with `pendingTransactionId`.

    Args:
        consent_id (str):
        cursor (str | Unset):
        count (int | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TransactionsSyncPage
    """

    return (
        await asyncio_detailed(
            consent_id=consent_id,
            client=client,
            cursor=cursor,
            count=count,
        )
    ).parsed
