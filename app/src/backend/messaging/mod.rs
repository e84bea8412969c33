//! Conversations between home and kindergarten/school: threads about a child, group messages
//! from staff, read markers, drafts kept when a send cannot go through, and the realtime
//! fan-out that tells open screens about new messages.

pub mod compose;
pub mod conversation;
pub mod drafts;
pub mod group;
pub mod inbox;
pub mod realtime;
pub mod send;
pub mod threads;

#[cfg(test)]
mod tests;

/// The real time as Unix milliseconds, for deadlines (ceremonies, drafts, revocations); records
/// people see are stamped by the database's clock (`db.clock.now_ms()`).
pub use crate::backend::clock::real_now_ms as now_ms;
