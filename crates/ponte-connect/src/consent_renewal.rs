//! Consents v3 renewal without redirect: `POST /consents/{id}/extends` with the
//! consent's own authorization-code token and the end user's FAPI headers (OFB
//! requires their IP address and user agent there), and `GET /consents/{id}/extensions`,
//! the institution's renewal history, with a client-credentials token.

use serde_json::{json, Value};

use crate::headers::{self, EndUser};
use crate::open_finance::{error_of, json_of, urlencode, OpenFinanceClient};
use crate::{ConnectError, OpenFinanceEndpoint};

/// What the end user renews: who they are and the new expiry (None = indefinite).
#[derive(Debug, Clone)]
pub struct Renewal<'a> {
    /// The logged user's CPF (OFB `loggedUser`): for a personal consent, the person
    /// who created it.
    pub person_document: &'a str,
    pub business_document: Option<&'a str>,
    /// OFB `YYYY-MM-DDTHH:MM:SSZ`, or None for a consent without expiry.
    pub expiration: Option<&'a str>,
}

/// The institution's answer to a renewal.
#[derive(Debug, Clone, PartialEq)]
pub enum RenewalOutcome {
    /// Renewed: the consent's status and its expiry now (None = indefinite).
    Renewed {
        status: String,
        expiration: Option<String>,
    },
    /// Refused with one of OFB's business codes (`ESTADO_CONSENTIMENTO_INVALIDO`,
    /// `DEPENDE_MULTIPLA_ALCADA`, `DATA_EXPIRACAO_INVALIDA`, `ERRO_NAO_MAPEADO`).
    Refused { code: String, detail: String },
}

/// One renewal of the institution's history, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct ConsentExtension {
    pub expiration: Option<String>,
    pub previous_expiration: Option<String>,
    pub requested_at: String,
    pub logged_user_document: Option<String>,
}

fn required<'a>(value: Option<&'a String>, header: &str) -> Result<&'a str, ConnectError> {
    value
        .map(String::as_str)
        .map(str::trim)
        .filter(|v| !v.is_empty())
        .ok_or_else(|| {
            ConnectError::Protocol(format!(
                "a renewal needs the end user's {header}; none was given"
            ))
        })
}

impl OpenFinanceClient {
    /// Renews the consent at the institution without a redirect. `access_token` is
    /// the consent's authorization-code access token; `user` must carry the end user's
    /// IP address and user agent, which OFB makes mandatory here.
    pub async fn extend(
        &self,
        ep: &OpenFinanceEndpoint,
        bank_consent_id: &str,
        access_token: &str,
        renewal: &Renewal<'_>,
        user: &EndUser,
    ) -> Result<RenewalOutcome, ConnectError> {
        required(user.ip_address.as_ref(), "x-fapi-customer-ip-address")?;
        required(user.user_agent.as_ref(), "x-customer-user-agent")?;
        let mut data = json!({
            "loggedUser": {"document": {"identification": renewal.person_document, "rel": "CPF"}},
        });
        if let Some(cnpj) = renewal.business_document {
            data["businessEntity"] = json!({"document": {"identification": cnpj, "rel": "CNPJ"}});
        }
        if let Some(e) = renewal.expiration {
            data["expirationDateTime"] = json!(e);
        }
        let url = format!(
            "{}/open-banking/consents/v3/consents/{}/extends",
            ep.api_root(),
            urlencode(bank_consent_id)
        );
        let request = self
            .http_for(ep)
            .post(url)
            .bearer_auth(access_token)
            .json(&json!({ "data": data }));
        let resp = headers::send(request, Some(user)).await?;
        if resp.status().as_u16() == 422 {
            let body: Value = resp.json().await.unwrap_or_default();
            let first = &body["errors"][0];
            return Ok(RenewalOutcome::Refused {
                code: first["code"]
                    .as_str()
                    .unwrap_or("ERRO_NAO_MAPEADO")
                    .to_string(),
                detail: first["detail"]
                    .as_str()
                    .unwrap_or_default()
                    .chars()
                    .take(300)
                    .collect(),
            });
        }
        if !resp.status().is_success() {
            return Err(error_of(resp).await);
        }
        let body: Value = json_of(resp).await?;
        let status = body["data"]["status"]
            .as_str()
            .ok_or_else(|| ConnectError::Protocol("extends answer without data.status".into()))?
            .to_string();
        Ok(RenewalOutcome::Renewed {
            status,
            expiration: body["data"]["expirationDateTime"]
                .as_str()
                .map(str::to_string),
        })
    }

    /// The institution's renewal history of the consent, newest first (first page of
    /// up to 1000, far more renewals than a consent's life allows).
    pub async fn extensions(
        &self,
        ep: &OpenFinanceEndpoint,
        bank_consent_id: &str,
    ) -> Result<Vec<ConsentExtension>, ConnectError> {
        let resp = self
            .consent_request_at(
                ep,
                reqwest::Method::GET,
                bank_consent_id,
                "/extensions?page=1&page-size=1000",
            )
            .await?;
        let body: Value = json_of(resp).await?;
        let items = body["data"].as_array().ok_or_else(|| {
            ConnectError::Protocol("extensions answer without a data array".into())
        })?;
        items
            .iter()
            .map(|i| {
                let text = |k: &str| i[k].as_str().map(str::to_string);
                Ok(ConsentExtension {
                    expiration: text("expirationDateTime"),
                    previous_expiration: text("previousExpirationDateTime"),
                    requested_at: text("requestDateTime").ok_or_else(|| {
                        ConnectError::Protocol("extension without requestDateTime".into())
                    })?,
                    logged_user_document: i["loggedUser"]["document"]["identification"]
                        .as_str()
                        .map(str::to_string),
                })
            })
            .collect()
    }
}
