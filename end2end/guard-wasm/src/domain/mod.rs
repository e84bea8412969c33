//! The app's `domain` as far as the guard needs it: the guard and the identity-number checks.

#[path = "../../../../app/src/domain/pid.rs"]
pub mod pid;
pub use pid::Pid;
#[path = "../../../../app/src/domain/guard/mod.rs"]
pub mod guard;
