//! Ponte's services, workers and HTTP surfaces, wired into one `App`.

pub mod clock;
pub mod config;
pub mod console;
pub mod crypto;
pub mod dialects;
pub mod error;
pub mod http;
pub mod pdf;
pub mod ratelimit;
pub mod services;
pub mod ssrf;
pub mod storage;
pub mod tokens;
pub mod web;
pub mod workers;

pub use app::{App, Server};
pub use error::Error;

mod app;
