-- 0006: statistics (issue 7). Aggregates maintained in the same transaction
-- as every 办件 change (stats/stats_live.c, called by approval/case.c's
-- observer), rebuilt from the raw rows by `gonggai stats rebuild`, proved by
-- `gonggai stats check`. Definitions: docs/api.md, section 统计.
--
-- Days are calendar day numbers (days since 1970-01-01, Asia/Shanghai) like
-- the *_day columns of 0004.
--
-- stats_case holds, per case, the facts the aggregates currently count it
-- with (computed in C by the one deadline function at the instant of the
-- change or of the last light pass). A change subtracts the old row's cells
-- and adds the new row's: both through the view stats_case_cells, which is
-- therefore the ONE definition of which period row and which column a case
-- counts in. Rebuild sums the same view over every case.
CREATE TABLE stats_case (
	case_id INTEGER PRIMARY KEY,
	district TEXT NOT NULL,
	department TEXT NOT NULL,
	item TEXT NOT NULL,
	stage INTEGER NOT NULL,
	flow_type INTEGER NOT NULL,
	status INTEGER NOT NULL,               -- BLZT
	outcome INTEGER NOT NULL,              -- 0 running 1 approved(11) 2 approved_tol(12) 3 denied(13)
	                                       -- 4 refused(4,5) 5 cancelled(2) 6 withdrawn(14) 7 revoked(15)
	light INTEGER NOT NULL,                -- 0 none 1 green 2 yellow 3 red (running, accepted)
	recv_day INTEGER NOT NULL,
	acc_day INTEGER,                       -- NULL before acceptance
	fin_day INTEGER,                       -- day of the final status, NULL while running
	late INTEGER NOT NULL,                 -- concluded (11 12 13) after the due day
	supp INTEGER NOT NULL,                 -- had at least one 补正
	special INTEGER NOT NULL,              -- had at least one 特别程序
	parallel INTEGER NOT NULL,             -- its instance has >= 2 cases
	inst_first INTEGER NOT NULL,           -- lowest case id of its instance
	wd INTEGER,                            -- concluded: working days used (deadline_case)
	nd INTEGER,                            -- concluded: natural days, fin_day - acc_day
	lim INTEGER,                           -- concluded: promised limit of the pinned version
	paused INTEGER,                        -- concluded: paused working days
	next_check INTEGER                     -- day the light may change by itself, NULL never
);
CREATE INDEX stats_case_next ON stats_case(next_check) WHERE next_check IS NOT NULL;

-- Which period row (day, keys) and which counts a case contributes; every
-- column of stats_day but the keys. A case counts on up to three days: its
-- received day (接件 and the cohort counts), its accepted day (受理) and the
-- day of its final status (办结, 不予受理, 撤件/撤回/撤销 and the time used).
CREATE VIEW stats_case_cells AS
SELECT case_id, recv_day AS day, district, department, item, stage, flow_type,
	1 AS received, 0 AS accepted, 0 AS refused, 0 AS concluded, 0 AS approved, 0 AS approved_tol,
	0 AS denied, 0 AS cancelled, 0 AS withdrawn, 0 AS revoked, 0 AS overdue_done,
	(outcome = 0) AS running, (outcome = 0 AND light = 2) AS warning,
	(outcome = 0 AND light = 3) AS overdue_running, supp AS supplemented, special,
	(acc_day IS NOT NULL) AS coh_accepted, (outcome IN (1, 2, 3)) AS coh_concluded,
	(outcome = 4) AS coh_refused, ((outcome IN (1, 2, 3) AND late) OR (outcome = 0 AND light = 3)) AS coh_overdue,
	parallel AS parallel_cases, (parallel AND inst_first) AS parallel_instances,
	0 AS acceptance_items, 0 AS acceptance_passed,
	0 AS wd_used_sum, 0 AS nd_used_sum, 0 AS limit_sum, 0 AS paused_sum
FROM stats_case
UNION ALL
SELECT case_id, acc_day, district, department, item, stage, flow_type,
	0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
FROM stats_case WHERE acc_day IS NOT NULL
UNION ALL
SELECT case_id, fin_day, district, department, item, stage, flow_type,
	0, 0, (outcome = 4), (outcome IN (1, 2, 3)), (outcome = 1), (outcome = 2), (outcome = 3),
	(outcome = 5), (outcome = 6), (outcome = 7), (outcome IN (1, 2, 3) AND late),
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
	(stage = 4 AND outcome IN (1, 2, 3)), (stage = 4 AND outcome IN (1, 2)),
	coalesce(wd, 0), coalesce(nd, 0), coalesce(lim, 0), coalesce(paused, 0)
FROM stats_case WHERE fin_day IS NOT NULL;

-- The histogram cell (concluded cases) and the dashboard cell of a case.
CREATE VIEW stats_case_hist AS
SELECT case_id, fin_day AS day, district, department, item, stage, flow_type, wd
FROM stats_case WHERE outcome IN (1, 2, 3) AND wd IS NOT NULL;
CREATE VIEW stats_case_live AS
SELECT case_id, district, department, status, light FROM stats_case;

-- Per-day rollup by every grouping key at once; a period report sums a day
-- range (the primary key is the covering index it scans).
CREATE TABLE stats_day (
	day INTEGER NOT NULL,
	district TEXT NOT NULL,
	department TEXT NOT NULL,
	item TEXT NOT NULL,
	stage INTEGER NOT NULL,
	flow_type INTEGER NOT NULL,
	received INTEGER NOT NULL DEFAULT 0,
	accepted INTEGER NOT NULL DEFAULT 0,
	refused INTEGER NOT NULL DEFAULT 0,
	concluded INTEGER NOT NULL DEFAULT 0,
	approved INTEGER NOT NULL DEFAULT 0,
	approved_tol INTEGER NOT NULL DEFAULT 0,
	denied INTEGER NOT NULL DEFAULT 0,
	cancelled INTEGER NOT NULL DEFAULT 0,
	withdrawn INTEGER NOT NULL DEFAULT 0,
	revoked INTEGER NOT NULL DEFAULT 0,
	overdue_done INTEGER NOT NULL DEFAULT 0,
	running INTEGER NOT NULL DEFAULT 0,
	warning INTEGER NOT NULL DEFAULT 0,
	overdue_running INTEGER NOT NULL DEFAULT 0,
	supplemented INTEGER NOT NULL DEFAULT 0,
	special INTEGER NOT NULL DEFAULT 0,
	coh_accepted INTEGER NOT NULL DEFAULT 0,
	coh_concluded INTEGER NOT NULL DEFAULT 0,
	coh_refused INTEGER NOT NULL DEFAULT 0,
	coh_overdue INTEGER NOT NULL DEFAULT 0,
	parallel_cases INTEGER NOT NULL DEFAULT 0,
	parallel_instances INTEGER NOT NULL DEFAULT 0,
	acceptance_items INTEGER NOT NULL DEFAULT 0,
	acceptance_passed INTEGER NOT NULL DEFAULT 0,
	wd_used_sum INTEGER NOT NULL DEFAULT 0,
	nd_used_sum INTEGER NOT NULL DEFAULT 0,
	limit_sum INTEGER NOT NULL DEFAULT 0,
	paused_sum INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (day, district, department, item, stage, flow_type)
) WITHOUT ROWID;

-- Histogram of working days used by concluded cases, by final day and keys
-- (P90, longest, shortest).
CREATE TABLE stats_wd (
	day INTEGER NOT NULL,
	district TEXT NOT NULL,
	department TEXT NOT NULL,
	item TEXT NOT NULL,
	stage INTEGER NOT NULL,
	flow_type INTEGER NOT NULL,
	wd INTEGER NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (day, district, department, item, stage, flow_type, wd)
) WITHOUT ROWID;

-- The dashboard: current cases by district x department x status x light.
CREATE TABLE stats_live (
	district TEXT NOT NULL,
	department TEXT NOT NULL,
	status INTEGER NOT NULL,
	light INTEGER NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (district, department, status, light)
) WITHOUT ROWID;

-- Last light pass: the day whose crossings have been applied.
CREATE TABLE stats_meta (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	lights_day INTEGER NOT NULL,           -- day number
	lights_at INTEGER NOT NULL,            -- epoch seconds of that pass
	rebuilt_at INTEGER NOT NULL            -- epoch seconds of the last rebuild, 0 never
);
INSERT INTO stats_meta(one, lights_day, lights_at, rebuilt_at) VALUES (1, 0, 0, 0);

-- Report-time queries over the lifecycle's rows (joint acceptances, whole
-- projects): small partial indexes that cover them.
CREATE INDEX stats_instances_joint ON case_instances(closed_at, result, id)
	WHERE side_line = '54Y' AND closed_at IS NOT NULL;
CREATE INDEX stats_progress_finished ON case_progress(finished_at, started_at, project_id)
	WHERE finished_at IS NOT NULL;
