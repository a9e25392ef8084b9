"""The Documents API (Taiki's quickstart): HTTP Basic for your backend, one token per end user."""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from typing import Any
from urllib.parse import quote

import httpx
from ponte_client import AuthenticatedClient
from ponte_client.api.documents_api_retrieval import retrieval as retrieval_operation
from ponte_client.models import RetrievalBody

from ._base import _Dialect
from .errors import raise_for
from .tokens import Grant, TokenAuth


class DocumentsApi(_Dialect):
    """Your backend's Documents API client: ``client`` carries HTTP Basic
    ``api_key:api_secret`` (``GET /api/retrievals/{id}``, ``DELETE /api/users/…``);
    :meth:`session` gives one end user's token for the documents app."""

    dialect = "documents"

    def __init__(
        self, base_url: str, api_key: str, api_secret: str, *, httpx_args: dict[str, Any] | None = None
    ) -> None:
        super().__init__(base_url, httpx_args)
        self._key = api_key
        self._secret = api_secret
        self.client = AuthenticatedClient(
            base_url=self.base_url,
            token="-",
            httpx_args={**self._httpx_args, "auth": httpx.BasicAuth(api_key, api_secret)},
        )

    def session(
        self,
        taiki_user_id: str | None = None,
        metadata: dict[str, Any] | None = None,
        *,
        refresh_margin: float = 60.0,
        now: Callable[[], float] = time.time,
    ) -> DocumentsSession:
        """One end user's session (a new user unless ``taiki_user_id`` names one);
        ``metadata`` comes back in the ``documents.ready`` webhook."""
        return DocumentsSession(self, taiki_user_id, metadata, refresh_margin=refresh_margin, now=now)

    def retrieval(self, retrieval_id: int) -> RetrievalBody:
        """A retrieval as its webhook told it, with fresh download URLs."""
        return self.call(retrieval_operation, id=retrieval_id)


class DocumentsSession(_Dialect):
    """An end user's Documents API session: ``client`` carries their access token,
    obtained, cached and renewed (a new token for the same user) for you."""

    dialect = "documents"

    def __init__(
        self,
        api: DocumentsApi,
        taiki_user_id: str | None,
        metadata: dict[str, Any] | None,
        *,
        refresh_margin: float,
        now: Callable[[], float],
    ) -> None:
        super().__init__(api.base_url, api._httpx_args)
        self._api = api
        self.taiki_user_id = taiki_user_id
        self._metadata = metadata
        self.auth = TokenAuth(self._renew, refresh_margin=refresh_margin, now=now)
        self.client = AuthenticatedClient(
            base_url=self.base_url, token="-", httpx_args={**self._httpx_args, "auth": self.auth}
        )

    def _renew(self, _current: Grant | None) -> Generator[httpx.Request, httpx.Response, Grant]:
        body: dict[str, Any] = {"api_key": self._api._key, "api_secret": self._api._secret}
        if self.taiki_user_id:
            body["taiki_user_id"] = self.taiki_user_id
        if self._metadata is not None:
            body["metadata"] = self._metadata
        answer = yield httpx.Request("POST", f"{self.base_url}/api/token", json=body)
        issued = raise_for("documents", answer).json()
        self.taiki_user_id = issued["taiki_user_id"]
        return Grant(token=issued["access_token"], expires_at=time.time() + float(issued["expires_in"]))

    def access_token(self) -> str:
        """A valid access token: give it to your front end for the documents app."""
        return self.auth.token(self._http)

    def app_url(self) -> str:
        """The hosted documents app for this end user (``/app?access_token=…``)."""
        return f"{self.base_url}/app?access_token={quote(self.access_token(), safe='')}"
