-- 运维档案: one row per start of `gonggai serve` (issue 19). The rest of the
-- archive is read from the records that already exist (audit log, ops runs).
CREATE TABLE app_starts (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	version TEXT NOT NULL,
	build TEXT NOT NULL,           -- first 16 hex digits of the binary's SHA-256
	prev_version TEXT,             -- of the previous start (NULL: the first)
	prev_build TEXT,
	pid INTEGER NOT NULL,
	config_hash TEXT NOT NULL,     -- SHA-256 of the effective configuration
	config_keys TEXT NOT NULL,     -- JSON {"section.key": "<SHA-256 of the value>"}: values stay out
	changed_keys TEXT NOT NULL,    -- JSON ["section.key", ...] against the previous start
	migrations TEXT NOT NULL       -- JSON ["0017_archive", ...] applied by this start
);
CREATE INDEX app_starts_at ON app_starts(at);
