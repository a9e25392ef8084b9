from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import Response


def _get_kwargs(
    consent_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/me/connections/{consent_id}/renew".format(
            consent_id=quote(str(consent_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | str | None:
    if response.status_code == 303:
        response_303 = cast(Any, None)
        return response_303

    if response.status_code == 401:
        response_401 = response.text
        return response_401

    if response.status_code == 403:
        response_403 = response.text
        return response_403

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | str]:
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
) -> Response[Any | str]:
    """Renew a connection that is about to end (the page's form)

     Renews at the bank without leaving the page when the bank allows it (back to `/me?renewed=1`);
    otherwise sends the browser to the widget in update mode, which comes back to `/me` with the same
    connection renewed.

    Args:
        consent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
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
) -> Any | str | None:
    """Renew a connection that is about to end (the page's form)

     Renews at the bank without leaving the page when the bank allows it (back to `/me?renewed=1`);
    otherwise sends the browser to the widget in update mode, which comes back to `/me` with the same
    connection renewed.

    Args:
        consent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return sync_detailed(
        consent_id=consent_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    consent_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Any | str]:
    """Renew a connection that is about to end (the page's form)

     Renews at the bank without leaving the page when the bank allows it (back to `/me?renewed=1`);
    otherwise sends the browser to the widget in update mode, which comes back to `/me` with the same
    connection renewed.

    Args:
        consent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
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
) -> Any | str | None:
    """Renew a connection that is about to end (the page's form)

     Renews at the bank without leaving the page when the bank allows it (back to `/me?renewed=1`);
    otherwise sends the browser to the widget in update mode, which comes back to `/me` with the same
    connection renewed.

    Args:
        consent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return (
        await asyncio_detailed(
            consent_id=consent_id,
            client=client,
        )
    ).parsed
