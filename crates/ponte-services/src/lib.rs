//! Ponte's rules and workers: services, jobs, the outbox, tokens, crypto,
//! storage and PDF. This crate sees no HTTP server and no dialect: it speaks
//! `ponte-core` types, and the API crate (`ponte-server`) registers its
//! webhook renderers in the [`App`] context at start.

pub mod clock;
pub mod color;
pub mod config;
pub mod crypto;
pub mod error;
pub mod pdf;
pub mod ratelimit;
pub mod services;
pub mod ssrf;
pub mod storage;
pub mod tokens;
pub mod workers;

pub use app::App;
pub use error::Error;

mod app;
