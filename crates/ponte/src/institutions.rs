//! `ponte institutions`: Ponte's dynamic registrations at Open Finance
//! institutions (entries with `registration = "dynamic"` in PONTE_INSTITUTIONS).

use clap::Subcommand;
use ponte_server::services::registrations;
use ponte_server::App;
use serde_json::json;

#[derive(Subcommand)]
pub enum InstitutionsCommand {
    /// Registers Ponte at the institution with a fresh software statement
    /// from the directory (RFC 7591); one registered already is updated
    /// (RFC 7592). Ponte uses the client id it gets from its next start.
    Register {
        /// The entry's `code` in PONTE_INSTITUTIONS; every dynamic entry when absent.
        #[arg(long)]
        code: Option<String>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Updates registrations with a fresh software statement (RFC 7592 PUT),
    /// after rotating a key or the transport certificate.
    UpdateRegistration {
        /// The entry's `code` in PONTE_INSTITUTIONS; every registered entry when absent.
        #[arg(long)]
        code: Option<String>,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Deletes Ponte's registration at the institution (RFC 7592) and forgets it.
    Unregister {
        /// The entry's `code` in PONTE_INSTITUTIONS.
        #[arg(long)]
        code: String,
    },
    /// Where each dynamic registration stands: client id, certificate expiry, last error.
    Show {
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
}

/// The entries to act on: the one named, else every dynamic entry (with
/// `existing`, every one registered already).
async fn codes(app: &App, code: Option<String>, existing: bool) -> anyhow::Result<Vec<String>> {
    if let Some(code) = code {
        return Ok(vec![code]);
    }
    // The sandbox banks are `ponte serve`'s own to register: not listed here.
    let configured: Vec<&str> = registrations::dynamic_entries(app)
        .into_iter()
        .map(|e| e.code.as_str())
        .collect();
    let list = registrations::list(app).await?;
    let codes: Vec<String> = list
        .into_iter()
        .filter(|(code, _)| configured.contains(&code.as_str()))
        .filter(|(_, row)| !existing || row.as_ref().is_some_and(|r| r.client_id.is_some()))
        .map(|(code, _)| code)
        .collect();
    if codes.is_empty() {
        anyhow::bail!(
            "no institution in PONTE_INSTITUTIONS has registration = \"dynamic\"{}",
            if existing { " and a registration" } else { "" }
        );
    }
    Ok(codes)
}

/// Registers (or updates) each entry, printing one line (or JSON object) each;
/// fails when any failed, after trying them all.
async fn registered(
    app: &App,
    codes: &[String],
    json: bool,
    update_only: bool,
) -> anyhow::Result<()> {
    let mut failed = Vec::new();
    for code in codes {
        let outcome = match update_only {
            true => registrations::update(app, code).await,
            false => registrations::register(app, code).await,
        };
        match outcome {
            Ok(row) => {
                let client_id = row.client_id.unwrap_or_default();
                if json {
                    let out = json!({"code": code, "clientId": client_id,
                        "registrationClientUri": row.registration_client_uri,
                        "registeredAt": time(row.registered_at)});
                    println!("{out}");
                } else {
                    println!("registered at {code}: client id {client_id} (Ponte uses it from its next start)");
                }
            }
            Err(e) => {
                eprintln!("{code}: {e}");
                failed.push(code.as_str());
            }
        }
    }
    if !failed.is_empty() {
        anyhow::bail!("registration failed at {}", failed.join(", "));
    }
    Ok(())
}

fn time(ms: Option<i64>) -> String {
    ms.map(ponte_server::clock::rfc3339).unwrap_or_default()
}

pub async fn run(app: &App, command: InstitutionsCommand) -> anyhow::Result<()> {
    match command {
        InstitutionsCommand::Register { code, json } => {
            let codes = codes(app, code, false).await?;
            registered(app, &codes, json, false).await?;
        }
        InstitutionsCommand::UpdateRegistration { code, json } => {
            let codes = codes(app, code, true).await?;
            registered(app, &codes, json, true).await?;
        }
        InstitutionsCommand::Unregister { code } => {
            registrations::unregister(app, &code).await?;
            println!("{code}: registration deleted at the institution");
        }
        InstitutionsCommand::Show { json } => {
            let list = registrations::show(app).await?;
            if json {
                let out: Vec<_> = list
                    .iter()
                    .map(|s| {
                        let row = s.row.as_ref();
                        json!({
                            "code": s.code,
                            "state": s.state(),
                            "sandbox": s.sandbox,
                            "clientId": row.and_then(|r| r.client_id.clone()),
                            "registeredAt": time(row.and_then(|r| r.registered_at)),
                            "lastError": row.and_then(|r| r.last_error.clone()),
                            "certificateNotAfter": s.certificate_not_after,
                        })
                    })
                    .collect();
                println!("{}", serde_json::Value::Array(out));
            } else if list.is_empty() {
                println!("no institution in PONTE_INSTITUTIONS has registration = \"dynamic\"");
            } else {
                println!(
                    "{:<20} {:<15} {:<38} {:<22} {:<22} LAST ERROR",
                    "CODE", "STATE", "CLIENT ID", "REGISTERED", "CERTIFICATE EXPIRES"
                );
                for s in list {
                    let row = s.row.as_ref();
                    println!(
                        "{:<20} {:<15} {:<38} {:<22} {:<22} {}",
                        s.code,
                        s.state(),
                        row.and_then(|r| r.client_id.as_deref()).unwrap_or("-"),
                        time(row.and_then(|r| r.registered_at)),
                        s.certificate_not_after.as_deref().unwrap_or("-"),
                        row.and_then(|r| r.last_error.as_deref()).unwrap_or("")
                    );
                }
            }
        }
    }
    Ok(())
}
