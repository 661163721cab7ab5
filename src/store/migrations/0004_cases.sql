-- 0004: 办件 lifecycle (issue 5). Stage applications open a parallel
-- instance (并联审批实例, BLSPSLBM) with one case (办件, SPSXSLBM) per item;
-- every status change is a row of case_status (SPGL_XMSPSXBLXXXXB); pauses
-- of the clock are the supplements (补正) and special procedures (特别程序);
-- documents are numbered per department, kind and year.
--
-- Instants are UTC epoch seconds; *_day columns are calendar day numbers
-- (days since 1970-01-01, Asia/Shanghai) written by approval/case.c from
-- approval/deadline.c, so lists can filter and sort by due date and light
-- without a calendar in SQL. The clock shown to users is always recomputed
-- from the facts; these copies only serve filtering and sorting.

-- Where a project stands: the flow version it follows (pinned at its first
-- application) and its current stage 1-4; finished_at once stage 4 is done.
CREATE TABLE case_progress (
	project_id INTEGER PRIMARY KEY REFERENCES projects(id),
	flow_id INTEGER NOT NULL REFERENCES catalog_flows(id),
	current_stage INTEGER NOT NULL,
	started_at INTEGER NOT NULL,
	finished_at INTEGER
);

-- One row per stage of a project that has been applied for.
CREATE TABLE case_stages (
	project_id INTEGER NOT NULL REFERENCES projects(id),
	stage INTEGER NOT NULL,                -- 1-5
	time_limit INTEGER NOT NULL,           -- working days of the pinned flow's stage (0: none)
	completion_rule INTEGER NOT NULL,      -- LCBSXLX
	started_at INTEGER NOT NULL,
	completed_at INTEGER,
	PRIMARY KEY (project_id, stage)
) WITHOUT ROWID;

-- 并联审批实例: one stage application. side_line '54Y' is a joint acceptance
-- (联合验收) with one combined result.
CREATE TABLE case_instances (
	id INTEGER PRIMARY KEY,
	number TEXT NOT NULL UNIQUE,           -- BLSPSLBM
	project_id INTEGER NOT NULL REFERENCES projects(id),
	flow_id INTEGER NOT NULL REFERENCES catalog_flows(id),
	stage INTEGER NOT NULL,
	side_line TEXT NOT NULL DEFAULT '',
	ncases INTEGER NOT NULL,
	applied_at INTEGER NOT NULL,
	applied_by TEXT NOT NULL,
	applied_department TEXT NOT NULL,
	closed_at INTEGER,                     -- every case final
	result INTEGER                         -- combined result: 11 passed, 13 not (54Y), else NULL
);
CREATE INDEX case_instances_project ON case_instances(project_id, id);

CREATE TABLE cases (
	id INTEGER PRIMARY KEY,
	number TEXT NOT NULL UNIQUE,           -- SPSXSLBM
	instance_id INTEGER NOT NULL REFERENCES case_instances(id),
	project_id INTEGER NOT NULL REFERENCES projects(id),
	item_version_id INTEGER NOT NULL REFERENCES catalog_items(id),  -- pinned version
	item_code TEXT NOT NULL,
	stage INTEGER NOT NULL,
	side_line TEXT NOT NULL DEFAULT '',
	flow_type INTEGER NOT NULL,
	department_code TEXT NOT NULL REFERENCES departments(code),
	district_code TEXT NOT NULL,           -- the project's division
	status INTEGER NOT NULL,               -- BLZT now
	open INTEGER NOT NULL,                 -- 1 while not final
	accepted INTEGER NOT NULL DEFAULT 0,
	step INTEGER NOT NULL DEFAULT 0,       -- current 环节 of the pinned version
	nsteps INTEGER NOT NULL,
	step_name TEXT NOT NULL,
	step_role TEXT NOT NULL,               -- clerk | reviewer | head
	handler_id INTEGER REFERENCES users(id),  -- assigned by 转办; NULL: the department's pool
	pre_supplements INTEGER NOT NULL DEFAULT 0,
	tolerance_ok INTEGER NOT NULL,         -- the pinned version allows 容缺
	time_limit INTEGER NOT NULL,           -- promised limit of the pinned version
	received_at INTEGER NOT NULL,
	accepted_at INTEGER,
	final_at INTEGER,
	receipt_day INTEGER,                   -- §32 round start
	receipt_end INTEGER,                   -- §32 round stop
	receipt_late INTEGER NOT NULL DEFAULT 0,  -- an earlier round ran out
	tolerance_days INTEGER NOT NULL DEFAULT 0,
	tolerance_done_at INTEGER,
	paused_since INTEGER,                  -- day an open pause began (after acceptance)
	paused_days INTEGER NOT NULL DEFAULT 0,
	due_day INTEGER,                       -- copies of deadline_case for filtering
	warn_day INTEGER,
	updated_at INTEGER NOT NULL
);
CREATE INDEX cases_instance ON cases(instance_id);
CREATE INDEX cases_project ON cases(project_id, item_code);
CREATE INDEX cases_department ON cases(department_code, received_at);
CREATE INDEX cases_district ON cases(district_code, received_at);
CREATE INDEX cases_received ON cases(received_at);
CREATE INDEX cases_todo ON cases(department_code, open, step_role) WHERE open = 1;

-- Status history: one row per action (a step change or a transfer repeats
-- the status code with the new step or handler).
CREATE TABLE case_status (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	status INTEGER NOT NULL,
	action TEXT NOT NULL,
	step INTEGER NOT NULL,
	step_name TEXT NOT NULL,
	at INTEGER NOT NULL,
	user_id INTEGER,                       -- NULL for the CLI and imported history
	username TEXT NOT NULL,
	department_code TEXT NOT NULL,
	opinion TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_status_case ON case_status(case_id, id);
CREATE INDEX case_status_user ON case_status(user_id, case_id) WHERE user_id IS NOT NULL;

-- 一次性补正告知 and supplements during review: a pause of the clock when
-- the case was already accepted.
CREATE TABLE case_supplements (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	after_acceptance INTEGER NOT NULL,
	materials TEXT NOT NULL,               -- JSON array of material names
	note TEXT NOT NULL DEFAULT '',
	start_at INTEGER NOT NULL,
	end_at INTEGER
);
CREATE INDEX case_supplements_case ON case_supplements(case_id);

-- 特别程序 (行政许可法 §45; SPGL_XMSPSXBLTBCXXXB).
CREATE TABLE case_specials (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	type INTEGER NOT NULL,                 -- 1 延长审批, 2 其他
	kind TEXT NOT NULL,                    -- hearing tender auction inspection testing quarantine appraisal expert extension other
	reason TEXT NOT NULL,
	time_limit INTEGER NOT NULL,           -- working days
	start_at INTEGER NOT NULL,
	end_at INTEGER,
	result TEXT NOT NULL DEFAULT ''
);
CREATE INDEX case_specials_case ON case_specials(case_id);

-- 容缺 materials to follow an approval (status 12).
CREATE TABLE case_tolerance (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	material TEXT NOT NULL,
	due_day INTEGER NOT NULL,
	received_at INTEGER
);
CREATE INDEX case_tolerance_case ON case_tolerance(case_id);

-- Numbered documents (受理通知书 …), numbers never reused.
CREATE TABLE case_documents (
	id INTEGER PRIMARY KEY,
	case_id INTEGER NOT NULL REFERENCES cases(id),
	kind TEXT NOT NULL,                    -- acceptance refusal supplement approval denial joint
	number TEXT NOT NULL UNIQUE,
	issued_at INTEGER NOT NULL,
	issued_by TEXT NOT NULL
);
CREATE INDEX case_documents_case ON case_documents(case_id, kind, id);

CREATE TABLE case_doc_counters (
	department_code TEXT NOT NULL,
	kind TEXT NOT NULL,
	year INTEGER NOT NULL,
	last INTEGER NOT NULL,
	PRIMARY KEY (department_code, kind, year)
) WITHOUT ROWID;
