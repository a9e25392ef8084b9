"""Ponte's client SDK: the generated client of every dialect (``ponte_client``,
by openapi-python-client) and the little a generator cannot do: token handling,
webhook verification, pagination and typed errors."""

from .data_api import DataApi
from .documents import DocumentsApi, DocumentsSession
from .errors import DataApiError, DocumentsError, PonteError, ServerApiError, error_from, ok, raise_for
from .pagination import paginate
from .server_api import ServerApi, UserSession
from .tokens import Grant, TokenAuth
from .webhooks import WebhookVerificationError, verify_webhook

__all__ = [
    "DataApi",
    "DataApiError",
    "DocumentsApi",
    "DocumentsError",
    "DocumentsSession",
    "Grant",
    "PonteError",
    "ServerApi",
    "ServerApiError",
    "TokenAuth",
    "UserSession",
    "WebhookVerificationError",
    "error_from",
    "ok",
    "paginate",
    "raise_for",
    "verify_webhook",
]
