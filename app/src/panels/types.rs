use serde::{Deserialize, Serialize};

/// What a panel member's own page shows.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PanelOverview {
    /// The panels they sit on, by name. Empty until panels are recorded.
    pub panels: Vec<String>,
}
