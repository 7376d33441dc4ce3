//! The answer to a request that no handler takes: 405 with `Allow` when the
//! path exists under other methods, 404 otherwise. The known paths and their
//! methods are read from the contract, which is built from the handlers.

use actix_web::dev::ResourceDef;
use actix_web::http::Method;
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::ApiError;

/// Every documented path with the methods it answers.
#[derive(Debug, Default)]
pub struct KnownPaths(Vec<(ResourceDef, Vec<Method>)>);

impl KnownPaths {
    /// The paths of `api`; their `{param}` templates match as actix routes do.
    pub fn from_contract(api: &utoipa::openapi::OpenApi) -> Self {
        let paths = api
            .paths
            .paths
            .iter()
            .map(|(path, item)| (ResourceDef::new(path.as_str()), methods_of(item)))
            .collect();
        Self(paths)
    }

    fn allowed(&self, path: &str) -> Option<&[Method]> {
        self.0
            .iter()
            .find(|(def, _)| def.is_match(path))
            .map(|(_, methods)| methods.as_slice())
    }
}

fn methods_of(item: &utoipa::openapi::PathItem) -> Vec<Method> {
    [
        (Method::GET, item.get.is_some()),
        (Method::POST, item.post.is_some()),
        (Method::PUT, item.put.is_some()),
        (Method::PATCH, item.patch.is_some()),
        (Method::DELETE, item.delete.is_some()),
    ]
    .into_iter()
    .filter_map(|(method, present)| present.then_some(method))
    .collect()
}

/// The default service.
pub async fn unmatched(
    request: HttpRequest,
    known: web::Data<KnownPaths>,
) -> Result<HttpResponse, ApiError> {
    match known.allowed(request.path()) {
        Some(methods) if !methods.contains(request.method()) => {
            Err(ApiError::MethodNotAllowed(methods.to_vec()))
        }
        _ => Err(ApiError::NotFound("resource")),
    }
}
