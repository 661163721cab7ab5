-- 0008: project_departments with its columns in primary-key order.
-- SQLite 3.40's quick_check reports "NULL value in project_departments.project_id"
-- on a healthy WITHOUT ROWID table whose primary key lists the columns in
-- another order than the table does, which made the daily database
-- inspection cry corruption. Same rows, same key, columns reordered.
CREATE TABLE project_departments_new (
	department_code TEXT NOT NULL REFERENCES departments(code),
	project_id INTEGER NOT NULL REFERENCES projects(id),
	PRIMARY KEY (department_code, project_id)
) WITHOUT ROWID;
INSERT INTO project_departments_new(department_code, project_id)
	SELECT department_code, project_id FROM project_departments;
DROP TABLE project_departments;
ALTER TABLE project_departments_new RENAME TO project_departments;
