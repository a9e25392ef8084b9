//! The application: configuration, storage, keys and connectors, shared by
//! every request handler and worker.

use crate::clock::Clock;
use crate::config::Config;
use crate::crypto::Crypto;
use crate::services::directory::Directory;
use crate::tokens::Tokens;
use ponte_connect::{DocumentPortalClient, OpenFinanceClient};
use ponte_store::Store;
use std::net::SocketAddr;
use std::sync::Arc;
use tokio::net::TcpListener;

#[derive(Clone)]
pub struct App(Arc<Inner>);

pub struct Inner {
    pub config: Config,
    pub public_url: String,
    pub store: Store,
    pub crypto: Crypto,
    pub clock: Clock,
    pub tokens: Tokens,
    pub directory: Directory,
    pub open_finance: OpenFinanceClient,
    pub document_portals: DocumentPortalClient,
    pub http: reqwest::Client,
    /// For webhooks: outside sandbox mode it refuses private targets at connect time.
    pub webhook_http: reqwest::Client,
    pub failed_logins: crate::ratelimit::FailureLimiter,
    pub client_requests: crate::ratelimit::ClientRateLimiter,
    /// Retrieved documents (local disk or S3).
    pub storage: crate::storage::Storage,
    /// Start-up is complete: `/healthz` answers 503 until then.
    started: std::sync::atomic::AtomicBool,
}

impl std::ops::Deref for App {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl App {
    /// Opens storage and keys. `public_url` is where this node is reached.
    pub async fn new(config: Config, public_url: String, clock: Clock) -> anyhow::Result<App> {
        let crypto = Crypto::load_or_create(config.master_key, &config.data_dir)?;
        if config.master_key.is_none() && config.database_url.starts_with("postgres") {
            tracing::warn!("PONTE_MASTER_KEY is not set: every node sharing this database must use the same key");
        }
        let store = Store::open(&config.database_url).await?;
        let tokens = Tokens::load(store.clone(), crypto.clone(), clock.clone()).await?;
        let directory = Directory::new(&config, &public_url, &crypto);
        // Built once, with their bounds, or the start fails.
        let open_finance = OpenFinanceClient::new()?;
        let document_portals = DocumentPortalClient::new()?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(15))
            .build()?;
        let mut webhook_http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(crate::workers::dispatcher::ATTEMPT_TIMEOUT)
            .pool_max_idle_per_host(8)
            .user_agent(concat!("ponte-webhooks/", env!("CARGO_PKG_VERSION")));
        if !config.allow_private_webhooks {
            webhook_http = webhook_http
                .https_only(true)
                .dns_resolver(Arc::new(crate::ssrf::PublicOnly));
        }
        let webhook_http = webhook_http.build()?;
        let client_requests = crate::ratelimit::ClientRateLimiter::new(config.rate_limit);
        let storage =
            crate::storage::Storage::open(config.storage_url.as_deref(), &config.data_dir)?;
        Ok(App(Arc::new(Inner {
            storage,
            client_requests,
            config,
            public_url,
            store,
            crypto,
            clock,
            tokens,
            directory,
            open_finance,
            document_portals,
            http,
            webhook_http,
            failed_logins: crate::ratelimit::FailureLimiter::new(10, 60_000),
            started: std::sync::atomic::AtomicBool::new(false),
        })))
    }

    /// Start-up is over (the binary's own steps included): health checks pass.
    pub fn mark_started(&self) {
        self.started
            .store(true, std::sync::atomic::Ordering::Release);
    }

    pub fn is_started(&self) -> bool {
        self.started.load(std::sync::atomic::Ordering::Acquire)
    }
}

/// A bound, running server: its address and the handle to stop it.
pub struct Server {
    pub addr: SocketAddr,
    pub app: App,
    shutdown: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
    workers: Vec<tokio::task::JoinHandle<()>>,
}

async fn futures_join_all(handles: Vec<tokio::task::JoinHandle<()>>) {
    for h in handles {
        let _ = h.await;
    }
}

impl Server {
    /// Binds `config.listen` (port 0 picks one), opens the app, starts the
    /// workers and serves until `stop`; healthy at once.
    pub async fn start(config: Config, clock: Clock) -> anyhow::Result<Server> {
        let server = Server::start_pending(config, clock).await?;
        server.app.mark_started();
        Ok(server)
    }

    /// As `start`, but `/healthz` answers 503 until the caller has finished
    /// its own start-up steps and calls `app.mark_started()`.
    pub async fn start_pending(config: Config, clock: Clock) -> anyhow::Result<Server> {
        let listener = TcpListener::bind(config.listen)
            .await
            .map_err(|e| match e.kind() {
                std::io::ErrorKind::AddrInUse => {
                    anyhow::anyhow!("address {} is already in use (PONTE_LISTEN)", config.listen)
                }
                _ => anyhow::anyhow!("cannot listen on {} (PONTE_LISTEN): {e}", config.listen),
            })?;
        let addr = listener.local_addr()?;
        let public_url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));
        let app = App::new(config, public_url, clock).await?;
        crate::http::ops::prometheus();
        let router = crate::http::router(app.clone()).await?;
        let (shutdown, stop) = tokio::sync::watch::channel(false);
        let workers = crate::workers::spawn(app.clone(), shutdown.subscribe());
        let (header_timeout, drain) = (app.config.header_timeout, app.config.drain_timeout);
        let task = tokio::spawn(crate::http::listener::serve(
            listener,
            router,
            stop,
            header_timeout,
            drain,
        ));
        tracing::info!(%addr, public_url = %app.public_url, "ponte listening");
        Ok(Server {
            addr,
            app,
            shutdown,
            task,
            workers,
        })
    }

    /// Stops serving and lets the requests and jobs in flight finish, all
    /// within the drain time; whatever is still running then is cut short,
    /// and its jobs run again on the next start once their lease lapses.
    pub async fn stop(self) {
        let deadline = tokio::time::Instant::now() + self.app.config.drain_timeout;
        let _ = self.shutdown.send(true);
        // The listener keeps its own deadline, the same drain time.
        let _ = self.task.await;
        let aborts: Vec<_> = self.workers.iter().map(|w| w.abort_handle()).collect();
        if tokio::time::timeout_at(deadline, futures_join_all(self.workers))
            .await
            .is_err()
        {
            tracing::warn!(
                "workers still busy after the drain time; their leases will lapse and the work runs again"
            );
            for abort in aborts {
                abort.abort();
            }
        }
        // Closing waits for connections still checked out; an aborted worker
        // returns its own as it drops, so this is short, but never unbounded.
        let grace = std::time::Duration::from_secs(2);
        if tokio::time::timeout(grace, self.app.store.close())
            .await
            .is_err()
        {
            tracing::warn!("database connections still busy at exit");
        }
    }

    pub async fn wait(self) {
        let _ = self.task.await;
    }
}
