//! The supply page's and the printable summary's server function. The CSV and JSON are plain
//! routes in the server (`server/src/sufficiency_exports.rs`), calling the same service.

use super::{SupplyPage, SupplyQuery};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// Need against supply for a council (or the region), with today's places and the pipeline.
#[server(prefix = "/api", endpoint = "sufficiency/supply", input = Json)]
pub async fn sufficiency_supply(query: SupplyQuery) -> Result<SupplyPage, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::sufficiency::policy::may_view).await?;
    super::service::page(&state, &user, &query).await
}
