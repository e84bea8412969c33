//! The practical day: absence and leave of absence, activities and the calendar feed, and the
//! kindergarten/SFO day on the staff tablet (check-in/out, pick-up notes).

pub mod absence;
pub mod activities;
pub mod agenda;
pub mod board;
pub mod calendar;
pub mod daily_note;
pub mod follow_up;
pub mod planning;
pub mod reporting;
pub mod tablet;

#[cfg(test)]
mod tests;
