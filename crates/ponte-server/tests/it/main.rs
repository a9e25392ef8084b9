//! The server's integration tests, one binary (`cargo nextest run -p ponte-server`; filter by
//! module, e.g. `-E 'test(/^webhooks::/)'`). Each test starts the real router on a loopback
//! port; shared helpers live in `support` (`both!` runs a scenario on SQLite and PostgreSQL).
//! Each scenario file is a module here.

#[macro_use]
mod support;

mod browser;
mod client_locale;
mod consent_approvers;
mod consent_end;
mod consent_flow;
mod consent_lifecycle;
mod console;
mod console_browser;
mod console_renewals;
mod console_renewals_browser;
mod console_requests;
mod console_tools;
mod data_api;
mod demo;
mod documents_api;
mod documents_app;
mod documents_browser;
mod documents_jobs;
mod documents_refresh;
mod documents_refresh_retry;
mod documents_s3;
mod duplicates;
mod duplicates_browser;
mod duplicates_session;
mod embed_browser;
mod end_users;
mod error_pointers;
mod failures;
mod fapi_auth_date;
mod fapi_sandbox;
mod hardening_callback;
mod hardening_consent_limit;
mod hardening_delete;
mod hardening_delete_revokes;
mod hardening_edge;
mod hardening_limits;
mod hardening_proxy;
mod hardening_redirects;
mod hardening_tokens;
mod jobs;
mod language_browser;
mod locale_browser;
mod locale_pages;
mod me_renew;
mod openapi;
mod ops;
mod products;
mod quota;
mod quota_test_clock;
mod registrations_start;
mod reports;
mod retention;
mod retrieval;
mod sandbox_helpers;
mod sandbox_nodes;
mod sealed;
mod server_api;
mod sync_balances_bills;
mod sync_fresh_reports;
mod transactions_sync;
mod update_browser;
mod update_mode;
mod update_mode_callback_race;
mod update_mode_race;
mod wake;
mod webhook_correlation;
mod webhooks;
mod wire;
