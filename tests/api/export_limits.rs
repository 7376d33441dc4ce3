//! Every value the API accepts, and every value the database holds, exports in
//! every format: texts and dates at their limits, text a spreadsheet would run
//! as a formula, and rows stored before today's limits.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use serde_json::json;

use crate::helpers::{Download, TestApp, spawn_app};

const FORMATS: [&str; 5] = ["pdf", "html", "xlsx", "csv", "json"];
/// A formula Excel would run if the CSV wrote it raw.
const FORMULA: &str = "=HYPERLINK(\"https://evil.example.com\",\"Klik\")";

/// `units` UTF-16 code units of text outside the Basic Multilingual Plane.
fn emoji(units: usize) -> String {
    "😀".repeat(units / 2)
}

struct AtLimits {
    plan: String,
    report: String,
    area: String,
    initiative: String,
}

/// A plan whose texts and dates sit at the limits the API states, with a
/// published report on it.
async fn plan_at_limits(app: &TestApp) -> AtLimits {
    let organization = app.create_organization("330").await.id();
    let plan = app
        .post(
            &format!("/api/v1/organizations/{organization}/plans"),
            &json!({"title": emoji(200), "description": emoji(20_000), "period_start": "1900-01-01", "period_end": "2199-12-31"}),
        )
        .await
        .expect(201)
        .id();
    let area = app
        .post(
            &format!("/api/v1/plans/{plan}/focus-areas"),
            &json!({"title": FORMULA, "objective": emoji(20_000), "legal_reference": emoji(200)}),
        )
        .await
        .expect(201)
        .id();
    let initiative = app
        .post(
            &format!("/api/v1/focus-areas/{area}/initiatives"),
            &json!({"title": "-2+3", "description": emoji(20_000), "owner": "@SUM(A1)", "start_date": "1900-01-01", "due_date": "2199-12-31"}),
        )
        .await
        .expect(201)
        .id();
    let indicator = app
        .create_indicator(
            &plan,
            json!({"focus_area_id": area, "name": FORMULA, "definition": emoji(20_000), "baseline_value": 0, "baseline_date": "1900-01-01", "target_value": 100, "target_date": "2199-12-31"}),
        )
        .await
        .id();
    for (period, note) in [("1900-03-31", FORMULA), ("2199-12-31", "+1+1")] {
        app.put(
            &format!("/api/v1/indicators/{indicator}/measurements/{period}"),
            &[],
            &json!({"value": 50, "note": note}),
        )
        .await
        .expect(201);
    }
    let report = app
        .post(
            &format!("/api/v1/plans/{plan}/status-reports"),
            &json!({"title": emoji(200), "as_of": "2199-12-31", "summary": emoji(20_000)}),
        )
        .await
        .expect(201);
    app.put(
        &format!("/api/v1/status-reports/{}/sections/{area}", report.id()),
        &[],
        &json!({"narrative": emoji(20_000), "highlights": FORMULA, "risks": emoji(20_000), "next_steps": "\tfane"}),
    )
    .await
    .expect(201);
    AtLimits {
        plan,
        report: report.id(),
        area,
        initiative,
    }
}

async fn export_every_format(app: &TestApp, path: &str) -> Vec<(&'static str, Download)> {
    let mut files = Vec::new();
    for format in FORMATS {
        let file = app
            .admin()
            .download(&format!("{path}/{format}"), &[])
            .await
            .expect(200);
        assert!(!file.bytes.is_empty(), "{format}");
        files.push((format, file));
    }
    files
}

fn csv_cells(files: &[(&str, Download)]) -> Vec<String> {
    let (_, csv) = files.iter().find(|(f, _)| *f == "csv").expect("a CSV");
    let body = csv
        .bytes
        .strip_prefix("\u{feff}".as_bytes())
        .expect("a byte order mark");
    csv::ReaderBuilder::new()
        .delimiter(b';')
        .has_headers(false)
        .from_reader(body)
        .records()
        .flat_map(|record| {
            let record = record.expect("a CSV record");
            record.iter().map(str::to_owned).collect::<Vec<_>>()
        })
        .collect()
}

fn workbook_of(files: &[(&str, Download)]) -> Xlsx<Cursor<Vec<u8>>> {
    let (_, xlsx) = files.iter().find(|(f, _)| *f == "xlsx").expect("an XLSX");
    open_workbook_from_rs(Cursor::new(xlsx.bytes.clone())).expect("an XLSX workbook")
}

fn every_cell(workbook: &mut Xlsx<Cursor<Vec<u8>>>) -> Vec<Data> {
    let names = workbook.sheet_names();
    names
        .iter()
        .flat_map(|name| {
            let range = workbook.worksheet_range(name).expect("the sheet");
            range
                .cells()
                .map(|(_, _, cell)| cell.clone())
                .collect::<Vec<_>>()
        })
        .collect()
}

#[actix_web::test]
async fn a_report_at_every_limit_exports_in_every_format_and_no_cell_is_a_formula() {
    let app = spawn_app().await;
    let plan = plan_at_limits(&app).await;
    let report = app
        .get(&format!("/api/v1/status-reports/{}", plan.report))
        .await
        .expect(200);
    app.publish(&plan.report, &report.etag()).await.expect(200);
    let files = export_every_format(
        &app,
        &format!("/api/v1/status-reports/{}/export", plan.report),
    )
    .await;

    let cells = csv_cells(&files);
    assert!(cells.contains(&format!("'{FORMULA}")), "{cells:?}");
    let formulas: Vec<&String> = cells
        .iter()
        .filter(|cell| cell.starts_with(['=', '+', '-', '@', '\t', '\r']))
        .filter(|cell| cell.replace(',', ".").parse::<f64>().is_err())
        .collect();
    assert!(
        formulas.is_empty(),
        "cells a spreadsheet would run: {formulas:?}"
    );

    let mut workbook = workbook_of(&files);
    let cells = every_cell(&mut workbook);
    assert!(
        cells.contains(&Data::String(FORMULA.into())),
        "the formula is written as text"
    );
    assert!(
        cells.contains(&Data::String(emoji(20_000))),
        "a text at its limit is whole"
    );
}

#[actix_web::test]
async fn rows_stored_before_todays_limits_still_export_and_say_they_were_cut() {
    let app = spawn_app().await;
    let plan = plan_at_limits(&app).await;
    // Values an older version (or a hand-made fix in the database) could have stored.
    let too_long_for_a_cell = "😀".repeat(16_384);
    app.execute_sql(&format!(
        "UPDATE focus_areas SET objective = '{too_long_for_a_cell}' WHERE id = '{}';
         UPDATE initiatives SET start_date = '0370-05-01', due_date = '10000-01-01' WHERE id = '{}';",
        plan.area, plan.initiative
    ));
    let files = export_every_format(&app, &format!("/api/v1/plans/{}/export", plan.plan)).await;

    let mut workbook = workbook_of(&files);
    let cells = every_cell(&mut workbook);
    let cut = cells
        .iter()
        .filter_map(|cell| match cell {
            Data::String(text) if text.ends_with("[… afkortet / cut]") => Some(text),
            _ => None,
        })
        .next()
        .expect("the over-long text, cut and marked");
    assert!(cut.encode_utf16().count() <= 32_767);
    assert!(
        cells.contains(&Data::String("+10000-01-01".into())),
        "a date Excel cannot hold is written as its ISO text"
    );
}

#[actix_web::test]
async fn values_at_the_extremes_publish_freeze_and_export_and_beyond_them_are_refused() {
    let app = spawn_app().await;
    let organization = app.create_organization("330").await.id();
    // A target a hair above the baseline makes progress overflow to infinity;
    // the largest value makes a chart's axis and a snapshot's numbers hard to hold.
    for (baseline, target, value) in [
        (0.0, 5e-324, 1e9),
        (1e-300, 2e-300, 1e9),
        (1e9, 0.0, 0.0),
        (0.0, 1e9, 1e9),
    ] {
        let plan = app.create_plan_for(&organization).await.id();
        let indicator = app
            .create_indicator(
                &plan,
                json!({"unit": "count", "baseline_value": baseline, "target_value": target, "baseline_date": "2025-01-01"}),
            )
            .await
            .id();
        app.put(
            &format!("/api/v1/indicators/{indicator}/measurements/2025-03-31"),
            &[],
            &json!({"value": value}),
        )
        .await
        .expect(201);
        let report = app
            .post(
                &format!("/api/v1/plans/{plan}/status-reports"),
                &json!({"title": "Status", "as_of": "2025-06-30"}),
            )
            .await
            .expect(201);
        app.publish(&report.id(), &report.etag()).await.expect(200);
        let path = format!("/api/v1/status-reports/{}", report.id());
        app.get(&format!("{path}/snapshot")).await.expect(200);
        export_every_format(&app, &format!("{path}/export")).await;
    }
    let plan = app.create_plan_for(&organization).await.id();
    let indicator = app
        .create_indicator(&plan, json!({"unit": "count"}))
        .await
        .id();
    let before = app.row_counts();
    for value in [1.000_000_001e9, f64::MAX] {
        app.put(
            &format!("/api/v1/indicators/{indicator}/measurements/2025-03-31"),
            &[],
            &json!({"value": value}),
        )
        .await
        .expect_problem(422);
    }
    app.post(
        &format!("/api/v1/plans/{plan}/indicators"),
        &json!({"name": "For stor", "unit": "days", "direction": "decrease", "frequency": "yearly", "target_value": 1e10}),
    )
    .await
    .expect_problem(422);
    assert_eq!(app.row_counts(), before);
}
