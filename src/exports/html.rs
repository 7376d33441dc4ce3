//! Placeholder: the HTML renderer is built on the `pdf` branch, which replaces this file.

use super::ExportDocument;

/// A bare page naming the report; replaced by the real renderer.
pub fn render(document: &ExportDocument) -> String {
    let title = document
        .snapshot
        .report
        .title
        .replace('&', "&amp;")
        .replace('<', "&lt;");
    format!(
        "<!doctype html><html lang=\"da\"><meta charset=\"utf-8\"><title>{title}</title><h1>{title}</h1></html>"
    )
}
