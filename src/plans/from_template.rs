//! A new plan filled from a template: the template is data (`templates`),
//! applying it is the plan's business.

use super::Plan;
use crate::audit::{Actor, Change, record};
use crate::db::PgConn;
use crate::error::ApiError;
use crate::resource::Entity;
use crate::templates::Template;
use crate::{focus_areas, indicators};

/// Fills `plan` with `template`'s focus areas and indicators, each with its
/// audit event. Call inside the plan's creating transaction.
pub async fn apply(
    conn: &mut PgConn,
    actor: &Actor,
    plan: &Plan,
    template: &Template,
) -> Result<(), ApiError> {
    let organization = Some(plan.organization_id);
    let mut focus_area_ids = std::collections::HashMap::new();
    for area in &template.focus_areas {
        let fields = focus_areas::FocusAreaInput {
            position: Some(area.position),
            title: area.title.clone(),
            objective: Some(area.objective.clone()),
            legal_reference: area.legal_reference.clone(),
        }
        .parse(area.position)?;
        let row = focus_areas::queries::insert(conn, plan.id, fields).await?;
        record(
            conn,
            actor,
            Change::created(Entity::FOCUS_AREA.name(), row.id.0, organization, &row),
        )
        .await?;
        focus_area_ids.insert(area.position, row.id);
    }
    for suggested in &template.indicators {
        let fields = indicators::IndicatorInput {
            focus_area_id: focus_area_ids.get(&suggested.focus_area_position).copied(),
            initiative_id: None,
            name: suggested.name.clone(),
            definition: Some(suggested.definition.clone()),
            unit: suggested.unit,
            direction: suggested.direction,
            baseline_value: None,
            baseline_date: None,
            target_value: suggested.target_value,
            target_date: Some(plan.period_end),
            frequency: suggested.frequency,
            legal_regime: suggested.legal_regime,
            display_unit: suggested.display_unit.clone(),
            recommendation_ids: None,
            owner_id: None,
            grace_days: None,
        }
        .parse()?;
        let row = indicators::queries::insert(conn, plan.id, fields).await?;
        let row = indicators::queries::set_template_key(conn, row.id, &suggested.key).await?;
        record(
            conn,
            actor,
            Change::created(Entity::INDICATOR.name(), row.id.0, organization, &row),
        )
        .await?;
    }
    Ok(())
}
