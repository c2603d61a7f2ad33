//! Fuzz target: the school directory CSV (`app::schools::directory::parse`)
//! on any bytes, with the académies of Occitanie. Whatever the file holds,
//! the answer is schools or bad rows, never a panic (issue 10).

#![no_main]

use std::collections::HashMap;
use std::sync::OnceLock;

use app::academies::french_sort_key;
use libfuzzer_sys::fuzz_target;

/// The académies the import knows, keyed as `academy_codes` keys them (by
/// `french_sort_key` of their name), as in the parser's own tests.
fn academies() -> &'static HashMap<String, String> {
    static ACADEMIES: OnceLock<HashMap<String, String>> = OnceLock::new();
    ACADEMIES.get_or_init(|| {
        [("Toulouse", "toulouse"), ("Montpellier", "montpellier")]
            .into_iter()
            .map(|(name, code)| (french_sort_key(name), code.to_owned()))
            .collect()
    })
}

fuzz_target!(|bytes: &[u8]| {
    let _ = app::schools::directory::parse(bytes, academies());
});
