//! "Sent mail": what the product has sent, read from the local mail folder, so a local run and
//! its tests can see every message without a mail server.

use super::api::read_local_mail;
use crate::ui::{Loaded, StaffFrame};
use leptos::prelude::*;
use leptos_meta::Title;

#[component]
pub fn MailPage() -> impl IntoView {
    view! {
        <StaffFrame>
            <Mail />
        </StaffFrame>
    }
}

#[component]
fn Mail() -> impl IntoView {
    let mailbox = Resource::new(|| (), |_| read_local_mail());
    view! {
        <Title text="Sent mail – Fostering Hub" />
        <h1 class="heading-l">"Sent mail"</h1>
        <Loaded resource=mailbox loading="Loading mail…" let:m>
            {if !m.local {
                    view! {
                        <p class="body">
                            "Mail is sent through the SMTP relay, so there is no local folder to show."
                        </p>
                    }
                        .into_any()
                } else if m.messages.is_empty() {
                    view! { <p class="body">"No messages yet."</p> }.into_any()
                } else {
                    view! {
                        <p class="body">"The newest 100 messages, newest first."</p>
                        <div class="table-wrap">
                            <table class="table" data-testid="mail-table">
                                <thead>
                                    <tr>
                                        <th scope="col">"To"</th>
                                        <th scope="col">"Subject"</th>
                                        <th scope="col">"Date"</th>
                                        <th scope="col">"Message"</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {m
                                        .messages
                                        .into_iter()
                                        .map(|mail| {
                                            view! {
                                                <tr>
                                                    <td>{mail.to}</td>
                                                    <td>{mail.subject}</td>
                                                    <td>{mail.date}</td>
                                                    <td class="mail-preview">{mail.body_preview}</td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                        .into_any()
                }}
        </Loaded>
    }
}
