//! The committee document's first page after the cover: every focus area and
//! indicator on one line (status, latest value against target, a trend line,
//! the page it is on), and a legend that says what each status means and how
//! the overall status is reached, in plain words.

use serde::Serialize;

use super::labels;
use super::parts::Status;
use super::{ExportDocument, Lang};
use crate::domain::Health;
use crate::progress::Thresholds;

/// The overview's headings and the legend.
#[derive(Debug, Serialize)]
pub struct Overview {
    /// "Overblik".
    pub heading: &'static str,
    /// What the table shows, its caption.
    pub caption: &'static str,
    /// Column names: focus area and indicator, status, previous report, latest, target, trend, page.
    pub columns: [&'static str; 7],
    /// "Sådan læses status".
    pub legend_heading: &'static str,
    /// One line per status a reader can meet.
    pub legend: Vec<LegendLine>,
    /// How focus areas and the plan get their status.
    pub roll_up: &'static str,
}

/// A status and what it means.
#[derive(Debug, Serialize)]
pub struct LegendLine {
    /// The status as the document shows it.
    pub status: Status,
    /// What it means.
    pub meaning: String,
}

/// The overview of `document`; the lines themselves are its focus areas and
/// indicators, which carry their anchors, latest values, targets and trends.
pub fn build(document: &ExportDocument) -> Overview {
    let lang = document.lang;
    let thresholds = document.snapshot.plan.thresholds;
    let da = lang == Lang::Da;
    Overview {
        heading: if da { "Overblik" } else { "Overview" },
        caption: if da {
            "Hvert fokusområde og hver indikator med status, værdien i forrige statusrapport, \
             seneste værdi mod målet, udviklingen og siden, hvor den er beskrevet."
        } else {
            "Every focus area and indicator with its status, the value in the previous report, \
             the latest value against the target, its trend and the page that describes it."
        },
        columns: if da {
            [
                "Fokusområde og indikator",
                "Status",
                "Forrige",
                "Seneste",
                "Mål",
                "Udvikling",
                "Side",
            ]
        } else {
            [
                "Focus area and indicator",
                "Status",
                "Previous",
                "Latest",
                "Target",
                "Trend",
                "Page",
            ]
        },
        legend_heading: if da {
            "Sådan læses status"
        } else {
            "How to read the status"
        },
        legend: [
            Health::Green,
            Health::Amber,
            Health::Red,
            Health::Stale,
            Health::NoData,
            Health::NoTarget,
        ]
        .into_iter()
        .map(|status| LegendLine {
            status: Status::new(lang, status),
            meaning: meaning(lang, status, thresholds),
        })
        .collect(),
        roll_up: if da {
            "Et fokusområde får den dårligste status blandt sine indikatorer og indsatser \
             (en overskredet indsats tæller som gul, en blokeret som rød); planen får den \
             dårligste blandt fokusområderne. Rød vejer tungest, derefter mangler data og gul."
        } else {
            "A focus area takes the worst status of its indicators and initiatives (an \
             overdue initiative counts as amber, a blocked one as red); the plan takes the \
             worst of its focus areas. Red weighs most, then data missing, then amber."
        },
    }
}

/// What `status` means, with the plan's own thresholds where it has them.
fn meaning(lang: Lang, status: Health, thresholds: Option<Thresholds>) -> String {
    let share = |s: f64| format!("{} %", labels::number(lang, (s * 100.0).round()));
    let (green, amber) = thresholds.map_or(("90 %".to_owned(), "70 %".to_owned()), |t| {
        (share(t.green), share(t.amber))
    });
    match (lang, status) {
        (Lang::Da, Health::Green) => format!(
            "Målet er nået, eller udviklingen er mindst {green} af den fremdrift, \
             planen forventer på datoen."
        ),
        (Lang::Da, Health::Amber) => {
            format!("Udviklingen er mellem {amber} og {green} af den forventede fremdrift.")
        }
        (Lang::Da, Health::Red) => format!(
            "Udviklingen er under {amber} af den forventede fremdrift, eller går den forkerte vej."
        ),
        (Lang::Da, Health::Stale) => {
            "En periode er slut, uden at dens værdi er indberettet.".to_owned()
        }
        (Lang::Da, Health::NoData) => "Intet er målt endnu, og intet er forfaldent.".to_owned(),
        (Lang::Da, Health::NoTarget) => {
            "Der er målt, men der er intet mål at vurdere ud fra.".to_owned()
        }
        (Lang::En, Health::Green) => format!(
            "The target is reached, or progress is at least {green} of what the plan \
             expects by the date."
        ),
        (Lang::En, Health::Amber) => {
            format!("Progress is between {amber} and {green} of the expected progress.")
        }
        (Lang::En, Health::Red) => {
            format!("Progress is below {amber} of the expected progress, or goes the wrong way.")
        }
        (Lang::En, Health::Stale) => "A period has ended without its value reported.".to_owned(),
        (Lang::En, Health::NoData) => "Nothing measured yet, and nothing due yet.".to_owned(),
        (Lang::En, Health::NoTarget) => {
            "Values are measured, but there is no target to judge them against.".to_owned()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::exports::sample;

    #[test]
    fn the_legend_states_the_plans_own_thresholds_in_the_documents_language() {
        let mut document = sample::slagelse(Lang::Da);
        document.snapshot.plan.thresholds = Some(Thresholds {
            green: 0.85,
            amber: 0.6,
        });
        let overview = build(&document);
        assert_eq!(overview.legend.len(), 6);
        assert_eq!(overview.legend[0].status.word, "grøn");
        assert!(
            overview.legend[0].meaning.contains("85 %"),
            "{:?}",
            overview.legend[0]
        );
        assert!(overview.legend[1].meaning.contains("mellem 60 % og 85 %"));
        assert!(overview.legend[2].meaning.contains("under 60 %"));
        document.lang = Lang::En;
        assert_eq!(build(&document).legend[2].status.word, "red");
    }

    #[test]
    fn without_recorded_thresholds_the_legend_gives_the_defaults() {
        let mut document = sample::slagelse(Lang::Da);
        document.snapshot.plan.thresholds = None;
        assert!(
            build(&document).legend[1]
                .meaning
                .contains("mellem 70 % og 90 %")
        );
    }
}
