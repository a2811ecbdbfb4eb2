//! Comparison with the reference fixtures: written once they exist.
