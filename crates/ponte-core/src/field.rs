//! The fields of domain requests, named the domain's way. A service's
//! `FieldError` names one of these (with an index or key where the value is
//! a list or map: `consent_ids[1]`, `product_callbacks.accounts`); each
//! dialect maps them to its own wire names in one function.

use std::borrow::Cow;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    PersonalTaxId,
    BusinessTaxId,
    /// The tax id a data request is for.
    TaxId,
    Email,
    Phone,
    RedirectUrl,
    /// The institution a consent is created at.
    Institution,
    /// The institution a data request's consents must be at.
    ExpectedInstitution,
    ExternalTrackId,
    LinkId,
    ConsentIds,
    Products,
    /// Report webhook URLs by product.
    ProductCallbacks,
    /// What the integrator attaches to a link, returned as given.
    ExternalInfo,
}

impl Field {
    pub const ALL: [Field; 14] = [
        Field::PersonalTaxId,
        Field::BusinessTaxId,
        Field::TaxId,
        Field::Email,
        Field::Phone,
        Field::RedirectUrl,
        Field::Institution,
        Field::ExpectedInstitution,
        Field::ExternalTrackId,
        Field::LinkId,
        Field::ConsentIds,
        Field::Products,
        Field::ProductCallbacks,
        Field::ExternalInfo,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Field::PersonalTaxId => "personal_tax_id",
            Field::BusinessTaxId => "business_tax_id",
            Field::TaxId => "tax_id",
            Field::Email => "email",
            Field::Phone => "phone",
            Field::RedirectUrl => "redirect_url",
            Field::Institution => "institution",
            Field::ExpectedInstitution => "expected_institution",
            Field::ExternalTrackId => "external_track_id",
            Field::LinkId => "link_id",
            Field::ConsentIds => "consent_ids",
            Field::Products => "products",
            Field::ProductCallbacks => "product_callbacks",
            Field::ExternalInfo => "external_info",
        }
    }

    /// The field a name starts with, and the rest (`[1]`, `.accounts`, or empty).
    pub fn split(name: &str) -> Option<(Field, &str)> {
        let end = name.find(['.', '[']).unwrap_or(name.len());
        let (head, rest) = name.split_at(end);
        Field::ALL
            .into_iter()
            .find(|f| f.name() == head)
            .map(|f| (f, rest))
    }

    /// One item of a list field: `consent_ids[1]`.
    pub fn item(self, index: usize) -> String {
        format!("{}[{index}]", self.name())
    }

    /// One entry of a map field: `product_callbacks.accounts`.
    pub fn entry(self, key: &str) -> String {
        format!("{}.{key}", self.name())
    }
}

impl From<Field> for Cow<'static, str> {
    fn from(f: Field) -> Self {
        Cow::Borrowed(f.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_splits_back_into_its_field_and_the_rest() {
        for f in Field::ALL {
            assert_eq!(Field::split(f.name()), Some((f, "")));
            assert_eq!(Field::split(&f.item(3)), Some((f, "[3]")));
            assert_eq!(Field::split(&f.entry("accounts")), Some((f, ".accounts")));
        }
        assert_eq!(Field::split("username"), None);
        assert_eq!(Field::split("taxId"), None);
    }
}
