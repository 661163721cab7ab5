-- 0014: 数据质检 and 整改 (issue 16; docs/quality.md).
--
-- Rules are data: data/quality/rules.json (compiled in) overlaid by the
-- versions stored here (an import or an edit is a new version of a rule;
-- the latest version of each rule wins). A finding is (rule, object_key):
-- every run that finds the same defect finds the same row. A finding owns
-- its lifecycle: open -> fixed (a later run no longer found it) or overdue
-- (past its deadline) -> fixed; fixed -> open again (reopened); dismissed by
-- a leader with a reason. Every change is an event row; a run writes only
-- the changes, never the findings it merely saw again.

CREATE TABLE quality_rule_versions (
	id INTEGER PRIMARY KEY,
	rule TEXT NOT NULL,                    -- rule id, e.g. case-zombie
	version INTEGER NOT NULL,              -- 1, 2, ... per rule
	doc TEXT NOT NULL,                     -- the rule as rules.json carries it (canonical JSON)
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT '',
	UNIQUE (rule, version)
);

CREATE TABLE quality_runs (
	id INTEGER PRIMARY KEY,
	started_at INTEGER NOT NULL,
	finished_at INTEGER NOT NULL,
	trigger TEXT NOT NULL,                 -- cli | api | schedule | exchange
	username TEXT NOT NULL,
	rule TEXT,                             -- the one rule run, NULL for all
	rules_run INTEGER NOT NULL,
	rules_skipped INTEGER NOT NULL,        -- their data source was not available
	found INTEGER NOT NULL,                -- defects found by this run
	opened INTEGER NOT NULL,               -- new findings
	reopened INTEGER NOT NULL,
	fixed INTEGER NOT NULL,
	escalated INTEGER NOT NULL,            -- open -> overdue
	open_after INTEGER NOT NULL,           -- open + overdue after the run
	ms INTEGER NOT NULL
);
CREATE INDEX quality_runs_started ON quality_runs(started_at);

CREATE TABLE quality_findings (
	id INTEGER PRIMARY KEY,
	rule TEXT NOT NULL,
	severity TEXT NOT NULL,                -- error | warn (of the rule when found)
	object_kind TEXT NOT NULL,             -- project unit case status item stage exchange
	object_key TEXT NOT NULL,              -- what makes the defect one (object, or table:key)
	object TEXT NOT NULL,                  -- project code, 办件 number, item code ... shown to users
	department_code TEXT,                  -- owner; NULL when no department owns it
	district_code TEXT NOT NULL,
	message TEXT NOT NULL,                 -- as found (first time or last reopening)
	status TEXT NOT NULL,                  -- open fixed overdue dismissed
	found_at INTEGER NOT NULL,
	found_run INTEGER NOT NULL,
	deadline_day INTEGER NOT NULL,         -- day number: rectify by the end of this day
	fixed_at INTEGER,
	fixed_run INTEGER,
	reopened INTEGER NOT NULL DEFAULT 0,   -- times it came back after being fixed
	dismissed_by TEXT,
	dismissed_reason TEXT,
	UNIQUE (rule, object_key)
);
-- Every run escalates the open findings past their deadline (a range of
-- this index, not a scan of every open one), and lists by status come in
-- deadline order; the department heads' 工作台 and lists read their own.
CREATE INDEX quality_findings_status ON quality_findings(status, deadline_day);
CREATE INDEX quality_findings_department ON quality_findings(department_code, status);

CREATE TABLE quality_finding_events (
	id INTEGER PRIMARY KEY,
	finding_id INTEGER NOT NULL REFERENCES quality_findings(id),
	run_id INTEGER,                        -- NULL for a dismissal
	at INTEGER NOT NULL,
	event TEXT NOT NULL,                   -- found reopened fixed overdue dismissed
	username TEXT NOT NULL,
	note TEXT NOT NULL DEFAULT ''
);
-- A finding's history, and the 通报's state of every finding at an instant.
CREATE INDEX quality_finding_events_finding ON quality_finding_events(finding_id, at);
CREATE INDEX quality_finding_events_at ON quality_finding_events(at);

-- The rule case-approval-doc merges every case with its approval document in
-- case id order: this partial index holds just those (about half of all
-- documents, one column), so the merge reads half the entries of
-- case_documents_case and no kind. Written only when an approval or joint
-- document is issued.
CREATE INDEX case_documents_approved ON case_documents(case_id) WHERE kind IN ('approval', 'joint');
