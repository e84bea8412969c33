//! Operator commands that change configuration in the database.

use crate::StartupError;
use crate::config::{IdpArgs, SfoStartArgs, UnitHoursArgs};
use app::backend::Database;
use app::backend::identity::oidc::parse_rsa_private_key;
use app::backend::identity::providers::{self, ClientAuth, NewProvider};
use app::backend::repo::{municipalities, units};
use app::domain::{Acr, Audience, MunicipalityNumber};

/// Validates and stores a municipality's identity provider for one audience.
pub async fn set_identity_provider(db: &Database, args: &IdpArgs) -> Result<(), StartupError> {
    let fail = |msg: String| StartupError::Admin(msg);
    let number = MunicipalityNumber::parse(&args.municipality).map_err(|_| {
        fail(format!(
            "--municipality {:?} is not a four-digit municipality number",
            args.municipality
        ))
    })?;
    if municipalities::get(db, number.as_str()).await?.is_none() {
        return Err(fail(format!("municipality {number} is not in the database")));
    }
    let audience = Audience::parse(&args.audience).ok_or_else(|| {
        fail(format!("--audience must be guardian or staff, not {:?}", args.audience))
    })?;
    let auth = ClientAuth::parse(&args.client_auth).ok_or_else(|| {
        fail(
            "--client-auth must be client_secret_basic, client_secret_post or private_key_jwt"
                .into(),
        )
    })?;
    let issuer_ok = args.issuer.starts_with("https://")
        || args.issuer.starts_with("http://localhost")
        || args.issuer.starts_with("http://127.0.0.1");
    if !issuer_ok {
        return Err(fail("--issuer must be an https URL".into()));
    }
    let secret = match (auth, &args.client_secret_env) {
        (ClientAuth::PrivateKeyJwt, _) => None,
        (_, Some(var)) => Some(
            std::env::var(var)
                .map_err(|_| fail(format!("the environment variable {var} is not set")))?,
        ),
        (_, None) => {
            return Err(fail(
                "--client-secret-env is required for client_secret_* authentication".into(),
            ));
        }
    };
    let key = match (auth, &args.private_key_file) {
        (ClientAuth::PrivateKeyJwt, Some(path)) => {
            let pem = std::fs::read_to_string(path)
                .map_err(|e| fail(format!("cannot read {}: {e}", path.display())))?;
            parse_rsa_private_key(&pem).map_err(|e| fail(format!("{}: {e}", path.display())))?;
            Some(pem)
        }
        (ClientAuth::PrivateKeyJwt, None) => {
            return Err(fail("--private-key-file is required for private_key_jwt".into()));
        }
        _ => None,
    };
    let acr = match (&args.acr_values, audience) {
        (Some(a), _) => Some(a.clone()),
        (None, Audience::Guardian) => Some(Acr::SUBSTANTIAL.to_owned()),
        (None, Audience::Staff) => None,
    };
    let id = format!("{number}-{}", audience.as_str());
    let provider = NewProvider {
        id: &id,
        municipality_id: number.as_str(),
        audience,
        issuer: args.issuer.trim_end_matches('/'),
        client_id: &args.client_id,
        client_auth: auth,
        client_secret: secret.as_deref(),
        private_key_pem: key.as_deref(),
        acr_values: acr.as_deref(),
    };
    providers::upsert(db, &provider).await?;
    Ok(())
}

/// Sets the day a municipality's SFO units come into use. Returns how many units changed.
pub async fn set_sfo_start(db: &Database, args: &SfoStartArgs) -> Result<u64, StartupError> {
    let number = MunicipalityNumber::parse(&args.municipality).map_err(|_| {
        StartupError::Admin(format!(
            "--municipality {:?} is not a four-digit municipality number",
            args.municipality
        ))
    })?;
    if municipalities::get(db, number.as_str()).await?.is_none() {
        return Err(StartupError::Admin(format!("municipality {number} is not in the database")));
    }
    Ok(units::set_sfo_start(db, number.as_str(), &args.date).await?)
}

/// Sets when a unit reads messages; an empty text removes the hours.
pub async fn set_unit_hours(db: &Database, args: &UnitHoursArgs) -> Result<(), StartupError> {
    use app::backend::messaging::send;
    use app::domain::hours::StaffHours;
    if units::get(db, &args.unit).await?.is_none() {
        return Err(StartupError::Admin(format!("unit {:?} is not in the database", args.unit)));
    }
    let hours = if args.hours.trim().is_empty() {
        None
    } else {
        Some(StaffHours::parse(&args.hours).ok_or_else(|| {
            StartupError::Admin(format!(
                "--hours {:?} is not days and time like \"man-fre 08-16\"",
                args.hours
            ))
        })?)
    };
    send::set_unit_hours(db, &args.unit, hours.as_ref()).await?;
    Ok(())
}
