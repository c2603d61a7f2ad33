//! The fuzz corpus replayed as ordinary tests (issue 10): every input kept
//! in `fuzz/corpus/` (seeds, and what libFuzzer found while fuzzing with
//! `scripts/fuzz`) is given again to the parser it was found for: the
//! school directory CSV and the input file of `binome match`. None may
//! panic. Fuzzing itself is not part of CI (it needs cargo-fuzz and
//! minutes of CPU); this replay keeps what it found covered on every run.

use std::collections::HashMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use app::academies::french_sort_key;

/// The corpus of one fuzz target: every file of `fuzz/corpus/TARGET/`,
/// sorted, at least five (a missing or emptied corpus fails).
fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fuzz/corpus")
        .join(target);
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|error| panic!("the corpus {}: {error}", dir.display()))
        .map(|entry| entry.expect("a corpus entry").path())
        .filter(|path| path.is_file())
        .collect();
    files.sort();
    assert!(
        files.len() >= 5,
        "the corpus {} holds {} file(s), expected at least 5",
        dir.display(),
        files.len()
    );
    files
        .into_iter()
        .map(|path| {
            let bytes = std::fs::read(&path).expect("a corpus file reads");
            (path, bytes)
        })
        .collect()
}

/// Runs `parse` on every file of the corpus of `target`, then fails naming
/// each file it panicked on (the panics' messages are printed as they come).
fn replay(target: &str, parse: impl Fn(&[u8])) {
    let panicked: Vec<String> = corpus(target)
        .iter()
        .filter(|(_, bytes)| catch_unwind(AssertUnwindSafe(|| parse(bytes))).is_err())
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(panicked.is_empty(), "panicked on {panicked:?}");
}

#[test]
fn the_directory_csv_corpus_is_read_or_refused_without_a_panic() {
    // The académies of Occitanie, keyed as the import keys them.
    let academies: HashMap<String, String> =
        [("Toulouse", "toulouse"), ("Montpellier", "montpellier")]
            .into_iter()
            .map(|(name, code)| (french_sort_key(name), code.to_owned()))
            .collect();
    replay("directory_csv", |bytes| {
        let _ = app::schools::directory::parse(bytes, &academies);
    });
}

#[test]
fn the_matching_input_corpus_is_read_or_refused_without_a_panic() {
    replay("matching_input", |bytes| {
        let _ = server::matching_cli::parse(bytes);
    });
}
