-- When the person last proved who they are at the identity provider (the ID token's auth_time,
-- Unix seconds), as opposed to when this session started: a login answered from the provider's
-- single sign-on session starts a new session without anyone typing anything. Actions that open
-- a long-lived way in ask for a recent authentication, not a recent session. NULL when the
-- provider did not say (then such actions ask for a new login with prompt=login).
ALTER TABLE session ADD COLUMN authenticated_at BIGINT;
