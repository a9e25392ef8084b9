//! Keeps webhooks from reaching the operator's own network. Outside sandbox
//! mode a webhook target must be `https` and resolve only to public
//! addresses; the check runs in the HTTP client's resolver, so the address
//! checked is the address connected (DNS rebinding), and on literal IPs.

use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, SocketAddr};

/// Why an address may not be a webhook target, if it may not.
pub fn forbidden(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return forbidden_v4(v4).map(|_| "an IPv4-mapped private address");
            }
            let s = v6.segments();
            if v6.is_loopback() || v6.is_unspecified() {
                Some("a loopback address")
            } else if s[0] & 0xfe00 == 0xfc00 {
                Some("a unique-local address")
            } else if s[0] & 0xffc0 == 0xfe80 {
                Some("a link-local address")
            } else if s[0] == 0x64 && s[1] == 0xff9b {
                // NAT64 hides an IPv4 address in the last 32 bits.
                let v4 =
                    Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8);
                forbidden_v4(v4).map(|_| "a NAT64 private address")
            } else if s[0] & 0xff00 == 0xff00 {
                Some("a multicast address")
            } else {
                None
            }
        }
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let o = ip.octets();
    if ip.is_loopback() {
        Some("a loopback address")
    } else if ip.is_private() {
        Some("a private address")
    } else if ip.is_link_local() {
        Some("a link-local or metadata address")
    } else if o[0] == 100 && (o[1] & 0xc0) == 64 {
        Some("a carrier-grade NAT address")
    } else if ip.is_unspecified()
        || o[0] == 0
        || ip.is_broadcast()
        || ip.is_multicast()
        || o[0] >= 240
    {
        Some("a reserved address")
    } else {
        None
    }
}

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
            return Err(format!("resolves to {why} ({})", a.ip()));
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
                return Err(format!("{host} resolves to {} ({}): refused", bad.1, bad.0).into());
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
        Some((ip, why)) => Err(format!("{ip} is {why}: refused")),
        None => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn private_and_special_addresses_are_refused() {
        for bad in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "224.0.0.1",
            "::1",
            "fc00::1",
            "fe80::1",
            "::ffff:10.0.0.1",
            "64:ff9b::a00:1",
            "64:ff9b::7f00:1",
        ] {
            assert!(forbidden(bad.parse().unwrap()).is_some(), "{bad}");
        }
        for ok in [
            "8.8.8.8",
            "1.1.1.1",
            "100.128.0.1",
            "2606:4700::1111",
            "64:ff9b::808:808",
        ] {
            assert_eq!(forbidden(ok.parse().unwrap()), None, "{ok}");
        }
    }

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
        assert!(check_literal("https://169.254.169.254/latest")
            .unwrap_err()
            .contains("metadata"));
        assert!(check_literal("https://hooks.example.com/x").is_ok());
    }
}
