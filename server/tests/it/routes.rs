//! The route list (`server routes`), which the browser tests' accessibility sweep reads to find
//! every page: it must name every page, and every page it names must be servable, so a page
//! added later is swept without anyone extending a list.

use crate::support::*;
use axum::{body::Body, http::Request};
use sqlx::PgPool;

/// Fills every `{parameter}` of a route-list path with `value`, or with a demo record's for the
/// register's parameters (a household of Portsmouth's, its placement and its hold).
fn fill(path: &str, value: &str) -> String {
    // A panel's pages open the case booked on the demo panel.
    let panels = path.starts_with("/staff/panels");
    path.split('/')
        .map(|segment| match segment {
            "{panel}" => server::seed_assessments::DEMO_PANEL_ID,
            "{case}" if panels => server::seed_assessments::DEMO_PANEL_CASE,
            "{section}" if path.starts_with("/staff/assessments") => "b1",
            "{council}" => "portsmouth",
            "{household}" => "PTH-001",
            "{placement}" => server::seed_register::DEMO_PLACEMENT_ID,
            "{hold}" => server::seed_register::DEMO_HOLD_ID,
            "{case}" => server::seed_assessments::DEMO_CASE,
            "{check}" => server::seed_assessments::DEMO_CHECK_ID,
            "{kind}" if path.starts_with("/staff/assessments") => "approval",
            "{session}" => server::seed_training::DEMO_SESSION_ID,
            "{certificate}" => server::seed_training::DEMO_CERTIFICATE,
            s if s.starts_with('{') && s.ends_with('}') => value,
            s => s,
        })
        .collect::<Vec<_>>()
        .join("/")
}

/// A page request as a browser makes it, following redirects within the site; answers the last
/// reply and the path it came from.
async fn visit(app: &axum::Router, path: &str, cookie: Option<&str>) -> (String, Reply) {
    let mut path = path.to_string();
    for _ in 0..5 {
        let mut req = Request::get(&path).header("accept", "text/html");
        if let Some(c) = cookie {
            req = req.header("cookie", c);
        }
        let reply = send(app, req.body(Body::empty()).unwrap()).await;
        match reply.location() {
            Some(to) if (300..400).contains(&reply.status) && to.starts_with('/') => {
                path = to.to_string()
            }
            _ => return (path, reply),
        }
    }
    panic!("{path}: too many redirects");
}

#[test]
fn the_route_list_names_every_page_including_lazy_ones_and_those_with_a_parameter() {
    let paths = server::routes::page_paths();
    for page in [
        "/",
        "/enquire",
        "/enquire/thank-you/{reference}",
        "/staff/sign-in",
        "/staff/enquiries",
        "/staff/enquiries/{reference}",
        "/staff/councils",
        "/staff/mail",
    ] {
        assert!(
            paths.iter().any(|p| p == page),
            "{page} missing from {paths:?}"
        );
    }
    let mut sorted = paths.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(paths, sorted, "sorted, each once");
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn every_listed_staff_page_sends_an_anonymous_visitor_to_sign_in_and_every_other_is_public(
    pool: PgPool,
) {
    let app = demo(&pool).await;
    for listed in server::routes::page_paths() {
        let page = fill(&listed, "FH-AAAA-AAAA");
        let (landed, reply) = visit(&app, &page, None).await;
        let staff =
            (listed == "/staff" || listed.starts_with("/staff/")) && listed != "/staff/sign-in";
        // Household members' own pages (not the pages for signing in) send nobody to ask for a
        // sign-in link.
        let member = app::accounts::rules::member_may_reach(&listed)
            && !listed.starts_with("/account/sign-in");
        if staff {
            assert!(
                landed.starts_with("/staff/sign-in?next=/staff"),
                "{listed}: an anonymous visitor landed on {landed}"
            );
        } else if member {
            assert_eq!(landed, "/account/sign-in", "{listed}");
        } else {
            assert_eq!(landed, page, "{listed}: public, so no redirect");
        }
        assert_eq!(reply.status, 200, "{listed} (at {landed}): {}", reply.body);
    }
}

#[sqlx::test(migrator = "MIGRATIONS")]
async fn every_listed_page_answers_an_administrator_with_a_page(pool: PgPool) {
    let app = demo(&pool).await;
    let sent = post_form(
        &app,
        "/enquire",
        encode(&valid_enquiry_fields(
            "route.list@example.com",
            "5a0c2a4e-2f61-4c47-9d59-6f1c2b7a0e11",
        )),
    )
    .await;
    let reference = sent
        .location()
        .and_then(|l| l.strip_prefix("/enquire/thank-you/"))
        .expect("a reference")
        .to_string();
    let admin = sign_in(&app, ADMIN).await;
    let import = crate::carers_import::an_import(&app, &pool, &admin).await;
    // The placement search's pages are the placement officers' own (an administrator places no
    // child): opened as the hub's, with a search of Portsmouth's and a household it may show.
    let officer = sign_in(&app, "placements@example.org").await;
    let search = crate::support::matrix::portsmouth_search(&pool).await;
    // Importing training records is the workforce leads' (an administrator keeps no records).
    let lead = sign_in(&app, WORKFORCE).await;
    let records = crate::training_import::an_import(&app, &pool, &lead).await;
    // A person's training records: the administrator's own (they see the region's).
    let person: uuid::Uuid =
        sqlx::query_scalar("select staff_user_id from staff_user where email = $1")
            .bind(ADMIN)
            .fetch_one(&pool)
            .await
            .unwrap();
    let person = format!("staff-{person}");
    // Returns are imported by commissioners (the hub's here): their pages are theirs.
    let commissioner = sign_in(&app, "commissioner@example.org").await;
    let returns_import = crate::sufficiency::an_import(&pool).await;
    // Someone living in the demo's PTH-003, for the page that records them moving out.
    let household_member: String = sqlx::query_scalar(
        "select household_member_id::text from household_member where full_name = 'Ellis Lewis'",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    for listed in server::routes::page_paths() {
        let sufficiency = listed.starts_with("/staff/sufficiency");
        let placements = listed.starts_with("/staff/placements");
        // As are the approvals (team managers and workforce leads decide requests).
        let records_import = listed.starts_with("/staff/training/import")
            || listed.starts_with("/staff/training/approvals");
        let page = if sufficiency {
            listed.replace("{import}", &returns_import)
        } else if placements {
            listed
                .replace("{search}", &search)
                .replace("{council}", "hampshire")
                .replace("{household}", "HAM-101")
        } else if records_import {
            listed.replace("{import}", &records)
        } else {
            let listed = if listed.contains("{member}") {
                listed
                    .replace("{council}", "portsmouth")
                    .replace("{household}", "PTH-003")
                    .replace("{member}", &household_member)
            } else {
                listed.clone()
            };
            fill(
                &listed
                    .replace("{import}", &import)
                    .replace("{person}", &person),
                &reference,
            )
        };
        let who = match (placements, records_import) {
            _ if sufficiency => &commissioner,
            (true, _) => &officer,
            (_, true) => &lead,
            _ => &admin,
        };
        let (landed, reply) = visit(&app, &page, Some(who)).await;
        assert!(
            !landed.starts_with("/staff/sign-in?"),
            "{listed}: sent to sign in"
        );
        // A household member's own page refuses staff, administrators included.
        let members_own = app::accounts::rules::member_may_reach(&listed)
            && !listed.starts_with("/account/sign-in");
        let expected = if members_own { 403 } else { 200 };
        assert_eq!(
            reply.status, expected,
            "{listed} (at {landed}): {}",
            reply.body
        );
    }
}

/// Whatever the client accepts (a script's `*/*`, or nothing), a staff page redirects an
/// anonymous request to sign in: a redirect status, not 200 with an empty body.
#[sqlx::test(migrator = "MIGRATIONS")]
async fn a_staff_page_redirects_any_anonymous_client_to_sign_in_not_only_a_browser(pool: PgPool) {
    let app = demo(&pool).await;
    for accept in [Some("*/*"), Some("application/json"), None] {
        let mut req = Request::get("/staff/enquiries?page=2");
        if let Some(a) = accept {
            req = req.header("accept", a);
        }
        let reply = send(&app, req.body(Body::empty()).unwrap()).await;
        assert_eq!(reply.status, 302, "accept {accept:?}: {}", reply.body);
        assert_eq!(
            reply.location(),
            Some("/staff/sign-in?next=/staff/enquiries%3Fpage%3D2"),
            "accept {accept:?}"
        );
    }
}
