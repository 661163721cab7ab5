/*
** store_org.c: SQL for districts, departments, roles, users and password
** history (see store_org.h; the audit log: store_audit.c).
*/
#include "store/store_org.h"
#include "store/store_int.h"
#include "store/store_list.h"

#include <stdio.h>
#include <string.h>

#define COPY(dst, s, i) snprintf((dst), sizeof(dst), "%s", store_col_text((s), (i)))

/* ---- districts and departments ------------------------------------------ */

int store_district_put(struct store *st, const char *code, const char *name,
		       const char *parent, int level, int64_t now, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO districts(code, name, parent_code, level, updated_at) "
				     "VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(code) DO UPDATE SET "
				     "name = ?2, parent_code = ?3, level = ?4, updated_at = ?5", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, name);
	store_bind_text(s, 3, parent);
	sqlite3_bind_int(s, 4, level);
	sqlite3_bind_int64(s, 5, now);
	return store_step_done(st, s, e, "district");
}

static int exists(struct store *st, const char *sql, const char *code)
{
	sqlite3_stmt *s = store_stmt(st, sql, NULL);
	if (!s)
		return 0;
	store_bind_text(s, 1, code);
	int found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return found;
}

int store_district_exists(struct store *st, const char *code)
{
	return exists(st, "SELECT 1 FROM districts WHERE code = ? AND active", code);
}

int store_department_exists(struct store *st, const char *code)
{
	return exists(st, "SELECT 1 FROM departments WHERE code = ? AND active", code);
}

int store_district_list(struct store *st, const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	struct store_list l = STORE_LIST("district list");
	int rc = store_list_count(st, &l, "FROM districts", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT id, code, name, parent_code, level, active = 1 AS active FROM districts",
				     "ORDER BY code", pg, items, e);
	store_list_free(&l);
	return rc;
}

static int update_named(struct store *st, const char *sql, const char *code, const char *name,
			int active, int64_t now, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, sql, e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, name);
	if (active < 0)
		sqlite3_bind_null(s, 3);
	else
		sqlite3_bind_int(s, 3, active);
	sqlite3_bind_int64(s, 4, now);
	if (store_step_done(st, s, e, "update"))
		return e->code;
	if (sqlite3_changes(store_db(st)) == 0)
		return err_set(e, ERR_NOTFOUND, "code", "不存在: %s (not found)", code);
	return 0;
}

int store_district_update(struct store *st, const char *code, const char *name, int active,
			  int64_t now, struct err *e)
{
	return update_named(st, "UPDATE districts SET name = coalesce(?2, name), "
			    "active = coalesce(?3, active), updated_at = ?4 WHERE code = ?1",
			    code, name, active, now, e);
}

int store_department_put(struct store *st, const char *code, const char *name,
			 const char *district, int64_t now, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO departments(code, name, district_code, updated_at) "
				     "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(code) DO UPDATE SET "
				     "name = ?2, district_code = ?3, updated_at = ?4", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, name);
	store_bind_text(s, 3, district);
	sqlite3_bind_int64(s, 4, now);
	return store_step_done(st, s, e, "department");
}

int store_department_list(struct store *st, const char *district, const struct page *pg,
			  json_t **items, int64_t *total, struct err *e)
{
	struct store_list l = STORE_LIST("department list");
	if (district)
		store_list_text(&l, "d.district_code = :district", ":district", district);
	int rc = store_list_count(st, &l, "FROM departments d", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT d.id, d.code, d.name, d.district_code, t.name AS district_name, "
				     "d.active = 1 AS active FROM departments d JOIN districts t ON t.code = d.district_code",
				     "ORDER BY d.code", pg, items, e);
	store_list_free(&l);
	return rc;
}

int store_department_update(struct store *st, const char *code, const char *name, int active,
			    int64_t now, struct err *e)
{
	return update_named(st, "UPDATE departments SET name = coalesce(?2, name), "
			    "active = coalesce(?3, active), updated_at = ?4 WHERE code = ?1",
			    code, name, active, now, e);
}

int store_department_move(struct store *st, const char *code, const char *district, int64_t now, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE departments SET district_code = ?2, updated_at = ?3 WHERE code = ?1", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, district);
	sqlite3_bind_int64(s, 3, now);
	return store_step_done(st, s, e, "update");
}

int store_department_place(struct store *st, const char *code, char district[16], int64_t *cases, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT district_code FROM departments WHERE code = ?", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	district[0] = '\0';
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		snprintf(district, 16, "%s", (const char *)sqlite3_column_text(s, 0));
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return err_set(e, ERR_INTERNAL, "", "department: %s", sqlite3_errmsg(store_db(st)));
	s = store_stmt(st, "SELECT count(*) FROM cases WHERE department_code = ?", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	return store_count(st, s, cases, e);
}

int store_department_inactive(struct store *st, const char *code)
{
	return exists(st, "SELECT 1 FROM departments WHERE code = ? AND NOT active", code);
}

int store_department_load(struct store *st, const char *code, int64_t *running_cases,
			  int64_t *active_accounts, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT count(*) FROM cases WHERE department_code = ? AND open = 1", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	if (store_count(st, s, running_cases, e))
		return e->code;
	s = store_stmt(st, "SELECT count(*) FROM users WHERE department_code = ? AND active = 1", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	return store_count(st, s, active_accounts, e);
}

int store_department_disable_users(struct store *st, const char *code, int64_t now, json_t **users,
				   struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, username FROM users WHERE department_code = ? AND active = 1 "
				     "ORDER BY id", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	if (store_rows_json(st, s, users, e))
		return e->code;
	s = store_stmt(st, "UPDATE users SET active = 0, updated_at = ?2 WHERE department_code = ?1 AND active = 1", e);
	if (!s) {
		json_decref(*users);
		return e->code;
	}
	store_bind_text(s, 1, code);
	sqlite3_bind_int64(s, 2, now);
	if (store_step_done(st, s, e, "users")) {
		json_decref(*users);
		return e->code;
	}
	return 0;
}

/* ---- users ------------------------------------------------------------ */

#define USER_COLS "u.id, u.username, u.display_name, u.phone, u.password_hash, u.must_change, " \
	"u.password_changed_at, u.failed_logins, u.locked_until, coalesce(u.department_code, ''), " \
	"coalesce(u.district_code, ''), u.active, u.created_at, u.updated_at, " \
	"(SELECT coalesce(group_concat(role, ','), '') FROM " \
	"(SELECT role FROM user_roles r WHERE r.user_id = u.id ORDER BY role)), " \
	"u.totp_secret, u.totp_pending, u.totp_step, u.last_login_at"

static int read_user(struct store *st, sqlite3_stmt *s, struct user *u, struct err *e)
{
	int rc = sqlite3_step(s);
	if (rc != SQLITE_ROW) {
		sqlite3_reset(s);
		if (rc == SQLITE_DONE)
			return err_set(e, ERR_NOTFOUND, "user", "用户不存在 (no such user)");
		return store_sqlerr(st, e, "user");
	}
	memset(u, 0, sizeof *u);
	u->id = sqlite3_column_int64(s, 0);
	COPY(u->username, s, 1);
	COPY(u->display_name, s, 2);
	COPY(u->phone, s, 3);
	COPY(u->password_hash, s, 4);
	u->must_change = sqlite3_column_int(s, 5);
	u->password_changed_at = sqlite3_column_int64(s, 6);
	u->failed_logins = sqlite3_column_int(s, 7);
	u->locked_until = sqlite3_column_int64(s, 8);
	COPY(u->department, s, 9);
	COPY(u->district, s, 10);
	u->active = sqlite3_column_int(s, 11);
	u->created_at = sqlite3_column_int64(s, 12);
	u->updated_at = sqlite3_column_int64(s, 13);
	COPY(u->roles, s, 14);
	COPY(u->totp_secret, s, 15);
	COPY(u->totp_pending, s, 16);
	u->totp_step = sqlite3_column_int64(s, 17);
	u->last_login_at = sqlite3_column_int64(s, 18);
	sqlite3_reset(s);
	return 0;
}

int store_user_by_name(struct store *st, const char *username, struct user *u, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " USER_COLS " FROM users u WHERE u.username = ?", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, username);
	return read_user(st, s, u, e);
}

int store_user_by_id(struct store *st, int64_t id, struct user *u, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " USER_COLS " FROM users u WHERE u.id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	return read_user(st, s, u, e);
}

static void bind_user(sqlite3_stmt *s, const struct user *u)
{
	store_bind_text(s, 1, u->username);
	store_bind_text(s, 2, u->display_name);
	store_bind_text(s, 3, u->phone);
	store_bind_text(s, 4, u->password_hash);
	sqlite3_bind_int(s, 5, u->must_change);
	sqlite3_bind_int64(s, 6, u->password_changed_at);
	sqlite3_bind_int(s, 7, u->failed_logins);
	sqlite3_bind_int64(s, 8, u->locked_until);
	store_bind_text(s, 9, u->department[0] ? u->department : NULL);
	store_bind_text(s, 10, u->district[0] ? u->district : NULL);
	sqlite3_bind_int(s, 11, u->active);
	sqlite3_bind_int64(s, 12, u->created_at);
	sqlite3_bind_int64(s, 13, u->updated_at);
}

int store_user_insert(struct store *st, struct user *u, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO users(username, display_name, phone, password_hash, "
				     "must_change, password_changed_at, failed_logins, locked_until, "
				     "department_code, district_code, active, created_at, updated_at) "
				     "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13)", e);
	if (!s)
		return e->code;
	bind_user(s, u);
	if (store_step_done(st, s, e, "user")) {
		if (e->code == ERR_CONFLICT)
			err_set(e, ERR_CONFLICT, "username", "用户名已存在: %s (username taken)", u->username);
		return e->code;
	}
	u->id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_user_update(struct store *st, const struct user *u, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE users SET username = ?1, display_name = ?2, phone = ?3, "
				     "password_hash = ?4, must_change = ?5, password_changed_at = ?6, "
				     "failed_logins = ?7, locked_until = ?8, department_code = ?9, "
				     "district_code = ?10, active = ?11, created_at = ?12, updated_at = ?13 "
				     "WHERE id = ?14", e);
	if (!s)
		return e->code;
	bind_user(s, u);
	sqlite3_bind_int64(s, 14, u->id);
	return store_step_done(st, s, e, "user");
}

int store_user_login_failed(struct store *st, int64_t id, int64_t now, int limit, int64_t lock_until,
			    int *counted, int64_t *until, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE users SET "
				     "failed_logins = CASE WHEN failed_logins + 1 >= ?3 THEN 0 ELSE failed_logins + 1 END, "
				     "locked_until = CASE WHEN failed_logins + 1 >= ?3 THEN ?4 ELSE locked_until END "
				     "WHERE id = ?1 AND locked_until <= ?2 RETURNING locked_until", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	sqlite3_bind_int(s, 3, limit);
	sqlite3_bind_int64(s, 4, lock_until);
	int rc = sqlite3_step(s);
	*counted = rc == SQLITE_ROW;
	*until = *counted ? sqlite3_column_int64(s, 0) : 0;
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, e, "login failure");
	if (*counted)
		return 0;
	s = store_stmt(st, "SELECT locked_until FROM users WHERE id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	if (sqlite3_step(s) == SQLITE_ROW)
		*until = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

int store_user_login_ok(struct store *st, int64_t id, int64_t now, const char *hash, int *ok, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE users SET failed_logins = 0, last_login_at = ?2 WHERE id = ?1 "
				     "AND active = 1 AND locked_until <= ?2 AND password_hash = ?3", e);
	*ok = 0;
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	store_bind_text(s, 3, hash);
	if (store_step_done(st, s, e, "login"))
		return e->code;
	*ok = sqlite3_changes(store_db(st)) == 1;
	return 0;
}

int store_user_set_password(struct store *st, int64_t id, const char *old_hash, const char *hash,
			    int must_change, int64_t now, int *ok, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE users SET password_hash = ?3, must_change = ?4, "
				     "password_changed_at = ?5, failed_logins = 0, locked_until = 0, updated_at = ?5 "
				     "WHERE id = ?1 AND password_hash = ?2", e);
	*ok = 0;
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, old_hash);
	store_bind_text(s, 3, hash);
	sqlite3_bind_int(s, 4, must_change);
	sqlite3_bind_int64(s, 5, now);
	if (store_step_done(st, s, e, "password"))
		return e->code;
	*ok = sqlite3_changes(store_db(st)) == 1;
	return 0;
}

int store_user_totp_save(struct store *st, const struct user *u, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE users SET totp_secret = ?, totp_pending = ?, totp_step = ?, "
				     "updated_at = ? WHERE id = ?", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, u->totp_secret);
	store_bind_text(s, 2, u->totp_pending);
	sqlite3_bind_int64(s, 3, u->totp_step);
	sqlite3_bind_int64(s, 4, u->updated_at);
	sqlite3_bind_int64(s, 5, u->id);
	return store_step_done(st, s, e, "user totp");
}

int store_user_totp_claim(struct store *st, int64_t id, int64_t step, int *taken, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE users SET totp_step = ?2 WHERE id = ?1 AND totp_step < ?2", e);
	*taken = 0;
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, step);
	if (store_step_done(st, s, e, "user totp step"))
		return e->code;
	*taken = sqlite3_changes(store_db(st)) == 1;
	return 0;
}

static int role_change(struct store *st, const char *sql, int64_t user_id, const char *role, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, sql, e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, user_id);
	store_bind_text(s, 2, role);
	return store_step_done(st, s, e, "role");
}

int store_user_role_add(struct store *st, int64_t user_id, const char *role, struct err *e)
{
	return role_change(st, "INSERT OR IGNORE INTO user_roles(user_id, role) VALUES (?, ?)", user_id, role, e);
}

int store_user_role_del(struct store *st, int64_t user_id, const char *role, struct err *e)
{
	return role_change(st, "DELETE FROM user_roles WHERE user_id = ? AND role = ?", user_id, role, e);
}

int store_user_list(struct store *st, const char *department, const char *role,
		    const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	struct store_list l = STORE_LIST("user list");
	if (department)
		store_list_text(&l, "u.department_code = :department", ":department", department);
	if (role)
		store_list_text(&l, "EXISTS (SELECT 1 FROM user_roles r WHERE r.user_id = u.id AND r.role = :role)",
				":role", role);
	int rc = store_list_count(st, &l, "FROM users u", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT u.id, u.username, u.display_name, u.phone, "
				     "u.department_code AS department, u.district_code AS district, u.active = 1 AS active, "
				     "u.must_change = 1 AS must_change, u.locked_until, u.password_changed_at, u.created_at, "
				     "u.totp_secret <> '' AS totp_enrolled, (SELECT coalesce(group_concat(role, ','), '') "
				     "FROM (SELECT role FROM user_roles r WHERE r.user_id = u.id ORDER BY role)) AS roles "
				     "FROM users u", "ORDER BY u.id", pg, items, e);
	store_list_free(&l);
	return rc;
}

int store_pwhist_add(struct store *st, int64_t user_id, const char *hash, const char *norm_hash, int64_t at,
		     struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO password_history(user_id, hash, created_at, norm_hash) "
				     "VALUES (?, ?, ?, ?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, user_id);
	store_bind_text(s, 2, hash);
	sqlite3_bind_int64(s, 3, at);
	store_bind_text(s, 4, norm_hash);
	return store_step_done(st, s, e, "password history");
}

int store_pwhist_recent(struct store *st, int64_t user_id, int n, struct store_pwhist *out, int *count,
			struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT hash, norm_hash FROM password_history WHERE user_id = ? "
				     "ORDER BY id DESC LIMIT ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, user_id);
	sqlite3_bind_int(s, 2, n);
	*count = 0;
	while (sqlite3_step(s) == SQLITE_ROW && *count < n) {
		COPY(out[*count].hash, s, 0);
		COPY(out[*count].norm_hash, s, 1);
		(*count)++;
	}
	sqlite3_reset(s);
	return 0;
}
