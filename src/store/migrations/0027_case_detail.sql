-- The case detail (GET /api/cases/{id}, store_case_parts) reads a case's
-- history and its documents each from one range of one index (issue 21):
-- the indexes carry every column the detail shows, so no row of the tables
-- is visited. A case's status rows are written over weeks between other
-- cases' rows, so through the old (case_id, id) index each history row was
-- one more random page of the table. The new indexes begin with the old
-- ones' columns and serve every query those served.
CREATE INDEX case_status_detail ON case_status(case_id, id, status, action, step, step_name, at, user_id, username,
	department_code, opinion);
DROP INDEX case_status_case;
CREATE INDEX case_documents_detail ON case_documents(case_id, kind, id, issued_at, number, issued_by);
DROP INDEX case_documents_case;
-- the planner's statistics for the new indexes (a sample of each)
PRAGMA analysis_limit = 1000;
ANALYZE case_status;
ANALYZE case_documents;
PRAGMA analysis_limit = 0;
