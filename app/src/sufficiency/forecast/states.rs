//! The model's states: an age band and a placement category, named exactly as the regional
//! model names them ("10 to 16 - Fostering"), so figures can be compared label for label.

use serde::{Deserialize, Serialize};

/// Days in a year when the model turns a span of days into an age.
pub const YEAR_IN_DAYS: f64 = 365.24;

/// The model's age bands. Their edges are birthdays: an episode crossing one is split there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum AgeBand {
    BirthToOne,
    OneToFive,
    FiveToTen,
    TenToSixteen,
    SixteenPlus,
}

impl AgeBand {
    pub const ALL: [AgeBand; 5] = [
        AgeBand::BirthToOne,
        AgeBand::OneToFive,
        AgeBand::FiveToTen,
        AgeBand::TenToSixteen,
        AgeBand::SixteenPlus,
    ];

    pub fn label(self) -> &'static str {
        match self {
            AgeBand::BirthToOne => "Birth to 1",
            AgeBand::OneToFive => "1 to 5",
            AgeBand::FiveToTen => "5 to 10",
            AgeBand::TenToSixteen => "10 to 16",
            AgeBand::SixteenPlus => "16 to 18+",
        }
    }

    /// The band's lower edge in years (the model starts the first band at -1).
    pub fn start(self) -> i32 {
        match self {
            AgeBand::BirthToOne => -1,
            AgeBand::OneToFive => 1,
            AgeBand::FiveToTen => 5,
            AgeBand::TenToSixteen => 10,
            AgeBand::SixteenPlus => 16,
        }
    }

    /// The band's upper edge in years (the model ends the last band at 30).
    pub fn end(self) -> i32 {
        match self {
            AgeBand::BirthToOne => 1,
            AgeBand::OneToFive => 5,
            AgeBand::FiveToTen => 10,
            AgeBand::TenToSixteen => 16,
            AgeBand::SixteenPlus => 30,
        }
    }

    /// The band an age (in model years) falls in: `[start, end)`. The model has no band below
    /// -1 or from 30; such ages (a date of birth long before care, or after it) are put in the
    /// nearest band rather than failing the whole forecast, as the upstream code would.
    pub fn for_age(age: f64) -> AgeBand {
        AgeBand::ALL
            .into_iter()
            .find(|b| (b.start() as f64) <= age && age < b.end() as f64)
            .unwrap_or(if age < 0.0 {
                AgeBand::BirthToOne
            } else {
                AgeBand::SixteenPlus
            })
    }

    pub fn index(self) -> usize {
        self as usize
    }

    /// The band that starts at `years` (a birthday edge).
    pub fn starting_at(years: i32) -> Option<AgeBand> {
        AgeBand::ALL.into_iter().find(|b| b.start() == years)
    }
}

/// Placement categories from the 903 `PLACE` code, and "Not in care".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Category {
    Fostering,
    Residential,
    Supported,
    Other,
    NotInCare,
}

impl Category {
    pub const ALL: [Category; 5] = [
        Category::Fostering,
        Category::Residential,
        Category::Supported,
        Category::Other,
        Category::NotInCare,
    ];

    /// The category's label as the model prints it in a state name (`str.capitalize()` of its
    /// label, which leaves these unchanged).
    pub fn label(self) -> &'static str {
        match self {
            Category::Fostering => "Fostering",
            Category::Residential => "Residential",
            Category::Supported => "Supported",
            Category::Other => "Other",
            Category::NotInCare => "Not in care",
        }
    }

    /// Fostering U1-U6; Residential K2, R1, P3, S1; Supported H5, K3, P2; Other the rest.
    pub fn of_place(place: &str) -> Category {
        match place {
            "U1" | "U2" | "U3" | "U4" | "U5" | "U6" => Category::Fostering,
            "K2" | "R1" | "P3" | "S1" => Category::Residential,
            "H5" | "K3" | "P2" => Category::Supported,
            _ => Category::Other,
        }
    }

    pub fn index(self) -> usize {
        self as usize
    }
}

/// A model state: "band - category".
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct State {
    pub band: AgeBand,
    pub category: Category,
}

/// How many states there are; a state's number is `band * 5 + category`.
pub const STATES: usize = 25;

impl State {
    pub fn new(band: AgeBand, category: Category) -> State {
        State { band, category }
    }

    pub fn label(self) -> String {
        format!("{} - {}", self.band.label(), self.category.label())
    }

    pub fn index(self) -> usize {
        self.band.index() * 5 + self.category.index()
    }

    pub fn from_index(i: usize) -> State {
        State::new(AgeBand::ALL[i / 5], Category::ALL[i % 5])
    }

    pub fn from_label(label: &str) -> Option<State> {
        (0..STATES)
            .map(State::from_index)
            .find(|s| s.label() == label)
    }

    pub fn all() -> impl Iterator<Item = State> {
        (0..STATES).map(State::from_index)
    }
}

/// The kind of foster care an episode is, for the fostering split: kinship (U1-U3), in-house
/// (U4-U6 with provider PR1-PR3) and agency (U4-U6 with PR4-PR5). U4-U6 with any other
/// provider falls outside all three, as in the model's cost categories.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum FosteringKind {
    Kinship,
    InHouse,
    Agency,
}

impl FosteringKind {
    pub const ALL: [FosteringKind; 3] = [
        FosteringKind::Kinship,
        FosteringKind::InHouse,
        FosteringKind::Agency,
    ];

    pub fn of(place: &str, provider: &str) -> Option<FosteringKind> {
        match (place, provider) {
            ("U1" | "U2" | "U3", _) => Some(FosteringKind::Kinship),
            ("U4" | "U5" | "U6", "PR1" | "PR2" | "PR3") => Some(FosteringKind::InHouse),
            ("U4" | "U5" | "U6", "PR4" | "PR5") => Some(FosteringKind::Agency),
            _ => None,
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            FosteringKind::Kinship => "Kinship foster care",
            FosteringKind::InHouse => "In-house foster care",
            FosteringKind::Agency => "Agency foster care",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn state_labels_are_the_models() {
        assert_eq!(
            State::new(AgeBand::SixteenPlus, Category::NotInCare).label(),
            "16 to 18+ - Not in care"
        );
        assert_eq!(
            State::new(AgeBand::BirthToOne, Category::Fostering).label(),
            "Birth to 1 - Fostering"
        );
        for s in State::all() {
            assert_eq!(State::from_label(&s.label()), Some(s));
            assert_eq!(State::from_index(s.index()), s);
        }
    }

    #[test]
    fn ages_fall_in_half_open_bands() {
        assert_eq!(AgeBand::for_age(0.0), AgeBand::BirthToOne);
        assert_eq!(AgeBand::for_age(0.999), AgeBand::BirthToOne);
        assert_eq!(AgeBand::for_age(1.0), AgeBand::OneToFive);
        assert_eq!(AgeBand::for_age(15.99), AgeBand::TenToSixteen);
        assert_eq!(AgeBand::for_age(16.0), AgeBand::SixteenPlus);
        assert_eq!(AgeBand::for_age(19.5), AgeBand::SixteenPlus);
    }

    #[test]
    fn place_codes_map_to_the_models_categories() {
        assert_eq!(Category::of_place("U4"), Category::Fostering);
        assert_eq!(Category::of_place("S1"), Category::Residential);
        assert_eq!(Category::of_place("K3"), Category::Supported);
        assert_eq!(Category::of_place("K1"), Category::Other);
        assert_eq!(Category::of_place("R2"), Category::Other);
    }

    #[test]
    fn fostering_split_follows_place_and_provider() {
        assert_eq!(FosteringKind::of("U2", "PR4"), Some(FosteringKind::Kinship));
        assert_eq!(FosteringKind::of("U5", "PR1"), Some(FosteringKind::InHouse));
        assert_eq!(FosteringKind::of("U6", "PR5"), Some(FosteringKind::Agency));
        assert_eq!(FosteringKind::of("U4", "PR0"), None);
        assert_eq!(FosteringKind::of("R1", "PR1"), None);
    }
}
