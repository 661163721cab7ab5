-- 0020: the case and project lists at province scale (issue 21).
-- Indexes that match a list's filter and its sort, so a page reads its rows
-- in order and stops (docs/architecture.md "List queries" says which serves
-- which request), and trigram full-text indexes for the search box.

-- sort=due: cases with a due day first, by due day, then id (the rowid
-- every index ends with); `due_day IS NULL` is the list's first sort key.
CREATE INDEX cases_due ON cases(due_day IS NULL, due_day);
CREATE INDEX cases_department_due ON cases(department_code, due_day IS NULL, due_day);
CREATE INDEX cases_district_due ON cases(district_code, due_day IS NULL, due_day);
CREATE INDEX cases_status_due ON cases(status, due_day IS NULL, due_day);
-- sort=number within a department (a head's list)
CREATE INDEX cases_department_number ON cases(department_code, number);
-- sort=updated, alone and under the filters a page combines
CREATE INDEX cases_updated ON cases(updated_at);
CREATE INDEX cases_status_updated ON cases(status, updated_at);
CREATE INDEX cases_department_status ON cases(department_code, status, updated_at);
CREATE INDEX cases_district_status ON cases(district_code, status, updated_at);
CREATE INDEX cases_item ON cases(item_code, stage, updated_at);

-- 待办: a department's open cases of a step role in the list's order (due
-- day, id), then what the filter and the light counts read, so the page and
-- its four counts read only this index.
DROP INDEX cases_todo;
CREATE INDEX cases_todo ON cases(department_code, step_role, due_day IS NULL, due_day, id, handler_id, accepted,
	warn_day, paused_since) WHERE open = 1;

-- Search (?q=): substrings of a project's name or code and of a 办件 number.
-- The trigram tokenizer indexes every three characters (case-sensitive, as
-- instr() is); a query of three characters or more is narrowed by a few of
-- its trigrams and the candidates checked with instr() (store_search.h).
CREATE VIRTUAL TABLE projects_fts USING fts5(name, code, content='projects', content_rowid='id',
	tokenize='trigram case_sensitive 1');
INSERT INTO projects_fts(projects_fts) VALUES ('rebuild');
CREATE TRIGGER projects_fts_insert AFTER INSERT ON projects BEGIN
	INSERT INTO projects_fts(rowid, name, code) VALUES (new.id, new.name, new.code);
END;
CREATE TRIGGER projects_fts_delete AFTER DELETE ON projects BEGIN
	INSERT INTO projects_fts(projects_fts, rowid, name, code) VALUES ('delete', old.id, old.name, old.code);
END;
CREATE TRIGGER projects_fts_update AFTER UPDATE OF name, code ON projects BEGIN
	INSERT INTO projects_fts(projects_fts, rowid, name, code) VALUES ('delete', old.id, old.name, old.code);
	INSERT INTO projects_fts(rowid, name, code) VALUES (new.id, new.name, new.code);
END;

CREATE VIRTUAL TABLE cases_fts USING fts5(number, content='cases', content_rowid='id',
	tokenize='trigram case_sensitive 1');
INSERT INTO cases_fts(cases_fts) VALUES ('rebuild');
CREATE TRIGGER cases_fts_insert AFTER INSERT ON cases BEGIN
	INSERT INTO cases_fts(rowid, number) VALUES (new.id, new.number);
END;
CREATE TRIGGER cases_fts_delete AFTER DELETE ON cases BEGIN
	INSERT INTO cases_fts(cases_fts, rowid, number) VALUES ('delete', old.id, old.number);
END;
CREATE TRIGGER cases_fts_update AFTER UPDATE OF number ON cases BEGIN
	INSERT INTO cases_fts(cases_fts, rowid, number) VALUES ('delete', old.id, old.number);
	INSERT INTO cases_fts(rowid, number) VALUES (new.id, new.number);
END;

-- the project list: live projects newest first with what the scopes and
-- filters test, so a page walks this index, not the rows
CREATE INDEX projects_live ON projects(id, created_department, division_code, flow_type) WHERE deleted_at IS NULL;

-- the planner's statistics for the new indexes (a sample: seconds at 10 M)
PRAGMA analysis_limit = 2000;
ANALYZE;
