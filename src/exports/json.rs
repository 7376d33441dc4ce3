//! `format=json`: the frozen snapshot exactly as stored when the report was
//! published (for a plan export, the snapshot just built). It is data, not a
//! committee document, so it is what GET /status-reports/{status_report_id}/snapshot
//! returns, without the small-count suppression of the committee formats;
//! callers who may read the report may read its snapshot either way.

use super::document::Export;
use crate::error::ApiError;

/// The snapshot as JSON bytes.
pub fn render(export: &Export) -> Result<Vec<u8>, ApiError> {
    match &export.stored_snapshot {
        Some(stored) => serde_json::to_vec(stored),
        None => serde_json::to_vec(&export.document.snapshot),
    }
    .map_err(|e| ApiError::Internal(format!("json: {e}")))
}
