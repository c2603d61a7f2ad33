//! How long matching takes, and how much memory, on generated pools that
//! look like real ones ([`domain::matching::generate`]), candidate
//! generation included: the targets of issue 6 are 50 ms for 1,000 pupils
//! and 400 tutors, 2 s and 1 GiB for 10,000 and 4,000.
//!
//! `cargo bench -p domain --bench matching` runs criterion on both sizes,
//! then prints, per size, the median of 5 solves of its own, the peak
//! memory and how many pupils the optimum and the greedy baseline match.
//! `-- --quick` (what `.ci/run` does) skips criterion and solves once.
//! `-- --enforce` exits with 1 when a target is missed. Peak memory is the
//! process's peak resident set (`VmHWM`), reset before each size through
//! `/proc/self/clear_refs` (Linux).

#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use criterion::Criterion;
use domain::matching::{generate, solve, Problem};

struct Size {
    pupils: usize,
    tutors: usize,
    budget: Duration,
    memory_mib: u64,
}

const SIZES: [Size; 2] = [
    Size {
        pupils: 1_000,
        tutors: 400,
        budget: Duration::from_millis(50),
        memory_mib: 1024,
    },
    Size {
        pupils: 10_000,
        tutors: 4_000,
        budget: Duration::from_secs(2),
        memory_mib: 1024,
    },
];

const SEED: u64 = 2027;

fn peak_rss_mib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib / 1024)
}

fn reset_peak_rss() {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
}

/// Median wall time of `rounds` solves.
fn median_time(problem: &Problem, rounds: usize) -> Duration {
    let mut times: Vec<Duration> = (0..rounds)
        .map(|_| {
            let start = Instant::now();
            black_box(solve(black_box(problem)).unwrap());
            start.elapsed()
        })
        .collect();
    times.sort();
    times[times.len() / 2]
}

fn main() -> ExitCode {
    let quick = std::env::args().any(|a| a == "--quick");
    let enforce = std::env::args().any(|a| a == "--enforce");
    let problems: Vec<Problem> = SIZES
        .iter()
        .map(|s| generate::instance(s.pupils, s.tutors, SEED))
        .collect();

    if !quick {
        let mut criterion = Criterion::default().sample_size(10);
        for (size, problem) in SIZES.iter().zip(&problems) {
            let name = format!("solve {} pupils × {} tutors", size.pupils, size.tutors);
            criterion.bench_function(&name, |b| b.iter(|| solve(black_box(problem)).unwrap()));
        }
        criterion.final_summary();
    }

    let mut missed = false;
    println!();
    println!(
        "pupils  tutors  feasible pairs  matched  greedy  gap  median ms  budget ms  peak RSS MiB"
    );
    for (size, problem) in SIZES.iter().zip(&problems) {
        reset_peak_rss();
        let outcome = solve(problem).unwrap();
        let time = median_time(problem, if quick { 1 } else { 5 });
        let peak = peak_rss_mib();
        let matched = outcome.proposals.len();
        println!(
            "{:>6}  {:>6}  {:>14}  {:>7}  {:>6}  {:>3}  {:>9.1}  {:>9}  {:>12}",
            size.pupils,
            size.tutors,
            outcome.feasible_pairs,
            matched,
            outcome.greedy_matched,
            matched - outcome.greedy_matched,
            time.as_secs_f64() * 1000.0,
            size.budget.as_millis(),
            peak.map_or("?".to_owned(), |p| p.to_string()),
        );
        if time > size.budget {
            println!(
                "  missed: {} ms over the budget",
                (time - size.budget).as_millis()
            );
            missed = true;
        }
        if peak.is_some_and(|p| p > size.memory_mib) {
            println!("  missed: more than {} MiB", size.memory_mib);
            missed = true;
        }
    }
    if missed && enforce {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
