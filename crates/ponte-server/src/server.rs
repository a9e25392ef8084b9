//! The bound server: the listener, the routes and the workers around one
//! [`App`] context.

use crate::clock::Clock;
use crate::config::Config;
use crate::services::job::Jobs;
use crate::App;
use std::net::SocketAddr;
use tokio::net::{TcpListener, TcpSocket};

/// A listener whose accepted connections send at once (`TCP_NODELAY`, which
/// Linux hands from the listening socket to each connection it accepts). The
/// sandbox banks' connections are accepted inside `ponte_sandbox`, which sets
/// nothing on them: with Nagle's algorithm on, the tail of an answer larger
/// than one segment (an account's transactions) waited for the connector's
/// delayed ACK, about 40 ms on loopback. `ponte sandbox` listens with it too.
pub fn listen_without_delay(addr: SocketAddr) -> std::io::Result<TcpListener> {
    let socket = match addr {
        SocketAddr::V4(_) => TcpSocket::new_v4()?,
        SocketAddr::V6(_) => TcpSocket::new_v6()?,
    };
    // As `TcpListener::bind`: a restarted node rebinds its port at once.
    #[cfg(unix)]
    socket.set_reuseaddr(true)?;
    socket.set_nodelay(true)?;
    socket.bind(addr)?;
    socket.listen(1024)
}

/// Builds the services' context: every dialect's webhook renderer and every
/// durable job registered. `public_url` is where this node is reached. For
/// the CLI: no sandbox bank is served, so none is reached over mTLS.
pub async fn open_app(config: Config, public_url: String, clock: Clock) -> anyhow::Result<App> {
    open_serving_app(config, public_url, clock, None).await
}

async fn open_serving_app(
    config: Config,
    public_url: String,
    clock: Clock,
    sandbox_mtls: Option<SocketAddr>,
) -> anyhow::Result<App> {
    App::new(
        config,
        public_url,
        clock,
        crate::dialects::webhook_renderers(),
        jobs(),
        sandbox_mtls,
    )
    .await
}

/// The durable jobs the job runner knows: one line per job.
pub fn jobs() -> Jobs {
    use crate::services::{
        documents_job, documents_refresh, retrieval, retrieval_job, revoke_at_institution,
        sync_refresh, update_mode,
    };
    Jobs::new()
        .register::<retrieval_job::Retrieve>()
        .register::<retrieval::AutoDeliver>()
        .register::<revoke_at_institution::RevokeAtInstitutionJob>()
        .register::<update_mode::RevokeReplacedJob>()
        .register::<documents_job::RetrieveDocuments>()
        .register::<documents_refresh::RefreshDocuments>()
        .register::<sync_refresh::SyncTransactions>()
}

/// A bound, running server: its address and the handle to stop it.
pub struct Server {
    pub addr: SocketAddr,
    pub app: App,
    shutdown: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
    workers: Vec<tokio::task::JoinHandle<()>>,
    /// The sandbox banks' mutual-TLS listener (sandbox mode).
    sandbox_mtls: Option<tokio::task::JoinHandle<()>>,
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
        // The sandbox banks' token, PAR, consents and data endpoints are
        // reached over mutual TLS, as a real institution's: on loopback, for
        // this node's own connector only.
        let mtls_listener = match config.sandbox {
            true => Some(
                listen_without_delay(config.sandbox_mtls_listen).map_err(|e| {
                    anyhow::anyhow!("cannot listen for the sandbox banks' mTLS: {e}")
                })?,
            ),
            false => None,
        };
        let mtls_addr = mtls_listener.as_ref().map(|l| l.local_addr()).transpose()?;
        let app = open_serving_app(config, public_url, clock, mtls_addr).await?;
        crate::http::ops::prometheus();
        let (router, sandbox) = crate::http::routers(app.clone()).await?;
        #[cfg(not(feature = "sandbox"))]
        let sandbox_mtls: Option<tokio::task::JoinHandle<()>> = {
            // Without the feature there is no sandbox mode (`Config::from_map`).
            let _ = (mtls_listener, sandbox);
            None
        };
        #[cfg(feature = "sandbox")]
        let sandbox_mtls = match (mtls_listener, sandbox, &app.sandbox) {
            (Some(listener), Some(sandbox), Some(runtime)) => {
                let tls = ponte_sandbox::MtlsServerConfig {
                    cert_chain_pem: runtime.pki.server.cert_pem.clone(),
                    key_pem: runtime.pki.server.key_pem.clone(),
                    client_ca_pem: runtime.pki.ca_pem.clone(),
                };
                tracing::info!(url = %runtime.mtls_base_url, "sandbox banks' mTLS endpoints listening");
                Some(tokio::spawn(async move {
                    if let Err(e) = ponte_sandbox::serve_mtls(listener, sandbox, tls).await {
                        tracing::error!(error = %e, "the sandbox banks' mTLS listener stopped");
                    }
                }))
            }
            _ => None,
        };
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
        let server = Server {
            addr,
            app,
            shutdown,
            task,
            workers,
            sandbox_mtls,
        };
        // Registering at an institution needs its discovery and, for the
        // sandbox banks, both listeners up: so it comes last.
        match crate::services::registrations_start::register_at_start(&server.app).await {
            Err(e) => {
                server.stop().await;
                return Err(e);
            }
            Ok(0) => {}
            Ok(_) => {
                // The sandbox banks are this process's own: keep trying until
                // the public URL answers (the banks stay in outage meanwhile).
                // Registering holds the registrations' rows (on SQLite, the
                // writer) while it calls out, so it is only tried once a cheap
                // probe of the public URL gets an answer.
                let app = server.app.clone();
                let probe = reqwest::Client::builder()
                    .timeout(std::time::Duration::from_secs(3))
                    .build()
                    .unwrap_or_default();
                let healthz = format!("{}/healthz", app.public_url.trim_end_matches('/'));
                tokio::spawn(async move {
                    loop {
                        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
                        if probe.get(&healthz).send().await.is_err() {
                            continue;
                        }
                        match crate::services::registrations_start::register_at_start(&app).await {
                            Ok(0) => break,
                            Ok(_) => {}
                            Err(e) => {
                                tracing::warn!(error = %e, "registering with the sandbox banks failed")
                            }
                        }
                    }
                });
            }
        }
        Ok(server)
    }

    /// Stops serving and lets the requests and jobs in flight finish, all
    /// within the drain time; whatever is still running then is cut short,
    /// and its jobs run again on the next start once their lease lapses.
    pub async fn stop(self) {
        let deadline = tokio::time::Instant::now() + self.app.config.drain_timeout;
        let _ = self.shutdown.send(true);
        // The listener keeps its own deadline, the same drain time.
        let _ = self.task.await;
        if let Some(mtls) = &self.sandbox_mtls {
            mtls.abort();
        }
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

#[cfg(test)]
mod tests {
    use crate::services::{documents, retrieval, retrieval_job, revoke_at_institution};

    #[test]
    fn every_job_the_services_queue_is_registered_once() {
        let kinds: Vec<_> = super::jobs().kinds().collect();
        for kind in [
            retrieval_job::JOB_KIND,
            retrieval::AUTO_DELIVERY_JOB_KIND,
            revoke_at_institution::REVOKE_JOB_KIND,
            documents::JOB_KIND,
        ] {
            assert_eq!(kinds.iter().filter(|k| **k == kind).count(), 1, "{kind}");
        }
    }

    /// Each connection it accepts sends at once: with Nagle's algorithm on, the
    /// tail of an answer larger than a segment waited ~40 ms for a delayed ACK.
    #[tokio::test]
    async fn connections_accepted_by_a_listener_without_delay_send_at_once() {
        let listener =
            super::listen_without_delay("127.0.0.1:0".parse().expect("addr")).expect("listens");
        let addr = listener.local_addr().expect("bound");
        let _client = tokio::net::TcpStream::connect(addr)
            .await
            .expect("connects");
        let (accepted, _) = listener.accept().await.expect("accepts");
        assert!(accepted.nodelay().expect("reads the option"));
        // A plain listener's connections do not: the option is what differs.
        let plain = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("listens");
        let _client = tokio::net::TcpStream::connect(plain.local_addr().expect("bound"))
            .await
            .expect("connects");
        let (accepted, _) = plain.accept().await.expect("accepts");
        assert!(!accepted.nodelay().expect("reads the option"));
    }
}
