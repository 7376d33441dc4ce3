//! Placeholder: the PDF renderer is built on the `pdf` branch, which replaces this file.

use super::ExportDocument;
use crate::error::ApiError;

/// Not available until the real renderer is merged.
pub fn render(_document: &ExportDocument) -> Result<Vec<u8>, ApiError> {
    Err(ApiError::Internal(
        "the PDF renderer is not built yet".into(),
    ))
}
