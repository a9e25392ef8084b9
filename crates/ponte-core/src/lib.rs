//! Ponte's domain: the values every layer agrees on, parsed once at the edge.
//! Nothing here does I/O.

pub mod consent;
pub mod contact;
pub mod end_user;
pub mod event;
pub mod field;
pub mod ids;
pub mod institution;
pub mod locale;
pub mod product;
pub mod taxid;

use std::borrow::Cow;

/// A value that failed to parse, with the name of the field it came from.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{field}: {message}")]
pub struct FieldError {
    pub field: Cow<'static, str>,
    pub message: String,
}

impl FieldError {
    pub fn new(field: impl Into<Cow<'static, str>>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

pub use consent::{ConsentStatus, TransitionError};
pub use contact::{Email, HttpUrl, Phone};
pub use end_user::{EndUserKey, EndUserProfile};
pub use event::DomainEvent;
pub use field::Field;
pub use ids::*;
pub use institution::InstitutionKind;
pub use locale::Locale;
pub use product::Product;
pub use taxid::{Cnpj, Cpf, TaxId};
