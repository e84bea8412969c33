//! Pages of the practical day: absence, pick-up notes, activities, and the staff tablet.

mod absence;
mod activities;
mod board;
mod daily_note;
mod pickup;

pub use absence::{AbsencePage, LeavePage, StaffAbsencePage};
pub use activities::ActivitiesPage;
pub use board::BoardPage;
pub use daily_note::DailyNotePage;
pub use pickup::PickupPage;
