//! The frame of a page that needs a logged-in person: never cached, and a visitor who is not
//! (or no longer) logged in is sent to the front page instead of seeing an error.

use super::error::{ErrorMessage, login_first, no_store};
use super::layout::Page;
use crate::api::AppError;
use crate::i18n::use_i18n;
use crate::ui::title::PageTitle;
use leptos::prelude::*;
use serde::{Serialize, de::DeserializeOwned};
use std::future::Future;

/// What a page loads from its server function: sent with the HTML and read again by the
/// browser when the page comes alive.
pub trait PageData: Serialize + DeserializeOwned + Clone + Send + Sync + 'static {}
impl<T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static> PageData for T {}

/// Loads the page's data with `load` and shows it with `render`.
pub fn protected_page<T, Fut, V>(
    title_key: &'static str,
    load: impl Fn() -> Fut + Send + Sync + 'static,
    render: impl Fn(T) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView
where
    T: PageData,
    Fut: Future<Output = Result<T, AppError>> + Send + 'static,
    V: IntoView + 'static,
{
    let data = Resource::new(|| (), move |_| load());
    frame(title_key, data, render)
}

/// Shows `data` (which may depend on the URL or on actions) with `render`.
pub fn loaded_page<T, V>(
    title_key: &'static str,
    data: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView
where
    T: PageData,
    V: IntoView + 'static,
{
    frame(title_key, data, render)
}

fn frame<T, V>(
    title_key: &'static str,
    data: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView
where
    T: PageData,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    no_store();
    view! {
        <PageTitle text=i18n.t(title_key) />
        <Page account=true>
            // Transition: a reload (after an action, a new message, a timer) keeps the page on
            // screen until the new data is in.
            <Transition fallback=move || view! { <p>{i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(value) => render(value).into_any(),
                        Err(AppError::Unauthenticated) => {
                            login_first();
                            ().into_any()
                        }
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    }
                })}
            </Transition>
        </Page>
    }
}
