"""What each dialect's client shares: calling generated operations, signed downloads."""

from __future__ import annotations

from types import ModuleType
from typing import Any

import httpx
from ponte_client import AuthenticatedClient, Client

from .errors import Dialect, ok, raise_for

Operation = ModuleType | Any


def _function(operation: Operation, name: str) -> Any:
    # A generated operation is a module with sync_detailed/asyncio_detailed;
    # either function may be given too.
    return getattr(operation, name, operation)


class _Dialect:
    dialect: Dialect
    client: AuthenticatedClient | Client

    def __init__(self, base_url: str, httpx_args: dict[str, Any] | None) -> None:
        self.base_url = base_url.rstrip("/")
        self._httpx_args = dict(httpx_args or {})
        self._http = httpx.Client(**self._httpx_args)

    def call(self, operation: Operation, *, client: AuthenticatedClient | Client | None = None, **kwargs: Any) -> Any:
        """Runs a generated operation (e.g. ``ponte_client.api.data_api_links.create_link``)
        with this client and answers its parsed result; a refusal raises the dialect's error."""
        function = _function(operation, "sync_detailed")
        return ok(function(client=client or self.client, **kwargs), self.dialect)

    async def acall(
        self, operation: Operation, *, client: AuthenticatedClient | Client | None = None, **kwargs: Any
    ) -> Any:
        """:meth:`call` for asyncio."""
        function = _function(operation, "asyncio_detailed")
        return ok(await function(client=client or self.client, **kwargs), self.dialect)

    def download(self, url: str, headers: dict[str, str] | None = None) -> bytes:
        """Fetches a signed URL (a report's ``downloadUrl``/``pdfUrl``, a document's
        ``download_url``): the signature is the credential. An expired or altered one
        raises the dialect's error (403)."""
        return raise_for(self.dialect, self._http.get(url, headers=headers)).content

    def close(self) -> None:
        self._http.close()
        self.client.get_httpx_client().close()

    def __enter__(self) -> Any:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
