from http import HTTPStatus
from typing import Any, cast

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...types import UNSET, Response, Unset


def _get_kwargs(
    *,
    ticket: str | Unset = UNSET,
    lang: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["ticket"] = ticket

    params["lang"] = lang

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/me",
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | str | None:
    if response.status_code == 200:
        response_200 = response.text
        return response_200

    if response.status_code == 303:
        response_303 = cast(Any, None)
        return response_303

    if response.status_code == 401:
        response_401 = response.text
        return response_401

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
    *,
    client: AuthenticatedClient,
    ticket: str | Unset = UNSET,
    lang: str | Unset = UNSET,
) -> Response[Any | str]:
    """The user's own page of connected banks, in the client's brand

     Open it as `/me?ticket=<auth ticket>`: the ticket is spent into a session cookie and the browser
    sent on to `/me`. Lists each bank with what it shares and until when, with a revoke button and a
    confirmation step. No script; a strict Content-Security-Policy.

    Args:
        ticket (str | Unset):
        lang (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = _get_kwargs(
        ticket=ticket,
        lang=lang,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    ticket: str | Unset = UNSET,
    lang: str | Unset = UNSET,
) -> Any | str | None:
    """The user's own page of connected banks, in the client's brand

     Open it as `/me?ticket=<auth ticket>`: the ticket is spent into a session cookie and the browser
    sent on to `/me`. Lists each bank with what it shares and until when, with a revoke button and a
    confirmation step. No script; a strict Content-Security-Policy.

    Args:
        ticket (str | Unset):
        lang (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return sync_detailed(
        client=client,
        ticket=ticket,
        lang=lang,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    ticket: str | Unset = UNSET,
    lang: str | Unset = UNSET,
) -> Response[Any | str]:
    """The user's own page of connected banks, in the client's brand

     Open it as `/me?ticket=<auth ticket>`: the ticket is spent into a session cookie and the browser
    sent on to `/me`. Lists each bank with what it shares and until when, with a revoke button and a
    confirmation step. No script; a strict Content-Security-Policy.

    Args:
        ticket (str | Unset):
        lang (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | str]
    """

    kwargs = _get_kwargs(
        ticket=ticket,
        lang=lang,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    ticket: str | Unset = UNSET,
    lang: str | Unset = UNSET,
) -> Any | str | None:
    """The user's own page of connected banks, in the client's brand

     Open it as `/me?ticket=<auth ticket>`: the ticket is spent into a session cookie and the browser
    sent on to `/me`. Lists each bank with what it shares and until when, with a revoke button and a
    confirmation step. No script; a strict Content-Security-Policy.

    Args:
        ticket (str | Unset):
        lang (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | str
    """

    return (
        await asyncio_detailed(
            client=client,
            ticket=ticket,
            lang=lang,
        )
    ).parsed
