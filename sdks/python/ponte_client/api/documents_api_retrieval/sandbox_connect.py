from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.documents_error import DocumentsError
from ...models.retrieval_id import RetrievalId
from ...models.sandbox_connect import SandboxConnect
from ...types import Response


def _get_kwargs(
    *,
    body: SandboxConnect,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/sandbox/v1/documents/connect",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DocumentsError | RetrievalId | None:
    if response.status_code == 200:
        response_200 = RetrievalId.from_dict(response.json())

        return response_200

    if response.status_code == 502:
        response_502 = DocumentsError.from_dict(response.json())

        return response_502

    if 400 <= response.status_code <= 499:
        response_4xx = DocumentsError.from_dict(response.json())

        return response_4xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[DocumentsError | RetrievalId]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: SandboxConnect,
) -> Response[DocumentsError | RetrievalId]:
    """Sandbox: connect a portal without a browser

     Drives the very same portal sign-in a person would (`user_mfa` needs `otp` `123456`; `user_locked`
    is refused) and starts the retrieval; the webhook follows as usual.

    Args:
        body (SandboxConnect):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentsError | RetrievalId]
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
    body: SandboxConnect,
) -> DocumentsError | RetrievalId | None:
    """Sandbox: connect a portal without a browser

     Drives the very same portal sign-in a person would (`user_mfa` needs `otp` `123456`; `user_locked`
    is refused) and starts the retrieval; the webhook follows as usual.

    Args:
        body (SandboxConnect):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentsError | RetrievalId
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: SandboxConnect,
) -> Response[DocumentsError | RetrievalId]:
    """Sandbox: connect a portal without a browser

     Drives the very same portal sign-in a person would (`user_mfa` needs `otp` `123456`; `user_locked`
    is refused) and starts the retrieval; the webhook follows as usual.

    Args:
        body (SandboxConnect):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentsError | RetrievalId]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: SandboxConnect,
) -> DocumentsError | RetrievalId | None:
    """Sandbox: connect a portal without a browser

     Drives the very same portal sign-in a person would (`user_mfa` needs `otp` `123456`; `user_locked`
    is refused) and starts the retrieval; the webhook follows as usual.

    Args:
        body (SandboxConnect):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentsError | RetrievalId
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
