//! What server-rendered pages share, whoever renders them: Ponte's own
//! (`/me`, the documents app, the callback pages) and the sandbox
//! institutions' (bank and portal sign-in). Each keeps its own words and
//! templates; the loading, the fallback to the first language, the escaping
//! and the templates' `t('id', name=value)` function are written once here.

mod catalogue;
mod templates;

pub use catalogue::{placeholders, Catalogue};
pub use fluent_bundle::FluentValue;
pub use templates::environment;
