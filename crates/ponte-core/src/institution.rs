//! What kind of institution a directory entry is: it decides which connector
//! reaches it and which dialects may offer it.

use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum InstitutionKind {
    /// An Open Finance Brasil bank: OAuth (PAR, PKCE) and the OFB data APIs.
    OpenFinance,
    /// A portal holding statements and tax forms, reached with the end user's login.
    DocumentPortal,
}

impl InstitutionKind {
    pub const ALL: [InstitutionKind; 2] = [
        InstitutionKind::OpenFinance,
        InstitutionKind::DocumentPortal,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            InstitutionKind::OpenFinance => "open_finance",
            InstitutionKind::DocumentPortal => "document_portal",
        }
    }

    pub fn parse(raw: &str) -> Option<InstitutionKind> {
        InstitutionKind::ALL.into_iter().find(|k| k.as_str() == raw)
    }
}

impl fmt::Display for InstitutionKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An institution code: a lowercase slug (`itau`, `banco-x`), 1 to 64 characters of
/// `a-z`, `0-9`, `-` and `_`, starting with a letter or digit.
pub fn is_institution_code(raw: &str) -> bool {
    let bytes = raw.as_bytes();
    (1..=64).contains(&bytes.len())
        && bytes[0].is_ascii_alphanumeric()
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || *b == b'-' || *b == b'_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_round_trip_and_codes_are_slugs() {
        for k in InstitutionKind::ALL {
            assert_eq!(InstitutionKind::parse(k.as_str()), Some(k));
        }
        assert_eq!(InstitutionKind::parse("bank"), None);
        for ok in ["itau", "c6", "banco-x", "b_2"] {
            assert!(is_institution_code(ok), "{ok}");
        }
        for bad in ["", "Itau", "-x", "a b", "ação", &"x".repeat(65)] {
            assert!(!is_institution_code(bad), "{bad}");
        }
    }
}
