-- 0011: hardening of accounts and the audit log.
-- last_login_at: the last successful login (login bookkeeping writes only
-- failed_logins, locked_until and this column, never the whole row).
ALTER TABLE users ADD COLUMN last_login_at INTEGER NOT NULL DEFAULT 0;
-- norm_hash: argon2 of the password normalised (whitespace removed, ASCII
-- case-folded), so "Passw0rd!" and "passw0rd! " count as the same one;
-- '' for rows written before this migration (compared exactly).
ALTER TABLE password_history ADD COLUMN norm_hash TEXT NOT NULL DEFAULT '';
-- The secret key of the installation lives in a file outside the database
-- (org/keys.h); the database records only where it is. The audit chain is
-- keyed (HMAC) after the anchor written in that file.
CREATE TABLE security_key (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	key_file TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
