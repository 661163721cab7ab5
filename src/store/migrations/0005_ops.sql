-- 0005: built-in operations (issue 6): inspection runs and their results,
-- the current state of each inspection item and its changes, backups, and
-- the scheduler's heartbeat. Every background or manual job (inspection,
-- backup, restore drill, cleanup) is one ops_runs row with a lease: a run
-- that crashed stays 'running' only until lease_until, after which the next
-- claim marks it 'expired' and goes ahead (domain.md §12).
CREATE TABLE ops_runs (
	id INTEGER PRIMARY KEY,
	job TEXT NOT NULL,                  -- inspect.app|host|db|logs|net|manual, backup, drill, cleanup, restore
	trigger TEXT NOT NULL,              -- 'scheduler', 'cli:<login>', 'api:<username>'
	state TEXT NOT NULL,                -- running | done | failed | expired | interrupted
	status TEXT NOT NULL DEFAULT '',    -- OK WARN CRIT UNKNOWN (worst item; OK/CRIT for other jobs)
	started_at INTEGER NOT NULL,        -- epoch seconds
	lease_until INTEGER NOT NULL,       -- a 'running' row past this is abandoned
	finished_at INTEGER,
	message TEXT NOT NULL DEFAULT '',
	details TEXT                        -- JSON object, job-specific
);
CREATE INDEX ops_runs_job ON ops_runs(job, started_at);
CREATE INDEX ops_runs_started ON ops_runs(started_at);

CREATE TABLE ops_results (
	id INTEGER PRIMARY KEY,
	run_id INTEGER NOT NULL REFERENCES ops_runs(id),
	at INTEGER NOT NULL,
	item TEXT NOT NULL,                 -- host.disk.data, net.province, ...
	status TEXT NOT NULL,               -- OK WARN CRIT UNKNOWN
	value REAL,                         -- NULL when the check measured nothing
	unit TEXT NOT NULL DEFAULT '',
	warn REAL,                          -- thresholds in force (NULL: none)
	crit REAL,
	message TEXT NOT NULL
);
CREATE INDEX ops_results_run ON ops_results(run_id);
CREATE INDEX ops_results_item ON ops_results(item, at);
CREATE INDEX ops_results_at ON ops_results(at);

-- One row per item: its latest result and since when it has that status.
CREATE TABLE ops_item_state (
	item TEXT PRIMARY KEY,
	status TEXT NOT NULL,
	since INTEGER NOT NULL,
	last_at INTEGER NOT NULL,
	last_run_id INTEGER NOT NULL,
	value REAL,
	unit TEXT NOT NULL DEFAULT '',
	warn REAL,
	crit REAL,
	message TEXT NOT NULL
);

CREATE TABLE ops_state_changes (
	id INTEGER PRIMARY KEY,
	item TEXT NOT NULL,
	at INTEGER NOT NULL,
	run_id INTEGER NOT NULL,
	from_status TEXT NOT NULL,          -- '' for the first observation
	to_status TEXT NOT NULL,
	value REAL,
	message TEXT NOT NULL
);
CREATE INDEX ops_state_changes_at ON ops_state_changes(at);
CREATE INDEX ops_state_changes_item ON ops_state_changes(item, at);

CREATE TABLE ops_backups (
	id INTEGER PRIMARY KEY,
	run_id INTEGER NOT NULL REFERENCES ops_runs(id),
	created_at INTEGER NOT NULL,
	path TEXT NOT NULL,                 -- absolute path of the copy
	size_bytes INTEGER NOT NULL,
	sha256 TEXT NOT NULL,               -- hex, of the file as written
	integrity TEXT NOT NULL,            -- 'ok' or the first integrity_check message
	copy_ms REAL NOT NULL,
	check_ms REAL NOT NULL,
	removed_at INTEGER,                 -- set when retention deleted the file
	removed_reason TEXT
);
CREATE INDEX ops_backups_created ON ops_backups(created_at);
CREATE INDEX ops_backups_path ON ops_backups(path);

CREATE TABLE ops_heartbeat (
	name TEXT PRIMARY KEY,              -- 'scheduler'
	at INTEGER NOT NULL,
	pid INTEGER NOT NULL,
	started_at INTEGER NOT NULL
);
