//! "Jobs": what the product does in the background, for administrators: each scheduled job's
//! next and last run and its outcome, and recent background jobs with their progress.

use super::api::read_jobs;
use super::types::{BackgroundJobView, ScheduledJobView};
use crate::ui::{Loaded, StaffFrame};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn JobsPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <Jobs />
        </StaffFrame>
    }
}

#[component]
fn Jobs() -> impl IntoView {
    let overview = Resource::new(|| (), |_| read_jobs());
    view! {
        <Title text="Jobs – Fostering Hub" />
        <h1 class="heading-l">"Jobs"</h1>
        <Loaded resource=overview loading="Loading jobs…" let:o>
            <h2 class="heading-m">"Scheduled jobs"</h2>
            <p class="body">"Times are London time."</p>
            <ScheduledTable jobs=o.scheduled />
            <h2 class="heading-m">"Background jobs"</h2>
            <BackgroundTable jobs=o.background />
        </Loaded>
    }
}

#[component]
fn ScheduledTable(jobs: Vec<ScheduledJobView>) -> impl IntoView {
    if jobs.is_empty() {
        return view! { <p class="body">"No scheduled jobs have been registered yet."</p> }
            .into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="table" data-testid="scheduled-jobs">
                <thead>
                    <tr>
                        <th scope="col">"Job"</th>
                        <th scope="col">"Schedule"</th>
                        <th scope="col">"Next run"</th>
                        <th scope="col">"Last run"</th>
                        <th scope="col">"Outcome"</th>
                    </tr>
                </thead>
                <tbody>
                    {jobs
                        .into_iter()
                        .map(|j| {
                            view! {
                                <tr>
                                    <td>
                                        <strong>{j.kind}</strong>
                                        <br />
                                        {j.description}
                                    </td>
                                    <td>{j.schedule}</td>
                                    <td>{j.next_run}</td>
                                    <td>{j.last_run.unwrap_or_else(|| "Never".into())}</td>
                                    <td>
                                        {j.outcome}
                                        {(j.attempts > 1)
                                            .then(|| format!(" after {} attempts", j.attempts))}
                                        {j.error.map(|e| view! { <br /><span class="job-error">{e}</span> })}
                                    </td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
fn BackgroundTable(jobs: Vec<BackgroundJobView>) -> impl IntoView {
    if jobs.is_empty() {
        return view! { <p class="body">"No background jobs yet."</p> }.into_any();
    }
    view! {
        <p class="body">"The newest 50, newest first."</p>
        <div class="table-wrap">
            <table class="table" data-testid="background-jobs">
                <thead>
                    <tr>
                        <th scope="col">"Job"</th>
                        <th scope="col">"Queued"</th>
                        <th scope="col">"Status"</th>
                        <th scope="col">"Progress"</th>
                        <th scope="col">"Attempts"</th>
                        <th scope="col">"Finished"</th>
                    </tr>
                </thead>
                <tbody>
                    {jobs
                        .into_iter()
                        .map(|j| {
                            view! {
                                <tr>
                                    <td>{j.kind}</td>
                                    <td>{j.created}</td>
                                    <td>
                                        {j.status}
                                        {j.error.map(|e| view! { <br /><span class="job-error">{e}</span> })}
                                    </td>
                                    <td>{j.progress.unwrap_or_default()}</td>
                                    <td>{j.attempts}</td>
                                    <td>{j.finished.unwrap_or_default()}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}
