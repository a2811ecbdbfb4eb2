//! Task list with statuses.

use leptos::prelude::*;

/// Where a task has got to, in GOV.UK's words.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TaskStatus {
    Completed,
    InProgress,
    NotYetStarted,
    /// Waiting on another task; shown without a link.
    CannotStartYet,
}

impl TaskStatus {
    pub fn label(self) -> &'static str {
        match self {
            TaskStatus::Completed => "Completed",
            TaskStatus::InProgress => "In progress",
            TaskStatus::NotYetStarted => "Not yet started",
            TaskStatus::CannotStartYet => "Cannot start yet",
        }
    }
}

/// One task: its name, where to do it, an optional hint and its status.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Task {
    pub name: String,
    pub href: String,
    pub hint: Option<String>,
    pub status: TaskStatus,
}

impl Task {
    pub fn new(name: impl Into<String>, href: impl Into<String>, status: TaskStatus) -> Self {
        Task {
            name: name.into(),
            href: href.into(),
            hint: None,
            status,
        }
    }

    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }
}

/// The tasks of a long form and where each has got to (GOV.UK task list). "Completed" is plain
/// text, "In progress" and "Not yet started" are tags, and a task that cannot start yet has no
/// link and grey text. Each link is described by its status (and hint), so a screen reader
/// hears "Your household, In progress". `id` prefixes the ids, unique on the page.
///
/// ```ignore
/// view! {
///     <TaskList id="application" tasks=vec![
///         Task::new("About you", "/apply/about-you", TaskStatus::Completed),
///         Task::new("Your household", "/apply/household", TaskStatus::InProgress),
///         Task::new("Check and send", "/apply/check", TaskStatus::CannotStartYet),
///     ] />
/// }
/// ```
#[component]
pub fn TaskList(#[prop(into)] id: String, tasks: Vec<Task>) -> impl IntoView {
    view! {
        <ul class="task-list">
            {tasks
                .into_iter()
                .enumerate()
                .map(|(i, t)| {
                    let n = i + 1;
                    let status_id = format!("{id}-{n}-status");
                    let hint_id = format!("{id}-{n}-hint");
                    let described = match &t.hint {
                        Some(_) => format!("{hint_id} {status_id}"),
                        None => status_id.clone(),
                    };
                    let linked = t.status != TaskStatus::CannotStartYet;
                    let status = match t.status {
                        TaskStatus::Completed => view! { {t.status.label()} }.into_any(),
                        TaskStatus::InProgress => {
                            view! { <strong class="tag tag--light-blue">{t.status.label()}</strong> }
                                .into_any()
                        }
                        TaskStatus::NotYetStarted => {
                            view! { <strong class="tag tag--blue">{t.status.label()}</strong> }
                                .into_any()
                        }
                        TaskStatus::CannotStartYet => {
                            view! { <span class="task-list__status--cannot-start-yet">{t.status.label()}</span> }
                                .into_any()
                        }
                    };
                    view! {
                        <li class="task-list__item" class:task-list__item--with-link=linked>
                            <div class="task-list__name-and-hint">
                                {if linked {
                                    view! {
                                        <a class="task-list__link" href=t.href aria-describedby=described>
                                            {t.name}
                                        </a>
                                    }
                                        .into_any()
                                } else {
                                    view! { <div>{t.name}</div> }.into_any()
                                }}
                                {t.hint.map(|h| view! { <div id=hint_id class="task-list__hint">{h}</div> })}
                            </div>
                            <div class="task-list__status" id=status_id>
                                {status}
                            </div>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}
