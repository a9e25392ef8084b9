//! Limits kept in memory per node: failed credential checks, so a secret
//! cannot be guessed at network speed, and each client's request rate, so one
//! runaway integration cannot take the server from the others. With N nodes a
//! caller gets N times the budget: still far from useful against 256-bit
//! secrets, and a rate limit is about fairness, not an exact quota.

use crate::config::RateLimit;
use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Mutex;

/// Keys held at most before the idle ones are dropped: random keys from an
/// attacker must not grow memory without bound.
const MAX_KEYS: usize = 100_000;

/// Failed secrets per API key *and* calling address: a stranger who knows an
/// `apiKey` and hammers it locks out only their own address, never its owner.
pub struct FailureLimiter {
    max_failures: usize,
    window_ms: i64,
    failures: Mutex<HashMap<String, VecDeque<i64>>>,
}

/// The address a throttle counts: IPv6 by its /64, since one host commonly
/// holds a whole /64 and could otherwise take a fresh budget per address.
fn origin(from: Option<IpAddr>) -> String {
    match from {
        None => "-".into(),
        Some(IpAddr::V4(v4)) => v4.to_string(),
        Some(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

impl FailureLimiter {
    pub fn new(max_failures: usize, window_ms: i64) -> Self {
        Self {
            max_failures,
            window_ms,
            failures: Mutex::new(HashMap::new()),
        }
    }

    fn slot(key: &str, from: Option<IpAddr>) -> String {
        format!("{}\u{0}{key}", origin(from))
    }

    /// `Err(seconds to wait)` while `key` has used up, from this address,
    /// its failures in the window.
    pub fn check(&self, key: &str, from: Option<IpAddr>, now: i64) -> Result<(), i64> {
        let slot = Self::slot(key, from);
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(times) = map.get_mut(&slot) else {
            return Ok(());
        };
        while times.front().is_some_and(|t| *t <= now - self.window_ms) {
            times.pop_front();
        }
        if times.is_empty() {
            map.remove(&slot);
            return Ok(());
        }
        if times.len() >= self.max_failures {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(((oldest + self.window_ms - now) / 1000).max(1));
        }
        Ok(())
    }

    pub fn record_failure(&self, key: &str, from: Option<IpAddr>, now: i64) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > MAX_KEYS {
            map.retain(|_, times| times.back().is_some_and(|t| *t > now - self.window_ms));
        }
        map.entry(Self::slot(key, from)).or_default().push_back(now);
    }
}

struct Bucket {
    tokens: f64,
    at_ms: i64,
}

/// A token bucket per client: `burst` requests at once, refilled at the
/// configured rate, judged by the injected clock (tests move it, never sleep).
pub struct ClientRateLimiter {
    limit: Option<RateLimit>,
    buckets: Mutex<HashMap<String, Bucket>>,
}

impl ClientRateLimiter {
    pub fn new(limit: Option<RateLimit>) -> Self {
        Self {
            limit,
            buckets: Mutex::new(HashMap::new()),
        }
    }

    /// Takes one request from `client`'s bucket; `Err(seconds)` until the
    /// next one is there.
    pub fn admit(&self, client: &str, now: i64) -> Result<(), i64> {
        let Some(limit) = self.limit else {
            return Ok(());
        };
        let burst = f64::from(limit.burst);
        let refill = |b: &mut Bucket| {
            let elapsed = (now - b.at_ms).max(0) as f64 / 1000.0;
            b.tokens = (b.tokens + elapsed * limit.per_second).min(burst);
            b.at_ms = b.at_ms.max(now);
        };
        let mut map = self.buckets.lock().unwrap_or_else(|p| p.into_inner());
        if map.len() > MAX_KEYS {
            // A full bucket is what a new one would be: forgetting it is free.
            map.retain(|_, b| {
                refill(b);
                b.tokens < burst
            });
        }
        let bucket = map.entry(client.to_string()).or_insert(Bucket {
            tokens: burst,
            at_ms: now,
        });
        refill(bucket);
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            Err(((1.0 - bucket.tokens) / limit.per_second).ceil().max(1.0) as i64)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const HOME: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 1)));
    const AWAY: Option<IpAddr> = Some(IpAddr::V4(std::net::Ipv4Addr::new(10, 0, 0, 2)));

    #[test]
    fn blocks_after_the_budget_and_recovers_after_the_window() {
        let l = FailureLimiter::new(3, 60_000);
        for t in 0..3 {
            assert!(l.check("k", AWAY, t).is_ok());
            l.record_failure("k", AWAY, t);
        }
        assert_eq!(l.check("k", AWAY, 10), Err(59));
        assert!(l.check("other", AWAY, 10).is_ok(), "per key");
        assert!(l.check("k", HOME, 10).is_ok(), "per address");
        assert!(l.check("k", AWAY, 60_001).is_ok());
    }

    #[test]
    fn ipv6_addresses_of_one_network_share_a_budget() {
        let a: IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        let l = FailureLimiter::new(1, 60_000);
        l.record_failure("k", Some(a), 0);
        assert!(l.check("k", Some(b), 1).is_err());
        assert!(l.check("k", Some(c), 1).is_ok());
    }

    #[test]
    fn a_bucket_spends_its_burst_then_refills_at_the_rate() {
        let l = ClientRateLimiter::new(Some(RateLimit {
            per_second: 2.0,
            burst: 3,
        }));
        for _ in 0..3 {
            assert!(l.admit("c", 0).is_ok());
        }
        assert_eq!(l.admit("c", 0), Err(1));
        assert!(l.admit("other", 0).is_ok(), "per client");
        assert!(l.admit("c", 500).is_ok(), "one back after half a second");
        assert!(l.admit("c", 500).is_err());
        assert!(l.admit("c", 10_000).is_ok());
        for _ in 0..2 {
            assert!(l.admit("c", 10_000).is_ok(), "never more than the burst");
        }
        assert!(l.admit("c", 10_000).is_err());
        let slow = ClientRateLimiter::new(Some(RateLimit {
            per_second: 1.0 / 60.0,
            burst: 1,
        }));
        assert!(slow.admit("c", 0).is_ok());
        assert_eq!(slow.admit("c", 0), Err(60), "Retry-After in seconds");
        assert!(ClientRateLimiter::new(None).admit("c", 0).is_ok());
    }
}
