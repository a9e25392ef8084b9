from http import HTTPStatus
from typing import Any
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.envelope import Envelope
from ...models.revoke_connection_response_200 import RevokeConnectionResponse200
from ...types import Response


def _get_kwargs(
    consent_id: str,
) -> dict[str, Any]:

    _kwargs: dict[str, Any] = {
        "method": "delete",
        "url": "/v1/client/connections/{consent_id}".format(
            consent_id=quote(str(consent_id), safe=""),
        ),
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Envelope | RevokeConnectionResponse200 | None:
    if response.status_code == 200:
        response_200 = RevokeConnectionResponse200.from_dict(response.json())

        return response_200

    if response.status_code == 400:
        response_400 = Envelope.from_dict(response.json())

        return response_400

    if response.status_code == 401:
        response_401 = Envelope.from_dict(response.json())

        return response_401

    if response.status_code == 404:
        response_404 = Envelope.from_dict(response.json())

        return response_404

    if 400 <= response.status_code <= 499:
        response_4xx = Envelope.from_dict(response.json())

        return response_4xx

    if client.raise_on_unexpected_status:
        raise errors.UnexpectedStatus(response.status_code, response.content)
    else:
        return None


def _build_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Response[Envelope | RevokeConnectionResponse200]:
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
) -> Response[Envelope | RevokeConnectionResponse200]:
    """Revoke one of the user's connections

     Exactly as the Data API's `DELETE /data/v1/consents/{consentId}`: revoked here and at the
    institution, its data erased; your event webhook gets `CONSENT_STATUS_CHANGED` with reason
    `END_USER_REVOKED`. Another user's consent answers `40401`.

    Args:
        consent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Envelope | RevokeConnectionResponse200]
    """

    kwargs = _get_kwargs(
        consent_id=consent_id,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    consent_id: str,
    *,
    client: AuthenticatedClient,
) -> Envelope | RevokeConnectionResponse200 | None:
    """Revoke one of the user's connections

     Exactly as the Data API's `DELETE /data/v1/consents/{consentId}`: revoked here and at the
    institution, its data erased; your event webhook gets `CONSENT_STATUS_CHANGED` with reason
    `END_USER_REVOKED`. Another user's consent answers `40401`.

    Args:
        consent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Envelope | RevokeConnectionResponse200
    """

    return sync_detailed(
        consent_id=consent_id,
        client=client,
    ).parsed


async def asyncio_detailed(
    consent_id: str,
    *,
    client: AuthenticatedClient,
) -> Response[Envelope | RevokeConnectionResponse200]:
    """Revoke one of the user's connections

     Exactly as the Data API's `DELETE /data/v1/consents/{consentId}`: revoked here and at the
    institution, its data erased; your event webhook gets `CONSENT_STATUS_CHANGED` with reason
    `END_USER_REVOKED`. Another user's consent answers `40401`.

    Args:
        consent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Envelope | RevokeConnectionResponse200]
    """

    kwargs = _get_kwargs(
        consent_id=consent_id,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    consent_id: str,
    *,
    client: AuthenticatedClient,
) -> Envelope | RevokeConnectionResponse200 | None:
    """Revoke one of the user's connections

     Exactly as the Data API's `DELETE /data/v1/consents/{consentId}`: revoked here and at the
    institution, its data erased; your event webhook gets `CONSENT_STATUS_CHANGED` with reason
    `END_USER_REVOKED`. Another user's consent answers `40401`.

    Args:
        consent_id (str):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Envelope | RevokeConnectionResponse200
    """

    return (
        await asyncio_detailed(
            consent_id=consent_id,
            client=client,
        )
    ).parsed
