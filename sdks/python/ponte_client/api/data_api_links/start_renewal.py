from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...models.renewal_request import RenewalRequest
from ...models.started_renewal import StartedRenewal
from ...types import Response


def _get_kwargs(
    *,
    body: RenewalRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/data/v1/links/renewal",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | StartedRenewal | None:
    if response.status_code == 200:
        response_200 = StartedRenewal.from_dict(response.json())

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
) -> Response[ErrorEnvelope | StartedRenewal]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: RenewalRequest,
) -> Response[ErrorEnvelope | StartedRenewal]:
    """Start the end user's new authorisation of an update-mode link's consent

     Open Finance authorises a consent only once, so the institution gets a new consent for the same
    person and permissions, valid 12 months. Once the end user authorises it, the Ponte consent keeps
    its `consentId` and takes the new authorisation and expiry (`CONSENT_RENEWED`, an entry in
    `/extensions`), and the replaced consent is revoked at the institution. A refusal leaves the consent
    as it was. Each call is a new attempt.

    Args:
        body (RenewalRequest): The body of `POST /data/v1/links/renewal`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | StartedRenewal]
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
    body: RenewalRequest,
) -> ErrorEnvelope | StartedRenewal | None:
    """Start the end user's new authorisation of an update-mode link's consent

     Open Finance authorises a consent only once, so the institution gets a new consent for the same
    person and permissions, valid 12 months. Once the end user authorises it, the Ponte consent keeps
    its `consentId` and takes the new authorisation and expiry (`CONSENT_RENEWED`, an entry in
    `/extensions`), and the replaced consent is revoked at the institution. A refusal leaves the consent
    as it was. Each call is a new attempt.

    Args:
        body (RenewalRequest): The body of `POST /data/v1/links/renewal`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | StartedRenewal
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: RenewalRequest,
) -> Response[ErrorEnvelope | StartedRenewal]:
    """Start the end user's new authorisation of an update-mode link's consent

     Open Finance authorises a consent only once, so the institution gets a new consent for the same
    person and permissions, valid 12 months. Once the end user authorises it, the Ponte consent keeps
    its `consentId` and takes the new authorisation and expiry (`CONSENT_RENEWED`, an entry in
    `/extensions`), and the replaced consent is revoked at the institution. A refusal leaves the consent
    as it was. Each call is a new attempt.

    Args:
        body (RenewalRequest): The body of `POST /data/v1/links/renewal`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | StartedRenewal]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: RenewalRequest,
) -> ErrorEnvelope | StartedRenewal | None:
    """Start the end user's new authorisation of an update-mode link's consent

     Open Finance authorises a consent only once, so the institution gets a new consent for the same
    person and permissions, valid 12 months. Once the end user authorises it, the Ponte consent keeps
    its `consentId` and takes the new authorisation and expiry (`CONSENT_RENEWED`, an entry in
    `/extensions`), and the replaced consent is revoked at the institution. A refusal leaves the consent
    as it was. Each call is a new attempt.

    Args:
        body (RenewalRequest): The body of `POST /data/v1/links/renewal`.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | StartedRenewal
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
