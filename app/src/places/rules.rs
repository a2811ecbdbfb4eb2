//! Pure rules about postcodes: no I/O, unit tested.

use super::types::{GridRef, Miles, Postcode, PostcodeError};

/// Metres in a statute mile.
const METRES_PER_MILE: f64 = 1609.344;

/// Turns what someone typed into a [`Postcode`]: spaces anywhere and any case are accepted, the
/// last three characters are the inward code (a digit and two letters), and the outward code
/// must have one of the Royal Mail's shapes (A9, A99, AA9, AA99, A9A, AA9A). `GIR 0AA`, the one
/// postcode in use outside those shapes, is accepted too.
pub fn normalise(raw: &str) -> Result<Postcode, PostcodeError> {
    let compact: String = raw
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_uppercase();
    if compact.is_empty() {
        return Err(PostcodeError::Empty);
    }
    if !(5..=7).contains(&compact.len()) || !compact.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Err(PostcodeError::Malformed);
    }
    let (outward, inward) = compact.split_at(compact.len() - 3);
    let b = inward.as_bytes();
    let inward_ok =
        b[0].is_ascii_digit() && b[1].is_ascii_alphabetic() && b[2].is_ascii_alphabetic();
    let shape: String = outward
        .bytes()
        .map(|c| if c.is_ascii_digit() { '9' } else { 'A' })
        .collect();
    let outward_ok = matches!(
        shape.as_str(),
        "A9" | "A99" | "AA9" | "AA99" | "A9A" | "AA9A"
    );
    if (inward_ok && outward_ok) || compact == "GIR0AA" {
        Ok(Postcode(format!("{outward} {inward}")))
    } else {
        Err(PostcodeError::Malformed)
    }
}

/// The straight-line distance between two grid references, to the nearest tenth of a mile.
/// The British National Grid is a flat projection in metres, so Pythagoras is exact on it (the
/// projection's own scale error is under 0.1% across England).
pub fn miles_between(a: GridRef, b: GridRef) -> Miles {
    let de = f64::from(a.easting) - f64::from(b.easting);
    let dn = f64::from(a.northing) - f64::from(b.northing);
    let miles = de.hypot(dn) / METRES_PER_MILE;
    Miles {
        tenths: (miles * 10.0).round() as u32,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ok(raw: &str) -> String {
        normalise(raw)
            .map(|p| p.to_string())
            .unwrap_or_else(|e| panic!("{raw:?}: {e}"))
    }

    #[test]
    fn postcodes_are_upper_cased_with_one_space_before_the_inward_code() {
        assert_eq!(ok("po12ab"), "PO1 2AB");
        assert_eq!(ok("  so14   7du "), "SO14 7DU");
        assert_eq!(ok("P O 1 2 A B"), "PO1 2AB");
        assert_eq!(ok("m1 1ae"), "M1 1AE");
        assert_eq!(ok("B33 8TH"), "B33 8TH");
        assert_eq!(ok("cr26xh"), "CR2 6XH");
        assert_eq!(ok("dn551pt"), "DN55 1PT");
        assert_eq!(ok("w1a 1aa"), "W1A 1AA");
        assert_eq!(ok("ec1a1bb"), "EC1A 1BB");
        assert_eq!(ok("\tBN1\u{a0}1AA\n"), "BN1 1AA");
    }

    #[test]
    fn girobanks_postcode_is_the_one_accepted_outside_the_usual_shapes() {
        assert_eq!(ok("gir0aa"), "GIR 0AA");
        assert_eq!(normalise("GIR 0AB"), Err(PostcodeError::Malformed));
    }

    #[test]
    fn blank_input_asks_for_a_postcode() {
        assert_eq!(normalise(""), Err(PostcodeError::Empty));
        assert_eq!(normalise("   "), Err(PostcodeError::Empty));
        assert_eq!(PostcodeError::Empty.to_string(), "Enter a postcode");
    }

    #[test]
    fn text_that_cannot_be_a_postcode_is_refused_with_an_example() {
        for bad in [
            "PO1",
            "12345",
            "PO1 2A",
            "PO1 22B",
            "PO1 2A1",
            "ABCDE 1AB",
            "PO12 3ABC",
            "PO1-2AB",
            "PO1 2ÄB",
            "P01 2AB😀",
            "NPT 0AD",
            "1PO 2AB",
        ] {
            assert_eq!(normalise(bad), Err(PostcodeError::Malformed), "{bad:?}");
        }
        assert_eq!(
            PostcodeError::Malformed.to_string(),
            "Enter a real UK postcode, like PO1 2AB"
        );
    }

    #[test]
    fn a_postcode_read_from_json_is_normalised_or_refused() {
        let p: Postcode = serde_json::from_str("\"so17 1bj\"").unwrap();
        assert_eq!(p.as_str(), "SO17 1BJ");
        assert!(serde_json::from_str::<Postcode>("\"not one\"").is_err());
    }

    fn at(easting: i32, northing: i32) -> GridRef {
        GridRef { easting, northing }
    }

    #[test]
    fn distance_is_pythagoras_on_the_grid_in_miles() {
        // 3-4-5: 5,000 m is 3.107 miles.
        assert_eq!(
            miles_between(at(0, 0), at(3000, 4000)),
            Miles { tenths: 31 }
        );
        // Exactly one mile, either way round.
        assert_eq!(miles_between(at(100, 0), at(1709, 0)).tenths, 10);
        assert_eq!(miles_between(at(1709, 0), at(100, 0)).tenths, 10);
        // PO1 2AB (464025, 100179) to SO14 7DU (441976, 112213): dE 22049, dN -12034,
        // sqrt(22049² + 12034²) = 25119.2 m = 15.608 miles.
        assert_eq!(
            miles_between(at(464025, 100179), at(441976, 112213)),
            Miles { tenths: 156 }
        );
        // PO1 2AB to BN1 1AA (531040, 104624): sqrt(67015² + 4445²) = 67162.3 m = 41.733 miles.
        assert_eq!(
            miles_between(at(464025, 100179), at(531040, 104624)).tenths,
            417
        );
        assert_eq!(miles_between(at(5, 5), at(5, 5)).tenths, 0);
    }

    #[test]
    fn distances_round_to_the_nearest_tenth_of_a_mile() {
        // 0.04 miles (64.4 m) rounds down to nothing, 0.06 (96.6 m) up to a tenth.
        assert_eq!(miles_between(at(0, 0), at(64, 0)).tenths, 0);
        assert_eq!(miles_between(at(0, 0), at(97, 0)).tenths, 1);
        // The length of Great Britain fits comfortably: 1,200 km is 745.6 miles.
        assert_eq!(miles_between(at(0, 0), at(0, 1_200_000)).tenths, 7456);
    }

    #[test]
    fn miles_read_as_people_write_them() {
        assert_eq!(Miles { tenths: 156 }.to_string(), "15.6 miles");
        assert_eq!(Miles { tenths: 10 }.to_string(), "1.0 mile");
        assert_eq!(Miles { tenths: 3 }.to_string(), "0.3 miles");
        assert_eq!(Miles { tenths: 156 }.as_f64(), 15.6);
    }
}
