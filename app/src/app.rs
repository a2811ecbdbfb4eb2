//! The HTML shell, the layout every page shares, and the routes.

use crate::accounts::pages::{LinkSignInPage, RefereePage, RequestLinkPage};
use crate::applications::pages::{
    ApplicationPage, CheckAnswersPage, PausePage, ProgressPage, SectionPage, WithdrawPage,
};
use crate::applications::staff_pages::StaffApplicationPage;
use crate::assessments::pages::{
    AddCheckPage, AllocatePage, BookPanelPage, CasePage, CaseloadPage, CheckPage,
    CheckSettingsPage, ConnectedPage, DecisionPage, EndPage, ExtendPage, FiguresPage, LetterPage,
    NameRefereePage, ReportPage, ReportSectionPage, ResponsePage, Stage1Page,
};
use crate::auth::pages::{SignInPage, StaffHome};
use crate::auth::sso::pages::{SingleSignOnPage, StaffAccountsPage};
use crate::auth::two_factor_pages::{RecoveryCodesPage, SignInCodePage, TwoFactorEnrolPage};
use crate::calendar::pages::BankHolidaysPage;
use crate::carers::import::pages::{RegisterImportPage, RegisterImportReportPage};
use crate::carers::members_pages::{AddMemberPage, MemberLeftPage};
use crate::carers::pages::{
    ApprovalPage, EndingsPage, HouseholdPage, RegisterPage, ReviewPage, VaryTermsPage,
};
use crate::carers::portal_pages::CarerHouseholdPage;
use crate::carers::skills_pages::{DetailsPage, SkillsPage};
use crate::councils::pages::CouncilsPage;
use crate::email::pages::MailPage;
use crate::enquiries::pages::{EnquiryPage, ThankYouPage};
use crate::enquiries::staff_pages::{StaffEnquiriesPage, StaffEnquiryPage};
use crate::funnel::pages::FunnelPage;
use crate::jobs::pages::JobsPage;
use crate::panels::pages::{NewPanelPage, PanelPage, PanelsPage, PapersPage, RecommendationPage};
use crate::placements::pages::{
    EndPlacementPage, ExemptionPage, HoldPage, PlacementPage, ReleaseHoldPage,
};
use crate::placements::search::pages::{
    PlacementResultPage, PlacementResultsPage, PlacementSearchPage,
};
use crate::sufficiency::analysis::pages::DemandForecastPage;
use crate::sufficiency::returns::pages::{ReturnsDataPage, ReturnsImportPage};
use crate::sufficiency::supply::pages::{SufficiencySummaryPage, SupplyAgainstNeedPage};
use crate::training::import::pages::{RecordsImportReportPage, RecordsImportUploadPage};
use crate::training::pages::{
    ApprovalsPage, CataloguePage, CertificatePage, CheckCertificatePage, CompetenciesPage,
    CompliancePage, EvidencePage, HouseholdTsdsPage, MyTrainingPage, NewCoursePage, NewSessionPage,
    PersonTrainingPage, RequirementsPage, SessionPage, TsdsListPage,
};
use crate::ui::components_page::ComponentsPage;
use leptos::prelude::*;
use leptos_meta::{provide_meta_context, HashedStylesheet, MetaTags, Title};
use leptos_router::{
    components::{Route, Router, Routes},
    lazy_route, path, Lazy, LazyRoute, SsrMode,
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
    // Effects run only in the browser, once the page is hydrated: this tells browser tests (and
    // anyone debugging) that the page is interactive. A lazily loaded page hydrates after its
    // chunk arrives, later than the app around it, and says so itself (`lazy_page!`).
    Effect::new(|_| {
        let lazy_page = document()
            .query_selector("[data-lazy-page]")
            .ok()
            .flatten()
            .is_some();
        if !lazy_page {
            mark_hydrated();
        }
    });
    // A form posted without JavaScript that failed on our side: the apology with its reference,
    // in place of the page (which would need the same failing parts to draw itself).
    let problem = SharedValue::new(use_context::<crate::forms::ServerProblem>).into_inner();
    let failed = problem.is_some();
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
                    {problem.map(|p| view! { <crate::ui::ProblemPage error=p.0 /> })}
                    {(!failed).then(|| view! {
                    <Routes fallback=|| view! { <crate::ui::NotFound /> }>
                        <Route path=path!("/") view=HomePage />
                        <Route path=path!("/enquire") view=EnquiryPage ssr=SsrMode::Async />
                        <Route path=path!("/enquire/thank-you/:reference") view=ThankYouPage />
                        <Route path=path!("/account") view=ProgressPage ssr=SsrMode::Async />
                        <Route path=path!("/account/sign-in") view=RequestLinkPage />
                        <Route path=path!("/account/household") view={Lazy::<CarerHouseholdRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/account/application") view={Lazy::<ApplicationRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/account/pause") view={Lazy::<PauseRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/account/withdraw") view={Lazy::<WithdrawRoute>::new()} ssr=SsrMode::Async />
                        <Route
                            path=path!("/account/application/check-answers")
                            view={Lazy::<CheckAnswersRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/account/application/:section") view={Lazy::<SectionRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/account/sign-in/:token") view=LinkSignInPage />
                        <Route path=path!("/reference/:token") view=RefereePage ssr=SsrMode::Async />
                        <Route path=path!("/staff/sign-in") view={Lazy::<SignInRoute>::new()} />
                        <Route path=path!("/staff/sign-in/code") view={Lazy::<SignInCodeRoute>::new()} ssr=SsrMode::Async />
                        // Async: these pages' data is written as they render (a secret to scan,
                        // codes shown once), so the session must be saved after they finish.
                        <Route path=path!("/staff/two-factor/enrol") view={Lazy::<TwoFactorEnrolRoute>::new()} ssr=SsrMode::Async />
                        <Route
                            path=path!("/staff/two-factor/recovery-codes")
                            view={Lazy::<RecoveryCodesRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/staff") view={Lazy::<StaffHomeRoute>::new()} ssr=SsrMode::Async />
                        <Route
                            path=path!("/staff/enquiries")
                            view={Lazy::<StaffEnquiriesRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/staff/funnel") view={Lazy::<FunnelRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/councils") view={Lazy::<CouncilsRoute>::new()} ssr=SsrMode::Async />
                        <Route
                            path=path!("/staff/councils/:council/single-sign-on")
                            view={Lazy::<SingleSignOnRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/councils/:council/staff")
                            view={Lazy::<StaffAccountsRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/staff/mail") view={Lazy::<MailRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/jobs") view={Lazy::<JobsRoute>::new()} ssr=SsrMode::Async />
                        <Route
                            path=path!("/staff/bank-holidays")
                            view={Lazy::<BankHolidaysRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/staff/panels") view={Lazy::<PanelsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/training") view={Lazy::<CatalogueRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/training/mine") view={Lazy::<MyTrainingRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/training/sessions/:session") view={Lazy::<TrainingSessionRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/training/certificates/:certificate") view={Lazy::<CertificateRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/certificates/check") view={Lazy::<CheckCertificateRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/training/competencies") view={Lazy::<CompetenciesRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/training/courses/new") view={Lazy::<NewCourseRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/training/sessions/new") view={Lazy::<NewSessionRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/training/evidence") view={Lazy::<EvidenceRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/training/compliance") view={Lazy::<ComplianceRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/training/requirements") view={Lazy::<RequirementsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/training/tsds") view={Lazy::<TsdsListRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/training/people/:person") view={Lazy::<PersonTrainingRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/training/approvals") view={Lazy::<ApprovalsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/training/import") view={Lazy::<RecordsImportRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/training/import/:import") view={Lazy::<RecordsImportReportRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/panels/new") view={Lazy::<NewPanelRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/panels/:panel") view={Lazy::<PanelRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/panels/:panel/cases/:case") view={Lazy::<PapersRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/panels/:panel/cases/:case/recommendation") view={Lazy::<RecommendationRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/carers/import") view={Lazy::<RegisterImportRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/carers/import/:import") view={Lazy::<RegisterImportReportRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/sufficiency") view={Lazy::<ForecastRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/sufficiency/data") view={Lazy::<ReturnsDataRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/sufficiency/supply") view={Lazy::<SupplyRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/sufficiency/summary") view={Lazy::<SummaryRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/sufficiency/imports/:import") view={Lazy::<ReturnsImportRoute>::new()} ssr=SsrMode::Async />
                        <Route
                            path=path!("/staff/placements/search")
                            view={Lazy::<PlacementSearchRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/placements/search/:search")
                            view={Lazy::<PlacementResultsRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/placements/search/:search/:council/:household")
                            view={Lazy::<PlacementResultRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/components")
                            view={Lazy::<ComponentsRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/enquiries/:reference")
                            view={Lazy::<StaffEnquiryRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/enquiries/:reference/application")
                            view={Lazy::<StaffApplicationRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/staff/assessments") view={Lazy::<CaseloadRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/figures") view={Lazy::<FiguresRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/connected") view={Lazy::<ConnectedRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/check-settings") view={Lazy::<CheckSettingsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/:case") view={Lazy::<CaseRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/:case/allocate") view={Lazy::<AllocateRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/:case/stage-1") view={Lazy::<Stage1Route>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/:case/panel") view={Lazy::<BookPanelRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/:case/decision") view={Lazy::<DecisionRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/:case/end") view={Lazy::<EndRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/:case/extend") view={Lazy::<ExtendRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/:case/add-check") view={Lazy::<AddCheckRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/:case/response") view={Lazy::<ResponseRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/:case/report") view={Lazy::<ReportRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/:case/report/:section") view={Lazy::<ReportSectionRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/:case/checks/:check") view={Lazy::<CheckRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/:case/checks/:check/referee") view={Lazy::<NameRefereeRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/assessments/:case/letters/:kind") view={Lazy::<LetterRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/carers") view={Lazy::<RegisterRoute>::new()} ssr=SsrMode::Async />
                        <Route
                            path=path!("/staff/carers/:council/:household")
                            view={Lazy::<HouseholdRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route path=path!("/staff/carers/endings") view={Lazy::<EndingsRoute>::new()} ssr=SsrMode::Async />
                        <Route path=path!("/staff/carers/skills") view={Lazy::<SkillsRoute>::new()} ssr=SsrMode::Async />
                        <Route
                            path=path!("/staff/carers/:council/:household/details")
                            view={Lazy::<DetailsRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/carers/:council/:household/review")
                            view={Lazy::<ReviewRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/carers/:council/:household/approval")
                            view={Lazy::<ApprovalRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/carers/:council/:household/terms")
                            view={Lazy::<VaryTermsRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/carers/:council/:household/placement")
                            view={Lazy::<PlacementRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/carers/:council/:household/placements/:placement/end")
                            view={Lazy::<EndPlacementRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/carers/:council/:household/hold")
                            view={Lazy::<HoldRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/carers/:council/:household/holds/:hold/release")
                            view={Lazy::<ReleaseHoldRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/carers/:council/:household/tsds")
                            view={Lazy::<HouseholdTsdsRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/carers/:council/:household/exemption")
                            view={Lazy::<ExemptionRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/carers/:council/:household/members/add")
                            view={Lazy::<AddMemberRoute>::new()}
                            ssr=SsrMode::Async
                        />
                        <Route
                            path=path!("/staff/carers/:council/:household/members/:member/left")
                            view={Lazy::<MemberLeftRoute>::new()}
                            ssr=SsrMode::Async
                        />
                    </Routes>
                    })}
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

/// Marks the page interactive, for browser tests (which wait for it before using a form).
fn mark_hydrated() {
    if let Some(body) = document().body() {
        let _ = body.set_attribute("data-hydrated", "true");
    }
}

// Staff pages load lazily: with `cargo leptos build --split` their code is a separate wasm chunk,
// so members of the public filling in the enquiry form do not download it.

/// Declares a lazily loaded route that shows `$page`.
macro_rules! lazy_page {
    ($route:ident, $page:ident) => {
        struct $route;

        #[lazy_route]
        impl LazyRoute for $route {
            fn data() -> Self {
                $route
            }

            fn view(this: Self) -> AnyView {
                let _ = this;
                Effect::new(|_| mark_hydrated());
                view! {
                    <div data-lazy-page="">
                        <$page />
                    </div>
                }
                .into_any()
            }
        }
    };
}

lazy_page!(SignInRoute, SignInPage);
lazy_page!(StaffHomeRoute, StaffHome);
lazy_page!(SignInCodeRoute, SignInCodePage);
lazy_page!(TwoFactorEnrolRoute, TwoFactorEnrolPage);
lazy_page!(RecoveryCodesRoute, RecoveryCodesPage);
lazy_page!(StaffEnquiriesRoute, StaffEnquiriesPage);
lazy_page!(StaffEnquiryRoute, StaffEnquiryPage);
lazy_page!(CouncilsRoute, CouncilsPage);
lazy_page!(SingleSignOnRoute, SingleSignOnPage);
lazy_page!(StaffAccountsRoute, StaffAccountsPage);
lazy_page!(MailRoute, MailPage);
lazy_page!(JobsRoute, JobsPage);
lazy_page!(BankHolidaysRoute, BankHolidaysPage);
lazy_page!(PanelsRoute, PanelsPage);
lazy_page!(CatalogueRoute, CataloguePage);
lazy_page!(MyTrainingRoute, MyTrainingPage);
lazy_page!(TrainingSessionRoute, SessionPage);
lazy_page!(CertificateRoute, CertificatePage);
lazy_page!(CheckCertificateRoute, CheckCertificatePage);
lazy_page!(CompetenciesRoute, CompetenciesPage);
lazy_page!(NewCourseRoute, NewCoursePage);
lazy_page!(NewSessionRoute, NewSessionPage);
lazy_page!(EvidenceRoute, EvidencePage);
lazy_page!(ComplianceRoute, CompliancePage);
lazy_page!(RecordsImportRoute, RecordsImportUploadPage);
lazy_page!(ApprovalsRoute, ApprovalsPage);
lazy_page!(PersonTrainingRoute, PersonTrainingPage);
lazy_page!(RecordsImportReportRoute, RecordsImportReportPage);
lazy_page!(RequirementsRoute, RequirementsPage);
lazy_page!(TsdsListRoute, TsdsListPage);
lazy_page!(HouseholdTsdsRoute, HouseholdTsdsPage);
lazy_page!(NewPanelRoute, NewPanelPage);
lazy_page!(PanelRoute, PanelPage);
lazy_page!(PapersRoute, PapersPage);
lazy_page!(RecommendationRoute, RecommendationPage);
lazy_page!(PlacementSearchRoute, PlacementSearchPage);
lazy_page!(PlacementResultsRoute, PlacementResultsPage);
lazy_page!(PlacementResultRoute, PlacementResultPage);
lazy_page!(ComponentsRoute, ComponentsPage);
lazy_page!(ApplicationRoute, ApplicationPage);
lazy_page!(PauseRoute, PausePage);
lazy_page!(WithdrawRoute, WithdrawPage);
lazy_page!(SectionRoute, SectionPage);
lazy_page!(CheckAnswersRoute, CheckAnswersPage);
lazy_page!(StaffApplicationRoute, StaffApplicationPage);
lazy_page!(FunnelRoute, FunnelPage);
lazy_page!(CaseloadRoute, CaseloadPage);
lazy_page!(CaseRoute, CasePage);
lazy_page!(AllocateRoute, AllocatePage);
lazy_page!(Stage1Route, Stage1Page);
lazy_page!(BookPanelRoute, BookPanelPage);
lazy_page!(DecisionRoute, DecisionPage);
lazy_page!(EndRoute, EndPage);
lazy_page!(ReportRoute, ReportPage);
lazy_page!(FiguresRoute, FiguresPage);
lazy_page!(ReportSectionRoute, ReportSectionPage);
lazy_page!(CheckRoute, CheckPage);
lazy_page!(LetterRoute, LetterPage);
lazy_page!(ConnectedRoute, ConnectedPage);
lazy_page!(ExtendRoute, ExtendPage);
lazy_page!(ResponseRoute, ResponsePage);
lazy_page!(NameRefereeRoute, NameRefereePage);
lazy_page!(AddCheckRoute, AddCheckPage);
lazy_page!(CheckSettingsRoute, CheckSettingsPage);
lazy_page!(RegisterRoute, RegisterPage);
lazy_page!(HouseholdRoute, HouseholdPage);
lazy_page!(VaryTermsRoute, VaryTermsPage);
lazy_page!(EndingsRoute, EndingsPage);
lazy_page!(SkillsRoute, SkillsPage);
lazy_page!(DetailsRoute, DetailsPage);
lazy_page!(ReviewRoute, ReviewPage);
lazy_page!(ApprovalRoute, ApprovalPage);
lazy_page!(PlacementRoute, PlacementPage);
lazy_page!(EndPlacementRoute, EndPlacementPage);
lazy_page!(HoldRoute, HoldPage);
lazy_page!(ReleaseHoldRoute, ReleaseHoldPage);
lazy_page!(ExemptionRoute, ExemptionPage);
lazy_page!(AddMemberRoute, AddMemberPage);
lazy_page!(MemberLeftRoute, MemberLeftPage);
lazy_page!(CarerHouseholdRoute, CarerHouseholdPage);
lazy_page!(RegisterImportRoute, RegisterImportPage);
lazy_page!(RegisterImportReportRoute, RegisterImportReportPage);
lazy_page!(ForecastRoute, DemandForecastPage);
lazy_page!(ReturnsDataRoute, ReturnsDataPage);
lazy_page!(SupplyRoute, SupplyAgainstNeedPage);
lazy_page!(SummaryRoute, SufficiencySummaryPage);
lazy_page!(ReturnsImportRoute, ReturnsImportPage);
