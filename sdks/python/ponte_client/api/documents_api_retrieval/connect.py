from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.connection_request import ConnectionRequest
from ...models.connection_started import ConnectionStarted
from ...models.documents_error import DocumentsError
from ...types import Response


def _get_kwargs(
    *,
    body: ConnectionRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/connections",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ConnectionStarted | DocumentsError | None:
    if response.status_code == 200:
        response_200 = ConnectionStarted.from_dict(response.json())

        return response_200

    if 400 <= response.status_code <= 499:
        response_4xx = DocumentsError.from_dict(response.json())

        return response_4xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ConnectionStarted | DocumentsError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ConnectionRequest,
) -> Response[ConnectionStarted | DocumentsError]:
    """Connect a portal: where to send the end user

     Starts a retrieval and returns the portal's own sign-in page. After the end user signs in and
    agrees, the portal sends them back to Ponte, which fetches the documents and posts the webhook.

    Args:
        body (ConnectionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectionStarted | DocumentsError]
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
    body: ConnectionRequest,
) -> ConnectionStarted | DocumentsError | None:
    """Connect a portal: where to send the end user

     Starts a retrieval and returns the portal's own sign-in page. After the end user signs in and
    agrees, the portal sends them back to Ponte, which fetches the documents and posts the webhook.

    Args:
        body (ConnectionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectionStarted | DocumentsError
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ConnectionRequest,
) -> Response[ConnectionStarted | DocumentsError]:
    """Connect a portal: where to send the end user

     Starts a retrieval and returns the portal's own sign-in page. After the end user signs in and
    agrees, the portal sends them back to Ponte, which fetches the documents and posts the webhook.

    Args:
        body (ConnectionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ConnectionStarted | DocumentsError]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ConnectionRequest,
) -> ConnectionStarted | DocumentsError | None:
    """Connect a portal: where to send the end user

     Starts a retrieval and returns the portal's own sign-in page. After the end user signs in and
    agrees, the portal sends them back to Ponte, which fetches the documents and posts the webhook.

    Args:
        body (ConnectionRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ConnectionStarted | DocumentsError
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
