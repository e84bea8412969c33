//! Messaging between home and kindergarten/school: the shapes the pages get, and the server
//! functions. Functions that take a child live under `/api/child/` (see `api::children`);
//! the rest check access to the thread they are given.

mod compose;
mod group;
mod inbox;
mod thread;

pub use compose::*;
pub use group::*;
pub use inbox::*;
pub use thread::*;

pub use crate::domain::messaging::*;
