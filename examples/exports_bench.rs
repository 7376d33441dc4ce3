//! How long one export of a large plan takes to render, and how much memory it
//! adds: 7 focus areas, 70 initiatives, 140 indicators, 20,000 measurements
//! (the size the committee-exports issue sets). A benchmark to run by hand,
//! not a test; the document is built in memory, so the figures are rendering
//! only (loading it is a fixed eight statements, measured separately).
//!
//!     for f in pdf html xlsx csv json; do
//!       cargo run --release --example exports_bench -- $f
//!     done
//!
//! Each format runs in its own process, so the peak memory is that export's.
//! A second argument saves the file there, to look at it.

use std::time::Instant;

use chrono::{Months, NaiveDate, Utc};
use planspor::domain::{
    Direction, FocusAreaId, Health, IndicatorId, InitiativeId, InitiativeStatus, LegalRegime,
    OrganizationId, PlanId, PlanStatus, StatusReportId, Unit,
};
use planspor::exports::{self, ExportDocument, Format, Lang, document::Export};
use planspor::progress::{IndicatorProgress, Point};
use planspor::status_reports::snapshot::{
    ReportSnapshot, SnapshotFocusArea, SnapshotInitiative, SnapshotOrganization, SnapshotPlan,
    SnapshotReport,
};

const FOCUS_AREAS: usize = 7;
const INITIATIVES_PER_AREA: usize = 10;
const INDICATORS_PER_AREA: usize = 20;
const MEASUREMENTS: usize = 20_000;

fn main() {
    let format = match std::env::args().nth(1).as_deref() {
        Some("pdf") => Format::Pdf,
        Some("html") => Format::Html,
        Some("xlsx") => Format::Xlsx,
        Some("csv") => Format::Csv,
        Some("json") => Format::Json,
        _ => {
            eprintln!("usage: exports_bench pdf|html|xlsx|csv|json");
            std::process::exit(2);
        }
    };
    let export = large_export();
    let before = memory_kb("VmRSS");
    let started = Instant::now();
    let result = exports::render(format, &export);
    let elapsed = started.elapsed();
    let peak = memory_kb("VmHWM");
    match result {
        Ok(bytes) => {
            println!(
                "{:>4}: {:>7.1} ms, {:>6} KiB output, peak extra memory {:>6} KiB",
                format.extension(),
                elapsed.as_secs_f64() * 1000.0,
                bytes.len() / 1024,
                peak.saturating_sub(before)
            );
            if let Some(path) = std::env::args().nth(2)
                && let Err(error) = std::fs::write(&path, bytes)
            {
                eprintln!("writing {path}: {error}");
            }
        }
        Err(error) => println!("{:>4}: failed: {error}", format.extension()),
    }
}

/// A value from /proc/self/status, in KiB (0 where there is none).
fn memory_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            status.lines().find_map(|line| {
                let value = line.strip_prefix(field)?.strip_prefix(':')?;
                value.trim().trim_end_matches(" kB").parse().ok()
            })
        })
        .unwrap_or(0)
}

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
}

fn indicator(area: usize, number: usize, series_len: usize, as_of: NaiveDate) -> IndicatorProgress {
    let unit = if number.is_multiple_of(4) {
        Unit::Count
    } else {
        Unit::Percent
    };
    let start = date(2013, 1, 31);
    let series: Vec<Point> = (0..series_len)
        .map(|i| Point {
            period_end: start
                .checked_add_months(Months::new(i as u32))
                .unwrap_or(start),
            value: ((i * 7 + number) % 100) as f64 + 0.5 * (i % 2) as f64,
        })
        .collect();
    IndicatorProgress {
        indicator_id: IndicatorId::new(),
        name: format!("Indikator {area}.{number}: andel sager behandlet inden for fristen"),
        unit,
        direction: Direction::Increase,
        legal_regime: Some(LegalRegime::BarnetsLov),
        as_of,
        latest: series.last().cloned(),
        series,
        baseline: Some(40.0),
        target: Some(95.0),
        progress: Some(0.6),
        expected_progress: Some(0.7),
        status: Health::Amber,
        reason: "Behind: 60 % of the way to the target, 70 % expected by now.".into(),
        next_due: Some(as_of),
    }
}

fn large_export() -> Export {
    let as_of = date(2025, 3, 31);
    let per_indicator = MEASUREMENTS / (FOCUS_AREAS * INDICATORS_PER_AREA);
    let mut extra = MEASUREMENTS % (FOCUS_AREAS * INDICATORS_PER_AREA);
    let focus_areas = (1..=FOCUS_AREAS)
        .map(|area| SnapshotFocusArea {
            id: FocusAreaId::new(),
            position: area as i32,
            title: format!("Fokusområde {area}: børnefaglig undersøgelse og opfølgning"),
            objective: "At børnefaglige undersøgelser afsluttes inden for fire måneder.".into(),
            legal_reference: Some("Barnets Lov § 20, stk. 3".into()),
            suggested_status: Health::Amber,
            status: Health::Amber,
            status_reason: None,
            narrative: "Fristoverblikket er i brug; ventetiden er faldet. ".repeat(8),
            highlights: "Nyt visitationsmøde hver uge.".into(),
            risks: "Sygefravær i modtagelsen.".into(),
            next_steps: "Opfølgning på alle sager over tre måneder.".into(),
            initiatives: (1..=INITIATIVES_PER_AREA)
                .map(|number| SnapshotInitiative {
                    id: InitiativeId::new(),
                    title: format!("Initiativ {area}.{number}: fælles sagsgennemgang"),
                    owner: Some("Myndighedsafdelingen".into()),
                    status: InitiativeStatus::InProgress,
                    due_date: Some(date(2025, (number % 12) as u32 + 1, 1)),
                    overdue: number.is_multiple_of(3),
                })
                .collect(),
            indicators: (1..=INDICATORS_PER_AREA)
                .map(|number| {
                    let bonus = usize::from(extra > 0);
                    extra = extra.saturating_sub(1);
                    indicator(area, number, per_indicator + bonus, as_of)
                })
                .collect(),
        })
        .collect();
    let snapshot = ReportSnapshot {
        report: SnapshotReport {
            id: StatusReportId::new(),
            title: "Status 1. kvartal 2025".into(),
            as_of,
            summary: "Planen er i gang; to fokusområder er bagud.".into(),
            is_final: false,
            published_at: Utc::now(),
            published_by: "Mette Hansen".into(),
        },
        organization: SnapshotOrganization {
            id: OrganizationId::new(),
            name: "Slagelse Kommune".into(),
            municipality_code: Some("330".into()),
        },
        plan: SnapshotPlan {
            id: PlanId::new(),
            title: "Udviklingsplan 2024–2026".into(),
            status: PlanStatus::Active,
            period_start: date(2024, 3, 1),
            period_end: date(2026, 3, 1),
        },
        status: Health::Amber,
        focus_areas,
        indicators: Vec::new(),
    };
    // As loaded for a published report: the snapshot also as stored.
    let stored_snapshot = serde_json::to_value(&snapshot).ok();
    Export {
        document: ExportDocument {
            snapshot,
            published: true,
            adoption: None,
            changes: None,
            errata: Vec::new(),
            lang: Lang::Da,
            small_count_threshold: 5,
            generated_at: Utc::now(),
        },
        stored_snapshot,
    }
}
