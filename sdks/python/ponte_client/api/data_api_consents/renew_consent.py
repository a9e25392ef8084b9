from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.renew_request import RenewRequest
from ...models.renewed_consent import RenewedConsent
from ...types import Response


def _get_kwargs(
    consent_id: str,
    *,
    body: RenewRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/data/v1/consents/{consent_id}/renew".format(
            consent_id=quote(str(consent_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | RenewedConsent | None:
    if response.status_code == 200:
        response_200 = RenewedConsent.from_dict(response.json())

        return response_200

    if 400 <= response.status_code <= 499:
        response_4xx = ErrorEnvelope.from_dict(response.json())

        return response_4xx

    if 500 <= response.status_code <= 599:
        response_5xx = ErrorEnvelope.from_dict(response.json())

        return response_5xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[ErrorEnvelope | RenewedConsent]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    consent_id: str,
    *,
    client: AuthenticatedClient,
    body: RenewRequest,
) -> Response[ErrorEnvelope | RenewedConsent]:
    """Renew an authorised consent at its institution, without a redirect

     OFB consents v3 `extends`: the consent keeps its id, tokens and reports; `CONSENT_RENEWED` is sent
    with the new expiry. Pass your end user's address and browser in `x-fapi-customer-ip-address` and
    `x-customer-user-agent` (the institution requires them), and when they last logged in with you in
    `x-fapi-auth-date` (RFC 7231, e.g. `Mon, 07 Dec 2026 09:30:00 GMT`); a malformed one is refused with
    400 `INVALID_FIELD` naming the header. A refusal says why and the next step:
    `CONSENT_NOT_AUTHORISED` (create a new consent), `CONFLICT` (the end user renews at the
    institution), `INVALID_FIELD` on `expirationDateTime`.

    Args:
        consent_id (str):
        body (RenewRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RenewedConsent]
    """

    kwargs = _get_kwargs(
        consent_id=consent_id,
        body=body,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    consent_id: str,
    *,
    client: AuthenticatedClient,
    body: RenewRequest,
) -> ErrorEnvelope | RenewedConsent | None:
    """Renew an authorised consent at its institution, without a redirect

     OFB consents v3 `extends`: the consent keeps its id, tokens and reports; `CONSENT_RENEWED` is sent
    with the new expiry. Pass your end user's address and browser in `x-fapi-customer-ip-address` and
    `x-customer-user-agent` (the institution requires them), and when they last logged in with you in
    `x-fapi-auth-date` (RFC 7231, e.g. `Mon, 07 Dec 2026 09:30:00 GMT`); a malformed one is refused with
    400 `INVALID_FIELD` naming the header. A refusal says why and the next step:
    `CONSENT_NOT_AUTHORISED` (create a new consent), `CONFLICT` (the end user renews at the
    institution), `INVALID_FIELD` on `expirationDateTime`.

    Args:
        consent_id (str):
        body (RenewRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RenewedConsent
    """

    return sync_detailed(
        consent_id=consent_id,
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    consent_id: str,
    *,
    client: AuthenticatedClient,
    body: RenewRequest,
) -> Response[ErrorEnvelope | RenewedConsent]:
    """Renew an authorised consent at its institution, without a redirect

     OFB consents v3 `extends`: the consent keeps its id, tokens and reports; `CONSENT_RENEWED` is sent
    with the new expiry. Pass your end user's address and browser in `x-fapi-customer-ip-address` and
    `x-customer-user-agent` (the institution requires them), and when they last logged in with you in
    `x-fapi-auth-date` (RFC 7231, e.g. `Mon, 07 Dec 2026 09:30:00 GMT`); a malformed one is refused with
    400 `INVALID_FIELD` naming the header. A refusal says why and the next step:
    `CONSENT_NOT_AUTHORISED` (create a new consent), `CONFLICT` (the end user renews at the
    institution), `INVALID_FIELD` on `expirationDateTime`.

    Args:
        consent_id (str):
        body (RenewRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | RenewedConsent]
    """

    kwargs = _get_kwargs(
        consent_id=consent_id,
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    consent_id: str,
    *,
    client: AuthenticatedClient,
    body: RenewRequest,
) -> ErrorEnvelope | RenewedConsent | None:
    """Renew an authorised consent at its institution, without a redirect

     OFB consents v3 `extends`: the consent keeps its id, tokens and reports; `CONSENT_RENEWED` is sent
    with the new expiry. Pass your end user's address and browser in `x-fapi-customer-ip-address` and
    `x-customer-user-agent` (the institution requires them), and when they last logged in with you in
    `x-fapi-auth-date` (RFC 7231, e.g. `Mon, 07 Dec 2026 09:30:00 GMT`); a malformed one is refused with
    400 `INVALID_FIELD` naming the header. A refusal says why and the next step:
    `CONSENT_NOT_AUTHORISED` (create a new consent), `CONFLICT` (the end user renews at the
    institution), `INVALID_FIELD` on `expirationDateTime`.

    Args:
        consent_id (str):
        body (RenewRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | RenewedConsent
    """

    return (
        await asyncio_detailed(
            consent_id=consent_id,
            client=client,
            body=body,
        )
    ).parsed
