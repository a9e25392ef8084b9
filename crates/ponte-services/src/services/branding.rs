//! How a client appears in the hosted widget (white-label): display name,
//! logo, colour, privacy policy and the origins allowed to frame it.

use crate::color::Color;
use crate::error::{Error, Result};
use crate::App;
use ponte_core::{FieldError, HttpUrl};
use serde::Serialize;

/// The sandbox client's name: the demo integrator's (`web/demo`), so the
/// demo page, the widget, `/me` and the bank's consent page say one name.
pub const SANDBOX_CLIENT_NAME: &str = "Acme Lending";

/// How a client appears in the hosted widget (white-label). Serialized for
/// Ponte's own widget and console pages, in their spelling, not a dialect's.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Branding {
    pub display_name: Option<String>,
    pub logo_url: Option<String>,
    /// As the client set it; the widget gets [`Branding::readable_color`].
    pub primary_color: Option<String>,
    pub privacy_policy_url: Option<String>,
    /// Origins allowed to frame the widget (the SDK's iframe).
    pub frame_origins: Vec<String>,
}

impl Branding {
    /// The primary colour, darkened if white text on it would be hard to read.
    pub fn readable_color(&self) -> Option<String> {
        let color = Color::parse(self.primary_color.as_deref()?)?;
        Some(color.readable_on_white().to_string())
    }
}

/// A change from `ponte clients update`: `None` keeps a value, an empty
/// string clears it.
#[derive(Debug, Default)]
pub struct BrandingChange<'a> {
    pub display_name: Option<&'a str>,
    pub logo_url: Option<&'a str>,
    pub primary_color: Option<&'a str>,
    pub privacy_policy_url: Option<&'a str>,
    pub frame_origins: Option<&'a str>,
}

/// Applies `change` to `current`, refusing a value that would not work in
/// the widget, with the field that is wrong.
pub fn apply_branding(current: Branding, change: &BrandingChange) -> Result<Branding, FieldError> {
    fn given(v: Option<&str>) -> Option<Option<&str>> {
        v.map(|v| Some(v.trim()).filter(|v| !v.is_empty()))
    }
    let mut b = current;
    if let Some(name) = given(change.display_name) {
        if name.is_some_and(|n| n.chars().count() > 60) {
            return Err(FieldError::new(
                "displayName",
                "must be at most 60 characters",
            ));
        }
        b.display_name = name.map(str::to_string);
    }
    if let Some(logo) = given(change.logo_url) {
        // The widget's Content-Security-Policy loads images over https only.
        let logo = logo.map(|u| HttpUrl::parse("logoUrl", u)).transpose()?;
        if logo.as_ref().is_some_and(|u| u.url().scheme() != "https") {
            return Err(FieldError::new("logoUrl", "must be an https URL"));
        }
        b.logo_url = logo.map(|u| u.as_str().to_string());
    }
    if let Some(color) = given(change.primary_color) {
        if color.is_some_and(|c| Color::parse(c).is_none()) {
            return Err(FieldError::new(
                "primaryColor",
                "must be a hex colour such as #0f766e",
            ));
        }
        b.primary_color = color.map(|c| c.to_ascii_lowercase());
    }
    if let Some(url) = given(change.privacy_policy_url) {
        let url = url
            .map(|u| HttpUrl::parse("privacyPolicyUrl", u))
            .transpose()?;
        b.privacy_policy_url = url.map(|u| u.as_str().to_string());
    }
    if let Some(origins) = given(change.frame_origins) {
        b.frame_origins = origins
            .unwrap_or_default()
            .split([' ', ','])
            .filter(|o| !o.is_empty())
            .map(|o| match HttpUrl::parse("frameOrigins", o) {
                Ok(u) if matches!(u.url().path(), "" | "/") && u.url().query().is_none() => {
                    Ok(u.url().origin().ascii_serialization())
                }
                Ok(_) => Err(FieldError::new(
                    "frameOrigins",
                    format!("{o:?} must be an origin (scheme, host and port, no path)"),
                )),
                Err(e) => Err(e),
            })
            .collect::<Result<_, _>>()?;
    }
    Ok(b)
}

pub async fn branding(app: &App, client_id: &str) -> Result<Branding> {
    let mut conn = app.store.read().await?;
    let row = ponte_store::client_branding(&mut conn, client_id)
        .await?
        .ok_or(Error::NotFound("client"))?;
    Ok(Branding {
        display_name: row.display_name,
        logo_url: row.logo_url,
        primary_color: row.primary_color,
        privacy_policy_url: row.privacy_policy_url,
        frame_origins: row
            .frame_origins
            .map(|o| o.split(' ').map(str::to_string).collect())
            .unwrap_or_default(),
    })
}

pub async fn update_branding(
    app: &App,
    client_id: &str,
    change: &BrandingChange<'_>,
) -> Result<Branding> {
    let next = apply_branding(branding(app, client_id).await?, change)?;
    let row = ponte_store::ClientBrandingRow {
        display_name: next.display_name.clone(),
        logo_url: next.logo_url.clone(),
        primary_color: next.primary_color.clone(),
        privacy_policy_url: next.privacy_policy_url.clone(),
        frame_origins: Some(next.frame_origins.join(" ")).filter(|o| !o.is_empty()),
    };
    let mut tx = app.store.begin().await?;
    if !ponte_store::set_client_branding(&mut tx, client_id, &row).await? {
        return Err(Error::NotFound("client"));
    }
    tx.commit().await?;
    tracing::info!(client_id, "client branding updated");
    Ok(next)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn branding_changes_keep_clear_and_refuse_by_field() {
        let set = BrandingChange {
            display_name: Some(" Acme Crédito "),
            primary_color: Some("#FCFC30"),
            frame_origins: Some("https://app.acme.com.br, http://localhost:3000"),
            ..Default::default()
        };
        let b = apply_branding(Branding::default(), &set).unwrap();
        assert_eq!(b.display_name.as_deref(), Some("Acme Crédito"));
        assert_eq!(
            b.frame_origins,
            ["https://app.acme.com.br", "http://localhost:3000"]
        );
        assert_ne!(b.readable_color(), b.primary_color, "too light: darkened");
        let cleared = BrandingChange {
            display_name: Some(""),
            ..Default::default()
        };
        let b = apply_branding(b, &cleared).unwrap();
        assert_eq!(
            (b.display_name, b.primary_color.as_deref()),
            (None, Some("#fcfc30"))
        );
        for (change, field) in [
            (
                BrandingChange {
                    primary_color: Some("teal"),
                    ..Default::default()
                },
                "primaryColor",
            ),
            (
                BrandingChange {
                    logo_url: Some("http://acme.com/logo.png"),
                    ..Default::default()
                },
                "logoUrl",
            ),
            (
                BrandingChange {
                    frame_origins: Some("https://acme.com/app"),
                    ..Default::default()
                },
                "frameOrigins",
            ),
            (
                BrandingChange {
                    privacy_policy_url: Some("javascript:alert(1)"),
                    ..Default::default()
                },
                "privacyPolicyUrl",
            ),
        ] {
            assert_eq!(
                apply_branding(Branding::default(), &change)
                    .unwrap_err()
                    .field,
                field
            );
        }
    }
}
