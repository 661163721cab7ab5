-- 0024: the status pass of 数据质检 reads only what changed (P4; docs/quality.md).
--
-- The four status rules (status-first, status-order, status-after-final,
-- status-code) judge each 办件 by its own status rows in id order and by
-- nothing else. A run keeps what it concluded per case here: a mark for
-- every case with at least one of those defects, and how far it read.
-- The next run re-reads only the cases that got rows past that point or
-- whose rows changed in place (the triggers below), so it finds exactly
-- what reading every row would; a run with no mark yet reads them all.
--
-- Appending at the end of case_status (what the approval writes do) costs
-- one seek for the trigger's WHEN; rewriting, deleting or inserting below
-- the end (repairs, their undo) queues the case in quality_status_dirty.

CREATE TABLE quality_status_marks (
	case_id INTEGER PRIMARY KEY,
	flags INTEGER NOT NULL,                -- 1 first, 2 order, 4 after final, 8 code
	first_status INTEGER NOT NULL,         -- status of the first row (flag 1: not 1)
	order_status INTEGER NOT NULL,         -- the first row earlier than the one before it
	order_at INTEGER NOT NULL,
	after_status INTEGER NOT NULL,         -- the first row after the first final one
	after_final INTEGER NOT NULL,          -- that final status
	code INTEGER NOT NULL                  -- the first status outside 1..15
);

-- One row: status rows up to last_id have been read into the marks, by the
-- quality run run_id (a run writes only when the row is still the one it
-- read: two runs at once cannot leave a mark older than its dirty rows).
CREATE TABLE quality_status_read (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	last_id INTEGER NOT NULL,
	run_id INTEGER NOT NULL
);

CREATE TABLE quality_status_dirty (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL
);

CREATE TRIGGER quality_status_insert AFTER INSERT ON case_status
	WHEN NEW.id < (SELECT max(id) FROM case_status)
BEGIN INSERT INTO quality_status_dirty(case_id) VALUES (NEW.case_id); END;
CREATE TRIGGER quality_status_update AFTER UPDATE OF id, case_id, status, at ON case_status
BEGIN
	INSERT INTO quality_status_dirty(case_id) VALUES (OLD.case_id);
	INSERT INTO quality_status_dirty(case_id) SELECT NEW.case_id WHERE NEW.case_id <> OLD.case_id;
END;
CREATE TRIGGER quality_status_delete AFTER DELETE ON case_status
BEGIN INSERT INTO quality_status_dirty(case_id) VALUES (OLD.case_id); END;
