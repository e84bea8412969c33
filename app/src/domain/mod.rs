//! Pure rules shared by the server and the browser: identifiers, names, registers' vocabularies.
//! Nothing here touches a database, the network or the DOM, so all of it is unit-tested natively.

pub mod absence;
pub mod activity;
pub mod board;
pub mod children;
pub mod collation;
pub mod contact;
pub mod daily_note;
pub mod days;
pub mod guard;
pub mod home;
pub mod hours;
pub mod html;
pub mod identity;
pub mod input;
pub mod messaging;
pub mod municipality;
pub mod name;
pub mod notify;
pub mod pid;
pub mod staff;
pub mod tablet;
pub mod unit;

pub use identity::{Acr, Audience};
pub use municipality::MunicipalityNumber;
pub use name::DisplayName;
pub use pid::Pid;
pub use unit::UnitKind;
