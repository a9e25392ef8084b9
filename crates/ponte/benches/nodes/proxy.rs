//! The load balancer in front of the nodes: a round-robin TCP proxy. Each
//! connection goes to the next node; a node that refuses the connection (a
//! dead one) is skipped for the next, as a load balancer's health check
//! would. The bench's client opens a connection per request, so requests,
//! not connections, are spread.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use tokio::net::{TcpListener, TcpStream};

/// Starts the proxy on a free loopback port; its address.
pub async fn start(nodes: Vec<SocketAddr>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("proxy port");
    let addr = listener.local_addr().expect("proxy address");
    let nodes = Arc::new(nodes);
    let next = Arc::new(AtomicUsize::new(0));
    tokio::spawn(async move {
        loop {
            let Ok((inbound, _)) = listener.accept().await else {
                continue;
            };
            let (nodes, next) = (nodes.clone(), next.clone());
            tokio::spawn(async move {
                let Some(mut outbound) = connect(&nodes, &next).await else {
                    return; // every node down: the client sees the connection closed
                };
                let mut inbound = inbound;
                let _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound).await;
            });
        }
    });
    addr
}

/// The next node in turn that takes the connection.
async fn connect(nodes: &[SocketAddr], next: &AtomicUsize) -> Option<TcpStream> {
    let first = next.fetch_add(1, Ordering::Relaxed);
    for i in 0..nodes.len() {
        let node = nodes[(first + i) % nodes.len()];
        if let Ok(stream) = TcpStream::connect(node).await {
            let _ = stream.set_nodelay(true);
            return Some(stream);
        }
    }
    None
}
