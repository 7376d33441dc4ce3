//! No personal data about a child: CPR numbers in any free text are refused.

use serde_json::json;

use crate::helpers::{Response, spawn_app};

#[actix_web::test]
async fn a_cpr_number_in_any_free_text_is_refused_in_danish_and_english_and_never_stored() {
    let app = spawn_app().await;
    let plan = app.create_plan().await.id();
    let area = app.create_focus_area(&plan, "Inddragelse").await.id();
    let initiative = app.create_initiative(&area, "Børnesamtaler").await.id();
    let indicator = app.create_indicator(&plan, json!({})).await.id();
    let before = app.row_counts();

    let cases = [
        (
            format!("/api/v1/initiatives/{initiative}/progress-notes"),
            json!({"body": "Samtale med barnet 010203-1234 i dag"}),
            "body",
        ),
        (
            format!("/api/v1/plans/{plan}/focus-areas"),
            json!({"title": "Sag 0102031234"}),
            "title",
        ),
        (
            format!("/api/v1/indicators/{indicator}/measurements"),
            json!({"period_end": "2025-03-31", "value": 50, "note": "jf. 311299-4321"}),
            "note",
        ),
        (
            format!("/api/v1/plans/{plan}/status-reports"),
            json!({"title": "Status", "as_of": "2025-03-31", "summary": "Barn 150612-3344"}),
            "summary",
        ),
    ];
    for (path, body, field) in cases {
        let response = app.post(&path, &body).await;
        let text = response.body.to_string();
        let problem = response.expect_problem(422);
        assert_eq!(Response::invalid_fields(&problem), [field], "{path}");
        assert!(
            text.contains("CPR")
                && text.contains("personoplysninger")
                && text.contains("personal data"),
            "{text}"
        );
        for digits in ["1234", "0102031234", "4321", "3344"] {
            assert!(
                !text.contains(digits),
                "the refused value must not be echoed: {text}"
            );
        }
    }
    assert_eq!(app.row_counts(), before);

    // Phone numbers, dates and counts are fine.
    app.post(
        &format!("/api/v1/initiatives/{initiative}/progress-notes"),
        &json!({"body": "Ring 33 12 34 56; møde 2021-03-09; 430 af 430 sager gennemgået"}),
    )
    .await
    .expect(201);
}

#[actix_web::test]
async fn a_cpr_number_typed_with_other_dashes_spaces_or_digits_is_refused_too() {
    let app = spawn_app().await;
    let plan = app.create_plan().await.id();
    let path = format!("/api/v1/plans/{plan}/focus-areas");
    let before = app.row_counts();
    for typed in [
        "Sag 010203\u{2013}1234",
        "Sag 010203\u{2011}1234",
        "Sag 010203 1234",
        "Sag 01.02.03-1234",
        "Sag ０１０２０３１２３４",
        "Sag 0102\u{200B}031234",
    ] {
        let problem = app
            .post(&path, &json!({"title": typed}))
            .await
            .expect_problem(422);
        assert_eq!(Response::invalid_fields(&problem), ["title"], "{typed:?}");
    }
    let email = app
        .post(
            "/api/v1/users",
            &json!({"display_name": "Ny bruger", "email": "0102031234@slagelse.dk"}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&email), ["email"]);
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn a_cpr_number_sent_where_an_enum_or_number_belongs_is_not_echoed() {
    let app = spawn_app().await;
    let plan = app.create_plan().await.id();
    let before = app.row_counts();
    for body in [
        json!({"name": "Indikator", "unit": "010203-1234"}),
        json!({"name": "Indikator", "unit": "percent", "target_value": "0102031234"}),
        json!({"name": "Indikator", "0102031234": true}),
    ] {
        let response = app
            .post(&format!("/api/v1/plans/{plan}/indicators"), &body)
            .await;
        let text = response.body.to_string();
        response.expect_problem(422);
        assert!(!text.contains("1234"), "the value is echoed: {text}");
    }
    assert_eq!(app.row_counts(), before);
}
