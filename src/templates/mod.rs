//! Plan templates: data files in `templates/` at the repository root (not
//! code), compiled into the binary. Creating a plan from a template fills in
//! ordinary, editable focus areas and indicators.

mod handlers;

pub use handlers::routes;

use std::sync::LazyLock;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::domain::{Direction, Frequency, LegalRegime, Unit};

/// A plan template.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Template {
    /// The key to create a plan with, e.g. `task_force`.
    #[schema(example = "task_force")]
    pub key: String,
    /// Name.
    pub name: String,
    /// What it holds and where it comes from.
    pub description: String,
    /// The focus areas it creates.
    pub focus_areas: Vec<TemplateFocusArea>,
    /// The indicators it suggests.
    pub indicators: Vec<TemplateIndicator>,
}

/// A focus area a template creates.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateFocusArea {
    /// Its number.
    pub position: i32,
    /// Title.
    pub title: String,
    /// The purpose ("At …").
    pub objective: String,
    /// Legal basis under Barnets Lov, where one applies.
    pub legal_reference: Option<String>,
}

/// An indicator a template suggests.
#[derive(Debug, Clone, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TemplateIndicator {
    /// Stable key, the same in every municipality's plan, e.g. `notifications_assessed_24h`.
    pub key: String,
    /// The focus area it belongs to, by position.
    pub focus_area_position: i32,
    /// Name.
    pub name: String,
    /// How it is measured.
    pub definition: String,
    /// Unit.
    pub unit: Unit,
    /// Which way is better.
    pub direction: Direction,
    /// Suggested target.
    pub target_value: Option<f64>,
    /// How often it is measured.
    pub frequency: Frequency,
    /// The law its series follows.
    pub legal_regime: Option<LegalRegime>,
    /// How its unit reads in documents, where the unit alone says too little.
    #[serde(default)]
    pub display_unit: Option<String>,
}

const SOURCES: &[&str] = &[include_str!("../../templates/task_force.json")];

static TEMPLATES: LazyLock<Vec<Template>> = LazyLock::new(|| {
    SOURCES
        .iter()
        .filter_map(|source| match serde_json::from_str(source) {
            Ok(template) => Some(template),
            Err(error) => {
                log::error!("a template in templates/ is invalid and is left out: {error}");
                None
            }
        })
        .collect()
});

/// Every template.
pub fn all() -> &'static [Template] {
    &TEMPLATES
}

/// The template with `key`.
pub fn find(key: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|template| template.key == key)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_task_force_template_has_the_seven_points_and_their_indicators() {
        let template = find("task_force").expect("the task_force template loads");
        let positions: Vec<i32> = template.focus_areas.iter().map(|f| f.position).collect();
        assert_eq!(positions, [1, 2, 3, 4, 5, 6, 7]);
        assert_eq!(template.indicators.len(), 7);
        for indicator in &template.indicators {
            assert!(
                positions.contains(&indicator.focus_area_position),
                "{}",
                indicator.key
            );
            if let Some(target) = indicator.target_value {
                assert!(
                    indicator.unit.check_value(target).is_ok(),
                    "{}",
                    indicator.key
                );
            }
        }
        let prevention = &template.focus_areas[3];
        assert_eq!(
            prevention.legal_reference.as_deref(),
            Some("Barnets Lov § 30")
        );
    }
}
