//! Messaging pages: inboxes, a conversation, composing to a child's staff or guardians, and
//! group messages.

mod compose;
mod group;
mod guard;
mod guarded_input;
mod guarded_text;
mod hours;
mod inbox;
mod thread;

pub use compose::ComposePage;
pub use group::GroupMessagePage;
pub use guard::typed_before_hydration;
pub use guarded_input::GuardedInput;
pub use guarded_text::GuardedText;
pub use inbox::{ChildInboxPage, InboxPage};
pub use thread::ThreadPage;

use crate::domain::messaging::Draft;
use crate::ui::error_summary::{ErrorSummary, Problem};
use leptos::prelude::*;

/// The error summary at the top of a message form whose last send was refused (a kept draft):
/// the problem is in the text, except a refused identity number that is only in the subject.
#[component]
fn DraftSummary(draft: Option<Draft>, label_key: &'static str) -> impl IntoView {
    draft.map(|d| {
        let refused_in = |text: &str| crate::domain::guard::has_refused(text);
        let field = match d.problem.as_str() {
            "messages.problem.recipient" => None,
            "messages.problem.national_id" if !refused_in(&d.body) && refused_in(&d.subject) => {
                Some(("subject", "messages.compose.subject"))
            }
            _ => Some(("body", label_key)),
        };
        let problem = Problem { key: d.problem, field };
        view! { <ErrorSummary heading_key="messages.error.heading" problem /> }
    })
}
