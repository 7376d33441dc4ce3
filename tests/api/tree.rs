use serde_json::{Value, json};

use crate::helpers::{TestApp, spawn_app};

/// A plan of 7 focus areas × `initiatives` initiatives × `indicators` indicators
/// × `measurements` monthly values, written in bulk by SQL.
fn bulk_plan(app: &TestApp, plan_id: &str, initiatives: u32, indicators: u32, measurements: u32) {
    app.execute_sql(&format!(
        "INSERT INTO focus_areas (id, plan_id, position, title)
           SELECT gen_random_uuid(), '{plan_id}', p, 'Punkt ' || p FROM generate_series(1, 7) AS p;
         INSERT INTO initiatives (id, focus_area_id, plan_id, title)
           SELECT gen_random_uuid(), f.id, f.plan_id, 'Indsats ' || n
           FROM focus_areas f, generate_series(1, {initiatives}) AS n WHERE f.plan_id = '{plan_id}';
         INSERT INTO indicators (id, plan_id, focus_area_id, initiative_id, name, unit, direction, frequency)
           SELECT gen_random_uuid(), i.plan_id, i.focus_area_id, i.id, 'Indikator ' || n, 'percent', 'increase', 'monthly'
           FROM initiatives i, generate_series(1, {indicators}) AS n WHERE i.plan_id = '{plan_id}';
         INSERT INTO measurements (id, indicator_id, period_end, value)
           SELECT gen_random_uuid(), d.id, date '2021-01-31' + (n || ' months')::interval, n % 100
           FROM indicators d, generate_series(0, {measurements} - 1) AS n WHERE d.plan_id = '{plan_id}';"
    ));
}

async fn statements_for_tree(app: &TestApp, plan_id: &str) -> (u64, Value) {
    let before = app.db.statements.get();
    let tree = app
        .get(&format!("/api/v1/plans/{plan_id}/tree"))
        .await
        .expect(200);
    (app.db.statements.get() - before, tree.body)
}

#[actix_web::test]
async fn the_tree_costs_the_same_statements_for_a_small_and_a_large_plan() {
    let app = spawn_app().await;
    let small = app.create_plan().await;
    bulk_plan(&app, &small.id(), 1, 1, 1);
    let large = app
        .create_plan_for(small.body["organization_id"].as_str().unwrap_or_default())
        .await;
    bulk_plan(&app, &large.id(), 5, 3, 24);

    let (small_statements, small_tree) = statements_for_tree(&app, &small.id()).await;
    let (large_statements, large_tree) = statements_for_tree(&app, &large.id()).await;

    assert_eq!(small_tree["focus_areas"].as_array().map(Vec::len), Some(7));
    let large_indicators: usize = large_tree["focus_areas"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|f| f["initiatives"].as_array().into_iter().flatten())
        .map(|i| i["indicators"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(large_indicators, 7 * 5 * 3);
    assert_eq!(
        small_statements, large_statements,
        "the tree's statements grow with the plan"
    );
    assert!(
        small_statements <= 6,
        "{small_statements} statements for one tree"
    );
}

#[actix_web::test]
async fn the_tree_hangs_each_indicator_where_it_belongs_with_its_latest_value() {
    let app = spawn_app().await;
    let plan = app.create_plan().await;
    let plan_id = plan.id();
    let second = app
        .post(
            &format!("/api/v1/plans/{plan_id}/focus-areas"),
            &json!({"position": 2, "title": "Tværfagligt"}),
        )
        .await
        .expect(201);
    let first = app
        .post(
            &format!("/api/v1/plans/{plan_id}/focus-areas"),
            &json!({"position": 1, "title": "Ledelse"}),
        )
        .await
        .expect(201);
    let initiative = app.create_initiative(&first.id(), "Ledelsestilsyn").await;
    let on_initiative = app
        .create_indicator(
            &plan_id,
            json!({"focus_area_id": first.id(), "initiative_id": initiative.id()}),
        )
        .await;
    let on_focus_area = app
        .create_indicator(
            &plan_id,
            json!({"name": "Tværfaglige møder", "unit": "count", "focus_area_id": second.id()}),
        )
        .await;
    let on_plan = app
        .create_indicator(
            &plan_id,
            json!({"name": "Sager pr. rådgiver", "unit": "ratio", "direction": "decrease"}),
        )
        .await;
    for (period_end, value) in [("2021-03-31", 40), ("2021-09-30", 75), ("2021-06-30", 60)] {
        app.put(
            &format!(
                "/api/v1/indicators/{}/measurements/{period_end}",
                on_initiative.id()
            ),
            &[],
            &json!({"value": value}),
        )
        .await
        .expect(201);
    }

    let tree = app
        .get(&format!("/api/v1/plans/{plan_id}/tree"))
        .await
        .expect(200)
        .body;
    assert_eq!(tree["id"], plan.body["id"]);
    assert_eq!(tree["focus_areas"][0]["id"], first.body["id"]);
    assert_eq!(tree["focus_areas"][1]["id"], second.body["id"]);
    let initiative_node = &tree["focus_areas"][0]["initiatives"][0];
    assert_eq!(initiative_node["id"], initiative.body["id"]);
    assert_eq!(
        initiative_node["indicators"][0]["id"],
        on_initiative.body["id"]
    );
    assert_eq!(
        initiative_node["indicators"][0]["latest_measurement"]["period_end"],
        "2021-09-30"
    );
    assert_eq!(
        initiative_node["indicators"][0]["latest_measurement"]["value"],
        json!(75)
    );
    assert_eq!(tree["focus_areas"][0]["indicators"], json!([]));
    assert_eq!(
        tree["focus_areas"][1]["indicators"][0]["id"],
        on_focus_area.body["id"]
    );
    assert_eq!(
        tree["focus_areas"][1]["indicators"][0]["latest_measurement"],
        json!(null)
    );
    assert_eq!(tree["indicators"][0]["id"], on_plan.body["id"]);
}

#[actix_web::test]
async fn the_tree_of_an_unknown_plan_is_404() {
    let app = spawn_app().await;
    app.get(&format!("/api/v1/plans/{}/tree", uuid::Uuid::now_v7()))
        .await
        .expect_problem(404);
}
