//! The `ponte` binary's integration tests, one test binary (`cargo nextest run -p ponte`;
//! filter by module, e.g. `webhook_durability::`). They run the real `ponte` executable
//! (`CARGO_BIN_EXE_ponte`) as an operator would. Shared helpers live in `support`; each
//! scenario file is a module here.

mod support;

mod cli;
mod cli_files;
mod cli_newcomer;
mod cli_startup;
mod documents_memory;
mod documents_recovery;
mod dynamic_registration;
mod files;
mod hardening_recovery;
mod hardening_sandbox_files;
mod postgres_tls;
mod readme_walks;
mod reports_pdf_locale;
mod sandbox_process;
mod secrets;
mod serve;
mod webhook_durability;
mod webhooks_test_cli;
