from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.documents_error import DocumentsError
from ...models.token_issued import TokenIssued
from ...models.token_request import TokenRequest
from ...types import Response


def _get_kwargs(
    *,
    body: TokenRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/api/token",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> DocumentsError | TokenIssued | None:
    if response.status_code == 200:
        response_200 = TokenIssued.from_dict(response.json())

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
) -> Response[DocumentsError | TokenIssued]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TokenRequest,
) -> Response[DocumentsError | TokenIssued]:
    """Open the documents app for one end user

     Checks `api_key`/`api_secret` (the same pair as every dialect) and returns a one-hour `access_token`
    for one end user: the one `taiki_user_id` names (refused with 400 naming `taiki_user_id` if it is
    not yours), or a new one. `metadata`, a JSON object of at most 4 KiB, comes back in the retrieval's
    webhook.

    Args:
        body (TokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentsError | TokenIssued]
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
    body: TokenRequest,
) -> DocumentsError | TokenIssued | None:
    """Open the documents app for one end user

     Checks `api_key`/`api_secret` (the same pair as every dialect) and returns a one-hour `access_token`
    for one end user: the one `taiki_user_id` names (refused with 400 naming `taiki_user_id` if it is
    not yours), or a new one. `metadata`, a JSON object of at most 4 KiB, comes back in the retrieval's
    webhook.

    Args:
        body (TokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentsError | TokenIssued
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TokenRequest,
) -> Response[DocumentsError | TokenIssued]:
    """Open the documents app for one end user

     Checks `api_key`/`api_secret` (the same pair as every dialect) and returns a one-hour `access_token`
    for one end user: the one `taiki_user_id` names (refused with 400 naming `taiki_user_id` if it is
    not yours), or a new one. `metadata`, a JSON object of at most 4 KiB, comes back in the retrieval's
    webhook.

    Args:
        body (TokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[DocumentsError | TokenIssued]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TokenRequest,
) -> DocumentsError | TokenIssued | None:
    """Open the documents app for one end user

     Checks `api_key`/`api_secret` (the same pair as every dialect) and returns a one-hour `access_token`
    for one end user: the one `taiki_user_id` names (refused with 400 naming `taiki_user_id` if it is
    not yours), or a new one. `metadata`, a JSON object of at most 4 KiB, comes back in the retrieval's
    webhook.

    Args:
        body (TokenRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        DocumentsError | TokenIssued
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
