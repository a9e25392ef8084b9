//! The sandbox directory: its CA and the certificates it issues, the participants list,
//! the JWKS and the software statements (SSAs) it signs, and what it keeps on disk.

use std::os::unix::fs::PermissionsExt;
use std::path::Path;
use std::sync::Arc;

use axum::body::Body;
use axum::http::{Request, StatusCode};
use ponte_sandbox::directory::{
    self, provision_sandbox_software, read_certificate, read_certificate_pem, ClientCertificate,
    Directory, Software, TestCa,
};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer, ServerName};
use serde_json::Value;
use tower::ServiceExt;

const BANKS: &str = "http://127.0.0.1:8080/sandbox/banks";
const ISSUER: &str = "http://127.0.0.1:8080/sandbox/banks/directory";

fn software(software_id: &str) -> Software {
    Software {
        org_id: "0f5e4b7a-3c1d-4a8e-9b2f-6d7c8e9fa0b1".into(),
        org_name: "Ponte Tecnologia Ltda".into(),
        org_number: "12345678000195".into(),
        software_id: software_id.into(),
        client_name: "Ponte".into(),
        jwks_uri: "https://ponte.example.com/.well-known/jwks.json".into(),
        redirect_uris: vec!["https://ponte.example.com/link/callback".into()],
        roles: vec!["DADOS".into()],
    }
}

fn open(dir: &Path) -> Directory {
    Directory::load_or_create(dir, ISSUER, BANKS).expect("directory opens")
}

fn der(pem: &str) -> Vec<u8> {
    CertificateDer::from_pem_slice(pem.as_bytes())
        .expect("PEM certificate")
        .to_vec()
}

async fn get(
    router: axum::Router,
    uri: &str,
    cert: Option<Vec<u8>>,
) -> (StatusCode, String, String) {
    let mut request = Request::builder().uri(uri);
    if let Some(der) = cert {
        request = request.extension(ClientCertificate(der));
    }
    let response = router
        .oneshot(request.body(Body::empty()).unwrap())
        .await
        .unwrap();
    let status = response.status();
    let content_type = response
        .headers()
        .get("content-type")
        .map(|v| v.to_str().unwrap().to_string())
        .unwrap_or_default();
    let body = axum::body::to_bytes(response.into_body(), usize::MAX)
        .await
        .unwrap();
    (
        status,
        content_type,
        String::from_utf8(body.to_vec()).unwrap(),
    )
}

fn ssa_path(s: &Software) -> String {
    format!(
        "/organisations/{}/softwarestatements/{}/assertion",
        s.org_id, s.software_id
    )
}

#[test]
fn transport_certificate_carries_the_ofb_subject_fields() {
    let tmp = tempfile::tempdir().unwrap();
    let ca = TestCa::load_or_create(tmp.path()).unwrap();
    let sw = software("ponte-sw-1");
    let issued = ca.issue_transport(&sw).unwrap();

    let subject = read_certificate_pem(&issued.cert_pem).unwrap();
    assert_eq!(subject.org_id, sw.org_id);
    assert_eq!(subject.software_id, "ponte-sw-1");
    assert_eq!(subject.cnpj, "12345678000195");
    assert_eq!(subject.common_name.as_deref(), Some("Ponte"));
    assert_eq!(subject.org_name.as_deref(), Some("Ponte Tecnologia Ltda"));
    assert_eq!(subject.not_after, issued.not_after);
    let days = (issued.not_after - time::OffsetDateTime::now_utc()).whole_days();
    assert!(
        (360..=366).contains(&days),
        "valid for a year, got {days} days"
    );

    // Each attribute under the OID of the OFB certificate standard.
    let der = der(&issued.cert_pem);
    let (_, cert) = x509_parser::parse_x509_certificate(&der).unwrap();
    let attr = |oid: &str| {
        cert.subject()
            .iter_attributes()
            .find(|a| a.attr_type().to_id_string() == oid)
            .and_then(|a| a.as_str().ok())
            .map(str::to_string)
    };
    assert_eq!(attr("2.5.4.5").as_deref(), Some("12345678000195"));
    assert_eq!(
        attr("2.5.4.97"),
        Some(format!("OFBBR-{}", sw.org_id)),
        "organizationIdentifier"
    );
    assert_eq!(
        attr("0.9.2342.19200300.100.1.1").as_deref(),
        Some("ponte-sw-1")
    );
    assert_eq!(attr("1.3.6.1.4.1.311.60.2.1.3").as_deref(), Some("BR"));
    assert_eq!(attr("2.5.4.15").as_deref(), Some("Private Organization"));
    assert_eq!(attr("2.5.4.10").as_deref(), Some("Ponte Tecnologia Ltda"));
    assert_eq!(attr("2.5.4.6").as_deref(), Some("BR"));
    assert_eq!(attr("2.5.4.3").as_deref(), Some("Ponte"));
    let eku = cert.extended_key_usage().unwrap().unwrap().value;
    assert!(eku.client_auth && !eku.server_auth);

    // The key handed out is the certificate's.
    assert!(issued.key_pem.starts_with("-----BEGIN PRIVATE KEY-----"));
    assert!(!format!("{issued:?}").contains("PRIVATE KEY"));
}

#[test]
fn a_certificate_without_the_ofb_fields_is_refused_by_name() {
    let tmp = tempfile::tempdir().unwrap();
    let ca = TestCa::load_or_create(tmp.path()).unwrap();
    let server = ca.issue_server(&["localhost"]).unwrap();
    let err = read_certificate_pem(&server.cert_pem)
        .unwrap_err()
        .to_string();
    assert!(err.contains("organizationIdentifier"), "{err}");
    assert!(read_certificate(b"not a certificate").is_err());
}

fn tls_configs(
    trusted_ca: &TestCa,
    server: &directory::Issued,
    client: &directory::Issued,
) -> (rustls::ServerConfig, rustls::ClientConfig) {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mut roots = rustls::RootCertStore::empty();
    roots
        .add(CertificateDer::from(trusted_ca.cert_der().to_vec()))
        .unwrap();
    let roots = Arc::new(roots);
    let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
        roots.clone(),
        provider.clone(),
    )
    .build()
    .unwrap();
    let server_config = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_client_cert_verifier(verifier)
        .with_single_cert(
            vec![CertificateDer::from(der(&server.cert_pem))],
            PrivateKeyDer::from_pem_slice(server.key_pem.as_bytes()).unwrap(),
        )
        .unwrap();
    let client_config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_root_certificates(roots)
        .with_client_auth_cert(
            vec![CertificateDer::from(der(&client.cert_pem))],
            PrivateKeyDer::from_pem_slice(client.key_pem.as_bytes()).unwrap(),
        )
        .unwrap();
    (server_config, client_config)
}

/// Runs a mutual TLS handshake; returns the client certificate the server saw.
async fn handshake(
    server_config: rustls::ServerConfig,
    client_config: rustls::ClientConfig,
    host: &str,
) -> Result<Vec<u8>, String> {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let (client_io, server_io) = tokio::io::duplex(64 * 1024);
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(server_config));
    let connector = tokio_rustls::TlsConnector::from(Arc::new(client_config));
    let name = ServerName::try_from(host.to_string()).unwrap();
    let server = tokio::spawn(async move {
        let mut stream = acceptor
            .accept(server_io)
            .await
            .map_err(|e| e.to_string())?;
        let mut buf = [0u8; 4];
        stream
            .read_exact(&mut buf)
            .await
            .map_err(|e| e.to_string())?;
        stream.write_all(b"pong").await.map_err(|e| e.to_string())?;
        stream.flush().await.map_err(|e| e.to_string())?;
        let peer = stream
            .get_ref()
            .1
            .peer_certificates()
            .map(|c| c[0].to_vec());
        peer.ok_or_else(|| "no client certificate".to_string())
    });
    let client = async {
        let mut stream = connector
            .connect(name, client_io)
            .await
            .map_err(|e| e.to_string())?;
        stream.write_all(b"ping").await.map_err(|e| e.to_string())?;
        stream.flush().await.map_err(|e| e.to_string())?;
        // Kept open until the server answers: it still has to write after the handshake.
        let mut buf = [0u8; 4];
        stream
            .read_exact(&mut buf)
            .await
            .map_err(|e| e.to_string())?;
        Ok::<_, String>(())
    };
    let client_result = client.await;
    let server_result = server.await.unwrap();
    // In TLS 1.3 the client finishes before the server has judged its certificate: the
    // server's verdict is the one that explains a failure.
    match (server_result, client_result) {
        (Ok(peer), Ok(())) => Ok(peer),
        (Err(server), Err(client)) => Err(format!("server: {server}; client: {client}")),
        (Err(e), _) => Err(format!("server: {e}")),
        (_, Err(e)) => Err(format!("client: {e}")),
    }
}

#[tokio::test]
async fn issued_certificates_chain_to_the_ca_in_a_mutual_tls_handshake() {
    let tmp = tempfile::tempdir().unwrap();
    let ca = TestCa::load_or_create(tmp.path()).unwrap();
    let server = ca.issue_server(&["localhost", "127.0.0.1"]).unwrap();
    let client = ca.issue_transport(&software("ponte-sw-1")).unwrap();

    for host in ["localhost", "127.0.0.1"] {
        let (s, c) = tls_configs(&ca, &server, &client);
        let peer = handshake(s, c, host).await.expect("handshake succeeds");
        assert_eq!(peer, der(&client.cert_pem));
        assert_eq!(read_certificate(&peer).unwrap().software_id, "ponte-sw-1");
    }

    // Trusting another CA, neither side accepts the other.
    let other_tmp = tempfile::tempdir().unwrap();
    let other = TestCa::load_or_create(other_tmp.path()).unwrap();
    let (s, c) = tls_configs(&other, &server, &client);
    let err = handshake(s, c, "localhost").await.unwrap_err();
    assert!(err.contains("UnknownIssuer"), "{err}");
    // A transport (clientAuth) certificate cannot serve TLS.
    let (s, c) = tls_configs(&ca, &client, &client);
    assert!(handshake(s, c, "ponte.example.com").await.is_err());
}

#[tokio::test]
async fn ssa_is_signed_ps256_with_the_published_jwks_and_carries_the_claims() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = Arc::new(open(tmp.path()));
    let sw = software("ponte-sw-1");
    dir.enrol(sw.clone()).unwrap();
    let cert = dir.ca().issue_transport(&sw).unwrap();
    let router = directory::router(dir.clone());

    let (status, content_type, jwt) =
        get(router.clone(), &ssa_path(&sw), Some(der(&cert.cert_pem))).await;
    assert_eq!(status, StatusCode::OK, "{jwt}");
    assert_eq!(content_type, "application/jwt");

    let (status, _, jwks) = get(router, "/jwks", None).await;
    assert_eq!(status, StatusCode::OK);
    let jwks: Value = serde_json::from_str(&jwks).unwrap();
    let key = &jwks["keys"][0];
    assert_eq!(key["kty"], "RSA");
    assert_eq!(key["alg"], "PS256");
    assert!(key.get("d").is_none(), "private part published");
    assert_eq!(dir.trust().jwks, jwks);
    assert_eq!(dir.trust().issuer, ISSUER);

    let header = jsonwebtoken::decode_header(&jwt).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::PS256);
    assert_eq!(header.kid.as_deref(), key["kid"].as_str());
    let n = key["n"].as_str().unwrap();
    let e = key["e"].as_str().unwrap();
    assert_eq!(
        key["kid"].as_str().unwrap(),
        directory::rsa_thumbprint(n, e)
    );
    let decoding = jsonwebtoken::DecodingKey::from_rsa_components(n, e).unwrap();
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::PS256);
    validation.set_required_spec_claims(&["iss", "iat"]);
    validation.validate_exp = false;
    validation.set_issuer(&[ISSUER]);
    let claims = jsonwebtoken::decode::<Value>(&jwt, &decoding, &validation)
        .expect("SSA verifies with the directory's JWKS")
        .claims;
    assert_eq!(claims["software_id"], "ponte-sw-1");
    assert_eq!(claims["software_client_id"], "ponte-sw-1");
    assert_eq!(claims["software_client_name"], "Ponte");
    assert_eq!(claims["software_jwks_uri"], sw.jwks_uri.as_str());
    assert_eq!(
        claims["software_redirect_uris"],
        serde_json::json!(sw.redirect_uris)
    );
    assert_eq!(claims["software_roles"], serde_json::json!(["DADOS"]));
    assert_eq!(claims["org_id"], sw.org_id.as_str());
    assert_eq!(claims["org_name"], "Ponte Tecnologia Ltda");
    assert_eq!(claims["org_number"], "12345678000195");
    let age = time::OffsetDateTime::now_utc().unix_timestamp() - claims["iat"].as_i64().unwrap();
    assert!((0..60).contains(&age), "iat is fresh: {age}s old");

    // A tampered SSA does not verify.
    let mut parts: Vec<String> = jwt.split('.').map(str::to_string).collect();
    parts[1] = parts[1].replacen('e', "f", 1);
    assert!(jsonwebtoken::decode::<Value>(&parts.join("."), &decoding, &validation).is_err());
}

#[tokio::test]
async fn the_ssa_route_needs_a_directory_certificate_naming_that_software() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = Arc::new(open(tmp.path()));
    let mine = software("ponte-sw-1");
    let theirs = software("other-sw");
    dir.enrol(mine.clone()).unwrap();
    dir.enrol(theirs.clone()).unwrap();
    let router = directory::router(dir.clone());
    let their_cert = dir.ca().issue_transport(&theirs).unwrap();

    let (status, content_type, body) = get(router.clone(), &ssa_path(&mine), None).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(content_type.starts_with("application/json"));
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["errors"][0]["code"], "UNAUTHORIZED");

    let (status, _, body) = get(
        router.clone(),
        &ssa_path(&mine),
        Some(der(&their_cert.cert_pem)),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(body.contains("other-sw"), "{body}");

    // The same subject, issued by a CA that is not the directory's.
    let other_tmp = tempfile::tempdir().unwrap();
    let forged = TestCa::load_or_create(other_tmp.path())
        .unwrap()
        .issue_transport(&mine)
        .unwrap();
    let (status, _, _) = get(
        router.clone(),
        &ssa_path(&mine),
        Some(der(&forged.cert_pem)),
    )
    .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);

    // A genuine certificate for a software the directory does not know.
    let stranger = software("unknown-sw");
    let cert = dir.ca().issue_transport(&stranger).unwrap();
    let (status, _, _) = get(
        router.clone(),
        &ssa_path(&stranger),
        Some(der(&cert.cert_pem)),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);

    let (status, _, _) = get(router, &ssa_path(&theirs), Some(der(&their_cert.cert_pem))).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn participants_name_every_sandbox_bank_and_its_discovery_document() {
    let tmp = tempfile::tempdir().unwrap();
    // The banks' APIs are reached over mTLS, on another listener than their discovery.
    let mtls = "https://127.0.0.1:8443/sandbox/banks";
    let dir = Arc::new(
        open(tmp.path())
            .with_resources_base_url(&format!("{mtls}/"))
            .unwrap(),
    );
    let (status, _, body) = get(directory::router(dir), "/participants", None).await;
    assert_eq!(status, StatusCode::OK);
    let orgs: Vec<Value> = serde_json::from_str(&body).unwrap();
    assert_eq!(orgs.len(), ponte_sandbox::banks().len());
    for bank in ponte_sandbox::banks() {
        let discovery = format!("{BANKS}/{}/.well-known/openid-configuration", bank.code);
        let org = orgs
            .iter()
            .find(|o| o["AuthorisationServers"][0]["OpenIDDiscoveryDocument"] == discovery.as_str())
            .unwrap_or_else(|| panic!("{} is not listed", bank.code));
        assert_eq!(org["OrganisationName"], bank.name);
        let cnpj = org["RegistrationNumber"].as_str().unwrap();
        assert!(cnpj.len() == 14 && cnpj.bytes().all(|b| b.is_ascii_digit()));
        let server = &org["AuthorisationServers"][0];
        assert_eq!(server["OrganisationId"], org["OrganisationId"]);
        let consents = server["ApiResources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["ApiFamilyType"] == "consents")
            .expect("every bank lists the consents API");
        assert_eq!(
            consents["ApiDiscoveryEndpoints"][0]["ApiEndpoint"],
            format!("{mtls}/{}/open-banking/consents/v3/consents", bank.code).as_str()
        );
    }
    let ids: std::collections::HashSet<_> = orgs
        .iter()
        .map(|o| o["OrganisationId"].to_string())
        .collect();
    assert_eq!(ids.len(), orgs.len(), "organisation ids are distinct");
}

#[test]
fn load_or_create_keeps_the_same_ca_key_and_softwares_across_restarts() {
    let tmp = tempfile::tempdir().unwrap();
    let first = open(tmp.path());
    first.enrol(software("ponte-sw-1")).unwrap();
    let issued = first.ca().issue_transport(&software("ponte-sw-1")).unwrap();
    let ca_pem = first.ca().cert_pem().to_string();
    let jwks = first.jwks();
    drop(first);

    let second = open(tmp.path());
    assert_eq!(second.ca().cert_pem(), ca_pem);
    assert_eq!(second.jwks(), jwks);
    assert!(second.ca().verify_issued(&der(&issued.cert_pem)).is_ok());
    assert_eq!(second.softwares(), vec![software("ponte-sw-1")]);
    assert!(second
        .software_statement(&software("ponte-sw-1").org_id, "ponte-sw-1")
        .is_ok());

    // A CA certificate whose key went missing is not silently replaced.
    std::fs::remove_file(tmp.path().join("ca.key")).unwrap();
    let err = Directory::load_or_create(tmp.path(), ISSUER, BANKS).unwrap_err();
    assert!(err.to_string().contains("ca.key"), "{err}");
}

#[test]
fn two_processes_creating_the_same_directory_end_up_with_one_ca_and_one_key() {
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(|| open(tmp.path()));
        let b = scope.spawn(|| open(tmp.path()));
        (a.join().unwrap(), b.join().unwrap())
    });
    assert_eq!(a.ca().cert_pem(), b.ca().cert_pem());
    assert_eq!(a.jwks(), b.jwks());
    assert_eq!(open(tmp.path()).jwks(), a.jwks());
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn private_files_are_readable_by_the_owner_only() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = open(&tmp.path().join("directory"));
    let provisioned =
        provision_sandbox_software(&tmp.path().join("ponte"), &dir, software("ponte-sw-1"))
            .unwrap();
    for path in [
        tmp.path().join("directory/ca.key"),
        tmp.path().join("directory/directory.key"),
        tmp.path().join("directory/softwares.json"),
        provisioned.transport_key_path.clone(),
        provisioned.transport_cert_path.clone(),
        provisioned.ca_path.clone(),
        provisioned.signing_key_path.clone(),
        provisioned.encryption_key_path.clone(),
    ] {
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600, "{}", path.display());
    }
}

#[test]
fn provisioning_enrols_the_software_and_keeps_its_certificate_across_restarts() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = open(&tmp.path().join("directory"));
    let ponte = tmp.path().join("ponte");
    let first = provision_sandbox_software(&ponte, &dir, software("ponte-sw-1")).unwrap();
    assert!(first.issued);
    assert!(dir
        .software(&software("ponte-sw-1").org_id, "ponte-sw-1")
        .is_some());
    let cert_pem = std::fs::read_to_string(&first.transport_cert_path).unwrap();
    let subject = read_certificate_pem(&cert_pem).unwrap();
    assert_eq!(subject.software_id, "ponte-sw-1");
    assert_eq!(subject.not_after, first.not_after);
    assert_eq!(
        std::fs::read_to_string(&first.ca_path).unwrap(),
        dir.ca().cert_pem()
    );
    assert_eq!(
        first.ssa_url,
        format!(
            "{ISSUER}/organisations/{}/softwarestatements/ponte-sw-1/assertion",
            software("ponte-sw-1").org_id
        )
    );
    let key_pem = std::fs::read_to_string(&first.transport_key_path).unwrap();
    assert!(PrivateKeyDer::from_pem_slice(key_pem.as_bytes()).is_ok());

    // Ponte's own keys: distinct, PKCS#8, with RFC 7638 kids.
    assert_ne!(first.signing_kid, first.encryption_kid);
    let signing_pem = std::fs::read_to_string(&first.signing_key_path).unwrap();
    let signing =
        <rsa::RsaPrivateKey as rsa::pkcs8::DecodePrivateKey>::from_pkcs8_pem(&signing_pem).unwrap();
    {
        use base64::Engine;
        use rsa::traits::PublicKeyParts;
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let n = b64.encode(signing.n().to_bytes_be());
        let e = b64.encode(signing.e().to_bytes_be());
        assert_eq!(first.signing_kid, directory::rsa_thumbprint(&n, &e));
    }

    let again = provision_sandbox_software(&ponte, &dir, software("ponte-sw-1")).unwrap();
    assert!(!again.issued);
    assert_eq!(again.signing_kid, first.signing_kid);
    assert_eq!(again.encryption_kid, first.encryption_kid);
    assert_eq!(
        std::fs::read_to_string(&again.transport_cert_path).unwrap(),
        cert_pem
    );

    // Another software id gets a certificate naming it.
    let renamed = provision_sandbox_software(&ponte, &dir, software("ponte-sw-2")).unwrap();
    assert!(renamed.issued);
    let pem = std::fs::read_to_string(&renamed.transport_cert_path).unwrap();
    assert_eq!(
        read_certificate_pem(&pem).unwrap().software_id,
        "ponte-sw-2"
    );
}

#[test]
fn enrolment_refuses_a_software_naming_the_bad_field() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = open(tmp.path());
    type Spoil = fn(&mut Software);
    let cases: [(&str, Spoil); 4] = [
        ("org_number", |s| s.org_number = "123".into()),
        ("org_id", |s| s.org_id = "a/b".into()),
        ("jwks_uri", |s| s.jwks_uri = "not a url".into()),
        ("redirect_uris", |s| s.redirect_uris.clear()),
    ];
    for (field, spoil) in cases {
        let mut sw = software("ponte-sw-1");
        spoil(&mut sw);
        let err = dir.enrol(sw).unwrap_err().to_string();
        assert!(err.contains(field), "{field}: {err}");
    }
    assert!(dir.softwares().is_empty());
}

#[test]
fn kids_are_rfc_7638_thumbprints() {
    // The example of RFC 7638 §3.1.
    let n = "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csFCur-kEgU8awapJzKnqDKgw";
    assert_eq!(
        directory::rsa_thumbprint(n, "AQAB"),
        "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"
    );
}
