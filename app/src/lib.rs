//! Binôme's web application: pages, components, server functions and the
//! domain code they call.
//!
//! Built twice: with feature `ssr` for the server (rendering, server
//! functions, database access) and with feature `hydrate` for the browser
//! (the WebAssembly bundle that makes the server-rendered page interactive).

// All user-facing text lives in `locales/app.yml` (French first, English second).
rust_i18n::i18n!("locales");

pub mod academies;
pub mod accounts;
pub mod alerts;
pub mod attestation;
pub mod audit;
pub mod availability;
pub mod charts;
pub mod components;
pub mod coordination;
pub mod dashboard;
#[cfg(feature = "ssr")]
pub mod demo;
pub mod error;
pub mod feedback;
pub mod help_requests;
pub mod i18n;
pub mod levels;
pub mod mail;
pub mod match_end;
pub mod matching;
pub mod meeting;
pub mod offers;
pub mod pages;
pub mod privacy;
pub mod proposals;
pub mod pupils;
pub mod schools;
pub mod security;
pub mod sessions;
pub mod shell;
pub mod subjects;
pub mod tutors;

#[cfg(feature = "ssr")]
pub mod clock;
#[cfg(feature = "ssr")]
pub mod db;
#[cfg(feature = "ssr")]
pub mod request;
#[cfg(feature = "ssr")]
pub mod spreadsheet;
#[cfg(feature = "ssr")]
pub mod state;

/// Entry point of the browser bundle: attaches the interactive code to the
/// server-rendered `<body>`, then marks the body with `data-hydrated` so that
/// tests (and curious people) can tell when the page became interactive.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_body(shell::App);
    if let Some(body) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.body())
    {
        // Failing to set a marker attribute only affects tests; ignore it.
        let _ = body.dataset().set("hydrated", "true");
    }
}

#[cfg(test)]
mod locale_tests {
    //! Every text key the code uses exists in every language.

    use crate::i18n::Lang;
    use std::path::Path;

    /// String literals of the code that look like locale keys
    /// (`section.name…`, lowercase, dotted, in a known section).
    fn keys_used_in(dir: &Path, sections: &[&str], found: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).expect("source folder is readable") {
            let path = entry.expect("entry is readable").path();
            if path.is_dir() {
                keys_used_in(&path, sections, found);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let source = std::fs::read_to_string(&path).expect("source is UTF-8");
                for literal in source.split('"').skip(1).step_by(2) {
                    let is_key = literal.contains('.')
                        && literal.chars().all(|c| {
                            c.is_ascii_lowercase() || c.is_ascii_digit() || "._".contains(c)
                        })
                        && sections
                            .iter()
                            .any(|s| literal.starts_with(&format!("{s}.")));
                    if is_key {
                        found.push(literal.to_owned());
                    }
                }
            }
        }
    }

    #[test]
    fn every_key_used_in_the_code_is_translated_in_every_language() {
        let sections = [
            "site",
            "language",
            "common",
            "home",
            "not_found",
            "errors",
            "email",
            "import",
            "accounts",
            "profiles",
            "months",
            "parents",
            "pupils",
            "tutors",
            "coordination",
            "admin",
            "reports",
            "days",
            "meeting",
            "availability",
            "requests",
            "offers",
            "matching",
            "proposals",
            "matches",
            "feedback",
            "match_end",
            "alerts",
            "exports",
            "attestation",
            "dashboard",
        ];
        let mut keys = Vec::new();
        keys_used_in(
            &Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
            &sections,
            &mut keys,
        );
        assert!(keys.len() > 30, "the scan found only {} keys", keys.len());
        let mut missing = Vec::new();
        for key in &keys {
            for lang in Lang::ALL {
                if crate::_rust_i18n_try_translate(lang.code(), key).is_none() {
                    missing.push(format!("{}: {key}", lang.code()));
                }
            }
        }
        assert!(missing.is_empty(), "untranslated keys: {missing:?}");
    }

    #[test]
    fn french_and_english_texts_differ_where_they_should() {
        assert_eq!(crate::i18n::text(Lang::Fr, "language.name"), "Français");
        assert_eq!(crate::i18n::text(Lang::En, "language.name"), "English");
        assert_eq!(crate::i18n::text(Lang::Fr, "no.such.key"), "no.such.key");
    }
}
