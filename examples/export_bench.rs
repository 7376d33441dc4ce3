//! Render time and memory of every export format for a large plan:
//! 7 focus areas, 70 initiatives, 140 indicators, 20,000 measurements (the size
//! the committee-exports issue sets). A benchmark to run by hand, not a test:
//!
//!     cargo run --release --example export_bench            # every format
//!     cargo run --release --example export_bench -- xlsx    # one format
//!     cargo run --release --example export_bench -- pdf /tmp/large.pdf   # and keep the file
//!
//! The document is built in memory, so the figures are rendering only (loading
//! takes a fixed number of statements, whatever the size). Each format is
//! rendered once first (typst parses its fonts and standard library once per
//! process), then `RUNS` times; printed are the median and spread of the wall
//! time, the median CPU time (on a busy machine it says what the render costs,
//! the clock does not) and the peak resident-memory growth while rendering
//! (VmHWM after resetting it through /proc/self/clear_refs).

use std::time::{Duration, Instant};

use planspor::exports::{self, Format, document::Export, sample};

const RUNS: usize = 7;
const FORMATS: [Format; 5] = [
    Format::Pdf,
    Format::Html,
    Format::Xlsx,
    Format::Csv,
    Format::Json,
];

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let formats: Vec<Format> = match args.first().map(String::as_str) {
        None => FORMATS.to_vec(),
        Some(name) => match FORMATS.iter().find(|f| f.extension() == name) {
            Some(format) => vec![*format],
            None => {
                eprintln!("usage: export_bench [pdf|html|xlsx|csv|json [FILE]]");
                std::process::exit(2);
            }
        },
    };
    let document = sample::large(7, 70, 140, 20_000);
    let stored_snapshot = serde_json::to_value(&document.snapshot).ok();
    let export = Export {
        document,
        stored_snapshot,
    };
    describe(&export);
    for format in formats {
        let bytes = measure(format, &export);
        if let (Some(path), Some(bytes)) = (args.get(1), bytes)
            && let Err(error) = std::fs::write(path, bytes)
        {
            eprintln!("writing {path}: {error}");
        }
    }
}

fn describe(export: &Export) {
    let document = &export.document;
    let areas = &document.snapshot.focus_areas;
    let initiatives: usize = areas.iter().map(|a| a.initiatives.len()).sum();
    let measurements: usize = document.indicators().map(|i| i.series.len()).sum();
    println!(
        "document: {} focus areas, {initiatives} initiatives, {} indicators, {measurements} measurements; {RUNS} runs each",
        areas.len(),
        document.indicators().count(),
    );
}

/// Renders `format` once, then `RUNS` times, prints the figures and returns the file.
fn measure(format: Format, export: &Export) -> Option<Vec<u8>> {
    let started = Instant::now();
    let first = match exports::render(format, export) {
        Ok(bytes) => bytes,
        Err(error) => {
            println!("{:>4}: failed: {error}", format.extension());
            return None;
        }
    };
    let first_run = started.elapsed();
    let mut wall: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut cpu: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut peak_growth_kb = 0;
    for _ in 0..RUNS {
        reset_peak();
        let rss_before = status_kb("VmRSS:");
        let cpu_before = thread_cpu();
        let started = Instant::now();
        let _ = exports::render(format, export);
        wall.push(started.elapsed());
        cpu.push(thread_cpu().saturating_sub(cpu_before));
        peak_growth_kb = peak_growth_kb.max(status_kb("VmHWM:").saturating_sub(rss_before));
    }
    wall.sort();
    cpu.sort();
    println!(
        "{:>4}: median {:7.1} ms (min {:.1}, max {:.1}, first run {:.1}), CPU {:7.1} ms, peak RSS growth {:5.1} MB, output {:6} KiB",
        format.extension(),
        ms(wall[RUNS / 2]),
        ms(wall[0]),
        ms(wall[RUNS - 1]),
        ms(first_run),
        ms(cpu[RUNS / 2]),
        peak_growth_kb as f64 / 1024.0,
        first.len() / 1024,
    );
    Some(first)
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// A field of /proc/self/status in kB (0 where there is none).
fn status_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|line| line.strip_prefix(field))
                .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// Resets the peak resident set size to the current one.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").ok();
}

/// Time this thread has spent on a CPU (from /proc; zero where there is none).
fn thread_cpu() -> Duration {
    let nanos = std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|stat| stat.split_whitespace().next()?.parse().ok())
        .unwrap_or(0);
    Duration::from_nanos(nanos)
}
