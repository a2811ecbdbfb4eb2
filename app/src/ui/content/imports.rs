//! The parts every CSV import page shares (a carer register, training records): the upload
//! form, the file waiting to be imported, and the report of a refused import (an error summary
//! saying nothing was added, the file-wide problems, and a table of every refused row).

use crate::files::table::{RowProblem, UploadedFile};
use leptos::prelude::*;
use leptos_meta::Title;

/// A refused import's report. `what` names what was not changed ("Gosport's register");
/// `heading` is the page's ("Register not imported"); `detail` says which file was checked and
/// when; `retry_href` is where a corrected file is uploaded.
#[component]
pub fn RefusedImport(
    #[prop(into)] heading: String,
    #[prop(into)] what: String,
    #[prop(into)] detail: String,
    problems: Vec<RowProblem>,
    problems_total: u32,
    rows_refused: u32,
    #[prop(into)] retry_href: String,
) -> impl IntoView {
    let shown = problems.len() as u32;
    let more = problems_total.saturating_sub(shown);
    let file_wide: Vec<String> = problems
        .iter()
        .filter(|p| p.row == 0)
        .map(|p| p.message.clone())
        .collect();
    let rows: Vec<RowProblem> = problems.into_iter().filter(|p| p.row > 0).collect();
    view! {
        <Title text=format!("Error: {heading} – Fostering Hub") />
        <div
            class="error-summary"
            role="alert"
            tabindex="-1"
            aria-labelledby="error-summary-title"
            data-testid="error-summary"
        >
            <h2 id="error-summary-title" class="error-summary__title">"There is a problem"</h2>
            <p class="body">
                {format!(
                    "The file was not imported: nothing was added to {what}. Fix every problem below, then upload the file again.",
                )}
            </p>
            <ul class="error-summary__list">
                {(rows_refused > 0)
                    .then(|| {
                        view! {
                            <li>
                                <a href="#problems">
                                    {format!(
                                        "{rows_refused} {} a problem",
                                        if rows_refused == 1 { "row has" } else { "rows have" },
                                    )}
                                </a>
                            </li>
                        }
                    })}
                {file_wide.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}
            </ul>
        </div>
        <h1 class="heading-l">{heading}</h1>
        <p class="body">{detail}</p>
        {(!rows.is_empty())
            .then(|| {
                view! {
                    <div class="table-wrap">
                        <table class="table" id="problems" data-testid="import-problems">
                            <caption class="table__caption">"Rows refused"</caption>
                            <thead>
                                <tr>
                                    <th scope="col">"Row"</th>
                                    <th scope="col">"Column"</th>
                                    <th scope="col">"Problem"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {rows
                                    .into_iter()
                                    .map(|p| {
                                        view! {
                                            <tr>
                                                <td>{p.row}</td>
                                                <td>{p.column}</td>
                                                <td>{p.message}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    </div>
                }
            })}
        {(more > 0)
            .then(|| view! { <p class="body">{format!("And {more} more problems not shown.")}</p> })}
        <p class="body">
            <a class="link" href=retry_href rel="external">"Upload a corrected file"</a>
        </p>
    }
}

/// The upload form: a plain multipart form posting to the one upload route (`action`), which
/// sends the browser back to the import page with the stored file's id, with or without
/// JavaScript.
#[component]
pub fn UploadCsvForm(
    #[prop(into)] action: String,
    /// The file input's label ("Register file (CSV)").
    #[prop(into)]
    label: String,
    #[prop(into)] accept: String,
    /// The largest file taken, in words ("5 MB").
    #[prop(into)]
    max_size: String,
) -> impl IntoView {
    view! {
        <form method="post" enctype="multipart/form-data" action=action data-testid="upload-form">
            <div class="form-group">
                <label class="label" for="file">{label}</label>
                <div class="hint" id="file-hint">
                    {format!(
                        "A CSV file saved as UTF-8, up to {max_size}. In Excel, choose Save As and \"CSV UTF-8 (Comma delimited)\".",
                    )}
                </div>
                <input
                    class="file-upload"
                    id="file"
                    name="file"
                    type="file"
                    accept=accept
                    aria-describedby="file-hint"
                />
            </div>
            <button type="submit" class="button">"Upload file"</button>
        </form>
    }
}

/// The file uploaded and waiting to be imported: its name and size, council, and when.
#[component]
pub fn UploadedFileSummary(file: UploadedFile) -> impl IntoView {
    let f = file;
    view! {
        <dl class="summary-list" data-testid="uploaded-file">
            <div class="summary-list__row">
                <dt class="summary-list__key">"File"</dt>
                <dd class="summary-list__value">{f.name} " (" {f.size} ")"</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Council"</dt>
                <dd class="summary-list__value">{f.council_name}</dd>
            </div>
            <div class="summary-list__row">
                <dt class="summary-list__key">"Uploaded"</dt>
                <dd class="summary-list__value">{f.uploaded}</dd>
            </div>
        </dl>
    }
}
