"""Contains all the data models used in inputs/outputs"""

from .access_token import AccessToken
from .access_token_response_200 import AccessTokenResponse200
from .advance_clock import AdvanceClock
from .auth_request import AuthRequest
from .bulk_replay import BulkReplay
from .connection import Connection
from .connection_request import ConnectionRequest
from .connection_started import ConnectionStarted
from .connections import Connections
from .consent import Consent
from .consent_expiring import ConsentExpiring
from .consent_expiring_external_info import ConsentExpiringExternalInfo
from .consent_extension import ConsentExtension
from .consent_extensions import ConsentExtensions
from .consent_quota import ConsentQuota
from .consent_renewed import ConsentRenewed
from .consent_renewed_external_info import ConsentRenewedExternalInfo
from .consent_request import ConsentRequest
from .consent_status import ConsentStatus
from .consent_status_changed import ConsentStatusChanged
from .consent_status_changed_external_info import ConsentStatusChangedExternalInfo
from .created_consent import CreatedConsent
from .created_link import CreatedLink
from .data_request import DataRequest
from .documents_error import DocumentsError
from .documents_error_detail import DocumentsErrorDetail
from .enable_endpoint import EnableEndpoint
from .endpoint_enabled import EndpointEnabled
from .endpoint_quota import EndpointQuota
from .envelope import Envelope
from .envelope_error import EnvelopeError
from .error_body import ErrorBody
from .error_envelope import ErrorEnvelope
from .file_entry import FileEntry
from .image_url import ImageUrl
from .institution import Institution
from .institution_data_request import InstitutionDataRequest
from .institution_data_request_products_callback_url_type_0 import (
    InstitutionDataRequestProductsCallbackUrlType0,
)
from .institution_ref import InstitutionRef
from .link import Link
from .link_opened import LinkOpened
from .link_products_callback_url import LinkProductsCallbackUrl
from .link_renewal import LinkRenewal
from .link_request import LinkRequest
from .link_request_external_info_type_0 import LinkRequestExternalInfoType0
from .link_request_products_callback_url_type_0 import (
    LinkRequestProductsCallbackUrlType0,
)
from .link_status import LinkStatus
from .list_connections_response_200 import ListConnectionsResponse200
from .logged_out import LoggedOut
from .logout_response_200 import LogoutResponse200
from .open_link_doc import OpenLinkDoc
from .open_link_doc_external_info_type_0 import OpenLinkDocExternalInfoType0
from .open_link_doc_products_callback_url_type_0 import (
    OpenLinkDocProductsCallbackUrlType0,
)
from .open_link_response_200 import OpenLinkResponse200
from .portal import Portal
from .product import Product
from .progress import Progress
from .refresh_accepted import RefreshAccepted
from .refresh_request import RefreshRequest
from .refresh_schedule import RefreshSchedule
from .refresh_token_response_200 import RefreshTokenResponse200
from .removed_transaction import RemovedTransaction
from .renew_request import RenewRequest
from .renewal_request import RenewalRequest
from .renewed_consent import RenewedConsent
from .replay_since import ReplaySince
from .replayed import Replayed
from .report import Report
from .report_ready import ReportReady
from .report_ready_external_info import ReportReadyExternalInfo
from .report_status import ReportStatus
from .request_accepted import RequestAccepted
from .request_report import RequestReport
from .request_status import RequestStatus
from .request_ticket_response_200 import RequestTicketResponse200
from .retrieval_body import RetrievalBody
from .retrieval_data import RetrievalData
from .retrieval_data_metadata import RetrievalDataMetadata
from .retrieval_id import RetrievalId
from .retrieval_webhook import RetrievalWebhook
from .revoke_connection_response_200 import RevokeConnectionResponse200
from .rotated_webhook_secret import RotatedWebhookSecret
from .sandbox_connect import SandboxConnect
from .sandbox_credentials import SandboxCredentials
from .session_tokens import SessionTokens
from .started_renewal import StartedRenewal
from .status_change import StatusChange
from .sync_account import SyncAccount
from .sync_account_limits_type_0_item import SyncAccountLimitsType0Item
from .test_clock import TestClock
from .ticket_issued import TicketIssued
from .ticket_request_doc import TicketRequestDoc
from .token_issued import TokenIssued
from .token_request import TokenRequest
from .token_request_metadata_type_0 import TokenRequestMetadataType0
from .transactions_sync_page import TransactionsSyncPage
from .transactions_sync_page_added_item import TransactionsSyncPageAddedItem
from .transactions_sync_page_modified_item import TransactionsSyncPageModifiedItem
from .transactions_sync_updates_available import TransactionsSyncUpdatesAvailable
from .transactions_sync_updates_available_external_info import (
    TransactionsSyncUpdatesAvailableExternalInfo,
)
from .user import User
from .user_role import UserRole
from .webhook_attempt import WebhookAttempt
from .webhook_error import WebhookError
from .webhook_message import WebhookMessage
from .webhook_message_detail import WebhookMessageDetail
from .webhook_page import WebhookPage

__all__ = (
    "AccessToken",
    "AccessTokenResponse200",
    "AdvanceClock",
    "AuthRequest",
    "BulkReplay",
    "Connection",
    "ConnectionRequest",
    "ConnectionStarted",
    "Connections",
    "Consent",
    "ConsentExpiring",
    "ConsentExpiringExternalInfo",
    "ConsentExtension",
    "ConsentExtensions",
    "ConsentQuota",
    "ConsentRenewed",
    "ConsentRenewedExternalInfo",
    "ConsentRequest",
    "ConsentStatus",
    "ConsentStatusChanged",
    "ConsentStatusChangedExternalInfo",
    "CreatedConsent",
    "CreatedLink",
    "DataRequest",
    "DocumentsError",
    "DocumentsErrorDetail",
    "EnableEndpoint",
    "EndpointEnabled",
    "EndpointQuota",
    "Envelope",
    "EnvelopeError",
    "ErrorBody",
    "ErrorEnvelope",
    "FileEntry",
    "ImageUrl",
    "Institution",
    "InstitutionDataRequest",
    "InstitutionDataRequestProductsCallbackUrlType0",
    "InstitutionRef",
    "Link",
    "LinkOpened",
    "LinkProductsCallbackUrl",
    "LinkRenewal",
    "LinkRequest",
    "LinkRequestExternalInfoType0",
    "LinkRequestProductsCallbackUrlType0",
    "LinkStatus",
    "ListConnectionsResponse200",
    "LoggedOut",
    "LogoutResponse200",
    "OpenLinkDoc",
    "OpenLinkDocExternalInfoType0",
    "OpenLinkDocProductsCallbackUrlType0",
    "OpenLinkResponse200",
    "Portal",
    "Product",
    "Progress",
    "RefreshAccepted",
    "RefreshRequest",
    "RefreshSchedule",
    "RefreshTokenResponse200",
    "RemovedTransaction",
    "RenewRequest",
    "RenewalRequest",
    "RenewedConsent",
    "ReplaySince",
    "Replayed",
    "Report",
    "ReportReady",
    "ReportReadyExternalInfo",
    "ReportStatus",
    "RequestAccepted",
    "RequestReport",
    "RequestStatus",
    "RequestTicketResponse200",
    "RetrievalBody",
    "RetrievalData",
    "RetrievalDataMetadata",
    "RetrievalId",
    "RetrievalWebhook",
    "RevokeConnectionResponse200",
    "RotatedWebhookSecret",
    "SandboxConnect",
    "SandboxCredentials",
    "SessionTokens",
    "StartedRenewal",
    "StatusChange",
    "SyncAccount",
    "SyncAccountLimitsType0Item",
    "TestClock",
    "TicketIssued",
    "TicketRequestDoc",
    "TokenIssued",
    "TokenRequest",
    "TokenRequestMetadataType0",
    "TransactionsSyncPage",
    "TransactionsSyncPageAddedItem",
    "TransactionsSyncPageModifiedItem",
    "TransactionsSyncUpdatesAvailable",
    "TransactionsSyncUpdatesAvailableExternalInfo",
    "User",
    "UserRole",
    "WebhookAttempt",
    "WebhookError",
    "WebhookMessage",
    "WebhookMessageDetail",
    "WebhookPage",
)
