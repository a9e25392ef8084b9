//! Dynamic registration when `ponte serve` starts: once it listens, every
//! `registration = "dynamic"` entry (in sandbox mode, the sandbox banks) is
//! registered where it is not yet, and a registration that no longer fits
//! this node (its callback moved, the signing key rotated) is updated with
//! RFC 7592. A registration that fits is reused without a network call, so
//! a restart costs nothing here.
//!
//! Nodes starting together on one database register one at a time: each
//! holds the entries' rows for its transaction (the database is the
//! arbiter), and a node that waited finds the registrations made.

use crate::config::institutions::InstitutionEntry;
use crate::services::directory::CALLBACK_PATH;
use crate::services::registrations::{self, at_institution, row_of, software_statement, stored};
use crate::App;
use ponte_connect::{ConnectError, Registration};
use std::collections::HashMap;
use std::time::Instant;

/// What an entry needs at this start.
enum Plan {
    Reuse(Registration),
    Register,
    Update(Registration),
}

/// The outcome of one entry's registration, for the directory and the log.
struct Done {
    code: String,
    result: Result<(Registration, bool), String>,
}

/// Registers or updates what needs it, then gives the directory the client
/// ids. An institution that cannot be registered stays in outage, its error
/// recorded for `ponte institutions show`; the answer is how many sandbox
/// banks failed (this process's own: the caller tries them again, since a
/// node that cannot reach its own `PONTE_PUBLIC_URL` yet, behind a proxy
/// still starting, may later).
pub async fn register_at_start(app: &App) -> anyhow::Result<usize> {
    let mut entries: Vec<InstitutionEntry> = registrations::dynamic_entries(app)
        .into_iter()
        .cloned()
        .collect();
    if entries.is_empty() {
        return Ok(0);
    }
    entries.sort_by(|a, b| a.code.cmp(&b.code));
    let started = Instant::now();
    let now = app.clock.now_ms();
    let mut tx = app.store.begin().await?;
    let mut plans = Vec::with_capacity(entries.len());
    for entry in &entries {
        ponte_store::lock_registration(&mut tx, &entry.code, now).await?;
        let row = ponte_store::registration(&mut tx, &entry.code).await?;
        let previous = match &row {
            Some(row) => stored(app, row)?,
            None => None,
        };
        let kid = row.as_ref().and_then(|r| r.signing_kid.as_deref());
        plans.push(plan(app, entry, previous, kid));
    }
    let work: Vec<(InstitutionEntry, Option<Registration>)> = entries
        .iter()
        .zip(&plans)
        .filter_map(|(e, p)| match p {
            Plan::Reuse(_) => None,
            Plan::Register => Some((e.clone(), None)),
            Plan::Update(reg) => Some((e.clone(), Some(reg.clone()))),
        })
        .collect();
    let done = run(app, work).await;
    let mut failed_sandbox = Vec::new();
    let (mut made, mut failed) = (0, 0);
    for d in &done {
        let entry = entries.iter().find(|e| e.code == d.code);
        match (&d.result, entry) {
            (Ok((reg, _)), Some(entry)) => {
                let kid = entry
                    .fapi
                    .as_ref()
                    .map(|f| f.profile.signing_kid().to_string());
                let row = row_of(app, &d.code, reg, kid.as_deref().unwrap_or(""), now);
                ponte_store::save_registration(&mut tx, &row).await?;
                made += 1;
            }
            (Err(why), entry) => {
                ponte_store::record_registration_error(&mut tx, &d.code, why, now).await?;
                tracing::error!(code = %d.code, error = %why, "registration at the institution failed; it stays in outage");
                failed += 1;
                if entry.is_some_and(|e| is_sandbox_bank(app, e)) {
                    failed_sandbox.push(format!("{}: {why}", d.code));
                }
            }
            (Ok(_), None) => {}
        }
    }
    tx.commit().await?;
    // A registration whose update failed stays usable until the
    // institution says otherwise: it is kept, as the database keeps it.
    let mut registered: HashMap<&str, String> = HashMap::new();
    for (entry, plan) in entries.iter().zip(&plans) {
        if let Plan::Reuse(reg) | Plan::Update(reg) = plan {
            registered.insert(&entry.code, reg.client_id.clone());
        }
    }
    for d in &done {
        if let Ok((reg, _)) = &d.result {
            registered.insert(&d.code, reg.client_id.clone());
        }
    }
    for entry in &entries {
        if let Some(client_id) = registered.get(entry.code.as_str()) {
            app.directory
                .set_registered(&entry.code, client_id, entry.outage);
        }
    }
    tracing::info!(
        reused = entries.len() - done.len(),
        registered_or_updated = made,
        failed,
        elapsed_ms = started.elapsed().as_millis() as u64,
        "dynamic registrations ready"
    );
    if !failed_sandbox.is_empty() {
        tracing::warn!(
            failed = failed_sandbox.len(),
            errors = %failed_sandbox.join("; "),
            "the sandbox banks could not register Ponte (is PONTE_PUBLIC_URL reachable from this node?); they stay in outage and are tried again every 30 s"
        );
    }
    Ok(failed_sandbox.len())
}

fn is_sandbox_bank(app: &App, entry: &InstitutionEntry) -> bool {
    app.sandbox
        .as_ref()
        .is_some_and(|s| s.banks.iter().any(|b| b.code == entry.code))
        && !app.config.institutions.iter().any(|e| e.code == entry.code)
}

fn plan(
    app: &App,
    entry: &InstitutionEntry,
    previous: Option<Registration>,
    registered_kid: Option<&str>,
) -> Plan {
    let Some(mut reg) = previous else {
        return Plan::Register;
    };
    if is_sandbox_bank(app, entry) {
        // The sandbox bank's management endpoint is on this node's mTLS
        // listener, whose port may differ from the one that registered.
        if let Some(runtime) = &app.sandbox {
            reg.registration_client_uri = format!(
                "{}/{}/register/{}",
                runtime.mtls_base_url, entry.code, reg.client_id
            );
        }
    }
    let callback = format!("{}{CALLBACK_PATH}", app.public_url);
    let has_callback = reg.metadata["redirect_uris"]
        .as_array()
        .is_some_and(|uris| uris.iter().any(|u| u == callback.as_str()));
    let kid = entry.fapi.as_ref().map(|f| f.profile.signing_kid());
    if has_callback && kid == registered_kid {
        Plan::Reuse(reg)
    } else {
        Plan::Update(reg)
    }
}

/// Runs the registrations side by side, one software statement per
/// directory and software (a bank takes each statement once; another bank
/// takes the same one).
async fn run(app: &App, work: Vec<(InstitutionEntry, Option<Registration>)>) -> Vec<Done> {
    let mut statements: HashMap<(String, String, String), Result<String, String>> = HashMap::new();
    let mut tasks = tokio::task::JoinSet::new();
    for (entry, previous) in work {
        let Some(dynamic) = entry.registration.clone() else {
            continue;
        };
        let key = (dynamic.directory_url, dynamic.org_id, dynamic.software_id);
        let ssa = match statements.get(&key) {
            Some(ssa) => ssa.clone(),
            None => {
                let ssa = software_statement(&entry)
                    .await
                    .map_err(|e| format!("the directory's software statement: {e}"));
                statements.insert(key, ssa.clone());
                ssa
            }
        };
        let app = app.clone();
        tasks.spawn(async move {
            let result = match ssa {
                Ok(ssa) => register_one(&app, &entry, &ssa, previous).await,
                Err(e) => Err(e),
            };
            Done {
                code: entry.code,
                result,
            }
        });
    }
    let mut done = Vec::new();
    while let Some(joined) = tasks.join_next().await {
        match joined {
            Ok(d) => done.push(d),
            Err(e) => tracing::error!(error = %e, "a registration task ended abnormally"),
        }
    }
    done
}

/// Registers, or updates `previous`; an institution that no longer knows
/// the client (its registration store was lost) gets a new registration.
/// The flag says whether the registration is new.
async fn register_one(
    app: &App,
    entry: &InstitutionEntry,
    ssa: &str,
    previous: Option<Registration>,
) -> Result<(Registration, bool), String> {
    let Some(previous) = previous else {
        return at_institution(app, entry, ssa, None)
            .await
            .map(|r| (r, true))
            .map_err(|e| e.to_string());
    };
    match at_institution(app, entry, ssa, Some(&previous)).await {
        Ok(reg) => Ok((reg, false)),
        Err(ConnectError::Refused(why)) => {
            tracing::warn!(code = %entry.code, client_id = %previous.client_id, reason = %why, "the institution refused the stored registration; registering again");
            at_institution(app, entry, ssa, None)
                .await
                .map(|r| (r, true))
                .map_err(|e| e.to_string())
        }
        Err(e) => Err(e.to_string()),
    }
}
