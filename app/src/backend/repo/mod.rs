//! Repositories, one module per aggregate. Runtime queries (`query_as` + `FromRow`) with `$n`
//! placeholders, which both SQLite and PostgreSQL understand, so one SQL text serves both.

pub mod children;
pub mod contacts;
pub mod enrollments;
pub mod groups;
pub mod guardianships;
pub mod municipalities;
pub mod persons;
pub mod secrets;
pub mod staff_roles;
pub mod units;

/// Declares a row struct and its `FromRow` for the `Any` driver, reading each field by its
/// column name. (sqlx's derive would pull a second copy of both drivers into the build.)
macro_rules! row_struct {
    ($(#[$meta:meta])* pub struct $name:ident { $($(#[$fmeta:meta])* pub $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub struct $name { $($(#[$fmeta])* pub $field: $ty),* }

        impl<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> for $name {
            fn from_row(row: &'r sqlx::any::AnyRow) -> sqlx::Result<Self> {
                use sqlx::Row;
                Ok(Self { $($field: row.try_get(stringify!($field))?),* })
            }
        }
    };
}
pub(crate) use row_struct;

/// Gives a row struct with the register's three name columns (`given_names`, `middle_name`,
/// `surname`) the name shown for it, so that rule lives in one place ([`DisplayName`]).
///
/// [`DisplayName`]: crate::domain::DisplayName
macro_rules! register_name {
    ($($row:ty),* $(,)?) => {$(
        impl $row {
            /// The name shown everywhere: at most two given names.
            pub fn display_name(&self) -> $crate::domain::DisplayName {
                $crate::domain::DisplayName::from_register(
                    &self.given_names,
                    self.middle_name.as_deref(),
                    &self.surname,
                )
            }

            /// The name shown, as text.
            pub fn name(&self) -> String {
                self.display_name().to_string()
            }
        }
    )*};
}
pub(crate) use register_name;

/// The real time as Unix seconds, the schema's timestamp type for sessions, tokens and audit.
pub use crate::backend::clock::real_now_secs as now;

/// A fresh, unguessable id.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
