//! The OpenAPI document: derived from the registered handlers, plus the
//! shared problem responses. `openapi/openapi.json` is this, pretty-printed.

use utoipa::OpenApi;

mod headers;

use crate::error::{FieldError, Problem};

/// Reusable error responses, each an RFC 9457 problem document.
pub mod responses {
    use utoipa::{IntoParams, ToResponse};

    use crate::error::Problem;

    macro_rules! problem_response {
        ($($name:ident => $description:literal),+ $(,)?) => {$(
            #[doc = $description]
            #[derive(ToResponse)]
            #[response(description = $description, content_type = "application/problem+json")]
            #[expect(dead_code, reason = "only its schema is used, in the contract")]
            pub struct $name(Problem);
        )+};
    }

    problem_response! {
        BadRequest => "Malformed request: invalid JSON or a bad query parameter",
        NotFound => "No such resource, or not under the given parent",
        Conflict => "Conflicts with the current state, e.g. a duplicate",
        PreconditionFailed => "If-Match is not the current version: someone changed the resource first",
        PreconditionRequired => "If-Match is missing",
        PayloadTooLarge => "The body exceeds the configured limit",
        UnsupportedMediaType => "The body is not of a media type the operation takes (application/json, or for an import a CSV or XLSX file)",
        Invalid => "The body does not match the contract (type /problems/invalid-body: a wrong type, \
                    unknown value or field, a missing field) or breaks a domain rule (type \
                    /problems/validation); every offending field is listed",
        Unavailable => "The database is not reachable; retry after the Retry-After seconds",
        Unauthorized => "No bearer token, or one that was refused (see WWW-Authenticate)",
        Forbidden => "Your role lets you read this, not change it",
        RateLimited => "Too many requests from this caller or address; retry after the Retry-After seconds",
        Unexpected => "Any other failure, as a problem document: quote its X-Request-Id when you report it",
    }

    /// The error answers shared by operations of one kind, so that each
    /// operation lists its own success answer and names the set of errors
    /// it shares with its kind (each one a reference to a response above).
    macro_rules! error_set {
        ($($(#[doc = $doc:literal])+ $name:ident => [$($status:literal => $response:ident),+ $(,)?];)+) => {$(
            $(#[doc = $doc])+
            pub struct $name;

            impl utoipa::IntoResponses for $name {
                fn responses() -> std::collections::BTreeMap<
                    String,
                    utoipa::openapi::RefOr<utoipa::openapi::response::Response>,
                > {
                    [$((
                        $status.to_string(),
                        utoipa::openapi::RefOr::Ref(utoipa::openapi::Ref::from_response_name(
                            stringify!($response),
                        )),
                    )),+]
                    .into_iter()
                    .collect()
                }
            }
        )+};
    }

    error_set! {
        /// Reading one resource by id.
        ReadErrors => [401 => Unauthorized, 404 => NotFound];
        /// Reading one page of a parent's children.
        ListErrors => [400 => BadRequest, 401 => Unauthorized, 404 => NotFound];
        /// Adding a child to a parent.
        CreateErrors => [
            400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound,
            409 => Conflict, 413 => PayloadTooLarge, 415 => UnsupportedMediaType, 422 => Invalid,
        ];
        /// Changing a resource with `If-Match` (PATCH).
        ChangeErrors => [
            400 => BadRequest, 401 => Unauthorized, 403 => Forbidden, 404 => NotFound,
            409 => Conflict, 412 => PreconditionFailed, 415 => UnsupportedMediaType,
            422 => Invalid, 428 => PreconditionRequired,
        ];
        /// Downloading a published report's export.
        ReportExportErrors => [400 => BadRequest, 401 => Unauthorized, 404 => NotFound, 409 => Conflict];
        /// Deleting a resource with `If-Match`.
        DeleteErrors => [
            401 => Unauthorized, 403 => Forbidden, 404 => NotFound, 409 => Conflict,
            412 => PreconditionFailed, 428 => PreconditionRequired,
        ];
    }

    /// The `If-Match` header required by PATCH and DELETE.
    #[derive(IntoParams)]
    #[into_params(parameter_in = Header)]
    #[expect(dead_code, reason = "only its schema is used, in the contract")]
    pub struct IfMatchHeader {
        /// The ETag of the version you last read, e.g. `"3"`.
        #[param(rename = "If-Match", example = "\"1\"", pattern = "^\"[0-9]+\"$")]
        if_match: String,
    }

    /// The `If-None-Match` header of a conditional GET.
    #[derive(IntoParams)]
    #[into_params(parameter_in = Header)]
    #[expect(dead_code, reason = "only its schema is used, in the contract")]
    pub struct IfNoneMatchHeader {
        /// The ETag of the copy you have; when it is current the answer is 304 without a body.
        #[param(rename = "If-None-Match", example = "\"1\"")]
        if_none_match: Option<String>,
    }
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "planspor",
        version = "1.0.0",
        description = "System of record for the development plans (udviklingsplaner) that Danish \
municipalities write with the national Task Force (Socialstyrelsen + Ankestyrelsen).\n\n\
Conventions: lists are `{\"items\": [...], \"next_cursor\": ...}` with `limit` (1–500, default 50) and an \
opaque `cursor`; every single resource carries an `ETag`; PATCH and DELETE require `If-Match` \
(428 without, 412 when stale); errors are RFC 9457 `application/problem+json`.",
        license(name = "MIT", identifier = "MIT"),
        contact(name = "The operator of this planspor instance (the municipality or the Task Force)"),
    ),
    servers((url = "/", description = "The planspor that serves this contract")),
    security(("bearer" = [])),
    modifiers(&BearerSecurity),
    components(
        schemas(Problem, FieldError, crate::audit::HistoryEntity),
        responses(
            responses::BadRequest,
            responses::NotFound,
            responses::Conflict,
            responses::PreconditionFailed,
            responses::PreconditionRequired,
            responses::PayloadTooLarge,
            responses::UnsupportedMediaType,
            responses::Invalid,
            responses::Unavailable,
            responses::Unauthorized,
            responses::Forbidden,
            responses::RateLimited,
            responses::Unexpected,
        ),
    ),
    tags(
        (name = "organizations", description = "Municipalities and the Task Force"),
        (name = "plans", description = "Development plans and their whole tree"),
        (name = "focus_areas", description = "The plan's development points"),
        (name = "initiatives", description = "What is done under a focus area"),
        (name = "indicators", description = "What is measured, with baseline and target"),
        (name = "measurements", description = "An indicator's values over time"),
        (name = "imports", description = "Measurements imported from a CSV or XLSX file: a dry run, then a commit"),
        (name = "progress_notes", description = "The consultants' log on an initiative"),
        (name = "recommendations", description = "The Task Force's analysis: its numbered recommendations and what answers them"),
        (name = "case_reviews", description = "Case-review rounds at the start and the end: counts per criterion, never a case"),
        (name = "status_reports", description = "Reports to the political committee"),
        (name = "exports", description = "Status reports and plans as committee documents (PDF, HTML) and data (XLSX, CSV, JSON)"),
        (name = "progress", description = "Computed progress, status and what needs attention"),
        (name = "users", description = "Users and their roles (administrators)"),
        (name = "audit", description = "Who changed what, when"),
        (name = "events", description = "Every change you may read, in order: a feed to stay in sync"),
        (name = "webhooks", description = "Signed deliveries of an organization's events to another system (administrators)"),
        (name = "notifications", description = "The outbox of reminder e-mails (administrators)"),
        (name = "operations", description = "Liveness and readiness"),
    )
)]
/// The static part of the document; paths are added by the registration.
pub struct ApiDoc;

/// The complete contract, exactly as served at /openapi.json.
pub fn document() -> utoipa::openapi::OpenApi {
    let (_, api) = crate::app_parts();
    api
}

/// The contract as committed in `openapi/openapi.json`.
pub fn document_json() -> String {
    let mut json = document().to_pretty_json().unwrap_or_default();
    json.push('\n');
    json
}

/// Adds the bearer-token security scheme that protected operations refer to.
struct BearerSecurity;

impl utoipa::Modify for BearerSecurity {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(
                HttpBuilder::new()
                    .scheme(HttpAuthScheme::Bearer)
                    .bearer_format("JWT")
                    .description(Some("A JWT from planspor (`planspor admin issue-token`) or the configured identity provider"))
                    .build(),
            ),
        );
    }
}

/// States what every answer holds: a response schema's fields are all sent
/// (`required`; an absent value is `null`, never a missing field), except a
/// problem's `errors` and `allowed_transitions`, which only some problems
/// carry; and a page's items refer to their schema instead of copying it.
/// Schemas that a request body uses keep their optional fields optional.
struct ResponseShapes;

impl utoipa::Modify for ResponseShapes {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let inputs = request_schemas(openapi);
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let names: Vec<String> = components.schemas.keys().cloned().collect();
        for (name, schema) in components.schemas.iter_mut() {
            if let Some(item) = name.strip_prefix("Paginated_")
                && names.iter().any(|n| n == item)
            {
                refer_to_items(schema, item);
            }
            if !inputs.contains(name) {
                require_every_property(schema, name);
            }
        }
    }
}

/// The component schemas a request body uses, directly or through others.
fn request_schemas(openapi: &utoipa::openapi::OpenApi) -> std::collections::BTreeSet<String> {
    let bodies: Vec<serde_json::Value> = openapi
        .paths
        .paths
        .values()
        .flat_map(|item| [&item.get, &item.post, &item.put, &item.patch, &item.delete])
        .flatten()
        .filter_map(|operation| operation.request_body.as_ref())
        .filter_map(|body| serde_json::to_value(body).ok())
        .collect();
    let components = openapi
        .components
        .as_ref()
        .and_then(|c| serde_json::to_value(&c.schemas).ok())
        .unwrap_or_default();
    let mut found = std::collections::BTreeSet::new();
    let mut pending: Vec<String> = bodies.iter().flat_map(references).collect();
    while let Some(name) = pending.pop() {
        if found.insert(name.clone()) {
            pending.extend(references(&components[name.as_str()]));
        }
    }
    found
}

/// The schema names `$ref`erenced anywhere in `value`.
fn references(value: &serde_json::Value) -> Vec<String> {
    match value {
        serde_json::Value::Object(map) => map
            .iter()
            .flat_map(|(key, inner)| match (key.as_str(), inner.as_str()) {
                ("$ref", Some(target)) => target
                    .strip_prefix("#/components/schemas/")
                    .map(|name| vec![name.to_owned()])
                    .unwrap_or_default(),
                _ => references(inner),
            })
            .collect(),
        serde_json::Value::Array(items) => items.iter().flat_map(references).collect(),
        _ => Vec::new(),
    }
}

/// Response fields that are not always there: only some problems carry
/// `errors` or `allowed_transitions`, and a snapshot stored before a part
/// existed does not have it (GET /status-reports/{status_report_id}/snapshot answers it as stored).
const SOMETIMES_ABSENT: [(&str, &str); 8] = [
    ("IndicatorProgress", "display_unit"),
    ("Problem", "errors"),
    ("Problem", "allowed_transitions"),
    ("ReportSnapshot", "assessment"),
    ("ReportSnapshot", "recommendations"),
    ("ReportSnapshot", "case_reviews"),
    ("SnapshotPlan", "analysis"),
    ("SnapshotPlan", "thresholds"),
];

fn require_every_property(
    schema: &mut utoipa::openapi::RefOr<utoipa::openapi::Schema>,
    name: &str,
) {
    use utoipa::openapi::{RefOr, Schema};
    match schema {
        RefOr::T(Schema::Object(object)) => {
            object.required = object
                .properties
                .keys()
                .filter(|field| !SOMETIMES_ABSENT.contains(&(name, field.as_str())))
                .cloned()
                .collect();
        }
        RefOr::T(Schema::AllOf(all_of)) => all_of
            .items
            .iter_mut()
            .for_each(|item| require_every_property(item, name)),
        _ => {}
    }
}

/// A page's `items` as an array of references to `item`.
fn refer_to_items(page: &mut utoipa::openapi::RefOr<utoipa::openapi::Schema>, item: &str) {
    use utoipa::openapi::schema::{ArrayItems, Ref};
    use utoipa::openapi::{RefOr, Schema};
    let RefOr::T(Schema::Object(object)) = page else {
        return;
    };
    if let Some(RefOr::T(Schema::Array(array))) = object.properties.get_mut("items") {
        array.items = ArrayItems::RefOrSchema(Box::new(RefOr::Ref(Ref::from_schema_name(item))));
    }
}

/// Names every operation as a generated client's method: the handler's name
/// in lowerCamelCase (`list_plans` → `listPlans`), so the names stay derived
/// from the code and unique as the handlers' are. Health checks need no token:
/// `security: []` overrides the root's bearer requirement.
struct ClientNames;

impl utoipa::Modify for ClientNames {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in openapi.paths.paths.iter_mut() {
            let public = matches!(path.as_str(), "/healthz" | "/readyz");
            for operation in operations_of(item) {
                if let Some(id) = operation.operation_id.as_mut() {
                    *id = lower_camel_case(id);
                }
                if public {
                    operation.security = Some(Vec::new());
                }
            }
        }
    }
}

pub(crate) fn operations_of(
    item: &mut utoipa::openapi::PathItem,
) -> impl Iterator<Item = &mut utoipa::openapi::path::Operation> {
    [
        item.get.as_mut(),
        item.post.as_mut(),
        item.put.as_mut(),
        item.patch.as_mut(),
        item.delete.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// `list_plan_revisions` → `listPlanRevisions`.
fn lower_camel_case(snake: &str) -> String {
    let mut words = snake.split('_').filter(|w| !w.is_empty());
    let first = words.next().unwrap_or_default().to_owned();
    words.fold(first, |mut name, word| {
        let mut chars = word.chars();
        if let Some(initial) = chars.next() {
            name.extend(initial.to_uppercase());
            name.push_str(chars.as_str());
        }
        name
    })
}

/// Declares the OpenID Connect provider whose tokens the service trusts (in
/// that mode only), so a generated client or Swagger UI can log in through it;
/// its access tokens are the bearer tokens every operation takes.
pub fn declare_login_provider(api: &mut utoipa::openapi::OpenApi, discovery_url: &str) {
    use utoipa::openapi::security::{OpenIdConnect, SecurityScheme};
    let components = api.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        "oidc",
        SecurityScheme::OpenIdConnect(OpenIdConnect::with_description(
            discovery_url,
            "The municipality's identity provider; send its access token as the bearer token",
        )),
    );
}

/// Adds what every operation shares, once the handlers' paths are registered.
pub fn add_shared_behaviour(api: &mut utoipa::openapi::OpenApi) {
    utoipa::Modify::modify(&SharedBehaviour, api);
    utoipa::Modify::modify(&ClientNames, api);
    utoipa::Modify::modify(&ResponseShapes, api);
    utoipa::Modify::modify(&headers::HeaderFacts, api);
    utoipa::Modify::modify(&DateRange, api);
    utoipa::Modify::modify(&OrganizationKindRule, api);
}

/// States the rule between an organization's `kind` and `municipality_code`
/// (`organizations::parse_code`): a municipality has one, the Task Force none.
/// The derived schema lists the fields; this adds the rule as `oneOf`.
struct OrganizationKindRule;

impl utoipa::Modify for OrganizationKindRule {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::schema::{AllOfBuilder, ObjectBuilder, OneOfBuilder, Type};
        use utoipa::openapi::{RefOr, Schema};
        let Some(components) = openapi.components.as_mut() else {
            return;
        };
        let Some(RefOr::T(base)) = components.schemas.remove("OrganizationInput") else {
            return;
        };
        let kind = |kind: &str| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([kind]))
        };
        let municipality = ObjectBuilder::new()
            .property("kind", kind("municipality"))
            .required("kind")
            .required("municipality_code")
            .property(
                "municipality_code",
                ObjectBuilder::new()
                    .schema_type(Type::String)
                    .pattern(Some("^[0-9]{3}$")),
            );
        let task_force = ObjectBuilder::new()
            .property("kind", kind("task_force"))
            .required("kind")
            .property(
                "municipality_code",
                ObjectBuilder::new().schema_type(Type::Null),
            );
        let rule = OneOfBuilder::new().item(municipality).item(task_force);
        let schema = AllOfBuilder::new().item(base).item(rule).build();
        components
            .schemas
            .insert("OrganizationInput".into(), RefOr::T(Schema::AllOf(schema)));
    }
}

/// States the one date rule of the service on every `format: date` in the
/// contract (bodies, parameters, responses): RFC 3339 `full-date` between
/// 1900-01-01 and 2199-12-31 ([`crate::domain::parse_date`]), so generated
/// clients and property tests send only what the API takes.
struct DateRange;

impl utoipa::Modify for DateRange {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::RefOr;
        if let Some(components) = openapi.components.as_mut() {
            components.schemas.values_mut().for_each(limit_dates);
        }
        for item in openapi.paths.paths.values_mut() {
            for operation in operations_of(item) {
                for parameter in operation.parameters.iter_mut().flatten() {
                    if let RefOr::T(parameter) = parameter {
                        parameter.schema.as_mut().map(limit_dates);
                    }
                }
                if let Some(RefOr::T(body)) = operation.request_body.as_mut() {
                    for content in body.content.values_mut() {
                        if let RefOr::T(content) = content {
                            content.schema.as_mut().map(limit_dates);
                        }
                    }
                }
            }
        }
    }
}

fn limit_dates(schema: &mut utoipa::openapi::RefOr<utoipa::openapi::Schema>) {
    use utoipa::openapi::schema::{ArrayItems, KnownFormat, SchemaFormat};
    use utoipa::openapi::{RefOr, Schema};
    let RefOr::T(schema) = schema else { return };
    match schema {
        Schema::Object(object) => {
            if object.format == Some(SchemaFormat::KnownFormat(KnownFormat::Date)) {
                object.pattern = Some(crate::domain::DATE_PATTERN.into());
                let rule = format!(
                    "A date YYYY-MM-DD from {} to {}.",
                    crate::domain::EARLIEST_DATE,
                    crate::domain::LATEST_DATE
                );
                object.description = Some(match object.description.take() {
                    Some(description) => format!("{description} {rule}"),
                    None => rule,
                });
            }
            object.properties.values_mut().for_each(limit_dates);
        }
        Schema::Array(array) => {
            if let ArrayItems::RefOrSchema(items) = &mut array.items {
                limit_dates(items);
            }
        }
        Schema::OneOf(one_of) => one_of.items.iter_mut().for_each(limit_dates),
        Schema::AllOf(all_of) => all_of.items.iter_mut().for_each(limit_dates),
        Schema::AnyOf(any_of) => any_of.items.iter_mut().for_each(limit_dates),
        _ => {}
    }
}

/// What every API operation shares, added in one place rather than on each
/// handler: the `Idempotency-Key` header on POST, and the 429 and 503 answers
/// that the rate limit and the database's availability can give anywhere.
struct SharedBehaviour;

impl utoipa::Modify for SharedBehaviour {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::path::{ParameterBuilder, ParameterIn};
        use utoipa::openapi::{Ref, Required, schema::ObjectBuilder, schema::Type};
        for (path, item) in openapi.paths.paths.iter_mut() {
            if !path.starts_with("/api/") {
                // The health checks: a refused cross-origin request is a 400 on every path.
                for operation in operations_of(item) {
                    let responses = &mut operation.responses.responses;
                    responses
                        .entry("400".into())
                        .or_insert_with(|| Ref::from_response_name("BadRequest").into());
                    responses
                        .entry("default".into())
                        .or_insert_with(|| Ref::from_response_name("Unexpected").into());
                }
                continue;
            }
            if let Some(post) = item.post.as_mut() {
                let key = ParameterBuilder::new()
                    .name("Idempotency-Key")
                    .parameter_in(ParameterIn::Header)
                    .required(Required::False)
                    .description(Some(
                        "Makes a retry safe: the same key with the same body within 24 hours replays the first \
                         response; with another body it is a 422; while the first is in flight, a 409.",
                    ))
                    .schema(Some(
                        ObjectBuilder::new()
                            .schema_type(Type::String)
                            .min_length(Some(1))
                            .max_length(Some(255))
                            .pattern(Some("^[!-~]+$")),
                    ))
                    .build();
                post.parameters
                    .get_or_insert_with(Vec::new)
                    .push(key.into());
                // A malformed key is a 400, a key reused with another body a 422.
                let responses = &mut post.responses.responses;
                responses
                    .entry("400".into())
                    .or_insert_with(|| Ref::from_response_name("BadRequest").into());
                responses
                    .entry("422".into())
                    .or_insert_with(|| Ref::from_response_name("Invalid").into());
            }
            for operation in operations_of(item) {
                let responses = &mut operation.responses.responses;
                responses
                    .entry("429".into())
                    .or_insert_with(|| Ref::from_response_name("RateLimited").into());
                responses
                    .entry("503".into())
                    .or_insert_with(|| Ref::from_response_name("Unavailable").into());
                responses
                    .entry("default".into())
                    .or_insert_with(|| Ref::from_response_name("Unexpected").into());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_names_are_lower_camel_case() {
        assert_eq!(lower_camel_case("list_plan_revisions"), "listPlanRevisions");
        assert_eq!(lower_camel_case("get"), "get");
    }

    #[test]
    fn the_login_provider_is_declared_as_openid_connect() {
        let mut api = utoipa::openapi::OpenApi::default();
        declare_login_provider(
            &mut api,
            "https://idp.example.dk/.well-known/openid-configuration",
        );
        let json = serde_json::to_value(&api).expect("serializes");
        let scheme = &json["components"]["securitySchemes"]["oidc"];
        assert_eq!(scheme["type"], "openIdConnect");
        assert_eq!(
            scheme["openIdConnectUrl"],
            "https://idp.example.dk/.well-known/openid-configuration"
        );
    }
}
