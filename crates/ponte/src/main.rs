//! `ponte`: the command line. Wiring only; everything else is in ponte-server.

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use ponte_server::clock::Clock;
use ponte_server::config::{Config, LogFormat};
use ponte_server::services::clients as client_service;
use ponte_server::{App, Server};
use std::process::ExitCode;

mod clients;
mod clients_update;
mod clients_view;
mod config_check;
mod console;
mod database;
mod healthcheck;
mod institutions;
mod metrics;
#[cfg(feature = "sandbox")]
mod sandbox;
#[cfg(feature = "sandbox")]
mod sandbox_fapi;
mod serve_guard;
mod table;
mod webhooks_test;

#[derive(Parser)]
#[command(
    name = "ponte",
    version,
    about = "Self-hostable financial-data link platform",
    after_help = "Every command but `serve` works on the database `ponte serve` uses: run it with the same PONTE_DATA_DIR / PONTE_DATABASE_URL (see `ponte serve --help`)."
)]
struct Cli {
    /// Create the data directory and database when there is none (every
    /// command but `serve` refuses to, so a typo cannot start an empty one).
    #[arg(long, global = true)]
    init: bool,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the whole platform on one listener.
    Serve,
    /// Bring the database schema up to date and exit.
    Migrate,
    /// Exit 0 when the server on this machine (PONTE_LISTEN) answers
    /// /healthz with 200: for a container HEALTHCHECK.
    Healthcheck,
    /// Check the configuration (as `serve` reads it) and print it, secrets masked.
    Config {
        #[command(subcommand)]
        command: config_check::ConfigCommand,
    },
    /// Manage clients (integrators).
    Clients {
        #[command(subcommand)]
        command: clients::ClientsCommand,
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
    /// Ponte's dynamic registrations at Open Finance institutions (OFB DCR).
    Institutions {
        #[command(subcommand)]
        command: institutions::InstitutionsCommand,
    },
    /// Institution call records: the OFB metrics reporting (PCM) export.
    Metrics {
        #[command(subcommand)]
        command: metrics::MetricsCommand,
    },
    /// The sandbox institutions as their own process, and Ponte's directory for them.
    #[cfg(feature = "sandbox")]
    Sandbox {
        #[command(subcommand)]
        command: sandbox::SandboxCommand,
    },
    /// Print the OpenAPI document `GET /openapi.json` serves (for SDK
    /// generators); needs no configuration, database or server.
    Openapi,
}

#[derive(Subcommand)]
enum WebhooksCommand {
    /// Messages, newest first.
    List {
        #[command(flatten)]
        client: clients::ClientIdArg,
        /// pending, delivered or dead
        #[arg(long)]
        status: Option<String>,
        /// How many messages at most.
        #[arg(long, default_value_t = 50)]
        limit: i64,
        /// The nextCursor of the previous page.
        #[arg(long)]
        cursor: Option<String>,
        /// Print the page as JSON (the Data API's answer) instead of a table.
        #[arg(long)]
        json: bool,
    },
    /// One message with every attempt.
    Show {
        #[command(flatten)]
        client: clients::ClientIdArg,
        /// The message id.
        #[arg(long)]
        id: String,
    },
    /// Send a message again, or every message that died since a time.
    Replay {
        #[command(flatten)]
        client: clients::ClientIdArg,
        /// The message id.
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
        #[command(flatten)]
        client: clients::ClientIdArg,
        /// The webhook URL to enable.
        #[arg(long)]
        url: String,
    },
}

/// The command line, with `serve --help` ending in the table of settings.
fn command_line() -> clap::Command {
    Cli::command().mut_subcommand("serve", |serve| {
        serve.after_help(ponte_server::config::settings::help_section())
    })
}

/// Log lines on stderr: colour only on a terminal, JSON on request.
fn init_logging(filter: &str, format: LogFormat) {
    use std::io::IsTerminal;
    let filter = tracing_subscriber::EnvFilter::try_new(filter)
        .unwrap_or_else(|_| "info,sqlx=warn,tower_http=info".into());
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(std::io::stderr);
    match format {
        LogFormat::Json => builder.json().init(),
        LogFormat::Text => builder.with_ansi(std::io::stderr().is_terminal()).init(),
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    let matches = command_line().get_matches();
    let cli = match Cli::from_arg_matches(&matches) {
        Ok(cli) => cli,
        Err(e) => e.exit(),
    };
    if let Command::Openapi = cli.command {
        // The document is built from the code alone: nothing to configure.
        println!("{}", ponte_server::http::openapi::document_json());
        return ExitCode::SUCCESS;
    }
    #[cfg(feature = "sandbox")]
    if let Command::Sandbox { command } = cli.command {
        // The sandbox stands alone: Ponte's configuration is not read.
        let filter = std::env::var("PONTE_LOG").unwrap_or_default();
        let format = match LogFormat::parse(std::env::var("PONTE_LOG_FORMAT").ok().as_deref()) {
            Ok(f) => f,
            Err(e) => {
                eprintln!("ponte: invalid configuration: {e}");
                return ExitCode::from(2);
            }
        };
        init_logging(&filter, format);
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
    init_logging(&config.log_filter, config.log_format);
    match run(cli.command, config, cli.init).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("ponte: {e:#}");
            ExitCode::FAILURE
        }
    }
}

/// The application on the configured database, for a one-off command.
async fn open_app(config: Config) -> anyhow::Result<App> {
    let public = config
        .public_url
        .clone()
        .unwrap_or_else(|| format!("http://{}", config.listen));
    ponte_server::open_app(config, public, Clock::default()).await
}

async fn run(command: Command, config: Config, init: bool) -> anyhow::Result<()> {
    match &command {
        // `serve` makes its embedded default on a fresh machine (the README's
        // first command must just work): `serve_guard` does.
        Command::Serve | Command::Config { .. } | Command::Openapi | Command::Healthcheck => {}
        #[cfg(feature = "sandbox")]
        Command::Sandbox { .. } => {}
        _ => database::ensure_exists(&config, init)?,
    }
    match command {
        Command::Serve => serve(config).await,
        Command::Openapi => unreachable!("handled before the configuration is read"),
        #[cfg(feature = "sandbox")]
        Command::Sandbox { .. } => unreachable!("handled before the configuration is read"),
        Command::Config { command } => config_check::run(&config, command),
        Command::Healthcheck => healthcheck::run(&config).await,
        Command::Migrate => {
            ponte_store::Store::open(&config.database_url).await?;
            eprintln!("database is up to date");
            Ok(())
        }
        Command::Institutions { command } => {
            let app = open_app(config).await?;
            institutions::run(&app, command).await
        }
        Command::Metrics { command } => {
            let store = ponte_store::Store::open(&config.database_url).await?;
            let mut out = std::io::BufWriter::new(std::io::stdout());
            metrics::run(&store, command, &mut out).await?;
            std::io::Write::flush(&mut out)?;
            Ok(())
        }
        Command::ConsoleUsers { command } => {
            let app = open_app(config).await?;
            console::run(&app, command).await
        }
        Command::Webhooks { command } => {
            use ponte_server::dialects::data_api::views;
            use ponte_server::services::webhooks;
            // The CLI prints what the Data API answers.
            let app = open_app(config).await?;
            let client_id = client_service::client_id;
            let out = match command {
                WebhooksCommand::List {
                    client,
                    status,
                    limit,
                    cursor,
                    json,
                } => {
                    let page = webhooks::list(
                        &app,
                        &client_id(&client.client_id),
                        status.as_deref(),
                        cursor.as_deref(),
                        Some(limit),
                    )
                    .await
                    .map(views::MessagePageView::from)
                    .map_err(cli_error)?;
                    if json {
                        println!("{}", serde_json::to_string_pretty(&page)?);
                    } else {
                        print_messages(&page, &client.client_id);
                    }
                    return Ok(());
                }
                WebhooksCommand::Show { client, id } => {
                    webhooks::show(&app, &client_id(&client.client_id), &id)
                        .await
                        .map(|d| {
                            serde_json::to_value(views::MessageDetailView::from(d))
                                .unwrap_or_default()
                        })
                }
                WebhooksCommand::Replay {
                    client,
                    id: Some(id),
                    ..
                } => webhooks::replay(&app, &client_id(&client.client_id), &id)
                    .await
                    .map(|r| {
                        serde_json::to_value(views::ReplayedView::from(r)).unwrap_or_default()
                    }),
                WebhooksCommand::Replay {
                    client, dead_since, ..
                } => webhooks::replay_dead_since(
                    &app,
                    &client_id(&client.client_id),
                    dead_since.as_deref().unwrap_or_default(),
                )
                .await
                .map(|r| serde_json::to_value(views::BulkReplayView::from(r)).unwrap_or_default()),
                WebhooksCommand::Test(args) => return webhooks_test::run(&app, args).await,
                WebhooksCommand::EnableEndpoint { client, url } => {
                    webhooks::enable_endpoint(&app, &client_id(&client.client_id), &url)
                        .await
                        .map(|e| {
                            serde_json::to_value(views::EndpointEnabledView::from(e))
                                .unwrap_or_default()
                        })
                }
            }
            .map_err(cli_error)?;
            println!("{}", serde_json::to_string_pretty(&out)?);
            Ok(())
        }
        Command::Clients { command } => {
            let app = open_app(config).await?;
            clients::run(&app, command).await
        }
    }
}

/// A webhooks command's error, naming the flag behind the API field.
fn cli_error(e: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!(
        "{}",
        e.to_string()
            .replace("since:", "--dead-since:")
            .replace("status:", "--status:")
            .replace("limit:", "--limit:")
            .replace("url:", "--url:")
    )
}

/// `ponte webhooks list` without `--json`: one message a line, and the
/// command for the next page.
fn print_messages(page: &ponte_server::dialects::data_api::views::MessagePageView, client: &str) {
    let rows: Vec<Vec<String>> = page
        .data
        .iter()
        .map(|m| {
            vec![
                m.id.clone(),
                m.event_type.clone(),
                m.status.clone(),
                m.attempts.to_string(),
                m.created_at.clone(),
                m.last_error.clone().unwrap_or_else(|| "-".into()),
            ]
        })
        .collect();
    table::print(
        &[
            "MESSAGE ID",
            "EVENT",
            "STATUS",
            "ATTEMPTS",
            "CREATED",
            "LAST ERROR",
        ],
        &rows,
        "no messages",
    );
    if let Some(cursor) = &page.next_cursor {
        println!("more: ponte webhooks list --client-id {client} --cursor {cursor}");
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
    let guard = serve_guard::ServeGuard::take(&config)?;
    let server = match start(config).await {
        Ok(server) => server,
        Err(e) => {
            guard.failed();
            return Err(e);
        }
    };
    // Before anything says the server is up (healthz, the "listening" line).
    let stop = stop_signal();
    if let Err(e) = ponte_server::services::console::record_public_url(&server.app).await {
        // Only the CLI's printed links depend on it: serving goes on.
        tracing::warn!(error = %e, "cannot record the public URL for the CLI");
    }
    server.app.mark_started();
    let url = server.app.public_url.clone();
    if let Some(runtime) = &server.app.sandbox {
        // The banks' token, PAR, registration, consents and data endpoints.
        println!("ponte sandbox banks' mTLS on {}", runtime.mtls_base_url);
    }
    // The last line printed: scripts and tests read up to it and may then close
    // the pipe, so nothing may be printed after it (a write to a closed stdout panics).
    println!("ponte listening on {url}");
    stop.await;
    tracing::info!("shutting down");
    server.stop().await;
    drop(guard);
    Ok(())
}

/// The server, listening but not yet healthy, and in sandbox mode the sandbox
/// client's credentials written: a script that waits for /healthz may read
/// them straight away.
async fn start(config: Config) -> anyhow::Result<Server> {
    let data_dir = config.data_dir.clone();
    let sandbox = config.sandbox;
    let server = Server::start_pending(config, Clock::default()).await?;
    let url = server.app.public_url.clone();
    if sandbox {
        if let Some(creds) = client_service::ensure_sandbox_client(&server.app).await? {
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
    Ok(server)
}

/// Ctrl-C, or SIGTERM on Unix, caught from this call on (not from the first
/// poll): a script that signals as soon as it reads the "listening" line
/// gets a graceful stop, not a process killed before its handler was in place.
#[cfg(unix)]
fn stop_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    use tokio::signal::unix::{signal, SignalKind};
    let mut int = signal(SignalKind::interrupt()).expect("signal handler");
    let mut term = signal(SignalKind::terminate()).expect("signal handler");
    async move {
        tokio::select! { _ = int.recv() => {}, _ = term.recv() => {} }
    }
}

#[cfg(not(unix))]
fn stop_signal() -> impl std::future::Future<Output = ()> + Send + 'static {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}

#[cfg(test)]
mod tests {
    /// A newcomer reads `--help`: no flag or subcommand may be left unexplained.
    #[test]
    fn every_flag_and_subcommand_has_help_text() {
        fn walk(command: &clap::Command, path: &str, missing: &mut Vec<String>) {
            for arg in command.get_arguments() {
                let id = arg.get_id().as_str();
                if matches!(id, "help" | "version") {
                    continue;
                }
                if arg.get_help().is_none() && arg.get_long_help().is_none() {
                    missing.push(format!("{path} {id}"));
                }
            }
            for sub in command.get_subcommands() {
                let sub_path = format!("{path} {}", sub.get_name());
                if sub.get_name() != "help" && sub.get_about().is_none() {
                    missing.push(sub_path.clone());
                }
                walk(sub, &sub_path, missing);
            }
        }
        let mut missing = Vec::new();
        walk(&super::command_line(), "ponte", &mut missing);
        assert!(missing.is_empty(), "no help text: {missing:?}");
    }
}
