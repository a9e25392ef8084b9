//! Keeps webhooks from reaching the operator's own network. Outside sandbox
//! mode a webhook target must be `https` and resolve only to public
//! addresses; the check runs in the HTTP client's resolver, so the address
//! checked is the address connected (DNS rebinding), and on literal IPs.

mod ranges;

pub use ranges::{forbidden, Refused, Special};
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, SocketAddr};

/// The configuration-time check of a webhook URL. `allow_private` is the
/// sandbox's (and `PONTE_ALLOW_PRIVATE_WEBHOOKS`') exemption. Resolving a
/// name is asynchronous (it never blocks a runtime thread); call it before
/// opening a write transaction, never inside one.
pub async fn check_url(url: &url::Url, allow_private: bool) -> Result<(), String> {
    if allow_private {
        return Ok(());
    }
    if url.scheme() != "https" {
        return Err("must use https".into());
    }
    let host = url.host_str().unwrap_or_default();
    let port = url.port_or_known_default().unwrap_or(443);
    let addrs: Vec<SocketAddr> = match url.host() {
        Some(url::Host::Ipv4(ip)) => vec![SocketAddr::new(ip.into(), port)],
        Some(url::Host::Ipv6(ip)) => vec![SocketAddr::new(ip.into(), port)],
        _ => tokio::net::lookup_host((host, port))
            .await
            .map_err(|e| format!("cannot resolve {host}: {e}"))?
            .collect(),
    };
    for a in addrs {
        if let Some(why) = forbidden(a.ip()) {
            return Err(format!("resolves to {}, in {why}", a.ip()));
        }
    }
    Ok(())
}

/// A resolver that refuses names resolving to any forbidden address.
pub struct PublicOnly;

impl Resolve for PublicOnly {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            if let Some(bad) = addrs
                .iter()
                .find_map(|a| forbidden(a.ip()).map(|why| (a.ip(), why)))
            {
                return Err(format!("{host} resolves to {}, in {}: refused", bad.0, bad.1).into());
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// Literal IPs skip the resolver: checked here before connecting.
pub fn check_literal(url: &str) -> Result<(), String> {
    let parsed = url::Url::parse(url).map_err(|e| e.to_string())?;
    let ip: Option<IpAddr> = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => Some(ip.into()),
        Some(url::Host::Ipv6(ip)) => Some(ip.into()),
        _ => None,
    };
    match ip.and_then(|ip| forbidden(ip).map(|why| (ip, why))) {
        Some((ip, why)) => Err(format!("{ip} is in {why}: refused")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn configuration_check() {
        let url = |s: &str| url::Url::parse(s).unwrap();
        assert!(
            check_url(&url("http://127.0.0.1/h"), true).await.is_ok(),
            "sandbox mode allows local receivers"
        );
        assert_eq!(
            check_url(&url("http://93.184.215.14/h"), false)
                .await
                .unwrap_err(),
            "must use https"
        );
        assert!(check_url(&url("https://127.0.0.1/h"), false)
            .await
            .unwrap_err()
            .contains("loopback"));
        assert!(check_url(&url("https://[::ffff:192.168.0.1]/h"), false)
            .await
            .unwrap_err()
            .contains("IPv4-mapped"));
        assert!(check_url(&url("https://localhost/h"), false).await.is_err());
        assert_eq!(
            check_url(&url("https://198.18.0.7/h"), false)
                .await
                .unwrap_err(),
            "resolves to 198.18.0.7, in the benchmarking range 198.18.0.0/15"
        );
        assert!(check_url(&url("https://[2002:c0a8:101::1]/h"), false)
            .await
            .unwrap_err()
            .contains("6to4"));
        assert!(check_literal("https://169.254.169.254/latest")
            .unwrap_err()
            .contains("metadata"));
        assert!(check_literal("https://hooks.example.com/x").is_ok());
    }
}
