use serde_json::json;

use crate::helpers::{Response, spawn_app};

#[actix_web::test]
async fn consultants_log_notes_on_an_initiative() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let focus_area = app
        .create_focus_area(&plan.id(), "Børnefaglig undersøgelse")
        .await;
    let initiative = app
        .create_initiative(&focus_area.id(), "ICS-oplæring")
        .await;
    let path = format!("/api/v1/initiatives/{}/progress-notes", initiative.id());
    let note = app
        .post(
            &path,
            &json!({"body": "Alle rådgivere har gennemført ICS-kurset. Æ, ø og å gemmes korrekt."}),
        )
        .await
        .expect(201);
    assert_eq!(
        note.body["body"],
        "Alle rådgivere har gennemført ICS-kurset. Æ, ø og å gemmes korrekt."
    );
    let listed = app.get(&path).await.expect(200);
    assert_eq!(listed.body["items"][0], note.body);

    let note_path = format!("/api/v1/progress-notes/{}", note.id());
    let edited = app
        .patch(
            &note_path,
            Some(&note.etag()),
            &json!({"body": "Rettet note"}),
        )
        .await
        .expect(200);
    assert_eq!(edited.body["author"], "Test Administrator");
    app.delete(&note_path, Some(&edited.etag()))
        .await
        .expect(204);
    app.get(&note_path).await.expect_problem(404);
}

#[actix_web::test]
async fn an_empty_note_is_refused() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let focus_area = app.create_focus_area(&plan.id(), "Inddragelse").await;
    let initiative = app
        .create_initiative(&focus_area.id(), "Netværksmøder")
        .await;
    let before = app.row_counts();
    let problem = app
        .post(
            &format!("/api/v1/initiatives/{}/progress-notes", initiative.id()),
            &json!({"body": "  "}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["body"]);
    assert_eq!(app.row_counts(), before);
}
