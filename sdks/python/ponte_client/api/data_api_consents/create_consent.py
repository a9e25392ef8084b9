from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.consent_request import ConsentRequest
from ...models.created_consent import CreatedConsent
from ...models.error_envelope import ErrorEnvelope
from ...types import Response


def _get_kwargs(
    *,
    body: ConsentRequest,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/data/v1/consents",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> CreatedConsent | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = CreatedConsent.from_dict(response.json())

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
) -> Response[CreatedConsent | ErrorEnvelope]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: ConsentRequest,
) -> Response[CreatedConsent | ErrorEnvelope]:
    """Create a consent at an institution

     Send the end user to `consentRedirectUrl`; the institution sends them back to Ponte, which sends
    them to the link's `redirectUrl`. A link token cannot change what the link's creator fixed: a
    `personalTaxId`, `businessTaxId` or `redirectUrl` that differs from the link's is refused with 400
    `INVALID_FIELD` naming it (the same value may be repeated).

    Args:
        body (ConsentRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedConsent | ErrorEnvelope]
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
    body: ConsentRequest,
) -> CreatedConsent | ErrorEnvelope | None:
    """Create a consent at an institution

     Send the end user to `consentRedirectUrl`; the institution sends them back to Ponte, which sends
    them to the link's `redirectUrl`. A link token cannot change what the link's creator fixed: a
    `personalTaxId`, `businessTaxId` or `redirectUrl` that differs from the link's is refused with 400
    `INVALID_FIELD` naming it (the same value may be repeated).

    Args:
        body (ConsentRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedConsent | ErrorEnvelope
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: ConsentRequest,
) -> Response[CreatedConsent | ErrorEnvelope]:
    """Create a consent at an institution

     Send the end user to `consentRedirectUrl`; the institution sends them back to Ponte, which sends
    them to the link's `redirectUrl`. A link token cannot change what the link's creator fixed: a
    `personalTaxId`, `businessTaxId` or `redirectUrl` that differs from the link's is refused with 400
    `INVALID_FIELD` naming it (the same value may be repeated).

    Args:
        body (ConsentRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[CreatedConsent | ErrorEnvelope]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: ConsentRequest,
) -> CreatedConsent | ErrorEnvelope | None:
    """Create a consent at an institution

     Send the end user to `consentRedirectUrl`; the institution sends them back to Ponte, which sends
    them to the link's `redirectUrl`. A link token cannot change what the link's creator fixed: a
    `personalTaxId`, `businessTaxId` or `redirectUrl` that differs from the link's is refused with 400
    `INVALID_FIELD` naming it (the same value may be repeated).

    Args:
        body (ConsentRequest):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        CreatedConsent | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
