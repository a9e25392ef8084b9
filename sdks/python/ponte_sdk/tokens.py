"""Token handling shared by the dialects: obtain, cache, refresh before expiry,
and one retry on 401, as an ``httpx.Auth`` so it works for sync and async calls."""

from __future__ import annotations

import time
from collections.abc import Callable, Generator
from dataclasses import dataclass

import httpx

#: A renewal: yields the requests it needs (their answers are sent back) and
#: returns the new grant. It gets the cached grant while that is still valid.
Renew = Callable[["Grant | None"], Generator[httpx.Request, httpx.Response, "Grant"]]


@dataclass(frozen=True)
class Grant:
    """A bearer token and when it stops working (unix seconds)."""

    token: str
    expires_at: float


class TokenAuth(httpx.Auth):
    """Puts a cached token on each request, renews it ``refresh_margin`` seconds
    before it expires, and when Ponte answers 401 renews it and sends the request
    once more."""

    requires_response_body = True

    def __init__(
        self,
        renew: Renew,
        *,
        refresh_margin: float = 60.0,
        now: Callable[[], float] = time.time,
    ) -> None:
        self._renew = renew
        self._margin = refresh_margin
        self._now = now
        self.grant: Grant | None = None

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        token = yield from self._token()
        request.headers["Authorization"] = f"Bearer {token}"
        response = yield request
        if response.status_code == 401:
            self.invalidate(token)
            token = yield from self._token()
            request.headers["Authorization"] = f"Bearer {token}"
            yield request

    def invalidate(self, token: str) -> None:
        """Forgets ``token`` after the server refused it."""
        if self.grant is not None and self.grant.token == token:
            self.grant = None

    def token(self, http: httpx.Client) -> str:
        """A valid token now, renewing it through ``http`` when due."""
        flow = self._token()
        try:
            request = next(flow)
            while True:
                response = http.send(request)
                response.read()
                request = flow.send(response)
        except StopIteration as done:
            return str(done.value)

    def _token(self) -> Generator[httpx.Request, httpx.Response, str]:
        grant = self.grant
        now = self._now()
        if grant is not None and now < grant.expires_at - self._margin:
            return grant.token
        valid = grant if grant is not None and now < grant.expires_at else None
        self.grant = yield from self._renew(valid)
        return self.grant.token
