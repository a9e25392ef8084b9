//! The Server API (TapTalk-style auth tickets) over HTTP, on both databases:
//! every error code and parameter number, the seed's own example, sessions
//! (single use under concurrency, expiry on the injected clock, refresh
//! rotation and reuse), and the end user's own connections.

mod support;

#[path = "server_api/common.rs"]
mod common;
#[path = "server_api/connections.rs"]
mod connections;
#[path = "server_api/me.rs"]
mod me;
#[path = "server_api/sessions.rs"]
mod sessions;
#[path = "server_api/tickets.rs"]
mod tickets;
#[path = "server_api/wire.rs"]
mod wire;
