-- 0029: joint acceptances and whole projects by month (issue 21).
--
-- Joint acceptances (联合验收, 54Y instances): a period report counted them
-- one instance at a time from the index stats_instances_joint, for its
-- grouping and for the totals of 环比 and 同比: a two-year range at 10 M
-- 办件 read 637 672 instances, some 44 % of its time.
-- stats_month_joint holds them per month of closing (the day number of the
-- month's 1st, China time) and the lead case's keys copied onto the
-- instance (0010); a report reads its whole months here and the days at
-- its edges from the index, as stats_month does for 办件.
--
-- The instance closes after the lifecycle's observer has run (parallel.c
-- closes it once its last case has ended), and repairs, imports and the
-- demo generator write instances too: the triggers below keep the rollup
-- with every writer, in the writing transaction. `stats rebuild` rewrites
-- it from the instances and `stats check` compares it with that recount
-- (store_stats.c). A NULL lead key counts as '' (0 for the flow type).
CREATE TABLE stats_month_joint (
	month INTEGER NOT NULL,
	district TEXT NOT NULL,
	department TEXT NOT NULL,
	item TEXT NOT NULL,
	stage INTEGER NOT NULL,
	flow_type INTEGER NOT NULL,
	joint INTEGER NOT NULL DEFAULT 0,
	passed INTEGER NOT NULL DEFAULT 0,
	PRIMARY KEY (month, district, department, item, stage, flow_type)
) WITHOUT ROWID;

CREATE TRIGGER stats_joint_insert AFTER INSERT ON case_instances
WHEN NEW.side_line = '54Y' AND NEW.closed_at IS NOT NULL
BEGIN
	INSERT INTO stats_month_joint VALUES (
		CAST(julianday(date(NEW.closed_at + 28800, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER),
		coalesce(NEW.lead_district, ''), coalesce(NEW.lead_department, ''), coalesce(NEW.lead_item, ''),
		NEW.stage, coalesce(NEW.lead_flow_type, 0), 1, coalesce(NEW.result = 11, 0))
	ON CONFLICT (month, district, department, item, stage, flow_type)
	DO UPDATE SET joint = joint + excluded.joint, passed = passed + excluded.passed;
END;

CREATE TRIGGER stats_joint_delete AFTER DELETE ON case_instances
WHEN OLD.side_line = '54Y' AND OLD.closed_at IS NOT NULL
BEGIN
	INSERT INTO stats_month_joint VALUES (
		CAST(julianday(date(OLD.closed_at + 28800, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER),
		coalesce(OLD.lead_district, ''), coalesce(OLD.lead_department, ''), coalesce(OLD.lead_item, ''),
		OLD.stage, coalesce(OLD.lead_flow_type, 0), -1, -coalesce(OLD.result = 11, 0))
	ON CONFLICT (month, district, department, item, stage, flow_type)
	DO UPDATE SET joint = joint + excluded.joint, passed = passed + excluded.passed;
END;

-- Closing (store_instance_close) writes closed_at, result and the lead keys
-- in one UPDATE: the old row's cell loses the instance, the new row's gains it.
CREATE TRIGGER stats_joint_update AFTER UPDATE OF side_line, closed_at, result, stage, lead_district,
	lead_department, lead_item, lead_flow_type ON case_instances
WHEN (OLD.side_line = '54Y' AND OLD.closed_at IS NOT NULL) OR (NEW.side_line = '54Y' AND NEW.closed_at IS NOT NULL)
BEGIN
	INSERT INTO stats_month_joint SELECT
		CAST(julianday(date(OLD.closed_at + 28800, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER),
		coalesce(OLD.lead_district, ''), coalesce(OLD.lead_department, ''), coalesce(OLD.lead_item, ''),
		OLD.stage, coalesce(OLD.lead_flow_type, 0), -1, -coalesce(OLD.result = 11, 0)
	WHERE OLD.side_line = '54Y' AND OLD.closed_at IS NOT NULL
	ON CONFLICT (month, district, department, item, stage, flow_type)
	DO UPDATE SET joint = joint + excluded.joint, passed = passed + excluded.passed;
	INSERT INTO stats_month_joint SELECT
		CAST(julianday(date(NEW.closed_at + 28800, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER),
		coalesce(NEW.lead_district, ''), coalesce(NEW.lead_department, ''), coalesce(NEW.lead_item, ''),
		NEW.stage, coalesce(NEW.lead_flow_type, 0), 1, coalesce(NEW.result = 11, 0)
	WHERE NEW.side_line = '54Y' AND NEW.closed_at IS NOT NULL
	ON CONFLICT (month, district, department, item, stage, flow_type)
	DO UPDATE SET joint = joint + excluded.joint, passed = passed + excluded.passed;
END;

-- The instances already closed, in one pass over the covering index.
INSERT INTO stats_month_joint
SELECT CAST(julianday(date(closed_at + 28800, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER),
	coalesce(lead_district, ''), coalesce(lead_department, ''), coalesce(lead_item, ''), stage,
	coalesce(lead_flow_type, 0), count(*), coalesce(sum(result = 11), 0)
FROM case_instances WHERE side_line = '54Y' AND closed_at IS NOT NULL
GROUP BY 1, 2, 3, 4, 5, 6;

-- Whole projects finished by month (store_stats_projects read every finished
-- project of the period, ≈ 500 000 rows for a two-year range at 10 M 办件):
-- per month of finishing, district ('' for the whole city) and flow type,
-- the number of projects by elapsed working days. The working days come
-- from the calendar in C, so SQL cannot keep the rows; instead a month is
-- read from here only while stats_month_project_done holds it, and the
-- triggers below drop that mark, in the writing transaction, whenever a
-- finished project of the month changes (so the month is read from the
-- projects again). The statistics' daily pass fills marked months from
-- the projects (stats_project_months_fill), `stats rebuild` refills them
-- all, `stats check` recounts every marked month. A department's scope
-- (the projects it handled something of) still reads the projects.
CREATE TABLE stats_month_project (
	month INTEGER NOT NULL,
	district TEXT NOT NULL,
	flow_type INTEGER NOT NULL,
	wd INTEGER NOT NULL,
	n INTEGER NOT NULL,
	PRIMARY KEY (month, district, flow_type, wd)
) WITHOUT ROWID;

CREATE TABLE stats_month_project_done (
	month INTEGER PRIMARY KEY,
	filled_at INTEGER NOT NULL
);

CREATE TRIGGER stats_project_month_insert AFTER INSERT ON case_progress
WHEN NEW.finished_at IS NOT NULL
BEGIN
	DELETE FROM stats_month_project_done WHERE month =
		CAST(julianday(date(NEW.finished_at + 28800, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER);
END;

CREATE TRIGGER stats_project_month_delete AFTER DELETE ON case_progress
WHEN OLD.finished_at IS NOT NULL
BEGIN
	DELETE FROM stats_month_project_done WHERE month =
		CAST(julianday(date(OLD.finished_at + 28800, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER);
END;

CREATE TRIGGER stats_project_month_update AFTER UPDATE OF finished_at, started_at, flow_type, division_code,
	project_id ON case_progress
WHEN OLD.finished_at IS NOT NULL OR NEW.finished_at IS NOT NULL
BEGIN
	DELETE FROM stats_month_project_done WHERE month IN (
		CAST(julianday(date(OLD.finished_at + 28800, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER),
		CAST(julianday(date(NEW.finished_at + 28800, 'unixepoch', 'start of month')) - 2440587.5 AS INTEGER));
END;

-- The working days of finished projects come from the calendar: importing
-- or replacing a year (calendar_years, workday.c) drops every mark, so each
-- month is read from the projects with the new calendar until recounted.
CREATE TRIGGER stats_project_month_calendar_insert AFTER INSERT ON calendar_years
BEGIN
	DELETE FROM stats_month_project_done;
END;

CREATE TRIGGER stats_project_month_calendar_update AFTER UPDATE ON calendar_years
BEGIN
	DELETE FROM stats_month_project_done;
END;

CREATE TRIGGER stats_project_month_calendar_delete AFTER DELETE ON calendar_years
BEGIN
	DELETE FROM stats_month_project_done;
END;
