//! Mutual TLS for the sandbox banks (RFC 8705): the same router served over TLS, asking
//! every client for a certificate chained to the configured CA, and handing the peer's
//! leaf certificate to the handlers. The handshake accepts a client without a certificate
//! so that the endpoints, not the TLS layer, refuse it with an error a developer can read.

use std::sync::Arc;

use axum::extract::Request;
use axum::middleware::Next;
use axum::response::Response;
use axum::Router;
use hyper_util::rt::{TokioExecutor, TokioIo};
use hyper_util::server::conn::auto;
use hyper_util::service::TowerToHyperService;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use rustls::server::WebPkiClientVerifier;
use rustls::{RootCertStore, ServerConfig};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;

const HANDSHAKE_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// The TLS client certificate (leaf, DER) of the connection a request came on. Only the
/// mTLS listener inserts it, so its presence means rustls verified the chain.
#[derive(Clone, Debug)]
pub struct ClientCertificate(pub Vec<u8>);

/// What [`serve_mtls`] needs, all PEM.
pub struct MtlsServerConfig {
    /// The server's certificate chain (leaf first).
    pub cert_chain_pem: String,
    pub key_pem: String,
    /// The CA(s) client certificates must chain to (the directory's CA).
    pub client_ca_pem: String,
}

fn server_config(c: &MtlsServerConfig) -> anyhow::Result<ServerConfig> {
    let chain: Vec<CertificateDer<'static>> =
        CertificateDer::pem_slice_iter(c.cert_chain_pem.as_bytes())
            .collect::<Result<_, _>>()
            .map_err(|e| anyhow::anyhow!("MtlsServerConfig.cert_chain_pem: {e}"))?;
    if chain.is_empty() {
        anyhow::bail!("MtlsServerConfig.cert_chain_pem holds no certificate");
    }
    let key = PrivateKeyDer::from_pem_slice(c.key_pem.as_bytes())
        .map_err(|e| anyhow::anyhow!("MtlsServerConfig.key_pem: {e}"))?;
    let mut roots = RootCertStore::empty();
    for ca in CertificateDer::pem_slice_iter(c.client_ca_pem.as_bytes()) {
        let ca = ca.map_err(|e| anyhow::anyhow!("MtlsServerConfig.client_ca_pem: {e}"))?;
        roots
            .add(ca)
            .map_err(|e| anyhow::anyhow!("MtlsServerConfig.client_ca_pem: {e}"))?;
    }
    if roots.is_empty() {
        anyhow::bail!("MtlsServerConfig.client_ca_pem holds no certificate");
    }
    // Named, not the process-wide default provider, which whoever embeds the
    // sandbox may not have installed.
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let verifier = WebPkiClientVerifier::builder_with_provider(Arc::new(roots), provider.clone())
        .allow_unauthenticated()
        .build()
        .map_err(|e| anyhow::anyhow!("MtlsServerConfig.client_ca_pem: {e}"))?;
    let mut config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()?
        .with_client_cert_verifier(verifier)
        .with_single_cert(chain, key)
        .map_err(|e| anyhow::anyhow!("MtlsServerConfig.key_pem: {e}"))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}

/// Serves `router` over mutual TLS on `listener` until the task is dropped. A failed
/// handshake only ends that connection.
pub async fn serve_mtls(
    listener: TcpListener,
    router: Router,
    config: MtlsServerConfig,
) -> anyhow::Result<()> {
    let acceptor = TlsAcceptor::from(Arc::new(server_config(&config)?));
    loop {
        let (tcp, _) = match listener.accept().await {
            Ok(c) => c,
            Err(e) => {
                tracing::warn!(error = %e, "mtls accept failed");
                continue;
            }
        };
        let acceptor = acceptor.clone();
        let router = router.clone();
        tokio::spawn(async move {
            // A client that never finishes its handshake must not hold a task forever.
            let tls = match tokio::time::timeout(HANDSHAKE_TIMEOUT, acceptor.accept(tcp)).await {
                Ok(Ok(t)) => t,
                Ok(Err(e)) => {
                    tracing::debug!(error = %e, "mtls handshake failed");
                    return;
                }
                Err(_) => {
                    tracing::debug!("mtls handshake timed out");
                    return;
                }
            };
            let cert = tls
                .get_ref()
                .1
                .peer_certificates()
                .and_then(|c| c.first())
                .map(|c| ClientCertificate(c.as_ref().to_vec()));
            let svc = tower::service_fn(move |mut req: hyper::Request<hyper::body::Incoming>| {
                // Always reset: a forged extension cannot arrive over the wire, but make
                // the rule explicit.
                req.extensions_mut().remove::<ClientCertificate>();
                if let Some(c) = &cert {
                    req.extensions_mut().insert(c.clone());
                }
                let mut router = router.clone();
                async move {
                    use tower::Service;
                    router.call(req.map(axum::body::Body::new)).await
                }
            });
            let _ = auto::Builder::new(TokioExecutor::new())
                .serve_connection(TokioIo::new(tls), TowerToHyperService::new(svc))
                .await;
        });
    }
}

tokio::task_local! {
    static CURRENT: Option<ClientCertificate>;
}

/// Middleware making the request's certificate available to [`current`] for the rest of
/// the request, so handlers deep in the data APIs need no extra parameter.
pub async fn expose_certificate(req: Request, next: Next) -> Response {
    let cert = req.extensions().get::<ClientCertificate>().cloned();
    CURRENT.scope(cert, next.run(req)).await
}

/// The client certificate of the request being handled, if it came over mTLS with one.
pub fn current() -> Option<ClientCertificate> {
    CURRENT.try_with(|c| c.clone()).ok().flatten()
}
