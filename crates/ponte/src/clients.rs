//! `ponte clients`: integrators, their credentials and their settings.

use crate::flag_error;
use clap::{Args, Subcommand};
use ponte_server::services::clients;
use ponte_server::App;

/// `--client-id ID`, the one spelling of the client everywhere; `--client`
/// is the old one, kept hidden so scripts written for it keep working.
#[derive(Args, Debug, Clone)]
pub struct ClientIdArg {
    /// The client's id (as `clients create` or `clients list` print it).
    #[arg(long = "client-id", alias = "client", value_name = "ID")]
    pub client_id: String,
}

/// The client as a positional argument or `--client-id` (commands that
/// always took both).
#[derive(Args, Debug, Clone)]
pub struct ClientIdOrPositional {
    /// The client's id (or give it as --client-id).
    #[arg(value_name = "CLIENT_ID", required_unless_present = "client_flag")]
    pub client: Option<String>,
    /// The client's id.
    #[arg(
        long = "client-id",
        alias = "client",
        value_name = "ID",
        conflicts_with = "client"
    )]
    pub client_flag: Option<String>,
}

impl ClientIdOrPositional {
    fn id(self) -> String {
        self.client.or(self.client_flag).unwrap_or_default()
    }
}

#[derive(Subcommand)]
pub enum ClientsCommand {
    /// Create a client; its secrets are printed once.
    Create {
        /// The client's name, 1 to 100 characters.
        #[arg(long)]
        name: String,
        /// Where events (CONSENT_STATUS_CHANGED…) are posted.
        #[arg(long)]
        webhook_url: Option<String>,
        /// Where reports are posted, if not to --webhook-url.
        #[arg(long)]
        report_webhook_url: Option<String>,
        /// Retrieve every allowed product as soon as a consent is authorised.
        #[arg(long)]
        auto_delivery: bool,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Every client: id, name, API key, webhook URLs, auto-delivery.
    List {
        /// Print a JSON array instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// One client with its settings; secrets are never shown (masked).
    Show {
        #[command(flatten)]
        client: ClientIdArg,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Issue a new API secret; the old one keeps working for 24 hours.
    RotateSecret {
        #[command(flatten)]
        client: ClientIdArg,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// End every API secret of a client at once (it leaked) and issue a new
    /// one; tokens obtained with the old secret can no longer be refreshed.
    RevokeSecret {
        #[command(flatten)]
        client: ClientIdOrPositional,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Delete a client with all its data: end users, links, consents,
    /// reports, webhook log. It cannot be undone.
    Delete {
        #[command(flatten)]
        client: ClientIdOrPositional,
    },
    /// Change a client's settings: webhook URLs, auto-delivery, redirect URLs
    /// and how it appears in the hosted widget (white-label). An empty value
    /// clears a setting. Prints the client as it now is.
    Update(crate::clients_update::UpdateArgs),
    /// Issue a new whsec_ webhook secret; for 24 hours webhooks are signed by both.
    RotateWebhookSecret {
        #[command(flatten)]
        client: ClientIdArg,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn no_such_client(client: &str, e: ponte_server::Error) -> anyhow::Error {
    match e {
        ponte_server::Error::NotFound(_) => anyhow::anyhow!("--client-id {client}: no such client"),
        other => anyhow::anyhow!("--client-id {client}: {other}"),
    }
}

fn print_credentials(creds: &clients::NewCredentials, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(creds)?);
    } else {
        println!("clientId:      {}\napiKey:        {}\napiSecret:     {}\nwebhookSecret: {}\n(the secret is shown only now)", creds.client_id, creds.api_key, creds.api_secret, creds.webhook_secret);
    }
    Ok(())
}

pub async fn run(app: &App, command: ClientsCommand) -> anyhow::Result<()> {
    match command {
        ClientsCommand::Create {
            name,
            webhook_url,
            report_webhook_url,
            auto_delivery,
            json,
        } => {
            let new = clients::parse_new_client(
                &name,
                webhook_url.as_deref(),
                report_webhook_url.as_deref(),
                auto_delivery,
            )
            .map_err(flag_error)?;
            let creds = clients::create(app, new).await.map_err(flag_error)?;
            print_credentials(&creds, json)
        }
        ClientsCommand::List { json } => crate::clients_view::list(app, json).await,
        ClientsCommand::Show { client, json } => {
            crate::clients_view::show(app, &client.client_id, json).await
        }
        ClientsCommand::Update(args) => crate::clients_update::run(app, args).await,
        ClientsCommand::RotateWebhookSecret { client, json } => {
            let client = client.client_id;
            let rotated = clients::rotate_webhook_secret(app, &client)
                .await
                .map_err(|e| no_such_client(&client, e))?;
            if json {
                println!("{}", serde_json::to_string(&rotated)?);
            } else {
                println!("clientId:      {}\nwebhookSecret: {}\n(the secret is shown only now; until {} webhooks are signed by the previous secret too)", rotated.client_id, rotated.webhook_secret, rotated.previous_secret_expires_at);
            }
            Ok(())
        }
        ClientsCommand::Delete { client } => {
            let client = client.id();
            // The institutions hear of it first, while the consents exist.
            let revoked = ponte_server::services::revoke_all::revoke_client_consents(
                app,
                &client,
                std::time::Duration::from_secs(30),
            )
            .await
            .map_err(|e| no_such_client(&client, e))?;
            if revoked.confirmed > 0 {
                eprintln!(
                    "{} consents revoked at their institutions",
                    revoked.confirmed
                );
            }
            if !revoked.unconfirmed.is_empty() {
                eprintln!(
                    "could not confirm the revocation at the institution of: {}",
                    revoked.unconfirmed.join(", ")
                );
            }
            clients::delete(app, &client)
                .await
                .map_err(|e| no_such_client(&client, e))?;
            eprintln!("client {client} deleted with all its data");
            Ok(())
        }
        ClientsCommand::RevokeSecret { client, json } => {
            let client = client.id();
            let creds = clients::revoke_secret(app, &client)
                .await
                .map_err(|e| no_such_client(&client, e))?;
            print_credentials(&creds, json)
        }
        ClientsCommand::RotateSecret { client, json } => {
            let client = client.client_id;
            let creds = clients::rotate_secret(app, &client)
                .await
                .map_err(|e| no_such_client(&client, e))?;
            print_credentials(&creds, json)
        }
    }
}
