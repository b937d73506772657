//! Slowing down guessing and flooding, in memory: failed logins and 校验码 claims back off per account and per
//! address (doubling waits, never a lockout that would let anyone lock a reviewer out), and the public side has
//! a per-address budget per minute. Addresses are the TCP peer's: `X-Forwarded-For` is not trusted.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Failures allowed before waits start.
pub const FREE_FAILURES: u32 = 5;
/// The longest wait after repeated failures.
pub const MAX_WAIT: Duration = Duration::from_secs(15 * 60);
/// How many entries are kept before expired ones are dropped.
const PRUNE_AT: usize = 100_000;

#[derive(Debug, Clone, Copy)]
struct Slot {
    count: u32,
    until: Instant,
}

/// Counters by key (`login:NAME`, `ip:ADDR`, `public:ADDR` …).
#[derive(Debug, Default)]
pub struct Throttle {
    slots: Mutex<HashMap<String, Slot>>,
}

impl Throttle {
    /// A throttle with nothing counted.
    pub fn new() -> Throttle {
        Throttle::default()
    }

    /// Seconds to wait before `key` may try again; 0 when it may try now.
    pub fn wait(&self, key: &str) -> u64 {
        let Ok(slots) = self.slots.lock() else { return 0 };
        slots.get(key).map_or(0, |s| {
            s.until
                .saturating_duration_since(Instant::now())
                .as_secs_f64()
                .ceil() as u64
        })
    }

    /// Count a failure for `key`; after [`FREE_FAILURES`] each one doubles the wait (1 s, 2 s, 4 s … up to
    /// [`MAX_WAIT`]).
    pub fn fail(&self, key: &str) {
        let Ok(mut slots) = self.slots.lock() else { return };
        prune(&mut slots);
        let now = Instant::now();
        let s = slots
            .entry(key.to_owned())
            .or_insert(Slot { count: 0, until: now });
        s.count = s.count.saturating_add(1);
        if s.count >= FREE_FAILURES {
            let wait = Duration::from_secs(1u64 << (s.count - FREE_FAILURES).min(20)).min(MAX_WAIT);
            s.until = now + wait;
        }
    }

    /// Forget `key`'s failures (a successful login).
    pub fn clear(&self, key: &str) {
        if let Ok(mut slots) = self.slots.lock() {
            slots.remove(key);
        }
    }

    /// Count one request of `key` against `limit` per minute; `Err(seconds)` to wait once the minute's budget is
    /// spent.
    pub fn hit(&self, key: &str, limit: u32) -> Result<(), u64> {
        let Ok(mut slots) = self.slots.lock() else {
            return Ok(());
        };
        prune(&mut slots);
        let now = Instant::now();
        let s = slots.entry(key.to_owned()).or_insert(Slot {
            count: 0,
            until: now + Duration::from_secs(60),
        });
        if s.until <= now {
            *s = Slot {
                count: 0,
                until: now + Duration::from_secs(60),
            };
        }
        s.count = s.count.saturating_add(1);
        if s.count > limit {
            return Err(s.until.saturating_duration_since(now).as_secs().max(1));
        }
        Ok(())
    }
}

fn prune(slots: &mut HashMap<String, Slot>) {
    if slots.len() >= PRUNE_AT {
        let now = Instant::now();
        slots.retain(|_, s| s.until > now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failures_back_off_and_success_clears_them() {
        let t = Throttle::new();
        for _ in 0..FREE_FAILURES - 1 {
            t.fail("login:a");
        }
        assert_eq!(t.wait("login:a"), 0);
        t.fail("login:a");
        assert_eq!(t.wait("login:a"), 1);
        t.fail("login:a");
        assert_eq!(t.wait("login:a"), 2);
        assert_eq!(t.wait("login:b"), 0, "other accounts are untouched");
        t.clear("login:a");
        assert_eq!(t.wait("login:a"), 0);
    }

    #[test]
    fn a_minute_budget_refuses_the_excess() {
        let t = Throttle::new();
        assert!((0..3).all(|_| t.hit("public:x", 3).is_ok()));
        assert!(t.hit("public:x", 3).is_err());
        assert!(t.hit("public:y", 3).is_ok());
    }
}
