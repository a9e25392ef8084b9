"""Webhook verification with the Standard Webhooks library, across a secret rotation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from standardwebhooks import Webhook, WebhookVerificationError

__all__ = ["WebhookVerificationError", "verify_webhook"]


def verify_webhook(body: bytes | str, headers: Mapping[str, str], secrets: str | Sequence[str]) -> Any:
    """Checks a webhook's signature and timestamp (±5 minutes) and returns its JSON body;
    raises :class:`WebhookVerificationError` otherwise.

    ``body`` must be the raw bytes as received. ``secrets`` is your ``whsec_``
    secret, or several: during a rotation's 24-hour grace Ponte signs with the
    new and the old secret (``v1,<new> v1,<old>``), so a receiver may hold
    either, or both while it switches.
    """
    candidates = [secrets] if isinstance(secrets, str) else list(secrets)
    if not candidates:
        raise WebhookVerificationError("No webhook secret given")
    plain = {key.lower(): value for key, value in headers.items()}
    last: WebhookVerificationError | None = None
    for secret in candidates:
        try:
            return Webhook(secret).verify(body, plain)
        except WebhookVerificationError as error:
            last = error
    raise last or WebhookVerificationError("No matching signature found")
