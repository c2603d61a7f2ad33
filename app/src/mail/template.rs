//! Email templates: one source per kind of email, rendered in the
//! recipient's language into a subject, a plain-text part and an HTML part.
//!
//! A kind is a file `templates/email/<kind>.jinja` (MiniJinja syntax) with
//! three blocks: `subject`, `text` and `html`. The same source is rendered
//! twice, once without escaping (subject and text) and once with HTML
//! escaping (the `html` block, then wrapped in `layout.html.jinja`). Texts
//! come from the locale file through `t("key", name=value)`, which fills
//! `%{name}` placeholders; links are made absolute with `link("/path")`.
//! Undefined variables and missing translations are errors, and the tests
//! render every template in every language.

use std::sync::LazyLock;

use minijinja::value::{Kwargs, Serde, Value};
use minijinja::{AutoEscape, Environment, ErrorKind, State, UndefinedBehavior};
use serde::Serialize;

use crate::i18n::Lang;
use crate::mail::address::HeaderText;

/// Data for one kind of email. Its fields are the template's variables.
pub trait EmailTemplate: Serialize {
    /// The template's name: the file `templates/email/<KIND>.jinja`.
    const KIND: &'static str;
}

/// The three parts of a rendered email.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RenderedEmail {
    pub subject: HeaderText,
    pub text: String,
    pub html: String,
}

/// A template that could not be rendered: a bug in the template or its
/// data, reported with the template's name.
#[derive(Debug, thiserror::Error)]
#[error("email template {kind}: {source}")]
pub struct RenderError {
    pub kind: &'static str,
    #[source]
    pub source: minijinja::Error,
}

/// Every template of an email kind, by file name. Adding a kind means adding
/// its file here; the tests fail until it has sample data.
pub const KINDS: &[(&str, &str)] = &[
    ("test", include_str!("../../templates/email/test.jinja")),
    (
        "confirm_email",
        include_str!("../../templates/email/confirm_email.jinja"),
    ),
    (
        "account_exists",
        include_str!("../../templates/email/account_exists.jinja"),
    ),
    (
        "reset_password",
        include_str!("../../templates/email/reset_password.jinja"),
    ),
    (
        "parent_consent",
        include_str!("../../templates/email/parent_consent.jinja"),
    ),
    (
        "parent_sign_in",
        include_str!("../../templates/email/parent_sign_in.jinja"),
    ),
    (
        "consent_withdrawn",
        include_str!("../../templates/email/consent_withdrawn.jinja"),
    ),
    (
        "problem_reported",
        include_str!("../../templates/email/problem_reported.jinja"),
    ),
    (
        "invitation",
        include_str!("../../templates/email/invitation.jinja"),
    ),
    (
        "check_expired",
        include_str!("../../templates/email/check_expired.jinja"),
    ),
    (
        "proposal",
        include_str!("../../templates/email/proposal.jinja"),
    ),
    (
        "match_started",
        include_str!("../../templates/email/match_started.jinja"),
    ),
    (
        "series_proposed",
        include_str!("../../templates/email/series_proposed.jinja"),
    ),
    (
        "series_confirmed",
        include_str!("../../templates/email/series_confirmed.jinja"),
    ),
    (
        "session_cancelled",
        include_str!("../../templates/email/session_cancelled.jinja"),
    ),
    (
        "session_reminder",
        include_str!("../../templates/email/session_reminder.jinja"),
    ),
    (
        "session_moved",
        include_str!("../../templates/email/session_moved.jinja"),
    ),
    (
        "series_ended",
        include_str!("../../templates/email/series_ended.jinja"),
    ),
    (
        "series_booked_parent",
        include_str!("../../templates/email/series_booked_parent.jinja"),
    ),
    (
        "sessions_paused",
        include_str!("../../templates/email/sessions_paused.jinja"),
    ),
    (
        "sessions_skipped",
        include_str!("../../templates/email/sessions_skipped.jinja"),
    ),
    (
        "feedback_asked",
        include_str!("../../templates/email/feedback_asked.jinja"),
    ),
    (
        "match_ended",
        include_str!("../../templates/email/match_ended.jinja"),
    ),
    (
        "account_inactive",
        include_str!("../../templates/email/account_inactive.jinja"),
    ),
    (
        "second_factor_reset",
        include_str!("../../templates/email/second_factor_reset.jinja"),
    ),
];

const HTML_LAYOUT: &str = include_str!("../../templates/email/layout.html.jinja");
const TEXT_LAYOUT: &str = include_str!("../../templates/email/layout.txt.jinja");

static PLAIN: LazyLock<Environment<'static>> = LazyLock::new(|| environment(AutoEscape::None));
static HTML: LazyLock<Environment<'static>> = LazyLock::new(|| environment(AutoEscape::Html));

fn environment(escape: AutoEscape) -> Environment<'static> {
    let mut env = Environment::new();
    env.set_undefined_behavior(UndefinedBehavior::Strict);
    if let Ok(syntax) = minijinja::syntax::SyntaxConfig::builder()
        .trim_blocks(true)
        .lstrip_blocks(true)
        .build()
    {
        env.set_syntax(syntax);
    }
    env.set_auto_escape_callback(move |_| escape.clone());
    env.add_function("t", translate);
    env.add_function("link", link);
    for &(name, source) in KINDS {
        // A syntax error shows up as a render error of that kind, in tests.
        let _ = env.add_template(name, source);
    }
    let _ = env.add_template("layout.html", HTML_LAYOUT);
    let _ = env.add_template("layout.txt", TEXT_LAYOUT);
    env
}

/// `t("key", name=value, …)`: the text of `key` in the email's language,
/// with each `%{name}` replaced by its value. The text is read once, so a
/// value that itself contains `%{…}` (a name typed by a user) stays as it
/// is. A placeholder without a value, or a value without a placeholder, is
/// an error.
fn translate(state: &State, key: &str, arguments: Kwargs) -> Result<String, minijinja::Error> {
    let lang = state_lang(state)?;
    let text = crate::_rust_i18n_try_translate(lang.code(), key).ok_or_else(|| {
        minijinja::Error::new(
            ErrorKind::UndefinedError,
            format!("no {} text for the key {key}", lang.code()),
        )
    })?;
    let mut filled = String::with_capacity(text.len());
    let mut used = Vec::new();
    let mut rest: &str = &text;
    while let Some(start) = rest.find("%{") {
        filled.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let end = after.find('}').ok_or_else(|| {
            minijinja::Error::new(
                ErrorKind::InvalidOperation,
                format!("the text {key} has an unclosed %{{"),
            )
        })?;
        let name = &after[..end];
        let value: Value = arguments.get(name).map_err(|_| {
            minijinja::Error::new(
                ErrorKind::UndefinedError,
                format!("the text {key} needs a value for %{{{name}}}"),
            )
        })?;
        filled.push_str(&value.to_string());
        used.push(name.to_owned());
        rest = &after[end + 1..];
    }
    filled.push_str(rest);
    if let Some(unused) = arguments
        .args()
        .find(|name| !used.iter().any(|u| u == name))
    {
        return Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            format!("the text {key} has no placeholder %{{{unused}}}"),
        ));
    }
    Ok(filled)
}

/// `link("/path")`: the absolute URL of a path of the platform. In HTML it
/// comes escaped for an attribute (`&` as `&amp;`), slashes left readable.
fn link(state: &State, path: &str) -> Result<Value, minijinja::Error> {
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            format!("link() takes a path starting with one /, not {path:?}"),
        ));
    }
    let base = state
        .lookup("public_url")
        .ok_or_else(|| minijinja::Error::new(ErrorKind::UndefinedError, "no public_url"))?;
    let url = format!("{}{path}", base.as_str().unwrap_or_default());
    Ok(match state.auto_escape() {
        AutoEscape::Html => Value::from_safe_string(
            url.replace('&', "&amp;")
                .replace('"', "&quot;")
                .replace('\'', "&#39;")
                .replace('<', "&lt;")
                .replace('>', "&gt;"),
        ),
        _ => Value::from(url),
    })
}

fn state_lang(state: &State) -> Result<Lang, minijinja::Error> {
    state
        .lookup("lang")
        .and_then(|v| v.as_str().and_then(Lang::from_code))
        .ok_or_else(|| minijinja::Error::new(ErrorKind::UndefinedError, "no lang"))
}

/// Renders `data` with the template of its kind, in `lang`, with links under
/// `public_url` (e.g. `https://binome.example.fr`, no trailing slash).
///
/// # Errors
/// [`RenderError`] when the template is missing, invalid, uses an undefined
/// variable or a text missing from the locale file.
pub fn render<T: EmailTemplate>(
    data: &T,
    lang: Lang,
    public_url: &str,
) -> Result<RenderedEmail, RenderError> {
    let error = |source| RenderError {
        kind: T::KIND,
        source,
    };
    let context = minijinja::context! {
        lang => lang.code(),
        public_url => public_url,
        ..Value::from(Serde(data))
    };

    let mut plain = PLAIN
        .get_template(T::KIND)
        .and_then(|t| t.render_captured(context.clone()))
        .map_err(error)?;
    let subject = HeaderText::new(
        &plain
            .with_state_mut(|s| s.render_block("subject"))
            .map_err(error)?,
    );
    let text_body = tidy_text(
        &plain
            .with_state_mut(|s| s.render_block("text"))
            .map_err(error)?,
    );
    let html_body = HTML
        .get_template(T::KIND)
        .and_then(|t| t.render_captured(context))
        .and_then(|mut captured| captured.with_state_mut(|s| s.render_block("html")))
        .map_err(error)?;

    let layout_context = minijinja::context! {
        lang => lang.code(),
        public_url => public_url,
        subject => subject.as_str(),
        content => Value::from_safe_string(html_body),
    };
    let html = HTML
        .get_template("layout.html")
        .and_then(|t| t.render(&layout_context))
        .map_err(error)?;
    let text = PLAIN
        .get_template("layout.txt")
        .and_then(|t| {
            t.render(minijinja::context! {
                lang => lang.code(),
                public_url => public_url,
                content => text_body,
            })
        })
        .map(|t| tidy_text(&t))
        .map_err(error)?;

    if subject.is_empty() {
        return Err(error(minijinja::Error::new(
            ErrorKind::InvalidOperation,
            "the subject is empty",
        )));
    }
    Ok(RenderedEmail {
        subject,
        text,
        html,
    })
}

/// Plain text as mail readers like it: no trailing spaces, no more than one
/// blank line in a row, one final newline.
fn tidy_text(text: &str) -> String {
    let mut tidy = String::with_capacity(text.len());
    let mut blank_lines = 0;
    for line in text.trim().lines() {
        // "-- " opens a signature (RFC 3676 §4.3): its space stays.
        let line = if line == "-- " { line } else { line.trim_end() };
        if line.is_empty() {
            blank_lines += 1;
            if blank_lines > 1 {
                continue;
            }
        } else {
            blank_lines = 0;
        }
        tidy.push_str(line);
        tidy.push('\n');
    }
    tidy
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::emails::{
        AccountExists, ConfirmEmail, Invitation, ResetPassword, SecondFactorReset,
    };
    use crate::feedback::emails::FeedbackAsked;
    use crate::mail::TestEmail;
    use crate::match_end::emails::MatchEnded;
    use crate::privacy::retention::AccountInactive;
    use crate::proposals::emails::{MatchStarted, ProposalToTutor};
    use crate::pupils::emails::{ConsentWithdrawn, ParentConsent, ParentSignIn, ProblemReported};
    use crate::sessions::emails::{
        SeriesBookedParent, SeriesConfirmed, SeriesEnded, SeriesProposed, SessionCancelled,
        SessionMoved, SessionReminder, SessionsPaused, SessionsSkipped,
    };
    use crate::tutors::emails::CheckExpired;

    const BASE: &str = "https://binome.example.fr";
    /// The video server of the samples' places.
    const VIDEO_SAMPLE: &str = "https://visio.example.fr/binome-";

    /// Renders every kind's sample in `lang`. A kind in [`KINDS`] without a
    /// sample here fails the test.
    fn render_samples(lang: Lang) -> Vec<(&'static str, RenderedEmail)> {
        let (confirm, exists, reset) = crate::accounts::emails::samples();
        let rendered = vec![
            (TestEmail::KIND, render(&TestEmail::sample(), lang, BASE)),
            (ConfirmEmail::KIND, render(&confirm, lang, BASE)),
            (AccountExists::KIND, render(&exists, lang, BASE)),
            (ResetPassword::KIND, render(&reset, lang, BASE)),
            (
                ParentConsent::KIND,
                render(
                    &ParentConsent {
                        child_name: "Zoé Martin".into(),
                        school_name: "Lycée Pierre-d'Aragon".into(),
                        link_path: "/parent/consentement?jeton=abc".into(),
                    },
                    lang,
                    BASE,
                ),
            ),
            (
                ParentSignIn::KIND,
                render(
                    &ParentSignIn {
                        link_path: "/parent/entrer?jeton=abc".into(),
                    },
                    lang,
                    BASE,
                ),
            ),
            (
                ConsentWithdrawn::KIND,
                render(
                    &ConsentWithdrawn {
                        coordinator_name: "Camille Durand".into(),
                        child_name: "Zoé Martin".into(),
                        school_name: "Lycée Pierre-d'Aragon".into(),
                    },
                    lang,
                    BASE,
                ),
            ),
            (
                ProblemReported::KIND,
                render(
                    &ProblemReported {
                        coordinator_name: "Camille Durand".into(),
                    },
                    lang,
                    BASE,
                ),
            ),
            (
                Invitation::KIND,
                render(
                    &Invitation {
                        first_name: "Camille".into(),
                        role_key: "accounts.role.coordinator".into(),
                        link_path: "/mot-de-passe/nouveau?jeton=abc".into(),
                    },
                    lang,
                    BASE,
                ),
            ),
            (
                CheckExpired::KIND,
                render(
                    &CheckExpired {
                        name: "Camille Durand".into(),
                        tutor_name: "Hugo Bernard".into(),
                        for_tutor: false,
                    },
                    lang,
                    BASE,
                ),
            ),
            (
                ProposalToTutor::KIND,
                render(&ProposalToTutor::sample(), lang, BASE),
            ),
            (
                MatchStarted::KIND,
                render(&MatchStarted::sample(), lang, BASE),
            ),
            (
                SeriesProposed::KIND,
                render(&SeriesProposed::sample(), lang, BASE),
            ),
            (
                SeriesConfirmed::KIND,
                render(&SeriesConfirmed::sample(), lang, BASE),
            ),
            (
                SessionCancelled::KIND,
                render(&SessionCancelled::sample(), lang, BASE),
            ),
            (
                SessionReminder::KIND,
                render(&SessionReminder::sample(), lang, BASE),
            ),
            (
                SessionMoved::KIND,
                render(&SessionMoved::sample(), lang, BASE),
            ),
            (
                SeriesEnded::KIND,
                render(&SeriesEnded::sample(), lang, BASE),
            ),
            (
                SeriesBookedParent::KIND,
                render(&SeriesBookedParent::sample(), lang, BASE),
            ),
            (
                SessionsPaused::KIND,
                render(&SessionsPaused::sample(), lang, BASE),
            ),
            (
                SessionsSkipped::KIND,
                render(&SessionsSkipped::sample(), lang, BASE),
            ),
            (
                FeedbackAsked::KIND,
                render(&FeedbackAsked::sample(), lang, BASE),
            ),
            (MatchEnded::KIND, render(&MatchEnded::sample(), lang, BASE)),
            (
                AccountInactive::KIND,
                render(&AccountInactive::sample(), lang, BASE),
            ),
            (
                SecondFactorReset::KIND,
                render(
                    &SecondFactorReset {
                        first_name: "Camille".into(),
                    },
                    lang,
                    BASE,
                ),
            ),
        ];
        let sampled: Vec<&str> = rendered.iter().map(|(kind, _)| *kind).collect();
        let declared: Vec<&str> = KINDS.iter().map(|(kind, _)| *kind).collect();
        assert_eq!(sampled, declared, "every template kind needs a sample");
        rendered
            .into_iter()
            .map(|(kind, result)| (kind, result.unwrap_or_else(|e| panic!("{e}"))))
            .collect()
    }

    #[test]
    fn every_template_renders_in_every_language() {
        for lang in Lang::ALL {
            for (kind, email) in render_samples(lang) {
                assert!(!email.subject.is_empty(), "{kind}");
                assert!(
                    email.text.ends_with('\n') && !email.text.contains("\n\n\n"),
                    "{kind}"
                );
                assert!(
                    email.html.starts_with("<!DOCTYPE html>")
                        && email
                            .html
                            .contains(&format!("<html lang=\"{}\"", lang.code())),
                    "{kind}: {}",
                    email.html
                );
                for part in [email.subject.as_str(), &email.text, &email.html] {
                    // "email" then a dot then a lowercase letter: a key left raw.
                    let raw_key = part.match_indices("email").any(|(index, _)| {
                        let rest = &part[index + 5..];
                        rest.starts_with('.')
                            && rest[1..].starts_with(|c: char| c.is_ascii_lowercase())
                    });
                    assert!(!raw_key, "{kind}: a raw key in {part}");
                    assert!(!part.contains("%{"), "{kind}: a placeholder in {part}");
                }
                // Every link is absolute and under the public URL, but
                // the pair's video link (BINOME_VIDEO_URL_TEMPLATE's server,
                // in the samples' places), which is text, not a `href`.
                for part in [&email.text, &email.html] {
                    for (index, _) in part.match_indices("http") {
                        assert!(
                            part[index..].starts_with(BASE)
                                || part[index..].starts_with(VIDEO_SAMPLE)
                                || part[index..].starts_with(&VIDEO_SAMPLE.replace('/', "&#x2f;")),
                            "{kind}: {}",
                            &part[index..]
                        );
                    }
                }
                let hrefs = email.html.matches("href=").count();
                assert!(hrefs > 0, "{kind}: no link");
                assert_eq!(
                    email.html.matches(&format!("href=\"{BASE}/")).count(),
                    hrefs,
                    "{kind}: a link that is not absolute"
                );
                assert!(!email.html.contains("src="), "{kind}: no remote images");
            }
        }
    }

    #[test]
    fn the_languages_differ_and_the_data_is_escaped_in_html_only() {
        let mut sample = TestEmail::sample();
        sample.requested_by = "<b>Émile & Zoé</b>".into();
        let fr = render(&sample, Lang::Fr, BASE).expect("renders");
        let en = render(&sample, Lang::En, BASE).expect("renders");
        assert_ne!(fr.subject, en.subject);
        assert!(fr.text.contains("<b>Émile & Zoé</b>"), "{}", fr.text);
        assert!(
            fr.html.contains("&lt;b&gt;Émile &amp; Zoé&lt;&#x2f;b&gt;"),
            "{}",
            fr.html
        );
        assert!(!fr.html.contains("<b>Émile"));
    }

    #[test]
    fn data_that_looks_like_a_placeholder_is_kept_as_typed() {
        let sample = TestEmail {
            requested_by: "%{requested_by} %{x".into(),
        };
        let email = render(&sample, Lang::Fr, BASE).expect("renders");
        assert!(
            email.text.contains("par %{requested_by} %{x."),
            "{}",
            email.text
        );
    }

    #[test]
    fn translate_checks_keys_and_placeholders() {
        let env = environment(AutoEscape::None);
        let run = |source: &str| {
            env.render_str(
                source,
                minijinja::context! { lang => "fr", public_url => BASE },
            )
        };
        assert!(run("{{ t('email.no_such_text') }}").is_err());
        assert!(run("{{ t('email.test.body', nope=1) }}").is_err());
        assert!(
            run("{{ t('email.test.body') }}").is_err(),
            "a placeholder is left"
        );
        assert_eq!(
            run("{{ link('/a?b=c&d=e') }}").expect("renders"),
            format!("{BASE}/a?b=c&d=e")
        );
        let html = environment(AutoEscape::Html)
            .render_str(
                "{{ link('/a?b=c&d=\"e') }}",
                minijinja::context! { lang => "fr", public_url => BASE },
            )
            .expect("renders");
        assert_eq!(html, format!("{BASE}/a?b=c&amp;d=&quot;e"));
        assert!(run("{{ link('https://evil.example') }}").is_err());
        assert!(run("{{ link('//evil.example') }}").is_err());
        assert!(
            run("{{ nothing }}").is_err(),
            "undefined variables are errors"
        );
    }

    #[test]
    fn tidy_text_keeps_one_blank_line() {
        assert_eq!(tidy_text("\n a  \n\n\n\nb \n\n"), "a\n\nb\n");
        assert_eq!(tidy_text("a\n-- \nb"), "a\n-- \nb\n");
    }
}
