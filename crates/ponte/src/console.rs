//! `ponte console-users`: the people who sign in to the console.

use clap::Subcommand;
use ponte_server::services::console::{self, Password};
use ponte_server::App;
use std::io::Read;

#[derive(Subcommand)]
pub enum ConsoleUsersCommand {
    /// Creates a console user who sees one client (or, with --operator,
    /// every client). Without --password-stdin it prints a one-time
    /// sign-in link, valid 7 days.
    Create {
        /// The user's e-mail address, used to sign in.
        #[arg(long)]
        email: String,
        /// The client this user sees.
        #[arg(
            long = "client-id",
            value_name = "ID",
            required_unless_present = "operator"
        )]
        client_id: Option<String>,
        /// An operator sees every client (no --client-id).
        #[arg(long, conflicts_with = "client_id")]
        operator: bool,
        /// Read the password (12 characters or more) from standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Prints a new one-time sign-in link for an existing console user.
    Link {
        /// The user's e-mail address.
        #[arg(long)]
        email: String,
        /// Print the result as JSON.
        #[arg(long)]
        json: bool,
    },
}

fn flag(e: ponte_server::Error) -> anyhow::Error {
    let text = e.to_string();
    let text = text
        .replace("clientId:", "--client-id:")
        .replace("email:", "--email:")
        .replace("password:", "password (stdin):");
    anyhow::anyhow!(text)
}

pub async fn run(app: &App, command: ConsoleUsersCommand) -> anyhow::Result<()> {
    match command {
        ConsoleUsersCommand::Create {
            email,
            client_id,
            operator: _,
            password_stdin,
            json,
        } => {
            let password = if password_stdin {
                let mut raw = String::new();
                std::io::stdin().read_to_string(&mut raw)?;
                Some(Password::parse(&raw).map_err(|e| flag(e.into()))?)
            } else {
                None
            };
            let made = console::create_user(app, &email, client_id.as_deref(), password)
                .await
                .map_err(flag)?;
            let base = console::servers_url(app).await.map_err(flag)?;
            let url = made
                .sign_in_token
                .as_deref()
                .map(|t| console::sign_in_url_at(&base, t));
            if json {
                let body = serde_json::json!({
                    "id": made.user.id, "email": made.user.email,
                    "clientId": client_id, "signInUrl": url,
                });
                println!("{body}");
            } else {
                println!("console user {} created", made.user.email);
                if let Some(url) = url {
                    println!("one-time sign-in link (valid 7 days, shown only now):\n  {url}");
                }
            }
            Ok(())
        }
        ConsoleUsersCommand::Link { email, json } => {
            let token = console::issue_sign_in_link(app, &email)
                .await
                .map_err(flag)?;
            let base = console::servers_url(app).await.map_err(flag)?;
            let url = console::sign_in_url_at(&base, &token);
            if json {
                println!("{}", serde_json::json!({"email": email, "signInUrl": url}));
            } else {
                println!("one-time sign-in link (valid 7 days, shown only now):\n  {url}");
            }
            Ok(())
        }
    }
}
