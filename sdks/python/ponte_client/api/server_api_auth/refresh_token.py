from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.envelope import Envelope
from ...models.refresh_token_response_200 import RefreshTokenResponse200
from ...types import Response


def _get_kwargs() -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/client/auth/access_token/refresh",
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Envelope | RefreshTokenResponse200 | None:
    if response.status_code == 200:
        response_200 = RefreshTokenResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Envelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Envelope.from_dict(response.json())

        return response_401

    if 400 <= response.status_code <= 499:
        response_4xx = Envelope.from_dict(response.json())

        return response_4xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Envelope | RefreshTokenResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Envelope | RefreshTokenResponse200]:
    """Trade the refresh token for a new pair

     Send the refresh token as `Authorization: Bearer <refreshToken>`. Each refresh token works once; one
    presented again ends the whole session (it was copied).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Envelope | RefreshTokenResponse200]
    """

    kwargs = _get_kwargs()

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
) -> Envelope | RefreshTokenResponse200 | None:
    """Trade the refresh token for a new pair

     Send the refresh token as `Authorization: Bearer <refreshToken>`. Each refresh token works once; one
    presented again ends the whole session (it was copied).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Envelope | RefreshTokenResponse200
    """

    return sync_detailed(
        client=client,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
) -> Response[Envelope | RefreshTokenResponse200]:
    """Trade the refresh token for a new pair

     Send the refresh token as `Authorization: Bearer <refreshToken>`. Each refresh token works once; one
    presented again ends the whole session (it was copied).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Envelope | RefreshTokenResponse200]
    """

    kwargs = _get_kwargs()

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
) -> Envelope | RefreshTokenResponse200 | None:
    """Trade the refresh token for a new pair

     Send the refresh token as `Authorization: Bearer <refreshToken>`. Each refresh token works once; one
    presented again ends the whole session (it was copied).

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Envelope | RefreshTokenResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
        )
    ).parsed
