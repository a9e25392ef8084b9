//! The application: configuration, storage, keys and connectors, shared by
//! every request handler and worker.

use crate::clock::Clock;
use crate::config::Config;
use crate::crypto::Crypto;
use crate::services::directory::Directory;
use crate::services::job::Jobs;
use crate::services::outbox::WebhookRenderers;
use crate::tokens::Tokens;
use ponte_connect::{DocumentPortalClient, OpenFinanceClient};
use ponte_store::Store;
use std::sync::Arc;

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
    /// The dialects' webhook renderers, registered by the API crate.
    pub renderers: WebhookRenderers,
    /// The jobs the job runner knows, registered by the API crate.
    pub jobs: Jobs,
    /// Sandbox mode's FAPI-BR identity and where its banks' mTLS listener is
    /// (only for a serving node: the CLI never calls a bank).
    pub sandbox: Option<SandboxRuntime>,
    /// Links read since the last write (see `services::links::view`).
    pub link_reads: crate::services::links::LinkReads,
    /// Start-up is complete: `/healthz` answers 503 until then.
    started: std::sync::atomic::AtomicBool,
}

/// The sandbox banks as a serving node runs them: Ponte's identity, and the
/// mTLS listener (on loopback) where their token, PAR, consents and data
/// endpoints are.
pub struct SandboxRuntime {
    #[cfg(feature = "sandbox")]
    pub pki: crate::services::sandbox_pki::SandboxPki,
    pub mtls_addr: std::net::SocketAddr,
    /// `https://{mtls_addr}/sandbox/banks`.
    pub mtls_base_url: String,
    /// The sandbox banks as dynamic-registration entries (see
    /// `services::directory::sandbox_dynamic_banks`): registered at start
    /// by `services::registrations_start`.
    pub banks: Vec<crate::config::institutions::InstitutionEntry>,
}

impl SandboxRuntime {
    /// Sandbox mode's identity, and its banks registered as the mTLS
    /// listener at `addr` reaches them.
    #[cfg(feature = "sandbox")]
    async fn start(
        store: &Store,
        crypto: &Crypto,
        config: &Config,
        public_url: &str,
        addr: std::net::SocketAddr,
    ) -> anyhow::Result<SandboxRuntime> {
        let hosts = vec![addr.ip().to_string(), "localhost".to_string()];
        let mtls_base_url = format!("https://{addr}/sandbox/banks");
        let pki = crate::services::sandbox_pki::load(
            store,
            crypto,
            &config.data_dir,
            public_url,
            &mtls_base_url,
            hosts,
        )
        .await?;
        let registration = crate::config::institutions::DynamicRegistration {
            directory_url: format!(
                "https://{addr}{}",
                crate::services::directory::SANDBOX_DIRECTORY_PATH
            ),
            org_id: pki.org_id.clone(),
            software_id: pki.software_id.clone(),
        };
        let mut banks = crate::services::directory::sandbox_dynamic_banks(
            public_url,
            &pki.fapi,
            &mtls_base_url,
            &registration,
        );
        crate::services::registrations::apply(store, &mut banks).await?;
        Ok(SandboxRuntime {
            pki,
            mtls_addr: addr,
            mtls_base_url,
            banks,
        })
    }
}

impl std::ops::Deref for App {
    type Target = Inner;
    fn deref(&self) -> &Inner {
        &self.0
    }
}

impl App {
    /// Opens storage and keys. `public_url` is where this node is reached;
    /// `renderers` are the dialects' webhook payloads (see `outbox`) and
    /// `jobs` the durable jobs the job runner dispatches (see `job`).
    /// `sandbox_mtls` is where a serving node in sandbox mode listens for
    /// its banks' mutual-TLS endpoints (`None` for the CLI).
    pub async fn new(
        config: Config,
        public_url: String,
        clock: Clock,
        renderers: WebhookRenderers,
        jobs: Jobs,
        sandbox_mtls: Option<std::net::SocketAddr>,
    ) -> anyhow::Result<App> {
        let crypto = Crypto::load_or_create(config.master_key, &config.data_dir)?;
        if config.master_key.is_none() && config.database_url.starts_with("postgres") {
            tracing::warn!("PONTE_MASTER_KEY is not set: every node sharing this database must use the same key");
        }
        let store = Store::open(&config.database_url).await?;
        let mut config = config;
        crate::services::registrations::apply(&store, &mut config.institutions).await?;
        let tokens = Tokens::load(store.clone(), crypto.clone(), clock.clone()).await?;
        #[cfg(feature = "sandbox")]
        let sandbox = match sandbox_mtls.filter(|_| config.sandbox) {
            Some(addr) => {
                Some(SandboxRuntime::start(&store, &crypto, &config, &public_url, addr).await?)
            }
            None => None,
        };
        // Without the feature, `PONTE_SANDBOX=true` never gets this far
        // (`Config::from_map` refuses it).
        #[cfg(not(feature = "sandbox"))]
        let sandbox: Option<SandboxRuntime> = {
            let _ = sandbox_mtls;
            None
        };
        let directory = Directory::new(
            &config,
            &public_url,
            &crypto,
            sandbox.as_ref().map(|s| s.banks.as_slice()),
        );
        // Built once, with their bounds, or the start fails.
        let open_finance = OpenFinanceClient::new()?;
        let document_portals = DocumentPortalClient::new()?;
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(15))
            .build()?;
        let mut webhook_http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(crate::config::WEBHOOK_ATTEMPT_TIMEOUT)
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
            renderers,
            jobs,
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
            link_reads: crate::services::links::LinkReads::new(
                crate::services::links::LINK_READS_KEPT,
            ),
            sandbox,
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
