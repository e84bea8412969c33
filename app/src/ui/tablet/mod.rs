//! Shared tablets in the browser: the tablet's own screen (`/nettbrett`: pair it, or the unit's
//! staff as tiles with a PIN pad), the lock on the board (a button and the idle timer), and the
//! leader's page of the unit's tablets (`/ansatt/nettbrett`).

mod admin;
mod home;
mod lock;

pub use admin::TabletAdminPage;
pub use home::TabletPage;
pub use lock::TabletLock;
