//! Rate limits of sign-up, sign-in, password-reset requests and
//! second-factor codes (ASVS 4.0 §2.2.1, §2.8.6), with the generic cell
//! rate algorithm of the `governor` crate.
//!
//! Each action has two limits, both of which must allow a request:
//! - **per address (IP)**, generous: a class signing up together from one
//!   school network shares one public address;
//! - **per account**, strict, keyed by the account's email *and* the
//!   address: guessing one account's password from one place is slowed to a
//!   crawl, while its owner, elsewhere, is never locked out by someone
//!   else's attempts. (A "forgot password" link always works too, and signs
//!   its follower in.) Addresses that do not belong to an account are
//!   limited the same way, so a limit says nothing about who has one.
//!
//! Second-factor codes are the exception: they are counted per account
//! across every address, since whoever types them already holds the
//! password (or a login session), and the count must hold however many
//! requests, sessions or places they try from at once.
//!
//! IPv6 clients are counted by their /64 prefix, what one subscriber gets.
//! Counts live in each server's memory: with several instances behind a
//! load balancer each counts on its own, which multiplies the limits by
//! their number but keeps their effect.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::Clock;
use governor::{DefaultKeyedRateLimiter, Quota};

/// A limited action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Action {
    SignUp,
    SignIn,
    PasswordReset,
    /// A pupil's profile asking a parent for consent (an email to them).
    ConsentRequest,
    /// A code of a staff member's second factor, at sign-in or to renew
    /// the recovery codes.
    SecondFactorCode,
}

/// A limit: `burst` requests at once, then one more every `every`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limit {
    pub burst: u32,
    pub every: Duration,
}

impl Limit {
    const fn new(burst: u32, every_seconds: u64) -> Limit {
        Limit {
            burst,
            every: Duration::from_secs(every_seconds),
        }
    }

    fn quota(self) -> Quota {
        let burst = NonZeroU32::new(self.burst).unwrap_or(NonZeroU32::MIN);
        Quota::with_period(self.every)
            .unwrap_or_else(|| Quota::per_second(NonZeroU32::MIN))
            .allow_burst(burst)
    }
}

impl Action {
    /// The limit per client address: 60 sign-ups at once, then one every
    /// 10 s; 100 sign-ins or second-factor codes, then one every 3 s; 30
    /// reset requests, then one every 20 s.
    pub const fn per_address(self) -> Limit {
        match self {
            Action::SignUp => Limit::new(60, 10),
            Action::SignIn | Action::SecondFactorCode => Limit::new(100, 3),
            Action::PasswordReset | Action::ConsentRequest => Limit::new(30, 20),
        }
    }

    /// The limit per account and address: 10 sign-in attempts, then one
    /// every 90 s (40 an hour); 3 sign-ups or reset emails to one mailbox,
    /// then one every 10 minutes; 3 consent requests from one pupil, then
    /// one an hour; 20 second-factor codes for one account (from anywhere),
    /// then one every 3 minutes (20 an hour: guessing one of the three
    /// codes a 6-digit TOTP accepts at a time succeeds about once in 17,000
    /// hours of trying).
    pub const fn per_account(self) -> Limit {
        match self {
            Action::SecondFactorCode => Limit::new(20, 180),
            Action::SignUp => Limit::new(3, 600),
            Action::SignIn => Limit::new(10, 90),
            Action::PasswordReset => Limit::new(3, 600),
            Action::ConsentRequest => Limit::new(3, 3600),
        }
    }
}

/// A refused request: when to try again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// Whole seconds, rounded up, at least 1 (the `Retry-After` header).
    pub fn seconds(self) -> u64 {
        let whole = self.0.as_secs() + u64::from(self.0.subsec_nanos() > 0);
        whole.max(1)
    }
}

/// The client's address as counted: IPv4 as is, IPv6 by /64 prefix.
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return IpAddr::V4(v4);
            }
            let mut segments = v6.segments();
            segments[4..].fill(0);
            IpAddr::V6(segments.into())
        }
    }
}

struct Limiters {
    per_address: DefaultKeyedRateLimiter<IpAddr>,
    per_account: DefaultKeyedRateLimiter<(String, IpAddr)>,
}

impl Limiters {
    fn new(action: Action) -> Limiters {
        Limiters {
            per_address: DefaultKeyedRateLimiter::keyed(action.per_address().quota()),
            per_account: DefaultKeyedRateLimiter::keyed(action.per_account().quota()),
        }
    }
}

/// Every limit of the server.
pub struct RateLimits {
    sign_up: Limiters,
    sign_in: Limiters,
    password_reset: Limiters,
    consent_request: Limiters,
    second_factor_code: Limiters,
}

impl std::fmt::Debug for RateLimits {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RateLimits").finish_non_exhaustive()
    }
}

impl Default for RateLimits {
    fn default() -> Self {
        RateLimits::new()
    }
}

impl RateLimits {
    pub fn new() -> RateLimits {
        RateLimits {
            sign_up: Limiters::new(Action::SignUp),
            sign_in: Limiters::new(Action::SignIn),
            password_reset: Limiters::new(Action::PasswordReset),
            consent_request: Limiters::new(Action::ConsentRequest),
            second_factor_code: Limiters::new(Action::SecondFactorCode),
        }
    }

    fn of(&self, action: Action) -> &Limiters {
        match action {
            Action::SignUp => &self.sign_up,
            Action::SignIn => &self.sign_in,
            Action::PasswordReset => &self.password_reset,
            Action::ConsentRequest => &self.consent_request,
            Action::SecondFactorCode => &self.second_factor_code,
        }
    }

    /// Counts one `action` from `ip` about `account` (an email key, as
    /// typed if it is not an account's), or refuses it.
    ///
    /// # Errors
    /// [`RetryAfter`] when a limit is reached; nothing is counted against
    /// the account then.
    pub fn check(&self, action: Action, ip: IpAddr, account: &str) -> Result<(), RetryAfter> {
        let limiters = self.of(action);
        let ip = address_key(ip);
        limiters.per_address.check_key(&ip).map_err(|refusal| {
            RetryAfter(refusal.wait_time_from(limiters.per_address.clock().now()))
        })?;
        // Second-factor codes: one count per account, whatever the address.
        let account_ip = if action == Action::SecondFactorCode {
            IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
        } else {
            ip
        };
        limiters
            .per_account
            .check_key(&(account.to_owned(), account_ip))
            .map_err(|refusal| {
                RetryAfter(refusal.wait_time_from(limiters.per_account.clock().now()))
            })
    }

    /// Forgets counts that have fully recovered, so memory follows recent
    /// traffic only. The server calls it every few minutes.
    pub fn forget_recovered(&self) {
        for limiters in [
            &self.sign_up,
            &self.sign_in,
            &self.password_reset,
            &self.consent_request,
            &self.second_factor_code,
        ] {
            limiters.per_address.retain_recent();
            limiters.per_account.retain_recent();
            limiters.per_address.shrink_to_fit();
            limiters.per_account.shrink_to_fit();
        }
    }
}

/// The client's address, as the server's `ClientIpSource` says to read it;
/// the unspecified address when it cannot be known (every such client then
/// shares one count).
pub async fn client_ip() -> IpAddr {
    match leptos_axum::extract::<axum_client_ip::ClientIp>().await {
        Ok(axum_client_ip::ClientIp(ip)) => ip,
        Err(error) => {
            tracing::warn!(error = %error, "client address unknown");
            IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)
        }
    }
}

/// Counts one `action` of the current request about `account` (an email
/// key), or refuses it with [`AppError::TooManyRequests`].
///
/// # Errors
/// [`AppError::TooManyRequests`] past a limit.
pub async fn limit(
    state: &crate::state::AppState,
    action: Action,
    account: &str,
) -> Result<(), crate::error::AppError> {
    let ip = client_ip().await;
    state
        .rate_limits
        .check(action, ip, account)
        .map_err(|retry| {
            tracing::info!(?action, %ip, "rate limit reached");
            crate::error::AppError::TooManyRequests {
                retry_after_seconds: retry.seconds(),
            }
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{Ipv4Addr, Ipv6Addr};

    const SCHOOL: IpAddr = IpAddr::V4(Ipv4Addr::new(193, 51, 24, 1));
    const HOME: IpAddr = IpAddr::V4(Ipv4Addr::new(90, 12, 3, 4));

    #[test]
    fn one_account_is_limited_per_address_and_its_owner_elsewhere_is_not() {
        let limits = RateLimits::new();
        let burst = Action::SignIn.per_account().burst;
        for _ in 0..burst {
            assert_eq!(
                limits.check(Action::SignIn, SCHOOL, "zoe@exemple.fr"),
                Ok(())
            );
        }
        let refused = limits
            .check(Action::SignIn, SCHOOL, "zoe@exemple.fr")
            .expect_err("the attempt after the burst is refused");
        assert!(
            refused.seconds() > 0 && refused.seconds() <= 90,
            "{refused:?}"
        );
        // The owner, at home, and another pupil at school, are not affected.
        assert_eq!(limits.check(Action::SignIn, HOME, "zoe@exemple.fr"), Ok(()));
        assert_eq!(
            limits.check(Action::SignIn, SCHOOL, "leo@exemple.fr"),
            Ok(())
        );
    }

    #[test]
    fn second_factor_codes_count_per_account_from_every_address() {
        let limits = RateLimits::new();
        let burst = Action::SecondFactorCode.per_account().burst;
        for n in 0..burst {
            // Half from school, half from home: one count.
            let ip = if n % 2 == 0 { SCHOOL } else { HOME };
            assert_eq!(limits.check(Action::SecondFactorCode, ip, "user:7"), Ok(()));
        }
        let refused = limits
            .check(Action::SecondFactorCode, HOME, "user:7")
            .expect_err("the code after the burst is refused, from anywhere");
        assert!(
            refused.seconds() > 0 && refused.seconds() <= 180,
            "{refused:?}"
        );
        assert_eq!(
            limits.check(Action::SecondFactorCode, HOME, "user:8"),
            Ok(())
        );
    }

    #[test]
    fn a_whole_class_signs_up_from_one_address() {
        let limits = RateLimits::new();
        for pupil in 0..35 {
            let email = format!("eleve{pupil}@exemple.fr");
            assert_eq!(
                limits.check(Action::SignUp, SCHOOL, &email),
                Ok(()),
                "pupil {pupil}"
            );
        }
    }

    #[test]
    fn an_address_is_limited_across_accounts() {
        let limits = RateLimits::new();
        let burst = Action::SignUp.per_address().burst;
        for n in 0..burst {
            assert_eq!(
                limits.check(Action::SignUp, HOME, &format!("a{n}@x.fr")),
                Ok(())
            );
        }
        assert!(limits.check(Action::SignUp, HOME, "new@x.fr").is_err());
        assert_eq!(limits.check(Action::SignUp, SCHOOL, "new@x.fr"), Ok(()));
    }

    #[test]
    fn ipv6_clients_count_by_their_64_prefix() {
        let a: IpAddr = "2a01:cb00:1:2:aaaa::1"
            .parse::<Ipv6Addr>()
            .expect("ip")
            .into();
        let b: IpAddr = "2a01:cb00:1:2:bbbb::9"
            .parse::<Ipv6Addr>()
            .expect("ip")
            .into();
        let c: IpAddr = "2a01:cb00:1:3::1".parse::<Ipv6Addr>().expect("ip").into();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped: IpAddr = "::ffff:90.12.3.4".parse::<Ipv6Addr>().expect("ip").into();
        assert_eq!(address_key(mapped), HOME);
    }

    #[test]
    fn retry_after_rounds_up_to_whole_seconds() {
        assert_eq!(RetryAfter(Duration::from_millis(1)).seconds(), 1);
        assert_eq!(RetryAfter(Duration::from_millis(89_001)).seconds(), 90);
        assert_eq!(RetryAfter(Duration::from_secs(90)).seconds(), 90);
        assert_eq!(RetryAfter(Duration::ZERO).seconds(), 1);
    }
}
