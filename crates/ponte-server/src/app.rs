//! The application: configuration, storage, keys and connectors, shared by
//! every request handler and worker.

use crate::clock::Clock;
use crate::config::Config;
use crate::crypto::Crypto;
use crate::services::directory::Directory;
use crate::tokens::Tokens;
use ponte_connect::OpenFinanceClient;
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
    pub http: reqwest::Client,
    /// For webhooks: outside sandbox mode it refuses private targets at connect time.
    pub webhook_http: reqwest::Client,
    pub failed_logins: crate::ratelimit::FailureLimiter,
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
        let open_finance = OpenFinanceClient::new()?;
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
        Ok(App(Arc::new(Inner {
            config,
            public_url,
            store,
            crypto,
            clock,
            tokens,
            directory,
            open_finance,
            http,
            webhook_http,
            failed_logins: crate::ratelimit::FailureLimiter::new(10, 60_000),
        })))
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
    /// workers and serves until `stop`.
    pub async fn start(config: Config, clock: Clock) -> anyhow::Result<Server> {
        let listener = TcpListener::bind(config.listen).await?;
        let addr = listener.local_addr()?;
        let public_url = config
            .public_url
            .clone()
            .unwrap_or_else(|| format!("http://{addr}"));
        let app = App::new(config, public_url, clock).await?;
        crate::http::ops::prometheus();
        let router = crate::http::router(app.clone()).await?;
        let (shutdown, mut stop) = tokio::sync::watch::channel(false);
        let workers = crate::workers::spawn(app.clone(), shutdown.subscribe());
        let task = tokio::spawn(async move {
            let serve = axum::serve(
                listener,
                router.into_make_service_with_connect_info::<SocketAddr>(),
            )
            .with_graceful_shutdown(async move {
                let _ = stop.wait_for(|s| *s).await;
            });
            if let Err(e) = serve.await {
                tracing::error!(error = %e, "server stopped");
            }
        });
        tracing::info!(%addr, public_url = %app.public_url, "ponte listening");
        Ok(Server {
            addr,
            app,
            shutdown,
            task,
            workers,
        })
    }

    /// Stops serving, lets the workers finish what they hold (bounded), and
    /// closes the store. Whatever is cut short is retried after its lease.
    pub async fn stop(self) {
        let _ = self.shutdown.send(true);
        let _ = self.task.await;
        let drained = futures_join_all(self.workers);
        if tokio::time::timeout(std::time::Duration::from_secs(20), drained)
            .await
            .is_err()
        {
            tracing::warn!(
                "workers still busy at shutdown; their leases will lapse and the work runs again"
            );
        }
        self.app.store.close().await;
    }

    pub async fn wait(self) {
        let _ = self.task.await;
    }
}
