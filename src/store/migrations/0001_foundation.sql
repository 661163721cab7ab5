-- 0001: organisation, accounts, roles, audit log.
CREATE TABLE districts (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,          -- GB/T 2260
	name TEXT NOT NULL,
	parent_code TEXT,
	level INTEGER NOT NULL,             -- 1 province, 2 city, 3 district/county
	active INTEGER NOT NULL DEFAULT 1,
	updated_at INTEGER NOT NULL
);

CREATE TABLE departments (
	id INTEGER PRIMARY KEY,
	code TEXT NOT NULL UNIQUE,          -- "<division>-<abbr>", e.g. 610200-ZJJ
	name TEXT NOT NULL,
	district_code TEXT NOT NULL REFERENCES districts(code),
	active INTEGER NOT NULL DEFAULT 1,
	updated_at INTEGER NOT NULL
);

CREATE TABLE roles (
	code TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	scope TEXT NOT NULL,                -- department | district | city | none
	description TEXT NOT NULL
);

INSERT INTO roles(code, name, scope, description) VALUES
 ('clerk', '窗口人员', 'department', '窗口收件、受理、补正告知'),
 ('reviewer', '审查人员', 'department', '委办局审查环节办理'),
 ('head', '部门负责人', 'department', '部门决定环节、本部门统计'),
 ('leader', '局领导', 'city', '全市办件与统计只读'),
 ('ops', '运维工程师', 'none', '巡检、备份、日志清理、数据修复'),
 ('catalog', '事项管理员', 'none', '审批流程与事项配置'),
 ('sysadmin', '系统管理员', 'none', '组织机构、账号、系统配置（三员之一）'),
 ('secadmin', '安全管理员', 'none', '角色授权、密码重置、安全策略（三员之一）'),
 ('auditor', '审计管理员', 'none', '只读审计日志（三员之一）');

CREATE TABLE users (
	id INTEGER PRIMARY KEY,
	username TEXT NOT NULL UNIQUE,
	display_name TEXT NOT NULL DEFAULT '',
	phone TEXT NOT NULL DEFAULT '',
	password_hash TEXT NOT NULL,
	must_change INTEGER NOT NULL DEFAULT 1,
	password_changed_at INTEGER NOT NULL,
	failed_logins INTEGER NOT NULL DEFAULT 0,
	locked_until INTEGER NOT NULL DEFAULT 0,
	department_code TEXT REFERENCES departments(code),
	district_code TEXT REFERENCES districts(code),
	active INTEGER NOT NULL DEFAULT 1,
	created_at INTEGER NOT NULL,
	updated_at INTEGER NOT NULL
);

CREATE TABLE user_roles (
	user_id INTEGER NOT NULL REFERENCES users(id),
	role TEXT NOT NULL REFERENCES roles(code),
	PRIMARY KEY (user_id, role)
) WITHOUT ROWID;

CREATE TABLE password_history (
	id INTEGER PRIMARY KEY,
	user_id INTEGER NOT NULL REFERENCES users(id),
	hash TEXT NOT NULL,
	created_at INTEGER NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, id);

-- Append-only, hash-chained. Ids are contiguous (assigned from audit_head),
-- so a deleted row shows as a gap and a deleted tail as a head mismatch.
CREATE TABLE audit_log (
	id INTEGER PRIMARY KEY,
	at INTEGER NOT NULL,
	user_id INTEGER,
	username TEXT NOT NULL,
	source TEXT NOT NULL,
	action TEXT NOT NULL,
	object TEXT NOT NULL,
	outcome TEXT NOT NULL,
	details TEXT NOT NULL,
	prev_hash TEXT NOT NULL,
	hash TEXT NOT NULL
);
CREATE INDEX audit_log_at ON audit_log(at);
CREATE INDEX audit_log_user ON audit_log(username, at);
CREATE INDEX audit_log_action ON audit_log(action, at);

CREATE TABLE audit_head (
	one INTEGER PRIMARY KEY CHECK (one = 1),
	last_id INTEGER NOT NULL,
	last_hash TEXT NOT NULL
);
INSERT INTO audit_head VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'audit_log is append-only'); END;
