//! Postcode questions as the domains ask them: from what someone typed, and distances.

use super::types::{Distance, Postcode, PostcodeAnswer};
use super::{db, miles_between, normalise};
use crate::error::{AppError, AppResult, FieldErrors};
use sqlx::PgPool;

/// Parses `raw` for the form field `field`: a postcode, or a validation error on that field.
pub fn parse(field: &str, raw: &str) -> AppResult<Postcode> {
    normalise(raw).map_err(|e| {
        let mut errors = FieldErrors::default();
        errors.add(field, e.to_string());
        AppError::Validation(errors)
    })
}

/// What the directory says about a postcode as typed (field `postcode` if it is malformed).
pub async fn find(pool: &PgPool, raw: &str) -> AppResult<PostcodeAnswer> {
    let postcode = parse("postcode", raw)?;
    Ok(db::lookup(pool, &postcode).await?)
}

/// The straight-line distance between two postcodes, with what the directory said of each.
pub async fn distance(pool: &PgPool, from: &Postcode, to: &Postcode) -> AppResult<Distance> {
    let mut answers = db::lookup_many(pool, &[from.clone(), to.clone()]).await?;
    let to = answers.pop().expect("two answers");
    let from = answers.pop().expect("two answers");
    Ok(measure(from, to))
}

/// Distances from one postcode to many (a child's home to every carer's), in the order given,
/// with one query for all of them.
pub async fn distances_from(
    pool: &PgPool,
    from: &Postcode,
    to: &[Postcode],
) -> AppResult<Vec<Distance>> {
    let origin = db::lookup(pool, from).await?;
    Ok(db::lookup_many(pool, to)
        .await?
        .into_iter()
        .map(|answer| measure(origin.clone(), answer))
        .collect())
}

fn measure(from: PostcodeAnswer, to: PostcodeAnswer) -> Distance {
    let miles = from.grid().zip(to.grid()).map(|(a, b)| miles_between(a, b));
    Distance { from, to, miles }
}
