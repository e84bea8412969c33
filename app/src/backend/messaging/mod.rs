//! Conversations between home and kindergarten/school: threads about a child, group messages
//! from staff, read markers, drafts kept when a send cannot go through, and the realtime
//! fan-out that tells open screens about new messages.

pub mod drafts;
pub mod inbox;
pub mod realtime;
pub mod send;
pub mod threads;

#[cfg(test)]
mod tests;

/// Current time as Unix milliseconds, the grain of message times and read markers.
pub fn now_ms() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_millis() as i64)
        .unwrap_or_default()
}
