//! The import's server functions: the page's data, and importing an uploaded file. Team
//! managers and administrators only (`carers::policy::may_import`), inside their boundary.

use super::{ImportForm, ImportPage, ImportQuery};
use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The upload page, the file just uploaded, or an import's report.
#[server(prefix = "/api", endpoint = "carers/import/page", input = Json)]
pub async fn register_import_page(query: ImportQuery) -> Result<ImportPage, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::carers::policy::may_import).await?;
    super::service::page(&state, &user, &query).await
}

/// Imports an uploaded register file, all or nothing: the id of its report.
#[server(prefix = "/api", endpoint = "carers/import/run", input = Json)]
pub async fn import_register(form: ImportForm) -> Result<String, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::carers::policy::may_import).await?;
    let client = crate::limits::caller_ip(&state.limits);
    super::service::run(&state, &user, client, &form).await
}

impl FormFn for ImportRegister {
    type Form = ImportForm;
    fn next_page(&self, id: &String) -> String {
        format!("/staff/carers/import/{id}")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<ImportRegister>() }
