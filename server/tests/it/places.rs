//! Postcode places against a real database, with real rows of the ONS Postcode Directory
//! (`fixtures/postcodes.csv`, copied from `data/postcodes.csv.gz`) loaded by the product's loader.

use crate::support::*;
use app::error::AppError;
use app::places::db::{self, Loaded};
use app::places::{service, GridRef, Miles, Postcode, PostcodeAnswer};
use sqlx::PgPool;
use std::io::BufRead;
use std::path::Path;

const FIXTURE: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/it/fixtures/postcodes.csv"
);
const FIXTURE_ROWS: u64 = 11;

/// The councils as every environment has them, and the fixture directory.
async fn directory(pool: &PgPool) {
    server::seed::councils(pool).await.expect("seed councils");
    let loaded = db::load_file(pool, Path::new(FIXTURE), false)
        .await
        .unwrap();
    assert_eq!(loaded, Loaded::Rows(FIXTURE_ROWS));
}

fn pc(raw: &str) -> Postcode {
    app::places::normalise(raw).unwrap()
}

fn place(answer: &PostcodeAnswer) -> &app::places::Place {
    match answer {
        PostcodeAnswer::Found(p) => p,
        other => panic!("expected a postcode in use, got {other:?}"),
    }
}

async fn council_id(pool: &PgPool, code: &str) -> uuid::Uuid {
    sqlx::query_scalar!("select council_id from council where code = $1", code)
        .fetch_one(pool)
        .await
        .unwrap()
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn distance_between_two_known_postcodes_matches_the_grid_arithmetic(pool: PgPool) {
    directory(&pool).await;

    let d = service::distance(&pool, &pc("po1 2ab"), &pc("SO14 7DU"))
        .await
        .unwrap();
    let (a, b) = (d.from.grid().unwrap(), d.to.grid().unwrap());
    assert_eq!(
        (a, b),
        (
            GridRef {
                easting: 464025,
                northing: 100179
            },
            GridRef {
                easting: 441976,
                northing: 112213
            }
        )
    );
    // sqrt(22049² + 12034²) = 25,119.2 m; / 1,609.344 = 15.608 miles.
    let by_hand = (22049f64.powi(2) + 12034f64.powi(2)).sqrt() / 1609.344;
    assert_eq!(d.miles, Some(Miles { tenths: 156 }));
    assert!((d.miles.unwrap().as_f64() - by_hand).abs() < 0.05);

    // Portsmouth to Brighton: sqrt(67015² + 4445²) = 67,162.3 m = 41.7 miles, either way round.
    let there = service::distance(&pool, &pc("PO1 2AB"), &pc("BN1 1AA"))
        .await
        .unwrap();
    let back = service::distance(&pool, &pc("BN1 1AA"), &pc("PO1 2AB"))
        .await
        .unwrap();
    assert_eq!(there.miles, Some(Miles { tenths: 417 }));
    assert_eq!(back.miles, there.miles);
    assert_eq!(there.miles.unwrap().to_string(), "41.7 miles");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn distances_from_one_postcode_to_thousands_come_back_in_order_from_one_lookup(pool: PgPool) {
    directory(&pool).await;
    let known = ["PO4 0LE", "SO17 1BJ", "BN1 2RE", "SO23 9LJ", "ZZ9 9ZZ"];
    let carers: Vec<Postcode> = (0..3000).map(|i| pc(known[i % known.len()])).collect();

    let distances = service::distances_from(&pool, &pc("PO1 2AB"), &carers)
        .await
        .unwrap();

    assert_eq!(distances.len(), 3000);
    for (d, asked) in distances.iter().zip(&carers) {
        assert_eq!(d.to.postcode(), asked);
        assert_eq!(d.from.postcode().as_str(), "PO1 2AB");
    }
    let miles: Vec<Option<u32>> = distances[..5]
        .iter()
        .map(|d| d.miles.map(|m| m.tenths))
        .collect();
    // By hand: PO4 0LE sqrt(1355² + 1075²) = 1,729.6 m = 1.07 mi; SO17 1BJ sqrt(21465² +
    // 14956²) = 26,161.6 m = 16.26 mi; BN1 2RE sqrt(66775² + 4048²) = 66,897.6 m = 41.57 mi;
    // SO23 9LJ sqrt(15670² + 29120²) = 33,068.5 m = 20.55 mi; ZZ9 9ZZ is not a postcode.
    assert_eq!(miles, vec![Some(11), Some(163), Some(416), Some(205), None]);
    assert!(matches!(distances[4].to, PostcodeAnswer::Unknown(_)));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_postcode_names_its_councils_and_our_member_council_when_it_is_one(pool: PgPool) {
    directory(&pool).await;

    let portsmouth = service::find(&pool, "po12ab").await.unwrap();
    let p = place(&portsmouth);
    assert_eq!(p.postcode.as_str(), "PO1 2AB");
    assert_eq!(p.lower_tier.as_deref(), Some("E06000044"));
    assert_eq!(p.upper_tier.as_deref(), Some("E06000044"));
    assert_eq!(p.council_id, Some(council_id(&pool, "portsmouth").await));

    // Winchester is a district: the member council is the county, Hampshire.
    let winchester = service::find(&pool, "SO23 9LJ").await.unwrap();
    let w = place(&winchester);
    assert_eq!(w.lower_tier.as_deref(), Some("E07000094"));
    assert_eq!(w.upper_tier.as_deref(), Some("E10000014"));
    assert_eq!(w.council_id, Some(council_id(&pool, "hampshire").await));

    // Cardiff is known but not one of ours.
    let cardiff = service::find(&pool, "CF10 1AA").await.unwrap();
    assert_eq!(place(&cardiff).council_id, None);
    assert_eq!(place(&cardiff).upper_tier.as_deref(), Some("W06000015"));

    // Every seeded member has its ONS code; the hub has none.
    let missing = sqlx::query_scalar!(
        r#"select count(*) as "n!" from council where (kind = 'member') = (ons_code is null)"#
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    assert_eq!(missing, 0);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn an_unknown_postcode_is_a_clear_answer_not_an_error(pool: PgPool) {
    directory(&pool).await;

    let answer = service::find(&pool, "zz9 9zz").await.unwrap();
    assert_eq!(answer, PostcodeAnswer::Unknown(pc("ZZ9 9ZZ")));
    assert_eq!(
        answer.why_no_distance().unwrap(),
        "ZZ9 9ZZ is not a postcode in the ONS Postcode Directory: check it"
    );

    let d = service::distance(&pool, &pc("PO1 2AB"), &pc("ZZ9 9ZZ"))
        .await
        .unwrap();
    assert_eq!(d.miles, None);
    assert!(matches!(d.from, PostcodeAnswer::Found(_)));
    assert!(matches!(d.to, PostcodeAnswer::Unknown(_)));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_terminated_postcode_says_since_when_and_gets_no_distance(pool: PgPool) {
    directory(&pool).await;

    // AB1 0AA went out of use in June 1996 when Aberdeen's postcodes were recoded.
    let answer = service::find(&pool, "AB1 0AA").await.unwrap();
    let PostcodeAnswer::Terminated {
        terminated_on,
        last_known,
    } = &answer
    else {
        panic!("expected terminated, got {answer:?}");
    };
    assert_eq!(terminated_on.to_string(), "1996-06-01");
    assert_eq!(
        last_known.grid,
        Some(GridRef {
            easting: 385386,
            northing: 801193
        })
    );
    assert_eq!(answer.grid(), None);
    assert_eq!(
        answer.why_no_distance().unwrap(),
        "AB1 0AA has not been in use since June 1996: check the address"
    );
    let d = service::distance(&pool, &pc("AB1 0AA"), &pc("PO1 2AB"))
        .await
        .unwrap();
    assert_eq!(d.miles, None);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_postcode_off_the_british_grid_is_known_but_gets_no_distance(pool: PgPool) {
    directory(&pool).await;

    // Northern Ireland's references are on the Irish Grid: a line to Portsmouth would be wrong.
    let belfast = service::find(&pool, "BT1 1AA").await.unwrap();
    assert_eq!(place(&belfast).grid, None);
    assert_eq!(place(&belfast).upper_tier.as_deref(), Some("N09000003"));
    assert!(belfast
        .why_no_distance()
        .unwrap()
        .contains("no grid reference"));
    let d = service::distance(&pool, &pc("BT1 1AA"), &pc("PO1 2AB"))
        .await
        .unwrap();
    assert_eq!(d.miles, None);

    // Girobank's special postcode is accepted and known, with no place on the map.
    let giro = service::find(&pool, "gir 0aa").await.unwrap();
    assert_eq!(place(&giro).grid, None);
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn malformed_input_is_a_validation_message_on_the_field(pool: PgPool) {
    directory(&pool).await;

    for (raw, message) in [
        ("PO1 22B", "Enter a real UK postcode, like PO1 2AB"),
        ("not a postcode", "Enter a real UK postcode, like PO1 2AB"),
        ("  ", "Enter a postcode"),
    ] {
        let err = service::find(&pool, raw).await.unwrap_err();
        let AppError::Validation(fields) = &err else {
            panic!("{raw:?}: expected a validation error, got {err:?}");
        };
        assert_eq!(fields.get("postcode"), Some(message), "{raw:?}");
        assert_eq!(err.status(), 422);
    }
    let err = service::parse("home_postcode", "12345").unwrap_err();
    assert!(err.field_errors().unwrap().get("home_postcode").is_some());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn loading_replaces_the_directory_and_a_load_if_empty_leaves_a_loaded_one_alone(
    pool: PgPool,
) {
    directory(&pool).await;
    let path = Path::new(FIXTURE);

    assert_eq!(
        db::load_file(&pool, path, true).await.unwrap(),
        Loaded::AlreadyLoaded
    );
    assert_eq!(
        db::load_file(&pool, path, false).await.unwrap(),
        Loaded::Rows(FIXTURE_ROWS)
    );
    let rows = sqlx::query_scalar!(r#"select count(*) as "n!" from postcode"#)
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(rows, FIXTURE_ROWS as i64);
    assert!(!db::is_empty(&pool).await.unwrap());
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_file_with_other_columns_is_refused_and_the_directory_stays_as_it_was(pool: PgPool) {
    directory(&pool).await;

    // Northing and easting swapped: loading it would put every postcode in the wrong place.
    let swapped = "postcode,northing,easting,lower_tier,upper_tier,terminated_on\n\
                   PO1 2AB,100179,464025,E06000044,E06000044,\n";
    assert!(db::load(&pool, swapped.as_bytes(), false).await.is_err());

    let d = service::distance(&pool, &pc("PO1 2AB"), &pc("SO14 7DU"))
        .await
        .unwrap();
    assert_eq!(d.miles, Some(Miles { tenths: 156 }));
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn the_committed_directory_loads_with_the_products_loader(pool: PgPool) {
    // The first few thousand rows of the real file (the whole country takes half a minute).
    let file = concat!(env!("CARGO_MANIFEST_DIR"), "/../data/postcodes.csv.gz");
    let gz = flate2::read::GzDecoder::new(std::fs::File::open(file).unwrap());
    let mut head = String::new();
    for line in std::io::BufReader::new(gz).lines().take(5001) {
        head.push_str(&line.unwrap());
        head.push('\n');
    }
    let loaded = db::load(&pool, head.as_bytes(), false).await.unwrap();
    assert_eq!(loaded, Loaded::Rows(5000));
    let first = db::lookup(&pool, &pc("AB1 0AA")).await.unwrap();
    assert_eq!(
        first.grid(),
        Some(GridRef {
            easting: 385386,
            northing: 801193
        })
    );
}
