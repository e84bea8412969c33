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

/// The real time as Unix seconds, the schema's timestamp type for sessions, tokens and audit.
pub use crate::backend::clock::real_now_secs as now;

/// A fresh, unguessable id.
pub fn new_id() -> String {
    uuid::Uuid::new_v4().to_string()
}
