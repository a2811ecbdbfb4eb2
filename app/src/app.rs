//! The HTML shell, the layout every page shares, and the routes.

use crate::auth::pages::SignInPage;
use crate::councils::pages::CouncilsPage;
use crate::email::pages::MailPage;
use crate::enquiries::pages::{EnquiryPage, ThankYouPage};
use crate::enquiries::staff_pages::{StaffEnquiriesPage, StaffEnquiryPage};
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    path, SsrMode,
};

pub fn shell(options: LeptosOptions) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::security::provide_csp_nonce();
    view! {
        <!DOCTYPE html>
        <html lang="en-GB">
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <meta name="theme-color" content="#0b0c0c" />
                <HashedStylesheet options=options.clone() id="leptos" />
                <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
                <HydrationScripts options />
                <MetaTags />
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    view! {
        <Title text="Fostering Hub" />
        <Router>
            <a href="#main-content" class="skip-link">
                "Skip to main content"
            </a>
            <header class="header" role="banner">
                <div class="header__container width-container">
                    <a href="/" class="header__service-name">
                        "Fostering Hub"
                    </a>
                    <span class="header__tagline">"South East Regional Care Cooperative"</span>
                </div>
            </header>
            <div class="width-container">
                <main class="main-wrapper" id="main-content" role="main">
                    <Routes fallback=|| view! { <NotFound /> }>
                        <Route path=path!("/") view=HomePage />
                        <Route path=path!("/enquire") view=EnquiryPage ssr=SsrMode::Async />
                        <Route path=path!("/enquire/thank-you/:reference") view=ThankYouPage />
                        <Route path=path!("/staff/sign-in") view=SignInPage />
                        <Route path=path!("/staff") view=|| view! { <leptos_router::components::Redirect path="/staff/enquiries" /> } />
                        <Route path=path!("/staff/enquiries") view=StaffEnquiriesPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/councils") view=CouncilsPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/mail") view=MailPage ssr=SsrMode::Async />
                        <Route path=path!("/staff/enquiries/:reference") view=StaffEnquiryPage ssr=SsrMode::Async />
                    </Routes>
                </main>
            </div>
            <footer class="footer" role="contentinfo">
                <div class="width-container">
                    <p>
                        "Fostering Hub is run by the South East Regional Care Cooperative on behalf of its member councils."
                    </p>
                </div>
            </footer>
        </Router>
    }
}

#[component]
fn HomePage() -> impl IntoView {
    view! {
        <Title text="Foster with your council – Fostering Hub" />
        <h1 class="heading-xl">"Foster with your council"</h1>
        <p class="body-l">
            "Children in the South East need foster homes near their families, friends and schools. "
            "Councils across the region work together to find, train and support foster carers."
        </p>
        <p class="body">
            "You can foster if you are over 21, have a spare bedroom and the time to care for a child. "
            "You can be single, married or in a relationship, rent or own your home, and work."
        </p>
        <a href="/enquire" role="button" draggable="false" class="button button--start">
            "Start your enquiry"
        </a>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    if let Some(resp) = use_context::<leptos_axum::ResponseOptions>() {
        resp.set_status(http::StatusCode::NOT_FOUND);
    }
    view! {
        <Title text="Page not found – Fostering Hub" />
        <h1 class="heading-l">"Page not found"</h1>
        <p class="body">"If you typed the web address, check it is correct."</p>
        <p class="body">
            <a href="/">"Go to the Fostering Hub home page"</a>
        </p>
    }
}
