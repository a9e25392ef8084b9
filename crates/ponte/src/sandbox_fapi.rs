//! The standalone sandbox as an Open Finance Brasil ecosystem: its own
//! directory (CA, SSAs) under `<data dir>/sandbox-directory/`, Ponte enrolled
//! there as a software with its credentials written 0600, and a mutual-TLS
//! listener for the banks' token, PAR, registration, consents and data
//! endpoints and the directory's software statements. `ponte sandbox
//! directory --out-dir` copies Ponte's credentials out and writes the
//! institutions file that makes a separate Ponte register there.

use anyhow::{anyhow, Context};
use ponte_sandbox::directory::{
    provision_sandbox_software, write_private, Issued, TestCa, DIRECTORY_CA_FILE,
    ENCRYPTION_KEY_FILE, SOFTWARE_SIGNING_KEY_FILE, TRANSPORT_CERT_FILE, TRANSPORT_KEY_FILE,
};
use ponte_server::services::directory::CALLBACK_PATH;
use ponte_server::services::sandbox_pki;
use ponte_server::services::sandbox_toml::{sandbox_fapi_toml, FapiFiles};
use serde_json::json;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

const FOLDER: &str = "sandbox-directory";
const SOFTWARE_FOLDER: &str = "ponte";
/// What `ponte sandbox directory` needs from the running sandbox.
const MANIFEST: &str = "ponte.json";

/// The sandbox process's FAPI side, ready to serve.
pub struct Identity {
    /// `https://<mTLS address>`: banks at `{mtls_url}/{code}`, the directory
    /// at `{mtls_url}/directory`.
    pub mtls_url: String,
    pub directory: Arc<ponte_sandbox::Directory>,
    /// The mTLS listener's certificate, from the directory's CA.
    pub server: Issued,
    pub ca_pem: String,
}

/// Makes (first start) or loads the directory in `data_dir`, enrols Ponte
/// (reached at the origin of `redirect_uris`) and writes its credentials,
/// and issues the listener's certificate for `mtls_addr`.
pub async fn prepare(
    data_dir: &Path,
    public_url: &str,
    mtls_addr: SocketAddr,
    redirect_uris: &[String],
) -> anyhow::Result<Identity> {
    let ponte_url = redirect_uris
        .iter()
        .find_map(|u| u.strip_suffix(CALLBACK_PATH))
        .ok_or_else(|| {
            anyhow!("--redirect-uri: none ends with {CALLBACK_PATH}, so the directory cannot enrol Ponte's software")
        })?
        .to_string();
    let dir = data_dir.join(FOLDER);
    let public_url = public_url.to_string();
    let mtls_url = format!("https://{mtls_addr}");
    tokio::task::spawn_blocking(move || {
        let directory = ponte_sandbox::Directory::load_or_create(
            &dir,
            &format!("{public_url}/directory"),
            &public_url,
        )?
        .with_resources_base_url(&mtls_url)?;
        let mut software = sandbox_pki::software(&ponte_url);
        software.redirect_uris = vec![format!("{ponte_url}{CALLBACK_PATH}")];
        let p = provision_sandbox_software(&dir.join(SOFTWARE_FOLDER), &directory, software)?;
        let manifest = json!({
            "mtlsUrl": mtls_url, "orgId": p.software.org_id,
            "softwareId": p.software.software_id, "signingKid": p.signing_kid,
        });
        write_private(&dir.join(MANIFEST), manifest.to_string().as_bytes())?;
        let ca = TestCa::load_or_create(&dir)?;
        let ip = mtls_addr.ip().to_string();
        let server = ca.issue_server(&[ip.as_str(), "localhost"])?;
        let ca_pem = std::fs::read_to_string(&p.ca_path)?;
        Ok::<_, anyhow::Error>(Identity {
            mtls_url,
            directory: Arc::new(directory),
            server,
            ca_pem,
        })
    })
    .await?
    .with_context(|| format!("the sandbox directory in {}", data_dir.display()))
}

/// Copies Ponte's credentials from the sandbox's `data_dir` into `out_dir`
/// (0600) and writes `out_dir/institutions.toml` naming them; returns its path.
pub fn write_directory(
    base_url: &str,
    data_dir: &Path,
    out_dir: &Path,
    portal_client_id: &str,
    secret_env: &str,
) -> anyhow::Result<PathBuf> {
    let dir = data_dir.join(FOLDER);
    let manifest_path = dir.join(MANIFEST);
    let manifest: serde_json::Value = std::fs::read(&manifest_path)
        .ok()
        .and_then(|b| serde_json::from_slice(&b).ok())
        .ok_or_else(|| {
            anyhow!(
                "--data-dir: {} holds no sandbox directory; start `ponte sandbox serve --data-dir {}` first",
                data_dir.display(),
                data_dir.display()
            )
        })?;
    let field = |name: &str| {
        manifest[name]
            .as_str()
            .map(str::to_string)
            .ok_or_else(|| anyhow!("{}: {name} is missing", manifest_path.display()))
    };
    ponte_sandbox::directory::ensure_dir(out_dir)
        .with_context(|| format!("--out-dir {}", out_dir.display()))?;
    let out_dir = std::fs::canonicalize(out_dir)?;
    let copy = |name: &str| -> anyhow::Result<String> {
        let from = dir.join(SOFTWARE_FOLDER).join(name);
        let text = std::fs::read(&from).with_context(|| format!("{}", from.display()))?;
        let to = out_dir.join(name);
        write_private(&to, &text).with_context(|| format!("{}", to.display()))?;
        Ok(to.display().to_string())
    };
    let files = FapiFiles {
        signing_key: copy(SOFTWARE_SIGNING_KEY_FILE)?,
        signing_kid: field("signingKid")?,
        transport_certificate: copy(TRANSPORT_CERT_FILE)?,
        transport_key: copy(TRANSPORT_KEY_FILE)?,
        trust_anchors: copy(DIRECTORY_CA_FILE)?,
        id_token_decryption_key: copy(ENCRYPTION_KEY_FILE)?,
        org_id: field("orgId")?,
        software_id: field("softwareId")?,
    };
    let text = sandbox_fapi_toml(
        base_url,
        &field("mtlsUrl")?,
        &files,
        portal_client_id,
        secret_env,
    )?;
    let path = out_dir.join("institutions.toml");
    write_private(&path, text.as_bytes())?;
    Ok(path)
}
