-- The TOTP second factor (RFC 6238) of administrators (等保 level 3: two
-- factors, one cryptographic). totp_secret: base32, '' when not enrolled;
-- totp_pending: a secret handed out for enrolment, not yet confirmed by a
-- code; totp_step: the last 30-second step accepted (a code is used once).
ALTER TABLE users ADD COLUMN totp_secret TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_pending TEXT NOT NULL DEFAULT '';
ALTER TABLE users ADD COLUMN totp_step INTEGER NOT NULL DEFAULT 0;
