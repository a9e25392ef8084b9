from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.refresh_accepted import RefreshAccepted
from ...types import Response


def _get_kwargs(
    consent_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/data/v1/consents/{consent_id}/refresh".format(
            consent_id=quote(str(consent_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | RefreshAccepted | None:
    if response.status_code == 202:
        response_202 = RefreshAccepted.from_dict(response.json())

        return response_202

    if 400 <= response.status_code <= 499:
        response_4xx = ErrorEnvelope.from_dict(response.json())

        return response_4xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | RefreshAccepted]:
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
) -> Response[ErrorEnvelope | RefreshAccepted]:
    """Refresh the consent's transactions now

     Reads the recent window at the institution (the whole history on the first refresh), each account's
    balances and card's limits, and a card's bills that closed since, and records what changed for the
    sync endpoint. Consents are also refreshed once a day. While a refresh is queued or running another
    request joins it.

    Args:
        consent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RefreshAccepted]
    """

    kwargs = _get_kwargs(
        consent_id=consent_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    consent_id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | RefreshAccepted | None:
    """Refresh the consent's transactions now

     Reads the recent window at the institution (the whole history on the first refresh), each account's
    balances and card's limits, and a card's bills that closed since, and records what changed for the
    sync endpoint. Consents are also refreshed once a day. While a refresh is queued or running another
    request joins it.

    Args:
        consent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RefreshAccepted
    """

    return sync_detailed(
        consent_id=consent_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    consent_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[ErrorEnvelope | RefreshAccepted]:
    """Refresh the consent's transactions now

     Reads the recent window at the institution (the whole history on the first refresh), each account's
    balances and card's limits, and a card's bills that closed since, and records what changed for the
    sync endpoint. Consents are also refreshed once a day. While a refresh is queued or running another
    request joins it.

    Args:
        consent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RefreshAccepted]
    """

    kwargs = _get_kwargs(
        consent_id=consent_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    consent_id: str,
    *,
    client: AuthenticatedClient,
) -> ErrorEnvelope | RefreshAccepted | None:
    """Refresh the consent's transactions now

     Reads the recent window at the institution (the whole history on the first refresh), each account's
    balances and card's limits, and a card's bills that closed since, and records what changed for the
    sync endpoint. Consents are also refreshed once a day. While a refresh is queued or running another
    request joins it.

    Args:
        consent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RefreshAccepted
    """

    return (
        await asyncio_detailed(
            consent_id=consent_id,
            client=client,
        )
    ).parsed
