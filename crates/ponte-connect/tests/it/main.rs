//! The connector's integration tests, one binary (`cargo nextest run -p ponte-connect`;
//! filter by module, e.g. `independent_op::`). Shared helpers live in `support`;
//! each scenario file is a module here.

mod support;

mod bounds;
mod discovery_url;
mod document_portal;
mod fapi;
mod fapi_wire;
mod independent_op;
mod observe;
mod sandbox;
