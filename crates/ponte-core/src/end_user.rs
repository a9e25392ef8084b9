//! End users: the people an integrator connects, one per (client, the
//! client's own id for them), whatever dialect the client speaks.

use serde::{Deserialize, Serialize};

/// How a client names one of its end users. Each dialect has its own way;
/// all of them lead to the one end-users table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndUserKey<'a> {
    /// The Data API knows a person by tax id (CPF or CNPJ, digits only).
    TaxId(&'a str),
    /// An id Ponte minted for the client (the Documents API's `taiki_user_id`).
    Minted(&'a str),
    /// The client's own user id (the Server API's `xcUserID`).
    External(&'a str),
}

impl EndUserKey<'_> {
    /// The kind stored beside the row, so listings can tell them apart.
    pub fn kind(&self) -> &'static str {
        match self {
            EndUserKey::TaxId(_) => "tax_id",
            EndUserKey::Minted(_) => "minted",
            EndUserKey::External(_) => "external",
        }
    }

    /// The text whose keyed hash finds the row: ids are never stored in
    /// clear, a tax id being personal data. (`end-user/tax-id/…` is the
    /// form rows made before end users had kinds were keyed with.)
    pub fn lookup_text(&self) -> String {
        match self {
            EndUserKey::TaxId(v) => format!("end-user/tax-id/{v}"),
            EndUserKey::Minted(v) => format!("end-user/minted/{v}"),
            EndUserKey::External(v) => format!("end-user/external/{v}"),
        }
    }
}

/// What a client told us about an end user; kept sealed at rest. Every field
/// is optional: each dialect fills what it knows.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct EndUserProfile {
    pub personal_tax_id: Option<String>,
    pub business_tax_id: Option<String>,
    pub full_name: Option<String>,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub username: Option<String>,
    pub photo_thumbnail_url: Option<String>,
    pub photo_fullsize_url: Option<String>,
    pub role_code: Option<String>,
}

impl EndUserProfile {
    /// `newer` over `self`: a field the client sends replaces the one we
    /// had; a field it leaves out keeps its value.
    pub fn merged(&self, newer: &EndUserProfile) -> EndUserProfile {
        fn pick(new: &Option<String>, old: &Option<String>) -> Option<String> {
            new.clone().or_else(|| old.clone())
        }
        EndUserProfile {
            personal_tax_id: pick(&newer.personal_tax_id, &self.personal_tax_id),
            business_tax_id: pick(&newer.business_tax_id, &self.business_tax_id),
            full_name: pick(&newer.full_name, &self.full_name),
            email: pick(&newer.email, &self.email),
            phone: pick(&newer.phone, &self.phone),
            username: pick(&newer.username, &self.username),
            photo_thumbnail_url: pick(&newer.photo_thumbnail_url, &self.photo_thumbnail_url),
            photo_fullsize_url: pick(&newer.photo_fullsize_url, &self.photo_fullsize_url),
            role_code: pick(&newer.role_code, &self.role_code),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_of_different_kinds_never_collide() {
        let same = "52998224725";
        let texts = [
            EndUserKey::TaxId(same).lookup_text(),
            EndUserKey::Minted(same).lookup_text(),
            EndUserKey::External(same).lookup_text(),
        ];
        assert_eq!(texts[0], "end-user/tax-id/52998224725");
        assert!(texts[0] != texts[1] && texts[1] != texts[2] && texts[0] != texts[2]);
    }

    #[test]
    fn a_newer_profile_replaces_what_it_sends_and_keeps_the_rest() {
        let old = EndUserProfile {
            full_name: Some("Ana".into()),
            email: Some("ana@old.example".into()),
            ..Default::default()
        };
        let newer = EndUserProfile {
            email: Some("ana@new.example".into()),
            phone: Some("+5511912345678".into()),
            ..Default::default()
        };
        let m = old.merged(&newer);
        assert_eq!(m.full_name.as_deref(), Some("Ana"));
        assert_eq!(m.email.as_deref(), Some("ana@new.example"));
        assert_eq!(m.phone.as_deref(), Some("+5511912345678"));
    }
}
