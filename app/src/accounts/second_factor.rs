//! The second factor of coordinators and administrators (issue 10; ASVS
//! 4.0 §2.8): a time-based one-time password (TOTP, RFC 6238: HMAC-SHA-1,
//! 6 digits, 30-second steps, one step of drift allowed either way), and
//! ten single-use recovery codes.
//!
//! After their password, staff are not signed in yet: the login session
//! holds a pending sign-in ([`super::login_session::enter`]) and
//! `/connexion/code` asks for a code. The first time, it shows the secret
//! (a QR code and the key in letters) and the code typed confirms it; the
//! recovery codes are then shown once, at `/connexion/codes-de-secours`.
//! A code works once (the last step used is kept); after
//! [`MAX_ATTEMPTS`] wrong codes the pending sign-in ends and the password
//! is asked again.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::error::AppError;

/// Form fields.
pub mod fields {
    pub const CODE: &str = "code";
}

/// Wrong codes before the pending sign-in ends.
pub const MAX_ATTEMPTS: u32 = 5;
/// How many recovery codes an account gets.
pub const RECOVERY_CODES: usize = 10;

/// What `/connexion/code` shows.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// Enter a code of the confirmed secret (or a recovery code).
    Code {
        /// In the demo only, for its staff accounts (whose password and key
        /// are public in the README): the code of now, so that trying the
        /// platform needs no authenticator app.
        demo_code: Option<String>,
    },
    /// Add this secret to an authenticator app, then type a code of it.
    Enrol {
        /// The key in base32 (RFC 4648), in groups of four for typing.
        key: String,
        /// The `otpauth://totp/…` address the QR code holds.
        address: String,
        /// The QR code, as an SVG document drawn by the server.
        qr_svg: String,
    },
}

/// The step of the pending sign-in.
///
/// # Errors
/// [`AppError::Unauthenticated`] without a pending sign-in.
#[server(prefix = "/api", endpoint = "connexion/code/etape")]
pub async fn second_factor_step() -> Result<Step, AppError> {
    crate::error::respond(handlers::step().await)
}

/// Checks `code` (6 digits of the authenticator app, or a recovery code)
/// and completes the pending sign-in: to `/compte`, or, when it confirmed
/// a new secret, to `/connexion/codes-de-secours`.
///
/// # Errors
/// [`AppError::Invalid`] on `code` when it is wrong or already used;
/// [`AppError::Unauthenticated`] without a pending sign-in (also after
/// [`MAX_ATTEMPTS`] wrong codes).
#[server(prefix = "/api", endpoint = "connexion/code")]
pub async fn verify_second_factor(#[server(default)] code: String) -> Result<(), AppError> {
    crate::error::respond(handlers::verify(code).await)
}

/// The recovery codes just made, once: a second call gets none.
///
/// # Errors
/// [`AppError::Unauthenticated`] signed out.
#[server(prefix = "/api", endpoint = "connexion/codes-de-secours")]
pub async fn take_recovery_codes() -> Result<Vec<String>, AppError> {
    crate::error::respond(handlers::take_codes().await)
}

/// A staff member's own second factor, as `/compte/double-authentification`
/// shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecondFactorStatus {
    /// The day it was added (`YYYY-MM-DD`, UTC).
    pub enrolled_on: String,
    /// Recovery codes not used yet, out of [`RECOVERY_CODES`].
    pub recovery_codes_left: u32,
}

/// The signed-in coordinator's or administrator's second factor.
///
/// # Errors
/// [`AppError::Unauthenticated`] signed out; [`AppError::NotFound`] for
/// other roles.
#[server(prefix = "/api", endpoint = "compte/double-authentification")]
pub async fn my_second_factor() -> Result<SecondFactorStatus, AppError> {
    crate::error::respond(handlers::status().await)
}

/// Replaces the signed-in staff member's recovery codes with ten new ones
/// (the earlier ones stop working), once `code`, a current code of their
/// authenticator app, proves they still hold it; the new codes are then
/// shown once at `/connexion/codes-de-secours`.
///
/// # Errors
/// [`AppError::Invalid`] on `code` when it is wrong or already used (a
/// recovery code does not do here); [`AppError::Unauthenticated`] signed
/// out, also after [`MAX_ATTEMPTS`] wrong codes (the login session ends);
/// [`AppError::NotFound`] for other roles.
#[server(prefix = "/api", endpoint = "compte/codes-de-secours")]
pub async fn renew_recovery_codes(#[server(default)] code: String) -> Result<(), AppError> {
    crate::error::respond(handlers::renew(code).await)
}

/// For an administrator: removes the second factor of the coordinator
/// `user_id` (who lost their phone and their recovery codes), ends their
/// login sessions and tells them by email; their next sign-in adds a new
/// one. Administrators' own are reset from the command line
/// (`binome admin reset-second-factor`).
///
/// # Errors
/// [`AppError::Unauthenticated`]; [`AppError::NotFound`] for other roles,
/// and when `user_id` is not a coordinator's.
#[server(prefix = "/api", endpoint = "administration/double-authentification")]
pub async fn reset_second_factor(#[server(default)] user_id: i64) -> Result<(), AppError> {
    crate::error::respond(handlers::reset_coordinator(user_id).await)
}

#[cfg(feature = "ssr")]
pub use handlers::reset;

#[cfg(feature = "ssr")]
pub mod totp {
    //! The TOTP computation (RFC 6238) and the stored secrets.

    use chrono::{DateTime, Utc};
    use rand::RngCore;
    use totp_rs::{Algorithm, Secret, TOTP};

    use crate::db::{Db, Tx};

    /// Seconds of one step.
    pub const STEP_SECONDS: u64 = 30;
    /// Steps of drift allowed either way.
    pub const SKEW: u64 = 1;

    /// A new secret: 20 random bytes (160 bits, RFC 4226 §4), in base32.
    pub fn new_secret() -> String {
        let mut bytes = [0_u8; 20];
        rand::rng().fill_bytes(&mut bytes);
        Secret::Raw(bytes.to_vec()).to_encoded().to_string()
    }

    /// The TOTP of `secret` (base32) for the account `account` (its
    /// address), issued by Binôme.
    ///
    /// # Errors
    /// A secret that is not base32 of at least 128 bits (a corrupt row).
    pub fn of(secret: &str, account: &str) -> Result<TOTP, String> {
        let bytes = Secret::Encoded(secret.to_owned())
            .to_bytes()
            .map_err(|e| format!("{e:?}"))?;
        TOTP::new(
            Algorithm::SHA1,
            6,
            1,
            STEP_SECONDS,
            bytes,
            Some("Binôme".to_owned()),
            account.to_owned(),
        )
        .map_err(|e| e.to_string())
    }

    /// The step of `at`.
    pub fn step_of(at: DateTime<Utc>) -> u64 {
        u64::try_from(at.timestamp()).unwrap_or(0) / STEP_SECONDS
    }

    /// The step within [`SKEW`] of `now` whose code is `code` and that is
    /// later than `after` (the last one used), if any.
    pub fn matching_step(totp: &TOTP, code: &str, now: DateTime<Utc>, after: u64) -> Option<u64> {
        let current = step_of(now);
        (current.saturating_sub(SKEW)..=current + SKEW)
            .filter(|step| *step > after)
            .find(|step| {
                let expected = totp.generate(step * STEP_SECONDS);
                constant_time_eq(expected.as_bytes(), code.as_bytes())
            })
    }

    fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
        a.len() == b.len() && a.iter().zip(b).fold(0_u8, |acc, (x, y)| acc | (x ^ y)) == 0
    }

    /// The account's secret: (base32, confirmed, last step used).
    ///
    /// # Errors
    /// The database's error.
    pub async fn find(db: &Db, user_id: i64) -> Result<Option<(String, bool, u64)>, sqlx::Error> {
        let row: Option<(String, Option<DateTime<Utc>>, i64)> = crate::on_db!(db, |pool| {
            sqlx::query_as(
                "SELECT secret, confirmed_at, last_step FROM second_factors WHERE user_id = $1",
            )
            .bind(user_id)
            .fetch_optional(pool)
            .await?
        });
        Ok(row.map(|(secret, confirmed, step)| {
            (
                secret,
                confirmed.is_some(),
                u64::try_from(step).unwrap_or(0),
            )
        }))
    }

    /// The account's unconfirmed secret, made if it has none.
    ///
    /// # Errors
    /// The database's error.
    pub async fn unconfirmed(
        db: &Db,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<String, sqlx::Error> {
        crate::on_db!(db, |pool| sqlx::query(
            "INSERT INTO second_factors (user_id, secret, created_at) VALUES ($1, $2, $3) \
             ON CONFLICT (user_id) DO NOTHING"
        )
        .bind(user_id)
        .bind(new_secret())
        .bind(now)
        .execute(pool)
        .await?
        .rows_affected());
        Ok(find(db, user_id)
            .await?
            .map(|(secret, _, _)| secret)
            .unwrap_or_default())
    }

    /// Records `step` as used (and the secret as confirmed), if no later
    /// step was used meanwhile. Returns whether it was recorded.
    ///
    /// # Errors
    /// The database's error.
    pub async fn use_step(
        tx: &mut Tx,
        user_id: i64,
        step: u64,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        Ok(crate::on_tx!(tx, |conn| sqlx::query(
            "UPDATE second_factors SET last_step = $2, confirmed_at = COALESCE(confirmed_at, $3) \
             WHERE user_id = $1 AND last_step < $2"
        )
        .bind(user_id)
        .bind(step)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected())
            == 1)
    }

    /// A new set of recovery codes for the account (the earlier ones stop
    /// working): `xxxxx-xxxxx`, 10 characters of base32 (50 bits) each.
    ///
    /// # Errors
    /// The database's error.
    pub async fn new_recovery_codes(
        tx: &mut Tx,
        user_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Vec<String>, sqlx::Error> {
        crate::on_tx!(tx, |conn| sqlx::query(
            "DELETE FROM recovery_codes WHERE user_id = $1"
        )
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected());
        let mut codes = Vec::with_capacity(super::RECOVERY_CODES);
        for _ in 0..super::RECOVERY_CODES {
            let mut bytes = [0_u8; 7];
            rand::rng().fill_bytes(&mut bytes);
            let letters = Secret::Raw(bytes.to_vec())
                .to_encoded()
                .to_string()
                .to_lowercase();
            let code = format!("{}-{}", &letters[..5], &letters[5..10]);
            crate::on_tx!(tx, |conn| sqlx::query(
                "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)"
            )
            .bind(user_id)
            .bind(crate::accounts::token::digest(&code))
            .bind(now)
            .execute(&mut *conn)
            .await?
            .rows_affected());
            codes.push(code);
        }
        Ok(codes)
    }

    /// Uses the recovery code `code` of the account, if it is one not used.
    ///
    /// # Errors
    /// The database's error.
    pub async fn use_recovery_code(
        tx: &mut Tx,
        user_id: i64,
        code: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        let code = code.trim().to_lowercase().replace(' ', "");
        Ok(crate::on_tx!(tx, |conn| sqlx::query(
            "UPDATE recovery_codes SET used_at = $3 \
             WHERE user_id = $1 AND code_hash = $2 AND used_at IS NULL"
        )
        .bind(user_id)
        .bind(crate::accounts::token::digest(&code))
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected())
            == 1)
    }

    /// The recovery codes of the account not used yet.
    ///
    /// # Errors
    /// The database's error.
    pub async fn recovery_codes_left(db: &Db, user_id: i64) -> Result<u32, sqlx::Error> {
        let count: i64 = crate::on_db!(db, |pool| sqlx::query_scalar(
            "SELECT COUNT(*) FROM recovery_codes WHERE user_id = $1 AND used_at IS NULL"
        )
        .bind(user_id)
        .fetch_one(pool)
        .await?);
        Ok(u32::try_from(count).unwrap_or(0))
    }

    /// When the account's secret was confirmed, if it has a confirmed one.
    ///
    /// # Errors
    /// The database's error.
    pub async fn confirmed_at(db: &Db, user_id: i64) -> Result<Option<DateTime<Utc>>, sqlx::Error> {
        let at: Option<Option<DateTime<Utc>>> = crate::on_db!(db, |pool| sqlx::query_scalar(
            "SELECT confirmed_at FROM second_factors WHERE user_id = $1"
        )
        .bind(user_id)
        .fetch_optional(pool)
        .await?);
        Ok(at.flatten())
    }

    /// Deletes the account's secret and recovery codes. Returns whether it
    /// had a secret.
    ///
    /// # Errors
    /// The database's error.
    pub async fn delete(tx: &mut Tx, user_id: i64) -> Result<bool, sqlx::Error> {
        crate::on_tx!(tx, |conn| sqlx::query(
            "DELETE FROM recovery_codes WHERE user_id = $1"
        )
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected());
        Ok(crate::on_tx!(tx, |conn| sqlx::query(
            "DELETE FROM second_factors WHERE user_id = $1"
        )
        .bind(user_id)
        .execute(&mut *conn)
        .await?
        .rows_affected())
            == 1)
    }

    #[cfg(test)]
    mod tests {
        use chrono::TimeZone;

        use super::*;

        /// RFC 6238, appendix B: the SHA-1 test vectors (8 digits there;
        /// the last 6 of them are the 6-digit codes, RFC 4226 §5.3).
        #[test]
        fn codes_are_those_of_rfc_6238() {
            // "12345678901234567890" in base32.
            let secret = "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ";
            let totp = of(secret, "test@example.org").expect("a valid secret");
            for (time, code) in [
                (59_u64, "287082"),
                (1_111_111_109, "081804"),
                (1_111_111_111, "050471"),
                (1_234_567_890, "005924"),
                (2_000_000_000, "279037"),
            ] {
                assert_eq!(totp.generate(time), code, "{time}");
            }
        }

        #[test]
        fn a_code_matches_its_step_or_the_next_one_once() {
            let secret = new_secret();
            assert_eq!(secret.len(), 32);
            let totp = of(&secret, "a@b.fr").expect("valid");
            let now = Utc
                .with_ymd_and_hms(2027, 3, 20, 9, 0, 10)
                .single()
                .expect("an instant");
            let step = step_of(now);
            let code = totp.generate(step * STEP_SECONDS);
            assert_eq!(matching_step(&totp, &code, now, 0), Some(step));
            // Used: refused again.
            assert_eq!(matching_step(&totp, &code, now, step), None);
            // The previous and next steps' codes pass; two steps off do not.
            let before = totp.generate((step - 1) * STEP_SECONDS);
            assert_eq!(matching_step(&totp, &before, now, 0), Some(step - 1));
            let far = totp.generate((step + 2) * STEP_SECONDS);
            assert_eq!(matching_step(&totp, &far, now, 0), None);
        }
    }
}

#[cfg(feature = "ssr")]
mod handlers {
    use chrono::{DateTime, Utc};

    use super::*;
    use crate::accounts::actor::{app_state, Actor};
    use crate::accounts::emails::SecondFactorReset;
    use crate::accounts::login_session;
    use crate::accounts::users::{self, User};
    use crate::accounts::Role;
    use crate::audit::store::{record, AuditActor};
    use crate::db::Tx;
    use crate::mail::outbox::{self, NewEmail};

    pub async fn step() -> Result<Step, AppError> {
        let state = app_state()?;
        let session = login_session::current_session().await?;
        let now = state.clock.now();
        let user = login_session::pending_user(&session, &state.db, now)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        let found = totp::find(&state.db, user.id)
            .await
            .map_err(AppError::from_db)?;
        if let Some((secret, true, last)) = found {
            let demo = matches!(
                crate::demo::status(&state.db)
                    .await
                    .map_err(AppError::from_db)?,
                crate::demo::Status::Demo { .. }
            ) && secret == crate::demo::TOTP_KEY
                && user.email.ends_with(crate::demo::EMAIL_DOMAIN);
            let demo_code = if demo {
                let totp = totp::of(&secret, &user.email).map_err(AppError::internal)?;
                let step = totp::step_of(now).max(last + 1);
                (step <= totp::step_of(now) + totp::SKEW)
                    .then(|| totp.generate(step * totp::STEP_SECONDS))
            } else {
                None
            };
            return Ok(Step::Code { demo_code });
        }
        let secret = totp::unconfirmed(&state.db, user.id, now)
            .await
            .map_err(AppError::from_db)?;
        let totp = totp::of(&secret, &user.email).map_err(AppError::internal)?;
        let address = totp.get_url();
        let qr_svg = qrcode::QrCode::new(address.as_bytes())
            .map_err(AppError::internal)?
            .render::<qrcode::render::svg::Color>()
            .min_dimensions(200, 200)
            .build();
        let key = secret
            .as_bytes()
            .chunks(4)
            .map(|chunk| String::from_utf8_lossy(chunk).into_owned())
            .collect::<Vec<_>>()
            .join(" ");
        Ok(Step::Enrol {
            key,
            address,
            qr_svg,
        })
    }

    pub async fn verify(code: String) -> Result<(), AppError> {
        let state = app_state()?;
        let session = login_session::current_session().await?;
        let now = state.clock.now();
        let user = login_session::pending_user(&session, &state.db, now)
            .await?
            .ok_or(AppError::Unauthenticated)?;
        limit_codes(&state, user.id).await?;
        let db = |error| AppError::from_db(error);
        let (secret, confirmed, last_step) = totp::find(&state.db, user.id)
            .await
            .map_err(db)?
            .ok_or(AppError::Unauthenticated)?;
        let totp = totp::of(&secret, &user.email).map_err(AppError::internal)?;
        let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let mut tx = state.db.begin_write().await.map_err(db)?;
        let accepted = match totp::matching_step(&totp, &digits, now, last_step) {
            Some(step) => totp::use_step(&mut tx, user.id, step, now)
                .await
                .map_err(db)?,
            // A recovery code, once the secret is confirmed.
            None if confirmed => totp::use_recovery_code(&mut tx, user.id, &code, now)
                .await
                .map_err(db)?,
            None => false,
        };
        if !accepted {
            drop(tx);
            let attempts = login_session::failed_attempt(&session).await?;
            if attempts >= MAX_ATTEMPTS {
                login_session::sign_out(&session).await?;
                return Err(AppError::Unauthenticated);
            }
            return Err(AppError::field(fields::CODE, "errors.second_factor.wrong"));
        }
        let codes = if confirmed {
            Vec::new()
        } else {
            totp::new_recovery_codes(&mut tx, user.id, now)
                .await
                .map_err(db)?
        };
        if !confirmed {
            record(
                &mut tx,
                &AuditActor {
                    user_id: Some(user.id),
                    label: format!("{} {} <{}>", user.first_name, user.last_name, user.email),
                },
                now,
                "account.second_factor_enrolled",
                ("user", &user.id.to_string()),
                "",
            )
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        login_session::complete(&session, &state.db, &user, now, codes.clone()).await?;
        leptos_axum::redirect(if codes.is_empty() {
            "/compte"
        } else {
            "/connexion/codes-de-secours"
        });
        Ok(())
    }

    /// Counts one code typed for the account `user_id`, from wherever:
    /// the per-session limit of [`MAX_ATTEMPTS`] alone could be outrun by
    /// parallel requests or new sessions.
    async fn limit_codes(state: &crate::state::AppState, user_id: i64) -> Result<(), AppError> {
        crate::accounts::rate_limit::limit(
            state,
            crate::accounts::rate_limit::Action::SecondFactorCode,
            &format!("user:{user_id}"),
        )
        .await
    }

    /// The signed-in coordinator or administrator.
    async fn staff() -> Result<(crate::state::AppState, Actor), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Coordinator, Role::Administrator]).await?;
        Ok((state, actor))
    }

    pub async fn status() -> Result<SecondFactorStatus, AppError> {
        let (state, actor) = staff().await?;
        let db = |error| AppError::from_db(error);
        // Signed in, staff have passed their second factor: it is confirmed.
        let enrolled = totp::confirmed_at(&state.db, actor.id())
            .await
            .map_err(db)?
            .ok_or(AppError::NotFound)?;
        Ok(SecondFactorStatus {
            enrolled_on: enrolled.date_naive().to_string(),
            recovery_codes_left: totp::recovery_codes_left(&state.db, actor.id())
                .await
                .map_err(db)?,
        })
    }

    pub async fn renew(code: String) -> Result<(), AppError> {
        let (state, actor) = staff().await?;
        let session = login_session::current_session().await?;
        let now = state.clock.now();
        let db = |error| AppError::from_db(error);
        let user = &actor.user;
        limit_codes(&state, user.id).await?;
        let (secret, _, last_step) = totp::find(&state.db, user.id)
            .await
            .map_err(db)?
            .ok_or(AppError::NotFound)?;
        let totp = totp::of(&secret, &user.email).map_err(AppError::internal)?;
        let digits: String = code.chars().filter(|c| !c.is_whitespace()).collect();
        let mut tx = state.db.begin_write().await.map_err(db)?;
        let accepted = match totp::matching_step(&totp, &digits, now, last_step) {
            Some(step) => totp::use_step(&mut tx, user.id, step, now)
                .await
                .map_err(db)?,
            None => false,
        };
        if !accepted {
            drop(tx);
            // Six digits are few: a stolen session may not guess them.
            if login_session::failed_renewal(&session).await? >= MAX_ATTEMPTS {
                login_session::sign_out(&session).await?;
                return Err(AppError::Unauthenticated);
            }
            return Err(AppError::field(fields::CODE, "errors.second_factor.wrong"));
        }
        let codes = totp::new_recovery_codes(&mut tx, user.id, now)
            .await
            .map_err(db)?;
        record(
            &mut tx,
            &AuditActor::from(&actor),
            now,
            "account.recovery_codes_renewed",
            ("user", &user.id.to_string()),
            "",
        )
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        login_session::keep_recovery_codes(&session, codes).await?;
        leptos_axum::redirect("/connexion/codes-de-secours");
        Ok(())
    }

    /// Removes `person`'s second factor and recovery codes, ends their
    /// login sessions (their session epoch is raised), queues the
    /// `second_factor_reset` email and writes the audit log, all in `tx`:
    /// their next sign-in adds a new second factor. Returns whether they
    /// had one; without one (a second click, say) nothing is done.
    ///
    /// # Errors
    /// The database's error.
    pub async fn reset(
        tx: &mut Tx,
        person: &User,
        actor: &AuditActor,
        public_url: &str,
        now: DateTime<Utc>,
    ) -> Result<bool, sqlx::Error> {
        if !totp::delete(tx, person.id).await? {
            return Ok(false);
        }
        crate::on_tx!(tx, |conn| sqlx::query(
            "UPDATE users SET session_epoch = session_epoch + 1, updated_at = $2 WHERE id = $1"
        )
        .bind(person.id)
        .bind(now)
        .execute(&mut *conn)
        .await?
        .rows_affected());
        let data = SecondFactorReset {
            first_name: person.first_name.clone(),
        };
        if let Some(email) = NewEmail::to_user(person, &data, public_url) {
            outbox::enqueue(tx, &email, now).await?;
        }
        record(
            tx,
            actor,
            now,
            "account.second_factor_reset",
            ("user", &person.id.to_string()),
            "",
        )
        .await?;
        Ok(true)
    }

    pub async fn reset_coordinator(user_id: i64) -> Result<(), AppError> {
        let state = app_state()?;
        let actor = Actor::require(&state, &[Role::Administrator]).await?;
        let db = |error| AppError::from_db(error);
        let now = state.clock.now();
        let mut tx = state.db.begin_write().await.map_err(db)?;
        let person = users::find_in(&mut tx, user_id)
            .await
            .map_err(db)?
            .filter(|person| person.role == Role::Coordinator)
            .ok_or(AppError::NotFound)?;
        reset(
            &mut tx,
            &person,
            &AuditActor::from(&actor),
            &state.public_url,
            now,
        )
        .await
        .map_err(db)?;
        tx.commit().await.map_err(db)?;
        leptos_axum::redirect("/administration");
        Ok(())
    }

    pub async fn take_codes() -> Result<Vec<String>, AppError> {
        let state = app_state()?;
        let session = login_session::current_session().await?;
        login_session::signed_in_user(&session, &state.db, state.clock.now())
            .await?
            .ok_or(AppError::Unauthenticated)?;
        login_session::take_recovery_codes(&session).await
    }
}
