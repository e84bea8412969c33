//! `/tilgjengelighet`: the accessibility statement that Norwegian public-sector services must
//! publish — what was tested and how, what is known not to meet WCAG 2.1 AA, and where to
//! report a problem. Linked from every page's footer; plain HTML, no login.

use super::layout::Page;
use crate::i18n::use_i18n;
use crate::ui::title::PageTitle;
use leptos::prelude::*;

/// The keys of the tested ways, then of the known gaps, in the order they are shown.
const TESTED: [&str; 4] =
    ["a11y.tested.axe", "a11y.tested.keyboard", "a11y.tested.names", "a11y.tested.nojs"];
const GAPS: [&str; 3] = ["a11y.gaps.screen_readers", "a11y.gaps.live", "a11y.gaps.biometrics"];

#[component]
pub fn AccessibilityPage() -> impl IntoView {
    let i18n = use_i18n();
    let list = move |keys: &[&'static str]| {
        keys.iter().map(|key| view! { <li>{i18n.t(key)}</li> }).collect_view()
    };
    view! {
        <PageTitle text=i18n.t("a11y.title") />
        <Page>
            <h1>{i18n.t("a11y.title")}</h1>
            <p class="lead">{i18n.t("a11y.lead")}</p>
            <section aria-labelledby="a11y-tested">
                <h2 id="a11y-tested">{i18n.t("a11y.tested.heading")}</h2>
                <ul>{list(&TESTED)}</ul>
            </section>
            <section aria-labelledby="a11y-gaps">
                <h2 id="a11y-gaps">{i18n.t("a11y.gaps.heading")}</h2>
                <ul>{list(&GAPS)}</ul>
            </section>
            <section aria-labelledby="a11y-report">
                <h2 id="a11y-report">{i18n.t("a11y.report.heading")}</h2>
                <p>{i18n.t("a11y.report.text")}</p>
            </section>
        </Page>
    }
}
