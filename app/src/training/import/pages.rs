//! The import pages, the same with and without JavaScript: upload (a plain multipart form
//! posting to the one upload route, which sends the browser back here with the file's id),
//! import (a server form), and the report at its own address.

use super::api::{training_records_import, ImportTrainingRecords};
use super::{
    RecordsImportPage, RecordsImportQuery, RecordsImportReport, COLUMNS, PAGE_PATH, TEMPLATE_PATH,
};
use crate::ui::{
    use_form, ErrorSummary, Loaded, RefusedImport, Select, ServerForm, StaffFrame, UploadCsvForm,
    UploadedFileSummary,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/staff/training/import`: choose the council (hub workforce leads), upload, import.
#[component]
pub fn RecordsImportUploadPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <Upload />
        </StaffFrame>
    }
}

/// `/staff/training/import/{id}`: what an import did.
#[component]
pub fn RecordsImportReportPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <Report />
        </StaffFrame>
    }
}

#[component]
fn Upload() -> impl IntoView {
    let query = use_query_map();
    let state = use_form::<ImportTrainingRecords>();
    let (errors, general) = (state.errors, state.general);
    let title = state.title("Import training records – Fostering Hub");
    // A refused import without JavaScript comes back here with the file it tried.
    let typed_file = state.typed.file.clone();
    let page = Resource::new(
        move || {
            query.with(|q| RecordsImportQuery {
                council: q.get("council").unwrap_or_default(),
                uploaded: q
                    .get("uploaded")
                    .filter(|u| !u.is_empty())
                    .unwrap_or_else(|| typed_file.clone()),
                report: String::new(),
            })
        },
        training_records_import,
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
fn UploadBody(
    page: RecordsImportPage,
    state: crate::ui::FormState<ImportTrainingRecords>,
) -> impl IntoView {
    let errors = state.errors;
    let pending = state.action.pending();
    let chosen = page.council.clone().map(|(c, _)| c).unwrap_or_default();
    let choose = (!page.councils.is_empty()).then(|| {
        let options = page.councils.clone();
        view! {
            <form method="get" action=PAGE_PATH data-testid="choose-council">
                <Select
                    name="council"
                    label="Council"
                    hint="The council whose people the records are of."
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
                "Records already held (the same person, competency and date) are not written twice."
            </p>
            <ServerForm state=state.clone() test_id="import-form">
                <input type="hidden" name="file" value=f.id.clone() />
                <button type="submit" class="button" disabled=move || pending.get()>
                    "Import records"
                </button>
            </ServerForm>
            <p class="body">
                <a class="link" href=PAGE_PATH rel="external">"Upload a different file"</a>
            </p>
            }
            .into_any()
        }
        (None, Some((_, name))) => view! {
            <h2 class="heading-m">{format!("Upload {name}'s training records")}</h2>
            <UploadCsvForm
                action=page.upload_action.clone()
                label="Records file (CSV)"
                accept=page.accept.clone()
                max_size=page.max_size.clone()
            />
        }
        .into_any(),
        (None, None) => view! {
            <p class="body">"Choose the council whose people's records you are importing."</p>
        }
        .into_any(),
    };
    let competencies = page.competencies.clone();
    view! {
        <h1 class="heading-l">"Import training records"</h1>
        <p class="body">
            "Bring a council's existing training records in from a CSV file, one row per record, so that the "
            "compliance matrix shows what people already hold from their first day."
        </p>
        <p class="body">
            <a class="link" href=TEMPLATE_PATH download="training-records-template.csv" rel="external">
                "Download the template (CSV)"
            </a>
        </p>
        {choose}
        {upload}
        <h2 class="heading-m">"The columns"</h2>
        <p class="body">
            "Columns may be in any order, but every column must be in the header and no others, and every cell filled. "
            "Cells must not start with =, +, -, @ or a tab. "
            "Rows are numbered as a spreadsheet shows them: the header is row 1."
        </p>
        <div class="table-wrap">
            <table class="table" data-testid="columns">
                <thead>
                    <tr>
                        <th scope="col">"Column"</th>
                        <th scope="col">"What goes in it"</th>
                    </tr>
                </thead>
                <tbody>
                    {COLUMNS
                        .iter()
                        .map(|c| view! { <tr><td><code>{c.name}</code></td><td>{c.help}</td></tr> })
                        .collect_view()}
                </tbody>
            </table>
        </div>
        <h3 class="heading-s">"Competencies"</h3>
        <ul class="list list--bullet" data-testid="competency-names">
            {competencies
                .into_iter()
                .map(|(name, lasts)| view! { <li>{name} " (" {lasts} ")"</li> })
                .collect_view()}
        </ul>
    }
}

#[component]
fn Report() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || RecordsImportQuery {
            report: params.with(|p| p.get("import").unwrap_or_default()),
            ..Default::default()
        },
        training_records_import,
    );
    view! {
        <Loaded resource=page loading="Loading the report…" let:page>
            {page.report.map(|r| view! { <ReportBody report=r /> })}
        </Loaded>
    }
}

fn plural(n: u32, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

#[component]
fn ReportBody(report: RecordsImportReport) -> impl IntoView {
    let r = report;
    if !r.imported {
        return view! {
            <RefusedImport
                heading="Training records not imported"
                what="anyone's training records"
                detail=format!("{}, uploaded for {}, checked at {}.", r.file_name, r.council_name, r.when)
                problems=r.problems
                problems_total=r.problems_total
                rows_refused=r.rows_refused
                retry_href=PAGE_PATH
            />
        }
        .into_any();
    }
    view! {
        <Title text="Training records imported – Fostering Hub" />
        <div class="panel panel--confirmation" data-testid="import-done">
            <h1 class="panel__title">"Training records imported"</h1>
            <div class="panel__body">
                {format!(
                    "{} added for {} at {}",
                    plural(r.records, "record", "records"),
                    plural(r.people, "person", "people"),
                    r.council_name,
                )}
            </div>
        </div>
        {(r.already_held > 0)
            .then(|| {
                view! {
                    <p class="body" data-testid="already-held">
                        {format!(
                            "{} already held, so not added again.",
                            plural(r.already_held, "record was", "records were"),
                        )}
                    </p>
                }
            })}
        <p class="body">{format!("From {}, imported by {} at {}.", r.file_name, r.by, r.when)}</p>
        <p class="body">
            <a class="link" href="/staff/training/compliance">"See the compliance matrix"</a>
        </p>
        <p class="body"><a class="link" href=PAGE_PATH>"Import more records"</a></p>
    }
    .into_any()
}
