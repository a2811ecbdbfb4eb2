//! The import's server functions: the page's data, and importing an uploaded file. Workforce
//! leads only, for the councils whose courses they run.

use super::{RecordsImportForm, RecordsImportPage, RecordsImportQuery};
use crate::error::AppError;
use crate::forms::FormFn;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The upload page, the file just uploaded, or an import's report.
#[server(prefix = "/api", endpoint = "training/import/page", input = Json)]
pub async fn training_records_import(
    query: RecordsImportQuery,
) -> Result<RecordsImportPage, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::service::may_import).await?;
    super::service::page(&state, &user, &query).await
}

/// Imports an uploaded records file, all or nothing: the id of its report.
#[server(prefix = "/api", endpoint = "training/import/run", input = Json)]
pub async fn import_training_records(form: RecordsImportForm) -> Result<String, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(super::service::may_import).await?;
    super::service::run(&state, &user, &form).await
}

impl FormFn for ImportTrainingRecords {
    type Form = RecordsImportForm;
    fn next_page(&self, id: &String) -> String {
        format!("{}/{id}", super::PAGE_PATH)
    }
}
#[cfg(feature = "ssr")]
inventory::submit! { crate::forms::FormEntry::of::<ImportTrainingRecords>() }
