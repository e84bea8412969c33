//! Pairing a shared tablet to a unit. The tablet, with nobody logged in, makes a non-extractable
//! P-256 key and asks for a pairing: it gets a short code to show and a poll cookie only it
//! holds. A leader of the unit types the code on their own session, names the tablet and picks
//! the unit; the tablet, polling, then collects its long-lived tablet cookie. Codes are single
//! use and expire after ten minutes; asking for one is unauthenticated, so it is rate-limited by
//! address and writes at most one row per request.

use crate::backend::access::UnitLeader;
use crate::backend::identity::session::{hash_token, random_token};
use crate::backend::repo::new_id;
use crate::backend::{Database, sql};
use crate::domain::input::strip_unwanted;
use crate::domain::tablet::{CODE_ALPHABET, CODE_LEN, PAIRING_MS, parse_code};
use crate::error::{AppError, ResultExt};

/// A new pairing request: what the tablet shows and the cookie it polls with.
pub struct Started {
    pub code: String,
    pub poll_token: String,
    pub expires_at: i64,
}

fn new_code() -> String {
    use rand::Rng;
    let mut rng = rand::rngs::OsRng;
    (0..CODE_LEN).map(|_| CODE_ALPHABET[rng.gen_range(0..CODE_ALPHABET.len())] as char).collect()
}

/// Pairing requests waiting at once, at most: asking is unauthenticated (and rate-limited per
/// address), so the table is bounded whatever many addresses do.
pub const MAX_WAITING: i64 = 1_000;
/// Pairing requests waiting at once from one address (a kindergarten behind one NAT pairs a
/// few tablets at a time, not more).
pub const MAX_WAITING_PER_ADDRESS: i64 = 10;

/// A tablet's name as its leader typed it: one line, at most 60 characters, no identity number.
fn tablet_name(typed: &str) -> Result<String, AppError> {
    let name: String = strip_unwanted(typed)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .chars()
        .take(60)
        .collect();
    if name.is_empty() {
        return Err(AppError::invalid("tablet.error.name"));
    }
    crate::backend::messaging::send::screen(&[("name", &name)], &[], true)
        .map_err(|_| AppError::invalid("guard.problem.national_id"))?;
    Ok(name)
}

/// A tablet at `address` asks to be paired with its key's public half.
pub async fn start(db: &Database, public_key: &str, address: &str) -> Result<Started, AppError> {
    if public_key.len() > 200 || !crate::backend::quick_unlock::valid_public_key(public_key) {
        return Err(AppError::invalid("tablet.error.key"));
    }
    let now = db.clock.now_ms();
    // Old requests go first: the table holds only live ones. A tablet confirmed but never
    // collected by the tablet (it was switched off) is no tablet: it goes too.
    let mut tx = db.pool.begin().await.context("clearing old pairings")?;
    sql::run(
        &mut *tx,
        "UPDATE tablet SET revoked_at = $1
         WHERE revoked_at IS NULL AND cookie_hash IS NULL AND id IN (
             SELECT tablet_id FROM tablet_pairing
             WHERE expires_at < $1 AND tablet_id IS NOT NULL AND collected_at IS NULL)",
        (now,),
    )
    .await
    .context("clearing uncollected tablets")?;
    sql::run(&mut *tx, "DELETE FROM tablet_pairing WHERE expires_at < $1", (now,))
        .await
        .context("clearing old pairings")?;
    tx.commit().await.context("clearing old pairings")?;
    let requester = hash_token(address);
    let (waiting, here): (i64, i64) = sql::one(
        &db.pool,
        "SELECT COUNT(*), COALESCE(SUM(CASE WHEN requester = $1 THEN 1 ELSE 0 END), 0)
         FROM tablet_pairing WHERE collected_at IS NULL",
        (&requester,),
    )
    .await
    .context("counting pairing requests")?;
    if waiting >= MAX_WAITING || here >= MAX_WAITING_PER_ADDRESS {
        return Err(AppError::busy(std::time::Duration::from_secs(60)));
    }
    let (code, poll_token) = (new_code(), random_token());
    sql::run(
        &db.pool,
        "INSERT INTO tablet_pairing (id, code_hash, poll_hash, public_key, created_at, expires_at,
                                     requester)
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
        (
            new_id(),
            hash_token(&code),
            hash_token(&poll_token),
            public_key,
            now,
            now + PAIRING_MS,
            &requester,
        ),
    )
    .await
    .context("storing a pairing request")?;
    Ok(Started { code, poll_token, expires_at: now + PAIRING_MS })
}

/// A leader confirms the code a tablet shows: the tablet is paired to `leader.unit_id` as
/// `name`. The same code twice (two leaders at once, a double tap): one tablet, and the second
/// is told the code is not (any longer) valid.
pub async fn confirm(leader: &UnitLeader, typed: &str, name: &str) -> Result<String, AppError> {
    let db = &leader.caller.state.db;
    let code = parse_code(typed).ok_or_else(|| AppError::invalid("tablet.error.code"))?;
    let name = tablet_name(name)?;
    let now = db.clock.now_ms();
    let tablet_id = new_id();
    let mut tx = db.pool.begin().await.context("pairing a tablet")?;
    // Claimed in one statement: only one confirmation can set the tablet.
    let claimed: Option<(String,)> = sql::opt(
        &mut *tx,
        "UPDATE tablet_pairing SET tablet_id = $3
         WHERE code_hash = $1 AND tablet_id IS NULL AND expires_at >= $2
         RETURNING public_key",
        (hash_token(&code), now, &tablet_id),
    )
    .await
    .context("claiming a pairing code")?;
    let Some((public_key,)) = claimed else {
        return Err(AppError::invalid("tablet.error.code"));
    };
    sql::run(
        &mut *tx,
        "INSERT INTO tablet (id, unit_id, name, public_key, paired_by, paired_at, last_used_at)
         VALUES ($1, $2, $3, $4, $5, $6, $6)",
        (&tablet_id, &leader.unit_id, &name, &public_key, &leader.caller.user.person_id, now),
    )
    .await
    .context("storing a tablet")?;
    tx.commit().await.context("pairing a tablet")?;
    crate::backend::audit::record(
        db,
        Some(&leader.caller.user.person_id),
        "tablet_paired",
        Some(&tablet_id),
        None,
    )
    .await
    .context("recording an audit event")?;
    Ok(tablet_id)
}

/// What the tablet's poll learns.
pub enum Poll {
    /// Not confirmed yet (or never will be: expired, unknown) — the tablet shows the code until
    /// it expires.
    Waiting,
    /// Paired: the tablet's cookie, given once.
    Paired { tablet_id: String, cookie_token: String },
}

/// The tablet asks with its poll cookie whether it has been paired. The tablet cookie is given
/// out once: the pairing is spent in the same statement.
pub async fn poll(db: &Database, poll_token: &str) -> Result<Poll, AppError> {
    let now = db.clock.now_ms();
    let mut tx = db.pool.begin().await.context("collecting a pairing")?;
    let spent: Option<(String,)> = sql::opt(
        &mut *tx,
        "UPDATE tablet_pairing SET collected_at = $2
         WHERE poll_hash = $1 AND tablet_id IS NOT NULL AND collected_at IS NULL
         RETURNING tablet_id",
        (hash_token(poll_token), now),
    )
    .await
    .context("collecting a pairing")?;
    let Some((tablet_id,)) = spent else { return Ok(Poll::Waiting) };
    let cookie_token = random_token();
    let given = sql::run(
        &mut *tx,
        "UPDATE tablet SET cookie_hash = $2 WHERE id = $1 AND revoked_at IS NULL",
        (&tablet_id, hash_token(&cookie_token)),
    )
    .await
    .context("giving a tablet its cookie")?
    .rows_affected();
    tx.commit().await.context("collecting a pairing")?;
    // Unpaired before it was collected: nothing to give.
    if given == 0 {
        return Ok(Poll::Waiting);
    }
    Ok(Poll::Paired { tablet_id, cookie_token })
}

/// Unpairs a tablet of the leader's unit: it is revoked and every session on it ends at once
/// (in every process, through the session-end event).
pub async fn unpair(leader: &UnitLeader, tablet_id: &str) -> Result<(), AppError> {
    let state = &leader.caller.state;
    let db = &state.db;
    let mut tx = db.pool.begin().await.context("unpairing a tablet")?;
    let done = sql::run(
        &mut *tx,
        "UPDATE tablet SET revoked_at = $3, cookie_hash = NULL
         WHERE id = $1 AND unit_id = $2 AND revoked_at IS NULL",
        (tablet_id, &leader.unit_id, db.clock.now_ms()),
    )
    .await
    .context("revoking a tablet")?
    .rows_affected();
    if done == 0 {
        return Err(AppError::NotFound);
    }
    let ended: Vec<(String,)> = sql::all(
        &mut *tx,
        "DELETE FROM session WHERE tablet_id = $1 RETURNING id_hash",
        (tablet_id,),
    )
    .await
    .context("ending a tablet's sessions")?;
    tx.commit().await.context("unpairing a tablet")?;
    for (hash,) in ended {
        crate::backend::messaging::realtime::session_ended(state, &hash).await;
    }
    Ok(())
}
