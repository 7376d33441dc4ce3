use serde_json::json;

use crate::helpers::spawn_app;

#[actix_web::test]
async fn focus_areas_are_numbered_in_order_and_listed_by_position() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let path = format!("/api/v1/plans/{}/focus-areas", plan.id());
    let seventh = app
        .post(&path, &json!({"position": 7, "title": "Valg af indsats og opfølgning", "legal_reference": "Barnets Lov § 95"}))
        .await
        .expect(201);
    let first = app
        .post(
            &path,
            &json!({"position": 1, "title": "Overordnet faglig styring og ledelse"}),
        )
        .await
        .expect(201);
    let eighth = app.create_focus_area(&plan.id(), "Næste punkt").await;
    assert_eq!(eighth.body["position"], 8);
    assert_eq!(seventh.body["legal_reference"], "Barnets Lov § 95");

    let page = app.get(&format!("{path}?limit=2")).await.expect(200);
    let positions: Vec<_> = page.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|f| f["position"].clone())
        .collect();
    assert_eq!(positions, [json!(1), json!(7)]);
    let cursor = page.body["next_cursor"].as_str().expect("another page");
    let rest = app
        .get(&format!("{path}?limit=2&cursor={cursor}"))
        .await
        .expect(200);
    assert_eq!(rest.body["items"][0]["id"], eighth.body["id"]);
    assert_eq!(rest.body["next_cursor"], json!(null));
    assert_eq!(first.body["objective"], "");
}

#[actix_web::test]
async fn a_taken_position_is_a_conflict_and_a_position_below_1_is_invalid() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let path = format!("/api/v1/plans/{}/focus-areas", plan.id());
    app.post(&path, &json!({"position": 3, "title": "Inddragelse"}))
        .await
        .expect(201);
    let before = app.row_counts();
    app.post(&path, &json!({"position": 3, "title": "Inddragelse igen"}))
        .await
        .expect_problem(409);
    app.post(&path, &json!({"position": 0, "title": "Nul"}))
        .await
        .expect_problem(422);
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn a_legal_reference_can_be_changed_and_cleared() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let created = app
        .post(
            &format!("/api/v1/plans/{}/focus-areas", plan.id()),
            &json!({"title": "Forebyggelse", "legal_reference": "Serviceloven § 11, stk. 3"}),
        )
        .await
        .expect(201);
    let path = format!("/api/v1/focus-areas/{}", created.id());
    let changed = app
        .patch(
            &path,
            Some(&created.etag()),
            &json!({"legal_reference": "Barnets Lov § 30"}),
        )
        .await
        .expect(200);
    assert_eq!(changed.body["legal_reference"], "Barnets Lov § 30");
    let cleared = app
        .patch(
            &path,
            Some(&changed.etag()),
            &json!({"legal_reference": null}),
        )
        .await
        .expect(200);
    assert_eq!(cleared.body["legal_reference"], json!(null));
    assert_eq!(cleared.body["title"], "Forebyggelse");
    app.delete(&path, Some(&cleared.etag())).await.expect(204);
    app.get(&path).await.expect_problem(404);
}

#[actix_web::test]
async fn a_focus_area_id_is_not_a_plan_id() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let focus_area = app.create_focus_area(&plan.id(), "Tværfagligt").await;
    app.get(&format!("/api/v1/plans/{}/focus-areas", focus_area.id()))
        .await
        .expect_problem(404);
    app.get(&format!("/api/v1/focus-areas/{}/initiatives", plan.id()))
        .await
        .expect_problem(404);
}

#[actix_web::test]
async fn a_plan_whose_last_position_is_taken_refuses_one_more_without_a_crash() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let path = format!("/api/v1/plans/{}/focus-areas", plan.id());
    app.post(&path, &json!({"position": 999, "title": "Sidste"}))
        .await
        .expect(201);
    let before = app.row_counts();
    let problem = app
        .post(&path, &json!({"title": "En for meget"}))
        .await
        .expect_problem(422);
    assert_eq!(
        crate::helpers::Response::invalid_fields(&problem),
        ["position"]
    );
    app.post(
        &path,
        &json!({"position": 1000, "title": "Uden for rækken"}),
    )
    .await
    .expect_problem(422);
    assert_eq!(app.row_counts(), before);
}

#[actix_web::test]
async fn concurrent_creates_without_a_position_each_take_the_next_free_one() {
    let app = &spawn_app().await;
    let plan = app.create_plan().await.id();
    let path = format!("/api/v1/plans/{plan}/focus-areas");
    let creates = (0..20).map(|n| {
        let path = path.clone();
        async move {
            app.post(&path, &json!({"title": format!("Punkt {n}")}))
                .await
        }
    });
    let answers = futures_util::future::join_all(creates).await;
    let mut positions: Vec<i64> = answers
        .into_iter()
        .map(|answer| {
            answer.expect(201).body["position"]
                .as_i64()
                .expect("a position")
        })
        .collect();
    positions.sort_unstable();
    assert_eq!(positions, (1..=20).collect::<Vec<i64>>());
}

#[actix_web::test]
async fn a_copy_that_is_still_current_is_a_304_until_someone_changes_it() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let area = app.create_focus_area(&plan.id(), "Inddragelse").await;
    let path = format!("/api/v1/focus-areas/{}", area.id());
    let read = app.get(&path).await.expect(200);
    let etag = read.etag();
    let unchanged = app
        .admin()
        .get_with(&path, &[("if-none-match", &etag)])
        .await
        .expect(304);
    assert_eq!(unchanged.header("etag"), Some(etag.as_str()));
    assert!(unchanged.body.is_null());

    app.patch(
        &path,
        Some(&etag),
        &json!({"title": "Børnenes inddragelse"}),
    )
    .await
    .expect(200);
    let changed = app
        .admin()
        .get_with(&path, &[("if-none-match", &etag)])
        .await
        .expect(200);
    assert_eq!(changed.body["title"], "Børnenes inddragelse");
    assert_ne!(changed.etag(), etag);
}

#[actix_web::test]
async fn a_list_can_be_refreshed_with_only_what_changed_since() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let first = app.create_focus_area(&plan.id(), "Ledelse").await;
    app.create_focus_area(&plan.id(), "Udredning").await;
    let path = format!("/api/v1/focus-areas/{}", first.id());
    let changed = app
        .patch(
            &path,
            Some(&first.etag()),
            &json!({"title": "Faglig ledelse"}),
        )
        .await
        .expect(200);
    let since = changed.body["updated_at"].as_str().expect("updated_at");
    let since: String = form_urlencoded::byte_serialize(since.as_bytes()).collect();
    let page = app
        .get(&format!(
            "/api/v1/plans/{}/focus-areas?updated_since={since}",
            plan.id()
        ))
        .await
        .expect(200);
    let titles: Vec<&str> = page.body["items"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|area| area["title"].as_str())
        .collect();
    assert_eq!(titles, ["Faglig ledelse"]);

    let problem = app
        .get(&format!(
            "/api/v1/plans/{}/focus-areas?updated_since=yesterday",
            plan.id()
        ))
        .await
        .expect_problem(400);
    assert!(
        problem["detail"]
            .as_str()
            .is_some_and(|d| d.contains("`updated_since`"))
    );
}
