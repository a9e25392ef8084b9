//! `ponte healthcheck`: asks the local server's `/healthz`, for a container
//! HEALTHCHECK in an image that has no curl.

use ponte_server::config::Config;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Where the server on this machine answers: a wildcard listen address is
/// reached on loopback.
fn local_address(listen: SocketAddr) -> SocketAddr {
    let ip = match listen.ip() {
        IpAddr::V4(v4) if v4.is_unspecified() => IpAddr::V4(Ipv4Addr::LOCALHOST),
        IpAddr::V6(v6) if v6.is_unspecified() => IpAddr::V6(Ipv6Addr::LOCALHOST),
        other => other,
    };
    SocketAddr::new(ip, listen.port())
}

/// Ok when `/healthz` answers 200 within a few seconds.
pub async fn run(config: &Config) -> anyhow::Result<()> {
    let address = local_address(config.listen);
    let ask = async {
        let mut stream = tokio::net::TcpStream::connect(address).await?;
        stream
            .write_all(b"GET /healthz HTTP/1.0\r\nHost: localhost\r\nConnection: close\r\n\r\n")
            .await?;
        let mut answer = Vec::new();
        stream.take(4096).read_to_end(&mut answer).await?;
        Ok::<_, std::io::Error>(answer)
    };
    let answer = tokio::time::timeout(Duration::from_secs(4), ask)
        .await
        .map_err(|_| anyhow::anyhow!("http://{address}/healthz did not answer within 4 s"))?
        .map_err(|e| anyhow::anyhow!("http://{address}/healthz: {e}"))?;
    let status_line = String::from_utf8_lossy(&answer)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    if status_line.split(' ').nth(1) == Some("200") {
        println!("ok");
        Ok(())
    } else {
        anyhow::bail!("http://{address}/healthz answered {status_line:?}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wildcard_listen_address_is_asked_on_loopback() {
        let local = |s: &str| local_address(s.parse().unwrap_or_else(|e| panic!("{e}")));
        assert_eq!(local("0.0.0.0:8080").to_string(), "127.0.0.1:8080");
        assert_eq!(local("[::]:9000").to_string(), "[::1]:9000");
        assert_eq!(local("10.0.0.5:80").to_string(), "10.0.0.5:80");
    }
}
