from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.consent import Consent
from ...models.error_envelope import ErrorEnvelope
from ...models.sandbox_credentials import SandboxCredentials
from ...types import Response


def _get_kwargs(
    consent_id: str,
    *,
    body: SandboxCredentials,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/sandbox/v1/consents/{consent_id}/authorise".format(
            consent_id=quote(str(consent_id), safe=""),
        ),
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Consent | ErrorEnvelope | None:
    if response.status_code == 200:
        response_200 = Consent.from_dict(response.json())

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
) -> Response[Consent | ErrorEnvelope]:
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
    body: SandboxCredentials,
) -> Response[Consent | ErrorEnvelope]:
    """Log in and decide at the sandbox institution without a browser

     Sandbox mode only. The sandbox users (`user_good`, `user_deny`, `user_mfa`, …) behave as in the
    README.

    Args:
        consent_id (str):
        body (SandboxCredentials):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Consent | ErrorEnvelope]
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
    body: SandboxCredentials,
) -> Consent | ErrorEnvelope | None:
    """Log in and decide at the sandbox institution without a browser

     Sandbox mode only. The sandbox users (`user_good`, `user_deny`, `user_mfa`, …) behave as in the
    README.

    Args:
        consent_id (str):
        body (SandboxCredentials):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Consent | ErrorEnvelope
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
    body: SandboxCredentials,
) -> Response[Consent | ErrorEnvelope]:
    """Log in and decide at the sandbox institution without a browser

     Sandbox mode only. The sandbox users (`user_good`, `user_deny`, `user_mfa`, …) behave as in the
    README.

    Args:
        consent_id (str):
        body (SandboxCredentials):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Consent | ErrorEnvelope]
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
    body: SandboxCredentials,
) -> Consent | ErrorEnvelope | None:
    """Log in and decide at the sandbox institution without a browser

     Sandbox mode only. The sandbox users (`user_good`, `user_deny`, `user_mfa`, …) behave as in the
    README.

    Args:
        consent_id (str):
        body (SandboxCredentials):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Consent | ErrorEnvelope
    """

    return (
        await asyncio_detailed(
            consent_id=consent_id,
            client=client,
            body=body,
        )
    ).parsed
