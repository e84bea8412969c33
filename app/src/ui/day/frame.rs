//! The frame of a logged-in page whose data depends on the URL: loading text, a visitor who is
//! not logged in sent to the front page, errors in plain words.

use crate::api::AppError;
use crate::i18n::use_i18n;
use crate::ui::error::{ErrorMessage, no_store, redirect_to};
use crate::ui::layout::{LogoutButton, Page};
use leptos::prelude::*;
use leptos_meta::Title;
use serde::{Serialize, de::DeserializeOwned};

pub fn loaded_page<T, V>(
    title_key: &'static str,
    data: Resource<Result<T, AppError>>,
    render: impl Fn(T) -> V + Send + Sync + Copy + 'static,
) -> impl IntoView
where
    T: Serialize + DeserializeOwned + Clone + Send + Sync + 'static,
    V: IntoView + 'static,
{
    let i18n = use_i18n();
    no_store();
    view! {
        <Title text=i18n.t(title_key) />
        <Page>
            // Transition: a reload after a tap keeps the page on screen until the new data is in.
            <Transition fallback=move || view! { <p>{i18n.t("common.loading")}</p> }>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(value) => view! { {render(value)} <LogoutButton /> }.into_any(),
                        Err(AppError::Unauthenticated) => {
                            redirect_to("/");
                            ().into_any()
                        }
                        Err(error) => view! { <ErrorMessage error /> }.into_any(),
                    }
                })}
            </Transition>
        </Page>
    }
}
