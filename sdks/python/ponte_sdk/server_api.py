"""The Server API (TapTalk's auth tickets): your backend's Server-Key, and the end user's session."""

from __future__ import annotations

import base64
import time
from collections.abc import Callable, Generator
from typing import Any

import httpx
from ponte_client import AuthenticatedClient
from ponte_client.api.server_api_auth import request_ticket
from ponte_client.api.server_api_connections import list_connections
from ponte_client.models import Connection, TicketIssued, TicketRequestDoc

from ._base import _Dialect
from .errors import ServerApiError, raise_for
from .tokens import Grant, TokenAuth


class ServerApi(_Dialect):
    """Your backend's Server API client: ``client`` carries the ``Server-Key`` header."""

    dialect = "server"

    def __init__(
        self, base_url: str, api_key: str, api_secret: str, *, httpx_args: dict[str, Any] | None = None
    ) -> None:
        super().__init__(base_url, httpx_args)
        server_key = base64.b64encode(f"{api_key}:{api_secret}".encode()).decode()
        self.client = AuthenticatedClient(
            base_url=self.base_url,
            token=server_key,
            prefix="",
            auth_header_name="Server-Key",
            httpx_args=self._httpx_args,
        )

    def request_ticket(self, **user: Any) -> TicketIssued:
        """A single-use ticket (one hour) for your logged-in user, created or updated
        by ``xcUserID``; the fields are the seed's (``userIPAddress`` … ``userRoleCode``)."""
        return self.call(request_ticket, body=TicketRequestDoc.from_dict(user)).data

    def user_session(
        self, ticket: str, *, refresh_margin: float = 60.0, now: Callable[[], float] = time.time
    ) -> UserSession:
        """The end user's own session from a ticket: what your app does with it."""
        return UserSession(self.base_url, ticket, self._httpx_args, refresh_margin=refresh_margin, now=now)


class UserSession(_Dialect):
    """An end user's session. The ticket is traded once; the access token (15 minutes)
    is then renewed with the rotating refresh token before it expires, and once more
    when Ponte answers 401."""

    dialect = "server"

    def __init__(
        self,
        base_url: str,
        ticket: str,
        httpx_args: dict[str, Any],
        *,
        refresh_margin: float,
        now: Callable[[], float],
    ) -> None:
        super().__init__(base_url, httpx_args)
        self._ticket: str | None = ticket
        self._refresh: tuple[str, float] | None = None
        #: The session's tokens and user profile (the ``data`` of the last exchange).
        self.session: dict[str, Any] | None = None
        self.auth = TokenAuth(self._renew, refresh_margin=refresh_margin, now=now)
        self.client = AuthenticatedClient(
            base_url=self.base_url, token="-", httpx_args={**self._httpx_args, "auth": self.auth}
        )

    def start(self) -> dict[str, Any]:
        """Trades the ticket now (the first call does otherwise); the session's data."""
        self.auth.token(self._http)
        assert self.session is not None
        return self.session

    def connections(self) -> list[Connection]:
        """The end user's links and consents across institutions."""
        return list(self.call(list_connections).data.connections)

    def _renew(self, _current: Grant | None) -> Generator[httpx.Request, httpx.Response, Grant]:
        if self._refresh is not None and time.time() * 1000 < self._refresh[1]:
            bearer, path = self._refresh[0], "/v1/client/auth/access_token/refresh"
        elif self._ticket is not None:
            bearer, path = self._ticket, "/v1/client/auth/access_token/request"
            self._ticket = None  # single use, whatever the answer
        else:
            raise ServerApiError("server", 401, "40104", "the session ended: request a new ticket", None, None)
        answer = yield httpx.Request("POST", f"{self.base_url}{path}", headers={"Authorization": f"Bearer {bearer}"})
        tokens = raise_for("server", answer).json()["data"]
        self.session = tokens
        self._refresh = (tokens["refreshToken"], float(tokens["refreshTokenExpiry"]))
        # Server API expiries are unix milliseconds.
        return Grant(token=tokens["accessToken"], expires_at=float(tokens["accessTokenExpiry"]) / 1000)
