//! The returns' pages, the same with and without JavaScript: the data page (upload files one
//! at a time, each posting to the one upload route, which sends the browser back here with the
//! files so far; then import them together) and an import's page (its progress, refreshed by
//! the page itself with JavaScript and by a link without; then its report).

use super::api::{returns_import_view, sufficiency_data_page, StartReturnsImport};
use super::{DataPage, DataQuery, ImportReport, ImportView};
use crate::sufficiency::ssda903::FileReport;
use crate::ui::UploadedFileSummary;
use crate::ui::{use_form, ErrorSummary, Loaded, Select, ServerForm, StaffFrame};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

/// `/staff/sufficiency/data`: the returns kept, and importing more.
#[component]
pub fn ReturnsDataPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <Data />
        </StaffFrame>
    }
}

/// `/staff/sufficiency/imports/{import}`: an import's progress and report.
#[component]
pub fn ReturnsImportPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <Import />
        </StaffFrame>
    }
}

#[component]
fn Data() -> impl IntoView {
    let query = use_query_map();
    let state = use_form::<StartReturnsImport>();
    let (errors, general) = (state.errors, state.general);
    let title = state.title("SSDA903 returns – Fostering Hub");
    // A refused import without JavaScript comes back here with the files it was given.
    let typed_files = state.typed.files.clone();
    let page = Resource::new(
        move || {
            query.with(|q| DataQuery {
                council: q.get("council").unwrap_or_default(),
                uploaded: q
                    .get("uploaded")
                    .filter(|u| !u.is_empty())
                    .unwrap_or_else(|| typed_files.clone()),
            })
        },
        sufficiency_data_page,
    );
    view! {
        <Title text=title />
        <ErrorSummary errors=errors general=general />
        <Loaded resource=page loading="Loading…" let:page>
            <DataBody page=page state=state.clone() />
        </Loaded>
    }
}

#[component]
fn DataBody(page: DataPage, state: crate::ui::FormState<StartReturnsImport>) -> impl IntoView {
    let errors = state.errors;
    let pending = state.action.pending();
    let chosen = page.council.clone().map(|(c, _)| c).unwrap_or_default();
    let choose = (page.councils.len() > 1).then(|| {
        let options = page.councils.clone();
        view! {
            <form method="get" action="/staff/sufficiency/data" data-testid="choose-council">
                <Select
                    name="council"
                    label="Council"
                    hint="The council whose files these are. Files with LA and YEAR columns, or a zip with a folder per council, may hold several councils."
                    options=options
                    selected=chosen.clone()
                    errors=errors
                />
                <button type="submit" class="button button--secondary">"Choose council"</button>
            </form>
        }
    });
    let upload = (!page.upload_action.is_empty()).then(|| {
        let heading = if page.staged.is_empty() { "Upload the files" } else { "Upload another file" };
        view! {
            <h2 class="heading-m">{heading}</h2>
            <form method="post" enctype="multipart/form-data" action=page.upload_action.clone() data-testid="upload-form">
                <div class="form-group">
                    <label class="label" for="file">"Header, Episodes or UASC file (CSV), or a zip of them"</label>
                    <div class="hint" id="file-hint">
                        {format!(
                            "Up to {}. Upload one file at a time; they are imported together. A zip may hold several councils' and years' files, in folders named for the council and year (for example portsmouth/2024/episodes.csv). The DfE's published placement location file (placement distance locality, as CSV) may come too: England's and the region's figures then stand beside the councils'.",
                            page.max_size,
                        )}
                    </div>
                    <input class="file-upload" id="file" name="file" type="file" accept=page.accept.clone() aria-describedby="file-hint" />
                </div>
                <button type="submit" class="button">"Upload file"</button>
            </form>
        }
    });
    let staged = (!page.staged.is_empty()).then(|| {
        let years: Vec<(String, String)> =
            std::iter::once((String::new(), "Taken from the files".to_string()))
                .chain(page.years.clone())
                .collect();
        let files = page.staged.clone();
        let ids = page.staged_ids.clone();
        view! {
            <h2 class="heading-m">"Import the files"</h2>
            {files.into_iter().map(|f| view! { <UploadedFileSummary file=f /> }).collect_view()}
            <ServerForm state=state.clone() test_id="import-form">
                <input type="hidden" name="files" value=ids />
                <Select
                    name="year"
                    label="Collection year"
                    hint="For files with no YEAR column and no year in their name. Leave it if every file says its year."
                    options=years
                    selected=String::new()
                    errors=errors
                />
                <p class="body">
                    "Each council's year in these files replaces the one kept before. Rows that cannot be used are left out and listed in the report."
                </p>
                <button type="submit" class="button" disabled=move || pending.get()>"Import files"</button>
            </ServerForm>
            <p class="body"><a class="link" href="/staff/sufficiency/data" rel="external">"Start again with other files"</a></p>
        }
    });
    let returns = page.returns.clone();
    let imports = page.imports.clone();
    view! {
        <h1 class="heading-l">"SSDA903 returns"</h1>
        <p class="body">
            "The demand forecast stands on councils' SSDA903 returns: the Header, Episodes and UASC files each council sends the Department for Education. "
            "Dates of birth are kept as the month only, postcodes as the sector only, and UPNs and mothers' details are not kept at all."
        </p>
        {choose}
        {staged}
        {upload}
        <h2 class="heading-m">"Returns kept"</h2>
        {if returns.is_empty() {
            view! { <p class="body" data-testid="no-returns">"No returns have been imported yet."</p> }.into_any()
        } else {
            view! {
                <div class="table-wrap">
                    <table class="table" data-testid="returns">
                        <caption class="table__caption">"Returns by council and collection year"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Council"</th>
                                <th scope="col">"Year"</th>
                                <th scope="col" class="table__numeric">"Children (Header)"</th>
                                <th scope="col" class="table__numeric">"Episodes"</th>
                                <th scope="col" class="table__numeric">"UASC"</th>
                                <th scope="col" class="table__numeric">"Rows left out"</th>
                                <th scope="col">"Imported"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {returns.into_iter().map(|r| view! {
                                <tr>
                                    <td>{r.council_name}</td>
                                    <td>{r.year_label}</td>
                                    <td class="table__numeric">{r.header_rows}</td>
                                    <td class="table__numeric">{r.episode_rows}</td>
                                    <td class="table__numeric">{r.uasc_rows}</td>
                                    <td class="table__numeric">{r.rows_refused}</td>
                                    <td><a class="link" href=format!("/staff/sufficiency/imports/{}", r.import_id)>{r.imported}</a></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            }.into_any()
        }}
        {(!imports.is_empty()).then(|| view! {
            <h2 class="heading-m">"Recent imports"</h2>
            <ul class="list" data-testid="imports">
                {imports.into_iter().map(|i| view! {
                    <li>
                        <a class="link" href=format!("/staff/sufficiency/imports/{}", i.id)>
                            {format!("{} – {} file{} by {}", i.when, i.files, if i.files == 1 { "" } else { "s" }, i.by)}
                        </a>
                        " "
                        <StatusTag status=i.status />
                    </li>
                }).collect_view()}
            </ul>
        })}
    }
}

#[component]
fn StatusTag(status: String) -> impl IntoView {
    let (label, class) = match status.as_str() {
        "waiting" => ("Waiting", "tag tag--grey"),
        "running" => ("Importing", "tag tag--blue"),
        "done" => ("Imported", "tag tag--green"),
        _ => ("Not imported", "tag tag--red"),
    };
    view! { <strong class=class>{label}</strong> }
}

#[component]
fn Import() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.with(|p| p.get("import").unwrap_or_default());
    let page = Resource::new(id, returns_import_view);
    // With JavaScript, the page asks again every two seconds until the import has finished.
    #[cfg(feature = "hydrate")]
    {
        let handle = set_interval_with_handle(
            move || {
                let running = page
                    .get_untracked()
                    .and_then(Result::ok)
                    .is_some_and(|v| v.finished.is_none());
                if running {
                    page.refetch();
                }
            },
            std::time::Duration::from_secs(2),
        );
        if let Ok(handle) = handle {
            on_cleanup(move || handle.clear());
        }
    }
    view! {
        <Loaded resource=page loading="Loading the import…" let:view>
            <ImportBody view=view />
        </Loaded>
    }
}

#[component]
fn ImportBody(view: ImportView) -> impl IntoView {
    let v = view;
    let here = format!("/staff/sufficiency/imports/{}", v.summary.id);
    let head = format!(
        "{} file{} for {}, by {} at {}.",
        v.summary.files,
        if v.summary.files == 1 { "" } else { "s" },
        v.summary.council_name,
        v.summary.by,
        v.summary.when
    );
    if v.finished.is_none() {
        let (done, total) = v.progress.unwrap_or((0, 1));
        let percent = if total > 0 { done * 100 / total } else { 0 };
        return view! {
            <Title text="Importing returns – Fostering Hub" />
            <h1 class="heading-l">"Importing returns"</h1>
            <p class="body">{head}</p>
            <div class="form-group" data-testid="import-progress">
                <label class="label" for="progress">
                    {v.progress_message.clone().unwrap_or_else(|| "Waiting to start".to_string())}
                </label>
                <progress id="progress" max="100" value=percent.to_string()>{format!("{percent}%")}</progress>
            </div>
            <p class="body">"You can leave this page and come back: the import carries on."</p>
            <p class="body"><a class="link" href=here rel="external">"Refresh to see progress"</a></p>
        }
        .into_any();
    }
    let report = v.report.clone();
    let refused = report.refused.clone();
    let title = if refused.is_some() {
        "Error: Returns not imported – Fostering Hub"
    } else {
        "Returns imported – Fostering Hub"
    };
    view! {
        <Title text=title />
        {match refused {
            Some(why) => view! {
                <div class="error-summary" role="alert" tabindex="-1" aria-labelledby="error-summary-title" data-testid="error-summary">
                    <h2 id="error-summary-title" class="error-summary__title">"There is a problem"</h2>
                    <p class="body">{why}</p>
                    <ul class="list error-summary__list">
                        {report.files.iter().filter_map(|f| f.file_refusal.clone().map(|m| (f.name.clone(), m))).map(|(name, m)| view! {
                            <li><a href=format!("#{}", anchor(&name))>{format!("{name}: {m}")}</a></li>
                        }).collect_view()}
                    </ul>
                </div>
                <h1 class="heading-l">"Returns not imported"</h1>
            }.into_any(),
            None => view! {
                <div class="panel panel--confirmation" data-testid="import-done">
                    <h1 class="panel__title">"Returns imported"</h1>
                </div>
            }.into_any(),
        }}
        <p class="body">{head}</p>
        {v.finished.clone().map(|f| view! { <p class="body">{format!("Finished at {f}.")}</p> })}
        <ReportBody report=report />
        <p class="body"><a class="link" href="/staff/sufficiency/data">"Back to the returns"</a></p>
    }
    .into_any()
}

fn anchor(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    format!("file-{slug}")
}

#[component]
fn ReportBody(report: ImportReport) -> impl IntoView {
    let returns = report.returns.clone();
    view! {
        {(!returns.is_empty()).then(|| view! {
            <h2 class="heading-m">"Returns"</h2>
            <div class="table-wrap">
                <table class="table" data-testid="return-outcomes">
                    <thead>
                        <tr>
                            <th scope="col">"Council"</th>
                            <th scope="col">"Year"</th>
                            <th scope="col">"Outcome"</th>
                            <th scope="col" class="table__numeric">"Children"</th>
                            <th scope="col" class="table__numeric">"Episodes"</th>
                            <th scope="col" class="table__numeric">"UASC"</th>
                        </tr>
                    </thead>
                    <tbody>
                        {returns.into_iter().map(|r| {
                            let outcome = match (r.outcome.as_str(), r.reason.clone()) {
                                ("imported", _) => "Imported".to_string(),
                                ("replaced", _) => "Imported, replacing the earlier upload".to_string(),
                                (_, Some(why)) => format!("Not imported: {why}"),
                                _ => "Not imported".to_string(),
                            };
                            view! {
                                <tr>
                                    <td>{r.council_name}</td>
                                    <td>{super::year_label(r.year)}</td>
                                    <td>{outcome}</td>
                                    <td class="table__numeric">{r.header_rows}</td>
                                    <td class="table__numeric">{r.episode_rows}</td>
                                    <td class="table__numeric">{r.uasc_rows}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        })}
        {(!report.published.is_empty()).then(|| view! {
            <h2 class="heading-m">"Published placement location figures"</h2>
            <p class="body">"The DfE's figures kept, to stand beside the councils' own on the forecast page:"</p>
            <ul class="list list--bullet" data-testid="published-outcomes">
                {report.published.iter().map(|p| view! {
                    <li>{format!("{} on 31 March {}", p.area_name, p.year)}</li>
                }).collect_view()}
            </ul>
        })}
        <h2 class="heading-m">"Files"</h2>
        {report.files.into_iter().map(|f| view! { <FileBody file=f /> }).collect_view()}
    }
}

#[component]
fn FileBody(file: FileReport) -> impl IntoView {
    let f = file;
    let kind = f.kind.map(|k| k.label()).unwrap_or("Not recognised");
    let more = f.refused_total.saturating_sub(f.refused.len() as u32);
    view! {
        <section class="report-file" id=anchor(&f.name) data-testid="file-report">
            <h3 class="heading-s">{f.name.clone()}</h3>
            <dl class="summary-list">
                <div class="summary-list__row">
                    <dt class="summary-list__key">"Kind"</dt>
                    <dd class="summary-list__value">{kind}{f.pooled.then_some(" (several councils or years, with LA and YEAR columns)")}</dd>
                </div>
                <div class="summary-list__row">
                    <dt class="summary-list__key">"Rows"</dt>
                    <dd class="summary-list__value">{format!("{} read, {} kept, {} left out", f.rows_read, f.rows_kept, f.rows_refused)}</dd>
                </div>
            </dl>
            {f.file_refusal.clone().map(|m| view! {
                <p class="error-message" data-testid="file-refused">
                    <span class="visually-hidden">"Error: "</span>{format!("This file was refused: {m}")}
                </p>
            })}
            {(!f.refused.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="table" data-testid="refused-rows">
                        <caption class="table__caption">{format!("Rows left out ({})", f.refused_total)}</caption>
                        <thead>
                            <tr>
                                <th scope="col" class="table__numeric">"Row"</th>
                                <th scope="col">"Column"</th>
                                <th scope="col">"Problem"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {f.refused.iter().map(|p| view! {
                                <tr>
                                    <td class="table__numeric">{p.row}</td>
                                    <td>{p.column.clone()}</td>
                                    <td>{p.message.clone()}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                {(more > 0).then(|| view! { <p class="body">{format!("And {more} more rows left out.")}</p> })}
            })}
            {(!f.warnings.is_empty()).then(|| view! {
                <div class="table-wrap">
                    <table class="table" data-testid="warnings">
                        <caption class="table__caption">"Kept, with codes the DfE's checks would question"</caption>
                        <thead>
                            <tr>
                                <th scope="col">"DfE rule"</th>
                                <th scope="col">"What"</th>
                                <th scope="col" class="table__numeric">"Rows"</th>
                                <th scope="col">"First example"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {f.warnings.iter().map(|w| view! {
                                <tr>
                                    <td>{w.rule.clone()}</td>
                                    <td>{w.name.clone()}</td>
                                    <td class="table__numeric">{w.count}</td>
                                    <td>{format!("Row {}: {} {}", w.example_row, w.column, w.example)}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
            })}
        </section>
    }
}
