//! `ponte metrics pcm --month YYYY-MM [--json]`: every call Ponte made to an
//! institution in one month (Brasília time), the per-call record OFB metrics
//! reporting (PCM) asks for: when, which institution and endpoint, the
//! answer's status, the latency and the `x-fapi-interaction-id`.
//! CSV by default, a JSON array with `--json`; written page by page, so a
//! busy month is never held in memory whole.

use clap::Subcommand;
use ponte_server::clock::rfc3339;
use ponte_server::services::quota::parse_month;
use ponte_store::{CallRow, Store};
use serde_json::json;
use std::io::Write;

#[derive(Subcommand)]
pub enum MetricsCommand {
    /// The month's institution calls for OFB metrics reporting (PCM).
    Pcm {
        /// The month, YYYY-MM (Brasília time, as OFB counts).
        #[arg(long)]
        month: String,
        /// A JSON array instead of CSV.
        #[arg(long)]
        json: bool,
    },
}

const PAGE: i64 = 1000;
const HEADER: &str =
    "called_at,institution_code,consent_id,endpoint,status,latency_ms,interaction_id,counted";

pub async fn run(
    store: &Store,
    command: MetricsCommand,
    out: &mut dyn Write,
) -> anyhow::Result<()> {
    let MetricsCommand::Pcm { month, json } = command;
    let month = parse_month(&month)
        .ok_or_else(|| anyhow::anyhow!("--month: {month:?} is not a month such as 2026-12"))?;
    let mut conn = store.read().await?;
    if json {
        write!(out, "[")?;
    } else {
        writeln!(out, "{HEADER}")?;
    }
    let (mut after, mut first) = (0, true);
    loop {
        let page = ponte_store::calls_of_month(&mut conn, &month, after, PAGE).await?;
        for call in &page {
            if json {
                write!(out, "{}{}", if first { "" } else { "," }, as_json(call))?;
            } else {
                writeln!(out, "{}", as_csv(call))?;
            }
            first = false;
        }
        match page.last() {
            Some(last) if page.len() as i64 == PAGE => after = last.id,
            _ => break,
        }
    }
    if json {
        writeln!(out, "]")?;
    }
    Ok(())
}

fn as_json(c: &CallRow) -> serde_json::Value {
    json!({
        "calledAt": rfc3339(c.called_at),
        "institutionCode": c.institution_code,
        "consentId": c.consent_id,
        "endpoint": c.endpoint,
        "status": c.status,
        "latencyMs": c.latency_ms,
        "interactionId": c.interaction_id,
        "counted": c.counted,
    })
}

/// RFC 4180: a field with a comma, quote or line break is quoted.
fn field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn as_csv(c: &CallRow) -> String {
    [
        rfc3339(c.called_at),
        field(&c.institution_code),
        field(&c.consent_id),
        field(&c.endpoint),
        c.status.map(|s| s.to_string()).unwrap_or_default(),
        c.latency_ms.to_string(),
        field(&c.interaction_id),
        c.counted.to_string(),
    ]
    .join(",")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ponte_store::NewCall;

    fn call(month: &str, at: i64, status: Option<u16>) -> NewCall {
        NewCall {
            institution_code: "itau".into(),
            consent_id: "c1".into(),
            endpoint: "/open-banking/accounts/v2/accounts/{accountId}/transactions".into(),
            resource: "a1".into(),
            month: month.into(),
            counted: true,
            status,
            latency_ms: 12,
            interaction_id: "3f0e0000-0000-4000-8000-000000000001".into(),
            called_at: at,
        }
    }

    async fn export(store: &Store, month: &str, json: bool) -> anyhow::Result<String> {
        let mut out = Vec::new();
        let command = MetricsCommand::Pcm {
            month: month.into(),
            json,
        };
        run(store, command, &mut out).await?;
        Ok(String::from_utf8(out)?)
    }

    #[tokio::test]
    async fn a_month_exports_as_csv_and_json_and_only_that_month() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}/p.db?mode=rwc", dir.path().display());
        let store = Store::open(&url).await.unwrap();
        let mut tx = store.begin().await.unwrap();
        let december = 1_796_094_000_000; // 2026-12-01T03:00:00Z
        ponte_store::insert_calls(
            &mut tx,
            &[
                call("2026-11", december - 1, Some(200)),
                call("2026-12", december, Some(200)),
                call("2026-12", december + 5, None),
            ],
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();

        let csv = export(&store, "2026-12", false).await.unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines[0], HEADER);
        assert_eq!(
            lines[1],
            "2026-12-01T03:00:00.000Z,itau,c1,/open-banking/accounts/v2/accounts/{accountId}/transactions,200,12,3f0e0000-0000-4000-8000-000000000001,true"
        );
        assert_eq!(lines.len(), 3, "{csv}");
        assert!(
            lines[2].contains(",,12,"),
            "no answer: an empty status: {csv}"
        );

        let json: serde_json::Value =
            serde_json::from_str(&export(&store, "2026-12", true).await.unwrap()).unwrap();
        assert_eq!(json.as_array().unwrap().len(), 2, "{json}");
        assert_eq!(json[1]["status"], serde_json::Value::Null);
        assert_eq!(json[0]["calledAt"], "2026-12-01T03:00:00.000Z");

        // Retention removes what is older than the cutoff, batch by batch.
        assert_eq!(
            ponte_store::prune_calls(&store, december, 1).await.unwrap(),
            1
        );
        let november = export(&store, "2026-11", false).await.unwrap();
        assert_eq!(november.lines().count(), 1, "only the header: {november}");

        let e = export(&store, "12/2026", false)
            .await
            .unwrap_err()
            .to_string();
        assert!(e.contains("--month") && e.contains("12/2026"), "{e}");
    }

    #[test]
    fn csv_fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(field("plain"), "plain");
    }
}
