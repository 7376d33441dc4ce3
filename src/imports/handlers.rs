//! HTTP handlers for imports of measurements.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, get, post, web};
use chrono::{SubsecRound, Utc};
use futures_util::StreamExt;
use sha2::{Digest, Sha256};
use utoipa::ToSchema;
use utoipa_actix_web::service_config::ServiceConfig;

use super::file::{self, FileFormat};
use super::rows::{self, Imported, Parsed};
use super::{
    Import, ImportCounts, ImportMode, ImportParams, ImportPreview, MAX_FILE_BYTES, RowOutcome,
    RowReport, queries,
};
use crate::audit::{Actor, Change};
use crate::auth::Principal;
use crate::concurrency::{IfNoneMatch, created};
use crate::db::{Database, PgConn};
use crate::domain::{ImportId, OrganizationId, PlanId, contains_cpr};
use crate::error::{ApiError, FieldCode, FieldError, Refusal};
use crate::measurements::batch::{self, BatchValue, Outcome};
use crate::openapi::responses as r;
use crate::plans;
use crate::query::ApiQuery;
use crate::resource::{self, Entity, Owned};

/// Registers the handlers; the contract is derived from the same registration.
pub fn routes(config: &mut ServiceConfig) {
    config.service(import_measurements).service(get_import);
}

/// An Excel workbook as sent (its bytes). Only the contract names it: the
/// handler reads the body itself, with the import's own size limit.
#[derive(ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct WorkbookFile(
    #[expect(
        dead_code,
        reason = "only the contract names it; the handler reads the body"
    )]
    Vec<u8>,
);

/// The media types an import takes (a CSV file is often sent as plain text or
/// as Excel's own CSV type; the content decides what it is).
const ACCEPTED: [&str; 5] = [
    "text/csv",
    "text/plain",
    "application/vnd.ms-excel",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/octet-stream",
];

/// Import measurements from a CSV or XLSX file.
///
/// The file has the layout of the plan's measurement export (`GET
/// /plans/{plan_id}/export/csv` or the XLSX's Målinger sheet), so export → edit → import
/// round-trips: a header row naming the columns in Danish or English (`Indikator-id` or
/// `Skabelonnøgle`, `Periodens slutdato`, `Værdi`, optionally `Bemærkning`), then a row per
/// value. `;` with decimal commas or `,` with decimal points (detected, or stated with
/// `decimal`); UTF-8, or Windows-1252 as Danish Excel saves CSV. `mode=dry_run` (the default)
/// answers what each row would do and changes nothing. `mode=commit` applies every row in one
/// transaction and answers 201 with the import (`Location: /imports/{import_id}`); if any row is
/// refused (an unknown indicator, a date that does not end one of its periods, a value out of
/// range for its unit, a CPR-shaped note, a formula, a repeated row) nothing is applied and the
/// 422 names every refused row (`rows[7]` is the file's row 7). A value already stored as sent
/// is left alone, so the same file twice changes nothing the second time; each changed value is
/// audited as if entered by hand. Editors and consultants of the plan's municipality (and
/// administrators); viewers get 403. At most 16 MiB (413) and 50,000 rows (422); a workbook
/// with macros, or one that would unpack to far more than it weighs, is refused with 422.
#[utoipa::path(tag = "imports",
    params(("plan_id" = PlanId, Path, description = "Plan id"), ImportParams),
    request_body(description = "The file: CSV text or an XLSX workbook",
        content(
            (String = "text/csv"),
            (WorkbookFile = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        )),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "A dry run: what each row would do; nothing was changed", body = ImportPreview),
        (status = 201, description = "Committed: the import", body = Import,
            headers(("Location" = String, description = "The import's address"), ("ETag" = String))),
        r::CreateErrors,
    ))]
#[post("/plans/{plan_id}/imports")]
async fn import_measurements(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<PlanId>,
    params: ApiQuery<ImportParams>,
    request: HttpRequest,
    payload: web::Payload,
) -> Result<HttpResponse, ApiError> {
    // Access first: another municipality's plan is a 404 whatever is sent.
    let (plan_id, organization) = writable_plan(&db, *id, &principal).await?;
    accepted_media_type(&request)?;
    let params = params.0;
    let upload = Upload::read(payload, &params).await?;
    let mut conn = db.conn().await?;
    let answer = match params.mode {
        ImportMode::DryRun => dry_run(&mut conn, &principal, plan_id, upload)
            .await
            .map(|preview| HttpResponse::Ok().json(preview)),
        ImportMode::Commit => commit(&mut conn, &principal, organization, plan_id, upload)
            .await
            .map(|import| created(Entity::IMPORT.location(import.id), &import)),
    };
    // Up to 50,000 rows, their report and their audit events were held at
    // once, refused or not.
    crate::memory::release_freed_memory();
    answer
}

/// Get a committed import: who, when, which file, the counts and every row.
///
/// For anyone who may read its plan; another municipality's import answers 404, as one that
/// does not exist. An import never changes, so its ETag never does (304 on `If-None-Match`).
#[utoipa::path(tag = "imports", params(("import_id" = ImportId, Path, description = "Import id"), r::IfNoneMatchHeader),
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The import", body = Import, headers(("ETag" = String))),
        (status = 304, description = "Not modified: you have this version (If-None-Match)", headers(("ETag" = String))),
        r::ReadErrors,
    ))]
#[get("/imports/{import_id}")]
async fn get_import(
    principal: Principal,
    db: web::Data<Database>,
    id: web::Path<ImportId>,
    cached: IfNoneMatch,
) -> Result<HttpResponse, ApiError> {
    let import = queries::find_scoped(&mut *db.conn().await?, *id)
        .await?
        .readable_by(&principal)?;
    Ok(cached.ok(&import))
}

/// The plan to import into and its organization, for a caller who may write
/// to it; the connection goes back to the pool before the file arrives.
async fn writable_plan(
    db: &Database,
    id: PlanId,
    principal: &Principal,
) -> Result<(PlanId, OrganizationId), ApiError> {
    let mut conn = db.conn().await?;
    let Owned { row, organization } = plans::find_scoped(&mut conn, id)
        .await?
        .writable_by(principal)?;
    Ok((row.id, organization))
}

/// A file as received and read: its rows, name and checksum.
struct Upload {
    sheet: file::Sheet,
    file_name: String,
    checksum: String,
}

impl Upload {
    async fn read(payload: web::Payload, params: &ImportParams) -> Result<Self, ApiError> {
        let bytes = read_body(payload).await?;
        let checksum = hex(&Sha256::digest(&bytes));
        // Unpacking and parsing a large workbook is CPU work: off the worker.
        let decimal = params.decimal;
        let sheet = web::block(move || file::read(&bytes, decimal))
            .await
            .map_err(|e| ApiError::Internal(format!("reading an import: {e}")))??;
        let file_name = file_name(params.file_name.clone(), sheet.format)?;
        Ok(Self {
            sheet,
            file_name,
            checksum,
        })
    }

    /// Its rows read against the plan's indicators: the values, what the
    /// report says of them, and the rows that are not values.
    async fn rows(
        &self,
        conn: &mut PgConn,
        plan_id: PlanId,
        principal: &Principal,
    ) -> Result<(Vec<Imported>, Vec<ValueRow>, Vec<RowReport>), ApiError> {
        let indicators = queries::indicators_of_plan(conn, plan_id).await?;
        let (values, reports) = split(rows::parse(&self.sheet, &indicators, principal.user_id)?);
        let described = value_rows(&values);
        Ok((values, described, reports))
    }
}

/// What each row would do; nothing is written.
async fn dry_run(
    conn: &mut PgConn,
    principal: &Principal,
    plan_id: PlanId,
    upload: Upload,
) -> Result<ImportPreview, ApiError> {
    let (values, described, reports) = upload.rows(conn, plan_id, principal).await?;
    let values = with_stored_notes(conn, values).await?;
    let outcomes = batch::preview(conn, values.iter()).await?;
    let rows = report(described, outcomes, reports);
    Ok(ImportPreview {
        mode: ImportMode::DryRun,
        file_name: upload.file_name,
        file_format: upload.sheet.format,
        checksum: upload.checksum,
        encoding: upload.sheet.encoding,
        counts: ImportCounts::of(&rows),
        rows,
    })
}

fn accepted_media_type(request: &HttpRequest) -> Result<(), ApiError> {
    let sent = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.split(';').next())
        .map(|value| value.trim().to_ascii_lowercase());
    match sent {
        Some(media_type) if ACCEPTED.contains(&media_type.as_str()) => Ok(()),
        _ => Err(ApiError::UnsupportedMediaType(
            "text/csv or application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )),
    }
}

async fn read_body(mut payload: web::Payload) -> Result<Vec<u8>, ApiError> {
    let mut bytes = Vec::new();
    while let Some(chunk) = payload.next().await {
        let chunk = chunk.map_err(|e| ApiError::BadRequest(format!("reading the file: {e}")))?;
        if bytes.len() + chunk.len() > MAX_FILE_BYTES {
            return Err(ApiError::PayloadTooLarge(MAX_FILE_BYTES));
        }
        bytes.extend_from_slice(&chunk);
    }
    if bytes.is_empty() {
        return Err(ApiError::invalid("file", FieldCode::Empty, "is empty"));
    }
    Ok(bytes)
}

/// The name the import keeps: as given (a name, not a path), else a default.
fn file_name(given: Option<String>, format: FileFormat) -> Result<String, ApiError> {
    let Some(name) = given.map(|n| n.trim().to_owned()).filter(|n| !n.is_empty()) else {
        return Ok(format!("import.{}", format.as_str()));
    };
    let refuse = |code, message: &str| Err(ApiError::invalid("file_name", code, message));
    if name.chars().count() > 255 {
        return refuse(FieldCode::TooLong, "must be at most 255 characters");
    }
    if name.contains(['/', '\\']) || name.chars().any(char::is_control) {
        return refuse(FieldCode::InvalidFormat, "must be a file name, not a path");
    }
    if contains_cpr(&name) {
        return refuse(FieldCode::CprNumber, crate::domain::CPR_MESSAGE);
    }
    Ok(name)
}

fn hex(digest: &[u8]) -> String {
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// The values to record, with their rows, and the rows that are not values.
fn split(parsed: Vec<Parsed>) -> (Vec<Imported>, Vec<RowReport>) {
    let mut values = Vec::new();
    let mut reports = Vec::new();
    for row in parsed {
        match row {
            Parsed::Value(value) => values.push(value),
            Parsed::Report(report) => reports.push(report),
        }
    }
    (values, reports)
}

/// The values as they will be stored: an empty note cell keeps the stored note.
async fn with_stored_notes(
    conn: &mut PgConn,
    imported: Vec<Imported>,
) -> Result<Vec<BatchValue>, ApiError> {
    let keep: Vec<bool> = imported.iter().map(|i| i.keeps_note).collect();
    let mut values: Vec<BatchValue> = imported.into_iter().map(|i| i.value).collect();
    batch::keep_stored_notes(conn, &mut values, &keep).await?;
    Ok(values)
}

/// What a report says of a value row, before the value is stored.
struct ValueRow {
    row: usize,
    indicator_id: crate::domain::IndicatorId,
    period_end: chrono::NaiveDate,
    value: f64,
}

fn value_rows(values: &[Imported]) -> Vec<ValueRow> {
    values
        .iter()
        .map(|imported| ValueRow {
            row: imported.row,
            indicator_id: imported.value.indicator_id,
            period_end: imported.value.fields.period_end(),
            value: imported.value.fields.value(),
        })
        .collect()
}

/// Every row's report in file order: the values with what became of them,
/// and the rows skipped or refused.
fn report(
    values: Vec<ValueRow>,
    outcomes: Vec<Outcome>,
    mut reports: Vec<RowReport>,
) -> Vec<RowReport> {
    for (value, outcome) in values.into_iter().zip(outcomes) {
        reports.push(RowReport {
            row: value.row,
            indicator_id: Some(value.indicator_id),
            period_end: Some(value.period_end),
            value: Some(value.value),
            outcome: match outcome {
                Outcome::Created => RowOutcome::Created,
                Outcome::Updated => RowOutcome::Updated,
                Outcome::Unchanged => RowOutcome::Unchanged,
            },
            reason: None,
        });
    }
    reports.sort_by_key(|report| report.row);
    reports
}

/// A commit applies nothing when any row is refused: the 422 names each.
fn refuse_if_any_refused(reports: &[RowReport]) -> Result<(), ApiError> {
    let refused: Vec<FieldError> = reports
        .iter()
        .filter(|r| r.outcome == RowOutcome::Refused)
        .map(|r| {
            let reason = r.reason.clone().map_or_else(
                || Refusal::new(FieldCode::InvalidFormat, "refused"),
                |reason| Refusal::new(reason.code, reason.message),
            );
            FieldError::new(format!("rows[{}]", r.row), reason)
        })
        .collect();
    if refused.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Validation(refused))
    }
}

/// Records every value and the import itself in one transaction, or nothing
/// when any row is refused; each changed value and the import are audited.
async fn commit(
    conn: &mut PgConn,
    principal: &Principal,
    organization: OrganizationId,
    plan_id: PlanId,
    upload: Upload,
) -> Result<Import, ApiError> {
    let (values, described, reports) = upload.rows(conn, plan_id, principal).await?;
    refuse_if_any_refused(&reports)?;
    let mut import = Import {
        id: ImportId::new(),
        plan_id,
        imported_by: Some(principal.user_id),
        importer_name: principal.name.clone(),
        file_name: upload.file_name,
        file_format: upload.sheet.format,
        checksum: upload.checksum,
        counts: ImportCounts::default(),
        rows: reports,
        // As PostgreSQL keeps it, so the answer and a later GET agree.
        created_at: Utc::now().trunc_subsecs(6),
    };
    resource::in_transaction(conn, &Actor::from(principal), move |conn| {
        Box::pin(async move {
            let values = with_stored_notes(conn, values).await?;
            let recorded = batch::record_each(conn, organization, values).await?;
            let recorded = recorded.map(|(_, outcomes)| {
                import.rows = report(described, outcomes, std::mem::take(&mut import.rows));
                import.counts = ImportCounts::of(&import.rows);
                import
            });
            let import = recorded.row();
            queries::insert(conn, import).await?;
            let change = Change::created(
                Entity::IMPORT.name(),
                import.id.0,
                Some(organization),
                &import.summary(),
            );
            Ok(recorded.and(change))
        })
    })
    .await
}
