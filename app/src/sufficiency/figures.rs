//! How the sufficiency pages write a figure: one place, so a suppressed count reads the same
//! (`[c]`, the DfE's mark) on every page, chart table and summary.

use std::fmt::Display;

/// A forecast figure as a whole number of children (never below zero).
pub fn whole(x: f64) -> String {
    format!("{:.0}", x.max(0.0))
}

/// A count, or `[c]` where it is suppressed.
pub fn count<T: Display>(c: Option<T>) -> String {
    c.map_or_else(|| "[c]".to_string(), |c| c.to_string())
}

/// A share as a whole percentage: "No postcodes" when nothing was known to measure it by, `[c]`
/// when suppressed.
pub fn share(known: bool, p: Option<f64>) -> String {
    match (known, p) {
        (false, _) => "No postcodes".to_string(),
        (true, None) => "[c]".to_string(),
        (true, Some(p)) => format!("{p:.0}%"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suppressed_figures_read_c_and_forecasts_are_whole_children() {
        assert_eq!(whole(12.5), "12");
        assert_eq!(whole(-0.4), "0");
        assert_eq!(count(Some(7u64)), "7");
        assert_eq!(count(None::<i64>), "[c]");
        assert_eq!(share(true, Some(37.6)), "38%");
        assert_eq!(share(true, None), "[c]");
        assert_eq!(share(false, Some(5.0)), "No postcodes");
    }
}
