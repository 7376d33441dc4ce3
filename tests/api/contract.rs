//! The committed contract is exactly what the code produces and serves.

use crate::helpers::spawn_app;

const COMMITTED: &str = include_str!("../../openapi/openapi.json");

#[test]
fn the_committed_contract_matches_the_code() {
    let generated = planspor::openapi::document_json();
    if generated != COMMITTED {
        let diff = similar::TextDiff::from_lines(COMMITTED, generated.as_str());
        panic!(
            "openapi/openapi.json differs from the code's contract; regenerate it with `make openapi`.\n{}",
            diff.unified_diff().context_radius(3).header(
                "openapi/openapi.json (committed)",
                "generated from the code"
            )
        );
    }
}

#[actix_web::test]
async fn the_served_contract_is_the_committed_one_and_docs_render() {
    let app = spawn_app().await;
    let served = app.get("/openapi.json").await.expect(200);
    let committed: serde_json::Value =
        serde_json::from_str(COMMITTED).expect("committed contract is JSON");
    assert_eq!(served.body, committed);
    assert_eq!(served.body["openapi"], "3.1.0");
    let docs = app.get("/docs/").await.expect(200);
    assert!(
        docs.body
            .as_str()
            .is_some_and(|html| html.contains("swagger")),
        "{}",
        docs.body
    );
}

#[test]
fn every_operation_documents_its_errors_as_problems() {
    let contract: serde_json::Value =
        serde_json::from_str(COMMITTED).expect("committed contract is JSON");
    let paths = contract["paths"].as_object().expect("paths");
    for (path, operations) in paths.iter().filter(|(path, _)| path.starts_with("/api/v1")) {
        for (method, operation) in operations.as_object().into_iter().flatten() {
            let responses = operation["responses"].as_object().expect("responses");
            let documents_an_error = responses.keys().any(|status| status.starts_with('4'));
            assert!(
                documents_an_error,
                "{method} {path} documents no error response"
            );
        }
    }
}
