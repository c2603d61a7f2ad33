//! Languages of the interface: French by default, English selectable.
//!
//! The texts live in `locales/app.yml` and are looked up with
//! [`rust_i18n`]. The chosen language is remembered in the [`LANG_COOKIE`]
//! cookie, which both the server (no JavaScript needed) and the hydrated page
//! (no reload needed) can set.

use leptos::prelude::*;
use rust_i18n::t;
use serde::{Deserialize, Serialize};

/// Name of the cookie holding the chosen language code (`fr` or `en`).
/// Not `HttpOnly`: the hydrated page sets it too; it holds no secret.
pub const LANG_COOKIE: &str = "binome_lang";

/// How long the language choice is remembered, in seconds (one year).
pub const LANG_COOKIE_MAX_AGE_SECONDS: i64 = 365 * 24 * 60 * 60;

/// A language of the interface.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum Lang {
    /// French, the default.
    #[default]
    Fr,
    /// English.
    En,
}

impl Lang {
    /// Every language, the default first.
    pub const ALL: [Lang; 2] = [Lang::Fr, Lang::En];

    /// The BCP 47 code used in `<html lang>`, the cookie and the locale file.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Fr => "fr",
            Lang::En => "en",
        }
    }

    /// Parses a language code (`fr`, `en`; case-insensitive, a region
    /// subtag such as `fr-CA` is accepted and ignored). `None` for any other.
    pub fn from_code(code: &str) -> Option<Lang> {
        let primary = code.split(['-', '_']).next()?.trim();
        Lang::ALL
            .into_iter()
            .find(|lang| lang.code().eq_ignore_ascii_case(primary))
    }

    /// The language to offer in the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::Fr => Lang::En,
            Lang::En => Lang::Fr,
        }
    }
}

#[derive(Clone, Copy, Debug)]
struct LangContext(RwSignal<Lang>);

/// Makes `lang` the reactive language of everything rendered below.
pub fn provide_lang(lang: Lang) {
    provide_context(LangContext(RwSignal::new(lang)));
}

/// The reactive language of the current page (French outside an [`App`](crate::shell::App)).
pub fn use_lang() -> RwSignal<Lang> {
    use_context::<LangContext>()
        .map(|context| context.0)
        .unwrap_or_else(|| RwSignal::new(Lang::default()))
}

/// The text of `key` in `lang`. A missing key yields the key itself, which the
/// locale tests catch.
pub fn text(lang: Lang, key: &str) -> String {
    t!(key, locale = lang.code()).into_owned()
}

/// The locale keys of the months, January first (`months.1` … `months.12`).
pub const MONTH_KEYS: [&str; 12] = [
    "months.1",
    "months.2",
    "months.3",
    "months.4",
    "months.5",
    "months.6",
    "months.7",
    "months.8",
    "months.9",
    "months.10",
    "months.11",
    "months.12",
];

/// A date `YYYY-MM-DD` in words, in `lang`: `30 mars 2027`, `30 March
/// 2027` (the text as it is when it is not such a date). In French the
/// first of the month is an ordinal, `1er mars 2027` (Lexique des règles
/// typographiques en usage à l'Imprimerie nationale).
pub fn date_text(lang: Lang, iso: &str) -> String {
    let parts: Vec<&str> = iso.splitn(3, '-').collect();
    let (Some(year), Some(month), Some(day)) = (
        parts.first(),
        parts.get(1).and_then(|m| m.parse::<usize>().ok()),
        parts.get(2).and_then(|d| d.parse::<u32>().ok()),
    ) else {
        return iso.to_owned();
    };
    match MONTH_KEYS.get(month.wrapping_sub(1)) {
        Some(key) => {
            let ordinal = if lang == Lang::Fr && day == 1 {
                "er"
            } else {
                ""
            };
            format!("{day}{ordinal} {} {year}", text(lang, key))
        }
        None => iso.to_owned(),
    }
}

/// A reactive text: the translation of `key` that follows the page's language.
pub fn tr(key: &'static str) -> impl Fn() -> String + Copy + Send + Sync + 'static {
    let lang = use_lang();
    // The language when the text was made, for a read after the page's
    // reactive owner is gone: the server reads the `<title>` once the page
    // is rendered, and under load the owner was sometimes disposed by then
    // (a "disposed reactive value" panic, answered 500).
    let initial = lang.get_untracked();
    move || text(lang.try_get().unwrap_or(initial), key)
}

/// Makes `lang` the page's language in the browser: `<html lang>` and the
/// cookie, so the next page the server renders is in the same language.
#[cfg(feature = "hydrate")]
pub fn remember_lang_in_browser(lang: Lang) {
    use wasm_bindgen::JsCast;
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    if let Some(root) = document.document_element() {
        // Only the lang attribute of the page is at stake; nothing to recover.
        let _ = root.set_attribute("lang", lang.code());
    }
    if let Ok(html) = document.dyn_into::<web_sys::HtmlDocument>() {
        let _ = html.set_cookie(&format!(
            "{LANG_COOKIE}={}; Path=/; Max-Age={LANG_COOKIE_MAX_AGE_SECONDS}; SameSite=Lax",
            lang.code()
        ));
    }
}

/// The language the server rendered the page in, read from `<html lang>`.
#[cfg(not(feature = "ssr"))]
pub fn lang_of_document() -> Lang {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.document_element())
            .and_then(|root| root.get_attribute("lang"))
            .and_then(|code| Lang::from_code(&code))
            .unwrap_or_default()
    }
    #[cfg(not(feature = "hydrate"))]
    {
        Lang::default()
    }
}

/// The language a request asks for: the [`LANG_COOKIE`] cookie first, then
/// the best of `Accept-Language` (RFC 9110 §12.5.4) among the supported
/// languages, then French.
#[cfg(feature = "ssr")]
pub fn lang_of_headers(headers: &http::HeaderMap) -> Lang {
    let from_cookie = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(cookie::Cookie::split_parse)
        .filter_map(Result::ok)
        .find(|c| c.name() == LANG_COOKIE)
        .and_then(|c| Lang::from_code(c.value()));
    if let Some(lang) = from_cookie {
        return lang;
    }
    headers
        .get(http::header::ACCEPT_LANGUAGE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| {
            // `parse` lists the tags by decreasing quality; the first we
            // support (`fr-FR` counts as `fr`) wins.
            accept_language::parse(value)
                .iter()
                .find_map(|tag| Lang::from_code(tag))
        })
        .unwrap_or_default()
}

/// `value` with at most `places` decimals, in the language's notation:
/// `3,5` (French), `3.5` (English); trailing zeros dropped (`4`).
pub fn decimal(lang: Lang, value: f64, places: usize) -> String {
    let shown = format!("{value:.places$}");
    let shown = if shown.contains('.') {
        shown.trim_end_matches('0').trim_end_matches('.').to_owned()
    } else {
        shown
    };
    // "-0" after rounding a tiny negative.
    let shown = if shown == "-0" { "0".to_owned() } else { shown };
    match lang {
        Lang::Fr => shown.replace('.', ","),
        Lang::En => shown,
    }
}

/// A length in minutes as French and English readers both write it on a
/// timetable: `5 h 15`, `20 h 00`.
pub fn hours_minutes(minutes: u32) -> String {
    format!("{} h {:02}", minutes / 60, minutes % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_read_in_words_and_other_text_stays() {
        assert_eq!(date_text(Lang::Fr, "2027-03-30"), "30 mars 2027");
        assert_eq!(date_text(Lang::En, "2027-05-01"), "1 May 2027");
        assert_eq!(date_text(Lang::Fr, "2027-09-01"), "1er septembre 2027");
        assert_eq!(date_text(Lang::Fr, "2027-09-11"), "11 septembre 2027");
        assert_eq!(date_text(Lang::Fr, "2027-13-01"), "2027-13-01");
        assert_eq!(date_text(Lang::Fr, "demain"), "demain");
    }

    #[test]
    fn a_text_read_after_its_owner_is_gone_keeps_its_language() {
        let owner = Owner::new();
        let (lang, title) = owner.with(|| {
            provide_lang(Lang::En);
            (use_lang(), tr("site.title"))
        });
        assert_eq!(title(), text(Lang::En, "site.title"));
        owner.cleanup();
        // The language signal is disposed: the text stays in English.
        assert_eq!(lang.try_get(), None);
        assert_eq!(title(), text(Lang::En, "site.title"));
        assert_ne!(text(Lang::En, "site.title"), text(Lang::Fr, "site.title"));
    }

    #[test]
    fn codes_round_trip_and_regions_are_ignored() {
        for lang in Lang::ALL {
            assert_eq!(Lang::from_code(lang.code()), Some(lang));
        }
        assert_eq!(Lang::from_code("FR-ca"), Some(Lang::Fr));
        assert_eq!(Lang::from_code("en_GB"), Some(Lang::En));
        assert_eq!(Lang::from_code("de"), None);
        assert_eq!(Lang::from_code(""), None);
    }

    #[test]
    fn other_is_an_involution() {
        for lang in Lang::ALL {
            assert_ne!(lang.other(), lang);
            assert_eq!(lang.other().other(), lang);
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn cookie_wins_over_accept_language_which_wins_over_default() {
        use http::{header, HeaderMap, HeaderValue};
        let mut headers = HeaderMap::new();
        assert_eq!(lang_of_headers(&headers), Lang::Fr);

        headers.insert(
            header::ACCEPT_LANGUAGE,
            HeaderValue::from_static("de-DE, en;q=0.8, fr;q=0.5"),
        );
        assert_eq!(lang_of_headers(&headers), Lang::En);

        headers.insert(
            header::COOKIE,
            HeaderValue::from_static("other=1; binome_lang=fr"),
        );
        assert_eq!(lang_of_headers(&headers), Lang::Fr);

        headers.insert(header::COOKIE, HeaderValue::from_static("binome_lang=xx"));
        assert_eq!(
            lang_of_headers(&headers),
            Lang::En,
            "a bad cookie is ignored"
        );
    }

    #[test]
    fn decimals_follow_the_language() {
        assert_eq!(decimal(Lang::Fr, 3.8333, 2), "3,83");
        assert_eq!(decimal(Lang::En, 3.8333, 2), "3.83");
        assert_eq!(decimal(Lang::Fr, 4.0, 1), "4");
        assert_eq!(decimal(Lang::Fr, 6.5, 1), "6,5");
        assert_eq!(decimal(Lang::Fr, -0.001, 1), "0");
        assert_eq!(decimal(Lang::En, -1.26, 1), "-1.3");
        assert_eq!(hours_minutes(315), "5 h 15");
        assert_eq!(hours_minutes(1200), "20 h 00");
    }
}
