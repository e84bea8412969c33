//! The one access policy. Server functions ask it before touching data; each rule is a plain
//! boolean so that it reads as a sentence and is unit-tested on its own.

use super::identity::CurrentUser;
use crate::domain::Audience;
use crate::error::AppError;

/// Who is asking.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// Not logged in.
    Anonymous,
    /// A guardian logged in with ID-porten.
    Guardian(CurrentUser),
    /// A staff member logged in with the staff IdP.
    Staff(CurrentUser),
}

impl Actor {
    pub fn from_user(user: Option<CurrentUser>) -> Actor {
        match user {
            None => Actor::Anonymous,
            Some(u) if u.audience == Audience::Guardian => Actor::Guardian(u),
            Some(u) => Actor::Staff(u),
        }
    }

    pub fn user(&self) -> Option<&CurrentUser> {
        match self {
            Actor::Anonymous => None,
            Actor::Guardian(u) | Actor::Staff(u) => Some(u),
        }
    }
}

/// The directory of municipalities and their units is public: a visitor must choose a
/// municipality before logging in, and it holds no personal data.
pub fn can_read_directory(_actor: &Actor) -> bool {
    true
}

/// A guardian sees their own home page (their children come from parental responsibility).
pub fn can_see_guardian_home(actor: &Actor) -> bool {
    matches!(actor, Actor::Guardian(_))
}

/// A staff member sees the staff start page.
pub fn can_see_staff_home(actor: &Actor) -> bool {
    matches!(actor, Actor::Staff(_))
}

/// Turns a policy answer into the error a server function returns: not logged in at all is
/// `Unauthenticated`, logged in as the wrong kind of user is `Forbidden`.
pub fn require(actor: &Actor, allowed: bool) -> Result<(), AppError> {
    match (allowed, actor) {
        (true, _) => Ok(()),
        (false, Actor::Anonymous) => Err(AppError::Unauthenticated),
        (false, _) => Err(AppError::Forbidden),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(audience: Audience) -> CurrentUser {
        crate::backend::testing::user("p", audience)
    }

    #[test]
    fn an_anonymous_visitor_may_read_the_directory_but_no_home_page() {
        assert!(can_read_directory(&Actor::Anonymous));
        assert!(!can_see_guardian_home(&Actor::Anonymous));
        assert!(!can_see_staff_home(&Actor::Anonymous));
    }

    #[test]
    fn a_guardian_sees_the_guardian_home_and_not_the_staff_home() {
        let kari = Actor::from_user(Some(user(Audience::Guardian)));
        assert!(can_see_guardian_home(&kari));
        assert!(!can_see_staff_home(&kari));
        assert_eq!(
            require(&kari, can_see_staff_home(&kari)),
            Err(AppError::Forbidden)
        );
    }

    #[test]
    fn a_staff_member_sees_the_staff_home_and_not_the_guardian_home() {
        let ingrid = Actor::from_user(Some(user(Audience::Staff)));
        assert!(can_see_staff_home(&ingrid));
        assert!(!can_see_guardian_home(&ingrid));
    }

    #[test]
    fn a_refusal_of_an_anonymous_caller_asks_for_login() {
        assert_eq!(
            require(&Actor::Anonymous, false),
            Err(AppError::Unauthenticated)
        );
        assert_eq!(require(&Actor::Anonymous, true), Ok(()));
    }
}
