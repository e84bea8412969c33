//! Pages of the practical day: absence, pick-up notes, activities, and the staff tablet.

mod absence;
mod activities;
mod board;
mod pickup;

pub use absence::{AbsencePage, LeavePage, StaffAbsencePage};
pub use activities::ActivitiesPage;
pub use board::BoardPage;
pub use pickup::PickupPage;
