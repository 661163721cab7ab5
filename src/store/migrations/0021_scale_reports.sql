-- 0021: the audit log and the period reports at province scale (issue 21).
--
-- Audit log: the auditor's list reads newest first (at, then id) with any of
-- its filters; each filter has an index ending in `at`, so the filter and
-- the order come from one index range and a page (or a capped count) reads
-- only the entries it returns. 0001 made (at), (username, at) and
-- (action, at). The log itself is append-only and hash-chained: indexes
-- change no row.
CREATE INDEX audit_log_group ON audit_log(substr(action, 1, instr(action, '.')), at);
CREATE INDEX audit_log_object ON audit_log(object, at);
CREATE INDEX audit_log_outcome ON audit_log(outcome, at);
-- Two filters the auditor combines daily: one account's actions of a kind,
-- and failed (or denied) actions of a kind, e.g. failed logins.
CREATE INDEX audit_log_user_action ON audit_log(username, action, at);
CREATE INDEX audit_log_outcome_action ON audit_log(outcome, action, at);

-- Statistics: month rollups of stats_day and stats_wd, kept in the same
-- transaction by the same adds (store_stats_day_add / store_stats_wd_add),
-- summed over whole months by period reports (the partial months at a
-- period's edges still read day rows), compared by `stats check` with the
-- recount. month: the day number of the month's first day.
CREATE TABLE stats_month (
	month INTEGER NOT NULL,
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
	PRIMARY KEY (month, district, department, item, stage, flow_type)
) WITHOUT ROWID;

CREATE TABLE stats_month_wd (
	month INTEGER NOT NULL,
	district TEXT NOT NULL,
	department TEXT NOT NULL,
	item TEXT NOT NULL,
	stage INTEGER NOT NULL,
	flow_type INTEGER NOT NULL,
	wd INTEGER NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (month, district, department, item, stage, flow_type, wd)
) WITHOUT ROWID;

-- Whole projects finished in a period (store_stats_projects): their flow
-- type and district from this small index instead of one projects row
-- each (a year is some 29 000 random reads at 1 M 办件).
CREATE INDEX stats_projects_flow ON projects(id, flow_type, division_code);

-- The rollups of the rows already kept (day numbers are local dates: the
-- UTC date of day * 86400 is that date).
INSERT INTO stats_month
SELECT CAST(julianday(date(day * 86400, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER),
	district, department, item, stage, flow_type,
	sum(received), sum(accepted), sum(refused), sum(concluded), sum(approved), sum(approved_tol),
	sum(denied), sum(cancelled), sum(withdrawn), sum(revoked), sum(overdue_done), sum(running),
	sum(warning), sum(overdue_running), sum(supplemented), sum(special), sum(coh_accepted),
	sum(coh_concluded), sum(coh_refused), sum(coh_overdue), sum(parallel_cases), sum(parallel_instances),
	sum(acceptance_items), sum(acceptance_passed), sum(wd_used_sum), sum(nd_used_sum), sum(limit_sum),
	sum(paused_sum)
FROM stats_day GROUP BY 1, 2, 3, 4, 5, 6;

INSERT INTO stats_month_wd
SELECT CAST(julianday(date(day * 86400, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER),
	district, department, item, stage, flow_type, wd, sum(n)
FROM stats_wd GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- The planner's statistics for the log's indexes, all taken at once (a
-- sample of each index: quick on a large log); the nightly ANALYZE keeps
-- them current.
PRAGMA analysis_limit = 1000;
ANALYZE audit_log;
PRAGMA analysis_limit = 0;
