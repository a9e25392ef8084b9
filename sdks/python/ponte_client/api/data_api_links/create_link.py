from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.created_link import CreatedLink
from ...models.error_envelope import ErrorEnvelope
from ...models.link_request import LinkRequest
from ...types import Response


def _get_kwargs(
    *,
    body: LinkRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/data/v1/links",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreatedLink | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = CreatedLink.from_dict(response.json())

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
) -> Response[CreatedLink | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: LinkRequest,
) -> Response[CreatedLink | ErrorEnvelope]:
    """Open a link for one end user

     Returns the hosted widget's URL and the link token it runs with. A link named with
    `productsCallbackUrl` re-enables a URL that a 410 disabled. Send `x-fapi-auth-date` (RFC 7231, e.g.
    `Mon, 07 Dec 2026 09:30:00 GMT`) with when your end user last logged in with you: the institution
    hears it while they are in the widget (a malformed or future one is 400 `INVALID_FIELD` naming the
    header).

    Args:
        body (LinkRequest): At least one tax id. Every field is optional on its own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedLink | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    *,
    client: AuthenticatedClient,
    body: LinkRequest,
) -> CreatedLink | ErrorEnvelope | None:
    """Open a link for one end user

     Returns the hosted widget's URL and the link token it runs with. A link named with
    `productsCallbackUrl` re-enables a URL that a 410 disabled. Send `x-fapi-auth-date` (RFC 7231, e.g.
    `Mon, 07 Dec 2026 09:30:00 GMT`) with when your end user last logged in with you: the institution
    hears it while they are in the widget (a malformed or future one is 400 `INVALID_FIELD` naming the
    header).

    Args:
        body (LinkRequest): At least one tax id. Every field is optional on its own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedLink | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: LinkRequest,
) -> Response[CreatedLink | ErrorEnvelope]:
    """Open a link for one end user

     Returns the hosted widget's URL and the link token it runs with. A link named with
    `productsCallbackUrl` re-enables a URL that a 410 disabled. Send `x-fapi-auth-date` (RFC 7231, e.g.
    `Mon, 07 Dec 2026 09:30:00 GMT`) with when your end user last logged in with you: the institution
    hears it while they are in the widget (a malformed or future one is 400 `INVALID_FIELD` naming the
    header).

    Args:
        body (LinkRequest): At least one tax id. Every field is optional on its own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedLink | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: LinkRequest,
) -> CreatedLink | ErrorEnvelope | None:
    """Open a link for one end user

     Returns the hosted widget's URL and the link token it runs with. A link named with
    `productsCallbackUrl` re-enables a URL that a 410 disabled. Send `x-fapi-auth-date` (RFC 7231, e.g.
    `Mon, 07 Dec 2026 09:30:00 GMT`) with when your end user last logged in with you: the institution
    hears it while they are in the widget (a malformed or future one is 400 `INVALID_FIELD` naming the
    header).

    Args:
        body (LinkRequest): At least one tax id. Every field is optional on its own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedLink | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
