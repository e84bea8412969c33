//! What a logged-in person sees first: a guardian their children (with where each is today and
//! what is unread) and notices; a staff member their roles and the children they work with.

use serde::{Deserialize, Serialize};

/// A child on a guardian's home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChildSummary {
    pub id: String,
    /// The display name: at most two given names.
    pub name: String,
    /// Kindergarten, school and SFO groups the child is in today.
    pub places: Vec<super::children::Place>,
    /// Unread messages about the child.
    pub unread: i64,
}

/// A guardian's home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct GuardianHome {
    pub name: String,
    pub municipality: String,
    pub children: Vec<ChildSummary>,
    pub notices: Vec<NoticeSummary>,
    /// Offer quick unlock: the guardian has just logged in with ID-porten, the only time it can
    /// be set up. Decided on the server so that the offer is in the page from the first paint
    /// and nothing is pushed down when the app starts.
    pub offer_quick_unlock: bool,
    /// Offer notifications: the guardian has not turned push on anywhere nor chosen settings.
    /// A link to the settings page, never a permission prompt.
    pub offer_notifications: bool,
}

/// "Someone has gained access to your child": the adult is `None` when they must not be named.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeSummary {
    pub child: String,
    pub adult: Option<String>,
}

/// A role on a staff member's home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffRoleSummary {
    pub unit: String,
    pub group: Option<String>,
    /// i18n key of the role's name.
    pub role_key: String,
}

/// A staff member's home page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffHome {
    pub name: String,
    pub municipality: String,
    pub roles: Vec<StaffRoleSummary>,
    /// The children this staff member may see, each with unit and group.
    pub children: Vec<StaffChild>,
    /// Minutes without use before this session ends.
    pub idle_minutes: i64,
    /// Unread messages in the conversations the staff member takes part in.
    pub unread: i64,
    /// Children reported absent today and tomorrow, and leave requests waiting for them.
    pub absent_today: usize,
    pub absent_tomorrow: usize,
    pub leave_requests: usize,
    /// Works with a kindergarten or SFO group, which has a check-in board (school staff don't).
    pub has_board: bool,
}

/// A child on a staff member's lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StaffChild {
    pub id: String,
    pub name: String,
    pub place: String,
    /// Confidential address: shown as "skjermet" to staff.
    pub shielded: bool,
}
