//! Duplicate connections: a consent asked for the same person (tax ids) at
//! the same institution as one of the client's that is already AUTHORISED.
//! The new consent names it (`duplicateOf`), and each client chooses what
//! happens: allow it, warn the end user in the widget, or refuse it.

use crate::error::{Error, Result};
use crate::services::links::LinkDetails;
use crate::App;
use ponte_core::{ClientId, Cnpj, Cpf, Field, FieldError};
use ponte_store::Conn;

/// What a client does with a duplicate connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DuplicatePolicy {
    /// Made as asked; the consent and its webhooks name the one it duplicates.
    Allow,
    /// As `Allow`, and the widget tells the end user they already connected the bank.
    Warn,
    /// Refused at consent creation, naming the AUTHORISED consent.
    Refuse,
}

impl DuplicatePolicy {
    pub const NAMES: &'static str = "allow, warn or refuse";

    /// Reads a policy named by an operator (field `field`).
    pub fn parse(field: &'static str, text: &str) -> std::result::Result<Self, FieldError> {
        match text.trim().to_ascii_lowercase().as_str() {
            "allow" => Ok(DuplicatePolicy::Allow),
            "warn" => Ok(DuplicatePolicy::Warn),
            "refuse" => Ok(DuplicatePolicy::Refuse),
            _ => Err(FieldError::new(
                field,
                format!("must be {} (got {text:?})", Self::NAMES),
            )),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            DuplicatePolicy::Allow => "allow",
            DuplicatePolicy::Warn => "warn",
            DuplicatePolicy::Refuse => "refuse",
        }
    }
}

/// The keyed hash that names the person a consent is for: tax ids are
/// personal data and never stored in clear.
pub fn holder_key(app: &App, personal_tax_id: &str, business_tax_id: Option<&str>) -> String {
    app.crypto.hash_secret(&format!(
        "consent-holder/{personal_tax_id}/{}",
        business_tax_id.unwrap_or("")
    ))
}

/// The client's policy; a stored value this version does not know reads as
/// `allow`, the behaviour before policies existed.
pub async fn policy(conn: &mut Conn, client: &ClientId) -> Result<DuplicatePolicy> {
    let stored = ponte_store::duplicate_policy(conn, client.as_str())
        .await?
        .ok_or(Error::NotFound("client"))?;
    Ok(DuplicatePolicy::parse("duplicates", &stored).unwrap_or(DuplicatePolicy::Allow))
}

/// Sets the client's policy (`ponte clients update --duplicates`).
pub async fn set_policy(app: &App, client: &str, policy: DuplicatePolicy) -> Result<()> {
    let mut tx = app.store.begin().await?;
    if !ponte_store::set_duplicate_policy(&mut tx, client, policy.as_str()).await? {
        return Err(Error::NotFound("client"));
    }
    tx.commit().await?;
    tracing::info!(
        client_id = client,
        policy = policy.as_str(),
        "duplicate policy set"
    );
    Ok(())
}

/// A duplicate found before a consent is made, and what the client's policy says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Duplicate {
    pub of: String,
    pub policy: DuplicatePolicy,
}

/// The AUTHORISED consent a new one for `holder` at `institution` would
/// duplicate. A client that refuses duplicates gets `DuplicateConnection`
/// naming it, before anything is asked of the institution.
pub async fn check(
    app: &App,
    client: &ClientId,
    institution_code: &str,
    institution_name: &str,
    holder: &str,
) -> Result<Option<Duplicate>> {
    let mut conn = app.store.read().await?;
    let Some(of) =
        ponte_store::authorised_duplicate(&mut conn, client.as_str(), institution_code, holder)
            .await?
    else {
        return Ok(None);
    };
    let policy = policy(&mut conn, client).await?;
    if policy == DuplicatePolicy::Refuse {
        return Err(Error::DuplicateConnection {
            consent_id: of,
            institution: institution_name.to_string(),
        });
    }
    Ok(Some(Duplicate { of, policy }))
}

/// What the widget may tell a link's end user before they pick a bank:
/// the institutions they already connected for this client, and the
/// client's policy. Only codes: never the tax ids or other links' consents.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AlreadyConnected {
    /// `Warn` or `Refuse`; an `Allow` client tells the widget nothing.
    pub policy: DuplicatePolicy,
    pub institution_codes: Vec<String>,
}

/// The link's end user's AUTHORISED institutions with the client, when the
/// client warns or refuses duplicates. `None` when the link names no
/// person (the widget cannot know who will log in), when its tax ids do not
/// read (consent creation names that error), for an `Allow` client, and
/// when there is nothing connected yet.
pub async fn already_connected(
    app: &App,
    client: &ClientId,
    details: &LinkDetails,
) -> Result<Option<AlreadyConnected>> {
    let Some(personal) = details
        .personal_tax_id
        .as_deref()
        .and_then(|v| Cpf::parse(Field::PersonalTaxId, v).ok())
    else {
        return Ok(None);
    };
    // The same key consent creation computes: a business the link fixes counts.
    let business = match details.business_tax_id.as_deref() {
        Some(v) => match Cnpj::parse(Field::BusinessTaxId, v) {
            Ok(b) => Some(b),
            Err(_) => return Ok(None),
        },
        None => None,
    };
    let mut conn = app.store.read().await?;
    let policy = policy(&mut conn, client).await?;
    if policy == DuplicatePolicy::Allow {
        return Ok(None);
    }
    let holder = holder_key(
        app,
        personal.as_str(),
        business.as_ref().map(|b| b.as_str()),
    );
    let institution_codes =
        ponte_store::authorised_institutions(&mut conn, client.as_str(), &holder).await?;
    if institution_codes.is_empty() {
        return Ok(None);
    }
    Ok(Some(AlreadyConnected {
        policy,
        institution_codes,
    }))
}

#[cfg(test)]
mod tests {
    use super::DuplicatePolicy;

    #[test]
    fn policies_read_as_named_and_anything_else_names_the_choices() {
        for p in [
            DuplicatePolicy::Allow,
            DuplicatePolicy::Warn,
            DuplicatePolicy::Refuse,
        ] {
            assert_eq!(DuplicatePolicy::parse("duplicates", p.as_str()), Ok(p));
        }
        assert_eq!(
            DuplicatePolicy::parse("duplicates", " Refuse "),
            Ok(DuplicatePolicy::Refuse)
        );
        let e = DuplicatePolicy::parse("duplicates", "block").unwrap_err();
        assert_eq!(e.field, "duplicates");
        assert!(e.message.contains("allow, warn or refuse"), "{}", e.message);
    }
}
