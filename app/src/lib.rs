//! Fostering Hub: the Leptos application (pages, components and server functions), sliced by
//! the business it serves.

// Deeply nested view types (lazy routes hydrating asynchronously) need more than the default.
#![recursion_limit = "256"]

pub mod accounts;
pub mod app;
pub mod applications;
pub mod assessments;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod carers;
pub mod councils;
pub mod enquiries;
pub mod error;
pub mod files;
pub mod forms;
pub mod funnel;
pub mod jobs;
#[cfg(test)]
mod layering;
pub mod panels;
pub mod placements;
pub mod places;
pub mod sufficiency;
pub mod text;
pub mod time;
pub mod training;
pub mod ui;

#[cfg(feature = "ssr")]
pub mod config;
#[cfg(feature = "ssr")]
pub mod db;
pub mod email;
#[cfg(feature = "ssr")]
pub mod limits;
#[cfg(feature = "ssr")]
pub mod security;
#[cfg(feature = "ssr")]
pub mod state;

/// Browser entry point: hydrates the server-rendered page.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // Lazy routes (the staff pages, a separate wasm chunk) need the asynchronous hydration.
    leptos::mount::hydrate_lazy(app::App);
}
