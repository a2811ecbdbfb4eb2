//! The shapes a postcode lookup deals in.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A postcode in its one normal form: upper case, one space before the three-character inward
/// code (`PO1 2AB`). Built only by [`crate::places::normalise`], so holding one means the format
/// is right (whether the postcode exists is a lookup's answer).
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Postcode(pub(super) String);

impl Postcode {
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Postcode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Postcode {
    type Error = PostcodeError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        super::normalise(&raw)
    }
}

impl From<Postcode> for String {
    fn from(p: Postcode) -> String {
        p.0
    }
}

/// Why text is not a postcode, in words a member of the public can act on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PostcodeError {
    #[error("Enter a postcode")]
    Empty,
    #[error("Enter a real UK postcode, like PO1 2AB")]
    Malformed,
}

/// A point on the British National Grid, in metres east and north of its origin.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GridRef {
    pub easting: i32,
    pub northing: i32,
}

/// A straight-line distance, held in tenths of a mile: a postcode's grid reference stands for
/// a dozen or so addresses spread over a hundred metres or more, so finer would be false
/// precision. Whole tenths also order and compare exactly.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Miles {
    pub tenths: u32,
}

impl Miles {
    pub fn as_f64(self) -> f64 {
        f64::from(self.tenths) / 10.0
    }
}

impl fmt::Display for Miles {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let unit = if self.tenths == 10 { "mile" } else { "miles" };
        write!(f, "{}.{} {unit}", self.tenths / 10, self.tenths % 10)
    }
}

/// A postcode the directory knows: where it is and whose it is.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Place {
    pub postcode: Postcode,
    /// `None` where ONS gives no British National Grid reference: Northern Ireland (its
    /// references are on the Irish Grid), the Channel Islands, the Isle of Man, and some
    /// PO boxes. No distance can be measured to such a postcode.
    pub grid: Option<GridRef>,
    /// ONS code of the district or unitary council.
    pub lower_tier: Option<String>,
    /// ONS code of the upper-tier council (county or unitary): the one with children's services.
    pub upper_tier: Option<String>,
    /// Our council with that upper-tier code, when it is one of ours (active or not).
    pub council_id: Option<uuid::Uuid>,
}

/// What the directory says about a postcode. A postcode that is not there, or no longer in use,
/// is an answer, not an error.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PostcodeAnswer {
    /// In use.
    Found(Place),
    /// No longer in use since the month of `terminated_on` (its first day); `last_known` is where
    /// and whose it was. Terminated postcodes get no distances: the address needs correcting.
    Terminated {
        terminated_on: chrono::NaiveDate,
        last_known: Place,
    },
    /// Well formed, but not in the directory (never issued, or outside the United Kingdom).
    Unknown(Postcode),
}

#[cfg(feature = "ssr")]
impl PostcodeAnswer {
    pub fn postcode(&self) -> &Postcode {
        match self {
            PostcodeAnswer::Found(p) => &p.postcode,
            PostcodeAnswer::Terminated { last_known, .. } => &last_known.postcode,
            PostcodeAnswer::Unknown(p) => p,
        }
    }

    /// Where a postcode in use is; `None` when it is terminated, unknown or has no grid reference.
    pub fn grid(&self) -> Option<GridRef> {
        match self {
            PostcodeAnswer::Found(p) => p.grid,
            _ => None,
        }
    }

    /// A sentence for staff when no distance can be given, `None` when one can.
    pub fn why_no_distance(&self) -> Option<String> {
        match self {
            PostcodeAnswer::Found(p) if p.grid.is_some() => None,
            PostcodeAnswer::Found(p) => Some(format!(
                "{} has no grid reference on the British map, so no distance can be measured",
                p.postcode
            )),
            PostcodeAnswer::Terminated {
                terminated_on,
                last_known,
            } => Some(format!(
                "{} has not been in use since {}: check the address",
                last_known.postcode,
                terminated_on.format("%B %Y")
            )),
            PostcodeAnswer::Unknown(p) => Some(format!(
                "{p} is not a postcode in the ONS Postcode Directory: check it"
            )),
        }
    }
}

/// The straight-line distance between two postcodes, with what the directory said of each.
#[cfg(feature = "ssr")]
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Distance {
    pub from: PostcodeAnswer,
    pub to: PostcodeAnswer,
    /// `None` unless both are in use with grid references; the answers say why.
    pub miles: Option<Miles>,
}
