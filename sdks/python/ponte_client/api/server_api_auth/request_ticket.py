from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.envelope import Envelope
from ...models.request_ticket_response_200 import RequestTicketResponse200
from ...models.ticket_request_doc import TicketRequestDoc
from ...types import Response


def _get_kwargs(
    *,
    body: TicketRequestDoc,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/server/auth_ticket/request",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Envelope | RequestTicketResponse200 | None:
    if response.status_code == 200:
        response_200 = RequestTicketResponse200.from_dict(response.json())

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
) -> Response[Envelope | RequestTicketResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: TicketRequestDoc,
) -> Response[Envelope | RequestTicketResponse200]:
    """Request an auth ticket on behalf of your logged-in user

     Creates the user on first sight of their `xcUserID`, or updates what you tell us about them, records
    the device, and returns a ticket valid one hour and usable once. Parameters failing validation
    answer `40002` with the parameter's number in `field`.

    Args:
        body (TicketRequestDoc): `POST /v1/server/auth_ticket/request`: the seed's parameters,
            numbered. Example: {'email': 'jony@email.com', 'fullName': 'Jony', 'phone': '08991234567',
            'photoFullsizeURL': 'http://www.example.com/photo/full/6.jpg', 'photoThumbnailURL':
            'http://www.example.com/photo/thumb/6.jpg', 'userAgent': 'AdvancedRestClient/12.1.14',
            'userDeviceID': 'aaaa-bbbb-cccc-dddd', 'userIPAddress': '182.253.177.234', 'userPlatform':
            'android', 'userRoleCode': 'user', 'username': 'jony', 'xcUserID': '6'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Envelope | RequestTicketResponse200]
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
    body: TicketRequestDoc,
) -> Envelope | RequestTicketResponse200 | None:
    """Request an auth ticket on behalf of your logged-in user

     Creates the user on first sight of their `xcUserID`, or updates what you tell us about them, records
    the device, and returns a ticket valid one hour and usable once. Parameters failing validation
    answer `40002` with the parameter's number in `field`.

    Args:
        body (TicketRequestDoc): `POST /v1/server/auth_ticket/request`: the seed's parameters,
            numbered. Example: {'email': 'jony@email.com', 'fullName': 'Jony', 'phone': '08991234567',
            'photoFullsizeURL': 'http://www.example.com/photo/full/6.jpg', 'photoThumbnailURL':
            'http://www.example.com/photo/thumb/6.jpg', 'userAgent': 'AdvancedRestClient/12.1.14',
            'userDeviceID': 'aaaa-bbbb-cccc-dddd', 'userIPAddress': '182.253.177.234', 'userPlatform':
            'android', 'userRoleCode': 'user', 'username': 'jony', 'xcUserID': '6'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Envelope | RequestTicketResponse200
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: TicketRequestDoc,
) -> Response[Envelope | RequestTicketResponse200]:
    """Request an auth ticket on behalf of your logged-in user

     Creates the user on first sight of their `xcUserID`, or updates what you tell us about them, records
    the device, and returns a ticket valid one hour and usable once. Parameters failing validation
    answer `40002` with the parameter's number in `field`.

    Args:
        body (TicketRequestDoc): `POST /v1/server/auth_ticket/request`: the seed's parameters,
            numbered. Example: {'email': 'jony@email.com', 'fullName': 'Jony', 'phone': '08991234567',
            'photoFullsizeURL': 'http://www.example.com/photo/full/6.jpg', 'photoThumbnailURL':
            'http://www.example.com/photo/thumb/6.jpg', 'userAgent': 'AdvancedRestClient/12.1.14',
            'userDeviceID': 'aaaa-bbbb-cccc-dddd', 'userIPAddress': '182.253.177.234', 'userPlatform':
            'android', 'userRoleCode': 'user', 'username': 'jony', 'xcUserID': '6'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Envelope | RequestTicketResponse200]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: TicketRequestDoc,
) -> Envelope | RequestTicketResponse200 | None:
    """Request an auth ticket on behalf of your logged-in user

     Creates the user on first sight of their `xcUserID`, or updates what you tell us about them, records
    the device, and returns a ticket valid one hour and usable once. Parameters failing validation
    answer `40002` with the parameter's number in `field`.

    Args:
        body (TicketRequestDoc): `POST /v1/server/auth_ticket/request`: the seed's parameters,
            numbered. Example: {'email': 'jony@email.com', 'fullName': 'Jony', 'phone': '08991234567',
            'photoFullsizeURL': 'http://www.example.com/photo/full/6.jpg', 'photoThumbnailURL':
            'http://www.example.com/photo/thumb/6.jpg', 'userAgent': 'AdvancedRestClient/12.1.14',
            'userDeviceID': 'aaaa-bbbb-cccc-dddd', 'userIPAddress': '182.253.177.234', 'userPlatform':
            'android', 'userRoleCode': 'user', 'username': 'jony', 'xcUserID': '6'}.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Envelope | RequestTicketResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
