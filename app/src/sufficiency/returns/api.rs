//! The returns' server functions: the data page, starting an import, an import's page. Each
//! decides on the server who may call it (`sufficiency::policy`).

use super::{DataPage, DataQuery, ImportForm, ImportView};
use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The data page: councils to upload for, files waiting, the returns kept, recent imports.
#[server(prefix = "/api", endpoint = "sufficiency/data", input = Json)]
pub async fn sufficiency_data_page(query: DataQuery) -> Result<DataPage, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::sufficiency::policy::may_view).await?;
    super::service::page(&state, &user, &query).await
}

/// Starts importing the uploaded files in the background: the import's id.
#[server(prefix = "/api", endpoint = "sufficiency/import", input = Json)]
pub async fn start_returns_import(form: ImportForm) -> Result<String, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::sufficiency::policy::may_import).await?;
    super::service::start(&state, &user, &form).await
}

/// An import's progress and report.
#[server(prefix = "/api", endpoint = "sufficiency/import/view", input = Json)]
pub async fn returns_import_view(id: String) -> Result<ImportView, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::sufficiency::policy::may_import).await?;
    super::service::view(&state, &user, &id).await
}

impl FormFn for StartReturnsImport {
    type Form = ImportForm;
    fn next_page(&self, id: &String) -> String {
        format!("/staff/sufficiency/imports/{id}")
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<StartReturnsImport>() }
