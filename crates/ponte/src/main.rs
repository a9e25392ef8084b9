//! `ponte`: the command line. Wiring only; everything else is in ponte-server.

use clap::{Parser, Subcommand};
use ponte_server::clock::Clock;
use ponte_server::config::Config;
use ponte_server::services::clients;
use ponte_server::{App, Server};
use std::process::ExitCode;

mod console;
mod sandbox;
mod webhooks_test;

#[derive(Parser)]
#[command(
    name = "ponte",
    version,
    about = "Self-hostable financial-data link platform"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole platform on one listener.
    Serve,
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Manage clients (integrators).
    Clients {
        #[command(subcommand)]
        command: ClientsCommand,
    },
    /// Inspect and replay a client's webhook deliveries (JSON output).
    Webhooks {
        #[command(subcommand)]
        command: WebhooksCommand,
    },
    /// The people who sign in to the console (`/console`).
    ConsoleUsers {
        #[command(subcommand)]
        command: console::ConsoleUsersCommand,
    },
    /// The sandbox institutions as their own process, and Ponte's directory for them.
    Sandbox {
        #[command(subcommand)]
        command: sandbox::SandboxCommand,
    },
}

#[derive(Subcommand)]
enum WebhooksCommand {
    /// Messages, newest first.
    List {
        #[arg(long)]
        client: String,
        /// pending, delivered or dead
        #[arg(long)]
        status: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// The nextCursor of the previous page.
        #[arg(long)]
        cursor: Option<String>,
    },
    /// One message with every attempt.
    Show {
        #[arg(long)]
        client: String,
        #[arg(long)]
        id: String,
    },
    /// Send a message again, or every message that died since a time.
    Replay {
        #[arg(long)]
        client: String,
        #[arg(
            long,
            required_unless_present = "dead_since",
            conflicts_with = "dead_since"
        )]
        id: Option<String>,
        /// RFC 3339, e.g. 2026-11-25T00:00:00Z
        #[arg(long)]
        dead_since: Option<String>,
    },
    /// Send one signed TEST event to a URL now (not logged as a delivery).
    Test(webhooks_test::TestArgs),
    /// Enable again a webhook URL that a 410 Gone disabled.
    EnableEndpoint {
        #[arg(long = "client-id", visible_alias = "client", value_name = "ID")]
        client: String,
        #[arg(long)]
        url: String,
    },
}

#[derive(Subcommand)]
enum ClientsCommand {
    /// Create a client; its secrets are printed once.
    Create {
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
        #[arg(long)]
        json: bool,
    },
    /// Issue a new API secret; the old one keeps working for 24 hours.
    RotateSecret {
        #[arg(long)]
        client: String,
        #[arg(long)]
        json: bool,
    },
    /// End every API secret of a client at once (it leaked) and issue a new
    /// one; tokens obtained with the old secret can no longer be refreshed.
    RevokeSecret {
        /// The client id (or give it as --client).
        #[arg(value_name = "CLIENT", required_unless_present = "client_flag")]
        client: Option<String>,
        #[arg(long = "client", value_name = "ID", conflicts_with = "client")]
        client_flag: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete a client with all its data: end users, links, consents,
    /// reports, webhook log. It cannot be undone.
    Delete {
        /// The client id (or give it as --client).
        #[arg(value_name = "CLIENT", required_unless_present = "client_flag")]
        client: Option<String>,
        #[arg(long = "client", value_name = "ID", conflicts_with = "client")]
        client_flag: Option<String>,
    },
    /// Change how the client appears in the hosted widget (white-label); an
    /// empty value clears a setting. Prints the branding as it now is.
    Update {
        #[arg(long = "client-id", visible_alias = "client", value_name = "ID")]
        client: String,
        /// The name end users see (at most 60 characters).
        #[arg(long)]
        display_name: Option<String>,
        /// An https URL of the logo.
        #[arg(long)]
        logo_url: Option<String>,
        /// A hex colour such as #0f766e; one too light for white text is darkened.
        #[arg(long)]
        primary_color: Option<String>,
        #[arg(long)]
        privacy_policy_url: Option<String>,
        /// Origins allowed to frame the widget, space- or comma-separated.
        #[arg(long)]
        frame_origins: Option<String>,
        /// Register a redirect URL (repeatable): once a client has any, every
        /// redirectUrl on its links and consents must be one of them exactly.
        #[arg(long = "redirect-url", value_name = "URL")]
        redirect_urls: Vec<String>,
        /// Forget every registered redirect URL first (none: no check).
        #[arg(long)]
        clear_redirect_urls: bool,
        #[arg(long)]
        json: bool,
    },
    /// Issue a new whsec_ webhook secret; for 24 hours webhooks are signed by both.
    RotateWebhookSecret {
        #[arg(long = "client-id", visible_alias = "client", value_name = "ID")]
        client: String,
        #[arg(long)]
        json: bool,
    },
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("PONTE_LOG")
                .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into()),
        )
        .with_writer(std::io::stderr)
        .init();
    let cli = Cli::parse();
    if let Command::Sandbox { command } = cli.command {
        // The sandbox stands alone: Ponte's configuration is not read.
        return match sandbox::run(command).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("ponte sandbox: {e:#}");
                ExitCode::FAILURE
            }
        };
    }
    let config = match Config::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("ponte: invalid configuration: {e}");
            return ExitCode::from(2);
        }
    };
    match run(cli.command, config).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ponte: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(command: Command, config: Config) -> anyhow::Result<()> {
    ponte_server::crypto::create_private_dir(&config.data_dir)?;
    match command {
        Command::Serve => serve(config).await,
        Command::Sandbox { .. } => unreachable!("handled before the configuration is read"),
        Command::Migrate => {
            ponte_store::Store::open(&config.database_url).await?;
            eprintln!("database is up to date");
            Ok(())
        }
        Command::ConsoleUsers { command } => {
            let public = config
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", config.listen));
            let app = App::new(config, public, Clock::default()).await?;
            console::run(&app, command).await
        }
        Command::Webhooks { command } => {
            use ponte_server::dialects::data_api::views;
            use ponte_server::services::webhooks;
            // The CLI prints what the Data API answers.
            let public = config
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", config.listen));
            let app = App::new(config, public, Clock::default()).await?;
            let client = |id: &str| ponte_server::services::clients::client_id(id);
            let out = match command {
                WebhooksCommand::List {
                    client: c,
                    status,
                    limit,
                    cursor,
                } => webhooks::list(
                    &app,
                    &client(&c),
                    status.as_deref(),
                    cursor.as_deref(),
                    Some(limit),
                )
                .await
                .map(|p| serde_json::to_value(views::MessagePageView::from(p)).unwrap_or_default()),
                WebhooksCommand::Show { client: c, id } => {
                    webhooks::show(&app, &client(&c), &id).await.map(|d| {
                        serde_json::to_value(views::MessageDetailView::from(d)).unwrap_or_default()
                    })
                }
                WebhooksCommand::Replay {
                    client: c,
                    id: Some(id),
                    ..
                } => webhooks::replay(&app, &client(&c), &id).await.map(|r| {
                    serde_json::to_value(views::ReplayedView::from(r)).unwrap_or_default()
                }),
                WebhooksCommand::Replay {
                    client: c,
                    dead_since,
                    ..
                } => webhooks::replay_dead_since(
                    &app,
                    &client(&c),
                    dead_since.as_deref().unwrap_or_default(),
                )
                .await
                .map(|r| serde_json::to_value(views::BulkReplayView::from(r)).unwrap_or_default()),
                WebhooksCommand::Test(args) => return webhooks_test::run(&app, args).await,
                WebhooksCommand::EnableEndpoint { client: c, url } => {
                    webhooks::enable_endpoint(&app, &client(&c), &url)
                        .await
                        .map(|e| {
                            serde_json::to_value(views::EndpointEnabledView::from(e))
                                .unwrap_or_default()
                        })
                }
            }
            .map_err(|e| {
                anyhow::anyhow!(
                    "{}",
                    e.to_string()
                        .replace("since:", "--dead-since:")
                        .replace("status:", "--status:")
                        .replace("limit:", "--limit:")
                        .replace("url:", "--url:")
                )
            })?;
            println!("{}", serde_json::to_string_pretty(&out)?);
            Ok(())
        }
        Command::Clients { command } => {
            let public = config
                .public_url
                .clone()
                .unwrap_or_else(|| format!("http://{}", config.listen));
            let app = App::new(config, public, Clock::default()).await?;
            let (creds, json) = match command {
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
                    (clients::create(&app, new).await.map_err(flag_error)?, json)
                }
                ClientsCommand::Update {
                    client,
                    display_name,
                    logo_url,
                    primary_color,
                    privacy_policy_url,
                    frame_origins,
                    redirect_urls,
                    clear_redirect_urls,
                    json,
                } => {
                    let redirects_only = display_name.is_none()
                        && logo_url.is_none()
                        && primary_color.is_none()
                        && privacy_policy_url.is_none()
                        && frame_origins.is_none();
                    if clear_redirect_urls || !redirect_urls.is_empty() {
                        let now = update_redirect_urls(
                            &app,
                            &client,
                            &redirect_urls,
                            clear_redirect_urls,
                        )
                        .await?;
                        if redirects_only {
                            let out = serde_json::json!({ "redirectUrls": now });
                            if json {
                                println!("{out}");
                            } else {
                                println!("{}", serde_json::to_string_pretty(&out)?);
                            }
                            return Ok(());
                        }
                    }
                    let change = clients::BrandingChange {
                        display_name: display_name.as_deref(),
                        logo_url: logo_url.as_deref(),
                        primary_color: primary_color.as_deref(),
                        privacy_policy_url: privacy_policy_url.as_deref(),
                        frame_origins: frame_origins.as_deref(),
                    };
                    let branding = clients::update_branding(&app, &client, &change)
                        .await
                        .map_err(|e| match e {
                            ponte_server::Error::NotFound(_) => {
                                anyhow::anyhow!("--client-id {client}: no such client")
                            }
                            other => flag_error(other),
                        })?;
                    if json {
                        println!("{}", serde_json::to_string(&branding)?);
                    } else {
                        println!("{}", serde_json::to_string_pretty(&branding)?);
                    }
                    if let (Some(given), Some(used)) =
                        (&branding.primary_color, branding.readable_color())
                    {
                        if *given != used {
                            eprintln!("--primary-color {given} is too light for white text; the widget uses {used}");
                        }
                    }
                    return Ok(());
                }
                ClientsCommand::RotateWebhookSecret { client, json } => {
                    let rotated = clients::rotate_webhook_secret(&app, &client)
                        .await
                        .map_err(|e| anyhow::anyhow!("--client-id {client}: {e}"))?;
                    if json {
                        println!("{}", serde_json::to_string(&rotated)?);
                    } else {
                        println!("clientId:      {}\nwebhookSecret: {}\n(the secret is shown only now; until {} webhooks are signed by the previous secret too)", rotated.client_id, rotated.webhook_secret, rotated.previous_secret_expires_at);
                    }
                    return Ok(());
                }
                ClientsCommand::Delete {
                    client,
                    client_flag,
                } => {
                    let client = client.or(client_flag).unwrap_or_default();
                    // The institutions hear of it first, while the consents exist.
                    let revoked = ponte_server::services::revoke_all::revoke_client_consents(
                        &app,
                        &client,
                        std::time::Duration::from_secs(30),
                    )
                    .await
                    .map_err(|e| anyhow::anyhow!("--client {client}: {e}"))?;
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
                    clients::delete(&app, &client)
                        .await
                        .map_err(|e| anyhow::anyhow!("--client {client}: {e}"))?;
                    eprintln!("client {client} deleted with all its data");
                    return Ok(());
                }
                ClientsCommand::RevokeSecret {
                    client,
                    client_flag,
                    json,
                } => {
                    let client = client.or(client_flag).unwrap_or_default();
                    (
                        clients::revoke_secret(&app, &client)
                            .await
                            .map_err(|e| anyhow::anyhow!("--client {client}: {e}"))?,
                        json,
                    )
                }
                ClientsCommand::RotateSecret { client, json } => (
                    clients::rotate_secret(&app, &client)
                        .await
                        .map_err(|e| anyhow::anyhow!("--client {client}: {e}"))?,
                    json,
                ),
            };
            if json {
                println!("{}", serde_json::to_string(&creds)?);
            } else {
                println!("clientId:      {}\napiKey:        {}\napiSecret:     {}\nwebhookSecret: {}\n(the secret is shown only now)", creds.client_id, creds.api_key, creds.api_secret, creds.webhook_secret);
            }
            Ok(())
        }
    }
}

/// Names the command-line flag behind an API field in an error.
fn flag_error(e: impl std::fmt::Display) -> anyhow::Error {
    let text = e.to_string();
    let text = text
        .replace("reportWebhookUrl", "--report-webhook-url")
        .replace("webhookUrl", "--webhook-url")
        .replace("displayName", "--display-name")
        .replace("logoUrl", "--logo-url")
        .replace("primaryColor", "--primary-color")
        .replace("privacyPolicyUrl", "--privacy-policy-url")
        .replace("frameOrigins", "--frame-origins");
    // Only at the start: `--display-name: …` also contains `name:`.
    let text = match text.strip_prefix("name:") {
        Some(rest) => format!("--name:{rest}"),
        None => text,
    };
    anyhow::anyhow!(text)
}

async fn serve(config: Config) -> anyhow::Result<()> {
    let data_dir = config.data_dir.clone();
    let sandbox = config.sandbox;
    let server = Server::start(config, Clock::default()).await?;
    let url = server.app.public_url.clone();
    if sandbox {
        if let Some(creds) = clients::ensure_sandbox_client(&server.app).await? {
            let file = data_dir.join("sandbox-client.json");
            let console_url =
                ponte_server::services::console::ensure_sandbox_user(&server.app, &creds.client_id)
                    .await?
                    .and_then(|u| u.sign_in_token)
                    .map(|t| ponte_server::services::console::sign_in_url(&server.app, &t));
            let body = serde_json::json!({
                "clientId": creds.client_id, "apiKey": creds.api_key, "apiSecret": creds.api_secret,
                "webhookSecret": creds.webhook_secret, "baseUrl": url, "docsUrl": format!("{url}/docs"),
                "consoleSignInUrl": console_url,
            });
            ponte_server::crypto::write_private(
                &file,
                serde_json::to_string_pretty(&body)?.as_bytes(),
            )?;
            println!(
                "\n  Ponte sandbox is ready at {url}\n\n  Sandbox client (shown once, also saved to {file}):\n    apiKey     {key}\n    apiSecret  {secret}\n    webhookSecret {wh}\n\n  Demo         {url}/demo  (open it, pick a bank, log in as user_good / pass_good)\n  API docs     {url}/docs\n  Try it:      curl -s -X POST {url}/data/v1/auth -H 'content-type: application/json' \\\n                 -d '{{\"accessKey\":\"{key}\",\"secretKey\":\"{secret}\"}}'\n  Bank login:  user_good / pass_good\n  Console:     {console}\n               (one-time sign-in link for the sandbox client)\n",
                file = file.display(),
                key = creds.api_key,
                secret = creds.api_secret,
                wh = creds.webhook_secret,
                console = console_url.as_deref().unwrap_or("-"),
            );
        }
    }
    println!("ponte listening on {url}");
    stop_signal().await;
    tracing::info!("shutting down");
    server.stop().await;
    Ok(())
}

/// Ctrl-C, or SIGTERM on Unix.
async fn stop_signal() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())
            .expect("signal handler");
        tokio::select! { _ = ctrl_c => {}, _ = term.recv() => {} }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
}

/// `clients update --redirect-url/--clear-redirect-urls`: the URLs now registered.
async fn update_redirect_urls(
    app: &ponte_server::App,
    client: &str,
    add: &[String],
    clear: bool,
) -> anyhow::Result<Vec<String>> {
    ponte_server::services::redirect_urls::update(app, client, add, clear)
        .await
        .map_err(|e| match e {
            ponte_server::Error::NotFound(_) => {
                anyhow::anyhow!("--client-id {client}: no such client")
            }
            other => flag_error(other),
        })
}
