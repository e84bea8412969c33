//! Choosing a municipality: the first thing a guardian does, before logging in.

use crate::api::AppError;
use crate::domain::{MunicipalityNumber, UnitKind};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// A municipality as listed on the landing page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalitySummary {
    pub number: MunicipalityNumber,
    pub name: String,
}

/// A municipality with the units that use Ranselpost.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MunicipalityDetails {
    pub number: MunicipalityNumber,
    pub name: String,
    pub units: Vec<UnitSummary>,
}

/// A unit in the public directory.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSummary {
    pub name: String,
    pub kind: UnitKind,
}

/// Every municipality that uses Ranselpost, by name. Public: the directory is what a visitor
/// needs before logging in, and holds no personal data.
#[server(prefix = "/api/public", endpoint = "municipalities")]
pub async fn list_municipalities() -> Result<Vec<MunicipalitySummary>, AppError> {
    crate::api::error::with_status(async move {
        use crate::api::error::ResultExt;
        use crate::backend::{repo::municipalities, state};

        let state = state()?;
        let rows = municipalities::list(&state.db).await.context("listing municipalities")?;
        rows.into_iter()
            .map(|row| {
                Ok(MunicipalitySummary {
                    number: MunicipalityNumber::parse(&row.id)
                        .map_err(|e| AppError::internal("stored municipality number", &e))?,
                    name: row.name,
                })
            })
            .collect()
    })
    .await
}

/// One municipality and its units. Public for the same reason as [`list_municipalities`].
#[server(prefix = "/api/public", endpoint = "municipality")]
pub async fn get_municipality(number: String) -> Result<MunicipalityDetails, AppError> {
    crate::api::error::with_status(async move {
        use crate::api::error::ResultExt;
        use crate::backend::{repo::municipalities, repo::units, state};

        let number = MunicipalityNumber::parse(&number)
            .map_err(|_| AppError::invalid("municipality.invalid"))?;
        let state = state()?;
        let row = municipalities::get(&state.db, number.as_str())
            .await
            .context("loading a municipality")?
            .ok_or(AppError::NotFound)?;
        let today = state.today();
        let units = units::list_for_municipality(&state.db, number.as_str())
            .await
            .context("listing a municipality's units")?
            .into_iter()
            // A unit (such as an SFO) not yet in use is not shown before its start date.
            .filter(|u| u.starts_on.as_deref().is_none_or(|d| d <= today.as_str()))
            .filter_map(|u| Some(UnitSummary { kind: UnitKind::parse(&u.kind)?, name: u.name }))
            .collect();
        Ok(MunicipalityDetails { number, name: row.name, units })
    })
    .await
}
