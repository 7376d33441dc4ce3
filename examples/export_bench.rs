//! Render time and memory of every export format for a large plan:
//! 7 focus areas, 70 initiatives, 140 indicators, 20,000 measurements (the size
//! the committee-exports issue sets). A benchmark to run by hand, not a test:
//!
//!     cargo run --release --example export_bench            # every format
//!     cargo run --release --example export_bench -- xlsx    # one format
//!     cargo run --release --example export_bench -- pdf /tmp/large.pdf   # and keep the file
//!     NO_WARMUP=1 cargo run --release --example export_bench -- pdf      # a fresh process's first
//!
//! The document is built in memory, so the figures are rendering only (loading
//! takes a fixed number of statements, whatever the size). Each format runs in
//! a process of its own: after one small document (as a running service has
//! rendered before: typst's fonts and standard library are loaded once per
//! process), the large one is rendered once (its resident-memory growth is the
//! export's peak extra memory: VmHWM after resetting it through
//! /proc/self/clear_refs), then `RUNS` times for the median and spread of the
//! wall time and the median CPU time of all threads (on a busy machine it says
//! what the render costs, the clock does not).

use std::time::{Duration, Instant};

use planspor::exports::{Format, Lang, RenderSlots, document::Export, sample};

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
    let Some(name) = args.first() else {
        // Every format in a process of its own, so each peak is that export's alone.
        for format in FORMATS {
            let status = std::process::Command::new(std::env::current_exe().unwrap_or_default())
                .arg(format.extension())
                .status();
            if !status.is_ok_and(|s| s.success()) {
                eprintln!("export_bench {} failed", format.extension());
                std::process::exit(1);
            }
        }
        return;
    };
    let Some(format) = FORMATS.iter().copied().find(|f| f.extension() == name) else {
        eprintln!("usage: export_bench [pdf|html|xlsx|csv|json [FILE]]");
        std::process::exit(2);
    };
    let document = sample::large(7, 70, 140, 20_000);
    let stored_snapshot = serde_json::to_value(&document.snapshot).ok();
    let export = Export {
        document,
        stored_snapshot,
    };
    if format == Format::Pdf {
        describe(&export);
    }
    // Where the service renders: its export thread.
    let renderer = RenderSlots::default();
    let bytes = measure(&renderer, format, &export);
    if let (Some(path), Some(bytes)) = (args.get(1), bytes)
        && let Err(error) = std::fs::write(path, bytes)
    {
        eprintln!("writing {path}: {error}");
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
fn measure(renderer: &RenderSlots, format: Format, export: &Export) -> Option<Vec<u8>> {
    // What a running service has done once before its first large export: a
    // small document, so typst's fonts and standard library are loaded (process
    // statics) and the allocator is warm.
    // NO_WARMUP=1 leaves it out: the first export of a fresh process.
    if std::env::var_os("NO_WARMUP").is_none() {
        let _ = renderer.render_blocking(format, &small_export());
    }
    // The first large run's peak is the export's extra memory: later runs
    // reuse what the allocator kept from it.
    reset_peak();
    let rss_before = status_kb("VmRSS:");
    let started = Instant::now();
    let first = match renderer.render_blocking(format, export) {
        Ok(bytes) => bytes,
        Err(error) => {
            println!("{:>4}: failed: {error}", format.extension());
            return None;
        }
    };
    let first_run = started.elapsed();
    let peak_growth_kb = status_kb("VmHWM:").saturating_sub(rss_before);
    let mut wall: Vec<Duration> = Vec::with_capacity(RUNS);
    let mut cpu: Vec<Duration> = Vec::with_capacity(RUNS);
    for _ in 0..RUNS {
        let cpu_before = process_cpu();
        let started = Instant::now();
        let _ = renderer.render_blocking(format, export);
        wall.push(started.elapsed());
        cpu.push(process_cpu().saturating_sub(cpu_before));
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

fn small_export() -> Export {
    Export {
        document: sample::slagelse(Lang::Da),
        stored_snapshot: None,
    }
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

/// CPU time of this process so far, every thread included (the render runs on
/// the export thread), from /proc/self/stat
/// in clock ticks of 10 ms; zero where there is none.
fn process_cpu() -> Duration {
    let ticks: u64 = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|stat| {
            // The fields after the command name, which is in parentheses.
            let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
            // utime and stime are fields 14 and 15 of the whole line.
            Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
        })
        .unwrap_or(0);
    Duration::from_millis(ticks * 10)
}
