//! The one error type of the service and its mapping to RFC 9457 problem responses.
//! Handlers and queries return `Result<_, ApiError>` and use `?`; nothing else
//! decides a status code.

use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, ResponseError};
use diesel::result::{DatabaseErrorKind, Error as DieselError};
use serde::Serialize;
use utoipa::ToSchema;

use crate::domain::redact_cpr;

/// Media type of every error body.
pub const PROBLEM_JSON: &str = "application/problem+json";

/// Why a field was refused: a stable code a client may switch on or
/// translate (a Danish UI shows its own words), next to the English message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    /// The field is missing.
    Required,
    /// Empty, or only whitespace.
    Empty,
    /// Longer than its limit.
    TooLong,
    /// More items than its limit.
    TooMany,
    /// A number or date outside its range.
    OutOfRange,
    /// Looks like a CPR number: planspor never stores personal data about a child.
    CprNumber,
    /// Not in the form expected (a date, an address, a code).
    InvalidFormat,
    /// Not one of the values the field takes.
    UnknownValue,
    /// A field the operation does not take.
    UnknownField,
    /// The wrong JSON type (a string where a number belongs, …).
    WrongType,
    /// Contradicts another field or itself, e.g. `period_end` before `period_start`.
    Inconsistent,
    /// Names the same thing twice.
    Duplicate,
    /// Refers to a record that does not exist, or not in this plan.
    NoSuchRecord,
    /// Not allowed here: for this kind, in this state, or with this other value.
    NotAllowed,
}

/// A field's value refused by a parser: the code and the English message.
/// Parsers return it; the caller adds the field's name ([`FieldError::new`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Refusal {
    /// Why, as a code.
    pub code: FieldCode,
    /// Why, in words.
    pub message: String,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl Refusal {
    /// A refusal with its code and message.
    pub fn new(code: FieldCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

/// One field that failed validation.
#[derive(Debug, Clone, PartialEq, Serialize, ToSchema)]
pub struct FieldError {
    /// The JSON field or parameter, e.g. `period_end`.
    #[schema(example = "period_end")]
    pub field: String,
    /// Why, as a stable code.
    #[schema(example = "inconsistent")]
    pub code: FieldCode,
    /// Why, in English.
    #[schema(example = "must not be before period_start")]
    pub message: String,
}

impl FieldError {
    /// `field` was refused.
    pub fn new(field: impl Into<String>, refusal: Refusal) -> Self {
        Self {
            field: field.into(),
            code: refusal.code,
            message: refusal.message,
        }
    }
}

/// The kind of a problem: a stable `type` a client may switch on (its
/// `title` is the English summary, `detail` this occurrence).
///
/// - `/problems/bad-request`: 400: the request is malformed (bad JSON, a bad query parameter or path).
/// - `/problems/unauthorized`: 401: no bearer token, or one that was refused (`detail` says why).
/// - `/problems/forbidden`: 403: you may read the resource but not do this to it.
/// - `/problems/not-found`: 404: no such resource, or one of another organization.
/// - `/problems/method-not-allowed`: 405: the path exists, not with this method (`Allow` lists them).
/// - `/problems/conflict`: 409: the change conflicts with the current state (a duplicate, a frozen report).
/// - `/problems/illegal-transition`: 409: the plan cannot move to that status (`allowed_transitions` lists where it can).
/// - `/problems/stale-version`: 412: the `If-Match` version is not the current one; read again.
/// - `/problems/payload-too-large`: 413: the body is larger than the limit.
/// - `/problems/unsupported-media-type`: 415: the body is not `application/json`.
/// - `/problems/invalid-body`: 422: the body does not match the contract (`errors` names the field).
/// - `/problems/validation`: 422: well-formed input that breaks a rule (`errors` lists every field).
/// - `/problems/if-match-required`: 428: a change was sent without `If-Match`.
/// - `/problems/rate-limited`: 429: too many requests; wait `Retry-After` seconds.
/// - `/problems/internal`: 500: a fault on our side, logged.
/// - `/problems/unavailable`: 503: the database cannot be reached right now; retry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ToSchema)]
pub enum ProblemType {
    /// 400: the request is malformed (bad JSON, a bad query parameter or path).
    #[serde(rename = "/problems/bad-request")]
    BadRequest,
    /// 401: no bearer token, or one that was refused (`detail` says why).
    #[serde(rename = "/problems/unauthorized")]
    Unauthorized,
    /// 403: you may read the resource but not do this to it.
    #[serde(rename = "/problems/forbidden")]
    Forbidden,
    /// 404: no such resource, or one of another organization.
    #[serde(rename = "/problems/not-found")]
    NotFound,
    /// 405: the path exists, not with this method (`Allow` lists them).
    #[serde(rename = "/problems/method-not-allowed")]
    MethodNotAllowed,
    /// 409: the change conflicts with the current state (a duplicate, a frozen report).
    #[serde(rename = "/problems/conflict")]
    Conflict,
    /// 409: the plan cannot move to that status (`allowed_transitions` lists where it can).
    #[serde(rename = "/problems/illegal-transition")]
    IllegalTransition,
    /// 412: the `If-Match` version is not the current one; read again.
    #[serde(rename = "/problems/stale-version")]
    StaleVersion,
    /// 413: the body is larger than the limit.
    #[serde(rename = "/problems/payload-too-large")]
    PayloadTooLarge,
    /// 415: the body is not of a media type the operation takes (named here).
    #[serde(rename = "/problems/unsupported-media-type")]
    UnsupportedMediaType,
    /// 422: the body does not match the contract (`errors` names the field).
    #[serde(rename = "/problems/invalid-body")]
    InvalidBody,
    /// 422: well-formed input that breaks a rule (`errors` lists every field).
    #[serde(rename = "/problems/validation")]
    Validation,
    /// 428: a change was sent without `If-Match`.
    #[serde(rename = "/problems/if-match-required")]
    IfMatchRequired,
    /// 429: too many requests; wait `Retry-After` seconds.
    #[serde(rename = "/problems/rate-limited")]
    RateLimited,
    /// 500: a fault on our side, logged.
    #[serde(rename = "/problems/internal")]
    Internal,
    /// 503: the database cannot be reached right now; retry.
    #[serde(rename = "/problems/unavailable")]
    Unavailable,
}

/// An RFC 9457 problem document.
#[derive(Debug, Serialize, ToSchema)]
pub struct Problem {
    /// The kind of problem, one of [`ProblemType`]'s.
    pub r#type: ProblemType,
    /// Short summary of the kind of problem.
    #[schema(example = "Invalid input")]
    pub title: String,
    /// The HTTP status code.
    #[schema(example = 422)]
    pub status: u16,
    /// What went wrong with this request.
    #[schema(example = "2 fields are invalid")]
    pub detail: String,
    /// For validation problems: each field and its message.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub errors: Vec<FieldError>,
    /// For an illegal plan transition: the statuses the plan may move to now.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub allowed_transitions: Option<Vec<crate::domain::PlanStatus>>,
}

/// Everything that can go wrong while answering a request.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// 400: the request is malformed (bad JSON, bad query parameter).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// 401: no bearer token (`None`), or one that was refused (`Some(reason)`).
    #[error("unauthorized")]
    Unauthorized(Option<String>),
    /// 403: the caller may read the resource but not do this to it.
    #[error("forbidden: {0}")]
    Forbidden(String),
    /// 404: no such resource, or not under the given parent.
    #[error("{0} not found")]
    NotFound(&'static str),
    /// 405: the path exists, but not with this method; lists the methods it has.
    #[error("method not allowed")]
    MethodNotAllowed(Vec<actix_web::http::Method>),
    /// 409: the change conflicts with the current state (a duplicate, a frozen report).
    #[error("conflict: {0}")]
    Conflict(String),
    /// 409: a plan cannot move from its status to the one asked for; lists the allowed ones.
    #[error("illegal transition")]
    IllegalTransition {
        /// The plan's status.
        from: crate::domain::PlanStatus,
        /// The status asked for.
        to: crate::domain::PlanStatus,
        /// Where it may go.
        allowed: Vec<crate::domain::PlanStatus>,
    },
    /// 412: the `If-Match` version is not the current one; someone else changed it first.
    #[error("precondition failed")]
    PreconditionFailed,
    /// 428: a change was sent without `If-Match`.
    #[error("precondition required")]
    PreconditionRequired,
    /// 413: the body is larger than the configured limit.
    #[error("payload too large (limit {0} bytes)")]
    PayloadTooLarge(usize),
    /// 415: the body is not of a media type the operation takes (named here).
    #[error("unsupported media type")]
    UnsupportedMediaType(&'static str),
    /// 422: well-formed JSON whose shape is not the contract's (a wrong type, an unknown
    /// enum value or field, a missing field); names the field.
    #[error("body does not match the contract")]
    InvalidBody(FieldError),
    /// 422: well-formed input that breaks a rule; lists every offending field.
    #[error("validation failed")]
    Validation(Vec<FieldError>),
    /// 503: the database cannot be reached in time; the client may retry.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// 500: a bug or an unexpected failure. Logged in full, never shown to the client.
    #[error("internal error: {0}")]
    Internal(String),
}

impl ApiError {
    /// A 422 for `field`, refused by its parser.
    pub fn refused(field: &str, refusal: Refusal) -> Self {
        Self::Validation(vec![FieldError::new(field, refusal)])
    }

    /// A 422 for a single field.
    pub fn invalid(field: &str, code: FieldCode, message: impl Into<String>) -> Self {
        Self::Validation(vec![FieldError::new(field, Refusal::new(code, message))])
    }

    fn kind_and_title(&self) -> (ProblemType, &'static str) {
        match self {
            Self::BadRequest(_) => (ProblemType::BadRequest, "Malformed request"),
            Self::Unauthorized(_) => (ProblemType::Unauthorized, "Authentication required"),
            Self::Forbidden(_) => (ProblemType::Forbidden, "Not allowed"),
            Self::NotFound(_) => (ProblemType::NotFound, "Not found"),
            Self::MethodNotAllowed(_) => (ProblemType::MethodNotAllowed, "Method not allowed"),
            Self::Conflict(_) => (ProblemType::Conflict, "Conflict"),
            Self::IllegalTransition { .. } => {
                (ProblemType::IllegalTransition, "Transition not allowed")
            }
            Self::PreconditionFailed => (ProblemType::StaleVersion, "The resource has changed"),
            Self::PreconditionRequired => (ProblemType::IfMatchRequired, "If-Match required"),
            Self::PayloadTooLarge(_) => (ProblemType::PayloadTooLarge, "Payload too large"),
            Self::UnsupportedMediaType(_) => {
                (ProblemType::UnsupportedMediaType, "Unsupported media type")
            }
            Self::InvalidBody(_) => (ProblemType::InvalidBody, "Body does not match the contract"),
            Self::Validation(_) => (ProblemType::Validation, "Invalid input"),
            Self::Unavailable(_) => (ProblemType::Unavailable, "Service unavailable"),
            Self::Internal(_) => (ProblemType::Internal, "Internal server error"),
        }
    }

    fn detail(&self) -> String {
        match self {
            Self::BadRequest(detail) | Self::Conflict(detail) | Self::Forbidden(detail) => detail.clone(),
            Self::Unauthorized(None) => "Send a bearer token in the Authorization header.".into(),
            Self::Unauthorized(Some(reason)) => format!("The bearer token was refused: {reason}."),
            Self::NotFound(what) => format!("No {what} with that id."),
            Self::MethodNotAllowed(allowed) => format!("This path answers only {}.", allow_header(allowed)),
            Self::IllegalTransition { from, to, allowed } => {
                let allowed: Vec<&str> = allowed.iter().map(|status| status.as_str()).collect();
                format!(
                    "A {} plan cannot become {}; allowed: {}.",
                    from.as_str(),
                    to.as_str(),
                    if allowed.is_empty() { "none".to_owned() } else { allowed.join(", ") }
                )
            }
            Self::PreconditionFailed => {
                "The If-Match version is not the current version; fetch the resource again and reapply your change.".into()
            }
            Self::PreconditionRequired => {
                "Send If-Match with the ETag you last read, so that no one else's change is overwritten.".into()
            }
            Self::PayloadTooLarge(limit) => format!("The request body exceeds the limit of {limit} bytes."),
            Self::UnsupportedMediaType(accepted) => {
                format!("The request body must be sent as {accepted}.")
            }
            Self::InvalidBody(error) => format!("{}: {}", error.field, error.message),
            Self::Validation(errors) => match errors.as_slice() {
                [one] => format!("{}: {}", one.field, one.message),
                many => format!("{} fields are invalid", many.len()),
            },
            Self::Unavailable(_) => "The database is not reachable right now; try again shortly.".into(),
            Self::Internal(_) => "Something went wrong on our side; it has been logged.".into(),
        }
    }

    /// The problem document for this error.
    /// Nothing in it repeats a CPR-shaped part of the request (a parser's
    /// message may quote the value it refused).
    pub fn problem(&self) -> Problem {
        let (kind, title) = self.kind_and_title();
        let errors: &[FieldError] = match self {
            Self::Validation(errors) => errors,
            Self::InvalidBody(error) => std::slice::from_ref(error),
            _ => &[],
        };
        Problem {
            r#type: kind,
            title: title.into(),
            status: self.status_code().as_u16(),
            detail: redact_cpr(&self.detail()).into_owned(),
            errors: errors
                .iter()
                .map(|error| FieldError {
                    field: redact_cpr(&error.field).into_owned(),
                    code: error.code,
                    message: redact_cpr(&error.message).into_owned(),
                })
                .collect(),
            allowed_transitions: match self {
                Self::IllegalTransition { allowed, .. } => Some(allowed.clone()),
                _ => None,
            },
        }
    }
}

impl ResponseError for ApiError {
    fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) => StatusCode::BAD_REQUEST,
            Self::Unauthorized(_) => StatusCode::UNAUTHORIZED,
            Self::Forbidden(_) => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) | Self::IllegalTransition { .. } => StatusCode::CONFLICT,
            Self::PreconditionFailed => StatusCode::PRECONDITION_FAILED,
            Self::PreconditionRequired => StatusCode::PRECONDITION_REQUIRED,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::InvalidBody(_) | Self::Validation(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    fn error_response(&self) -> HttpResponse {
        match self {
            Self::Internal(cause) => log::error!("internal error: {}", redact_cpr(cause)),
            Self::Unavailable(cause) => log::warn!("database unavailable: {}", redact_cpr(cause)),
            _ => {}
        }
        let mut response = HttpResponse::build(self.status_code());
        response.content_type(PROBLEM_JSON);
        match self {
            Self::Unavailable(_) => {
                response.insert_header((header::RETRY_AFTER, "2"));
            }
            Self::MethodNotAllowed(allowed) => {
                response.insert_header((header::ALLOW, allow_header(allowed)));
            }
            // RFC 6750: a missing token gets only the challenge, a refused one says why.
            Self::Unauthorized(None) => {
                response.insert_header((header::WWW_AUTHENTICATE, "Bearer realm=\"planspor\""));
            }
            Self::Unauthorized(Some(reason)) => {
                let reason = reason.replace(['"', '\\'], "'");
                response.insert_header((
                    header::WWW_AUTHENTICATE,
                    format!("Bearer realm=\"planspor\", error=\"invalid_token\", error_description=\"{reason}\""),
                ));
            }
            _ => {}
        }
        response.json(self.problem())
    }
}

fn allow_header(methods: &[actix_web::http::Method]) -> String {
    methods
        .iter()
        .map(actix_web::http::Method::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

/// What a violated constraint means to the client. Constraint names come from
/// `migrations/`; one not listed here is a bug and answers 500.
fn constraint_error(kind: &DatabaseErrorKind, constraint: &str) -> Option<ApiError> {
    let conflict = |detail: &str| Some(ApiError::Conflict(detail.into()));
    match constraint {
        "organizations_municipality_code_key" => {
            conflict("An organization with this municipality_code already exists.")
        }
        "users_email_key" => conflict("A user with this email already exists."),
        "users_issuer_subject_key" => {
            conflict("A user with this issuer and subject already exists.")
        }
        "focus_areas_plan_position_key" => {
            conflict("The plan already has a focus area at this position.")
        }
        "measurements_indicator_period_key" => conflict(
            "The indicator already has a value for this period_end; use PUT /indicators/{indicator_id}/measurements/{period_end} to replace it.",
        ),
        "plans_organization_id_fkey" if *kind == DatabaseErrorKind::ForeignKeyViolation => {
            conflict("The organization still has plans; delete or move them first.")
        }
        "status_reports_plan_id_fkey" => conflict(
            "The plan has status reports, which are kept as the record of what politicians were shown.",
        ),
        "recommendations_plan_number_key" => {
            conflict("The plan already has a recommendation with this number.")
        }
        "recommendation_focus_areas_same_plan_fkey" => Some(ApiError::invalid(
            "focus_area_ids",
            FieldCode::NoSuchRecord,
            "must be focus areas of the same plan",
        )),
        "initiative_recommendations_same_plan_fkey"
        | "indicator_recommendations_same_plan_fkey" => Some(ApiError::invalid(
            "recommendation_ids",
            FieldCode::NoSuchRecord,
            "must be recommendations of the same plan",
        )),
        "indicators_focus_area_same_plan_fkey" => Some(ApiError::invalid(
            "focus_area_id",
            FieldCode::NoSuchRecord,
            "must be a focus area of the same plan",
        )),
        "indicators_initiative_in_focus_area_fkey" => Some(ApiError::invalid(
            "initiative_id",
            FieldCode::Inconsistent,
            "must be an initiative of the indicator's focus area",
        )),
        "indicators_owner_member" | "indicators_owner_id_fkey" => Some(ApiError::invalid(
            "owner_id",
            FieldCode::NoSuchRecord,
            "must be an editor or consultant of the plan's organization",
        )),
        "indicators_initiative_same_plan_fkey" => Some(ApiError::invalid(
            "initiative_id",
            FieldCode::NoSuchRecord,
            "must be an initiative of the same plan",
        )),
        _ => None,
    }
}

/// The database's own guard of what politicians were shown
/// (`planspor_refuse_published_change`): the handlers check first, so this
/// answers a write that raced a publish.
fn frozen_record(message: &str) -> Option<ApiError> {
    match message {
        "published status reports are frozen" => Some(ApiError::Conflict(
            "The status report was published meanwhile and is frozen; write a new report or an erratum to correct it."
                .into(),
        )),
        "errata are append-only" => Some(ApiError::Conflict(
            "Errata are append-only; add a new erratum to correct one.".into(),
        )),
        _ => None,
    }
}

impl From<DieselError> for ApiError {
    fn from(error: DieselError) -> Self {
        if let DieselError::DatabaseError(kind, info) = &error {
            if let Some(mapped) = info
                .constraint_name()
                .and_then(|name| constraint_error(kind, name))
            {
                return mapped;
            }
            if let Some(refused) = frozen_record(info.message()) {
                return refused;
            }
            // The database went away (shut down, restarted, network): retryable, not a bug.
            let lost_connection = matches!(
                kind,
                DatabaseErrorKind::ClosedConnection | DatabaseErrorKind::UnableToSendCommand
            ) || info.message().starts_with("terminating connection")
                || info.message().contains("shutting down");
            if lost_connection {
                return Self::Unavailable(info.message().to_owned());
            }
        }
        Self::Internal(format!("database: {error}"))
    }
}

impl From<deadpool::managed::PoolError<diesel_async::pooled_connection::PoolError>> for ApiError {
    fn from(
        error: deadpool::managed::PoolError<diesel_async::pooled_connection::PoolError>,
    ) -> Self {
        Self::Unavailable(error.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn validation_problem_lists_every_field() {
        let error = ApiError::Validation(vec![
            FieldError::new("title", Refusal::new(FieldCode::Empty, "must not be empty")),
            FieldError::new(
                "period_end",
                Refusal::new(FieldCode::Inconsistent, "must not be before period_start"),
            ),
        ]);
        let problem = error.problem();
        assert_eq!(problem.status, 422);
        assert_eq!(problem.errors.len(), 2);
        assert_eq!(problem.detail, "2 fields are invalid");
    }

    #[test]
    fn internal_errors_never_reveal_their_cause() {
        let problem = ApiError::Internal("relation \"plans\" does not exist".into()).problem();
        assert!(!problem.detail.contains("relation"));
        assert_eq!(problem.status, 500);
    }
}
