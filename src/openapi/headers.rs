//! What the contract says about headers: every response carries
//! `X-Request-Id`; 401 carries `WWW-Authenticate`, 429 and 503 `Retry-After`;
//! a POST's success can carry `Idempotency-Replayed`; every response header
//! the handlers declare is always sent, so it is `required`; and a request
//! header a client may leave out is a plain string, not `string | null`.

use utoipa::openapi::extensions::Extensions;
use utoipa::openapi::header::{Header, HeaderBuilder};
use utoipa::openapi::response::Response;
use utoipa::openapi::schema::{ObjectBuilder, SchemaType, Type};
use utoipa::openapi::{OpenApi, Ref, RefOr, Schema};

use super::operations_of;

/// Header components: (name, schema type, description).
const SHARED: [(&str, Type, &str); 3] = [
    (
        "X-Request-Id",
        Type::String,
        "This request's id, also in the service's log: quote it when you report a problem. \
         A request's own `X-Request-Id` (letters, digits, `-` and `_`, at most 64) is kept.",
    ),
    (
        "Retry-After",
        Type::Integer,
        "Seconds to wait before trying again",
    ),
    (
        "WWW-Authenticate",
        Type::String,
        "The bearer challenge, with `error=\"invalid_token\"` and a description when a token was refused",
    ),
];

/// The problem responses that carry a header of their own.
const PROBLEM_HEADERS: [(&str, &str); 3] = [
    ("Unauthorized", "WWW-Authenticate"),
    ("RateLimited", "Retry-After"),
    ("Unavailable", "Retry-After"),
];

pub(super) struct HeaderFacts;

impl utoipa::Modify for HeaderFacts {
    fn modify(&self, openapi: &mut OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        for (name, kind, description) in SHARED {
            components
                .headers
                .insert(name.to_owned(), always_sent(kind, description).into());
        }
        for (name, response) in components.responses.iter_mut() {
            if let RefOr::T(response) = response {
                add_ref(response, "X-Request-Id");
                PROBLEM_HEADERS
                    .iter()
                    .filter(|(problem, _)| problem == name)
                    .for_each(|(_, header)| add_ref(response, header));
            }
        }
        for item in openapi.paths.paths.values_mut() {
            for operation in operations_of(item) {
                let idempotent = operation
                    .parameters
                    .iter()
                    .flatten()
                    .any(|p| matches!(p, RefOr::T(p) if p.name == "Idempotency-Key"));
                for parameter in operation.parameters.iter_mut().flatten() {
                    if let RefOr::T(parameter) = parameter
                        && let Some(RefOr::T(Schema::Object(object))) = parameter.schema.as_mut()
                    {
                        drop_null(&mut object.schema_type);
                    }
                }
                for (status, response) in operation.responses.responses.iter_mut() {
                    let RefOr::T(response) = response else {
                        continue;
                    };
                    response.headers.values_mut().for_each(|header| {
                        if let RefOr::T(header) = header {
                            require(header);
                        }
                    });
                    add_ref(response, "X-Request-Id");
                    if idempotent && status.starts_with('2') {
                        response
                            .headers
                            .insert("Idempotency-Replayed".to_owned(), replayed().into());
                    }
                }
            }
        }
    }
}

fn always_sent(kind: Type, description: &str) -> Header {
    let mut header = HeaderBuilder::new()
        .schema(Some(ObjectBuilder::new().schema_type(kind)))
        .description(Some(description))
        .build();
    require(&mut header);
    header
}

/// utoipa 6's `Header` has no `required` field; OpenAPI's Header Object
/// does, so it goes in through the flattened extensions.
fn require(header: &mut Header) {
    header
        .extensions
        .get_or_insert_with(Extensions::default)
        .insert("required".to_owned(), serde_json::Value::Bool(true));
}

fn add_ref(response: &mut Response, header: &str) {
    response.headers.insert(
        header.to_owned(),
        RefOr::Ref(Ref::new(format!("#/components/headers/{header}"))),
    );
}

fn replayed() -> Header {
    HeaderBuilder::new()
        .schema(Some(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some(["true"])),
        ))
        .description(Some(
            "`true` when this is the stored answer to an earlier request with the same \
             Idempotency-Key; absent on the first answer",
        ))
        .build()
}

fn drop_null(kind: &mut SchemaType) {
    if let SchemaType::Array(types) = kind {
        types.retain(|t| *t != Type::Null);
        if let [only] = types.as_slice() {
            *kind = SchemaType::Type(only.clone());
        }
    }
}
