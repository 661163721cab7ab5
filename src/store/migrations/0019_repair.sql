-- 0019_repair: 数据修复单 (issue 18). A repair is a typed operation an O&M
-- engineer proposes and a holder of repair_approve (another person) approves;
-- applying it writes the after-image of every row it changes, and the
-- before-image stays here so undo can restore it exactly. Rows of
-- repair_rows are the exact preview shown to the approver: apply refuses
-- when any row no longer equals its before-image, undo when any row no
-- longer equals its after-image.

INSERT INTO roles(code, name, scope, description) VALUES
 ('repair_approve', '数据修复审批', 'none', '审核批准运维提出的数据修复单（委办局授权；不得由运维或三员兼任）');

CREATE TABLE repairs (
	id INTEGER PRIMARY KEY,
	op TEXT NOT NULL,                      -- field reassign close_stage void move_department merge_projects
	target TEXT NOT NULL,                  -- what it repairs, for people: "case:…", "project:…", "department:…"
	params TEXT NOT NULL,                  -- the operation as proposed (JSON object)
	reason TEXT NOT NULL,
	answers TEXT NOT NULL DEFAULT '',      -- "finding:12", "ticket:3" or ''
	status TEXT NOT NULL,                  -- proposed approved rejected applied undone
	proposed_by TEXT NOT NULL,
	proposed_by_id INTEGER,
	proposed_at INTEGER NOT NULL,
	decided_by TEXT,
	decided_by_id INTEGER,
	decided_at INTEGER,
	decision_note TEXT NOT NULL DEFAULT '',
	applied_by TEXT,
	applied_at INTEGER,
	undone_by TEXT,
	undone_at INTEGER,
	undo_reason TEXT NOT NULL DEFAULT ''
);
CREATE INDEX repairs_status ON repairs(status, id);

CREATE TABLE repair_rows (
	repair_id INTEGER NOT NULL REFERENCES repairs(id),
	seq INTEGER NOT NULL,
	tbl TEXT NOT NULL,                     -- table of the row
	row_key TEXT NOT NULL,                 -- JSON object: primary key column(s) -> value
	before TEXT,                           -- whole row as JSON; NULL: the repair inserts it
	after TEXT,                            -- whole row as JSON; NULL: the repair deletes it
	PRIMARY KEY (repair_id, seq)
) WITHOUT ROWID;

-- Records brought in from another system (gonggai import spgl) remember
-- where they came from: the SPGL table and its LSH.
CREATE TABLE import_sources (
	tbl TEXT NOT NULL,                     -- SPGL table, upper case
	lsh TEXT NOT NULL,                     -- the front DB's 流水号
	kind TEXT NOT NULL,                    -- project unit case status special document
	ref INTEGER NOT NULL,                  -- our row (projects.id, cases.id …)
	imported_at INTEGER NOT NULL,
	PRIMARY KEY (tbl, lsh)
) WITHOUT ROWID;
CREATE INDEX import_sources_ref ON import_sources(kind, ref);
