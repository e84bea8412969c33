//! `/healthz`: for load balancers and the operator. Always 200 while the process serves; the
//! body says whether the database answers.

use app::backend::AppState;
use axum::{Json, extract::State};
use serde::Serialize;

#[derive(Serialize)]
pub struct Health {
    status: &'static str,
    database: &'static str,
}

pub async fn healthz(State(state): State<AppState>) -> Json<Health> {
    let up = state.db.is_reachable().await;
    Json(Health { status: "ok", database: if up { "up" } else { "down" } })
}
