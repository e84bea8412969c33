-- Secrets the server makes for itself at first use and must keep across restarts and share
-- between processes (e.g. what passkey stand-ins are derived from). Base64url text.
CREATE TABLE server_secret (
    name        TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    created_at  BIGINT NOT NULL
);
