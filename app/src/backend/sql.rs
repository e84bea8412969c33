//! One statement, one call: `sql::all(&db.pool, "SELECT … WHERE a = $1 AND b = $2", (a, b))`.
//!
//! sqlx's builder (`query(..).bind(a).bind(b).fetch_all(e).await`) spends a line a value and was
//! written out some two hundred times in `backend/`; here the values travel as one tuple, so a
//! repository function reads as its SQL and what goes into it. Every function takes any executor
//! (the pool, a transaction, a connection) and runs the same portable SQL on both engines.
//! Rows come back through `FromRow` (a tuple or a `row_struct!`); code that reads columns by
//! name still uses sqlx directly.

use sqlx::any::{Any, AnyArguments, AnyQueryResult, AnyRow};
use sqlx::error::BoxDynError;
use sqlx::{Arguments, Encode, Executor, FromRow, Type};

/// Values for a statement's `$1, $2, …`, in order: `()`, `(a,)`, `(a, b)` … up to sixteen.
pub trait Binds<'q> {
    /// The values as sqlx arguments; an error if one cannot be encoded.
    fn into_args(self) -> Result<AnyArguments<'q>, BoxDynError>;
}

impl<'q> Binds<'q> for () {
    fn into_args(self) -> Result<AnyArguments<'q>, BoxDynError> {
        Ok(AnyArguments::default())
    }
}

macro_rules! binds_for_tuple {
    ($($name:ident),+) => {
        impl<'q, $($name),+> Binds<'q> for ($($name,)+)
        where
            $($name: 'q + Encode<'q, Any> + Type<Any>),+
        {
            #[expect(non_snake_case, reason = "the values are named after their type parameters")]
            fn into_args(self) -> Result<AnyArguments<'q>, BoxDynError> {
                let ($($name,)+) = self;
                let mut args = AnyArguments::default();
                $(args.add($name)?;)+
                Ok(args)
            }
        }
    };
}

binds_for_tuple!(A);
binds_for_tuple!(A, B);
binds_for_tuple!(A, B, C);
binds_for_tuple!(A, B, C, D);
binds_for_tuple!(A, B, C, D, E);
binds_for_tuple!(A, B, C, D, E, F);
binds_for_tuple!(A, B, C, D, E, F, G);
binds_for_tuple!(A, B, C, D, E, F, G, H);
binds_for_tuple!(A, B, C, D, E, F, G, H, I);
binds_for_tuple!(A, B, C, D, E, F, G, H, I, J);
binds_for_tuple!(A, B, C, D, E, F, G, H, I, J, K);
binds_for_tuple!(A, B, C, D, E, F, G, H, I, J, K, L);
binds_for_tuple!(A, B, C, D, E, F, G, H, I, J, K, L, M);
binds_for_tuple!(A, B, C, D, E, F, G, H, I, J, K, L, M, N);
binds_for_tuple!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O);
binds_for_tuple!(A, B, C, D, E, F, G, H, I, J, K, L, M, N, O, P);

/// What a query's rows are read into: a tuple, a `row_struct!`, or a type with its own `FromRow`.
pub trait Row: for<'r> FromRow<'r, AnyRow> + Send + Unpin {}
impl<T: for<'r> FromRow<'r, AnyRow> + Send + Unpin> Row for T {}

/// The values as arguments; one that cannot be encoded is sqlx's encode error, as `.bind` gives.
fn args<'q>(binds: impl Binds<'q>) -> sqlx::Result<AnyArguments<'q>> {
    binds.into_args().map_err(sqlx::Error::Encode)
}

/// Runs a statement that returns no rows (INSERT, UPDATE, DELETE); how many rows it touched is
/// in the result.
pub async fn run<'q, 'c>(
    executor: impl Executor<'c, Database = Any>,
    sql: &'q str,
    binds: impl Binds<'q>,
) -> sqlx::Result<AnyQueryResult> {
    sqlx::query_with(sql, args(binds)?).execute(executor).await
}

/// Every row of a query.
pub async fn all<'q, 'c, O: Row>(
    executor: impl Executor<'c, Database = Any>,
    sql: &'q str,
    binds: impl Binds<'q>,
) -> sqlx::Result<Vec<O>> {
    sqlx::query_as_with(sql, args(binds)?).fetch_all(executor).await
}

/// The row of a query that finds at most one, if there is one.
pub async fn opt<'q, 'c, O: Row>(
    executor: impl Executor<'c, Database = Any>,
    sql: &'q str,
    binds: impl Binds<'q>,
) -> sqlx::Result<Option<O>> {
    sqlx::query_as_with(sql, args(binds)?).fetch_optional(executor).await
}

/// The one row of a query that always finds one (a `COUNT`, a row just written); no row is an
/// error.
pub async fn one<'q, 'c, O: Row>(
    executor: impl Executor<'c, Database = Any>,
    sql: &'q str,
    binds: impl Binds<'q>,
) -> sqlx::Result<O> {
    sqlx::query_as_with(sql, args(binds)?).fetch_one(executor).await
}
