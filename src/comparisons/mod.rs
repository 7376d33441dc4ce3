//! Comparing one template indicator across municipalities. A consultant sees
//! the latest value and status in each municipality assigned to them; an
//! editor or viewer sees their own value against the anonymised median of the
//! others, never another municipality's name or value. Counts below the
//! configured threshold (default 5) are never shown.

mod handlers;
mod queries;

pub use handlers::routes;

use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::Unit;

/// The small-count threshold (app data).
#[derive(Debug, Clone, Copy)]
pub struct SmallCountThreshold(pub u32);

/// Fewer other municipalities than this, and their median could point at one of them.
pub const MIN_OTHERS_FOR_MEDIAN: usize = 3;

/// A value as it may be shown: `null` with `suppressed` when it is a small count.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, ToSchema)]
pub struct Shown {
    /// The value, unless suppressed.
    #[serde(serialize_with = "crate::json::optional_number")]
    #[schema(value_type = Option<f64>)]
    pub value: Option<f64>,
    /// True when the value is a count below the threshold and so not shown.
    pub suppressed: bool,
}

/// `value` as it may be shown for `unit`.
pub fn shown(value: Option<f64>, unit: Unit, threshold: u32) -> Shown {
    match value {
        Some(v) if unit == Unit::Count && v < f64::from(threshold) => Shown {
            value: None,
            suppressed: true,
        },
        value => Shown {
            value,
            suppressed: false,
        },
    }
}

/// The median of `values` (any order), if there are enough of them to stay anonymous.
pub fn anonymous_median(mut values: Vec<f64>) -> Option<f64> {
    if values.len() < MIN_OTHERS_FOR_MEDIAN {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let middle = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[middle - 1] + values[middle]) / 2.0
    } else {
        values[middle]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_counts_are_suppressed_but_percentages_are_not() {
        assert_eq!(
            shown(Some(3.0), Unit::Count, 5),
            Shown {
                value: None,
                suppressed: true
            }
        );
        assert_eq!(
            shown(Some(5.0), Unit::Count, 5),
            Shown {
                value: Some(5.0),
                suppressed: false
            }
        );
        assert_eq!(
            shown(Some(3.0), Unit::Percent, 5),
            Shown {
                value: Some(3.0),
                suppressed: false
            }
        );
    }

    #[test]
    fn the_median_needs_enough_municipalities_to_stay_anonymous() {
        assert_eq!(anonymous_median(vec![80.0, 60.0]), None);
        assert_eq!(anonymous_median(vec![80.0, 60.0, 70.0]), Some(70.0));
        assert_eq!(anonymous_median(vec![80.0, 60.0, 70.0, 90.0]), Some(75.0));
    }
}
