//! Domain types: input is parsed into these once, at the edge, so the rest of
//! the service never sees an empty title or an unknown status.

mod cpr;
mod enums;
mod ids;
mod text;

pub use cpr::{CPR_MESSAGE, contains_cpr, refuse_cpr};
pub use enums::*;
pub use ids::*;
pub use text::*;
