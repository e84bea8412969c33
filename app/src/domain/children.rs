//! What a child's page tells about the child: where the child is, and who reads what is written
//! about the child. Built on the server from the registers and the staff roles.

use super::UnitKind;
use serde::{Deserialize, Serialize};

/// A place a child is today: a group of a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Place {
    pub unit: String,
    pub kind: UnitKind,
    pub group: String,
}

/// Someone who can read the child's messages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reader {
    pub name: String,
    /// i18n key of why: parental responsibility or a staff role.
    pub role_key: String,
    pub place: Option<String>,
}
