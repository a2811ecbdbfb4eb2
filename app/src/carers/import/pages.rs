//! The import pages, the same with and without JavaScript: upload (a plain multipart form
//! posting to the one upload route, which sends the browser back here with the file's id),
//! import (a server form), and the report at its own address.

use super::api::{register_import_page, ImportRegister};
use super::{ImportPage, ImportQuery, ImportReport, COLUMNS, TEMPLATE_PATH};
use crate::ui::{use_form, ErrorSummary, ServerForm, StaffFrame};
use crate::ui::{Loaded, RefusedImport, Select, UploadCsvForm, UploadedFileSummary};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/staff/carers/import`: choose the council (hub staff), upload the file, import it.
#[component]
pub fn RegisterImportPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <Upload />
        </StaffFrame>
    }
}

/// `/staff/carers/import/{id}`: what an import did.
#[component]
pub fn RegisterImportReportPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <Report />
        </StaffFrame>
    }
}

#[component]
fn Upload() -> impl IntoView {
    let query = use_query_map();
    let state = use_form::<ImportRegister>();
    let (errors, general) = (state.errors, state.general);
    let title = state.title("Import a carer register – Fostering Hub");
    // A refused import without JavaScript comes back here with the file it tried.
    let typed_file = state.typed.file.clone();
    let page = Resource::new(
        move || {
            query.with(|q| ImportQuery {
                council: q.get("council").unwrap_or_default(),
                uploaded: q
                    .get("uploaded")
                    .filter(|u| !u.is_empty())
                    .unwrap_or_else(|| typed_file.clone()),
                report: String::new(),
            })
        },
        register_import_page,
    );
    view! {
        <Title text=title />
        <ErrorSummary errors=errors general=general />
        <Loaded resource=page loading="Loading…" let:page>
            <UploadBody page=page state=state.clone() />
        </Loaded>
    }
}

#[component]
fn UploadBody(page: ImportPage, state: crate::ui::FormState<ImportRegister>) -> impl IntoView {
    let errors = state.errors;
    let pending = state.action.pending();
    let chosen = page.council.clone().map(|(c, _)| c).unwrap_or_default();
    let choose = (!page.councils.is_empty()).then(|| {
        let options = page.councils.clone();
        view! {
            <form method="get" action="/staff/carers/import" data-testid="choose-council">
                <Select
                    name="council"
                    label="Council"
                    hint="The council whose register this is."
                    options=options
                    selected=chosen.clone()
                    errors=errors
                />
                <button type="submit" class="button button--secondary">"Choose council"</button>
            </form>
        }
    });
    let upload = match (&page.file, &page.council) {
        (Some(file), _) => {
            let f = file.clone();
            view! {
                <h2 class="heading-m">"Check the file and import it"</h2>
                <UploadedFileSummary file=f.clone() />
                <p class="body">
                    "Every row is checked. If any row has a problem, nothing is imported and you see every problem to fix. "
                    "Carers with an email address are emailed a link to sign in to the carer portal."
                </p>
                <ServerForm state=state.clone() test_id="import-form">
                    <input type="hidden" name="file" value=f.id.clone() />
                    <button type="submit" class="button" disabled=move || pending.get()>
                        "Import register"
                    </button>
                </ServerForm>
                <p class="body">
                    <a class="link" href="/staff/carers/import" rel="external">"Upload a different file"</a>
                </p>
            }
            .into_any()
        }
        (None, Some((_, name))) => view! {
            <h2 class="heading-m">{format!("Upload {name}'s register")}</h2>
            <UploadCsvForm
                action=page.upload_action.clone()
                label="Register file (CSV)"
                accept=page.accept.clone()
                max_size=page.max_size.clone()
            />
        }
        .into_any(),
        (None, None) => view! {
            <p class="body">"Choose the council whose register you are importing."</p>
        }
        .into_any(),
    };
    let skills = page.skills.clone();
    view! {
        <h1 class="heading-l">"Import a carer register"</h1>
        <p class="body">
            "Bring a council's existing register of approved foster carers in from a CSV file: one row per carer, "
            "the rows of a household sharing its reference (a household has 1 or 2 carers)."
        </p>
        <p class="body">
            <a class="link" href=TEMPLATE_PATH download="carer-register-template.csv" rel="external">
                "Download the template (CSV)"
            </a>
        </p>
        {choose}
        {upload}
        <h2 class="heading-m">"The columns"</h2>
        <p class="body">
            "Columns may be in any order, but every column must be in the header and no others. "
            "Cells must not start with =, +, -, @ or a tab (a phone number may start with +). "
            "Rows are numbered as a spreadsheet shows them: the header is row 1."
        </p>
        <div class="table-wrap">
            <table class="table" data-testid="columns">
                <thead>
                    <tr>
                        <th scope="col">"Column"</th>
                        <th scope="col">"Required"</th>
                        <th scope="col">"What goes in it"</th>
                    </tr>
                </thead>
                <tbody>
                    {COLUMNS
                        .iter()
                        .map(|c| {
                            view! {
                                <tr>
                                    <td><code>{c.name}</code></td>
                                    <td>{if c.required { "Yes" } else { "No" }}</td>
                                    <td>
                                        {c.help}
                                        {c.household.then_some(" The same on each of the household's rows.")}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <h3 class="heading-s">"Skill codes"</h3>
        <ul class="list list--bullet" data-testid="skill-codes">
            {skills
                .into_iter()
                .map(|(code, label)| view! { <li><code>{code}</code> ": " {label}</li> })
                .collect_view()}
        </ul>
    }
}

#[component]
fn Report() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || ImportQuery {
            report: params.with(|p| p.get("import").unwrap_or_default()),
            ..Default::default()
        },
        register_import_page,
    );
    view! {
        <Loaded resource=page loading="Loading the report…" let:page>
            {page.report.map(|r| view! { <ReportBody report=r /> })}
        </Loaded>
    }
}

#[component]
fn ReportBody(report: ImportReport) -> impl IntoView {
    let r = report;
    if r.imported {
        let title = "Register imported – Fostering Hub";
        return view! {
            <Title text=title />
            <div class="panel panel--confirmation" data-testid="import-done">
                <h1 class="panel__title">"Register imported"</h1>
                <div class="panel__body">
                    {format!(
                        "{} {} and {} {} added to {}'s register",
                        r.households,
                        if r.households == 1 { "household" } else { "households" },
                        r.carers,
                        if r.carers == 1 { "carer" } else { "carers" },
                        r.council_name,
                    )}
                </div>
            </div>
            <p class="body" data-testid="invited">
                {format!(
                    "{} {} emailed a link to sign in to the carer portal.",
                    r.invited,
                    if r.invited == 1 { "carer was" } else { "carers were" },
                )}
            </p>
            <p class="body">{format!("From {}, imported by {} at {}.", r.file_name, r.by, r.when)}</p>
            <p class="body"><a class="link" href="/staff/carers/import">"Import another register"</a></p>
        }
        .into_any();
    }
    view! {
        <RefusedImport
            heading="Register not imported"
            what=format!("{}'s register", r.council_name)
            detail=format!("{}, uploaded for {}, checked at {}.", r.file_name, r.council_name, r.when)
            problems=r.problems
            problems_total=r.problems_total
            rows_refused=r.rows_refused
            retry_href="/staff/carers/import"
        />
    }
    .into_any()
}
