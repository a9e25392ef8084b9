from http import HTTPStatus
from typing import Any, cast
from urllib.parse import quote

import httpx

from ... import errors
from ...client import AuthenticatedClient, Client
from ...models.error_envelope import ErrorEnvelope
from ...types import UNSET, Response, Unset


def _get_kwargs(
    report_id: str,
    *,
    expires: str,
    signature: str,
    locale: str | Unset = UNSET,
) -> dict[str, Any]:

    params: dict[str, Any] = {}

    params["expires"] = expires

    params["signature"] = signature

    params["locale"] = locale

    params = {k: v for k, v in params.items() if v is not UNSET and v is not None}

    _kwargs: dict[str, Any] = {
        "method": "get",
        "url": "/data/v1/reports/{report_id}/pdf".format(
            report_id=quote(str(report_id), safe=""),
        ),
        "params": params,
    }

    return _kwargs


def _parse_response(
    *, client: AuthenticatedClient | Client, response: httpx.Response
) -> ErrorEnvelope | list[int] | None:
    if response.status_code == 200:
        response_200 = cast(list[int], response.content)

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
) -> Response[ErrorEnvelope | list[int]]:
    return Response(
        status_code=HTTPStatus(response.status_code),
        content=response.content,
        headers=response.headers,
        parsed=_parse_response(client=client, response=response),
    )


def sync_detailed(
    report_id: str,
    *,
    client: AuthenticatedClient,
    expires: str,
    signature: str,
    locale: str | Unset = UNSET,
) -> Response[ErrorEnvelope | list[int]]:
    """The report as a readable PDF behind a signed URL (`pdfUrl`)

     The same rules as the JSON download. In Brazilian Portuguese unless `locale=en` (or the link's
    `externalInfo.locale`) says English; another `locale` is 400 `INVALID_FIELD` naming `locale`.

    Args:
        report_id (str):
        expires (str):
        signature (str):
        locale (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | list[int]]
    """

    kwargs = _get_kwargs(
        report_id=report_id,
        expires=expires,
        signature=signature,
        locale=locale,
    )

    response = client.get_httpx_client().request(
        **kwargs,
    )

    return _build_response(client=client, response=response)


def sync(
    report_id: str,
    *,
    client: AuthenticatedClient,
    expires: str,
    signature: str,
    locale: str | Unset = UNSET,
) -> ErrorEnvelope | list[int] | None:
    """The report as a readable PDF behind a signed URL (`pdfUrl`)

     The same rules as the JSON download. In Brazilian Portuguese unless `locale=en` (or the link's
    `externalInfo.locale`) says English; another `locale` is 400 `INVALID_FIELD` naming `locale`.

    Args:
        report_id (str):
        expires (str):
        signature (str):
        locale (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | list[int]
    """

    return sync_detailed(
        report_id=report_id,
        client=client,
        expires=expires,
        signature=signature,
        locale=locale,
    ).parsed


async def asyncio_detailed(
    report_id: str,
    *,
    client: AuthenticatedClient,
    expires: str,
    signature: str,
    locale: str | Unset = UNSET,
) -> Response[ErrorEnvelope | list[int]]:
    """The report as a readable PDF behind a signed URL (`pdfUrl`)

     The same rules as the JSON download. In Brazilian Portuguese unless `locale=en` (or the link's
    `externalInfo.locale`) says English; another `locale` is 400 `INVALID_FIELD` naming `locale`.

    Args:
        report_id (str):
        expires (str):
        signature (str):
        locale (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        Response[ErrorEnvelope | list[int]]
    """

    kwargs = _get_kwargs(
        report_id=report_id,
        expires=expires,
        signature=signature,
        locale=locale,
    )

    response = await client.get_async_httpx_client().request(**kwargs)

    return _build_response(client=client, response=response)


async def asyncio(
    report_id: str,
    *,
    client: AuthenticatedClient,
    expires: str,
    signature: str,
    locale: str | Unset = UNSET,
) -> ErrorEnvelope | list[int] | None:
    """The report as a readable PDF behind a signed URL (`pdfUrl`)

     The same rules as the JSON download. In Brazilian Portuguese unless `locale=en` (or the link's
    `externalInfo.locale`) says English; another `locale` is 400 `INVALID_FIELD` naming `locale`.

    Args:
        report_id (str):
        expires (str):
        signature (str):
        locale (str | Unset):

    Raises:
        errors.UnexpectedStatus: If the server returns an undocumented status code and Client.raise_on_unexpected_status is True.
        httpx.TimeoutException: If the request takes longer than Client.timeout.

    Returns:
        ErrorEnvelope | list[int]
    """

    return (
        await asyncio_detailed(
            report_id=report_id,
            client=client,
            expires=expires,
            signature=signature,
            locale=locale,
        )
    ).parsed
