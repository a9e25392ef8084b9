"""The Data API (Klavi's link API): access tokens handled, link-token calls, pagination."""

from __future__ import annotations

import time
from collections.abc import Callable, Generator, Iterator
from typing import Any

import httpx
from ponte_client import AuthenticatedClient
from ponte_client.api.data_api_webhooks import list_webhooks
from ponte_client.models import WebhookMessage
from ponte_client.types import UNSET

from ._base import _Dialect
from .errors import raise_for
from .pagination import paginate
from .tokens import Grant, TokenAuth


class DataApi(_Dialect):
    """Your backend's Data API client.

    ``client`` is the generated client for every call that takes your access
    token: obtained with your key and secret, cached, refreshed before it
    expires, and obtained again (the call sent once more) when Ponte answers 401.
    """

    dialect = "data"

    def __init__(
        self,
        base_url: str,
        api_key: str,
        api_secret: str,
        *,
        refresh_margin: float = 60.0,
        now: Callable[[], float] = time.time,
        httpx_args: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(base_url, httpx_args)
        self._key = api_key
        self._secret = api_secret
        self.auth = TokenAuth(self._renew, refresh_margin=refresh_margin, now=now)
        self.client = AuthenticatedClient(
            base_url=self.base_url, token="-", httpx_args={**self._httpx_args, "auth": self.auth}
        )

    def _renew(self, current: Grant | None) -> Generator[httpx.Request, httpx.Response, Grant]:
        if current is not None:
            # Still valid: trade it for a fresh one; a refusal falls back to the key and secret.
            refreshed = yield httpx.Request(
                "POST",
                f"{self.base_url}/data/v1/auth/refresh",
                headers={"Authorization": f"Bearer {current.token}"},
            )
            if refreshed.status_code == 200:
                return _grant(refreshed.json())
        answer = yield httpx.Request(
            "POST",
            f"{self.base_url}/data/v1/auth",
            json={"accessKey": self._key, "secretKey": self._secret},
        )
        return _grant(raise_for("data", answer).json())

    def token(self) -> str:
        """A valid access token now (for calls outside this SDK)."""
        return self.auth.token(self._http)

    def with_link_token(self, link_token: str) -> AuthenticatedClient:
        """A client for the calls that take a link token (``GET /data/v1/links/institutions``,
        ``POST /data/v1/consents``, the sandbox's headless login): pass it as ``client=``."""
        return AuthenticatedClient(base_url=self.base_url, token=link_token, httpx_args=self._httpx_args)

    def webhook_messages(self, status: str | None = None, limit: int | None = None) -> Iterator[WebhookMessage]:
        """Every webhook delivery (``pending``, ``delivered`` or ``dead``), newest first, page after page."""

        def page(cursor: str | None) -> tuple[list[WebhookMessage], str | None]:
            answer = self.call(
                list_webhooks,
                status=status if status is not None else UNSET,
                limit=limit if limit is not None else UNSET,
                cursor=cursor if cursor is not None else UNSET,
            )
            following = answer.next_cursor if isinstance(answer.next_cursor, str) else None
            return list(answer.data), following

        return paginate(page)


def _grant(body: dict[str, Any]) -> Grant:
    return Grant(token=body["accessToken"], expires_at=time.time() + float(body["expireIn"]))
