//! Writing a serializable value into a `jsonb` column without building a
//! `serde_json::Value` first.

use std::io::Write;

use diesel::expression::AsExpression;
use diesel::pg::Pg;
use diesel::serialize::{self, IsNull, Output, ToSql};
use diesel::sql_types::Jsonb;
use serde::Serialize;

/// `T` bound as a `jsonb` parameter, serialized straight into the statement's
/// buffer. A large document (a status report's snapshot of every measurement)
/// as a `serde_json::Value` tree takes several times the memory of its text;
/// this way only the text exists.
#[derive(Debug, AsExpression)]
#[diesel(sql_type = Jsonb)]
pub struct SerializedJsonb<T: Serialize + std::fmt::Debug>(pub T);

impl<T: Serialize + std::fmt::Debug> ToSql<Jsonb, Pg> for SerializedJsonb<T> {
    fn to_sql<'b>(&'b self, out: &mut Output<'b, '_, Pg>) -> serialize::Result {
        // jsonb's binary format: a version byte, then the JSON text.
        out.write_all(&[1])?;
        serde_json::to_writer(out, &self.0)?;
        Ok(IsNull::No)
    }
}
