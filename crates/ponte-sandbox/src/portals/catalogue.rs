//! The synthetic document portals: who they are, what they hold.

/// What kind of institution a portal plays, which decides its documents.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum PortalKind {
    /// Monthly checking statements, a 1099-INT and a year-end summary.
    Bank,
    /// A 1099-DIV, a 1099-B and a year-end investment report.
    Brokerage,
    /// A 1099-B for digital-asset sales and a year-end gain/loss summary.
    Crypto,
}

/// Public description of one portal, as shown in institution pickers and
/// printed on its documents.
#[derive(Clone, Debug, serde::Serialize)]
pub struct PortalInfo {
    /// URL slug: the portal lives at `{base_url}/portals/{code}`.
    pub code: &'static str,
    pub name: &'static str,
    pub kind: PortalKind,
    /// The legal name printed as the payer on tax forms.
    pub legal_name: &'static str,
    pub address: &'static str,
    pub city: &'static str,
    pub phone: &'static str,
    pub website: &'static str,
    /// The payer's federal identification number, printed in full on 1099s.
    pub ein: &'static str,
    pub brand_color: &'static str,
}

static PORTALS: &[PortalInfo] = &[
    PortalInfo {
        code: "harborline",
        name: "Harborline Bank",
        kind: PortalKind::Bank,
        legal_name: "HARBORLINE BANK, N.A.",
        address: "PO BOX 18240",
        city: "WILMINGTON DE 19850",
        phone: "1-800-555-0142",
        website: "harborline.example",
        ein: "51-0384219",
        brand_color: "#0B4F8A",
    },
    PortalInfo {
        code: "summitridge",
        name: "Summit Ridge Brokerage",
        kind: PortalKind::Brokerage,
        legal_name: "SUMMIT RIDGE SECURITIES LLC",
        address: "200 CONGRESS ST STE 900",
        city: "BOSTON MA 02110",
        phone: "1-888-555-0199",
        website: "summitridge.example",
        ein: "04-3391827",
        brand_color: "#1F6B4A",
    },
    PortalInfo {
        code: "lumen",
        name: "Lumen Digital Assets",
        kind: PortalKind::Crypto,
        legal_name: "LUMEN DIGITAL ASSETS INC",
        address: "548 MARKET ST PMB 71022",
        city: "SAN FRANCISCO CA 94104",
        phone: "1-877-555-0163",
        website: "lumen.example",
        ein: "84-2917730",
        brand_color: "#5B2A86",
    },
];

/// Every document portal of the sandbox.
pub fn portals() -> &'static [PortalInfo] {
    PORTALS
}

pub fn find(code: &str) -> Option<&'static PortalInfo> {
    PORTALS.iter().find(|p| p.code == code)
}

/// Two letters for the logo: the initials of the first two words.
pub fn initials(name: &str) -> String {
    name.split_whitespace()
        .take(2)
        .filter_map(|w| w.chars().next())
        .collect::<String>()
        .to_uppercase()
}

/// "#0B4F8A" as PDF colour components.
pub fn rgb(hex: &str) -> (f32, f32, f32) {
    let h = hex.trim_start_matches('#');
    let c = |i: usize| {
        h.get(i..i + 2)
            .and_then(|x| u8::from_str_radix(x, 16).ok())
            .map_or(0.0, |v| f32::from(v) / 255.0)
    };
    (c(0), c(2), c(4))
}
