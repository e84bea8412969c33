//! The one access policy. Server functions ask it before touching data; the answer is a plain
//! boolean so that a rule reads as a sentence and is unit-tested on its own.

use crate::api::AppError;

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Not logged in.
    Anonymous,
}

/// The directory of municipalities and their units is public: a visitor must choose a
/// municipality before logging in, and it holds no personal data.
pub fn can_read_directory(_actor: &Actor) -> bool {
    true
}

/// Turns a policy answer into the error a server function returns.
pub fn require(allowed: bool) -> Result<(), AppError> {
    if allowed {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_anonymous_visitor_may_read_the_directory() {
        assert!(can_read_directory(&Actor::Anonymous));
    }

    #[test]
    fn a_refusal_becomes_forbidden() {
        assert_eq!(require(false), Err(AppError::Forbidden));
        assert_eq!(require(true), Ok(()));
    }
}
