//! The committed sample committee documents (docs/examples/) are made here, by
//! the same code path as a download: a Slagelse-like plan built through the
//! API from the Task Force template, two and a half years of values, the
//! Task Force's recommendations, case reviews and assessment, two published
//! reports and an erratum. Every status in them is computed by the engine,
//! and the summary the municipality writes is written from those statuses.
//!
//! `make samples` (PLANSPOR_WRITE_SAMPLES=1) writes the files; every run
//! checks the page budget and that the documents say what the API says.

use serde_json::{Value, json};

use crate::export_documents::read_pdf;
use crate::helpers::{Caller, TestApp, spawn_app};

const PLAN_START: &str = "2024-01-01";
const PREVIOUS_AS_OF: &str = "2026-06-30";
const AS_OF: &str = "2026-09-30";
/// The committee's page budget for the sample.
const MAX_PAGES: usize = 10;

/// The last day of each month or quarter from the plan's start to `AS_OF`.
fn period_ends(months_per_period: u32) -> Vec<String> {
    let mut ends = Vec::new();
    let mut month = months_per_period;
    loop {
        let (year, m) = (2024 + (month - 1) / 12, (month - 1) % 12 + 1);
        let last_day = match m {
            2 if year % 4 == 0 => 29,
            2 => 28,
            4 | 6 | 9 | 11 => 30,
            _ => 31,
        };
        let end = format!("{year}-{m:02}-{last_day:02}");
        if end.as_str() > AS_OF {
            return ends;
        }
        ends.push(end);
        month += months_per_period;
    }
}

/// `count` values from `first` to `last` along a gently uneven line, rounded
/// to one decimal as a municipality's spreadsheet would have them.
fn series(count: usize, first: f64, last: f64) -> Vec<f64> {
    let wobble = [0.0, 0.8, -0.6, 0.5, -0.3, 0.6, -0.4, 0.2];
    (0..count)
        .map(|k| {
            let along = k as f64 / (count.max(2) - 1) as f64;
            let edge = k == 0 || k + 1 == count;
            let jitter = if edge { 0.0 } else { wobble[k % wobble.len()] };
            ((first + (last - first) * along + jitter) * 10.0).round() / 10.0
        })
        .collect()
}

/// An indicator of the sample: which one, what it starts from and where it
/// stands at the end.
struct Course {
    key: Option<&'static str>,
    name: &'static str,
    monthly: bool,
    baseline: f64,
    target: Option<f64>,
    values: Vec<f64>,
}

fn courses() -> Vec<(usize, Course, Value)> {
    let quarters = period_ends(3).len();
    let months = period_ends(1).len();
    let template = |key, name, monthly: bool, baseline, target: Option<f64>, values| Course {
        key: Some(key),
        name,
        monthly,
        baseline,
        target,
        values,
    };
    let own = |name, baseline, target, values| Course {
        key: None,
        name,
        monthly: false,
        baseline,
        target: Some(target),
        values,
    };
    vec![
        (
            1,
            template(
                "cases_per_social_worker",
                "",
                false,
                38.0,
                None,
                series(quarters, 38.0, 31.8),
            ),
            Value::Null,
        ),
        (
            1,
            template(
                "open_cases_reviewed",
                "",
                true,
                40.0,
                None,
                series(months, 40.0, 97.0),
            ),
            Value::Null,
        ),
        (
            2,
            own(
                "Andel nye sager med tværfagligt møde inden for 14 dage",
                35.0,
                90.0,
                series(quarters, 35.0, 86.0),
            ),
            json!({"unit": "percent", "direction": "increase"}),
        ),
        (
            3,
            own(
                "Andel afgørelser med børnesamtale før afgørelsen",
                48.0,
                95.0,
                series(quarters, 48.0, 90.0),
            ),
            json!({"unit": "percent", "direction": "increase", "legal_regime": "barnets_lov"}),
        ),
        (
            3,
            own(
                "Antal børn anbragt i netværkspleje",
                3.0,
                12.0,
                vec![3.0, 3.0, 4.0, 4.0, 5.0, 6.0, 6.0, 7.0, 8.0, 8.0, 9.0],
            ),
            json!({"unit": "count", "direction": "increase", "legal_regime": "barnets_lov"}),
        ),
        (
            4,
            own(
                "Familier i den åbne anonyme rådgivning (§ 30)",
                40.0,
                120.0,
                series(quarters, 40.0, 118.0),
            ),
            json!({"unit": "count", "direction": "increase", "legal_regime": "barnets_lov"}),
        ),
        (
            5,
            template(
                "notifications_assessed_24h",
                "",
                true,
                70.0,
                None,
                [series(months - 9, 70.0, 91.0), series(9, 89.5, 78.0)].concat(),
            ),
            Value::Null,
        ),
        (
            6,
            template(
                "investigations_within_4_months",
                "",
                false,
                45.0,
                None,
                series(quarters, 45.0, 85.0),
            ),
            Value::Null,
        ),
        (
            7,
            template(
                "plans_within_3_months",
                "",
                false,
                50.0,
                None,
                series(quarters, 50.0, 93.0),
            ),
            Value::Null,
        ),
        (
            7,
            template(
                "first_follow_up_within_3_months",
                "",
                false,
                40.0,
                None,
                series(quarters, 40.0, 80.0),
            ),
            Value::Null,
        ),
        (
            7,
            template(
                "waiting_days_before_intervention",
                "",
                false,
                45.0,
                Some(14.0),
                series(quarters, 45.0, 21.0),
            ),
            Value::Null,
        ),
    ]
}

/// Initiatives per focus area: title, owner, status, due date.
const INITIATIVES: [(usize, &str, &str, &str, &str); 15] = [
    (
        1,
        "Ny model for sagsfordeling og sagstal",
        "Afdelingsleder, Børn og Familie",
        "done",
        "2025-06-30",
    ),
    (
        1,
        "Månedlig ledelsesgennemgang af åbne sager",
        "Faglig leder, Myndighed",
        "in_progress",
        "2026-12-31",
    ),
    (
        1,
        "Fast rekruttering og introduktion af nye rådgivere",
        "Centerchef",
        "in_progress",
        "2026-12-31",
    ),
    (
        2,
        "Tværfaglige distriktsmøder hver anden uge",
        "Faglig leder, Forebyggelse",
        "done",
        "2025-03-31",
    ),
    (
        2,
        "Fælles kommunikationsguide med sundhedsplejen",
        "Sundhedsplejen",
        "in_progress",
        "2026-11-30",
    ),
    (
        3,
        "Børnesamtaler før hver afgørelse",
        "Faglig leder, Myndighed",
        "done",
        "2025-09-30",
    ),
    (
        3,
        "Netværksmøder i alle nye sager",
        "Faglig leder, Myndighed",
        "in_progress",
        "2026-12-31",
    ),
    (
        4,
        "Udvidet åben anonym rådgivning for forældre til teenagere",
        "Familierådgivningen",
        "done",
        "2025-12-31",
    ),
    (
        4,
        "Længere åbningstider i familierådgivningen",
        "Familierådgivningen",
        "in_progress",
        "2026-10-31",
    ),
    (
        5,
        "Triagering af underretninger samme dag",
        "Faglig leder, Modtagelsen",
        "in_progress",
        "2026-08-31",
    ),
    (
        5,
        "En ekstra rådgiver i modtagelsen",
        "Centerchef",
        "done",
        "2026-04-01",
    ),
    (
        6,
        "Ugentlig opfølgning på undersøgelser tæt på fristen",
        "Faglig leder, Myndighed",
        "in_progress",
        "2026-12-31",
    ),
    (
        6,
        "Afvikling af pukkel af ældre undersøgelser",
        "Faglig leder, Myndighed",
        "done",
        "2026-03-31",
    ),
    (
        7,
        "Forenklet skabelon for barnets plan",
        "Faglig leder, Myndighed",
        "done",
        "2025-12-31",
    ),
    (
        7,
        "Nye leverandører af familiebehandling",
        "Centerchef",
        "planned",
        "2027-03-31",
    ),
];

/// The municipality's account of each focus area: narrative, highlights, risks, next steps.
const SECTIONS: [[&str; 4]; 7] = [
    [
        "Afdelingen har ansat fire nye rådgivere, og sagsfordelingen er lagt om.\n\nDe faglige ledere gennemgår alle åbne sager hver måned efter en fast dagsorden.",
        "Sagstallet pr. rådgiver er faldet for tiende kvartal i træk.",
        "Rekruttering af erfarne rådgivere er fortsat svær; to stillinger står ubesatte.",
        "Evaluering af sagsfordelingsmodellen i december.",
    ],
    [
        "Samarbejdet med skoler og dagtilbud er styrket gennem faste tværfaglige møder i alle distrikter.",
        "Tværfaglige møder afholdes i alle fire distrikter hver anden uge.",
        "",
        "Fælles kommunikationsguide til familier med sundhedsplejen.",
    ],
    [
        "Børnesamtaler gennemføres i langt flere sager, og netværket inddrages tidligere.",
        "Flere børn bor i netværkspleje end ved planens start.",
        "Tolkebistand er en flaskehals i enkelte sager.",
        "Undervisning i samtaler med mindre børn for alle rådgivere.",
    ],
    [
        "Den åbne anonyme rådgivning efter barnets lov § 30 er udvidet med et tilbud til forældre til teenagere.",
        "Ventetiden til familierådgivningen er halveret.",
        "Budgettet for 2027 er ikke endeligt vedtaget.",
        "Længere åbningstider fra 1. november.",
    ],
    [
        "Antallet af underretninger er steget med 18 % på et år, og andelen vurderet inden for 24 timer er faldet siden foråret.",
        "",
        "Uden flere ressourcer i modtagelsen kan fristen på 24 timer ikke overholdes i alle sager.",
        "Triagering samme dag indføres fuldt ud i oktober; status til udvalget i december.",
    ],
    [
        "Flere børnefaglige undersøgelser afsluttes inden for fire måneder.",
        "Pukkelen af undersøgelser ældre end seks måneder er afviklet.",
        "Sygefravær i undersøgelsesteamet.",
        "Ugentlig opfølgning på undersøgelser, der nærmer sig fristen.",
    ],
    [
        "Barnets plan udarbejdes oftere til tiden; de første opfølgninger halter efter.",
        "Skabelonen for barnets plan er forenklet i samarbejde med børnene.",
        "Ventetid på eksterne tilbud forsinker iværksættelsen.",
        "Kontrakter med to nye leverandører af familiebehandling.",
    ],
];

/// The analysis's five recommendations: theme, title, the focus area it concerns.
const RECOMMENDATIONS: [(&str, &str, usize); 5] = [
    (
        "faglig_udredning",
        "Børnefaglige undersøgelser afsluttes inden for 4 måneder",
        6,
    ),
    (
        "inddragelse",
        "Børnesamtaler holdes og dokumenteres før hver afgørelse",
        3,
    ),
    (
        "opfoelgning",
        "Barnets plan og første opfølgning sker til tiden",
        7,
    ),
    (
        "underretning",
        "Underretninger vurderes inden for 24 timer",
        5,
    ),
    (
        "styring_og_ledelse",
        "Ledelsesinformation bruges i den faglige styring",
        1,
    ),
];

struct Slagelse<'a> {
    mette: Caller<'a>,
    karen: Caller<'a>,
    plan: String,
    areas: Vec<String>,
}

impl<'a> Slagelse<'a> {
    async fn start(app: &'a TestApp) -> Self {
        let organization = app
            .post(
                "/api/v1/organizations",
                &json!({"name": "Slagelse Kommune", "kind": "municipality", "municipality_code": "330"}),
            )
            .await
            .expect(201)
            .id();
        let (_, mette) = app
            .user("Mette Ødegaard", Some(&organization), Some("editor"))
            .await;
        let (_, karen) = app
            .user(
                "Karen Lund, Task Force-konsulent",
                Some(&organization),
                Some("consultant"),
            )
            .await;
        let (mette, karen) = (app.with_token(&mette), app.with_token(&karen));
        let plan = mette
            .post(
                &format!("/api/v1/organizations/{organization}/plans"),
                &json!({"title": "Udviklingsplan for Børn og Familie 2024–2026", "period_start": PLAN_START,
                        "period_end": "2026-12-31", "template": "task_force",
                        "analysis_date": "2023-11-20", "analysis_title": "Task Forcens analyse af børne- og familieområdet"}),
            )
            .await
            .expect(201)
            .id();
        let areas = mette
            .get(&format!("/api/v1/plans/{plan}/focus-areas"))
            .await
            .expect(200)
            .body["items"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|area| area["id"].as_str().map(str::to_owned))
            .collect();
        Self {
            mette,
            karen,
            plan,
            areas,
        }
    }

    fn area(&self, position: usize) -> &str {
        &self.areas[position - 1]
    }

    async fn recommendations(&self) -> Vec<String> {
        let mut ids = Vec::new();
        for (number, (theme, title, area)) in (1..).zip(RECOMMENDATIONS) {
            let id = self
                .karen
                .post(
                    &format!("/api/v1/plans/{}/recommendations", self.plan),
                    &json!({"number": number, "title": title, "theme": theme, "focus_area_ids": [self.area(area)]}),
                )
                .await
                .expect(201)
                .id();
            ids.push(id);
        }
        ids
    }

    /// The initiatives; the first of a focus area answers its recommendation,
    /// except the fifth recommendation's, which nothing answers yet.
    async fn initiatives(&self, recommendations: &[String]) {
        let mut seen = Vec::new();
        for (area, title, owner, status, due) in INITIATIVES {
            let answers: Vec<&String> = RECOMMENDATIONS
                .iter()
                .zip(recommendations)
                .filter(|((_, _, concerns), _)| {
                    *concerns == area && area != 1 && !seen.contains(&area)
                })
                .map(|(_, id)| id)
                .collect();
            seen.push(area);
            self.mette
                .post(
                    &format!("/api/v1/focus-areas/{}/initiatives", self.area(area)),
                    &json!({"title": title, "owner": owner, "status": status, "start_date": "2024-03-01",
                            "due_date": due, "recommendation_ids": answers}),
                )
                .await
                .expect(201);
        }
    }

    /// Sets each indicator's baseline and target and records its values in one request.
    async fn indicators(&self, recommendations: &[String]) {
        let listed = self
            .mette
            .get(&format!("/api/v1/plans/{}/indicators", self.plan))
            .await
            .expect(200)
            .body["items"]
            .clone();
        let mut measurements = Vec::new();
        for (area, course, definition) in courses() {
            let answers: Vec<&String> = RECOMMENDATIONS
                .iter()
                .zip(recommendations)
                .filter(|((_, _, concerns), _)| *concerns == area && area != 1)
                .map(|(_, id)| id)
                .collect();
            let id = match course.key {
                Some(key) => {
                    let indicator = listed
                        .as_array()
                        .into_iter()
                        .flatten()
                        .find(|i| i["template_key"] == key)
                        .expect("a template indicator");
                    let id = indicator["id"].as_str().expect("an id").to_owned();
                    let mut patch = json!({"baseline_value": course.baseline, "baseline_date": PLAN_START,
                                           "recommendation_ids": answers});
                    if let Some(target) = course.target {
                        patch["target_value"] = json!(target);
                    }
                    let current = self
                        .mette
                        .get(&format!("/api/v1/indicators/{id}"))
                        .await
                        .expect(200);
                    self.mette
                        .patch(
                            &format!("/api/v1/indicators/{id}"),
                            Some(&current.etag()),
                            &patch,
                        )
                        .await
                        .expect(200);
                    id
                }
                None => {
                    let mut body = definition.clone();
                    body["name"] = json!(course.name);
                    body["focus_area_id"] = json!(self.area(area));
                    body["frequency"] = json!("quarterly");
                    body["baseline_value"] = json!(course.baseline);
                    body["baseline_date"] = json!(PLAN_START);
                    body["target_value"] = json!(course.target);
                    body["recommendation_ids"] = json!(answers);
                    self.mette
                        .post(&format!("/api/v1/plans/{}/indicators", self.plan), &body)
                        .await
                        .expect(201)
                        .id()
                }
            };
            let periods = period_ends(if course.monthly { 1 } else { 3 });
            assert_eq!(periods.len(), course.values.len(), "{}", course.name);
            for (period_end, value) in periods.into_iter().zip(course.values) {
                measurements
                    .push(json!({"indicator_id": id, "period_end": period_end, "value": value}));
            }
        }
        self.mette
            .post(
                &format!("/api/v1/plans/{}/measurements", self.plan),
                &json!({"measurements": measurements}),
            )
            .await
            .expect(200);
    }

    async fn adopt(&self) {
        let transitions = format!("/api/v1/plans/{}/transitions", self.plan);
        self.mette
            .post(&transitions, &json!({"to": "submitted"}))
            .await
            .expect(201);
        self.karen
            .post(&transitions, &json!({"to": "approved"}))
            .await
            .expect(201);
        self.mette
            .post(
                &transitions,
                &json!({"to": "adopted", "committee": "Børne- og Ungeudvalget",
                    "meeting_date": "2024-03-12", "decision": "Godkendt",
                    "agenda_url": "https://www.slagelse.dk/dagsordener/bu-2024-03-12#punkt-4"}),
            )
            .await
            .expect(201);
        self.mette
            .post(&transitions, &json!({"to": "active"}))
            .await
            .expect(201);
    }

    /// A legal review of 20 cases before the plan and one in its last year.
    async fn case_reviews(&self) {
        let legal = [
            "notification_assessed_within_24_hours",
            "investigation_within_4_months",
            "investigation_reasoned_conclusion",
            "child_views_obtained_before_decision",
            "parents_involved_in_investigation",
            "party_hearing",
            "decision_reasoned_with_legal_basis",
            "plan_within_3_months",
            "plan_has_concrete_goals",
            "first_followup_on_time",
        ];
        for (phase, on, gain) in [
            ("baseline", "2023-10-15", 0),
            ("follow_up", "2026-08-28", 4),
        ] {
            let results: Vec<Value> = (0..)
                .zip(legal)
                .map(|(n, key)| {
                    let not_relevant = n % 3;
                    // One criterion stays below the small-count threshold in both rounds.
                    let met = if key == "party_hearing" { 3 } else { 6 + (n * 3) % 5 + gain };
                    json!({"criterion_key": key, "met": met, "not_met": 20 - not_relevant - met, "not_relevant": not_relevant})
                })
                .collect();
            self.karen
                .post(
                    &format!("/api/v1/plans/{}/case-reviews", self.plan),
                    &json!({"kind": "legal", "phase": phase, "reviewed_on": on, "cases_reviewed": 20, "results": results}),
                )
                .await
                .expect(201);
        }
    }

    async fn report(&self, title: &str, as_of: &str) -> String {
        self.mette
            .post(
                &format!("/api/v1/plans/{}/status-reports", self.plan),
                &json!({"title": title, "as_of": as_of}),
            )
            .await
            .expect(201)
            .id()
    }

    async fn publish(&self, report: &str) {
        let current = self
            .mette
            .get(&format!("/api/v1/status-reports/{report}"))
            .await
            .expect(200);
        self.mette
            .publish(report, &current.etag())
            .await
            .expect(200);
    }

    /// The summary a municipality writes after reading the computed statuses.
    async fn write_summary(&self, report: &str) {
        let sections = self
            .mette
            .get(&format!("/api/v1/status-reports/{report}/sections"))
            .await
            .expect(200)
            .body["items"]
            .clone();
        let statuses: Vec<(String, String)> = sections
            .as_array()
            .into_iter()
            .flatten()
            .map(|s| {
                (
                    s["title"].as_str().unwrap_or_default().to_owned(),
                    s["status"].as_str().unwrap_or_default().to_owned(),
                )
            })
            .collect();
        let count = |status: &str| statuses.iter().filter(|(_, s)| s == status).count();
        let behind: Vec<&str> = statuses
            .iter()
            .filter(|(_, s)| s == "red")
            .map(|(title, _)| title.as_str())
            .collect();
        let number = |n: usize| {
            ["ingen", "ét", "to", "tre", "fire", "fem", "seks", "syv"]
                .get(n)
                .copied()
                .unwrap_or("flere")
        };
        let mut summary = format!(
            "Udviklingsplanen er i sit sidste år. {} af de syv fokusområder er grønne og {} gule",
            capitalise(number(count("green"))),
            number(count("amber")),
        );
        match behind.as_slice() {
            [] => summary.push('.'),
            [one] => summary.push_str(&format!(
                "; fokusområdet {one} er rødt, og der er sat ekstra ressourcer ind."
            )),
            many => summary.push_str(&format!("; fokusområderne {} er røde.", many.join(" og "))),
        }
        summary.push_str("\n\nSagstallet pr. rådgiver er faldet hvert år, og flere børnefaglige undersøgelser afsluttes til tiden.");
        let current = self
            .mette
            .get(&format!("/api/v1/status-reports/{report}"))
            .await
            .expect(200);
        self.mette
            .patch(
                &format!("/api/v1/status-reports/{report}"),
                Some(&current.etag()),
                &json!({"summary": summary}),
            )
            .await
            .expect(200);
    }

    async fn write_sections(&self, report: &str) {
        for (area, [narrative, highlights, risks, next_steps]) in self.areas.iter().zip(SECTIONS) {
            self.mette
                .put(
                    &format!("/api/v1/status-reports/{report}/sections/{area}"),
                    &[],
                    &json!({"narrative": narrative, "highlights": highlights, "risks": risks, "next_steps": next_steps}),
                )
                .await
                .expect(201);
        }
        self.karen
            .put(
                &format!("/api/v1/status-reports/{report}/assessment"),
                &[],
                &json!({"overall": "Task Forcen vurderer, at kommunen er godt på vej. Sagsbehandlingen viser en tendens til forbedring, særligt i de børnefaglige undersøgelser og i inddragelsen af børnene.\n\nDer er stadig markante udfordringer i forhold til lovmedholdighed ved vurderingen af underretninger og ved den første opfølgning.",
                        "focus_areas": [{"focus_area_id": self.area(5), "text": "Modtagelsen har brug for en varig bemanding, før fristen på 24 timer kan overholdes."}]}),
            )
            .await
            .expect(201);
    }
}

fn capitalise(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The sample's published report, built as a municipality and the Task Force would.
async fn the_slagelse_report(app: &TestApp) -> String {
    let slagelse = Slagelse::start(app).await;
    let recommendations = slagelse.recommendations().await;
    slagelse.initiatives(&recommendations).await;
    slagelse.indicators(&recommendations).await;
    slagelse.case_reviews().await;
    slagelse.adopt().await;
    let previous = slagelse
        .report("Statusrapport 2. kvartal 2026", PREVIOUS_AS_OF)
        .await;
    slagelse.publish(&previous).await;
    let report = slagelse
        .report("Statusrapport 3. kvartal 2026", AS_OF)
        .await;
    slagelse.write_sections(&report).await;
    slagelse.write_summary(&report).await;
    slagelse.publish(&report).await;
    slagelse
        .mette
        .post(
            &format!("/api/v1/status-reports/{report}/errata"),
            &json!({"body": "Sagstallet pr. fuldtidsrådgiver i 3. kvartal 2026 er 31,8 som vist. Rådgiverne i modtagelsen var ved en fejl ikke talt med i teksten om fokusområde 1; det ændrer ikke tallet."}),
        )
        .await
        .expect(201);
    report
}

#[actix_web::test]
async fn the_slagelse_sample_is_computed_by_the_engine_and_fits_the_page_budget() {
    let app = spawn_app().await;
    let report = the_slagelse_report(&app).await;
    let snapshot = app
        .get(&format!("/api/v1/status-reports/{report}/snapshot"))
        .await
        .expect(200)
        .body;
    let pdf = app
        .admin()
        .download(&format!("/api/v1/status-reports/{report}/export/pdf"), &[])
        .await
        .expect(200);
    let html = app
        .admin()
        .download(&format!("/api/v1/status-reports/{report}/export/html"), &[])
        .await
        .expect(200);
    let (text, pages) = read_pdf(&pdf.bytes, "slagelse-sample");
    println!("the Slagelse sample: {pages} pages");
    assert!(
        pages <= MAX_PAGES,
        "{pages} pages, the budget is {MAX_PAGES}"
    );
    // The document says what the engine computed: every focus area's status word.
    let word = |status: &str| match status {
        "green" => "grøn",
        "amber" => "gul",
        "red" => "rød",
        "stale" => "mangler data",
        "no_data" => "ingen data",
        _ => "intet mål",
    };
    let page = String::from_utf8_lossy(&html.bytes).into_owned();
    for area in snapshot["focus_areas"].as_array().into_iter().flatten() {
        let title = area["title"].as_str().unwrap_or_default();
        let status = word(area["status"].as_str().unwrap_or_default());
        assert!(text.contains(title), "{title} in the PDF");
        assert!(
            page.contains(&format!("{}. {}</a></th><td colspan=\"4\"><span class=\"status status-{}\"><span aria-hidden=\"true\">", area["position"], title, area["status"].as_str().unwrap_or_default())),
            "{title} is {status} in the HTML overview"
        );
    }
    assert!(text.contains("Sammenlignet med »Statusrapport 2. kvartal 2026«"));
    assert!(
        page.contains("Værdi: sager pr. rådgiver"),
        "the ratio's own unit, not \"forhold\""
    );
    if std::env::var_os("PLANSPOR_WRITE_SAMPLES").is_some() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/examples");
        let name = format!("Slagelse_udviklingsplan_status_{AS_OF}");
        std::fs::write(dir.join(format!("{name}.pdf")), &pdf.bytes).expect("writing the PDF");
        std::fs::write(dir.join(format!("{name}.html")), &html.bytes).expect("writing the HTML");
        println!("wrote {name}.pdf and .html to {}", dir.display());
    }
}
