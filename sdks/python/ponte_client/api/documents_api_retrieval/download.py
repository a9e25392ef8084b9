from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.documents_error import DocumentsError
from ...types import UNSET, Response


def _get_kwargs(
    file_id: str,
    *,
    expires: int,
    signature: str,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["expires"] = expires

    params["signature"] = signature

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/files/{file_id}".format(
            file_id=quote(str(file_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | DocumentsError | None:
    if response.status_code == 200:
        response_200 = cast(Any, None)
        return response_200

    if response.status_code == 206:
        response_206 = cast(Any, None)
        return response_206

    if response.status_code == 403:
        response_403 = DocumentsError.from_dict(response.json())

        return response_403

    if response.status_code == 404:
        response_404 = DocumentsError.from_dict(response.json())

        return response_404

    if response.status_code == 416:
        response_416 = DocumentsError.from_dict(response.json())

        return response_416

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Any | DocumentsError]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    file_id: str,
    *,
    client: AuthenticatedClient,
    expires: int,
    signature: str,
) -> Response[Any | DocumentsError]:
    """Download a retrieved document

     The `download_url` of a webhook or of `GET /api/retrievals/{id}`, valid 15 minutes. Answers the PDF
    with `Content-Length` and `Content-Disposition: attachment`; a `Range: bytes=…` request gets 206
    with that part.

    Args:
        file_id (str):
        expires (int):
        signature (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | DocumentsError]
    """

    kwargs = _get_kwargs(
        file_id=file_id,
        expires=expires,
        signature=signature,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    file_id: str,
    *,
    client: AuthenticatedClient,
    expires: int,
    signature: str,
) -> Any | DocumentsError | None:
    """Download a retrieved document

     The `download_url` of a webhook or of `GET /api/retrievals/{id}`, valid 15 minutes. Answers the PDF
    with `Content-Length` and `Content-Disposition: attachment`; a `Range: bytes=…` request gets 206
    with that part.

    Args:
        file_id (str):
        expires (int):
        signature (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | DocumentsError
    """

    return sync_detailed(
        file_id=file_id,
        client=client,
        expires=expires,
        signature=signature,
    ).parsed


async def asyncio_detailed(
    file_id: str,
    *,
    client: AuthenticatedClient,
    expires: int,
    signature: str,
) -> Response[Any | DocumentsError]:
    """Download a retrieved document

     The `download_url` of a webhook or of `GET /api/retrievals/{id}`, valid 15 minutes. Answers the PDF
    with `Content-Length` and `Content-Disposition: attachment`; a `Range: bytes=…` request gets 206
    with that part.

    Args:
        file_id (str):
        expires (int):
        signature (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | DocumentsError]
    """

    kwargs = _get_kwargs(
        file_id=file_id,
        expires=expires,
        signature=signature,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    file_id: str,
    *,
    client: AuthenticatedClient,
    expires: int,
    signature: str,
) -> Any | DocumentsError | None:
    """Download a retrieved document

     The `download_url` of a webhook or of `GET /api/retrievals/{id}`, valid 15 minutes. Answers the PDF
    with `Content-Length` and `Content-Disposition: attachment`; a `Range: bytes=…` request gets 206
    with that part.

    Args:
        file_id (str):
        expires (int):
        signature (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | DocumentsError
    """

    return (
        await asyncio_detailed(
            file_id=file_id,
            client=client,
            expires=expires,
            signature=signature,
        )
    ).parsed
