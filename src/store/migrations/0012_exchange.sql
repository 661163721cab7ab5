-- 0012: the 前置库 exchange (issue 15). What gonggai reports to the
-- province's front DB and what the province answered. See docs/operations.md.
--
-- Finding changes costs what changed: rows that only ever get appended
-- (cases, case_status, case_documents) are read past a high-water mark
-- (exchange_marks); rows that change (projects, their units, where a project
-- stands, special procedures) queue their key in exchange_dirty by trigger.
-- The triggers test for the key instead of INSERT OR IGNORE: inside a
-- trigger the conflict policy of the outer statement wins, and the DO UPDATE
-- of an UPSERT (case_progress) would turn IGNORE into ABORT.

CREATE TABLE exchange_dirty (
	kind TEXT NOT NULL,                    -- project | special
	ref INTEGER NOT NULL,
	PRIMARY KEY (kind, ref)
) WITHOUT ROWID;

CREATE TABLE exchange_marks (
	kind TEXT PRIMARY KEY,                 -- case | status | document
	last_id INTEGER NOT NULL
) WITHOUT ROWID;

CREATE TRIGGER exchange_project_update AFTER UPDATE ON projects
BEGIN INSERT INTO exchange_dirty(kind, ref) SELECT 'project', NEW.id
	WHERE NOT EXISTS (SELECT 1 FROM exchange_dirty WHERE kind = 'project' AND ref = NEW.id); END;
CREATE TRIGGER exchange_unit_insert AFTER INSERT ON project_units
BEGIN INSERT INTO exchange_dirty(kind, ref) SELECT 'project', NEW.project_id
	WHERE NOT EXISTS (SELECT 1 FROM exchange_dirty WHERE kind = 'project' AND ref = NEW.project_id); END;
CREATE TRIGGER exchange_unit_update AFTER UPDATE ON project_units
BEGIN INSERT INTO exchange_dirty(kind, ref) SELECT 'project', NEW.project_id
	WHERE NOT EXISTS (SELECT 1 FROM exchange_dirty WHERE kind = 'project' AND ref = NEW.project_id); END;
CREATE TRIGGER exchange_unit_delete AFTER DELETE ON project_units
BEGIN INSERT INTO exchange_dirty(kind, ref) SELECT 'project', OLD.project_id
	WHERE NOT EXISTS (SELECT 1 FROM exchange_dirty WHERE kind = 'project' AND ref = OLD.project_id); END;
CREATE TRIGGER exchange_progress_insert AFTER INSERT ON case_progress
BEGIN INSERT INTO exchange_dirty(kind, ref) SELECT 'project', NEW.project_id
	WHERE NOT EXISTS (SELECT 1 FROM exchange_dirty WHERE kind = 'project' AND ref = NEW.project_id); END;
CREATE TRIGGER exchange_progress_update AFTER UPDATE OF finished_at, flow_id ON case_progress
BEGIN INSERT INTO exchange_dirty(kind, ref) SELECT 'project', NEW.project_id
	WHERE NOT EXISTS (SELECT 1 FROM exchange_dirty WHERE kind = 'project' AND ref = NEW.project_id); END;
CREATE TRIGGER exchange_special_insert AFTER INSERT ON case_specials
BEGIN INSERT INTO exchange_dirty(kind, ref) SELECT 'special', NEW.id
	WHERE NOT EXISTS (SELECT 1 FROM exchange_dirty WHERE kind = 'special' AND ref = NEW.id); END;
CREATE TRIGGER exchange_special_update AFTER UPDATE ON case_specials
BEGIN INSERT INTO exchange_dirty(kind, ref) SELECT 'special', NEW.id
	WHERE NOT EXISTS (SELECT 1 FROM exchange_dirty WHERE kind = 'special' AND ref = NEW.id); END;

-- One row per reported source row (DFSJZJ) and SPGL table: its current
-- mapped content and what became of the latest version sent. A change is a
-- new content with due_since set; sending it inserts a new front-DB row.
CREATE TABLE exchange_rows (
	id INTEGER PRIMARY KEY,
	tbl TEXT NOT NULL,                     -- SPGL table name (upper case)
	dfsjzj TEXT NOT NULL,                  -- our stable key of the source row
	object TEXT NOT NULL,                  -- project code or 办件 number shown to users
	department TEXT,                       -- department code, NULL when none
	ptbl TEXT, pkey TEXT,                  -- parent row that must go first (tbl, dfsjzj)
	ptbl2 TEXT, pkey2 TEXT,                -- second parent (a 办件's stage item)
	content TEXT NOT NULL,                 -- JSON object COLUMN -> value (our logical types)
	hash TEXT NOT NULL,                    -- of content
	withdrawn TEXT,                        -- reason (SJWXYY) once the row must no longer count
	due_since INTEGER,                     -- content not sent yet since (NULL: latest content sent)
	sent_hash TEXT,                        -- hash of the latest version sent
	sent_lsh TEXT,                         -- its LSH in the front DB ('' for a local refusal)
	sent_at INTEGER,
	sjsczt INTEGER,                        -- the province's verdict on it: 0 1 2 3 (NULL: never sent)
	sbyy TEXT,                             -- reason of a rejection
	verdict_at INTEGER,                    -- when we learned the verdict
	UNIQUE (tbl, dfsjzj)
);
CREATE INDEX exchange_rows_due ON exchange_rows(tbl, id) WHERE due_since IS NOT NULL;
CREATE INDEX exchange_rows_open ON exchange_rows(tbl, id) WHERE sjsczt IN (0, 1) AND sent_lsh <> '';
CREATE INDEX exchange_rows_rejected ON exchange_rows(verdict_at) WHERE sjsczt = 2 AND due_since IS NULL;
CREATE INDEX exchange_rows_object ON exchange_rows(object);
CREATE INDEX exchange_rows_state ON exchange_rows(tbl, sjsczt, due_since IS NULL);

-- A batch being sent (the intent, written before the front-DB transaction
-- and removed once its rows are recorded): what a crash leaves here is
-- settled from the front DB by the next round.
CREATE TABLE exchange_batches (
	id INTEGER PRIMARY KEY,
	tbl TEXT NOT NULL,
	ids TEXT NOT NULL,                     -- JSON array of exchange_rows ids
	started_at INTEGER NOT NULL
);

-- Every front-DB row we inserted (its LSH), so reconciliation after a crash
-- can tell our rows committed by a batch from the ones known before.
CREATE TABLE exchange_sent (
	lsh TEXT NOT NULL,
	row_id INTEGER NOT NULL REFERENCES exchange_rows(id),
	batch INTEGER NOT NULL,
	sent_at INTEGER NOT NULL,
	PRIMARY KEY (row_id, lsh)
) WITHOUT ROWID;

CREATE TABLE exchange_runs (
	id INTEGER PRIMARY KEY,
	kind TEXT NOT NULL,                    -- push | pull
	trigger TEXT NOT NULL,                 -- cli | schedule | http
	started_at INTEGER NOT NULL,
	finished_at INTEGER,
	state TEXT NOT NULL,                   -- running | done | failed
	rows INTEGER NOT NULL DEFAULT 0,       -- rows inserted (push) or verdicts learned (pull)
	report TEXT,                           -- JSON: rows per table
	message TEXT NOT NULL DEFAULT ''
);
CREATE INDEX exchange_runs_kind ON exchange_runs(kind, id);

-- A database with history: every project already applied for and every
-- special procedure is due at the first push (the marks start at 0).
INSERT OR IGNORE INTO exchange_dirty(kind, ref) SELECT 'project', project_id FROM case_progress;
INSERT OR IGNORE INTO exchange_dirty(kind, ref) SELECT 'special', id FROM case_specials;
