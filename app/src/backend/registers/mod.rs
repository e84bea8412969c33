//! The national registers, behind ports with two adapters each: HTTP (production, with
//! Maskinporten tokens) and fixture (demo and tests: the same JSON shapes from files).
//!
//! Only Folkeregisteret is here yet; KRR follows the same pattern.

pub mod folkeregisteret;
pub mod krr;
pub mod maskinporten;
pub mod sync;

/// Why a register could not answer. Never carries personal data in its message.
#[derive(Debug, thiserror::Error)]
pub enum RegisterError {
    #[error("the register is unavailable: {0}")]
    Unavailable(String),
    #[error("the register refused the request with status {0}")]
    Refused(u16),
    #[error("the register's answer is not in the documented shape: {0}")]
    Shape(String),
    #[error("token from Maskinporten: {0}")]
    Token(String),
    #[error("fixture file: {0}")]
    Fixture(String),
}
