//! The sandbox banks' integration tests, one binary (`cargo nextest run -p ponte-sandbox`;
//! filter by module, e.g. `fapi_dcr::`). Shared helpers live in `support`; each
//! scenario file is a module here.

mod support;

mod consent_extensions;
mod consents_api;
mod customer;
mod data_api;
mod directory;
mod fapi;
mod fapi_dcr;
mod fapi_misbehaviour;
mod fapi_strict;
mod oauth_flow;
mod pages_language;
mod portals_documents;
mod portals_flow;
mod quota;
