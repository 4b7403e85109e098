//! Per-identity rate limit (`BT_RATE_LIMIT` per minute, bursts up to as
//! many): a GCRA token bucket (governor) keyed by `iss` + `sub`.

use crate::auth::Caller;
use crate::error::ApiError;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;

pub struct CallerLimiter {
    limit: u32,
    limiter: DefaultKeyedRateLimiter<String>,
    clock: DefaultClock,
}

impl CallerLimiter {
    pub fn new(per_minute: u32) -> Self {
        let n = NonZeroU32::new(per_minute.max(1)).expect("at least one");
        Self {
            limit: n.get(),
            limiter: RateLimiter::keyed(Quota::per_minute(n)),
            clock: DefaultClock::default(),
        }
    }

    /// Takes one request from the caller's bucket, or says when to retry.
    pub fn check(&self, caller: &Caller) -> Result<(), ApiError> {
        self.limiter
            .check_key(&caller.identity())
            .map_err(|not_until| {
                let wait = not_until.wait_time_from(self.clock.now());
                ApiError::RateLimited {
                    limit: self.limit,
                    retry_after_secs: wait.as_secs() + u64::from(wait.subsec_nanos() > 0),
                }
            })
    }

    /// Forgets buckets that are full again (bounded memory).
    pub fn prune(&self) {
        self.limiter.retain_recent();
        self.limiter.shrink_to_fit();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::CallerKind;

    fn caller(sub: &str) -> Caller {
        Caller {
            issuer: "zendesk".into(),
            subject: sub.into(),
            kind: CallerKind::Host,
        }
    }

    #[test]
    fn bursts_up_to_the_limit_then_refuses_per_identity() {
        let l = CallerLimiter::new(3);
        for _ in 0..3 {
            l.check(&caller("alice")).unwrap();
        }
        match l.check(&caller("alice")).unwrap_err() {
            ApiError::RateLimited {
                limit: 3,
                retry_after_secs,
            } => assert!((1..=20).contains(&retry_after_secs), "{retry_after_secs}"),
            e => panic!("{e:?}"),
        }
        l.check(&caller("bob")).unwrap();
    }
}
