from http import HTTPStatus
from typing import Any

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.envelope import Envelope
from ...models.open_link_doc import OpenLinkDoc
from ...models.open_link_response_200 import OpenLinkResponse200
from ...types import Response


def _get_kwargs(
    *,
    body: OpenLinkDoc,
) -> dict[str, Any]:
    headers: dict[str, Any] = {}

    _kwargs: dict[str, Any] = {
        "method": "post",
        "url": "/v1/client/connections/link",
    }

    _kwargs["json"] = body.to_dict()

    headers["Content-Type"] = "application/json"

    _kwargs["headers"] = headers
    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> Envelope | OpenLinkResponse200 | None:
    if response.status_code == 200:
        response_200 = OpenLinkResponse200.from_dict(response.json())

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
) -> Response[Envelope | OpenLinkResponse200]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    *,
    client: AuthenticatedClient,
    body: OpenLinkDoc,
) -> Response[Envelope | OpenLinkResponse200]:
    """Open the widget for the user to add a connection

     A link of the user's own: send them to `linkURL`. Consents made through it are theirs (listed above)
    and reach your backend through the Data API as usual. The body takes the Data API link's members
    (`personalTaxId`, `email`, `phone`, `redirectUrl`, …); a CPF or CNPJ is required, as Open Finance
    needs the person who logs in.

    Args:
        body (OpenLinkDoc): At least one tax id. Every field is optional on its own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Envelope | OpenLinkResponse200]
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
    body: OpenLinkDoc,
) -> Envelope | OpenLinkResponse200 | None:
    """Open the widget for the user to add a connection

     A link of the user's own: send them to `linkURL`. Consents made through it are theirs (listed above)
    and reach your backend through the Data API as usual. The body takes the Data API link's members
    (`personalTaxId`, `email`, `phone`, `redirectUrl`, …); a CPF or CNPJ is required, as Open Finance
    needs the person who logs in.

    Args:
        body (OpenLinkDoc): At least one tax id. Every field is optional on its own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Envelope | OpenLinkResponse200
    """

    return sync_detailed(
        client=client,
        body=body,
    ).parsed


async def asyncio_detailed(
    *,
    client: AuthenticatedClient,
    body: OpenLinkDoc,
) -> Response[Envelope | OpenLinkResponse200]:
    """Open the widget for the user to add a connection

     A link of the user's own: send them to `linkURL`. Consents made through it are theirs (listed above)
    and reach your backend through the Data API as usual. The body takes the Data API link's members
    (`personalTaxId`, `email`, `phone`, `redirectUrl`, …); a CPF or CNPJ is required, as Open Finance
    needs the person who logs in.

    Args:
        body (OpenLinkDoc): At least one tax id. Every field is optional on its own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[Envelope | OpenLinkResponse200]
    """

    kwargs = _get_kwargs(
        body=body,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    *,
    client: AuthenticatedClient,
    body: OpenLinkDoc,
) -> Envelope | OpenLinkResponse200 | None:
    """Open the widget for the user to add a connection

     A link of the user's own: send them to `linkURL`. Consents made through it are theirs (listed above)
    and reach your backend through the Data API as usual. The body takes the Data API link's members
    (`personalTaxId`, `email`, `phone`, `redirectUrl`, …); a CPF or CNPJ is required, as Open Finance
    needs the person who logs in.

    Args:
        body (OpenLinkDoc): At least one tax id. Every field is optional on its own.

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Envelope | OpenLinkResponse200
    """

    return (
        await asyncio_detailed(
            client=client,
            body=body,
        )
    ).parsed
