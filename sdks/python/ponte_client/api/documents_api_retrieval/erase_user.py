from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.documents_error import DocumentsError
from ...types import Response


def _get_kwargs(
    taiki_user_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/api/users/{taiki_user_id}".format(
            taiki_user_id=quote(str(taiki_user_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | DocumentsError | None:
    if response.status_code == 204:
        response_204 = cast(Any, None)
        return response_204

    if 400 <= response.status_code <= 499:
        response_4xx = DocumentsError.from_dict(response.json())

        return response_4xx

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
    taiki_user_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Any | DocumentsError]:
    """Erase an end user and every document retrieved for them

    Args:
        taiki_user_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | DocumentsError]
    """

    kwargs = _get_kwargs(
        taiki_user_id=taiki_user_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    taiki_user_id: str,
    *,
    client: AuthenticatedClient,
) -> Any | DocumentsError | None:
    """Erase an end user and every document retrieved for them

    Args:
        taiki_user_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | DocumentsError
    """

    return sync_detailed(
        taiki_user_id=taiki_user_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    taiki_user_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Any | DocumentsError]:
    """Erase an end user and every document retrieved for them

    Args:
        taiki_user_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | DocumentsError]
    """

    kwargs = _get_kwargs(
        taiki_user_id=taiki_user_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    taiki_user_id: str,
    *,
    client: AuthenticatedClient,
) -> Any | DocumentsError | None:
    """Erase an end user and every document retrieved for them

    Args:
        taiki_user_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | DocumentsError
    """

    return (
        await asyncio_detailed(
            taiki_user_id=taiki_user_id,
            client=client,
        )
    ).parsed
