//! Render time and memory of the committee documents for a large plan:
//! 7 focus areas, 70 initiatives, 140 indicators, 20,000 measurements.
//!
//!     cargo run --release --example export_bench
//!
//! Prints the median of several runs per format and the peak resident memory
//! growth while rendering (Linux: VmHWM after resetting it through clear_refs).

use std::time::{Duration, Instant};

use planspor::exports::{html, pdf, sample};

const RUNS: usize = 7;

/// A field of /proc/self/status in kB.
fn status_kb(field: &str) -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    status
        .lines()
        .find_map(|line| line.strip_prefix(field))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
}

/// Resets the peak resident set size to the current one.
fn reset_peak() {
    std::fs::write("/proc/self/clear_refs", "5").ok();
}

fn measure(name: &str, mut render: impl FnMut() -> usize) {
    // One run first: typst parses its fonts and standard library once per process.
    let first = Instant::now();
    let bytes = render();
    let first = first.elapsed();
    let mut times: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut peak_growth_kb = 0;
    for _ in 0..RUNS {
        reset_peak();
        let before = status_kb("VmRSS:").unwrap_or(0);
        let start = Instant::now();
        render();
        times.push(start.elapsed());
        let peak = status_kb("VmHWM:").unwrap_or(0);
        peak_growth_kb = peak_growth_kb.max(peak.saturating_sub(before));
    }
    times.sort();
    println!(
        "{name:5} median {:7.1} ms  (min {:.1}, max {:.1}, first run {:.1})  peak RSS growth {:6.1} MB  output {:.1} MB",
        times[RUNS / 2].as_secs_f64() * 1000.0,
        times[0].as_secs_f64() * 1000.0,
        times[RUNS - 1].as_secs_f64() * 1000.0,
        first.as_secs_f64() * 1000.0,
        peak_growth_kb as f64 / 1024.0,
        bytes as f64 / 1_048_576.0,
    );
}

fn main() {
    let document = sample::large(7, 70, 140, 20_000);
    let measurements: usize = document.indicators().map(|i| i.series.len()).sum();
    println!(
        "document: {} focus areas, {} initiatives, {} indicators, {measurements} measurements; {RUNS} runs each",
        document.snapshot.focus_areas.len(),
        document
            .snapshot
            .focus_areas
            .iter()
            .map(|a| a.initiatives.len())
            .sum::<usize>(),
        document.indicators().count(),
    );
    measure("html", || html::render(&document).len());
    measure("pdf", || {
        pdf::render(&document).map(|b| b.len()).unwrap_or(0)
    });
}
