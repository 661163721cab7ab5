/*
** store_repair.c: SQL of 数据修复 (see store_repair.h). The generic row
** access builds its statements from names the schema itself answered
** (PRAGMA table_info / foreign_key_list) for tables store_repair_table_ok
** admits; values are always bound.
*/
#include "store/store_repair.h"
#include "store/store_int.h"
#include "store/store_list.h"
#include "base/buf.h"

#include <stdio.h>
#include <string.h>

int store_repair_table_ok(const char *tbl)
{
	if (!tbl)
		return 0;
	for (const char *p = tbl; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || *p == '_' || (*p >= '0' && *p <= '9')))
			return 0;
	return strcmp(tbl, "projects") == 0 || strcmp(tbl, "cases") == 0 || strcmp(tbl, "users") == 0 ||
	       strncmp(tbl, "project_", 8) == 0 || strncmp(tbl, "case_", 5) == 0;
}

static int prepare(struct store *st, const char *sql, sqlite3_stmt **s, struct err *e)
{
	if (sqlite3_prepare_v2(store_db(st), sql, -1, s, NULL) != SQLITE_OK)
		return store_sqlerr(st, e, "repair");
	return 0;
}

/* The columns of tbl in order and its primary key columns in key order. */
static int columns(struct store *st, const char *tbl, json_t **cols, json_t **pk, struct err *e)
{
	char sql[128];
	sqlite3_stmt *s;
	json_t *keyed[8] = {0};
	if (!store_repair_table_ok(tbl))
		return err_set(e, ERR_INVALID, "table", "数据修复不能修改表 %s (not a table of approval data)", tbl);
	snprintf(sql, sizeof sql, "PRAGMA table_info(%s)", tbl);
	if (prepare(st, sql, &s, e))
		return e->code;
	*cols = json_array();
	*pk = json_array();
	while (sqlite3_step(s) == SQLITE_ROW) {
		json_array_append_new(*cols, json_string(store_col_text(s, 1)));
		int k = sqlite3_column_int(s, 5);
		if (k > 0 && k <= 8)
			keyed[k - 1] = json_string(store_col_text(s, 1));
	}
	sqlite3_finalize(s);
	for (int i = 0; i < 8 && keyed[i]; i++)
		json_array_append_new(*pk, keyed[i]);
	if (!json_array_size(*cols) || !json_array_size(*pk)) {
		json_decref(*cols);
		json_decref(*pk);
		return err_set(e, ERR_INVALID, "table", "表 %s 不存在或没有主键", tbl);
	}
	return 0;
}

static int has_column(const json_t *cols, const char *name)
{
	size_t i;
	json_t *c;
	json_array_foreach(cols, i, c)
		if (strcmp(json_string_value(c), name) == 0)
			return 1;
	return 0;
}

static void bind_json(sqlite3_stmt *s, int i, const json_t *v)
{
	if (json_is_integer(v))
		sqlite3_bind_int64(s, i, json_integer_value(v));
	else if (json_is_real(v))
		sqlite3_bind_double(s, i, json_real_value(v));
	else if (json_is_string(v))
		sqlite3_bind_text(s, i, json_string_value(v), (int)json_string_length(v), SQLITE_TRANSIENT);
	else if (json_is_boolean(v))
		sqlite3_bind_int(s, i, json_is_true(v));
	else
		sqlite3_bind_null(s, i);
}

/* " WHERE a = ?1 AND b = ?2" over the members of where, each a column of tbl. */
static int where_sql(const char *tbl, const json_t *cols, const json_t *where, int first, struct buf *b,
		     struct err *e)
{
	const char *k;
	json_t *v;
	int n = first;
	json_object_foreach((json_t *)where, k, v) {
		if (!has_column(cols, k))
			return err_set(e, ERR_INVALID, k, "表 %s 没有列 %s", tbl, k);
		buf_printf(b, "%s%s = ?%d", n == first ? " WHERE " : " AND ", k, n);
		n++;
	}
	return 0;
}

static void bind_where(sqlite3_stmt *s, const json_t *where, int first)
{
	const char *k;
	json_t *v;
	int n = first;
	json_object_foreach((json_t *)where, k, v)
		bind_json(s, n++, v);
}

int store_repair_select(struct store *st, const char *tbl, const json_t *where, int limit, json_t **rows,
			struct err *e)
{
	json_t *cols, *pk, *c;
	struct buf b = {0};
	sqlite3_stmt *s = NULL;
	size_t i;
	if (columns(st, tbl, &cols, &pk, e))
		return e->code;
	buf_printf(&b, "SELECT * FROM %s", tbl);
	int rc = where_sql(tbl, cols, where, 1, &b, e);
	json_array_foreach(pk, i, c)
		buf_printf(&b, "%s%s", i ? ", " : " ORDER BY ", json_string_value(c));
	if (limit > 0)
		buf_printf(&b, " LIMIT %d", limit);
	if (!rc)
		rc = prepare(st, b.data, &s, e);
	if (!rc) {
		bind_where(s, where, 1);
		rc = store_rows_json(st, s, rows, e);
		sqlite3_finalize(s);
	}
	buf_free(&b);
	json_decref(cols);
	json_decref(pk);
	return rc;
}

int store_repair_key(struct store *st, const char *tbl, const json_t *row, json_t **key, struct err *e)
{
	json_t *cols, *pk, *c;
	size_t i;
	if (columns(st, tbl, &cols, &pk, e))
		return e->code;
	*key = json_object();
	json_array_foreach(pk, i, c) {
		json_t *v = json_object_get(row, json_string_value(c));
		json_object_set_new(*key, json_string_value(c), v ? json_incref(v) : json_null());
	}
	json_decref(cols);
	json_decref(pk);
	return 0;
}

int store_repair_row(struct store *st, const char *tbl, const json_t *key, json_t **row, struct err *e)
{
	json_t *rows;
	if (!json_object_size(key))
		return err_set(e, ERR_INVALID, "key", "行键为空");
	if (store_repair_select(st, tbl, key, 2, &rows, e))
		return e->code;
	*row = json_array_size(rows) == 1 ? json_incref(json_array_get(rows, 0)) : NULL;
	json_decref(rows);
	return 0;
}

/* The SQL of one write (see store_repair_row_write); *nvals the values of after bound first. */
static int write_sql(const char *tbl, const json_t *cols, const json_t *key, const json_t *before,
		     const json_t *after, struct buf *b, struct err *e)
{
	const char *k;
	json_t *v;
	int n = 1;
	if (!after) {
		buf_printf(b, "DELETE FROM %s", tbl);
		return where_sql(tbl, cols, key, 1, b, e);
	}
	json_object_foreach((json_t *)after, k, v)
		if (!has_column(cols, k))
			return err_set(e, ERR_INVALID, k, "表 %s 没有列 %s", tbl, k);
	if (!before) {
		buf_printf(b, "INSERT INTO %s(", tbl);
		json_object_foreach((json_t *)after, k, v)
			buf_printf(b, "%s%s", n++ > 1 ? ", " : "", k);
		buf_puts(b, ") VALUES (");
		for (int i = 1; i < n; i++)
			buf_printf(b, "%s?%d", i > 1 ? ", " : "", i);
		buf_puts(b, ")");
		return 0;
	}
	buf_printf(b, "UPDATE %s SET ", tbl);
	json_object_foreach((json_t *)after, k, v) {
		buf_printf(b, "%s%s = ?%d", n > 1 ? ", " : "", k, n);
		n++;
	}
	return where_sql(tbl, cols, key, n, b, e);
}

int store_repair_row_write(struct store *st, const char *tbl, const json_t *key, const json_t *before,
			   const json_t *after, struct err *e)
{
	json_t *cols, *pk, *v;
	const char *k;
	struct buf b = {0};
	sqlite3_stmt *s = NULL;
	if (!before && !after)
		return err_set(e, ERR_INVALID, "row", "空的行变更");
	if (columns(st, tbl, &cols, &pk, e))
		return e->code;
	int rc = write_sql(tbl, cols, key, before, after, &b, e);
	if (!rc)
		rc = prepare(st, b.data, &s, e);
	if (!rc) {
		int n = 1;
		if (after)
			json_object_foreach((json_t *)after, k, v)
				bind_json(s, n++, v);
		if (before || !after)
			bind_where(s, key, after ? n : 1);
		rc = sqlite3_step(s) == SQLITE_DONE ? 0 : store_sqlerr(st, e, tbl);
		if (!rc && sqlite3_changes(store_db(st)) != 1)
			rc = err_set(e, ERR_CONFLICT, tbl, "表 %s 中要修改的行不存在", tbl);
		sqlite3_finalize(s);
	}
	buf_free(&b);
	json_decref(cols);
	json_decref(pk);
	return rc;
}

int store_repair_refs(struct store *st, const char *parent, json_t **refs, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT m.name, f.\"from\", coalesce(f.\"to\", '') FROM sqlite_master m, "
				     "pragma_foreign_key_list(m.name) f WHERE m.type = 'table' AND f.\"table\" = ?1 "
				     "ORDER BY m.name, f.id", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, parent);
	*refs = json_array();
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		json_array_append_new(*refs, json_pack("{s:s,s:s,s:s}", "table", store_col_text(s, 0), "column",
						       store_col_text(s, 1), "parent_column", store_col_text(s, 2)));
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		json_decref(*refs);
		return store_sqlerr(st, e, "foreign keys");
	}
	return 0;
}

/* ---- repair records ------------------------------------------------------------------------ */

int store_repair_insert(struct store *st, const struct repair_rec *r, int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO repairs(op, target, params, reason, answers, status, "
				     "proposed_by, proposed_by_id, proposed_at) VALUES (?1, ?2, ?3, ?4, ?5, 'proposed', "
				     "?6, ?7, ?8)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, r->op);
	store_bind_text(s, 2, r->target);
	store_bind_text(s, 3, r->params);
	store_bind_text(s, 4, r->reason);
	store_bind_text(s, 5, r->answers ? r->answers : "");
	store_bind_text(s, 6, r->proposed_by);
	if (r->proposed_by_id)
		sqlite3_bind_int64(s, 7, r->proposed_by_id);
	sqlite3_bind_int64(s, 8, r->proposed_at);
	if (store_step_done(st, s, e, "repairs"))
		return e->code;
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_repair_row_insert(struct store *st, int64_t id, int seq, const char *tbl, const char *key,
			    const char *before, const char *after, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO repair_rows(repair_id, seq, tbl, row_key, before, after) "
				     "VALUES (?1, ?2, ?3, ?4, ?5, ?6)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, seq);
	store_bind_text(s, 3, tbl);
	store_bind_text(s, 4, key);
	store_bind_text(s, 5, before);
	store_bind_text(s, 6, after);
	return store_step_done(st, s, e, "repair_rows");
}

#define REPAIR_COLS "id, op, target, params, reason, answers, status, proposed_by, proposed_at, decided_by, " \
	"decided_at, decision_note, applied_by, applied_at, undone_by, undone_at, undo_reason, proposed_by_id, " \
	"decided_by_id"

int store_repair_get(struct store *st, int64_t id, json_t **rec, struct err *e)
{
	json_t *rows;
	sqlite3_stmt *s = store_stmt(st, "SELECT " REPAIR_COLS " FROM repairs WHERE id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	if (store_rows_json(st, s, &rows, e))
		return e->code;
	*rec = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return *rec ? 0 : err_set(e, ERR_NOTFOUND, "id", "修复单 %lld 不存在", (long long)id);
}

int store_repair_rows(struct store *st, int64_t id, json_t **rows, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT seq, tbl, row_key, before, after FROM repair_rows "
				     "WHERE repair_id = ?1 ORDER BY seq", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	return store_rows_json(st, s, rows, e);
}

static int changed_one(struct store *st, int64_t id, const char *from, struct err *e)
{
	if (sqlite3_changes(store_db(st)) == 1)
		return 0;
	return err_set(e, ERR_CONFLICT, "status", "修复单 %lld 不是“%s”状态 (not %s)", (long long)id, from, from);
}

int store_repair_decide(struct store *st, int64_t id, const char *from, const char *to, const char *by,
			int64_t by_id, int64_t at, const char *note, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE repairs SET status = ?3, decided_by = ?4, decided_by_id = ?5, "
				     "decided_at = ?6, decision_note = ?7 WHERE id = ?1 AND status = ?2", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, from);
	store_bind_text(s, 3, to);
	store_bind_text(s, 4, by);
	if (by_id)
		sqlite3_bind_int64(s, 5, by_id);
	sqlite3_bind_int64(s, 6, at);
	store_bind_text(s, 7, note ? note : "");
	if (store_step_done(st, s, e, "repairs"))
		return e->code;
	return changed_one(st, id, from, e);
}

int store_repair_mark_applied(struct store *st, int64_t id, const char *by, int64_t at, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE repairs SET status = 'applied', applied_by = ?2, applied_at = ?3 "
				     "WHERE id = ?1 AND status = 'approved'", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, by);
	sqlite3_bind_int64(s, 3, at);
	if (store_step_done(st, s, e, "repairs"))
		return e->code;
	return changed_one(st, id, "approved", e);
}

int store_repair_mark_undone(struct store *st, int64_t id, const char *by, int64_t at, const char *reason,
			     struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE repairs SET status = 'undone', undone_by = ?2, undone_at = ?3, "
				     "undo_reason = ?4 WHERE id = ?1 AND status = 'applied'", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, by);
	sqlite3_bind_int64(s, 3, at);
	store_bind_text(s, 4, reason);
	if (store_step_done(st, s, e, "repairs"))
		return e->code;
	return changed_one(st, id, "applied", e);
}

int store_repair_list(struct store *st, const char *status, const struct page *pg, json_t **out, struct err *e)
{
	int64_t total;
	json_t *items;
	struct store_list l = STORE_LIST("repair list");
	if (status)
		store_list_text(&l, "status = :status", ":status", status);
	int rc = store_list_count(st, &l, "FROM repairs", &total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT " REPAIR_COLS " FROM repairs", "ORDER BY id DESC", pg, &items, e);
	store_list_free(&l);
	if (rc)
		return rc;
	*out = json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
	return 0;
}

int store_repair_department(struct store *st, const char *code, int *exists, int *active, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT active FROM departments WHERE code = ?1", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	int rc = sqlite3_step(s);
	*exists = rc == SQLITE_ROW;
	*active = *exists && sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, "departments");
}

int store_import_source_add(struct store *st, const char *tbl, const char *lsh, const char *kind, int64_t ref,
			    int64_t now, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT OR REPLACE INTO import_sources(tbl, lsh, kind, ref, imported_at) "
				     "VALUES (?1, ?2, ?3, ?4, ?5)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, tbl);
	store_bind_text(s, 2, lsh);
	store_bind_text(s, 3, kind);
	sqlite3_bind_int64(s, 4, ref);
	sqlite3_bind_int64(s, 5, now);
	return store_step_done(st, s, e, "import_sources");
}

int store_import_case_taken(struct store *st, const char *number, int *taken, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT 1 FROM cases WHERE number = ?1", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, number);
	int rc = sqlite3_step(s);
	*taken = rc == SQLITE_ROW;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, "cases");
}
