//! The successful answers of the export operations, as the contract declares
//! them: one operation per format, so each answers one media type and every
//! client generator types a PDF as bytes and the JSON as the snapshot.

use std::collections::BTreeMap;

use utoipa::openapi::content::ContentBuilder;
use utoipa::openapi::header::HeaderBuilder;
use utoipa::openapi::response::{Response, ResponseBuilder};
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, SchemaFormat, Type};
use utoipa::openapi::{Ref, RefOr, Schema};

use super::Format;

/// The 200 of one format and, for a published report, the 304 of a
/// conditional request.
fn file_answers(format: Format, revalidated: bool) -> BTreeMap<String, RefOr<Response>> {
    let mut file = ResponseBuilder::new()
        .description(format!(
            "The {} file, as an attachment",
            format.extension().to_uppercase()
        ))
        .header(
            "Content-Disposition",
            string_header(disposition_example(format, revalidated)),
        )
        .content(
            format.content_type(),
            ContentBuilder::new().schema(Some(body(format))).build(),
        );
    let mut answers = BTreeMap::new();
    if revalidated {
        file = file.header("ETag", string_header("Changes only when the file would"));
        let not_modified = ResponseBuilder::new()
            .description("Not modified: the If-None-Match ETag is current")
            .header("ETag", string_header("The current ETag, the one you sent"))
            .build();
        answers.insert("304".to_owned(), not_modified.into());
    }
    answers.insert("200".to_owned(), file.build().into());
    answers
}

fn body(format: Format) -> RefOr<Schema> {
    let text = || ObjectBuilder::new().schema_type(Type::String);
    match format {
        Format::Json => Ref::from_schema_name("ReportSnapshot").into(),
        Format::Html | Format::Csv => text().into(),
        Format::Pdf | Format::Xlsx => text()
            .format(Some(SchemaFormat::KnownFormat(KnownFormat::Binary)))
            .into(),
    }
}

fn string_header(description: impl Into<String>) -> utoipa::openapi::header::Header {
    HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .description(Some(description))
        .build()
}

fn disposition_example(format: Format, published: bool) -> String {
    let kind = if published {
        "status_2025-03-31"
    } else {
        "aktuel_2025-05-02"
    };
    format!(
        "attachment; filename=\"Slagelse_udviklingsplan_{kind}.{}\"; filename*=UTF-8''…",
        format.extension()
    )
}

macro_rules! file_answer_types {
    ($($(#[doc = $doc:literal])+ $name:ident => ($format:expr, $revalidated:expr);)+) => {$(
        $(#[doc = $doc])+
        pub struct $name;

        impl utoipa::IntoResponses for $name {
            fn responses() -> BTreeMap<String, RefOr<Response>> {
                file_answers($format, $revalidated)
            }
        }
    )+};
}

file_answer_types! {
    /// A published report as PDF, with its ETag.
    ReportPdf => (Format::Pdf, true);
    /// A published report as HTML, with its ETag.
    ReportHtml => (Format::Html, true);
    /// A published report as XLSX, with its ETag.
    ReportXlsx => (Format::Xlsx, true);
    /// A published report's measurements as CSV, with its ETag.
    ReportCsv => (Format::Csv, true);
    /// A published report's snapshot as JSON, with its ETag.
    ReportJson => (Format::Json, true);
    /// A plan's current state as PDF.
    PlanPdf => (Format::Pdf, false);
    /// A plan's current state as HTML.
    PlanHtml => (Format::Html, false);
    /// A plan's current state as XLSX.
    PlanXlsx => (Format::Xlsx, false);
    /// A plan's current measurements as CSV.
    PlanCsv => (Format::Csv, false);
    /// A plan's current state as a JSON snapshot.
    PlanJson => (Format::Json, false);
}
