//! The address ranges a webhook may not reach, in one table: every entry of
//! IANA's IPv4 and IPv6 Special-Purpose Address Registries that is not
//! globally reachable, plus multicast, the deprecated IPv6 site-local and
//! IPv4-compatible blocks, and all IPv6 space outside global unicast
//! `2000::/3` (reserved by the IETF). Sub-ranges the registries mark globally
//! reachable (anycast services such as PCP and TURN, AMT, AS112, ORCHIDv2)
//! stay allowed, as they would be on the public internet.

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// A named block of the address space.
#[derive(Debug)]
pub struct Special {
    pub name: &'static str,
    pub network: IpNet,
    verdict: Verdict,
}

#[derive(Debug)]
enum Verdict {
    Refuse,
    /// A globally reachable sub-range of a refused block.
    Allow,
    /// A translation prefix: the IPv4 address it carries decides.
    Embedded(fn(Ipv6Addr) -> Ipv4Addr),
}

impl fmt::Display for Special {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the {} range {}", self.name, self.network)
    }
}

/// Why an address is refused: its range and, for a translation prefix, the
/// range of the IPv4 address inside it.
#[derive(Debug, Clone, Copy)]
pub struct Refused {
    pub range: &'static Special,
    pub embedded: Option<&'static Special>,
}

impl fmt::Display for Refused {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.embedded {
            None => write!(f, "{}", self.range),
            Some(inner) => write!(f, "{} carrying an address in {inner}", self.range),
        }
    }
}

const fn v4(a: [u8; 4], len: u8, name: &'static str, verdict: Verdict) -> Special {
    Special {
        name,
        network: IpNet::V4(Ipv4Net::new_assert(
            Ipv4Addr::new(a[0], a[1], a[2], a[3]),
            len,
        )),
        verdict,
    }
}

const fn v6(s: [u16; 8], len: u8, name: &'static str, verdict: Verdict) -> Special {
    Special {
        name,
        network: IpNet::V6(Ipv6Net::new_assert(
            Ipv6Addr::new(s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7]),
            len,
        )),
        verdict,
    }
}

fn nat64_v4(ip: Ipv6Addr) -> Ipv4Addr {
    let o = ip.octets();
    Ipv4Addr::new(o[12], o[13], o[14], o[15])
}

fn six_to_four_v4(ip: Ipv6Addr) -> Ipv4Addr {
    let o = ip.octets();
    Ipv4Addr::new(o[2], o[3], o[4], o[5])
}

use Verdict::{Allow, Embedded, Refuse};

/// First match wins, so an exception precedes the block that holds it.
pub static RANGES: &[Special] = &[
    // IPv4 Special-Purpose Address Registry.
    v4([0, 0, 0, 0], 8, "\"this network\"", Refuse),
    v4([10, 0, 0, 0], 8, "private-use", Refuse),
    v4([100, 64, 0, 0], 10, "shared (carrier-grade NAT)", Refuse),
    v4([127, 0, 0, 0], 8, "loopback", Refuse),
    v4([169, 254, 0, 0], 16, "link-local (cloud metadata)", Refuse),
    v4([172, 16, 0, 0], 12, "private-use", Refuse),
    v4([192, 0, 0, 9], 32, "PCP anycast", Allow),
    v4([192, 0, 0, 10], 32, "TURN anycast", Allow),
    v4([192, 0, 0, 0], 24, "IETF protocol assignments", Refuse),
    v4([192, 0, 2, 0], 24, "documentation (TEST-NET-1)", Refuse),
    v4(
        [192, 88, 99, 0],
        24,
        "deprecated 6to4 relay anycast",
        Refuse,
    ),
    v4([192, 168, 0, 0], 16, "private-use", Refuse),
    v4([198, 18, 0, 0], 15, "benchmarking", Refuse),
    v4([198, 51, 100, 0], 24, "documentation (TEST-NET-2)", Refuse),
    v4([203, 0, 113, 0], 24, "documentation (TEST-NET-3)", Refuse),
    v4([224, 0, 0, 0], 4, "multicast", Refuse),
    v4([255, 255, 255, 255], 32, "limited broadcast", Refuse),
    v4([240, 0, 0, 0], 4, "reserved", Refuse),
    // IPv6 Special-Purpose Address Registry, and the deprecated blocks.
    v6([0, 0, 0, 0, 0, 0, 0, 0], 128, "unspecified", Refuse),
    v6([0, 0, 0, 0, 0, 0, 0, 1], 128, "loopback", Refuse),
    v6([0, 0, 0, 0, 0, 0xffff, 0, 0], 96, "IPv4-mapped", Refuse),
    v6(
        [0, 0, 0, 0, 0, 0, 0, 0],
        96,
        "deprecated IPv4-compatible",
        Refuse,
    ),
    v6(
        [0x64, 0xff9b, 0, 0, 0, 0, 0, 0],
        96,
        "NAT64",
        Embedded(nat64_v4),
    ),
    v6(
        [0x64, 0xff9b, 1, 0, 0, 0, 0, 0],
        48,
        "local-use IPv4/IPv6 translation",
        Refuse,
    ),
    v6([0x100, 0, 0, 0, 0, 0, 0, 0], 64, "discard-only", Refuse),
    v6(
        [0x100, 0, 0, 1, 0, 0, 0, 0],
        64,
        "dummy IPv6 prefix",
        Refuse,
    ),
    v6([0x2001, 1, 0, 0, 0, 0, 0, 1], 128, "PCP anycast", Allow),
    v6([0x2001, 1, 0, 0, 0, 0, 0, 2], 128, "TURN anycast", Allow),
    v6(
        [0x2001, 1, 0, 0, 0, 0, 0, 3],
        128,
        "DNS-SD SRP anycast",
        Allow,
    ),
    v6([0x2001, 3, 0, 0, 0, 0, 0, 0], 32, "AMT", Allow),
    v6([0x2001, 4, 0x112, 0, 0, 0, 0, 0], 48, "AS112-v6", Allow),
    v6([0x2001, 0x20, 0, 0, 0, 0, 0, 0], 28, "ORCHIDv2", Allow),
    v6(
        [0x2001, 0x30, 0, 0, 0, 0, 0, 0],
        28,
        "drone remote ID",
        Allow,
    ),
    v6([0x2001, 0, 0, 0, 0, 0, 0, 0], 32, "Teredo", Refuse),
    v6([0x2001, 2, 0, 0, 0, 0, 0, 0], 48, "benchmarking", Refuse),
    v6(
        [0x2001, 0x10, 0, 0, 0, 0, 0, 0],
        28,
        "deprecated ORCHID",
        Refuse,
    ),
    v6(
        [0x2001, 0, 0, 0, 0, 0, 0, 0],
        23,
        "IETF protocol assignments",
        Refuse,
    ),
    v6(
        [0x2001, 0xdb8, 0, 0, 0, 0, 0, 0],
        32,
        "documentation",
        Refuse,
    ),
    v6(
        [0x2002, 0, 0, 0, 0, 0, 0, 0],
        16,
        "6to4",
        Embedded(six_to_four_v4),
    ),
    v6([0x3fff, 0, 0, 0, 0, 0, 0, 0], 20, "documentation", Refuse),
    v6(
        [0x5f00, 0, 0, 0, 0, 0, 0, 0],
        16,
        "segment routing SIDs",
        Refuse,
    ),
    v6([0xfc00, 0, 0, 0, 0, 0, 0, 0], 7, "unique-local", Refuse),
    v6([0xfe80, 0, 0, 0, 0, 0, 0, 0], 10, "link-local", Refuse),
    v6(
        [0xfec0, 0, 0, 0, 0, 0, 0, 0],
        10,
        "deprecated site-local",
        Refuse,
    ),
    v6([0xff00, 0, 0, 0, 0, 0, 0, 0], 8, "multicast", Refuse),
    // IPv6 Address Space Registry: only 2000::/3 is allocated unicast.
    v6([0, 0, 0, 0, 0, 0, 0, 0], 3, "reserved by the IETF", Refuse),
    v6(
        [0x4000, 0, 0, 0, 0, 0, 0, 0],
        2,
        "reserved by the IETF",
        Refuse,
    ),
    v6(
        [0x8000, 0, 0, 0, 0, 0, 0, 0],
        1,
        "reserved by the IETF",
        Refuse,
    ),
];

fn lookup(ip: IpAddr) -> Option<&'static Special> {
    RANGES.iter().find(|range| range.network.contains(&ip))
}

/// Why an address may not be a webhook target, if it may not.
pub fn forbidden(ip: IpAddr) -> Option<Refused> {
    let range = lookup(ip)?;
    match (&range.verdict, ip) {
        (Refuse, _) => Some(Refused {
            range,
            embedded: None,
        }),
        (Allow, _) => None,
        (Embedded(extract), IpAddr::V6(v6)) => {
            let inner = forbidden(IpAddr::V4(extract(v6)))?;
            Some(Refused {
                range,
                embedded: Some(inner.range),
            })
        }
        // An IPv4 range is never a translation prefix.
        (Embedded(_), IpAddr::V4(_)) => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (address, the range that refuses it, or `None` when it is allowed).
    /// Each refused block has an address inside and a neighbour just outside.
    const CASES: &[(&str, Option<&str>)] = &[
        ("0.0.0.0", Some("\"this network\"")),
        ("0.255.255.255", Some("\"this network\"")),
        ("1.0.0.0", None),
        ("10.1.2.3", Some("private-use")),
        ("9.255.255.255", None),
        ("11.0.0.0", None),
        ("100.64.0.1", Some("shared (carrier-grade NAT)")),
        ("100.127.255.255", Some("shared (carrier-grade NAT)")),
        ("100.63.255.255", None),
        ("100.128.0.0", None),
        ("127.0.0.1", Some("loopback")),
        ("126.255.255.255", None),
        ("128.0.0.0", None),
        ("169.254.169.254", Some("link-local (cloud metadata)")),
        ("169.253.255.255", None),
        ("169.255.0.0", None),
        ("172.16.0.1", Some("private-use")),
        ("172.31.255.255", Some("private-use")),
        ("172.15.255.255", None),
        ("172.32.0.0", None),
        ("192.0.0.8", Some("IETF protocol assignments")),
        ("192.0.0.170", Some("IETF protocol assignments")),
        ("192.0.0.9", None),
        ("192.0.0.10", None),
        ("191.255.255.255", None),
        ("192.0.1.0", None),
        ("192.0.2.1", Some("documentation (TEST-NET-1)")),
        ("192.0.3.0", None),
        ("192.88.99.1", Some("deprecated 6to4 relay anycast")),
        ("192.88.98.255", None),
        ("192.88.100.0", None),
        ("192.168.1.1", Some("private-use")),
        ("192.167.255.255", None),
        ("192.169.0.0", None),
        ("198.18.0.1", Some("benchmarking")),
        ("198.19.255.255", Some("benchmarking")),
        ("198.17.255.255", None),
        ("198.20.0.0", None),
        ("198.51.100.7", Some("documentation (TEST-NET-2)")),
        ("198.51.99.255", None),
        ("198.51.101.0", None),
        ("203.0.113.9", Some("documentation (TEST-NET-3)")),
        ("203.0.112.255", None),
        ("203.0.114.0", None),
        ("224.0.0.1", Some("multicast")),
        ("239.255.255.255", Some("multicast")),
        ("223.255.255.255", None),
        ("240.0.0.1", Some("reserved")),
        ("255.255.255.254", Some("reserved")),
        ("255.255.255.255", Some("limited broadcast")),
        ("8.8.8.8", None),
        ("::", Some("unspecified")),
        ("::1", Some("loopback")),
        ("::ffff:10.0.0.1", Some("IPv4-mapped")),
        ("::ffff:8.8.8.8", Some("IPv4-mapped")),
        ("::8.8.8.8", Some("deprecated IPv4-compatible")),
        ("::1:0:0:0", Some("reserved by the IETF")),
        ("64:ff9b::a00:1", Some("NAT64")),
        ("64:ff9b::7f00:1", Some("NAT64")),
        ("64:ff9b::808:808", None),
        ("64:ff9b:1::1", Some("local-use IPv4/IPv6 translation")),
        ("100::1", Some("discard-only")),
        ("100:0:0:1::1", Some("dummy IPv6 prefix")),
        ("100:0:0:2::", Some("reserved by the IETF")),
        ("2001::1", Some("Teredo")),
        ("2001:0:ffff:ffff:ffff:ffff:ffff:ffff", Some("Teredo")),
        ("2001:1::1", None),
        ("2001:1::2", None),
        ("2001:1::3", None),
        ("2001:1::4", Some("IETF protocol assignments")),
        ("2001:2::1", Some("benchmarking")),
        ("2001:2:1::", Some("IETF protocol assignments")),
        ("2001:3::1", None),
        ("2001:4:112::1", None),
        ("2001:4:113::", Some("IETF protocol assignments")),
        ("2001:10::1", Some("deprecated ORCHID")),
        ("2001:20::1", None),
        ("2001:30::1", None),
        ("2001:40::1", Some("IETF protocol assignments")),
        (
            "2001:1ff:ffff:ffff:ffff:ffff:ffff:ffff",
            Some("IETF protocol assignments"),
        ),
        ("2001:200::", None),
        ("2000:ffff:ffff:ffff:ffff:ffff:ffff:ffff", None),
        ("2001:db8::1", Some("documentation")),
        ("2001:db7:ffff:ffff:ffff:ffff:ffff:ffff", None),
        ("2001:db9::", None),
        ("2002:0a00:0001::1", Some("6to4")),
        ("2002:c0a8:0101::1", Some("6to4")),
        ("2002:0808:0808::1", None),
        ("2003::", None),
        ("3fff::1", Some("documentation")),
        ("3fff:1000::", None),
        ("3ffe:ffff:ffff:ffff:ffff:ffff:ffff:ffff", None),
        ("5f00::1", Some("segment routing SIDs")),
        ("4000::1", Some("reserved by the IETF")),
        (
            "1fff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            Some("reserved by the IETF"),
        ),
        ("fc00::1", Some("unique-local")),
        (
            "fdff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            Some("unique-local"),
        ),
        ("fe80::1", Some("link-local")),
        (
            "febf:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            Some("link-local"),
        ),
        ("fec0::1", Some("deprecated site-local")),
        (
            "feff:ffff:ffff:ffff:ffff:ffff:ffff:ffff",
            Some("deprecated site-local"),
        ),
        ("ff02::1", Some("multicast")),
        ("8000::1", Some("reserved by the IETF")),
        ("2606:4700::1111", None),
        ("2a00:1450:4001::1", None),
    ];

    #[test]
    fn every_special_range_is_refused_by_name_and_its_neighbours_are_not() {
        for (address, expected) in CASES {
            let ip: IpAddr = address.parse().unwrap();
            let got = forbidden(ip).map(|r| r.range.name);
            assert_eq!(got, *expected, "{address}");
        }
    }

    #[test]
    fn every_refusing_range_has_a_case() {
        for range in RANGES.iter().filter(|r| !matches!(r.verdict, Allow)) {
            let covered = CASES.iter().any(|(address, expected)| {
                expected.is_some()
                    && lookup(address.parse().unwrap()).is_some_and(|r| std::ptr::eq(r, range))
            });
            assert!(covered, "no case for {range}");
        }
    }

    #[test]
    fn no_range_is_hidden_behind_an_earlier_one() {
        for range in RANGES {
            let (first, last): (IpAddr, IpAddr) = match range.network {
                IpNet::V4(n) => (n.network().into(), n.broadcast().into()),
                IpNet::V6(n) => (n.network().into(), n.broadcast().into()),
            };
            let own = |ip| lookup(ip).is_some_and(|found| std::ptr::eq(found, range));
            assert!(own(first) || own(last), "{range} is shadowed");
        }
    }

    #[test]
    fn translated_addresses_name_the_ipv4_range_inside() {
        let refused = forbidden("64:ff9b::a9fe:a9fe".parse().unwrap()).unwrap();
        assert_eq!(
            refused.to_string(),
            "the NAT64 range 64:ff9b::/96 carrying an address in \
             the link-local (cloud metadata) range 169.254.0.0/16"
        );
        let refused = forbidden("2002:7f00:1::".parse().unwrap()).unwrap();
        assert_eq!(refused.embedded.map(|r| r.name), Some("loopback"));
    }
}
