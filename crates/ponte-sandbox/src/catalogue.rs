//! The synthetic institutions, and the route serving their marks (drawn
//! in `logos`).

use crate::errors::OfbError;

/// Public description of one synthetic bank, as shown in institution pickers.
#[derive(Clone, Debug, serde::Serialize)]
pub struct BankInfo {
    /// URL slug: the bank lives at `{base_url}/{code}`; also the consent URN namespace.
    pub code: &'static str,
    pub name: &'static str,
    /// Every authenticated endpoint of this bank answers 503.
    pub is_outage: bool,
    pub institution_type: u8,
    pub business_type: &'static str,
    /// A subset of [`PRODUCTS`].
    pub available_resources: &'static [&'static str],
    pub brand_color: &'static str,
}

/// Every product a bank may offer, as `available_resources` names it: the
/// same names Ponte's `ponte_core::Product` gives them (this crate depends on
/// no ponte crate; ponte-server's `tests/it/products.rs` checks the two agree).
pub const PRODUCTS: &[&str] = &[
    "registration",
    "accounts",
    "creditCards",
    "loans",
    "investments",
];
const ALL: &[&str] = PRODUCTS;
const NO_INVEST: &[&str] = &["registration", "accounts", "creditCards", "loans"];
const DIGITAL: &[&str] = &["registration", "accounts", "creditCards", "investments"];
const COOP: &[&str] = &["registration", "accounts", "loans"];

const fn bank(
    code: &'static str,
    name: &'static str,
    color: &'static str,
    resources: &'static [&'static str],
) -> BankInfo {
    BankInfo {
        code,
        name,
        is_outage: false,
        institution_type: 1,
        business_type: "legal",
        available_resources: resources,
        brand_color: color,
    }
}

static BANKS: &[BankInfo] = &[
    bank("itau", "Itaú Unibanco", "#EC7000", ALL),
    bank("nubank", "Nubank", "#820AD1", DIGITAL),
    bank("bradesco", "Bradesco", "#CC092F", ALL),
    bank("bb", "Banco do Brasil", "#FCFC30", ALL),
    bank("caixa", "Caixa Econômica Federal", "#005CA9", NO_INVEST),
    bank("santander", "Santander", "#EC0000", ALL),
    bank("inter", "Banco Inter", "#FF7A00", DIGITAL),
    bank("c6", "C6 Bank", "#242424", DIGITAL),
    bank("btg", "BTG Pactual", "#0D2A5C", ALL),
    bank("sicoob", "Sicoob", "#003641", COOP),
    bank("sicredi", "Sicredi", "#3FA110", COOP),
    BankInfo {
        is_outage: true,
        ..bank("original", "Banco Original", "#00A868", NO_INVEST)
    },
    bank(
        "pagbank",
        "PagBank",
        "#1BB99A",
        &["registration", "accounts", "creditCards"],
    ),
];

/// Every synthetic bank; exactly one is in outage.
pub fn banks() -> &'static [BankInfo] {
    BANKS
}

pub(crate) fn find(code: &str) -> Result<&'static BankInfo, OfbError> {
    BANKS
        .iter()
        .find(|b| b.code == code)
        .ok_or_else(|| OfbError::not_found(&format!("No institution with code {code:?}.")))
}

pub(crate) fn initials(name: &str) -> String {
    const SKIP: &[&str] = &["do", "da", "de", "dos", "das", "e"];
    let words: Vec<&str> = name
        .split_whitespace()
        .filter(|w| !SKIP.contains(&w.to_lowercase().as_str()))
        .collect();
    let out: String = if words.len() >= 2 {
        words
            .iter()
            .take(2)
            .filter_map(|w| w.chars().next())
            .collect()
    } else {
        let w = words.first().copied().unwrap_or(name);
        w.chars().take(2).collect()
    };
    out.to_uppercase()
}

/// Dark text on light brand colours (Banco do Brasil's yellow), white otherwise.
pub(crate) fn text_color(brand: &str) -> &'static str {
    let hex = brand.trim_start_matches('#');
    let channel = |i: usize| {
        hex.get(i..i + 2)
            .and_then(|h| u8::from_str_radix(h, 16).ok())
            .map(f64::from)
            .unwrap_or(0.0)
    };
    let luma = 0.299 * channel(0) + 0.587 * channel(2) + 0.114 * channel(4);
    if luma > 160.0 {
        "#1a1a1a"
    } else {
        "#ffffff"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_invariants() {
        assert!(banks().len() >= 12);
        assert_eq!(banks().iter().filter(|b| b.is_outage).count(), 1);
        let mut codes: Vec<_> = banks().iter().map(|b| b.code).collect();
        codes.sort();
        codes.dedup();
        assert_eq!(codes.len(), banks().len(), "bank codes must be unique");
        for b in banks() {
            assert!(!b.available_resources.is_empty());
            for r in b.available_resources {
                assert!(ALL.contains(r), "{} has unknown resource {r}", b.code);
            }
            assert!(b.brand_color.starts_with('#') && b.brand_color.len() == 7);
        }
    }

    #[test]
    fn initials_skip_filler_words() {
        assert_eq!(initials("Banco do Brasil"), "BB");
        assert_eq!(initials("Itaú Unibanco"), "IU");
        assert_eq!(initials("Nubank"), "NU");
        assert_eq!(text_color("#FCFC30"), "#1a1a1a");
        assert_eq!(text_color("#820AD1"), "#ffffff");
    }
}
