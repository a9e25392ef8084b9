//! `ponte institutions`: Ponte's dynamic registrations at Open Finance
//! institutions (entries with `registration = "dynamic"` in PONTE_INSTITUTIONS).

use clap::Subcommand;
use ponte_server::services::registrations;
use ponte_server::App;
use serde_json::json;

#[derive(Subcommand)]
pub enum InstitutionsCommand {
    /// Registers Ponte at the institution with a fresh software statement
    /// from the directory (RFC 7591), or updates the registration it has
    /// (RFC 7592, e.g. after rotating a key or certificate). Ponte uses the
    /// client id it gets from its next start.
    Register {
        /// The entry's `code` in PONTE_INSTITUTIONS.
        code: String,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Deletes Ponte's registration at the institution (RFC 7592) and forgets it.
    Unregister {
        /// The entry's `code` in PONTE_INSTITUTIONS.
        code: String,
    },
    /// Where each dynamic registration stands: client id, when, last error.
    Show {
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn time(ms: Option<i64>) -> String {
    ms.map(ponte_server::clock::rfc3339).unwrap_or_default()
}

pub async fn run(app: &App, command: InstitutionsCommand) -> anyhow::Result<()> {
    match command {
        InstitutionsCommand::Register { code, json } => {
            let row = registrations::register(app, &code).await?;
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
        InstitutionsCommand::Unregister { code } => {
            registrations::unregister(app, &code).await?;
            println!("{code}: registration deleted at the institution");
        }
        InstitutionsCommand::Show { json } => {
            let list = registrations::list(app).await?;
            if json {
                let out: Vec<_> = list
                    .iter()
                    .map(|(code, row)| {
                        json!({
                            "code": code,
                            "clientId": row.as_ref().and_then(|r| r.client_id.clone()),
                            "registeredAt": row.as_ref().and_then(|r| r.registered_at).map(ponte_server::clock::rfc3339),
                            "lastError": row.as_ref().and_then(|r| r.last_error.clone()),
                        })
                    })
                    .collect();
                println!("{}", serde_json::Value::Array(out));
            } else if list.is_empty() {
                println!("no institution in PONTE_INSTITUTIONS has registration = \"dynamic\"");
            } else {
                println!(
                    "{:<20} {:<40} {:<22} LAST ERROR",
                    "CODE", "CLIENT ID", "REGISTERED"
                );
                for (code, row) in list {
                    let row = row.as_ref();
                    println!(
                        "{:<20} {:<40} {:<22} {}",
                        code,
                        row.and_then(|r| r.client_id.as_deref())
                            .unwrap_or("(not registered)"),
                        time(row.and_then(|r| r.registered_at)),
                        row.and_then(|r| r.last_error.as_deref()).unwrap_or("")
                    );
                }
            }
        }
    }
    Ok(())
}
