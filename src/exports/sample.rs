//! Committee documents built in memory, with no database, for the renderers'
//! unit tests and the HTTP-free document tests (a Slagelse-like report on the
//! Task Force template, its statuses set by hand) and a large one for the
//! benchmark (`examples/export_bench.rs`). Not used by the service itself, and
//! not the committed samples in docs/examples/: those are computed by the
//! engine through the API (tests/api/sample_documents.rs).

use chrono::{DateTime, Datelike, Days, NaiveDate, TimeZone, Utc};
use serde_json::Value;
use uuid::Uuid;

use super::{ExportDocument, Lang};
use crate::case_reviews::{CaseReview, CriterionResult, courses, criteria, share};
use crate::domain::{CaseReviewId, RecommendationId, ReviewKind, ReviewPhase, Theme};
use crate::domain::{
    Direction, FocusAreaId, Health, IndicatorId, InitiativeId, InitiativeStatus, LegalRegime,
    OrganizationId, PlanId, PlanStatus, StatusReportId, Unit,
};
use crate::progress::{IndicatorProgress, Point, Thresholds};
use crate::status_reports::assessment::{AreaAssessment, Assessment};
use crate::status_reports::changes::{
    IndicatorMovement, InitiativeChange, ReportChanges, StatusChange,
};
use crate::status_reports::errata::Erratum;
use crate::status_reports::snapshot::{
    ReportSnapshot, SnapshotAnalysis, SnapshotFocusArea, SnapshotInitiative, SnapshotOrganization,
    SnapshotPlan, SnapshotRecommendation, SnapshotReport,
};
use crate::workflow::PlanTransition;

const TEMPLATE: &str = include_str!("../../templates/task_force.json");

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

fn at(y: i32, m: u32, d: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(y, m, d, 10, 0, 0)
        .single()
        .unwrap_or_default()
}

fn text(value: &Value, key: &str) -> String {
    value[key].as_str().unwrap_or_default().to_owned()
}

/// The last day of each of `count` quarters ending with the one that ends on `last`.
fn quarter_ends(last: NaiveDate, count: usize) -> Vec<NaiveDate> {
    let mut ends = Vec::with_capacity(count);
    let mut end = last;
    for _ in 0..count {
        ends.push(end);
        // The first of the quarter's last month, minus two months, minus a day.
        let first = end.with_day0(0).unwrap_or(end);
        end = first
            .checked_sub_months(chrono::Months::new(2))
            .and_then(|d| d.pred_opt())
            .unwrap_or(end);
    }
    ends.reverse();
    ends
}

struct IndicatorSpec<'a> {
    name: &'a str,
    unit: Unit,
    direction: Direction,
    regime: Option<LegalRegime>,
    baseline: Option<f64>,
    target: Option<f64>,
    values: Vec<f64>,
    status: Health,
    reason: &'a str,
}

fn indicator(spec: IndicatorSpec<'_>, as_of: NaiveDate) -> IndicatorProgress {
    let ends = quarter_ends(as_of, spec.values.len());
    let series: Vec<Point> = ends
        .into_iter()
        .zip(spec.values)
        .map(|(period_end, value)| Point { period_end, value })
        .collect();
    IndicatorProgress {
        indicator_id: IndicatorId::new(),
        name: spec.name.to_owned(),
        unit: spec.unit,
        direction: spec.direction,
        legal_regime: spec.regime,
        display_unit: (spec.unit == Unit::Ratio).then(|| "sager pr. rådgiver".to_owned()),
        as_of,
        latest: series.last().cloned(),
        baseline: spec.baseline.or_else(|| series.first().map(|p| p.value)),
        target: spec.target,
        progress: None,
        expected_progress: None,
        status: spec.status,
        reason: spec.reason.to_owned(),
        next_due: as_of.checked_add_days(Days::new(91)),
        series,
    }
}

fn initiative(
    title: &str,
    owner: &str,
    status: InitiativeStatus,
    due: NaiveDate,
    as_of: NaiveDate,
) -> SnapshotInitiative {
    let open = !matches!(status, InitiativeStatus::Done | InitiativeStatus::Cancelled);
    SnapshotInitiative {
        id: InitiativeId::new(),
        title: title.to_owned(),
        owner: Some(owner.to_owned()),
        status,
        due_date: Some(due),
        overdue: open && due < as_of,
    }
}

/// What the sample says about each of the template's seven focus areas.
struct AreaText {
    status: Health,
    reason: Option<&'static str>,
    narrative: &'static str,
    highlights: &'static str,
    risks: &'static str,
    next_steps: &'static str,
}

const AREAS: [AreaText; 7] = [
    AreaText {
        status: Health::Amber,
        reason: Some(
            "Sagstallet er faldet, men ligger stadig over anbefalingen på 30 sager pr. rådgiver.",
        ),
        narrative: "Afdelingen har ansat fire nye rådgivere, og sagsfordelingen er lagt om.\n\nDe faglige ledere gennemgår nu alle åbne sager hver måned efter en fast dagsorden.",
        highlights: "Ny fælles praksisbeskrivelse for sagsbehandling er vedtaget og implementeret i alle teams.",
        risks: "Rekruttering af erfarne rådgivere er fortsat svær; to stillinger står ubesatte.",
        next_steps: "Evaluering af ny sagsfordelingsmodel i juni; opfølgning på ledelsestilsyn.",
    },
    AreaText {
        status: Health::Green,
        reason: None,
        narrative: "Samarbejdet med skoler og dagtilbud er styrket gennem faste tværfaglige møder i alle distrikter.",
        highlights: "Tværfaglige møder afholdes nu i alle fire distrikter hver anden uge.",
        risks: "",
        next_steps: "Fælles kommunikationsguide til familier udarbejdes med sundhedsplejen.",
    },
    AreaText {
        status: Health::Green,
        reason: None,
        narrative: "Børnesamtaler gennemføres i langt flere sager, og netværket inddrages tidligere.",
        highlights: "Netværksmøder holdes nu i 8 ud af 10 nye sager.",
        risks: "Tolkebistand er en flaskehals i enkelte sager.",
        next_steps: "Undervisning i samtaler med mindre børn for alle rådgivere.",
    },
    AreaText {
        status: Health::Amber,
        reason: Some(
            "Den forebyggende indsats er i gang, men familierådgivningens åbningstider er endnu ikke udvidet.",
        ),
        narrative: "Den åbne anonyme rådgivning efter Barnets Lov § 30 er udvidet med et tilbud til forældre til teenagere.",
        highlights: "Ventetiden til familierådgivningen er halveret.",
        risks: "Budgettet for 2026 er ikke endeligt vedtaget.",
        next_steps: "Udvidede åbningstider fra 1. maj.",
    },
    AreaText {
        status: Health::Red,
        reason: Some(
            "Andelen af underretninger vurderet inden for 24 timer er faldet i to kvartaler i træk; vi har ikke givet en mildere status end den beregnede.",
        ),
        narrative: "Antallet af underretninger er steget med 18 % på et år. Modtagelsen er styrket med én rådgiver fra 1. april.",
        highlights: "",
        risks: "Uden flere ressourcer i modtagelsen kan fristen på 24 timer ikke overholdes i alle sager.",
        next_steps: "Ny triageringsmodel afprøves i april og maj; status til udvalget i juni.",
    },
    AreaText {
        status: Health::Amber,
        reason: None,
        narrative: "Flere børnefaglige undersøgelser afsluttes inden for fire måneder, men der er stadig en pukkel af ældre sager.",
        highlights: "Pukkelen af undersøgelser ældre end seks måneder er reduceret fra 41 til 12.",
        risks: "Sygefravær i undersøgelsesteamet.",
        next_steps: "Ugentlig opfølgning på undersøgelser, der nærmer sig fristen.",
    },
    AreaText {
        status: Health::Amber,
        reason: None,
        narrative: "Barnets plan udarbejdes oftere til tiden; opfølgningerne halter efter.",
        highlights: "Skabelon for barnets plan er forenklet i samarbejde med børnene.",
        risks: "Ventetid på eksterne tilbud forsinker iværksættelsen.",
        next_steps: "Kontrakter med to nye leverandører af familiebehandling.",
    },
];

const OWNERS: [&str; 4] = [
    "Afdelingsleder, Børn og Familie",
    "Faglig leder, Modtagelsen",
    "Faglig leder, Myndighed",
    "Centerchef",
];

/// A published status report of a Slagelse-like plan on the Task Force template: seven
/// focus areas, a few initiatives each, the template's indicators with two years of
/// quarterly values, one small-count indicator (suppressed), changes and an erratum.
pub fn slagelse(lang: Lang) -> ExportDocument {
    let as_of = day(2025, 3, 31);
    let template: Value = serde_json::from_str(TEMPLATE).unwrap_or(Value::Null);
    let empty = Vec::new();
    let template_areas = template["focus_areas"].as_array().unwrap_or(&empty);
    let template_indicators = template["indicators"].as_array().unwrap_or(&empty);
    let mut focus_areas: Vec<SnapshotFocusArea> = template_areas
        .iter()
        .zip(AREAS.iter())
        .enumerate()
        .map(|(n, (area, words))| {
            let position = area["position"].as_i64().unwrap_or(0) as i32;
            let initiatives = (0..3)
                .map(|k| {
                    let (status, due) = match (n + k) % 4 {
                        0 => (InitiativeStatus::Done, day(2024, 12, 31)),
                        1 => (InitiativeStatus::InProgress, day(2025, 6, 30)),
                        2 => (InitiativeStatus::InProgress, day(2025, 2, 28)),
                        _ => (InitiativeStatus::Planned, day(2025, 9, 30)),
                    };
                    let title = format!("{} – indsats {}", text(area, "title"), k + 1);
                    initiative(&title, OWNERS[(n + k) % OWNERS.len()], status, due, as_of)
                })
                .collect();
            let indicators = template_indicators
                .iter()
                .filter(|i| i["focus_area_position"].as_i64() == Some(i64::from(position)))
                .enumerate()
                .map(|(k, i)| template_indicator(i, n + k, as_of))
                .collect();
            SnapshotFocusArea {
                id: FocusAreaId::new(),
                position,
                title: text(area, "title"),
                objective: text(area, "objective"),
                legal_reference: area["legal_reference"].as_str().map(str::to_owned),
                suggested_status: words.status,
                status: words.status,
                status_reason: words.reason.map(str::to_owned),
                narrative: words.narrative.to_owned(),
                highlights: words.highlights.to_owned(),
                risks: words.risks.to_owned(),
                next_steps: words.next_steps.to_owned(),
                initiatives,
                indicators,
            }
        })
        .collect();
    if let Some(area) = focus_areas.get_mut(2) {
        area.indicators.push(indicator(
            IndicatorSpec {
                name: "Antal børn anbragt i netværkspleje",
                unit: Unit::Count,
                direction: Direction::Increase,
                regime: Some(LegalRegime::BarnetsLov),
                baseline: Some(3.0),
                target: Some(12.0),
                values: vec![3.0, 4.0, 6.0, 7.0, 9.0],
                status: Health::Green,
                reason: "Udviklingen følger planen.",
            },
            as_of,
        ));
    }
    if let Some(area) = focus_areas.get_mut(4) {
        // The committee overrode nothing, but the computed status was worse than before.
        area.suggested_status = Health::Red;
    }
    let changes = sample_changes(&focus_areas);
    let snapshot = ReportSnapshot {
        report: SnapshotReport {
            id: StatusReportId::new(),
            title: "Statusrapport 1. kvartal 2025".to_owned(),
            as_of,
            summary: "Udviklingsplanen er godt i gang. Fem af syv fokusområder følger planen eller er tæt på; underretningsområdet er bagud, og der er sat ekstra ressourcer ind fra 1. april.\n\nSagstallet pr. rådgiver er faldet for tredje kvartal i træk.".to_owned(),
            is_final: false,
            published_at: at(2025, 4, 8),
            published_by: "Søren Ærø Åkesson".to_owned(),
        },
        organization: SnapshotOrganization {
            id: OrganizationId::new(),
            name: "Slagelse Kommune".to_owned(),
            municipality_code: Some("330".to_owned()),
        },
        plan: SnapshotPlan {
            id: PlanId::new(),
            title: "Udviklingsplan for Børn og Familie 2024–2026".to_owned(),
            status: PlanStatus::Active,
            period_start: day(2024, 1, 1),
            period_end: day(2026, 12, 31),
            analysis: Some(SnapshotAnalysis {
                date: Some(day(2023, 11, 20)),
                title: Some("Task Forcens analyse af børne- og familieområdet".to_owned()),
                url: None,
            }),
            thresholds: Some(Thresholds {
                green: 0.9,
                amber: 0.7,
            }),
        },
        status: Health::Red,
        recommendations: sample_recommendations(&focus_areas),
        case_reviews: courses(&sample_reviews()),
        assessment: Some(sample_assessment(&focus_areas)),
        focus_areas,
        indicators: Vec::new(),
    };
    ExportDocument {
        published: true,
        adoption: Some(PlanTransition {
            id: Uuid::now_v7(),
            plan_id: snapshot.plan.id,
            from_status: PlanStatus::Approved,
            to_status: PlanStatus::Adopted,
            actor_id: None,
            actor_name: "Mette Ødegaard".to_owned(),
            reason: None,
            committee: Some("Børne- og Ungeudvalget".to_owned()),
            meeting_date: Some(day(2024, 3, 12)),
            decision: Some("Godkendt".to_owned()),
            agenda_url: Some(
                "https://www.slagelse.dk/dagsordener/bu-2024-03-12#punkt-4".to_owned(),
            ),
            created_at: at(2024, 3, 13),
        }),
        changes: Some(changes),
        previous_report: Some(super::PreviousReport {
            title: "Statusrapport 4. kvartal 2024".to_owned(),
            as_of: day(2024, 12, 31),
        }),
        errata: vec![Erratum {
            id: Uuid::now_v7(),
            report_id: snapshot.report.id,
            body: "Værdien for 4. kvartal 2024 for sager pr. fuldtidsrådgiver var 33,5, ikke 35."
                .to_owned(),
            author_id: None,
            author_name: "Søren Ærø Åkesson".to_owned(),
            created_at: at(2025, 4, 15),
        }],
        snapshot,
        lang,
        small_count_threshold: 5,
        generated_at: at(2025, 4, 20),
    }
}

fn template_indicator(spec: &Value, seed: usize, as_of: NaiveDate) -> IndicatorProgress {
    let unit: Unit = spec["unit"]
        .as_str()
        .unwrap_or("percent")
        .parse()
        .unwrap_or(Unit::Percent);
    let direction: Direction = spec["direction"]
        .as_str()
        .unwrap_or("increase")
        .parse()
        .unwrap_or(Direction::Increase);
    let regime = spec["legal_regime"].as_str().and_then(|r| r.parse().ok());
    let target = spec["target_value"].as_f64();
    let (start, step) = match (unit, direction) {
        (Unit::Ratio, _) => (38.0, -1.2),
        (Unit::Days, _) => (45.0, -2.5),
        (_, Direction::Increase) => (52.0 + seed as f64 * 3.0, 4.5),
        (_, Direction::Decrease) => (80.0, -4.0),
    };
    let values = (0..8)
        .map(|q| {
            let wobble = [0.0, 1.5, -1.0, 2.0, -0.5, 1.0, -1.5, 0.5][q];
            (start + step * q as f64 + wobble).clamp(0.0, 100.0)
        })
        .collect();
    let name = text(spec, "name");
    indicator(
        IndicatorSpec {
            name: &name,
            unit,
            direction,
            regime,
            baseline: None,
            target,
            values,
            status: if seed.is_multiple_of(3) {
                Health::Green
            } else {
                Health::Amber
            },
            reason: if target.is_some() {
                "Fremdriften ligger tæt på det forventede."
            } else {
                "Der er data, men intet mål at vurdere dem mod."
            },
        },
        as_of,
    )
}

/// Five recommendations of the analysis, answered by the first initiative of
/// a focus area each, the last one by nothing yet.
fn sample_recommendations(areas: &[SnapshotFocusArea]) -> Vec<SnapshotRecommendation> {
    let titles = [
        (
            Theme::FagligUdredning,
            "Børnefaglige undersøgelser afsluttes inden for 4 måneder",
        ),
        (
            Theme::Inddragelse,
            "Børnesamtaler holdes og dokumenteres systematisk",
        ),
        (Theme::Opfoelgning, "Handleplaner følges op til tiden"),
        (
            Theme::Underretning,
            "Underretninger vurderes inden for 24 timer",
        ),
        (
            Theme::StyringOgLedelse,
            "Ledelsesinformation bruges i den faglige styring",
        ),
    ];
    (1..)
        .zip(titles)
        .map(|(number, (theme, title))| {
            let area = areas.get(usize::try_from(number - 1).unwrap_or(0));
            let answered = number < 5;
            let initiative_ids = area
                .filter(|_| answered)
                .and_then(|a| a.initiatives.first())
                .map(|i| vec![i.id])
                .unwrap_or_default();
            let status = match area.filter(|_| answered) {
                Some(area) => area.status.into(),
                None => crate::domain::RecommendationStatus::Unaddressed,
            };
            SnapshotRecommendation {
                id: RecommendationId::new(),
                number,
                title: title.to_owned(),
                theme,
                focus_area_ids: area.map(|a| vec![a.id]).unwrap_or_default(),
                initiative_ids,
                indicator_ids: Vec::new(),
                status,
            }
        })
        .collect()
}

/// A legal review of 20 cases at the start and a year later, against the
/// criteria a legal review uses; one criterion has a count too small to show.
fn sample_reviews() -> Vec<CaseReview> {
    let Some(set) = criteria::latest("task_force") else {
        return Vec::new();
    };
    let legal: Vec<&criteria::Criterion> = set
        .criteria
        .iter()
        .filter(|c| c.kinds.contains(&ReviewKind::Legal))
        .collect();
    let round = |phase, reviewed_on, gain: i32| CaseReview {
        id: CaseReviewId::new(),
        plan_id: PlanId::new(),
        kind: ReviewKind::Legal,
        phase,
        reviewed_on,
        cases_reviewed: 20,
        criteria_key: set.key.clone(),
        criteria_version: set.version,
        results: (0i32..)
            .zip(&legal)
            .map(|(n, criterion)| {
                // At most 2 not relevant and 13 met: at least 5 not met, so
                // every share shows but that of the one small count.
                let not_relevant = n % 3;
                let met = if n == 3 { 2 } else { 5 + (n * 3) % 6 + gain };
                let not_met = 20 - not_relevant - met;
                CriterionResult {
                    criterion_key: criterion.key.clone(),
                    met,
                    not_met,
                    not_relevant,
                    share: share(met, not_met),
                    note: None,
                }
            })
            .collect(),
        note: String::new(),
        version: 1,
        created_at: at(2024, 2, 20),
        updated_at: at(2024, 2, 20),
    };
    vec![
        round(ReviewPhase::Baseline, day(2023, 10, 15), 0),
        round(ReviewPhase::FollowUp, day(2025, 2, 28), 3),
    ]
}

fn sample_assessment(areas: &[SnapshotFocusArea]) -> Assessment {
    Assessment {
        report_id: StatusReportId::new(),
        overall: "Task Forcen vurderer, at kommunen er kommet godt fra start. Sagsbehandlingen viser en tendens til forbedring, særligt i de børnefaglige undersøgelser.\n\nDer er stadig markante udfordringer i forhold til lovmedholdighed ved opfølgning på handleplaner.".to_owned(),
        focus_areas: areas
            .iter()
            .take(1)
            .map(|a| AreaAssessment {
                focus_area_id: a.id,
                text: "Flere undersøgelser afsluttes nu til tiden; den tidlige indsats er forankret i ledelsen.".to_owned(),
            })
            .collect(),
        author_name: "Karen Task Force-konsulent".to_owned(),
        version: 1,
        created_at: at(2025, 4, 2),
        updated_at: at(2025, 4, 2),
    }
}

fn sample_changes(areas: &[SnapshotFocusArea]) -> ReportChanges {
    let mut changes = ReportChanges {
        report_id: StatusReportId::new(),
        previous_report_id: Some(StatusReportId::new()),
        focus_areas: Vec::new(),
        indicators: Vec::new(),
        initiatives_completed: Vec::new(),
        initiatives_newly_overdue: Vec::new(),
        recommendations: Vec::new(),
    };
    for area in areas.iter().filter(|a| a.status != Health::Green).take(2) {
        changes.focus_areas.push(StatusChange {
            focus_area_id: area.id,
            title: area.title.clone(),
            from: Some(Health::Green),
            to: area.status,
        });
    }
    for indicator in areas.iter().flat_map(|a| &a.indicators).take(4) {
        let values = &indicator.series;
        changes.indicators.push(IndicatorMovement {
            indicator_id: indicator.indicator_id,
            name: indicator.name.clone(),
            from_value: values.iter().rev().nth(1).map(|p| p.value),
            to_value: values.last().map(|p| p.value),
            from_status: Some(Health::Amber),
            to_status: indicator.status,
        });
    }
    for initiative in areas.iter().flat_map(|a| &a.initiatives) {
        let change = InitiativeChange {
            initiative_id: initiative.id,
            title: initiative.title.clone(),
        };
        if initiative.status == InitiativeStatus::Done {
            changes.initiatives_completed.push(change);
        } else if initiative.overdue {
            changes.initiatives_newly_overdue.push(change);
        }
    }
    changes
}

/// A large document for the benchmark: `areas` focus areas, `initiatives` and
/// `indicators` spread over them, `measurements` values spread over the indicators
/// (monthly, ending at the report's date).
pub fn large(
    areas: usize,
    initiatives: usize,
    indicators: usize,
    measurements: usize,
) -> ExportDocument {
    let mut document = slagelse(Lang::Da);
    let as_of = document.snapshot.report.as_of;
    let per_indicator = measurements / indicators.max(1);
    // The first `extra` indicators get one value more, so the total is exact.
    let extra = measurements % indicators.max(1);
    let per_area = indicators / areas.max(1);
    let template = document.snapshot.focus_areas[0].clone();
    document.snapshot.focus_areas = (0..areas)
        .map(|n| {
            let mut area = template.clone();
            area.id = FocusAreaId::new();
            area.position = n as i32 + 1;
            area.title = format!("Fokusområde {} – æøå", n + 1);
            area.initiatives = (0..initiatives / areas.max(1))
                .map(|k| {
                    let title = format!("Indsats {}.{}", n + 1, k + 1);
                    initiative(
                        &title,
                        OWNERS[k % OWNERS.len()],
                        InitiativeStatus::InProgress,
                        day(2025, 1 + (k % 12) as u32, 1),
                        as_of,
                    )
                })
                .collect();
            area.indicators = (0..per_area)
                .map(|k| {
                    let count = per_indicator + usize::from(n * per_area + k < extra);
                    monthly_indicator(n * 100 + k, count, as_of)
                })
                .collect();
            area
        })
        .collect();
    document.changes = Some(sample_changes(&document.snapshot.focus_areas));
    document
}

fn monthly_indicator(seed: usize, count: usize, as_of: NaiveDate) -> IndicatorProgress {
    let series: Vec<Point> = (0..count)
        .rev()
        .map(|back| Point {
            period_end: as_of
                .checked_sub_months(chrono::Months::new(back as u32))
                .unwrap_or(as_of),
            value: 40.0 + ((seed + back) % 37) as f64 + (back as f64 * 0.01),
        })
        .collect();
    IndicatorProgress {
        indicator_id: IndicatorId::new(),
        name: format!("Indikator {seed}"),
        unit: Unit::Percent,
        direction: Direction::Increase,
        legal_regime: Some(LegalRegime::BarnetsLov),
        display_unit: None,
        as_of,
        latest: series.last().cloned(),
        baseline: series.first().map(|p| p.value),
        target: Some(90.0),
        progress: None,
        expected_progress: None,
        status: Health::Amber,
        reason: "Fremdriften ligger under det forventede.".to_owned(),
        next_due: None,
        series,
    }
}
