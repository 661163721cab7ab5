-- 0003: the approval catalogue (flows, stages, items; every version kept)
-- and projects with their units. See docs/catalog.md.
--
-- Catalogue rows are versions and are never changed or removed: a change is
-- a new row with a later effective date (triggers below refuse UPDATE and
-- DELETE). Cases pin catalog_items.id, the item version they started with.
-- `doc` holds the version exactly as the catalogue document carries it
-- (canonical JSON); the other columns are copies of its fields for queries.

CREATE TABLE catalog_info (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	name TEXT NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE catalog_items (
	id INTEGER PRIMARY KEY,                -- item version id
	code TEXT NOT NULL,
	version TEXT NOT NULL,                 -- "1.0"
	version_major INTEGER NOT NULL,
	version_minor INTEGER NOT NULL,
	effective_from TEXT NOT NULL,          -- YYYY-MM-DD
	name TEXT NOT NULL,
	national_code TEXT NOT NULL,
	department_code TEXT NOT NULL REFERENCES departments(code),
	promised_limit INTEGER NOT NULL,       -- working days
	legal_limit INTEGER NOT NULL,          -- working days
	milestone INTEGER NOT NULL,
	commitment INTEGER NOT NULL,           -- 告知承诺制
	tolerance INTEGER NOT NULL,            -- 容缺受理
	applicant_kind INTEGER NOT NULL,       -- 1 person, 2 organisation, 3 both
	case_type INTEGER NOT NULL,            -- 1 即办件, 2 承诺件
	doc TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	UNIQUE (code, version_major, version_minor),
	UNIQUE (code, effective_from)
);
CREATE INDEX catalog_items_department ON catalog_items(department_code, code);

CREATE TABLE catalog_flows (
	id INTEGER PRIMARY KEY,                -- flow version id
	code TEXT NOT NULL,
	version TEXT NOT NULL,
	version_major INTEGER NOT NULL,
	version_minor INTEGER NOT NULL,
	effective_from TEXT NOT NULL,
	name TEXT NOT NULL,
	flow_type INTEGER NOT NULL,            -- SPLCLX 1-10
	division_code TEXT NOT NULL,
	doc TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	created_by TEXT NOT NULL,
	UNIQUE (code, version_major, version_minor),
	UNIQUE (code, effective_from)
);
CREATE INDEX catalog_flows_type ON catalog_flows(flow_type, effective_from);

-- Stages and their item lists of each flow version, relational for the
-- exchange (SPGL_DFXMSPLCJDXXB / ..JDSXXXB) and statistics.
CREATE TABLE catalog_stages (
	id INTEGER PRIMARY KEY,
	flow_id INTEGER NOT NULL REFERENCES catalog_flows(id),
	number INTEGER NOT NULL,               -- 1-5
	name TEXT NOT NULL,
	time_limit INTEGER NOT NULL,           -- working days, 0 for stage 5
	completion_rule INTEGER NOT NULL,      -- LCBSXLX 1 all milestones, 2 any one
	lead_department TEXT NOT NULL,
	UNIQUE (flow_id, number)
);

CREATE TABLE catalog_stage_items (
	stage_id INTEGER NOT NULL REFERENCES catalog_stages(id),
	item_code TEXT NOT NULL,
	side_line TEXT NOT NULL,               -- '' main line, else 51 52 53 54C 54Y
	position INTEGER NOT NULL,
	PRIMARY KEY (stage_id, item_code)
) WITHOUT ROWID;
CREATE INDEX catalog_stage_items_item ON catalog_stage_items(item_code);

CREATE TRIGGER catalog_items_no_update BEFORE UPDATE ON catalog_items
BEGIN SELECT RAISE(ABORT, 'catalogue versions are immutable'); END;
CREATE TRIGGER catalog_items_no_delete BEFORE DELETE ON catalog_items
BEGIN SELECT RAISE(ABORT, 'catalogue versions are immutable'); END;
CREATE TRIGGER catalog_flows_no_update BEFORE UPDATE ON catalog_flows
BEGIN SELECT RAISE(ABORT, 'catalogue versions are immutable'); END;
CREATE TRIGGER catalog_flows_no_delete BEFORE DELETE ON catalog_flows
BEGIN SELECT RAISE(ABORT, 'catalogue versions are immutable'); END;
CREATE TRIGGER catalog_stages_no_update BEFORE UPDATE ON catalog_stages
BEGIN SELECT RAISE(ABORT, 'catalogue versions are immutable'); END;
CREATE TRIGGER catalog_stages_no_delete BEFORE DELETE ON catalog_stages
BEGIN SELECT RAISE(ABORT, 'catalogue versions are immutable'); END;
CREATE TRIGGER catalog_stage_items_no_update BEFORE UPDATE ON catalog_stage_items
BEGIN SELECT RAISE(ABORT, 'catalogue versions are immutable'); END;
CREATE TRIGGER catalog_stage_items_no_delete BEFORE DELETE ON catalog_stage_items
BEGIN SELECT RAISE(ABORT, 'catalogue versions are immutable'); END;

-- Projects (工程建设项目, SPGL_XMJBXXB). Soft-deleted only: a project that
-- was exchanged or has cases must stay readable.
CREATE TABLE projects (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,             -- 投资项目代码
	gcdm TEXT NOT NULL,                    -- 工程代码, '' when none yet
	name TEXT NOT NULL,
	flow_type INTEGER NOT NULL,            -- SPLCLX
	flow_code TEXT NOT NULL,               -- catalog_flows.code the project follows
	division_code TEXT NOT NULL REFERENCES districts(code),
	address TEXT NOT NULL,
	investment_wan INTEGER NOT NULL,       -- total investment, 万元
	land_area_m2 INTEGER NOT NULL,
	floor_area_m2 INTEGER NOT NULL,
	planned_start TEXT NOT NULL,           -- YYYY-MM-DD
	planned_finish TEXT NOT NULL,
	created_department TEXT NOT NULL,      -- department of the account that registered it ('' for the CLI)
	created_by TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL,
	deleted_at INTEGER                     -- NULL while live
);
CREATE INDEX projects_division ON projects(division_code, id);
CREATE INDEX projects_created_department ON projects(created_department, id);

-- Units of a project (建设单位 etc., SPGL_XMDWXXB).
CREATE TABLE project_units (
	id INTEGER PRIMARY KEY,
	project_id INTEGER NOT NULL REFERENCES projects(id),
	position INTEGER NOT NULL,
	kind TEXT NOT NULL,                    -- builder agent survey design construction supervision other
	name TEXT NOT NULL,
	credit_code TEXT NOT NULL,             -- 统一社会信用代码
	contact TEXT NOT NULL,
	phone TEXT NOT NULL
);
CREATE INDEX project_units_project ON project_units(project_id, position);

-- Departments that handle (or handled) something of a project: the data
-- scope of department users. The lifecycle module adds a row in the same
-- transaction as it opens a case (project_link_department); rows are never
-- removed.
CREATE TABLE project_departments (
	project_id INTEGER NOT NULL REFERENCES projects(id),
	department_code TEXT NOT NULL REFERENCES departments(code),
	PRIMARY KEY (department_code, project_id)
) WITHOUT ROWID;
