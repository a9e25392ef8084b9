//! The institution directory: who Ponte can connect to, and how.

use crate::config::Config;
use crate::crypto::Crypto;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use ponte_connect::OpenFinanceEndpoint;
use ponte_core::Product;
use serde::Serialize;

/// Ponte's OAuth client id at the sandbox banks.
pub const SANDBOX_CLIENT_ID: &str = "ponte";
/// Where institutions send the end user back after the authorisation.
pub const CALLBACK_PATH: &str = "/callback/open-finance";

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Institution {
    pub institution_code: String,
    pub name: String,
    pub avatar: String,
    pub is_outage: bool,
    pub institution_type: u8,
    pub business_type: String,
    pub available_resources: Vec<Product>,
    #[serde(skip)]
    pub endpoint: OpenFinanceEndpoint,
}

#[derive(Clone)]
pub struct Directory {
    institutions: Vec<Institution>,
}

/// The secret Ponte uses at the sandbox banks: derived, so every node agrees.
pub fn sandbox_client_secret(crypto: &Crypto) -> String {
    URL_SAFE_NO_PAD.encode(crypto.derive("ponte/sandbox-oauth-client"))
}

pub fn sandbox_base_url(public_url: &str) -> String {
    format!("{public_url}/sandbox/banks")
}

impl Directory {
    pub fn new(config: &Config, public_url: &str, crypto: &Crypto) -> Directory {
        let mut institutions = Vec::new();
        if config.sandbox {
            let base = sandbox_base_url(public_url);
            let secret = sandbox_client_secret(crypto);
            for bank in ponte_sandbox::banks() {
                let root = format!("{base}/{}", bank.code);
                let mut resources: Vec<Product> = bank
                    .available_resources
                    .iter()
                    .filter_map(|r| Product::parse(r))
                    .collect();
                if resources.contains(&Product::Accounts) {
                    resources.push(Product::Insights);
                }
                institutions.push(Institution {
                    institution_code: bank.code.to_string(),
                    name: bank.name.to_string(),
                    avatar: format!("{root}/avatar.svg"),
                    is_outage: bank.is_outage,
                    institution_type: bank.institution_type,
                    business_type: bank.business_type.to_string(),
                    available_resources: resources,
                    endpoint: OpenFinanceEndpoint {
                        issuer: root.clone(),
                        api_base: root,
                        client_id: SANDBOX_CLIENT_ID.to_string(),
                        client_secret: secret.clone(),
                        redirect_uri: format!("{public_url}{CALLBACK_PATH}"),
                    },
                });
            }
        }
        Directory { institutions }
    }

    pub fn all(&self) -> &[Institution] {
        &self.institutions
    }

    pub fn get(&self, code: &str) -> Option<&Institution> {
        self.institutions
            .iter()
            .find(|i| i.institution_code == code)
    }
}
