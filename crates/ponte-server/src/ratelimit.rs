//! Throttling of failed credential checks, per API key, so a secret cannot be
//! guessed at network speed. Kept in memory per node: with N nodes an attacker
//! gets N times the budget, still far from useful against 256-bit secrets.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

pub struct FailureLimiter {
    max_failures: usize,
    window_ms: i64,
    failures: Mutex<HashMap<String, VecDeque<i64>>>,
}

impl FailureLimiter {
    pub fn new(max_failures: usize, window_ms: i64) -> Self {
        Self {
            max_failures,
            window_ms,
            failures: Mutex::new(HashMap::new()),
        }
    }

    /// `Err(seconds to wait)` while `key` has used up its failures in the window.
    pub fn check(&self, key: &str, now: i64) -> Result<(), i64> {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        let Some(times) = map.get_mut(key) else {
            return Ok(());
        };
        while times.front().is_some_and(|t| *t <= now - self.window_ms) {
            times.pop_front();
        }
        if times.is_empty() {
            map.remove(key);
            return Ok(());
        }
        if times.len() >= self.max_failures {
            let oldest = times.front().copied().unwrap_or(now);
            return Err(((oldest + self.window_ms - now) / 1000).max(1));
        }
        Ok(())
    }

    pub fn record_failure(&self, key: &str, now: i64) {
        let mut map = self.failures.lock().unwrap_or_else(|p| p.into_inner());
        // Bound the memory an attacker can make us hold with random keys.
        if map.len() > 100_000 {
            map.retain(|_, times| times.back().is_some_and(|t| *t > now - self.window_ms));
        }
        map.entry(key.to_string()).or_default().push_back(now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blocks_after_the_budget_and_recovers_after_the_window() {
        let l = FailureLimiter::new(3, 60_000);
        for t in 0..3 {
            assert!(l.check("k", t).is_ok());
            l.record_failure("k", t);
        }
        assert_eq!(l.check("k", 10), Err(59));
        assert!(l.check("other", 10).is_ok(), "per key");
        assert!(l.check("k", 60_001).is_ok());
    }
}
