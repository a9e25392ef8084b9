//! What every handler of this dialect shares, below the route list that
//! names the handlers: the dialect's name and the request parts it takes,
//! each rejected in its own envelope.

use super::errors::ApiError;
use crate::http::extract::{AccessOnly, AccessOrLink, Body, LinkOnly, Token};

/// The name stored on the links this dialect opens and the messages it renders.
pub const DIALECT: &str = "data_api";

pub(super) type JsonBody<T> = Body<T, ApiError>;
pub(super) type Access = Token<AccessOnly, ApiError>;
pub(super) type LinkToken = Token<LinkOnly, ApiError>;
pub(super) type AnyToken = Token<AccessOrLink, ApiError>;
