//! The API dialects: each folder is the only place that knows its wire shape.

pub mod server_api;
