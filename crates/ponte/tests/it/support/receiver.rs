//! The integrator's side of a test: webhook receivers on threads of their own.

use serde_json::Value;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

/// Serves `app` on 127.0.0.1 on a thread and runtime of its own, so the
/// test's blocking calls never stall it; returns its address.
pub fn serve_on_thread(app: axum::Router) -> SocketAddr {
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("receiver runtime");
        rt.block_on(async move {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
                .await
                .expect("bind receiver");
            tx.send(listener.local_addr().expect("addr"))
                .expect("report address");
            let _ = axum::serve(listener, app).await;
        });
    });
    rx.recv().expect("receiver address")
}

pub type Bodies = Arc<Mutex<Vec<Value>>>;

async fn note_body(
    axum::extract::State(bodies): axum::extract::State<Bodies>,
    body: axum::body::Bytes,
) -> axum::http::StatusCode {
    if let Ok(v) = serde_json::from_slice(&body) {
        bodies.lock().unwrap().push(v);
    }
    axum::http::StatusCode::OK
}

/// A receiver at `<url>` answering 200 to every POST and noting each JSON body.
pub fn recording_receiver() -> (String, Bodies) {
    let bodies = Bodies::default();
    let app = axum::Router::new()
        .route("/hook", axum::routing::post(note_body))
        .with_state(bodies.clone());
    (format!("http://{}/hook", serve_on_thread(app)), bodies)
}
