//! The sandbox directory of participants, like the Open Finance Brasil directory:
//! a test CA issuing transport certificates with the OFB subject fields (`pki`), the
//! enrolled softwares, a PS256 signing key publishing its JWKS, software statement
//! assertions (SSAs) and the participants list naming every sandbox bank (`routes`).
//!
//! Everything lives in one folder (`ca.pem`, `ca.key`, `directory.key`,
//! `softwares.json`, private files 0600), so the same directory, CA and SSA key survive
//! restarts and certificates issued yesterday still verify today. Loading and creating
//! are blocking (file I/O, RSA key generation): call them from `spawn_blocking` in async
//! code.

mod authority;
mod error;
mod files;
mod keys;
pub(crate) mod participants;
mod pki;
mod provision;
mod routes;
mod software;
mod subject;

pub use crate::tls::ClientCertificate;
pub use authority::{Directory, DirectoryTrust, SIGNING_KEY_FILE, SOFTWARES_FILE};
pub use error::DirectoryError;
/// Private files (0700 folders, 0600 files written through a rename): the
/// directory's own, and a host's copy of them.
pub use files::{ensure_dir, write_private};
pub use keys::rsa_thumbprint;
pub use participants::{bank_cnpj, bank_org_id};
pub use pki::{Issued, TestCa, BUSINESS_CATEGORY, CA_CERT_FILE, CA_KEY_FILE, ORG_ID_PREFIX};
pub use provision::{
    provision_sandbox_software, Provisioned, DIRECTORY_CA_FILE, ENCRYPTION_KEY_FILE,
    SIGNING_KEY_FILE as SOFTWARE_SIGNING_KEY_FILE, TRANSPORT_CERT_FILE, TRANSPORT_KEY_FILE,
};
pub use routes::router;
pub use software::Software;
pub use subject::{read_certificate, read_certificate_pem, CertificateSubject};
