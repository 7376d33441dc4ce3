//! `format=json`: the frozen snapshot exactly as stored when the report was
//! published (for a plan export, the snapshot just built). It is data, not a
//! committee document, so it is what GET /status-reports/{id}/snapshot
//! returns, without the small-count suppression of the committee formats;
//! callers who may read the report may read its snapshot either way.

use crate::error::ApiError;

/// The snapshot as JSON bytes.
pub fn render(snapshot: &serde_json::Value) -> Result<Vec<u8>, ApiError> {
    serde_json::to_vec(snapshot).map_err(|e| ApiError::Internal(format!("json: {e}")))
}
