//! Committee exports of a published status report and of a plan's current
//! state: headers, access, conditional downloads, and the data formats read
//! back cell by cell (XLSX with calamine, CSV with the csv crate).

use std::io::Cursor;

use calamine::{Data, DataType, Range, Reader, Xlsx, open_workbook_from_rs};
use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::helpers::{Download, TestApp, spawn_app};

/// A published report of a template plan of Ærø with a percent indicator and a
/// count indicator whose latest value (3) is below the threshold of 5.
pub struct Published {
    pub organization: String,
    pub plan: String,
    pub report: String,
}

const PERCENT_NAME: &str = "Andel børnefaglige undersøgelser afsluttet inden for 4 måneder";
const COUNT_NAME: &str = "Antal akutte anbringelser på særlige vilkår";
const FILE: &str = "Ærø_udviklingsplan_status_2021-10-01";

pub async fn published_report(app: &TestApp) -> Published {
    let organization = app
        .post(
            "/api/v1/organizations",
            &json!({"name": "Ærø Kommune", "kind": "municipality", "municipality_code": "492"}),
        )
        .await
        .expect(201)
        .id();
    let plan = app
        .post(
            &format!("/api/v1/organizations/{organization}/plans"),
            &json!({"title": "Udviklingsplan 2021–2023", "period_start": "2021-03-01", "period_end": "2023-03-01", "template": "task_force"}),
        )
        .await
        .expect(201)
        .id();
    let indicators = app
        .get(&format!("/api/v1/plans/{plan}/indicators"))
        .await
        .expect(200)
        .body;
    let percent = indicators["items"]
        .as_array()
        .into_iter()
        .flatten()
        .find(|i| i["template_key"] == "investigations_within_4_months")
        .expect("the template indicator")
        .clone();
    let area = percent["focus_area_id"]
        .as_str()
        .expect("a focus area")
        .to_owned();
    let count = app
        .create_indicator(
            &plan,
            json!({"name": COUNT_NAME, "unit": "count", "direction": "decrease", "focus_area_id": area,
                   "baseline_value": 12, "baseline_date": "2021-03-01", "target_value": 2, "target_date": "2023-03-01"}),
        )
        .await
        .id();
    let percent = percent["id"].as_str().expect("an id").to_owned();
    for (indicator, period, value) in [
        (&percent, "2021-06-30", 62.0),
        (&percent, "2021-09-30", 71.5),
        (&count, "2021-06-30", 7.0),
        (&count, "2021-09-30", 3.0),
    ] {
        app.put(
            &format!("/api/v1/indicators/{indicator}/measurements/{period}"),
            &[],
            &json!({"value": value}),
        )
        .await
        .expect(201);
    }
    app.post(
        &format!("/api/v1/focus-areas/{area}/initiatives"),
        &json!({"title": "Ugentligt visitationsmøde", "owner": "Afdelingsleder Søren Ørum", "due_date": "2021-09-30", "status": "in_progress"}),
    )
    .await
    .expect(201);
    let report = app
        .post(
            &format!("/api/v1/plans/{plan}/status-reports"),
            &json!({"title": "Status 3. kvartal 2021", "as_of": "2021-10-01"}),
        )
        .await
        .expect(201);
    app.put(
        &format!("/api/v1/status-reports/{}/sections/{area}", report.id()),
        &[],
        &json!({"narrative": "Flere undersøgelser afsluttes til tiden; særligt fokus på ventetid."}),
    )
    .await
    .expect(201);
    let report = app
        .get(&format!("/api/v1/status-reports/{}", report.id()))
        .await
        .expect(200);
    app.publish(&report.id(), &report.etag()).await.expect(200);
    Published {
        organization,
        plan,
        report: report.id(),
    }
}

/// The report's export operation of one format, e.g. `xlsx` or `csv?lang=en`.
pub fn report_export(published: &Published, format: &str) -> String {
    format!(
        "/api/v1/status-reports/{}/export/{format}",
        published.report
    )
}

#[actix_web::test]
async fn each_format_downloads_with_its_type_a_danish_file_name_and_an_etag() {
    let app = spawn_app().await;
    let published = published_report(&app).await;
    let formats = [
        ("html", "text/html; charset=utf-8"),
        (
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("csv", "text/csv; charset=utf-8"),
        ("json", "application/json"),
    ];
    for (format, content_type) in formats {
        let file = app
            .admin()
            .download(&report_export(&published, format), &[])
            .await
            .expect(200);
        assert_eq!(file.header("content-type"), Some(content_type), "{format}");
        let ascii = FILE.replace("Ærø", "Aeroe");
        let encoded = FILE.replace("Ærø", "%C3%86r%C3%B8");
        assert_eq!(
            file.header("content-disposition"),
            Some(
                format!(
                    "attachment; filename=\"{ascii}.{format}\"; filename*=UTF-8''{encoded}.{format}"
                )
                .as_str()
            ),
        );
        assert!(file.header("etag").is_some_and(|tag| tag.starts_with('"')));
        assert_eq!(file.header("cache-control"), Some("private, no-cache"));
        assert!(!file.bytes.is_empty(), "{format}");
    }
}

#[actix_web::test]
async fn the_pdf_is_the_default_format() {
    let app = spawn_app().await;
    let published = published_report(&app).await;
    let file = app
        .admin()
        .download(&report_export(&published, "pdf"), &[])
        .await
        .expect(200);
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    assert!(
        file.header("content-disposition")
            .is_some_and(|value| value.contains("udviklingsplan_status_2021-10-01.pdf"))
    );
    assert!(file.bytes.starts_with(b"%PDF-"));
}

fn workbook(file: &Download) -> Xlsx<Cursor<Vec<u8>>> {
    open_workbook_from_rs(Cursor::new(file.bytes.clone())).expect("an XLSX workbook")
}

fn sheet(workbook: &mut Xlsx<Cursor<Vec<u8>>>, name: &str) -> Range<Data> {
    workbook.worksheet_range(name).expect("the sheet")
}

fn cell(range: &Range<Data>, row: u32, column: u32) -> Data {
    range
        .get_value((row, column))
        .cloned()
        .unwrap_or(Data::Empty)
}

fn text(value: &str) -> Data {
    Data::String(value.to_owned())
}

fn date(data: &Data) -> Option<NaiveDate> {
    matches!(data, Data::DateTime(_))
        .then(|| data.as_date())
        .flatten()
}

/// The data rows of a sheet (below the header in row 3) whose column `column` is `value`.
fn rows_where(range: &Range<Data>, column: u32, value: &str) -> Vec<u32> {
    (4..range.height() as u32)
        .filter(|row| cell(range, *row, column) == text(value))
        .collect()
}

#[actix_web::test]
async fn the_workbook_has_a_typed_sheet_per_kind_with_small_counts_suppressed() {
    let app = spawn_app().await;
    let published = published_report(&app).await;
    let file = app
        .admin()
        .download(&report_export(&published, "xlsx"), &[])
        .await
        .expect(200);
    let mut book = workbook(&file);
    assert_eq!(
        book.sheet_names(),
        ["Fokusområder", "Initiativer", "Indikatorer", "Målinger"]
    );
    let as_of = NaiveDate::from_ymd_opt(2021, 10, 1);
    for name in book.sheet_names() {
        let range = sheet(&mut book, &name);
        assert_eq!(cell(&range, 0, 0), text("Opgjort pr."), "{name}");
        assert_eq!(date(&cell(&range, 0, 1)), as_of, "{name}");
        let context = cell(&range, 1, 0);
        assert!(
            context
                .as_string()
                .is_some_and(|c| c.contains("Ærø Kommune") && c.contains("Status 3. kvartal 2021")),
            "{name}: {context:?}"
        );
    }

    let measurements = sheet(&mut book, "Målinger");
    assert!(
        cell(&measurements, 2, 0)
            .as_string()
            .is_some_and(|note| note.contains("\"<5\"")),
        "the note says why values read <5"
    );
    assert_eq!(cell(&measurements, 3, 4), text("Periodens slutdato"));
    assert_eq!(cell(&measurements, 3, 5), text("Værdi"));
    let percent = rows_where(&measurements, 2, PERCENT_NAME);
    let values: Vec<(Option<NaiveDate>, Data)> = percent
        .iter()
        .map(|row| {
            (
                date(&cell(&measurements, *row, 4)),
                cell(&measurements, *row, 5),
            )
        })
        .collect();
    assert_eq!(
        values,
        [
            (NaiveDate::from_ymd_opt(2021, 6, 30), Data::Float(62.0)),
            (NaiveDate::from_ymd_opt(2021, 9, 30), Data::Float(71.5)),
        ]
    );
    let count = rows_where(&measurements, 2, COUNT_NAME);
    let values: Vec<Data> = count
        .iter()
        .map(|row| cell(&measurements, *row, 5))
        .collect();
    assert_eq!(values, [Data::Float(7.0), text("<5")]);
    assert_eq!(cell(&measurements, count[0], 3), text("antal"));
    assert_eq!(cell(&measurements, count[0], 0), Data::Float(6.0));
    assert_eq!(
        cell(&measurements, count[0], 1),
        text("Børnefaglig undersøgelse")
    );

    let indicators = sheet(&mut book, "Indikatorer");
    let row = rows_where(&indicators, 2, COUNT_NAME)[0];
    assert_eq!(cell(&indicators, row, 6), Data::Float(12.0), "baseline");
    assert_eq!(cell(&indicators, row, 7), Data::Float(2.0), "target");
    assert_eq!(cell(&indicators, row, 8), text("<5"), "latest");
    assert_eq!(
        date(&cell(&indicators, row, 9)),
        NaiveDate::from_ymd_opt(2021, 9, 30)
    );
    assert_eq!(
        cell(&indicators, row, 10),
        Data::Empty,
        "progress would reveal it"
    );
    assert_eq!(
        cell(&indicators, row, 13),
        Data::Empty,
        "so would the reason"
    );
    let row = rows_where(&indicators, 2, PERCENT_NAME)[0];
    assert_eq!(cell(&indicators, row, 8), Data::Float(71.5));
    assert!(matches!(cell(&indicators, row, 10), Data::Float(p) if p > 0.0 && p < 1.0));

    let initiatives = sheet(&mut book, "Initiativer");
    let row = rows_where(&initiatives, 2, "Ugentligt visitationsmøde")[0];
    assert_eq!(
        cell(&initiatives, row, 3),
        text("Afdelingsleder Søren Ørum")
    );
    assert_eq!(cell(&initiatives, row, 4), text("i gang"));
    assert_eq!(
        date(&cell(&initiatives, row, 5)),
        NaiveDate::from_ymd_opt(2021, 9, 30)
    );
    assert_eq!(
        cell(&initiatives, row, 6),
        text("Ja"),
        "overdue on 1 October"
    );

    let areas = sheet(&mut book, "Fokusområder");
    assert_eq!(areas.height(), 4 + 7, "seven template focus areas");
    let row = rows_where(&areas, 1, "Børnefaglig undersøgelse")[0];
    assert_eq!(cell(&areas, row, 0), Data::Float(6.0));
    assert!(
        cell(&areas, row, 7)
            .as_string()
            .is_some_and(|n| n.contains("særligt fokus"))
    );
    assert_eq!(cell(&areas, row, 11), Data::Float(1.0), "initiatives");
    assert_eq!(cell(&areas, row, 12), Data::Float(1.0), "overdue");
}

#[actix_web::test]
async fn the_english_workbook_has_english_sheets_and_headers() {
    let app = spawn_app().await;
    let published = published_report(&app).await;
    let file = app
        .admin()
        .download(&report_export(&published, "xlsx?lang=en"), &[])
        .await
        .expect(200);
    assert!(
        file.header("content-disposition")
            .is_some_and(|value| value.contains("_development_plan_status_2021-10-01.xlsx"))
    );
    let mut book = workbook(&file);
    assert_eq!(
        book.sheet_names(),
        ["Focus areas", "Initiatives", "Indicators", "Measurements"]
    );
    let measurements = sheet(&mut book, "Measurements");
    assert_eq!(cell(&measurements, 0, 0), text("As of"));
    assert_eq!(cell(&measurements, 3, 5), text("Value"));
}

fn csv_rows(file: &Download, separator: u8) -> Vec<Vec<String>> {
    let body = file
        .bytes
        .strip_prefix("\u{feff}".as_bytes())
        .expect("a UTF-8 byte order mark");
    csv::ReaderBuilder::new()
        .delimiter(separator)
        .has_headers(false)
        .from_reader(body)
        .records()
        .map(|record| {
            record
                .expect("a CSV record")
                .iter()
                .map(str::to_owned)
                .collect()
        })
        .collect()
}

#[actix_web::test]
async fn the_csv_has_a_bom_danish_separators_and_æøå_intact() {
    let app = spawn_app().await;
    let published = published_report(&app).await;
    let file = app
        .admin()
        .download(&report_export(&published, "csv"), &[])
        .await
        .expect(200);
    let rows = csv_rows(&file, b';');
    assert_eq!(
        rows[0],
        [
            "Opgjort pr.",
            "Kilde",
            "Fokusområde nr.",
            "Fokusområde",
            "Indikator",
            "Enhed",
            "Periodens slutdato",
            "Værdi",
            "Bemærkning",
            "Indikator-id"
        ]
    );
    let values = |name: &str| -> Vec<(String, String, String)> {
        rows.iter()
            .filter(|row| row[4] == name)
            .map(|row| (row[6].clone(), row[7].clone(), row[8].clone()))
            .collect()
    };
    assert_eq!(
        values(PERCENT_NAME),
        [
            ("2021-06-30".into(), "62".into(), String::new()),
            ("2021-09-30".into(), "71,5".into(), String::new()),
        ]
    );
    let count = values(COUNT_NAME);
    assert_eq!(count[0].1, "7");
    assert_eq!(count[1].1, "<5");
    assert!(count[1].2.starts_with("Under 5"), "{:?}", count[1]);
    let first = rows.iter().find(|row| row[4] == COUNT_NAME).expect("a row");
    assert_eq!(
        first[..4],
        [
            "2021-10-01",
            "Status 3. kvartal 2021",
            "6",
            "Børnefaglig undersøgelse"
        ]
    );

    let english = app
        .admin()
        .download(&report_export(&published, "csv?lang=en"), &[])
        .await
        .expect(200);
    let rows = csv_rows(&english, b',');
    assert_eq!(rows[0][7], "Value");
    assert!(
        rows.iter()
            .any(|row| row[4] == PERCENT_NAME && row[7] == "71.5")
    );
}

#[actix_web::test]
async fn the_single_export_operation_redirects_to_the_one_of_its_format() {
    let app = spawn_app().await;
    let published = published_report(&app).await;
    let direct = app
        .admin()
        .download(&report_export(&published, "csv?lang=en"), &[])
        .await
        .expect(200);
    // The test client follows the 308, as browsers and `curl -L` do.
    let redirected = app
        .admin()
        .download(
            &format!(
                "/api/v1/status-reports/{}/export?format=csv&lang=en",
                published.report
            ),
            &[],
        )
        .await
        .expect(200);
    assert_eq!(
        redirected.header("content-type"),
        Some("text/csv; charset=utf-8")
    );
    assert_eq!(redirected.bytes, direct.bytes);
    let plan = app
        .admin()
        .download(&format!("/api/v1/plans/{}/export", published.plan), &[])
        .await
        .expect(200);
    assert_eq!(plan.header("content-type"), Some("application/pdf"));
}

#[actix_web::test]
async fn the_json_is_the_snapshot_as_stored_without_suppression() {
    let app = spawn_app().await;
    let published = published_report(&app).await;
    let file = app
        .admin()
        .download(&report_export(&published, "json"), &[])
        .await
        .expect(200);
    let exported: Value = serde_json::from_slice(&file.bytes).expect("JSON");
    let stored = app
        .get(&format!(
            "/api/v1/status-reports/{}/snapshot",
            published.report
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(exported, stored);
}

#[actix_web::test]
async fn viewers_export_their_own_municipality_and_nobody_elses() {
    let app = spawn_app().await;
    let published = published_report(&app).await;
    let (_, viewer) = app
        .user(
            "Udvalgsmedlem",
            Some(&published.organization),
            Some("viewer"),
        )
        .await;
    let other = app.create_organization("330").await.id();
    let (_, stranger) = app
        .user("Anden kommune", Some(&other), Some("viewer"))
        .await;
    let plan_export = format!("/api/v1/plans/{}/export/csv", published.plan);
    let report_export = report_export(&published, "csv");
    for path in [&report_export, &plan_export] {
        app.with_token(&viewer)
            .download(path, &[])
            .await
            .expect(200);
        let refused = app.with_token(&stranger).get(path).await;
        refused.expect_problem(404);
        app.anonymous().get(path).await.expect_problem(401);
    }
}

#[actix_web::test]
async fn a_draft_is_not_exported_and_bad_parameters_are_named() {
    let app = spawn_app().await;
    let published = published_report(&app).await;
    let draft = app
        .post(
            &format!("/api/v1/plans/{}/status-reports", published.plan),
            &json!({"title": "Status 4. kvartal 2021", "as_of": "2022-01-01"}),
        )
        .await
        .expect(201)
        .id();
    let problem = app
        .get(&format!("/api/v1/status-reports/{draft}/export/xlsx"))
        .await
        .expect_problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("published"))
    );
    // The single export operation that came before one per format still names its parameter.
    let problem = app
        .get(&format!(
            "/api/v1/status-reports/{}/export?format=docx",
            published.report
        ))
        .await
        .expect_problem(400);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("`format`"))
    );
    let problem = app
        .get(&format!(
            "/api/v1/plans/{}/export/pdf?lang=de",
            published.plan
        ))
        .await
        .expect_problem(400);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("`lang`"))
    );
}

#[actix_web::test]
async fn a_repeated_download_is_a_304_until_an_erratum_changes_the_file() {
    let app = spawn_app().await;
    let published = published_report(&app).await;
    let path = report_export(&published, "xlsx");
    let first = app.admin().download(&path, &[]).await.expect(200);
    let etag = first.header("etag").expect("an ETag").to_owned();
    let again = app
        .admin()
        .download(&path, &[("if-none-match", &etag)])
        .await
        .expect(304);
    assert_eq!(again.header("etag"), Some(etag.as_str()));
    assert!(again.bytes.is_empty());
    let other_format = app
        .admin()
        .download(
            &report_export(&published, "csv"),
            &[("if-none-match", &etag)],
        )
        .await
        .expect(200);
    assert_ne!(other_format.header("etag"), Some(etag.as_str()));

    app.post(
        &format!("/api/v1/status-reports/{}/errata", published.report),
        &json!({"body": "Værdien for 3. kvartal var 70,5 %, ikke 71,5 %."}),
    )
    .await
    .expect(201);
    let corrected = app
        .admin()
        .download(&path, &[("if-none-match", &etag)])
        .await
        .expect(200);
    assert_ne!(corrected.header("etag"), Some(etag.as_str()));
    let mut book = workbook(&corrected);
    let errata = sheet(&mut book, "Rettelser");
    assert_eq!(cell(&errata, 4, 1), text("Test Administrator"));
    assert_eq!(
        cell(&errata, 4, 2),
        text("Værdien for 3. kvartal var 70,5 %, ikke 71,5 %.")
    );
    assert!(date(&cell(&errata, 4, 0)).is_some());
    let measurements = sheet(&mut book, "Målinger");
    assert!(
        cell(&measurements, 1, 0)
            .as_string()
            .is_some_and(|line| line.contains("se arket Rettelser"))
    );
}

#[actix_web::test]
async fn a_plan_export_is_todays_state_marked_as_not_published() {
    let app = spawn_app().await;
    let published = published_report(&app).await;
    let path = format!("/api/v1/plans/{}/export/xlsx", published.plan);
    let before = app.db.statements.get();
    let file = app.admin().download(&path, &[]).await.expect(200);
    let statements = app.db.statements.get() - before;
    let today = chrono::Utc::now().date_naive();
    assert!(
        file.header("content-disposition").is_some_and(
            |value| value.contains(&format!("Aeroe_udviklingsplan_aktuel_{today}.xlsx"))
        ),
        "{:?}",
        file.header("content-disposition")
    );
    assert_eq!(file.header("etag"), None);
    assert_eq!(file.header("cache-control"), Some("no-store"));
    let mut book = workbook(&file);
    let areas = sheet(&mut book, "Fokusområder");
    assert_eq!(date(&cell(&areas, 0, 1)), Some(today));
    assert!(
        cell(&areas, 1, 0)
            .as_string()
            .is_some_and(|line| line.contains("Ikke en offentliggjort statusrapport"))
    );

    // More indicators and values cost no more statements.
    let more = app
        .create_indicator(&published.plan, json!({"name": "Endnu en indikator"}))
        .await
        .id();
    for period in ["2021-03-31", "2021-06-30", "2021-09-30"] {
        app.put(
            &format!("/api/v1/indicators/{more}/measurements/{period}"),
            &[],
            &json!({"value": 50}),
        )
        .await
        .expect(201);
    }
    let before = app.db.statements.get();
    let json = app
        .admin()
        .download(&path.replace("xlsx", "json"), &[])
        .await
        .expect(200);
    assert_eq!(app.db.statements.get() - before, statements);
    let snapshot: Value = serde_json::from_slice(&json.bytes).expect("JSON");
    assert_eq!(snapshot["report"]["title"], "Aktuel status");
    assert_eq!(snapshot["report"]["as_of"], json!(today.to_string()));
}

#[actix_web::test]
async fn ten_simultaneous_exports_all_finish_and_the_api_keeps_answering() {
    let app = spawn_app().await;
    let published = published_report(&app).await;
    let path = report_export(&published, "xlsx");
    let admin = app.admin();
    let exports = (0..10).map(|_| admin.download(&path, &[]));
    let (files, me) = futures_util::join!(
        futures_util::future::join_all(exports),
        admin.get("/api/v1/users/me")
    );
    me.expect(200);
    for file in files {
        let file = file.expect(200);
        assert!(file.bytes.starts_with(b"PK"), "an XLSX is a zip");
    }
}
