/*
** store_catalog.c: SQL of the approval catalogue (see store_catalog.h).
**
** Each statement exists once per table; TABLE_SQL picks the literal for the
** kind so the statement cache (keyed by the literal's address) holds both.
** "In effect on D" is the version with the greatest effective_from <= D;
** the UNIQUE (code, effective_from) constraint makes it unique.
*/
#include "store/store_catalog.h"
#include "store/store_int.h"
#include "store/store_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TABLE_SQL(kind, MAKE) ((kind) == CATALOG_FLOWS ? MAKE("catalog_flows") : MAKE("catalog_items"))

#define ROW_COLS "id, code, version, effective_from, created_at, created_by, doc"

/* One row of ROW_COLS as {"id",...,"doc":{...}}; NULL when doc is not JSON. */
static json_t *read_row(sqlite3_stmt *s)
{
	json_t *doc = json_loads(store_col_text(s, 6), 0, NULL);
	if (!doc)
		return NULL;
	return json_pack("{s:I,s:s,s:s,s:s,s:I,s:s,s:o}", "id", (json_int_t)sqlite3_column_int64(s, 0),
			 "code", store_col_text(s, 1), "version", store_col_text(s, 2),
			 "effective_from", store_col_text(s, 3),
			 "created_at", (json_int_t)sqlite3_column_int64(s, 4),
			 "created_by", store_col_text(s, 5), "doc", doc);
}

/* Step s (bound) for at most one row into *row. */
static int one_row(struct store *st, sqlite3_stmt *s, json_t **row, const char *what, struct err *e)
{
	int rc = sqlite3_step(s);
	*row = NULL;
	if (rc == SQLITE_ROW) {
		*row = read_row(s);
		sqlite3_reset(s);
		return *row ? 0 : err_set(e, ERR_INTERNAL, "", "stored %s is not valid JSON", what);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		return store_sqlerr(st, e, what);
	return err_set(e, ERR_NOTFOUND, "code", "%s不存在", what);
}

static const char *kind_name(int kind)
{
	return kind == CATALOG_FLOWS ? "审批流程" : "审批事项";
}

int store_catalog_docs(struct store *st, int kind, json_t **docs, struct err *e)
{
#define DOCS(T) "SELECT doc FROM " T " ORDER BY code, version_major, version_minor"
	sqlite3_stmt *s = store_stmt(st, TABLE_SQL(kind, DOCS), e);
	json_t *arr = json_array();
	int rc;
	if (!s) {
		json_decref(arr);
		return e->code;
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *d = json_loads(store_col_text(s, 0), 0, NULL);
		if (!d) {
			sqlite3_reset(s);
			json_decref(arr);
			return err_set(e, ERR_INTERNAL, "", "stored catalogue version is not valid JSON");
		}
		json_array_append_new(arr, d);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		return store_sqlerr(st, e, "catalogue");
	}
	*docs = arr;
	return 0;
}

static int version_parts(const json_t *doc, int *major, int *minor)
{
	const char *v = json_string_value(json_object_get(doc, "version"));
	return v && sscanf(v, "%d.%d", major, minor) == 2 ? 0 : -1;
}

static int bool_of(const json_t *doc, const char *k)
{
	return json_is_true(json_object_get(doc, k));
}

static int insert_item(struct store *st, const json_t *d, const char *text, int64_t now,
		       const char *by, int64_t *id, struct err *e)
{
	int major, minor;
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO catalog_items(code, version, version_major, "
				     "version_minor, effective_from, name, national_code, department_code, "
				     "promised_limit, legal_limit, milestone, commitment, tolerance, applicant_kind, "
				     "case_type, doc, created_at, created_by, fee, fee_basis) "
				     "VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", e);
	if (!s)
		return e->code;
	if (version_parts(d, &major, &minor))
		return err_set(e, ERR_INVALID, "version", "版本号格式错误");
	store_bind_text(s, 1, json_string_value(json_object_get(d, "code")));
	store_bind_text(s, 2, json_string_value(json_object_get(d, "version")));
	sqlite3_bind_int(s, 3, major);
	sqlite3_bind_int(s, 4, minor);
	store_bind_text(s, 5, json_string_value(json_object_get(d, "effective_from")));
	store_bind_text(s, 6, json_string_value(json_object_get(d, "name")));
	store_bind_text(s, 7, json_string_value(json_object_get(d, "national_code")));
	store_bind_text(s, 8, json_string_value(json_object_get(d, "department")));
	sqlite3_bind_int64(s, 9, json_integer_value(json_object_get(d, "promised_limit")));
	sqlite3_bind_int64(s, 10, json_integer_value(json_object_get(d, "legal_limit")));
	sqlite3_bind_int(s, 11, bool_of(d, "milestone"));
	sqlite3_bind_int(s, 12, bool_of(d, "commitment"));
	sqlite3_bind_int(s, 13, bool_of(d, "tolerance"));
	sqlite3_bind_int64(s, 14, json_integer_value(json_object_get(d, "applicant_kind")));
	sqlite3_bind_int64(s, 15, json_integer_value(json_object_get(d, "case_type")));
	store_bind_text(s, 16, text);
	sqlite3_bind_int64(s, 17, now);
	store_bind_text(s, 18, by);
	if (json_is_integer(json_object_get(d, "fee")))
		sqlite3_bind_int64(s, 19, json_integer_value(json_object_get(d, "fee")));
	if (json_is_string(json_object_get(d, "fee_basis")))
		store_bind_text(s, 20, json_string_value(json_object_get(d, "fee_basis")));
	if (store_step_done(st, s, e, "catalogue item"))
		return e->code;
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

static int insert_stage_items(struct store *st, int64_t stage_id, const json_t *codes,
			      const char *side, int *pos, struct err *e)
{
	size_t i;
	json_t *c;
	json_array_foreach(codes, i, c) {
		sqlite3_stmt *s = store_stmt(st, "INSERT INTO catalog_stage_items(stage_id, item_code, "
					     "side_line, position) VALUES (?,?,?,?)", e);
		if (!s)
			return e->code;
		sqlite3_bind_int64(s, 1, stage_id);
		store_bind_text(s, 2, json_string_value(c));
		store_bind_text(s, 3, side);
		sqlite3_bind_int(s, 4, (*pos)++);
		if (store_step_done(st, s, e, "stage item"))
			return e->code;
	}
	return 0;
}

static int insert_stages(struct store *st, int64_t flow_id, const json_t *d, struct err *e)
{
	size_t i, j;
	json_t *stg, *sl;
	json_array_foreach(json_object_get(d, "stages"), i, stg) {
		int pos = 0;
		sqlite3_stmt *s = store_stmt(st, "INSERT INTO catalog_stages(flow_id, number, name, time_limit, "
					     "completion_rule, lead_department) VALUES (?,?,?,?,?,?)", e);
		if (!s)
			return e->code;
		sqlite3_bind_int64(s, 1, flow_id);
		sqlite3_bind_int64(s, 2, json_integer_value(json_object_get(stg, "number")));
		store_bind_text(s, 3, json_string_value(json_object_get(stg, "name")));
		sqlite3_bind_int64(s, 4, json_integer_value(json_object_get(stg, "limit")));
		sqlite3_bind_int64(s, 5, json_integer_value(json_object_get(stg, "completion_rule")));
		store_bind_text(s, 6, json_string_value(json_object_get(stg, "lead_department")));
		if (store_step_done(st, s, e, "stage"))
			return e->code;
		int64_t sid = sqlite3_last_insert_rowid(store_db(st));
		if (insert_stage_items(st, sid, json_object_get(stg, "items"), "", &pos, e))
			return e->code;
		json_array_foreach(json_object_get(stg, "side_lines"), j, sl)
			if (insert_stage_items(st, sid, json_object_get(sl, "items"),
					       json_string_value(json_object_get(sl, "code")), &pos, e))
				return e->code;
	}
	return 0;
}

static int insert_flow(struct store *st, const json_t *d, const char *text, int64_t now,
		       const char *by, int64_t *id, struct err *e)
{
	int major, minor;
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO catalog_flows(code, version, version_major, "
				     "version_minor, effective_from, name, flow_type, division_code, doc, "
				     "created_at, created_by) VALUES (?,?,?,?,?,?,?,?,?,?,?)", e);
	if (!s)
		return e->code;
	if (version_parts(d, &major, &minor))
		return err_set(e, ERR_INVALID, "version", "版本号格式错误");
	store_bind_text(s, 1, json_string_value(json_object_get(d, "code")));
	store_bind_text(s, 2, json_string_value(json_object_get(d, "version")));
	sqlite3_bind_int(s, 3, major);
	sqlite3_bind_int(s, 4, minor);
	store_bind_text(s, 5, json_string_value(json_object_get(d, "effective_from")));
	store_bind_text(s, 6, json_string_value(json_object_get(d, "name")));
	sqlite3_bind_int64(s, 7, json_integer_value(json_object_get(d, "flow_type")));
	store_bind_text(s, 8, json_string_value(json_object_get(d, "division")));
	store_bind_text(s, 9, text);
	sqlite3_bind_int64(s, 10, now);
	store_bind_text(s, 11, by);
	if (store_step_done(st, s, e, "catalogue flow"))
		return e->code;
	*id = sqlite3_last_insert_rowid(store_db(st));
	return insert_stages(st, *id, d, e);
}

int store_catalog_insert(struct store *st, int kind, const json_t *doc, int64_t now,
			 const char *by, int64_t *id, struct err *e)
{
	char *text = json_dumps(doc, JSON_COMPACT);
	int64_t got = 0;
	int rc;
	if (!text)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (store_begin(st, e)) {
		free(text);
		return e->code;
	}
	rc = kind == CATALOG_FLOWS ? insert_flow(st, doc, text, now, by, &got, e)
		: insert_item(st, doc, text, now, by, &got, e);
	free(text);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	if (id)
		*id = got;
	return store_commit(st, e);
}

int store_catalog_by_id(struct store *st, int kind, int64_t id, json_t **row, struct err *e)
{
#define BY_ID(T) "SELECT " ROW_COLS " FROM " T " WHERE id = ?"
	sqlite3_stmt *s = store_stmt(st, TABLE_SQL(kind, BY_ID), e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	return one_row(st, s, row, kind_name(kind), e);
}

int store_catalog_version(struct store *st, int kind, const char *code, const char *version,
			  json_t **row, struct err *e)
{
#define BY_VERSION(T) "SELECT " ROW_COLS " FROM " T " WHERE code = ? AND version = ?"
	sqlite3_stmt *s = store_stmt(st, TABLE_SQL(kind, BY_VERSION), e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, version);
	return one_row(st, s, row, kind_name(kind), e);
}

int store_catalog_at(struct store *st, int kind, const char *code, const char *date,
		     json_t **row, struct err *e)
{
#define AT(T) "SELECT " ROW_COLS " FROM " T " WHERE code = ? AND effective_from <= ? " \
	"ORDER BY effective_from DESC LIMIT 1"
	sqlite3_stmt *s = store_stmt(st, TABLE_SQL(kind, AT), e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, date);
	return one_row(st, s, row, kind_name(kind), e);
}

int store_catalog_versions(struct store *st, int kind, const char *code, json_t **rows, struct err *e)
{
#define HISTORY(T) "SELECT id, version, effective_from, name, created_at, created_by FROM " T \
	" WHERE code = ? ORDER BY version_major, version_minor"
	sqlite3_stmt *s = store_stmt(st, TABLE_SQL(kind, HISTORY), e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	if (store_rows_json(st, s, rows, e))
		return e->code;
	if (json_array_size(*rows) == 0) {
		json_decref(*rows);
		*rows = NULL;
		return err_set(e, ERR_NOTFOUND, "code", "%s %s 不存在", kind_name(kind), code);
	}
	return 0;
}

/* The versions of T in force on :date. */
#define CURRENT(T) "c.effective_from <= :date AND NOT EXISTS (SELECT 1 FROM " T " n WHERE n.code = c.code " \
	"AND n.effective_from <= :date AND n.effective_from > c.effective_from)"

static void catalog_filter(int kind, const struct catalog_filter *f, struct store_list *l)
{
	store_list_text(l, kind == CATALOG_FLOWS ? CURRENT("catalog_flows") : CURRENT("catalog_items"), ":date",
			f->date);
	if (f->q)
		store_list_text(l, "(instr(c.code, :q) > 0 OR instr(c.name, :q) > 0)", ":q", f->q);
	if (kind != CATALOG_FLOWS && f->department)
		store_list_text(l, "c.department_code = :department", ":department", f->department);
	if (kind == CATALOG_FLOWS && f->flow_type)
		store_list_int(l, "c.flow_type = :flow_type", ":flow_type", f->flow_type);
}

int store_catalog_list(struct store *st, int kind, const struct catalog_filter *f,
		       const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	struct store_list l = STORE_LIST(kind == CATALOG_FLOWS ? "flow list" : "item list");
	catalog_filter(kind, f, &l);
	int rc = store_list_count(st, &l, kind == CATALOG_FLOWS ? "FROM catalog_flows c" : "FROM catalog_items c",
				  total, e);
	if (!rc)
		rc = store_list_page(st, &l, kind == CATALOG_FLOWS
				     ? "SELECT c.id, c.code, c.version, c.effective_from, c.name, c.flow_type, "
				       "c.division_code AS division, (SELECT count(*) FROM catalog_flows v WHERE v.code = c.code) "
				       "AS versions FROM catalog_flows c"
				     : "SELECT c.id, c.code, c.version, c.effective_from, c.name, c.department_code AS department, "
				       "c.promised_limit, c.legal_limit, c.milestone, c.commitment, c.tolerance, c.case_type, "
				       "(SELECT count(*) FROM catalog_items v WHERE v.code = c.code) AS versions "
				       "FROM catalog_items c", "ORDER BY c.code", pg, items, e);
	store_list_free(&l);
	return rc;
}

int store_catalog_flow_codes(struct store *st, int flow_type, const char *date, json_t **codes,
			     struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT DISTINCT code FROM catalog_flows WHERE flow_type = ? "
				     "AND effective_from <= ? ORDER BY code", e);
	json_t *rows, *r;
	size_t i;
	if (!s)
		return e->code;
	sqlite3_bind_int(s, 1, flow_type);
	store_bind_text(s, 2, date);
	if (store_rows_json(st, s, &rows, e))
		return e->code;
	*codes = json_array();
	json_array_foreach(rows, i, r)
		json_array_append(*codes, json_object_get(r, "code"));
	json_decref(rows);
	return 0;
}

int store_catalog_name(struct store *st, char *out, size_t n, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT name FROM catalog_info WHERE one = 1", e);
	if (!s)
		return e->code;
	out[0] = '\0';
	if (sqlite3_step(s) == SQLITE_ROW)
		snprintf(out, n, "%s", store_col_text(s, 0));
	sqlite3_reset(s);
	return 0;
}

int store_catalog_set_name(struct store *st, const char *name, int64_t now, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO catalog_info(one, name, updated_at) VALUES (1, ?1, ?2) "
				     "ON CONFLICT(one) DO UPDATE SET name = ?1, updated_at = ?2", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, name);
	sqlite3_bind_int64(s, 2, now);
	return store_step_done(st, s, e, "catalogue name");
}
