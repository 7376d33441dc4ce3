//! Domain types: input is parsed into these once, at the edge, so the rest of
//! the service never sees an empty title or an unknown status.

mod cpr;
mod dates;
mod enums;
mod ids;
mod text;

pub use cpr::{CPR_MESSAGE, contains_cpr, redact_cpr, refuse_cpr};
pub use dates::{
    DATE_PATTERN, EARLIEST_DATE, LATEST_DATE, date_message, parse_date, strict_date,
    strict_optional_date, strict_patch_date,
};
pub use enums::*;
pub use ids::*;
pub use text::*;
