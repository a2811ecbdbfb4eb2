//! The forecast page's server function. The analyst API's CSV and JSON are plain routes in the
//! server (`server/src/sufficiency.rs`), calling `service::export` with the same checks.

use super::{ForecastPage, ForecastQuery};
use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::Json;

/// The forecast, its tables and chart data, and the backtest if one was asked for.
#[server(prefix = "/api", endpoint = "sufficiency/forecast", input = Json)]
pub async fn sufficiency_forecast(query: ForecastQuery) -> Result<ForecastPage, AppError> {
    use crate::auth::service::caller_passing;
    let (state, user) = caller_passing(crate::sufficiency::policy::may_view).await?;
    super::service::page(&state, &user, &query).await
}
