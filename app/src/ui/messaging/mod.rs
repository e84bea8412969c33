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
