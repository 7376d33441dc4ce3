//! The Task Force's part of every committee document: the recommendations with
//! their status and what answers them, the case reviews of the first and the
//! latest round with small counts protected, and the Task Force's assessment,
//! labelled as its own. Built through the API, read back in every format.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
use serde_json::{Value, json};

use crate::export_documents::read_pdf;
use crate::helpers::{TestApp, spawn_app};

/// A plan with two recommendations (the second answered only after the first
/// report), a baseline and a final legal review, and two published reports:
/// the first as of mid-2021, the final one with the Task Force's assessment.
struct Course {
    first_report: String,
    final_report: String,
}

const ANSWERED: &str = "Undersøgelser afsluttes til tiden";
const LATER: &str = "Børnesamtaler holdes før hver afgørelse";
const OVERALL: &str = "Task Forcen ser en tendens til forbedring i kvaliteten af sagsbehandlingen.";
const ON_AREA: &str = "Undersøgelserne er nu forankret i et fast visitationsmøde.";

async fn publish_new_report(
    app: &TestApp,
    plan: &str,
    title: &str,
    as_of: &str,
    is_final: bool,
) -> String {
    let report = app
        .post(
            &format!("/api/v1/plans/{plan}/status-reports"),
            &json!({"title": title, "as_of": as_of, "is_final": is_final}),
        )
        .await
        .expect(201)
        .id();
    if is_final {
        app.put(
            &format!("/api/v1/status-reports/{report}/assessment"),
            &[],
            &json!({"overall": OVERALL, "focus_areas": [{"focus_area_id": plan_area(app, plan).await, "text": ON_AREA}]}),
        )
        .await
        .expect(201);
    }
    let etag = app
        .get(&format!("/api/v1/status-reports/{report}"))
        .await
        .expect(200)
        .etag();
    app.publish(&report, &etag).await.expect(200);
    report
}

async fn plan_area(app: &TestApp, plan: &str) -> String {
    let areas = app
        .get(&format!("/api/v1/plans/{plan}/focus-areas"))
        .await
        .expect(200);
    areas.body["items"][0]["id"]
        .as_str()
        .expect("a focus area")
        .to_owned()
}

async fn review(app: &TestApp, plan: &str, phase: &str, on: &str, results: Value) {
    app.post(
        &format!("/api/v1/plans/{plan}/case-reviews"),
        &json!({"kind": "legal", "phase": phase, "reviewed_on": on, "cases_reviewed": 20, "results": results}),
    )
    .await
    .expect(201);
}

async fn course(app: &TestApp) -> Course {
    let organization = app.create_organization("316").await.id();
    let plan = app.create_plan_for(&organization).await.id();
    let area = app.create_focus_area(&plan, "Faglig udredning").await.id();
    let recommendation = |number: i32, title: &str, theme: &str| json!({"number": number, "title": title, "theme": theme, "focus_area_ids": [area]});
    let path = format!("/api/v1/plans/{plan}/recommendations");
    let first = app
        .post(&path, &recommendation(1, ANSWERED, "faglig_udredning"))
        .await
        .expect(201)
        .id();
    let second = app
        .post(&path, &recommendation(2, LATER, "inddragelse"))
        .await
        .expect(201)
        .id();
    app.post(
        &format!("/api/v1/focus-areas/{area}/initiatives"),
        &json!({"title": "Fast visitationsmøde", "status": "in_progress", "recommendation_ids": [first]}),
    )
    .await
    .expect(201);
    // Baseline: 6 of 16 relevant cases met the 4-month limit; 3 of 18 had the
    // child conversation, a count too small to show.
    review(app, &plan, "baseline", "2021-04-01", json!([
        {"criterion_key": "investigation_within_4_months", "met": 6, "not_met": 10, "not_relevant": 4},
        {"criterion_key": "child_views_obtained_before_decision", "met": 3, "not_met": 15, "not_relevant": 2},
    ]))
    .await;
    let first_report =
        publish_new_report(app, &plan, "Status 2. kvartal 2021", "2021-06-30", false).await;
    app.post(
        &format!("/api/v1/focus-areas/{area}/initiatives"),
        &json!({"title": "Samtaleskema til børnesamtaler", "status": "done", "recommendation_ids": [second]}),
    )
    .await
    .expect(201);
    review(app, &plan, "final", "2023-02-01", json!([
        {"criterion_key": "investigation_within_4_months", "met": 14, "not_met": 5, "not_relevant": 1},
        {"criterion_key": "child_views_obtained_before_decision", "met": 9, "not_met": 9, "not_relevant": 2},
    ]))
    .await;
    let final_report =
        publish_new_report(app, &plan, "Afsluttende statusrapport", "2023-03-01", true).await;
    Course {
        first_report,
        final_report,
    }
}

async fn download(app: &TestApp, report: &str, format: &str) -> Vec<u8> {
    let file = app
        .admin()
        .download(
            &format!("/api/v1/status-reports/{report}/export/{format}"),
            &[],
        )
        .await;
    assert_eq!(file.status, 200, "{format}");
    file.bytes
}

#[actix_web::test]
async fn the_snapshot_holds_the_recommendations_the_review_course_and_the_assessment() {
    let app = spawn_app().await;
    let c = course(&app).await;
    let snapshot = app
        .get(&format!(
            "/api/v1/status-reports/{}/snapshot",
            c.final_report
        ))
        .await
        .expect(200)
        .body;
    let recommendations = snapshot["recommendations"].as_array().expect("a list");
    assert_eq!(recommendations.len(), 2);
    assert_eq!(recommendations[0]["title"], ANSWERED);
    assert_eq!(
        recommendations[0]["initiative_ids"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    assert_ne!(recommendations[1]["status"], "unaddressed");
    let legal = &snapshot["case_reviews"][0];
    assert_eq!(legal["kind"], "legal");
    assert_eq!(legal["rounds"], 2);
    assert_eq!(legal["first"]["phase"], "baseline");
    assert_eq!(legal["latest"]["phase"], "final");
    let investigation = &legal["criteria"][0];
    assert_eq!(
        investigation["criterion_key"],
        "investigation_within_4_months"
    );
    // 6/16 = 37.5 % then 14/19 = 73.7 %: +36.2 points. The snapshot is data,
    // not a committee document: its counts are not suppressed.
    assert_eq!(investigation["change_pp"], 36.2);
    assert_eq!(legal["criteria"][1]["from"]["met"], 3);
    assert_eq!(snapshot["assessment"]["overall"], OVERALL);

    let first = app
        .get(&format!(
            "/api/v1/status-reports/{}/snapshot",
            c.first_report
        ))
        .await
        .expect(200)
        .body;
    assert_eq!(first["recommendations"][1]["status"], "unaddressed");
    assert_eq!(first["case_reviews"][0]["rounds"], 1);
    assert_eq!(first["case_reviews"][0]["latest"], Value::Null);
    assert_eq!(first["assessment"], Value::Null);
}

#[actix_web::test]
async fn the_changes_name_a_recommendation_that_became_addressed() {
    let app = spawn_app().await;
    let c = course(&app).await;
    let changes = app
        .get(&format!(
            "/api/v1/status-reports/{}/changes",
            c.final_report
        ))
        .await
        .expect(200)
        .body;
    let changed = changes["recommendations"].as_array().expect("a list");
    let later = changed
        .iter()
        .find(|r| r["number"] == 2)
        .expect("recommendation 2 changed");
    assert_eq!(later["from"], "unaddressed");
    assert_ne!(later["to"], "unaddressed");
    assert_eq!(later["title"], LATER);
}

/// The text of the HTML export with tags removed, whitespace collapsed.
fn visible_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    let text = text
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&");
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[actix_web::test]
async fn the_committee_page_and_pdf_show_the_task_forces_part_with_small_counts_protected() {
    let app = spawn_app().await;
    let c = course(&app).await;
    let html = String::from_utf8(download(&app, &c.final_report, "html").await).expect("utf-8");
    let (pdf, _) = read_pdf(&download(&app, &c.final_report, "pdf").await, "task-force");
    let pdf = pdf.split_whitespace().collect::<Vec<_>>().join(" ");
    let html_text = visible_text(&html);
    // Long table cells wrap in the PDF, and pdftotext may read wrapped cells
    // of one row interleaved: those are checked on the page.
    for expected in [
        ANSWERED,
        "Den børnefaglige undersøgelse er afsluttet inden for 4 måneder",
    ] {
        assert!(
            html_text.contains(expected),
            "{expected:?} missing from {html_text}"
        );
    }
    for text in [html_text, pdf] {
        for expected in [
            "Task Forcens vurdering",
            OVERALL,
            ON_AREA,
            "Task Forcens anbefalinger",
            "Fast visitationsmøde",
            "Sagsgennemgange",
            "Juridisk sagsgennemgang (Ankestyrelsen)",
            "38 % (6 af 16)",
            "74 % (14 af 19)",
            "+36,2 procentpoint",
            // 3 of 18 is below the threshold: the count reads "<5", its share is not shown.
            "<5 af 18",
            "50 % (9 af 18)",
            "Anbefalinger med ny status",
        ] {
            assert!(text.contains(expected), "{expected:?} missing from {text}");
        }
        assert!(
            !text.contains("17 % (3 af 18)"),
            "the small count's share leaks: {text}"
        );
    }
    assert!(
        html.contains("class=\"chart review\""),
        "the bar chart is drawn"
    );

    let first = String::from_utf8(download(&app, &c.first_report, "html").await).expect("utf-8");
    let first = visible_text(&first);
    assert!(first.contains("ikke besvaret"), "{first}");
    assert!(first.contains("Kun én runde indtil videre"), "{first}");
    assert!(
        !first.contains("Task Forcens vurdering"),
        "no assessment was written: {first}"
    );
}

fn cell(range: &calamine::Range<Data>, row: usize, column: usize) -> Data {
    range.get((row, column)).cloned().unwrap_or(Data::Empty)
}

#[actix_web::test]
async fn the_workbook_has_sheets_for_recommendations_reviews_and_the_assessment() {
    let app = spawn_app().await;
    let c = course(&app).await;
    let bytes = download(&app, &c.final_report, "xlsx").await;
    let mut workbook: Xlsx<_> = open_workbook_from_rs(Cursor::new(bytes)).expect("an XLSX");
    let recommendations = workbook.worksheet_range("Anbefalinger").expect("the sheet");
    let first_row = 4;
    assert_eq!(
        cell(&recommendations, first_row, 1),
        Data::String(ANSWERED.into())
    );
    assert_eq!(
        cell(&recommendations, first_row, 4),
        Data::String("Fast visitationsmøde".into())
    );

    let reviews = workbook
        .worksheet_range("Sagsgennemgange")
        .expect("the sheet");
    let row_of = |key: &str| {
        (0..reviews.height())
            .find(|&row| cell(&reviews, row, 13) == Data::String(key.into()))
            .unwrap_or_else(|| panic!("no row for {key}"))
    };
    let investigation = row_of("investigation_within_4_months");
    assert_eq!(cell(&reviews, investigation, 3), Data::Float(6.0));
    assert_eq!(cell(&reviews, investigation, 5), Data::Float(16.0));
    assert_eq!(cell(&reviews, investigation, 6), Data::Float(0.375));
    assert_eq!(cell(&reviews, investigation, 10), Data::Float(19.0));
    assert_eq!(cell(&reviews, investigation, 12), Data::Float(36.2));
    let conversation = row_of("child_views_obtained_before_decision");
    assert_eq!(cell(&reviews, conversation, 3), Data::String("<5".into()));
    assert_eq!(cell(&reviews, conversation, 4), Data::Float(15.0));
    assert_eq!(
        cell(&reviews, conversation, 6),
        Data::Empty,
        "no share beside a small count"
    );
    assert_eq!(
        cell(&reviews, conversation, 12),
        Data::Empty,
        "no change from a hidden share"
    );
    assert!(
        matches!(cell(&reviews, 2, 0), Data::String(note) if note.contains("<5")),
        "the sheet says why counts read <5"
    );

    let assessment = workbook
        .worksheet_range("Task Forcens vurdering")
        .expect("the sheet");
    assert_eq!(
        cell(&assessment, first_row, 1),
        Data::String(OVERALL.into())
    );
    assert_eq!(
        cell(&assessment, first_row + 1, 1),
        Data::String(ON_AREA.into())
    );
}

#[actix_web::test]
async fn the_english_page_names_the_task_forces_part_in_english() {
    let app = spawn_app().await;
    let c = course(&app).await;
    let html =
        String::from_utf8(download(&app, &c.final_report, "html?lang=en").await).expect("utf-8");
    let text = visible_text(&html);
    for expected in [
        "The Task Force's assessment",
        "The Task Force's recommendations",
        "Legal case review (Ankestyrelsen)",
        "The child investigation was completed within 4 months",
        "+36.2 percentage points",
        "<5 of 18",
    ] {
        assert!(text.contains(expected), "{expected:?} missing from {text}");
    }
}
