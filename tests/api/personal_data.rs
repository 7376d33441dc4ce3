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
