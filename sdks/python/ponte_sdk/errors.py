"""Typed errors: every dialect's failure, with its own code and field."""

from __future__ import annotations

import json
from typing import Any, Literal

import httpx
from ponte_client.types import Response

Dialect = Literal["data", "documents", "server"]


class PonteError(Exception):
    """A refused call.

    ``code`` and ``field`` are the dialect's own: ``INVALID_FIELD`` and
    ``personalTaxId`` (Data API), ``invalid_credentials`` and ``api_secret``
    (Documents API), ``40002`` and ``"105"`` (Server API). ``field`` is None
    when no field is at fault; ``body`` is the answer as sent.
    """

    def __init__(
        self,
        dialect: Dialect,
        status: int,
        code: str,
        message: str,
        field: str | None,
        body: Any,
    ) -> None:
        super().__init__(f"{code} ({field}): {message}" if field else f"{code}: {message}")
        self.dialect = dialect
        self.status = status
        self.code = code
        self.message = message
        self.field = field
        self.body = body


class DataApiError(PonteError):
    """The Data API's ``{"error":{"code","message","field"}}`` (``INVALID_FIELD``)."""


class DocumentsError(PonteError):
    """The Documents API's ``{"error":{"code","message","field"}}`` (``invalid_field``)."""


class ServerApiError(PonteError):
    """The Server API's envelope: numeric codes (``40002``), ``field`` the parameter's number."""


_CLASSES: dict[str, type[PonteError]] = {
    "data": DataApiError,
    "documents": DocumentsError,
    "server": ServerApiError,
}


def error_from(dialect: Dialect, status: int, content: bytes) -> PonteError:
    """The typed error of a failed answer, from its status and raw body."""
    cls = _CLASSES[dialect]
    try:
        body: Any = json.loads(content)
    except ValueError:
        body = content.decode("utf-8", "replace")
    error = body.get("error") if isinstance(body, dict) else None
    if isinstance(error, dict):
        field = error.get("field")
        return cls(
            dialect,
            status,
            str(error.get("code") or status),
            str(error.get("message") or ""),
            field if isinstance(field, str) and field else None,
            body,
        )
    text = body if isinstance(body, str) else json.dumps(body)
    return cls(dialect, status, str(status), text[:200], None, body)


def ok(response: Response[Any], dialect: Dialect) -> Any:
    """The parsed answer of a generated ``sync_detailed``/``asyncio_detailed`` call,
    or the dialect's :class:`PonteError`."""
    if int(response.status_code) >= 400:
        raise error_from(dialect, int(response.status_code), response.content)
    return response.parsed


def raise_for(dialect: Dialect, response: httpx.Response) -> httpx.Response:
    """A raw httpx answer (signed downloads, token calls), or the dialect's error."""
    if response.status_code >= 400:
        response.read()
        raise error_from(dialect, response.status_code, response.content)
    return response
