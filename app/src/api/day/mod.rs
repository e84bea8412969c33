//! The day's practical information, both ways: absence and leave, activities and sign-ups, the
//! staff board with check-in and pick-up notes (`backend::day`, `ui::day`).

pub mod absence;
pub mod activities;
pub mod board;
pub mod daily_note;
