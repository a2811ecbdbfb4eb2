//! The component kit: GOV.UK Design System patterns in the councils' plain branding, in a home
//! that no domain owns.
//!
//! - [`form`]: error summary, field messages, text input, textarea with character count, radios
//!   and checkboxes with conditional reveal, select, date input, add another.
//! - [`layout`]: page furniture (`NotFound`, `ProblemPage`).
//! - [`content`]: summary list, task list, tag, notification banner, pagination, sortable table,
//!   line chart.
//!
//! Every component works without JavaScript: the server renders the whole of it, and the
//! browser's part (a live character count, hiding unchosen conditional content) only improves
//! what is already there. Names, labels and options are owned (`String`, `Vec<(String,
//! String)>`), so repeating groups (`adults[2][first_name]`) and options loaded from the database
//! use the same components as a fixed form.

pub mod components_page;
pub mod content;
pub mod form;
pub mod layout;

pub use content::*;
pub use form::*;
pub use layout::*;
