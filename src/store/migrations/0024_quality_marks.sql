-- 0024: 数据质检 reads only what changed (P4; docs/quality.md): the status rows and the concluded cases.
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

-- The case rules judge a concluded case (open = 0) by its own row, its
-- approval documents, its statistics' 逾期 mark, the departments and the
-- calendar; none of them moves by itself. A run keeps the concluded cases
-- it found a defect in and the instances with the same item twice, and
-- under which departments, calendar and rules (fingerprint). The next run
-- with the same fingerprint reads the running cases (a partial index), the
-- kept ones and the cases queued here by trigger; any other fingerprint, or
-- nothing kept, reads every case.
CREATE TABLE quality_case_suspects (case_id INTEGER PRIMARY KEY);
CREATE TABLE quality_case_dups (instance_id INTEGER PRIMARY KEY);
CREATE TABLE quality_case_read (
	id INTEGER PRIMARY KEY CHECK (id = 1),
	fingerprint TEXT NOT NULL,
	run_id INTEGER NOT NULL
);
CREATE TABLE quality_case_dirty (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL
);

CREATE TRIGGER quality_case_insert AFTER INSERT ON cases
BEGIN INSERT INTO quality_case_dirty(case_id) VALUES (NEW.id); END;
CREATE TRIGGER quality_case_update AFTER UPDATE ON cases
	WHEN OLD.open = 0 OR NEW.open = 0 OR OLD.id <> NEW.id OR OLD.instance_id <> NEW.instance_id
	  OR OLD.item_code <> NEW.item_code
BEGIN
	INSERT INTO quality_case_dirty(case_id) VALUES (NEW.id);
	INSERT INTO quality_case_dirty(case_id) SELECT OLD.id WHERE OLD.id <> NEW.id;
END;
CREATE TRIGGER quality_case_delete AFTER DELETE ON cases
BEGIN INSERT INTO quality_case_dirty(case_id) VALUES (OLD.id); END;
CREATE TRIGGER quality_case_doc_insert AFTER INSERT ON case_documents
BEGIN INSERT INTO quality_case_dirty(case_id) VALUES (NEW.case_id); END;
CREATE TRIGGER quality_case_doc_update AFTER UPDATE OF case_id, kind ON case_documents
BEGIN
	INSERT INTO quality_case_dirty(case_id) VALUES (OLD.case_id);
	INSERT INTO quality_case_dirty(case_id) SELECT NEW.case_id WHERE NEW.case_id <> OLD.case_id;
END;
CREATE TRIGGER quality_case_doc_delete AFTER DELETE ON case_documents
BEGIN INSERT INTO quality_case_dirty(case_id) VALUES (OLD.case_id); END;
CREATE TRIGGER quality_case_late_insert AFTER INSERT ON stats_case
BEGIN INSERT INTO quality_case_dirty(case_id) VALUES (NEW.case_id); END;
CREATE TRIGGER quality_case_late_update AFTER UPDATE OF case_id, late ON stats_case
	WHEN OLD.late IS NOT NEW.late OR OLD.case_id <> NEW.case_id
BEGIN
	INSERT INTO quality_case_dirty(case_id) VALUES (OLD.case_id);
	INSERT INTO quality_case_dirty(case_id) SELECT NEW.case_id WHERE NEW.case_id <> OLD.case_id;
END;
CREATE TRIGGER quality_case_late_delete AFTER DELETE ON stats_case
BEGIN INSERT INTO quality_case_dirty(case_id) VALUES (OLD.case_id); END;
