//! Importing measurements from a spreadsheet: a dry run that changes nothing,
//! a commit that applies every row or none, the same file twice changing
//! nothing, export → import round-tripping, and hostile files refused with a
//! problem.

use std::io::Write;

use serde_json::{Value, json};

use crate::helpers::{Response, TestApp, spawn_app};

const CSV: &str = "text/csv";
const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A plan from the Task Force template, ready for values.
async fn task_force_plan(app: &TestApp) -> (String, String) {
    let organization = app.create_organization("330").await.id();
    let plan = app
        .post(
            &format!("/api/v1/organizations/{organization}/plans"),
            &json!({"title": "Udviklingsplan", "period_start": "2025-01-01", "period_end": "2026-12-31", "template": "task_force"}),
        )
        .await
        .expect(201)
        .id();
    (organization, plan)
}

/// Four quarters of two template indicators, as a Danish Excel user writes them.
fn four_quarters() -> String {
    let mut file = String::from("Skabelonnøgle;Periodens slutdato;Værdi;Bemærkning\r\n");
    for (quarter, value) in ["2025-03-31", "2025-06-30", "2025-09-30", "2025-12-31"]
        .iter()
        .zip(["61,5", "66", "70,25", "74"])
    {
        file.push_str(&format!(
            "investigations_within_4_months;{quarter};{value};\r\n"
        ));
        file.push_str(&format!(
            "cases_per_social_worker;{quarter};{value};Opgjort i DUBU\r\n"
        ));
    }
    file
}

async fn import(
    app: &TestApp,
    plan: &str,
    query: &str,
    content_type: &str,
    file: Vec<u8>,
) -> Response {
    app.send_raw(
        "POST",
        &format!("/api/v1/plans/{plan}/imports?{query}"),
        content_type,
        file,
    )
    .await
}

fn counts(body: &Value) -> [u64; 5] {
    ["created", "updated", "unchanged", "skipped", "refused"]
        .map(|count| body["counts"][count].as_u64().unwrap_or(u64::MAX))
}

#[actix_web::test]
async fn a_year_of_values_is_previewed_then_committed_and_the_same_file_again_changes_nothing() {
    let app = spawn_app().await;
    let (_, plan) = task_force_plan(&app).await;
    let file = four_quarters().into_bytes();
    let before = app.row_counts();

    let preview = import(&app, &plan, "", CSV, file.clone()).await.expect(200);
    assert_eq!(preview.body["mode"], "dry_run");
    assert_eq!(counts(&preview.body), [8, 0, 0, 0, 0]);
    assert_eq!(preview.body["rows"][0]["row"], 2, "the header is row 1");
    assert_eq!(preview.body["rows"][0]["value"], 61.5, "a decimal comma");
    assert_eq!(app.row_counts(), before, "a dry run changes nothing");

    let committed = import(
        &app,
        &plan,
        "mode=commit&file_name=DUBU%202025.csv",
        CSV,
        file.clone(),
    )
    .await
    .expect(201);
    assert_eq!(counts(&committed.body), [8, 0, 0, 0, 0]);
    assert_eq!(committed.body["file_name"], "DUBU 2025.csv");
    assert_eq!(committed.body["importer_name"], "Test Administrator");
    assert_eq!(
        committed.body["checksum"].as_str().map(str::len),
        Some(64),
        "SHA-256 in hex"
    );
    let location = committed.header("location").expect("a Location").to_owned();
    let stored = app.get(&location).await.expect(200);
    assert_eq!(stored.body, committed.body);
    let audited = app
        .get("/api/v1/audit-events?entity_type=measurement")
        .await
        .expect(200);
    assert_eq!(
        audited.body["items"].as_array().map(Vec::len),
        Some(8),
        "each value audited as if entered by hand"
    );

    let again = import(&app, &plan, "mode=commit", CSV, file)
        .await
        .expect(201);
    assert_eq!(counts(&again.body), [0, 0, 8, 0, 0]);
    let measurements = app
        .row_counts()
        .into_iter()
        .find(|(table, _)| table == "measurements");
    assert_eq!(measurements, Some(("measurements".into(), 8)));
}

#[actix_web::test]
async fn the_plans_own_export_imports_back_unchanged_and_an_edited_value_updates() {
    let app = spawn_app().await;
    let (_, plan) = task_force_plan(&app).await;
    import(
        &app,
        &plan,
        "mode=commit",
        CSV,
        four_quarters().into_bytes(),
    )
    .await
    .expect(201);
    let export = app
        .admin()
        .download(&format!("/api/v1/plans/{plan}/export/csv"), &[])
        .await
        .expect(200);
    let round_trip = import(&app, &plan, "", CSV, export.bytes.clone())
        .await
        .expect(200);
    assert_eq!(
        counts(&round_trip.body),
        [0, 0, 8, 0, 0],
        "{}",
        round_trip.body
    );

    let edited = String::from_utf8(export.bytes)
        .expect("UTF-8")
        .replacen(";61,5;", ";62;", 1);
    let update = import(&app, &plan, "mode=commit", CSV, edited.into_bytes())
        .await
        .expect(201);
    assert_eq!(counts(&update.body), [0, 1, 7, 0, 0]);

    let english = "indicator_id,period_end,value\n".to_owned()
        + &format!(
            "{},2025-03-31,63.5\n",
            update.body["rows"][0]["indicator_id"]
                .as_str()
                .unwrap_or_default()
        );
    let english = import(&app, &plan, "", CSV, english.into_bytes())
        .await
        .expect(200);
    assert_eq!(counts(&english.body), [0, 1, 0, 0, 0], "{}", english.body);
}

#[actix_web::test]
async fn every_refused_row_is_named_and_a_commit_with_one_applies_nothing() {
    let app = spawn_app().await;
    let (_, plan) = task_force_plan(&app).await;
    let file = "Skabelonnøgle;Periodens slutdato;Værdi;Bemærkning\n\
                investigations_within_4_months;2025-03-31;61;\n\
                no_such_indicator;2025-03-31;61;\n\
                investigations_within_4_months;2025-04-30;61;\n\
                investigations_within_4_months;2025-06-30;120;\n\
                investigations_within_4_months;2025-09-30;61;Barnet 010203-1234 er flyttet\n\
                investigations_within_4_months;2025-12-31;61;=HYPERLINK(\"http://x\")\n\
                investigations_within_4_months;2025-03-31;62;\n\
                investigations_within_4_months;31.12.2026;<5;\n";
    let preview = import(&app, &plan, "", CSV, file.as_bytes().to_vec())
        .await
        .expect(200);
    assert_eq!(counts(&preview.body), [1, 0, 0, 1, 6], "{}", preview.body);
    let reasons: Vec<(u64, String)> = preview.body["rows"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|row| row["outcome"] != "created")
        .map(|row| {
            (
                row["row"].as_u64().unwrap_or_default(),
                row["reason"]["code"]
                    .as_str()
                    .unwrap_or_default()
                    .to_owned(),
            )
        })
        .collect();
    let expected = [
        (3, "no_such_record"),
        (4, "invalid_format"),
        (5, "out_of_range"),
        (6, "cpr_number"),
        (7, "not_allowed"),
        (8, "duplicate"),
        (9, "not_allowed"),
    ]
    .map(|(row, code)| (row, code.to_owned()));
    assert_eq!(reasons, expected);
    assert!(
        !preview.body.to_string().contains("010203-1234"),
        "nothing CPR-shaped is echoed"
    );

    let before = app.row_counts();
    let refused = import(&app, &plan, "mode=commit", CSV, file.as_bytes().to_vec())
        .await
        .expect_problem(422);
    let fields: Vec<&str> = refused["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|e| e["field"].as_str())
        .collect();
    assert_eq!(
        fields,
        [
            "rows[3]", "rows[4]", "rows[5]", "rows[6]", "rows[7]", "rows[8]"
        ]
    );
    assert_eq!(app.row_counts(), before, "none applied");
}

fn workbook(rows: &[[&str; 3]]) -> Vec<u8> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name("Målinger").expect("a name");
    for (r, row) in (0u32..).zip(rows) {
        for (c, cell) in (0u16..).zip(row) {
            match cell.parse::<f64>() {
                Ok(number) if r > 0 => sheet.write_number(r, c, number).map(|_| ()),
                _ => sheet.write_string(r, c, *cell).map(|_| ()),
            }
            .expect("a cell");
        }
    }
    book.save_to_buffer().expect("a workbook")
}

fn zip_of(parts: &[(&str, Vec<u8>)]) -> Vec<u8> {
    let mut writer = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for (name, bytes) in parts {
        writer.start_file(*name, options).expect("a part");
        writer.write_all(bytes).expect("written");
    }
    writer.finish().expect("a zip").into_inner()
}

#[actix_web::test]
async fn a_workbook_imports_and_hostile_files_are_refused_with_a_problem() {
    let app = spawn_app().await;
    let (_, plan) = task_force_plan(&app).await;
    let book = workbook(&[
        ["Skabelonnøgle", "Periodens slutdato", "Værdi"],
        ["investigations_within_4_months", "2025-03-31", "61.5"],
        ["cases_per_social_worker", "2025-03-31", "37"],
    ]);
    let preview = import(&app, &plan, "", XLSX, book).await.expect(200);
    assert_eq!(preview.body["file_format"], "xlsx");
    assert_eq!(counts(&preview.body), [2, 0, 0, 0, 0], "{}", preview.body);

    let before = app.row_counts();
    let macros = zip_of(&[
        ("xl/workbook.xml", b"<workbook/>".to_vec()),
        ("xl/vbaProject.bin", vec![0; 64]),
    ]);
    let problem = import(&app, &plan, "mode=commit", XLSX, macros)
        .await
        .expect_problem(422);
    assert!(problem.to_string().contains("macros"), "{problem}");
    let bomb = zip_of(&[("xl/worksheets/sheet1.xml", vec![b'a'; 40 << 20])]);
    let problem = import(&app, &plan, "mode=commit", XLSX, bomb)
        .await
        .expect_problem(422);
    assert!(problem.to_string().contains("zip bomb"), "{problem}");
    let broken = b"PK\x03\x04 and then nothing a zip reader understands".to_vec();
    import(&app, &plan, "mode=commit", XLSX, broken)
        .await
        .expect_problem(422);
    let utf16 = "\u{feff}Værdi"
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    import(&app, &plan, "mode=commit", CSV, utf16)
        .await
        .expect_problem(422);
    import(&app, &plan, "mode=commit", CSV, Vec::new())
        .await
        .expect_problem(422);
    import(
        &app,
        &plan,
        "mode=commit",
        "application/json",
        b"{}".to_vec(),
    )
    .await
    .expect_problem(415);
    import(
        &app,
        &plan,
        "mode=commit",
        CSV,
        b"Periode;Tal\n2025-03-31;1\n".to_vec(),
    )
    .await
    .expect_problem(422);
    import(&app, &plan, "mode=commit", CSV, vec![b'x'; (16 << 20) + 1])
        .await
        .expect_problem(413);
    import(
        &app,
        &plan,
        "mode=sometimes",
        CSV,
        four_quarters().into_bytes(),
    )
    .await
    .expect_problem(400);
    assert_eq!(app.row_counts(), before, "nothing half-imported");
}

#[actix_web::test]
async fn danish_excels_windows_1252_csv_is_read_and_said_so() {
    let app = spawn_app().await;
    let (_, plan) = task_force_plan(&app).await;
    let file = b"Skabelonn\xf8gle;Periodens slutdato;V\xe6rdi;Bem\xe6rkning\r\n\
                 investigations_within_4_months;2025-03-31;61,5;M\xe5lt af r\xe5dgiverne\r\n";
    let preview = import(&app, &plan, "mode=commit", CSV, file.to_vec())
        .await
        .expect(201);
    assert_eq!(counts(&preview.body), [1, 0, 0, 0, 0], "{}", preview.body);
    let values = app
        .get(&format!(
            "/api/v1/indicators/{}/measurements",
            preview.body["rows"][0]["indicator_id"]
                .as_str()
                .unwrap_or_default()
        ))
        .await
        .expect(200);
    assert_eq!(values.body["items"][0]["note"], "Målt af rådgiverne");
}

#[actix_web::test]
async fn viewers_may_read_an_import_but_not_import_and_other_municipalities_see_nothing() {
    let app = spawn_app().await;
    let (organization, plan) = task_force_plan(&app).await;
    let committed = import(
        &app,
        &plan,
        "mode=commit",
        CSV,
        four_quarters().into_bytes(),
    )
    .await
    .expect(201);
    let location = committed.header("location").expect("a Location").to_owned();
    let (_, viewer) = app
        .user("Vera Viewer", Some(&organization), Some("viewer"))
        .await;
    let viewer = app.with_token(&viewer);
    viewer.get(&location).await.expect(200);
    viewer
        .send_raw(
            "POST",
            &format!("/api/v1/plans/{plan}/imports"),
            CSV,
            four_quarters().into_bytes(),
        )
        .await
        .expect_problem(403);
    let elsewhere = app.create_organization("101").await.id();
    let (_, editor) = app
        .user("Eva Andensteds", Some(&elsewhere), Some("editor"))
        .await;
    let editor = app.with_token(&editor);
    editor.get(&location).await.expect_problem(404);
    editor
        .send_raw(
            "POST",
            &format!("/api/v1/plans/{plan}/imports"),
            CSV,
            four_quarters().into_bytes(),
        )
        .await
        .expect_problem(404);
}
