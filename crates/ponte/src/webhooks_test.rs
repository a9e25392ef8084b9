//! `ponte webhooks test`: the console's "send a test event", from the
//! command line. One signed `TEST` event, sent now, never in the delivery log.

use ponte_server::services::{clients, webhook_test};
use ponte_server::App;

#[derive(clap::Args)]
pub struct TestArgs {
    /// The client whose webhook secret signs the event.
    #[arg(long = "client-id", visible_alias = "client", value_name = "ID")]
    client: String,
    /// Where to send it; default: the client's event webhook URL.
    #[arg(long, value_name = "URL")]
    url: Option<String>,
    /// Print the result as one line of JSON.
    #[arg(long)]
    json: bool,
}

/// Prints what the receiver did; exits non-zero unless it answered 2xx, so
/// a script can tell a working receiver from a broken one.
pub async fn run(app: &App, args: TestArgs) -> anyhow::Result<()> {
    let client = clients::client_id(&args.client);
    let done = webhook_test::send(app, &client, args.url.as_deref())
        .await
        .map_err(|e| match e {
            ponte_server::Error::NotFound(_) => {
                anyhow::anyhow!("--client-id {}: no such client", args.client)
            }
            other => anyhow::anyhow!("{}", other.to_string().replacen("url:", "--url:", 1)),
        })?;
    if args.json {
        println!("{}", serde_json::to_string(&done)?);
    } else {
        println!(
            "event:      {} (webhook-id {})",
            done.event, done.webhook_id
        );
        println!("url:        {}", done.url);
        match (done.status_code, &done.error) {
            (Some(code), _) => println!("answer:     HTTP {code} in {} ms", done.latency_ms),
            (None, Some(e)) => println!("error:      {e} (after {} ms)", done.latency_ms),
            (None, None) => {}
        }
        if let Some(body) = done.response.as_deref().filter(|b| !b.is_empty()) {
            println!("body (1 KiB): {body}");
        }
    }
    if done.delivered {
        Ok(())
    } else {
        anyhow::bail!(
            "the receiver did not accept the test event ({})",
            done.status_code
                .map(|c| format!("HTTP {c}"))
                .or(done.error.clone())
                .unwrap_or_default()
        )
    }
}
