//! The API dialects Ponte speaks, each the only place that knows its wire
//! shape: routes, request and response types, field names, error envelope
//! and webhook payloads. A new dialect is a new folder here plus one line.

pub mod data_api;
