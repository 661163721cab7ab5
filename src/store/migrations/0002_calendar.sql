-- 0002: working-day calendars loaded by an administrator (gonggai cal import,
-- PUT /api/calendar/{year}). One row per notice year, the CSV exactly as
-- validated; a stored year replaces the notice built into the binary. Each
-- load is audited (calendar.import) with the year, row count and SHA-256.
CREATE TABLE calendar_years (
	year INTEGER PRIMARY KEY CHECK (year BETWEEN 2000 AND 2100),
	csv TEXT NOT NULL,                  -- date,kind,name lines of the notice
	rows INTEGER NOT NULL,              -- date lines in csv
	sha256 TEXT NOT NULL,               -- of csv, as recorded in the audit log
	loaded_at INTEGER NOT NULL,         -- epoch seconds
	loaded_by TEXT NOT NULL             -- username, or cli:<login>
);
