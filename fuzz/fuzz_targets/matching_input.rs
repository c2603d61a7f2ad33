//! Fuzz target: the input file of `binome match`
//! (`server::matching_cli::parse`) on any bytes. Whatever the file holds,
//! the answer is a validated problem or errors, never a panic (issue 10).

#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|bytes: &[u8]| {
    let _ = server::matching_cli::parse(bytes);
});
