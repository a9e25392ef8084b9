from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.documents_error import DocumentsError
from ...models.refresh_request import RefreshRequest
from ...models.refresh_schedule import RefreshSchedule
from ...types import Response


def _get_kwargs(
    id: int,
    *,
    body: RefreshRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "put",
        "url": "/api/retrievals/{id}/refresh".format(
            id=quote(str(id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Any | DocumentsError | RefreshSchedule | None:
    if response.status_code == 200:
        response_200 = RefreshSchedule.from_dict(response.json())

        return response_200

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
) -> Response[Any | DocumentsError | RefreshSchedule]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    body: RefreshRequest,
) -> Response[Any | DocumentsError | RefreshSchedule]:
    """Refresh a connection on a schedule

     Reads the connection's portal again every `every_days` days from now (your clock), with the sign-in
    the end user gave. Only documents it did not list before are downloaded, and they arrive in one
    `documents.ready` webhook naming just them; a refresh that finds nothing new sends nothing. `null`
    stops the refreshes. Only a retrieval that succeeded can be refreshed (409 otherwise).

    Args:
        id (int):
        body (RefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | DocumentsError | RefreshSchedule]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    id: int,
    *,
    client: AuthenticatedClient,
    body: RefreshRequest,
) -> Any | DocumentsError | RefreshSchedule | None:
    """Refresh a connection on a schedule

     Reads the connection's portal again every `every_days` days from now (your clock), with the sign-in
    the end user gave. Only documents it did not list before are downloaded, and they arrive in one
    `documents.ready` webhook naming just them; a refresh that finds nothing new sends nothing. `null`
    stops the refreshes. Only a retrieval that succeeded can be refreshed (409 otherwise).

    Args:
        id (int):
        body (RefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | DocumentsError | RefreshSchedule
    """

    return sync_detailed(
        id=id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    id: int,
    *,
    client: AuthenticatedClient,
    body: RefreshRequest,
) -> Response[Any | DocumentsError | RefreshSchedule]:
    """Refresh a connection on a schedule

     Reads the connection's portal again every `every_days` days from now (your clock), with the sign-in
    the end user gave. Only documents it did not list before are downloaded, and they arrive in one
    `documents.ready` webhook naming just them; a refresh that finds nothing new sends nothing. `null`
    stops the refreshes. Only a retrieval that succeeded can be refreshed (409 otherwise).

    Args:
        id (int):
        body (RefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Any | DocumentsError | RefreshSchedule]
    """

    kwargs = _get_kwargs(
        id=id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    id: int,
    *,
    client: AuthenticatedClient,
    body: RefreshRequest,
) -> Any | DocumentsError | RefreshSchedule | None:
    """Refresh a connection on a schedule

     Reads the connection's portal again every `every_days` days from now (your clock), with the sign-in
    the end user gave. Only documents it did not list before are downloaded, and they arrive in one
    `documents.ready` webhook naming just them; a refresh that finds nothing new sends nothing. `null`
    stops the refreshes. Only a retrieval that succeeded can be refreshed (409 otherwise).

    Args:
        id (int):
        body (RefreshRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Any | DocumentsError | RefreshSchedule
    """

    return (
        await asyncio_detailed(
            id=id,
            client=client,
            body=body,
        )
    ).parsed
