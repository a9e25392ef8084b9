from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.advance_clock import AdvanceClock
from ...models.error_envelope import ErrorEnvelope
from ...models.test_clock import TestClock
from ...types import Response


def _get_kwargs(
    *,
    body: AdvanceClock,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/sandbox/v1/clock/advance",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | TestClock | None:
    if response.status_code == 200:
        response_200 = TestClock.from_dict(response.json())

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
) -> Response[ErrorEnvelope | TestClock]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: AdvanceClock,
) -> Response[ErrorEnvelope | TestClock]:
    """Move your time forward

     Sandbox mode only. Moves your time (and the sandbox banks' time for your consents) `days` forward,
    then sends what became due: `CONSENT_EXPIRING` warnings, expiries (`EXPIRED`,
    `CONSENT_STATUS_CHANGED`). Other clients' time is untouched.

    Args:
        body (AdvanceClock):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TestClock]
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
    body: AdvanceClock,
) -> ErrorEnvelope | TestClock | None:
    """Move your time forward

     Sandbox mode only. Moves your time (and the sandbox banks' time for your consents) `days` forward,
    then sends what became due: `CONSENT_EXPIRING` warnings, expiries (`EXPIRED`,
    `CONSENT_STATUS_CHANGED`). Other clients' time is untouched.

    Args:
        body (AdvanceClock):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TestClock
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: AdvanceClock,
) -> Response[ErrorEnvelope | TestClock]:
    """Move your time forward

     Sandbox mode only. Moves your time (and the sandbox banks' time for your consents) `days` forward,
    then sends what became due: `CONSENT_EXPIRING` warnings, expiries (`EXPIRED`,
    `CONSENT_STATUS_CHANGED`). Other clients' time is untouched.

    Args:
        body (AdvanceClock):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | TestClock]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: AdvanceClock,
) -> ErrorEnvelope | TestClock | None:
    """Move your time forward

     Sandbox mode only. Moves your time (and the sandbox banks' time for your consents) `days` forward,
    then sends what became due: `CONSENT_EXPIRING` warnings, expiries (`EXPIRED`,
    `CONSENT_STATUS_CHANGED`). Other clients' time is untouched.

    Args:
        body (AdvanceClock):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | TestClock
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
