//! Connections at the edge: how long a client may take to send its headers
//! and its whole request, and how a stop drains what is in flight.
//!
//! `axum::serve` sets no header read timeout and waits for every connection
//! on shutdown, so one stalled client could hold a worker forever and a
//! SIGTERM indefinitely. hyper's own connection builder does both here.

use super::failure::{Failure, FailureKind};
use axum::extract::{ConnectInfo, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::StatusCode;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;
use hyper_util::rt::{TokioIo, TokioTimer};
use hyper_util::server::graceful::GracefulShutdown;
use hyper_util::service::TowerToHyperService;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::time::Duration;
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinSet;
use tower::Service;

/// Serves `router` until `stop` turns true, then lets open connections finish
/// what they are doing for at most `drain` and closes whatever is left.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    mut stop: watch::Receiver<bool>,
    header_timeout: Duration,
    drain: Duration,
) {
    let graceful = GracefulShutdown::new();
    let mut connections = JoinSet::new();
    let mut make = router.into_make_service_with_connect_info::<SocketAddr>();
    let stopped = async move {
        let _ = stop.wait_for(|s| *s).await;
    };
    tokio::pin!(stopped);
    loop {
        tokio::select! {
            _ = &mut stopped => break,
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(accepted) => accepted,
                    Err(e) => {
                        // Out of file descriptors, say: give the others time to close.
                        tracing::warn!(error = %e, "accept failed");
                        tokio::time::sleep(Duration::from_millis(100)).await;
                        continue;
                    }
                };
                // Answers go out whole at once: with Nagle's algorithm the tail
                // of one larger than a segment waits for the client's delayed
                // ACK (about 40 ms). A socket that refuses is served as it is.
                let _ = stream.set_nodelay(true);
                let service = match make.call(peer).await {
                    Ok(service) => service,
                    Err(never) => match never {},
                };
                let mut builder = hyper::server::conn::http1::Builder::new();
                builder
                    .timer(TokioTimer::new())
                    .header_read_timeout(header_timeout);
                // No upgrades: Ponte serves no WebSocket.
                let connection = builder
                    .serve_connection(TokioIo::new(stream), TowerToHyperService::new(service));
                let connection = graceful.watch(connection);
                connections.spawn(async move {
                    // A client that hangs up or times out is no error of ours.
                    if let Err(e) = connection.await {
                        tracing::debug!(error = %e, "connection ended");
                    }
                });
            }
        }
    }
    drop(listener);
    if tokio::time::timeout(drain, graceful.shutdown())
        .await
        .is_err()
    {
        tracing::warn!(
            open = connections.len(),
            "connections still busy after the drain time: closing them"
        );
    }
    connections.abort_all();
    while connections.join_next().await.is_some() {}
}

/// Ends a request that takes longer than the configured time (a slow body
/// upload or a stuck handler) with a 408 in the dialect's shape.
pub async fn request_deadline(State(limit): State<Duration>, req: Request, next: Next) -> Response {
    match tokio::time::timeout(limit, next.run(req)).await {
        Ok(resp) => resp,
        Err(_) => Failure::new(
            FailureKind::Other(StatusCode::REQUEST_TIMEOUT),
            format!(
                "the request did not complete within {}; send it again",
                spoken(limit)
            ),
        )
        .into_response(),
    }
}

fn spoken(d: Duration) -> String {
    if d.subsec_millis() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// The address the request came from, when the server knows it (the real
/// listener always does; a router driven without one in a unit test does not).
/// Behind a proxy listed in `PONTE_TRUSTED_PROXIES` it is the rightmost
/// `X-Forwarded-For` hop that is not itself a trusted proxy; from anyone
/// else the header is ignored (a client could write any address in it).
#[derive(Debug, Clone, Copy)]
pub struct Peer(pub Option<IpAddr>);

impl<S: Send + Sync> FromRequestParts<S> for Peer
where
    crate::App: axum::extract::FromRef<S>,
{
    type Rejection = Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Infallible> {
        let socket = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip());
        let app = <crate::App as axum::extract::FromRef<S>>::from_ref(state);
        Ok(Peer(socket.map(|ip| {
            client_address(ip, &parts.headers, &app.config.trusted_proxies)
        })))
    }
}

/// The client's address as `peer`'s `X-Forwarded-For` tells it, when `peer`
/// is a trusted proxy; `peer` otherwise, or when the header is unreadable.
pub fn client_address(
    peer: IpAddr,
    headers: &axum::http::HeaderMap,
    trusted: &[ipnet::IpNet],
) -> IpAddr {
    let is_trusted = |ip: &IpAddr| trusted.iter().any(|net| net.contains(ip));
    if !is_trusted(&peer) {
        return peer;
    }
    let mut hops = Vec::new();
    for value in headers.get_all("x-forwarded-for") {
        let Ok(text) = value.to_str() else {
            return peer;
        };
        for hop in text.split(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => hops.push(ip),
                Err(_) => return peer,
            }
        }
    }
    // From the right: each trusted proxy vouches for the hop before it.
    let mut client = peer;
    for hop in hops.into_iter().rev() {
        client = hop;
        if !is_trusted(&hop) {
            break;
        }
    }
    client
}

#[cfg(test)]
mod tests {
    use super::client_address;
    use axum::http::HeaderMap;
    use std::net::IpAddr;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn xff(values: &[&str]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for v in values {
            h.append("x-forwarded-for", v.parse().unwrap());
        }
        h
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let trusted = vec!["10.0.0.0/8".parse().unwrap()];
        let h = xff(&["198.51.100.9, 203.0.113.5, 10.1.2.3"]);
        // From the proxy: the rightmost hop it does not trust.
        assert_eq!(
            client_address(ip("10.0.0.1"), &h, &trusted),
            ip("203.0.113.5")
        );
        // From anyone else the header is the caller's own words.
        assert_eq!(
            client_address(ip("192.0.2.1"), &h, &trusted),
            ip("192.0.2.1")
        );
        assert_eq!(client_address(ip("10.0.0.1"), &h, &[]), ip("10.0.0.1"));
        // Several headers are one list; garbage means the proxy's own address.
        let h = xff(&["198.51.100.9", "203.0.113.7"]);
        assert_eq!(
            client_address(ip("10.0.0.1"), &h, &trusted),
            ip("203.0.113.7")
        );
        let h = xff(&["not-an-ip, 203.0.113.7"]);
        assert_eq!(client_address(ip("10.0.0.1"), &h, &trusted), ip("10.0.0.1"));
        assert_eq!(
            client_address(ip("10.0.0.1"), &xff(&[]), &trusted),
            ip("10.0.0.1")
        );
    }
}
