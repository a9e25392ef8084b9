//! The Server API (TapTalk-style auth tickets) over HTTP, on both databases:
//! every error code and parameter number, the seed's own example, sessions
//! (single use under concurrency, expiry on the injected clock, refresh
//! rotation and reuse), and the end user's own connections.

mod connections;
mod me;
mod sessions;
mod tickets;
mod wire;
