//! Ponte's faces: the API dialects, HTTP, console, widget, pages and OpenAPI,
//! over the rules in `ponte-services`. [`Server`] builds the [`App`] context,
//! registering each dialect's webhook renderer, and serves it.

pub mod dialects;
pub mod http;
pub mod web;

// The rules live below this crate, which they cannot see; their paths stay
// reachable from here so handlers, the binary and the tests name them as
// before.
pub use ponte_services::{
    clock, config, crypto, error, pdf, ratelimit, services, ssrf, storage, tokens, workers,
};
pub use ponte_services::{App, Error};
pub use server::{jobs, listen_without_delay, open_app, Server};

mod server;
