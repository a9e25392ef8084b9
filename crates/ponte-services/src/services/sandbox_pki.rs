//! Sandbox mode's Open Finance identity. Ponte reaches its sandbox banks
//! exactly as it reaches a real institution: FAPI-BR, with a transport
//! certificate from a directory CA, a PS256 signing key and an ID-token
//! encryption key, as an OFB participant gets from the real directory.
//!
//! Made on the first start and kept in the database (sealed, the setting
//! [`SETTING`]), so every node sharing it presents a certificate from the same
//! CA and signs with the same keys; each node writes the files to
//! `{data_dir}/sandbox-directory/`, where the sandbox directory reads them.
//! Only the mTLS listener's server certificate is each node's own, issued by
//! that CA at every start.

use crate::config::institutions::{leaf_not_after, public_jwks, FapiEntry};
use crate::crypto::{Crypto, Slot};
use ponte_connect::{FapiProfile, FapiSettings, Trust};
use ponte_sandbox::directory::{
    provision_sandbox_software, Issued, Provisioned, Software, TRANSPORT_CERT_FILE,
};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The database setting holding the sealed files.
pub const SETTING: &str = "sandbox_pki";
const FOLDER: &str = "sandbox-directory";
/// Ponte's own files (certificate and keys) inside the folder.
const SOFTWARE_FOLDER: &str = "ponte";

/// The sandbox directory's view of Ponte: an organisation and its software.
pub const ORG_ID: &str = "7f3b6c2e-0d4a-4e8b-9a61-5c2d8e1f4b07";
pub const SOFTWARE_ID: &str = "ponte-sandbox";
const ORG_NUMBER: &str = "11222333000181";

/// Everything sandbox mode needs to be, and to meet, an OFB participant.
pub struct SandboxPki {
    /// Ponte's profile at every sandbox bank (its mTLS client trusts the
    /// CA), with its public keys and certificate expiry.
    pub fapi: FapiEntry,
    /// The CA (PEM): it verifies Ponte's certificate at the banks' listener.
    pub ca_pem: String,
    /// This node's mTLS listener certificate and key.
    pub server: Issued,
    pub org_id: String,
    pub software_id: String,
    /// The sandbox directory (participants, JWKS, SSAs), served at
    /// [`DIRECTORY_PATH`]; the banks take its software statements for
    /// dynamic registration.
    pub directory: Arc<ponte_sandbox::Directory>,
}

/// Where `ponte serve` mounts the sandbox directory (its SSA route answers
/// over the mTLS listener only).
pub use crate::services::directory::SANDBOX_DIRECTORY_PATH as DIRECTORY_PATH;

impl std::fmt::Debug for SandboxPki {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SandboxPki")
            .field("org_id", &self.org_id)
            .field("software_id", &self.software_id)
            .finish_non_exhaustive()
    }
}

fn slot() -> Slot<'static> {
    Slot::new("settings", "value", SETTING)
}

/// Loads the sandbox identity from the database, making it on the first
/// start. `server_hosts` name this node's mTLS listener (IPs or DNS names).
pub async fn load(
    store: &ponte_store::Store,
    crypto: &Crypto,
    data_dir: &Path,
    public_url: &str,
    mtls_base_url: &str,
    server_hosts: Vec<String>,
) -> anyhow::Result<SandboxPki> {
    let dir = data_dir.join(FOLDER);
    let mut conn = store.read().await?;
    let stored = ponte_store::get_setting(&mut conn, SETTING).await?;
    drop(conn);
    let software = software(public_url);
    let files = match stored {
        Some(sealed) => Some(open_files(crypto, &sealed)?),
        None => None,
    };
    let made = {
        let (dir, software) = (dir.clone(), software.clone());
        tokio::task::spawn_blocking(move || materialise(&dir, files.as_ref(), software)).await??
    };
    if made.fresh {
        // First start: offer ours; when another node won the race, take its.
        let ours = crypto.seal_json(slot(), &made.files);
        let mut tx = store.begin().await?;
        let winner = ponte_store::init_setting(&mut tx, SETTING, &ours).await?;
        tx.commit().await?;
        if winner != ours {
            let files = open_files(crypto, &winner)?;
            let (dir2, software) = (dir.clone(), software.clone());
            let again =
                tokio::task::spawn_blocking(move || materialise(&dir2, Some(&files), software))
                    .await??;
            return finish(again, &dir, mtls_base_url, server_hosts).await;
        }
        tracing::info!(dir = %dir.display(), "sandbox Open Finance identity created (CA, transport certificate, PS256 and encryption keys)");
    }
    finish(made, &dir, mtls_base_url, server_hosts).await
}

/// When Ponte's sandbox transport certificate expires, from the database
/// (`None` before the first start in sandbox mode): for processes, such as
/// the CLI, that serve no sandbox bank.
pub async fn stored_certificate_not_after(
    store: &ponte_store::Store,
    crypto: &Crypto,
) -> anyhow::Result<Option<time::OffsetDateTime>> {
    let mut conn = store.read().await?;
    let Some(sealed) = ponte_store::get_setting(&mut conn, SETTING).await? else {
        return Ok(None);
    };
    let files = open_files(crypto, &sealed)?;
    let cert = files
        .get(&format!("{SOFTWARE_FOLDER}/{TRANSPORT_CERT_FILE}"))
        .ok_or_else(|| anyhow::anyhow!("the sandbox PKI holds no transport certificate"))?;
    leaf_not_after(cert)
        .map(Some)
        .map_err(|e| anyhow::anyhow!("the sandbox's transport certificate: {e}"))
}

fn open_files(crypto: &Crypto, sealed: &str) -> anyhow::Result<BTreeMap<String, String>> {
    crypto.open_json(slot(), sealed).map_err(|e| {
        anyhow::anyhow!("the sandbox PKI in the database does not open with this master key: {e}")
    })
}

/// Ponte's software at the sandbox directory, for a Ponte reached at
/// `public_url`: its JWKS and callback there.
pub fn software(public_url: &str) -> Software {
    let base = public_url.trim_end_matches('/');
    Software {
        org_id: ORG_ID.into(),
        org_name: "Ponte Sandbox Ltda".into(),
        org_number: ORG_NUMBER.into(),
        software_id: SOFTWARE_ID.into(),
        client_name: "Ponte".into(),
        jwks_uri: format!("{base}{}", crate::services::directory::JWKS_PATH),
        redirect_uris: vec![format!(
            "{base}{}",
            crate::services::directory::CALLBACK_PATH
        )],
        roles: vec!["DADOS".into()],
    }
}

struct Made {
    provisioned: Provisioned,
    directory: ponte_sandbox::Directory,
    files: BTreeMap<String, String>,
    /// Made here, not read from the database.
    fresh: bool,
}

/// Writes `files` (from the database) into `dir`, or makes them there, then
/// provisions Ponte's software from them. Blocking.
fn materialise(
    dir: &Path,
    files: Option<&BTreeMap<String, String>>,
    software: Software,
) -> anyhow::Result<Made> {
    // A process makes its synthetic identity once: a test binary starting
    // hundreds of servers, each on a fresh database, pays the RSA key
    // generation (five keys) only the first time.
    static MADE_HERE: std::sync::Mutex<Option<BTreeMap<String, String>>> =
        std::sync::Mutex::new(None);
    let reused = match files {
        Some(_) => None,
        None => MADE_HERE.lock().map(|m| m.clone()).unwrap_or(None),
    };
    if let Some(files) = files.or(reused.as_ref()) {
        write_files(dir, files)?;
    }
    let origin = origin(&software.jwks_uri);
    let directory = ponte_sandbox::Directory::load_or_create(
        dir,
        &format!("{origin}{DIRECTORY_PATH}"),
        &format!("{origin}/sandbox/banks"),
    )?;
    let provisioned = provision_sandbox_software(&dir.join(SOFTWARE_FOLDER), &directory, software)?;
    let made = read_files(dir)?;
    if files.is_none() {
        if let Ok(mut m) = MADE_HERE.lock() {
            m.get_or_insert_with(|| made.clone());
        }
    }
    Ok(Made {
        files: made,
        fresh: files.is_none(),
        provisioned,
        directory,
    })
}

fn origin(url: &str) -> String {
    url::Url::parse(url)
        .map(|u| u.origin().ascii_serialization())
        .unwrap_or_else(|_| url.to_string())
}

/// The folder's files, one level of subfolders deep, by relative path.
fn read_files(dir: &Path) -> anyhow::Result<BTreeMap<String, String>> {
    let mut out = BTreeMap::new();
    for (prefix, folder) in [
        ("", dir.to_path_buf()),
        ("ponte/", dir.join(SOFTWARE_FOLDER)),
    ] {
        for entry in std::fs::read_dir(&folder)? {
            let entry = entry?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if entry.file_type()?.is_file() && !name.starts_with('.') && !name.ends_with(".tmp") {
                out.insert(
                    format!("{prefix}{name}"),
                    std::fs::read_to_string(entry.path())?,
                );
            }
        }
    }
    Ok(out)
}

fn write_files(dir: &Path, files: &BTreeMap<String, String>) -> anyhow::Result<()> {
    use ponte_sandbox::directory::{ensure_dir, write_private};
    for (name, text) in files {
        if name.contains("..") || name.starts_with('/') {
            anyhow::bail!("the sandbox PKI names an unsafe path {name:?}");
        }
        let path: PathBuf = dir.join(name);
        if let Some(parent) = path.parent() {
            ensure_dir(parent)?;
        }
        write_private(&path, text.as_bytes())?;
    }
    Ok(())
}

/// This node's listener certificate for `hosts`, from the CA; kept for the
/// process (same CA and hosts), for the reason `materialise` keeps its files.
fn server_certificate(dir: &Path, ca_pem: &str, hosts: Vec<String>) -> anyhow::Result<Issued> {
    type Key = (String, Vec<String>);
    static ISSUED: std::sync::Mutex<Vec<(Key, Issued)>> = std::sync::Mutex::new(Vec::new());
    let key = (ca_pem.to_string(), hosts);
    if let Some(found) = ISSUED
        .lock()
        .ok()
        .and_then(|l| l.iter().find(|(k, _)| *k == key).map(|(_, i)| i.clone()))
    {
        return Ok(found);
    }
    let ca = ponte_sandbox::directory::TestCa::load_or_create(dir)?;
    let hosts: Vec<&str> = key.1.iter().map(String::as_str).collect();
    let issued = ca.issue_server(&hosts)?;
    if let Ok(mut l) = ISSUED.lock() {
        l.push((key, issued.clone()));
    }
    Ok(issued)
}

/// Builds Ponte's profile from the provisioned files and issues this node's
/// listener certificate.
async fn finish(
    made: Made,
    dir: &Path,
    mtls_base_url: &str,
    server_hosts: Vec<String>,
) -> anyhow::Result<SandboxPki> {
    let dir = dir.to_path_buf();
    let mtls_base_url = mtls_base_url.to_string();
    tokio::task::spawn_blocking(move || {
        let p = made.provisioned;
        // The participants list names the banks' APIs where they are: mTLS.
        let directory = made.directory.with_resources_base_url(&mtls_base_url)?;
        let read = |path: &Path| std::fs::read_to_string(path);
        let signing_key_pem = read(&p.signing_key_path)?;
        let encryption_key_pem = read(&p.encryption_key_path)?;
        let ca_pem = read(&p.ca_path)?;
        let settings = FapiSettings {
            signing_key_pem: signing_key_pem.clone(),
            signing_kid: p.signing_kid.clone(),
            transport_cert_pem: read(&p.transport_cert_path)?,
            transport_key_pem: read(&p.transport_key_path)?,
            trust_anchors_pem: Some(ca_pem.clone()),
            trust: Trust::Bundle,
            id_token_decryption_key_pem: Some(encryption_key_pem.clone()),
            // The sandbox banks show who the end user shares with.
            send_recipient_name: true,
            ..Default::default()
        };
        let profile = FapiProfile::build(&settings)
            .map_err(|e| anyhow::anyhow!("the sandbox's FAPI profile: {e}"))?;
        let keys = public_jwks(&signing_key_pem, &p.signing_kid, &encryption_key_pem)
            .map_err(|(field, e)| anyhow::anyhow!("the sandbox's {field}: {e}"))?;
        let not_after = leaf_not_after(&settings.transport_cert_pem)
            .map_err(|e| anyhow::anyhow!("the sandbox's transport certificate: {e}"))?;
        let server = server_certificate(&dir, &ca_pem, server_hosts)?;
        Ok(SandboxPki {
            fapi: FapiEntry::new(Arc::new(profile), keys, not_after),
            ca_pem,
            server,
            org_id: p.software.org_id.clone(),
            software_id: p.software.software_id.clone(),
            directory: Arc::new(directory),
        })
    })
    .await?
}
