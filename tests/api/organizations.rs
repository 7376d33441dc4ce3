use serde_json::json;

use crate::helpers::{Response, spawn_app};

#[actix_web::test]
async fn creating_an_organization_answers_201_with_location_etag_and_body() {
    let app = spawn_app().await;
    let created = app
        .post(
            "/api/v1/organizations",
            &json!({"name": "Slagelse Kommune", "kind": "municipality", "municipality_code": "330"}),
        )
        .await
        .expect(201);
    let id = created.id();
    assert_eq!(
        created.header("location"),
        Some(format!("/api/v1/organizations/{id}").as_str())
    );
    assert_eq!(created.etag(), "\"1\"");
    assert_eq!(created.body["municipality_code"], "330");
    assert_eq!(created.body["version"], 1);

    let fetched = app
        .get(&format!("/api/v1/organizations/{id}"))
        .await
        .expect(200);
    assert_eq!(fetched.body, created.body);
    assert_eq!(fetched.etag(), "\"1\"");
}

#[actix_web::test]
async fn the_task_force_has_no_municipality_code() {
    let app = spawn_app().await;
    app.post(
        "/api/v1/organizations",
        &json!({"name": "Task Force", "kind": "task_force"}),
    )
    .await
    .expect(201);
    let before = app.row_counts();
    let problem = app
        .post(
            "/api/v1/organizations",
            &json!({"name": "Task Force", "kind": "task_force", "municipality_code": "101"}),
        )
        .await
        .expect_problem(422);
    assert_eq!(Response::invalid_fields(&problem), ["municipality_code"]);
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn a_municipality_needs_a_three_digit_code() {
    let app = spawn_app().await;
    let before = app.row_counts();
    for body in [
        json!({"name": "Stevns Kommune", "kind": "municipality"}),
        json!({"name": "Stevns Kommune", "kind": "municipality", "municipality_code": "33"}),
        json!({"name": "Stevns Kommune", "kind": "municipality", "municipality_code": "abc"}),
    ] {
        let problem = app
            .post("/api/v1/organizations", &body)
            .await
            .expect_problem(422);
        assert_eq!(
            Response::invalid_fields(&problem),
            ["municipality_code"],
            "{body}"
        );
    }
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn a_duplicate_municipality_code_is_a_conflict_and_writes_nothing() {
    let app = spawn_app().await;
    app.create_organization("336").await;
    let before = app.row_counts();
    let problem = app
        .post(
            "/api/v1/organizations",
            &json!({"name": "Stevns igen", "kind": "municipality", "municipality_code": "336"}),
        )
        .await
        .expect_problem(409);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("municipality_code"))
    );
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn every_invalid_field_is_listed_at_once() {
    let app = spawn_app().await;
    let problem = app
        .post(
            "/api/v1/organizations",
            &json!({"name": "   ", "kind": "municipality", "municipality_code": "1234"}),
        )
        .await
        .expect_problem(422);
    assert_eq!(
        Response::invalid_fields(&problem),
        ["name", "municipality_code"]
    );
}

#[actix_web::test]
async fn pages_cover_every_organization_once_and_stay_stable_under_inserts() {
    let app = spawn_app().await;
    for code in ["101", "147", "151", "153", "155"] {
        app.create_organization(code).await;
    }
    let first = app.get("/api/v1/organizations?limit=2").await.expect(200);
    assert_eq!(first.body["items"].as_array().map(Vec::len), Some(2));
    let cursor = first.body["next_cursor"]
        .as_str()
        .expect("a next page")
        .to_owned();

    // A new organization while the client pages: it comes last, nothing shifts.
    app.create_organization("157").await;

    let mut codes: Vec<String> = Vec::new();
    let mut page = first;
    let mut cursor = Some(cursor);
    loop {
        codes.extend(
            page.body["items"]
                .as_array()
                .into_iter()
                .flatten()
                .map(|o| o["municipality_code"].to_string()),
        );
        let Some(next) = cursor else { break };
        page = app
            .get(&format!("/api/v1/organizations?limit=2&cursor={next}"))
            .await
            .expect(200);
        cursor = page.body["next_cursor"].as_str().map(str::to_owned);
    }
    assert_eq!(
        codes,
        [
            "\"101\"", "\"147\"", "\"151\"", "\"153\"", "\"155\"", "\"157\""
        ]
    );
}

#[actix_web::test]
async fn bad_paging_parameters_are_refused_by_name() {
    let app = spawn_app().await;
    for (query, parameter) in [
        ("limit=0", "limit"),
        ("limit=501", "limit"),
        ("limit=ten", "limit"),
        ("cursor=zzz", "cursor"),
    ] {
        let problem = app
            .get(&format!("/api/v1/organizations?{query}"))
            .await
            .expect_problem(400);
        assert!(
            problem["detail"]
                .as_str()
                .is_some_and(|d| d.contains(parameter)),
            "{query}: {problem}"
        );
    }
}

#[actix_web::test]
async fn patch_changes_only_the_given_fields_and_bumps_the_version() {
    let app = spawn_app().await;
    let created = app.create_organization("330").await;
    let path = format!("/api/v1/organizations/{}", created.id());
    let patched = app
        .patch(&path, Some(&created.etag()), &json!({"name": "Slagelse"}))
        .await
        .expect(200);
    assert_eq!(patched.body["name"], "Slagelse");
    assert_eq!(patched.body["municipality_code"], "330");
    assert_eq!(patched.etag(), "\"2\"");
    assert_eq!(patched.body["version"], 2);
}

#[actix_web::test]
async fn patch_without_if_match_is_428_and_with_a_stale_one_412_and_changes_nothing() {
    let app = spawn_app().await;
    let created = app.create_organization("330").await;
    let path = format!("/api/v1/organizations/{}", created.id());
    app.patch(&path, None, &json!({"name": "Uden If-Match"}))
        .await
        .expect_problem(428);
    app.patch(&path, Some("\"7\""), &json!({"name": "Forældet"}))
        .await
        .expect_problem(412);
    app.delete(&path, None).await.expect_problem(428);
    app.delete(&path, Some("\"7\"")).await.expect_problem(412);
    let unchanged = app.get(&path).await.expect(200);
    assert_eq!(unchanged.body, created.body);
}

#[actix_web::test]
async fn of_two_concurrent_patches_with_the_same_etag_exactly_one_wins() {
    let app = spawn_app().await;
    let created = app.create_organization("330").await;
    let path = format!("/api/v1/organizations/{}", created.id());
    let etag = created.etag();
    let (first_body, second_body) = (json!({"name": "Første"}), json!({"name": "Anden"}));
    let (first, second) = futures_util::join!(
        app.patch(&path, Some(&etag), &first_body),
        app.patch(&path, Some(&etag), &second_body),
    );
    let mut statuses = [first.status.as_u16(), second.status.as_u16()];
    statuses.sort_unstable();
    assert_eq!(statuses, [200, 412]);
    let winner = if first.status == 200 { first } else { second };
    let stored = app.get(&path).await.expect(200);
    assert_eq!(stored.body["name"], winner.body["name"]);
    assert_eq!(stored.body["version"], 2);
}

#[actix_web::test]
async fn an_organization_with_plans_cannot_be_deleted_but_an_empty_one_can() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let organization_path = format!(
        "/api/v1/organizations/{}",
        plan.body["organization_id"].as_str().unwrap_or_default()
    );
    let organization = app.get(&organization_path).await.expect(200);
    app.delete(&organization_path, Some(&organization.etag()))
        .await
        .expect_problem(409);

    let empty = app.create_organization("336").await;
    let empty_path = format!("/api/v1/organizations/{}", empty.id());
    app.delete(&empty_path, Some(&empty.etag()))
        .await
        .expect(204);
    app.get(&empty_path).await.expect_problem(404);
}
