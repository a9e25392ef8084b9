//! The participants list, shaped like the OFB directory's `GET /participants`
//! (`swagger_participants.yaml`): one organisation per sandbox bank, each with one
//! authorisation server naming its discovery document and its API resources. Only the
//! fields a client needs are filled.

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use crate::catalogue::{banks, BankInfo};

/// (ApiFamilyType, ApiVersion, endpoints under `{bank}/open-banking/`) served by every bank.
const COMMON_APIS: &[(&str, &str, &[&str])] = &[
    ("consents", "3.0.0", &["consents/v3/consents"]),
    ("resources", "3.0.0", &["resources/v3/resources"]),
];

/// The families behind each `available_resources` entry of the catalogue.
fn apis_for(resource: &str) -> &'static [(&'static str, &'static str, &'static [&'static str])] {
    match resource {
        "registration" => &[(
            "customers-personal",
            "2.0.0",
            &[
                "customers/v2/personal/identifications",
                "customers/v2/personal/qualifications",
                "customers/v2/personal/financial-relations",
            ],
        )],
        "accounts" => &[("accounts", "2.0.0", &["accounts/v2/accounts"])],
        "creditCards" => &[(
            "credit-cards-accounts",
            "2.0.0",
            &["credit-cards-accounts/v2/accounts"],
        )],
        "loans" => &[("loans", "2.0.0", &["loans/v2/contracts"])],
        "investments" => &[(
            "bank-fixed-incomes",
            "1.0.0",
            &["bank-fixed-incomes/v1/investments"],
        )],
        _ => &[],
    }
}

/// The directory's organisation id for a sandbox bank: a UUID derived from its code, so
/// it is the same in every sandbox.
pub fn bank_org_id(code: &str) -> String {
    let digest = Sha256::digest(format!("ponte-sandbox-org:{code}").as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    uuid::Builder::from_random_bytes(bytes)
        .into_uuid()
        .to_string()
}

/// A synthetic, checksum-valid CNPJ (head office `0001`) derived from the bank's code.
pub fn bank_cnpj(code: &str) -> String {
    let digest = Sha256::digest(format!("ponte-sandbox-cnpj:{code}").as_bytes());
    let mut digits: Vec<u32> = digest.iter().take(8).map(|b| u32::from(*b) % 10).collect();
    digits.extend([0, 0, 0, 1]);
    for weights in [
        &[5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2][..],
        &[6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2][..],
    ] {
        let sum: u32 = digits.iter().zip(weights).map(|(d, w)| d * w).sum();
        let rest = sum % 11;
        digits.push(if rest < 2 { 0 } else { 11 - rest });
    }
    digits.iter().map(|d| char::from(b'0' + *d as u8)).collect()
}

pub(crate) fn participants(banks_base_url: &str, resources_base_url: &str) -> Value {
    Value::Array(
        banks()
            .iter()
            .map(|bank| organisation(banks_base_url, resources_base_url, bank))
            .collect(),
    )
}

fn organisation(base: &str, resources_base: &str, bank: &BankInfo) -> Value {
    let org_id = bank_org_id(bank.code);
    let issuer = format!("{base}/{}", bank.code);
    let resources = format!("{resources_base}/{}", bank.code);
    let apis = COMMON_APIS
        .iter()
        .chain(bank.available_resources.iter().flat_map(|r| apis_for(r)))
        .map(|(family, version, endpoints)| {
            json!({
                "ApiResourceId": format!("{}-{family}", bank.code),
                "ApiFamilyType": family,
                "ApiVersion": version,
                "FamilyComplete": true,
                "ApiDiscoveryEndpoints": endpoints.iter().map(|e| json!({
                    "ApiDiscoveryId": format!("{}-{e}", bank.code),
                    "ApiEndpoint": format!("{resources}/open-banking/{e}"),
                })).collect::<Vec<_>>(),
            })
        })
        .collect::<Vec<_>>();
    json!({
        "OrganisationId": org_id,
        "Status": "Active",
        "OrganisationName": bank.name,
        "RegisteredName": bank.name,
        "RegistrationNumber": bank_cnpj(bank.code),
        "OrgDomainRoleClaims": [
            {"Role": "DADOS", "Status": "Active", "AuthorisationDomain": "Open Banking"}
        ],
        "AuthorisationServers": [{
            "AuthorisationServerId": format!("{org_id}-as"),
            "OrganisationId": org_id,
            "CustomerFriendlyName": bank.name,
            "CustomerFriendlyLogoUri": format!("{issuer}/avatar.svg"),
            "OpenIDDiscoveryDocument": format!("{issuer}/.well-known/openid-configuration"),
            "Issuer": issuer,
            "SupportsDCR": true,
            "SupportsCiba": false,
            "ApiResources": apis,
        }],
    })
}
