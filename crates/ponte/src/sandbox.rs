//! `ponte sandbox serve` runs the sandbox banks as their own process, with
//! their directory and mutual-TLS listener (see `sandbox_fapi`);
//! `ponte sandbox directory` writes the `PONTE_INSTITUTIONS` entries that point
//! Ponte at them, so the two processes are wired by configuration only.

use anyhow::{anyhow, Context};
use clap::Subcommand;
use ponte_sandbox::{SandboxClient, SandboxConfig};
use ponte_server::services::directory::sandbox_directory_toml;
use std::net::SocketAddr;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum SandboxCommand {
    /// Run only the sandbox institutions, on their own listener.
    Serve {
        /// Port 0 picks a free one; the address is printed.
        #[arg(long, env = "PONTE_SANDBOX_LISTEN", default_value = "127.0.0.1:8090")]
        listen: SocketAddr,
        /// The banks' mutual-TLS listener (token, PAR, registration, consents,
        /// data) and the directory's software statements; port 0 picks one,
        /// printed.
        #[arg(long, env = "PONTE_SANDBOX_MTLS_LISTEN", default_value = "127.0.0.1:0")]
        mtls_listen: SocketAddr,
        /// Where the banks are reached (bank `{code}` is at `{URL}/{code}`);
        /// default `http://<listen address>`.
        #[arg(long, env = "PONTE_SANDBOX_PUBLIC_URL", value_name = "URL")]
        public_url: Option<String>,
        /// The sandbox's own state; default `sqlite://<data dir>/sandbox.db`.
        #[arg(long, env = "PONTE_SANDBOX_DATABASE_URL", value_name = "URL")]
        database_url: Option<String>,
        /// Holds the default SQLite database and the sandbox directory (its
        /// CA, and Ponte's enrolled software and credentials).
        #[arg(long, env = "PONTE_DATA_DIR", default_value = "./ponte-data")]
        data_dir: PathBuf,
        /// The OAuth client id Ponte uses at the document portals (and at
        /// the banks, for a Ponte that does not speak FAPI-BR).
        #[arg(long, env = "PONTE_SANDBOX_CLIENT_ID", value_name = "ID")]
        client_id: String,
        /// The environment variable holding that client's secret.
        #[arg(long, env = "PONTE_SANDBOX_CLIENT_SECRET_ENV", value_name = "VAR")]
        client_secret_env: String,
        /// Ponte's callback, `<Ponte's public URL>/callback/open-finance`; repeat
        /// (or separate with commas) for several Ponte deployments.
        #[arg(
            long = "redirect-uri",
            env = "PONTE_SANDBOX_REDIRECT_URIS",
            value_name = "URI",
            value_delimiter = ',',
            required = true
        )]
        redirect_uris: Vec<String>,
    },
    /// Print `PONTE_INSTITUTIONS` entries (TOML) for a sandbox served by `ponte sandbox serve`.
    Directory {
        /// The URL `ponte sandbox serve` printed (its public URL).
        #[arg(long, env = "PONTE_SANDBOX_PUBLIC_URL", value_name = "URL")]
        base_url: String,
        /// The OAuth client id given to `ponte sandbox serve`.
        #[arg(long, env = "PONTE_SANDBOX_CLIENT_ID", value_name = "ID")]
        client_id: String,
        /// Written into the file instead of the secret, which Ponte reads from it at start.
        #[arg(long, env = "PONTE_SANDBOX_CLIENT_SECRET_ENV", value_name = "VAR")]
        client_secret_env: String,
        /// With --out-dir: the data dir of `ponte sandbox serve`, whose
        /// directory enrolled Ponte.
        #[arg(long, env = "PONTE_DATA_DIR", default_value = "./ponte-data")]
        data_dir: PathBuf,
        /// Write Ponte's FAPI-BR credentials (0600) and an institutions.toml
        /// whose banks take a dynamic registration into this folder, instead
        /// of printing entries for the legacy secret client.
        #[arg(long, value_name = "DIR")]
        out_dir: Option<PathBuf>,
    },
}

pub async fn run(command: SandboxCommand) -> anyhow::Result<()> {
    match command {
        SandboxCommand::Directory {
            base_url,
            client_id,
            client_secret_env,
            data_dir,
            out_dir,
        } => {
            let base_url = http_url("--base-url", &base_url)?;
            non_empty("--client-id", &client_id)?;
            variable_name(&client_secret_env)?;
            if let Some(out_dir) = out_dir {
                let path = crate::sandbox_fapi::write_directory(
                    &base_url,
                    &data_dir,
                    &out_dir,
                    client_id.trim(),
                    &client_secret_env,
                )?;
                println!("{}", path.display());
                return Ok(());
            }
            print!(
                "{}",
                sandbox_directory_toml(&base_url, client_id.trim(), &client_secret_env)?
            );
            Ok(())
        }
        SandboxCommand::Serve {
            listen,
            mtls_listen,
            public_url,
            database_url,
            data_dir,
            client_id,
            client_secret_env,
            redirect_uris,
        } => {
            non_empty("--client-id", &client_id)?;
            variable_name(&client_secret_env)?;
            let client_secret = std::env::var(&client_secret_env)
                .ok()
                .filter(|s| !s.trim().is_empty())
                .ok_or_else(|| {
                    anyhow!("--client-secret-env: the environment variable {client_secret_env} is not set or empty")
                })?;
            for uri in &redirect_uris {
                http_url("--redirect-uri", uri)?;
            }
            let database_url = match database_url {
                Some(url) => url,
                None => {
                    // The sandbox's users and tokens are only its owner's to read.
                    ponte_server::crypto::create_private_dir(&data_dir)
                        .with_context(|| format!("--data-dir {}", data_dir.display()))?;
                    private_database_files(&data_dir.join("sandbox.db"))
                        .with_context(|| format!("--data-dir {}", data_dir.display()))?;
                    format!("sqlite://{}/sandbox.db?mode=rwc", data_dir.display())
                }
            };
            // Answers go out whole at once (no wait on the client's delayed ACK).
            let listener = ponte_server::listen_without_delay(listen)
                .with_context(|| format!("--listen {listen}"))?;
            let mtls_listener = ponte_server::listen_without_delay(mtls_listen)
                .with_context(|| format!("--mtls-listen {mtls_listen}"))?;
            let addr = listener.local_addr()?;
            let public_url = match public_url {
                Some(url) => http_url("--public-url", &url)?,
                None => format!("http://{addr}"),
            };
            ponte_server::crypto::create_private_dir(&data_dir)
                .with_context(|| format!("--data-dir {}", data_dir.display()))?;
            let identity = crate::sandbox_fapi::prepare(
                &data_dir,
                &public_url,
                mtls_listener.local_addr()?,
                &redirect_uris,
            )
            .await?;
            let router = ponte_sandbox::standalone_router(SandboxConfig {
                base_url: public_url.clone(),
                database_url,
                clients: vec![SandboxClient {
                    client_id: client_id.trim().to_string(),
                    client_secret: client_secret.trim().to_string(),
                    redirect_uris,
                    // The portals' client, and the banks' for a Ponte without FAPI-BR.
                    ..Default::default()
                }],
                mtls_base_url: Some(identity.mtls_url.clone()),
                // The banks register softwares whose statements the directory signed.
                directory: Some(identity.directory.trust()),
            })
            .await?
            .nest(
                "/directory",
                ponte_sandbox::directory::router(identity.directory.clone()),
            );
            let tls = ponte_sandbox::MtlsServerConfig {
                cert_chain_pem: identity.server.cert_pem.clone(),
                key_pem: identity.server.key_pem.clone(),
                client_ca_pem: identity.ca_pem.clone(),
            };
            let mtls_router = router.clone();
            tokio::spawn(async move {
                if let Err(e) = ponte_sandbox::serve_mtls(mtls_listener, mtls_router, tls).await {
                    tracing::error!(error = %e, "the sandbox banks' mTLS listener stopped");
                }
            });
            let stop = crate::stop_signal();
            println!("ponte sandbox mTLS on {}", identity.mtls_url);
            println!(
                "  Ponte's directory for it: ponte sandbox directory --base-url {public_url} --client-id {client_id} --client-secret-env {client_secret_env} --data-dir {} --out-dir <folder>",
                data_dir.display()
            );
            // Last: a reader may close stdout once it has this line.
            println!("ponte sandbox listening on {public_url}");
            tracing::info!(%addr, public_url = %public_url, mtls = %identity.mtls_url, "ponte sandbox listening");
            ponte_sandbox::serve(listener, router, stop).await
        }
    }
}

fn http_url(flag: &str, raw: &str) -> anyhow::Result<String> {
    let parsed = url::Url::parse(raw.trim()).map_err(|e| anyhow!("{flag}: {raw:?}: {e}"))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.query().is_some() {
        return Err(anyhow!(
            "{flag}: {raw:?} must be an http(s) URL without a query"
        ));
    }
    Ok(raw.trim().trim_end_matches('/').to_string())
}

fn non_empty(flag: &str, value: &str) -> anyhow::Result<()> {
    if value.trim().is_empty() {
        return Err(anyhow!("{flag}: must not be empty"));
    }
    Ok(())
}

fn variable_name(name: &str) -> anyhow::Result<()> {
    let ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if !ok {
        return Err(anyhow!(
            "--client-secret-env: {name:?} is not an environment variable name (the secret itself stays in the environment)"
        ));
    }
    Ok(())
}

/// Creates the sandbox's SQLite file 0600 before SQLite opens it (its `-wal`
/// and `-shm` files take the database's mode), and tightens files an older
/// version left wider.
fn private_database_files(database: &std::path::Path) -> std::io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        std::fs::OpenOptions::new()
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(database)?;
        for suffix in ["", "-wal", "-shm"] {
            let mut path = database.as_os_str().to_owned();
            path.push(suffix);
            match std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
                _ => {}
            }
        }
    }
    #[cfg(not(unix))]
    let _ = database;
    Ok(())
}
