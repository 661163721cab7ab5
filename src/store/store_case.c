/*
** store_case.c: SQL of the 办件 lifecycle (see store_case.h). Cached
** statements for everything fixed; the list query is assembled from the
** filters present (so SQLite can pick the index of the one that narrows
** most) and prepared per call.
*/
#include "store/store_case.h"
#include "store/store_int.h"
#include "base/buf.h"
#include "store/store_list.h"
#include "store/store_search.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY(dst, s, i) copy_col((dst), sizeof(dst), (s), (i))

/* A text column into a fixed buffer, truncated (no printf: the case read is
** on the hot path of GET /api/cases/{id}). */
static void copy_col(char *dst, size_t cap, sqlite3_stmt *s, int i)
{
	const char *t = (const char *)sqlite3_column_text(s, i);
	size_t n = t ? (size_t)sqlite3_column_bytes(s, i) : 0;
	if (n >= cap)
		n = cap - 1;
	if (n)
		memcpy(dst, t, n);
	dst[n] = 0;
}
#define DAY_OF(col) "((" col " + 28800) / 86400)"

static int64_t col64(sqlite3_stmt *s, int i) { return sqlite3_column_int64(s, i); }
static int coli(sqlite3_stmt *s, int i) { return sqlite3_column_int(s, i); }

/* ---- cases ------------------------------------------------------------------ */

#define CASE_COLS "c.id, c.number, c.instance_id, c.project_id, c.item_version_id, c.item_code, c.stage, " \
	"c.side_line, c.flow_type, c.department_code, c.district_code, c.status, c.open, c.accepted, c.step, " \
	"c.nsteps, c.step_name, c.step_role, coalesce(c.handler_id, 0), c.pre_supplements, c.tolerance_ok, " \
	"c.time_limit, c.received_at, coalesce(c.accepted_at, 0), coalesce(c.final_at, 0), " \
	"coalesce(c.receipt_day, 0), coalesce(c.receipt_end, 0), c.receipt_late, c.tolerance_days, " \
	"coalesce(c.tolerance_done_at, 0), coalesce(c.paused_since, 0), c.paused_days, coalesce(c.due_day, 0), " \
	"coalesce(c.warn_day, 0), c.updated_at, c.parts, i.number, p.code, p.name, ci.name, ci.version, " \
	"coalesce(d.name, c.department_code), coalesce(u.display_name, u.username, '')"

static void read_case(sqlite3_stmt *s, struct case_rec *c)
{
	memset(c, 0, sizeof *c);
	c->id = col64(s, 0);
	COPY(c->number, s, 1);
	c->instance_id = col64(s, 2);
	c->project_id = col64(s, 3);
	c->item_version_id = col64(s, 4);
	COPY(c->item_code, s, 5);
	c->stage = coli(s, 6);
	COPY(c->side_line, s, 7);
	c->flow_type = coli(s, 8);
	COPY(c->department, s, 9);
	COPY(c->district, s, 10);
	c->status = coli(s, 11);
	c->open = coli(s, 12);
	c->accepted = coli(s, 13);
	c->step = coli(s, 14);
	c->nsteps = coli(s, 15);
	COPY(c->step_name, s, 16);
	COPY(c->step_role, s, 17);
	c->handler_id = col64(s, 18);
	c->pre_supplements = coli(s, 19);
	c->tolerance_ok = coli(s, 20);
	c->limit = coli(s, 21);
	c->received_at = col64(s, 22);
	c->accepted_at = col64(s, 23);
	c->final_at = col64(s, 24);
	c->receipt_day = coli(s, 25);
	c->receipt_end = coli(s, 26);
	c->receipt_late = coli(s, 27);
	c->tolerance_days = coli(s, 28);
	c->tolerance_done_at = col64(s, 29);
	c->paused_since = coli(s, 30);
	c->paused_days = coli(s, 31);
	c->due_day = coli(s, 32);
	c->warn_day = coli(s, 33);
	c->updated_at = col64(s, 34);
	c->parts = (unsigned)coli(s, 35);
	COPY(c->instance_number, s, 36);
	COPY(c->project_code, s, 37);
	COPY(c->project_name, s, 38);
	COPY(c->item_name, s, 39);
	COPY(c->item_version, s, 40);
	COPY(c->department_name, s, 41);
	COPY(c->handler_name, s, 42);
}

int store_case_get(struct store *st, int64_t id, struct case_rec *c, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " CASE_COLS " FROM cases c "
				     "JOIN case_instances i ON i.id = c.instance_id "
				     "JOIN projects p ON p.id = c.project_id "
				     "JOIN catalog_items ci ON ci.id = c.item_version_id "
				     "LEFT JOIN departments d ON d.code = c.department_code "
				     "LEFT JOIN users u ON u.id = c.handler_id WHERE c.id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_case(s, c);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_NOTFOUND, "id", "办件不存在 (no such case)");
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "case");
}

int store_case_stage_items(struct store *st, int64_t flow_id, int stage, int *rule, json_t **codes,
			   struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT s.completion_rule, i.item_code FROM catalog_stages s "
				     "LEFT JOIN catalog_stage_items i ON i.stage_id = s.id "
				     "WHERE s.flow_id = ? AND s.number = ? ORDER BY i.position", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, flow_id);
	sqlite3_bind_int(s, 2, stage);
	json_t *arr = json_array();
	int rc, found = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		found = 1;
		*rule = coli(s, 0);
		if (sqlite3_column_type(s, 1) != SQLITE_NULL)
			json_array_append_new(arr, json_string(store_col_text(s, 1)));
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE || !found) {
		json_decref(arr);
		return rc != SQLITE_DONE ? store_sqlerr(st, e, "stage items")
			: err_set(e, ERR_NOTFOUND, "stage", "flow %lld has no stage %d", (long long)flow_id, stage);
	}
	*codes = arr;
	return 0;
}

int store_case_item_milestone(struct store *st, const char *code, const char *date, int *milestone,
			      struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT milestone FROM catalog_items WHERE code = ? AND effective_from <= ? "
				     "ORDER BY effective_from DESC LIMIT 1", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	store_bind_text(s, 2, date);
	int rc = sqlite3_step(s);
	*milestone = rc == SQLITE_ROW ? coli(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, "milestone");
}

int store_case_by_number(struct store *st, const char *number, int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id FROM cases WHERE number = ?", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, number);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*id = col64(s, 0);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_NOTFOUND, "case", "办件不存在: %s (no such case)", number);
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "case number");
}

/* ?1.. in the column order of the INSERT below (mutable part from ?12). */
static void bind_mutable(sqlite3_stmt *s, const struct case_rec *c)
{
	sqlite3_bind_int(s, 12, c->status);
	sqlite3_bind_int(s, 13, c->open);
	sqlite3_bind_int(s, 14, c->accepted);
	sqlite3_bind_int(s, 15, c->step);
	sqlite3_bind_int(s, 16, c->nsteps);
	store_bind_text(s, 17, c->step_name);
	store_bind_text(s, 18, c->step_role);
	store_bind_id(s, 19, c->handler_id);
	sqlite3_bind_int(s, 20, c->pre_supplements);
	sqlite3_bind_int(s, 21, c->tolerance_ok);
	sqlite3_bind_int(s, 22, c->limit);
	sqlite3_bind_int64(s, 23, c->received_at);
	store_bind_id(s, 24, c->accepted_at);
	store_bind_id(s, 25, c->final_at);
	store_bind_id(s, 26, c->receipt_day);
	store_bind_id(s, 27, c->receipt_end);
	sqlite3_bind_int(s, 28, c->receipt_late);
	sqlite3_bind_int(s, 29, c->tolerance_days);
	store_bind_id(s, 30, c->tolerance_done_at);
	store_bind_id(s, 31, c->paused_since);
	sqlite3_bind_int(s, 32, c->paused_days);
	store_bind_id(s, 33, c->due_day);
	store_bind_id(s, 34, c->warn_day);
	sqlite3_bind_int64(s, 35, c->updated_at);
}

int store_case_insert(struct store *st, struct case_rec *c, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO cases(number, instance_id, project_id, item_version_id, "
		"item_code, stage, side_line, flow_type, department_code, district_code, id, status, open, "
		"accepted, step, nsteps, step_name, step_role, handler_id, pre_supplements, tolerance_ok, "
		"time_limit, received_at, accepted_at, final_at, receipt_day, receipt_end, receipt_late, "
		"tolerance_days, tolerance_done_at, paused_since, paused_days, due_day, warn_day, updated_at) "
		"VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22,?23,?24,"
		"?25,?26,?27,?28,?29,?30,?31,?32,?33,?34,?35)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, c->number);
	sqlite3_bind_int64(s, 2, c->instance_id);
	sqlite3_bind_int64(s, 3, c->project_id);
	sqlite3_bind_int64(s, 4, c->item_version_id);
	store_bind_text(s, 5, c->item_code);
	sqlite3_bind_int(s, 6, c->stage);
	store_bind_text(s, 7, c->side_line);
	sqlite3_bind_int(s, 8, c->flow_type);
	store_bind_text(s, 9, c->department);
	store_bind_text(s, 10, c->district);
	store_bind_id(s, 11, c->id);
	bind_mutable(s, c);
	if (store_step_done(st, s, e, "case"))
		return e->code;
	c->id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_case_update(struct store *st, const struct case_rec *c, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE cases SET status = ?12, open = ?13, accepted = ?14, "
		"step = ?15, nsteps = ?16, step_name = ?17, step_role = ?18, handler_id = ?19, "
		"pre_supplements = ?20, tolerance_ok = ?21, time_limit = ?22, received_at = ?23, "
		"accepted_at = ?24, final_at = ?25, receipt_day = ?26, receipt_end = ?27, receipt_late = ?28, "
		"tolerance_days = ?29, tolerance_done_at = ?30, paused_since = ?31, paused_days = ?32, "
		"due_day = ?33, warn_day = ?34, updated_at = ?35 WHERE id = ?11", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 11, c->id);
	bind_mutable(s, c);
	if (store_step_done(st, s, e, "case update"))
		return e->code;
	return sqlite3_changes(store_db(st)) ? 0 : err_set(e, ERR_NOTFOUND, "id", "办件不存在 (no such case)");
}

int store_case_status_add(struct store *st, const struct case_status_row *r, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO case_status(case_id, status, action, step, step_name, at, "
				     "user_id, username, department_code, opinion) VALUES (?,?,?,?,?,?,?,?,?,?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, r->case_id);
	sqlite3_bind_int(s, 2, r->status);
	store_bind_text(s, 3, r->action);
	sqlite3_bind_int(s, 4, r->step);
	store_bind_text(s, 5, r->step_name ? r->step_name : "");
	sqlite3_bind_int64(s, 6, r->at);
	store_bind_id(s, 7, r->user_id);
	store_bind_text(s, 8, r->username ? r->username : "");
	store_bind_text(s, 9, r->department ? r->department : "");
	store_bind_text(s, 10, r->opinion ? r->opinion : "");
	return store_step_done(st, s, e, "case status");
}

static int rows_by_id(struct store *st, const char *sql, int64_t id, json_t **rows, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, sql, e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	return store_rows_json(st, s, rows, e);
}

int store_case_history(struct store *st, int64_t id, json_t **rows, struct err *e)
{
	return rows_by_id(st, "SELECT status, action, step, step_name, at, username, department_code AS department, "
			  "opinion FROM case_status WHERE case_id = ? ORDER BY id", id, rows, e);
}

/* The arms of the parts query: the history and the documents always, the
** rare ones when the case's bit is set (parts_sql[c->parts & 7]). */
#define PARTS_HISTORY "SELECT 1, id, status, step, at, coalesce(user_id, 0), action, step_name, username, " \
	"department_code, opinion, coalesce((SELECT nullif(display_name, '') FROM users " \
	"WHERE users.id = case_status.user_id), username) FROM case_status WHERE case_id = ?1 "
#define PARTS_SUPPLEMENTS "UNION ALL SELECT 2, id, after_acceptance, 0, start_at, coalesce(end_at, 0), materials, " \
	"note, '', '', '', '' FROM case_supplements WHERE case_id = ?1 "
#define PARTS_SPECIALS "UNION ALL SELECT 3, id, type, time_limit, start_at, coalesce(end_at, 0), kind, reason, " \
	"result, '', '', '' FROM case_specials WHERE case_id = ?1 "
#define PARTS_TOLERANCE "UNION ALL SELECT 4, id, due_day, 0, coalesce(received_at, 0), 0, material, '', '', '', " \
	"'', '' FROM case_tolerance WHERE case_id = ?1 "
#define PARTS_DOCUMENTS "UNION ALL SELECT 5, id, 0, 0, issued_at, 0, kind, number, issued_by, '', '', '' " \
	"FROM case_documents WHERE case_id = ?1"
static const char *const parts_sql[8] = {
	PARTS_HISTORY PARTS_DOCUMENTS,
	PARTS_HISTORY PARTS_SUPPLEMENTS PARTS_DOCUMENTS,
	PARTS_HISTORY PARTS_SPECIALS PARTS_DOCUMENTS,
	PARTS_HISTORY PARTS_SUPPLEMENTS PARTS_SPECIALS PARTS_DOCUMENTS,
	PARTS_HISTORY PARTS_TOLERANCE PARTS_DOCUMENTS,
	PARTS_HISTORY PARTS_SUPPLEMENTS PARTS_TOLERANCE PARTS_DOCUMENTS,
	PARTS_HISTORY PARTS_SPECIALS PARTS_TOLERANCE PARTS_DOCUMENTS,
	PARTS_HISTORY PARTS_SUPPLEMENTS PARTS_SPECIALS PARTS_TOLERANCE PARTS_DOCUMENTS,
};

int store_case_parts(struct store *st, const struct case_rec *c, int (*fn)(void *arg, const struct case_part *p),
		     void *arg, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, parts_sql[c->parts & 7], e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, c->id);
	int rc, stop = 0;
	while (!stop && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct case_part p = {.kind = coli(s, 0)};
		for (int i = 0; i < 5; i++)
			p.n[i] = col64(s, 1 + i);
		for (int i = 0; i < 6; i++)
			p.s[i] = store_col_text(s, 6 + i);
		stop = fn(arg, &p);
	}
	sqlite3_reset(s);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, "case parts");
}

int store_case_savepoint(struct store *st, struct err *e)
{
	return store_run(st, "SAVEPOINT case_action", e);
}

void store_case_savepoint_undo(struct store *st)
{
	store_names(st)->n = 0;          /* an id created under the savepoint goes with it */
	if (!store_run(st, "ROLLBACK TO case_action", NULL))
		store_run(st, "RELEASE case_action", NULL);
}

int store_case_savepoint_release(struct store *st, struct err *e)
{
	return store_run(st, "RELEASE case_action", e);
}

int store_case_read_begin(struct store *st, int *began, struct err *e)
{
	*began = 0;
	if (!sqlite3_get_autocommit(store_db(st)))
		return 0;
	sqlite3_stmt *s = store_stmt(st, "BEGIN", e);
	if (!s || store_step_done(st, s, e, "read transaction"))
		return e->code;
	*began = 1;
	return 0;
}

void store_case_read_end(struct store *st, int began)
{
	if (!began)
		return;
	sqlite3_stmt *s = store_stmt(st, "COMMIT", NULL);
	if (s && sqlite3_step(s) != SQLITE_DONE)
		sqlite3_exec(store_db(st), "ROLLBACK", NULL, NULL, NULL);
	if (s)
		sqlite3_reset(s);
}

int store_case_pauses(struct store *st, int64_t id, struct cal_pause *out, size_t max, size_t *n,
		      struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " DAY_OF("start_at") ", coalesce(" DAY_OF("end_at") ", 0) "
				     "FROM case_supplements WHERE case_id = ?1 AND after_acceptance "
				     "UNION ALL SELECT " DAY_OF("start_at") ", coalesce(" DAY_OF("end_at") ", 0) "
				     "FROM case_specials WHERE case_id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	size_t k = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (k < max) {
			out[k].start = coli(s, 0);
			out[k].end = coli(s, 1);
		}
		k++;
	}
	sqlite3_reset(s);
	*n = k;
	return rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, "case pauses");
}

/* ---- supplements, specials, 容缺, documents -------------------------------- */

int store_case_supplement_open(struct store *st, int64_t id, int after_acceptance, const char *materials,
			       const char *note, int64_t at, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO case_supplements(case_id, after_acceptance, materials, note, "
				     "start_at) VALUES (?,?,?,?,?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, after_acceptance);
	store_bind_text(s, 3, materials);
	store_bind_text(s, 4, note ? note : "");
	sqlite3_bind_int64(s, 5, at);
	return store_step_done(st, s, e, "supplement");
}

static int close_latest(struct store *st, const char *sql, int64_t id, int64_t at, const char *result,
			struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, sql, e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, at);
	if (result)
		store_bind_text(s, 3, result);
	if (store_step_done(st, s, e, "close pause"))
		return e->code;
	return sqlite3_changes(store_db(st)) ? 0 : err_set(e, ERR_INTERNAL, "", "no open pause to close");
}

int store_case_supplement_close(struct store *st, int64_t id, int64_t at, struct err *e)
{
	return close_latest(st, "UPDATE case_supplements SET end_at = ?2 WHERE id = (SELECT max(id) FROM "
			    "case_supplements WHERE case_id = ?1 AND end_at IS NULL)", id, at, NULL, e);
}

int store_case_supplements(struct store *st, int64_t id, json_t **rows, struct err *e)
{
	return rows_by_id(st, "SELECT id, after_acceptance, materials, note, start_at, end_at FROM case_supplements "
			  "WHERE case_id = ? ORDER BY id", id, rows, e);
}

int store_case_special_open(struct store *st, int64_t id, int type, const char *kind, const char *reason,
			    int limit, int64_t at, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO case_specials(case_id, type, kind, reason, time_limit, start_at) "
				     "VALUES (?,?,?,?,?,?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, type);
	store_bind_text(s, 3, kind);
	store_bind_text(s, 4, reason);
	sqlite3_bind_int(s, 5, limit);
	sqlite3_bind_int64(s, 6, at);
	return store_step_done(st, s, e, "special procedure");
}

int store_case_special_close(struct store *st, int64_t id, int64_t at, const char *result, struct err *e)
{
	return close_latest(st, "UPDATE case_specials SET end_at = ?2, result = ?3 WHERE id = (SELECT max(id) FROM "
			    "case_specials WHERE case_id = ?1 AND end_at IS NULL)", id, at, result ? result : "", e);
}

int store_case_specials(struct store *st, int64_t id, json_t **rows, struct err *e)
{
	return rows_by_id(st, "SELECT id, type, kind, reason, time_limit AS \"limit\", start_at, end_at, result "
			  "FROM case_specials WHERE case_id = ? ORDER BY id", id, rows, e);
}

int store_case_tolerance_add(struct store *st, int64_t id, const char *material, int32_t due_day,
			     int64_t received_at, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO case_tolerance(case_id, material, due_day, received_at) "
				     "VALUES (?,?,?,?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, material);
	sqlite3_bind_int(s, 3, due_day);
	store_bind_id(s, 4, received_at);
	return store_step_done(st, s, e, "tolerance material");
}

int store_case_tolerance_done(struct store *st, int64_t id, int64_t at, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE case_tolerance SET received_at = ?2 "
				     "WHERE case_id = ?1 AND received_at IS NULL", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, at);
	return store_step_done(st, s, e, "tolerance received");
}

int store_case_tolerance(struct store *st, int64_t id, json_t **rows, struct err *e)
{
	return rows_by_id(st, "SELECT material, due_day, received_at FROM case_tolerance WHERE case_id = ? "
			  "ORDER BY id", id, rows, e);
}

int store_case_doc_next(struct store *st, const char *department, const char *kind, int year, int *seq,
			struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO case_doc_counters(department_code, kind, year, last) "
				     "VALUES (?1, ?2, ?3, 1) ON CONFLICT DO UPDATE SET last = last + 1 "
				     "RETURNING last", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, department);
	store_bind_text(s, 2, kind);
	sqlite3_bind_int(s, 3, year);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		*seq = coli(s, 0);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "document number");
}

int store_case_doc_add(struct store *st, int64_t id, const char *kind, const char *number, int64_t at,
		       const char *by, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO case_documents(case_id, kind, number, issued_at, issued_by) "
				     "VALUES (?,?,?,?,?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, kind);
	store_bind_text(s, 3, number);
	sqlite3_bind_int64(s, 4, at);
	store_bind_text(s, 5, by);
	return store_step_done(st, s, e, "document");
}

int store_case_doc_get(struct store *st, int64_t id, const char *kind, char *number, size_t n,
		       int64_t *issued_at, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT number, issued_at FROM case_documents WHERE case_id = ? AND kind = ? "
				     "ORDER BY id DESC LIMIT 1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, kind);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(number, n, "%s", store_col_text(s, 0));
		*issued_at = col64(s, 1);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_NOTFOUND, "kind", "该办件没有此类文书 (no such document for this case)");
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "document");
}

int store_case_documents(struct store *st, int64_t id, json_t **rows, struct err *e)
{
	return rows_by_id(st, "SELECT kind, number, issued_at, issued_by FROM case_documents WHERE case_id = ? "
			  "ORDER BY id", id, rows, e);
}

/* ---- instances ------------------------------------------------------------------ */

int store_instance_next_id(struct store *st, int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT coalesce(max(id), 0) + 1 FROM case_instances", e);
	return s ? store_count(st, s, id, e) : e->code;
}

int store_instance_insert(struct store *st, const struct case_instance *in, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO case_instances(id, number, project_id, flow_id, stage, side_line, "
				     "ncases, applied_at, applied_by, applied_department) VALUES (?,?,?,?,?,?,?,?,?,?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, in->id);
	store_bind_text(s, 2, in->number);
	sqlite3_bind_int64(s, 3, in->project_id);
	sqlite3_bind_int64(s, 4, in->flow_id);
	sqlite3_bind_int(s, 5, in->stage);
	store_bind_text(s, 6, in->side_line);
	sqlite3_bind_int(s, 7, in->ncases);
	sqlite3_bind_int64(s, 8, in->applied_at);
	store_bind_text(s, 9, in->applied_by);
	store_bind_text(s, 10, in->applied_department);
	return store_step_done(st, s, e, "instance");
}

int store_instance_get(struct store *st, int64_t id, struct case_instance *in, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, number, project_id, flow_id, stage, side_line, ncases, applied_at, "
				     "applied_by, applied_department, coalesce(closed_at, 0), coalesce(result, 0) "
				     "FROM case_instances WHERE id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(in, 0, sizeof *in);
		in->id = col64(s, 0);
		COPY(in->number, s, 1);
		in->project_id = col64(s, 2);
		in->flow_id = col64(s, 3);
		in->stage = coli(s, 4);
		COPY(in->side_line, s, 5);
		in->ncases = coli(s, 6);
		in->applied_at = col64(s, 7);
		COPY(in->applied_by, s, 8);
		COPY(in->applied_department, s, 9);
		in->closed_at = col64(s, 10);
		in->result = coli(s, 11);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_NOTFOUND, "instance", "并联审批实例不存在");
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "instance");
}

int store_instance_close(struct store *st, int64_t id, int64_t at, int result, struct err *e)
{
	/* the lead case's facts go with it (migration 0010: the report's joint acceptances) */
	sqlite3_stmt *s = store_stmt(st, "UPDATE case_instances SET closed_at = ?2, result = ?3, "
				     "(lead_department, lead_district, lead_item, lead_flow_type) = "
				     "(SELECT c.department_code, c.district_code, c.item_code, c.flow_type FROM cases c "
				     "WHERE c.instance_id = ?1 ORDER BY c.id LIMIT 1) WHERE id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, at);
	if (result)
		sqlite3_bind_int(s, 3, result);
	else
		sqlite3_bind_null(s, 3);
	return store_step_done(st, s, e, "instance close");
}

int store_instance_tally(struct store *st, int64_t id, int *open, int *passed, int *all, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT coalesce(sum(open), 0), coalesce(sum(status IN (11, 12)), 0), count(*) "
				     "FROM cases WHERE instance_id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*open = coli(s, 0);
		*passed = coli(s, 1);
		*all = coli(s, 2);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "instance tally");
}

int store_instance_cases(struct store *st, int64_t id, json_t **rows, struct err *e)
{
	return rows_by_id(st, "SELECT c.id, c.number, c.item_code, ci.name AS item_name, c.department_code AS department, "
			  "coalesce(d.name, c.department_code) AS department_name, c.status, c.final_at "
			  "FROM cases c JOIN catalog_items ci ON ci.id = c.item_version_id "
			  "LEFT JOIN departments d ON d.code = c.department_code WHERE c.instance_id = ? ORDER BY c.id",
			  id, rows, e);
}

/* ---- progress ---------------------------------------------------------------------- */

int store_progress_get(struct store *st, int64_t project_id, struct case_progress *p, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT flow_id, current_stage, started_at, coalesce(finished_at, 0) "
				     "FROM case_progress WHERE project_id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, project_id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		p->project_id = project_id;
		p->flow_id = col64(s, 0);
		p->current_stage = coli(s, 1);
		p->started_at = col64(s, 2);
		p->finished_at = col64(s, 3);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_NOTFOUND, "project", "项目尚未申报 (no application yet)");
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "progress");
}

int store_progress_put(struct store *st, const struct case_progress *p, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO case_progress(project_id, flow_id, current_stage, started_at, "
				     "finished_at) VALUES (?1,?2,?3,?4,?5) ON CONFLICT(project_id) DO UPDATE SET "
				     "current_stage = ?3, finished_at = ?5", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, p->project_id);
	sqlite3_bind_int64(s, 2, p->flow_id);
	sqlite3_bind_int(s, 3, p->current_stage);
	sqlite3_bind_int64(s, 4, p->started_at);
	store_bind_id(s, 5, p->finished_at);
	return store_step_done(st, s, e, "progress");
}

int store_stage_start(struct store *st, int64_t project_id, int stage, int limit, int rule, int64_t at,
		      struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO case_stages(project_id, stage, time_limit, completion_rule, "
				     "started_at) VALUES (?,?,?,?,?) ON CONFLICT DO NOTHING", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, project_id);
	sqlite3_bind_int(s, 2, stage);
	sqlite3_bind_int(s, 3, limit);
	sqlite3_bind_int(s, 4, rule);
	sqlite3_bind_int64(s, 5, at);
	return store_step_done(st, s, e, "stage");
}

int store_stage_complete(struct store *st, int64_t project_id, int stage, int64_t at, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE case_stages SET completed_at = ?3 WHERE project_id = ?1 "
				     "AND stage = ?2 AND completed_at IS NULL", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, project_id);
	sqlite3_bind_int(s, 2, stage);
	sqlite3_bind_int64(s, 3, at);
	return store_step_done(st, s, e, "stage complete");
}

int store_stages(struct store *st, int64_t project_id, json_t **rows, struct err *e)
{
	return rows_by_id(st, "SELECT stage, time_limit, completion_rule, started_at, completed_at FROM case_stages "
			  "WHERE project_id = ? ORDER BY stage", project_id, rows, e);
}

int store_project_cases(struct store *st, int64_t project_id, json_t **rows, struct err *e)
{
	return rows_by_id(st, "SELECT id, instance_id, item_code, stage, side_line, status FROM cases "
			  "WHERE project_id = ? ORDER BY id", project_id, rows, e);
}

int store_project_instances(struct store *st, int64_t project_id, json_t **rows, struct err *e)
{
	return rows_by_id(st, "SELECT id, number, stage, side_line, ncases, applied_at, applied_by, "
			  "applied_department, closed_at, result FROM case_instances WHERE project_id = ? ORDER BY id",
			  project_id, rows, e);
}

/* ---- the light ------------------------------------------------------------------------ */

/* The light of a 办件 on day ref from its stored days (deadline.h's values:
** 0 none, 1 green, 2 yellow, 3 red): none unless running and accepted; red
** once its due day has ended, yellow from its warning day on, else green. A
** missing day (NULL) decides nothing: no light unless the other one does.
** The one definition: the list's light filter and the statistics' live
** scan call it in SQL as case_light(open, accepted, due_day, warn_day, ref). */
static int light_on(int running, int accepted, const int64_t *due, const int64_t *warn, int64_t ref)
{
	if (!running || !accepted)
		return 0;
	if (due && *due < ref)
		return 3;
	if (due && warn && *warn <= ref)
		return 2;
	return warn && *warn > ref ? 1 : 0;
}

static void case_light_sql(sqlite3_context *cx, int argc, sqlite3_value **v)
{
	int64_t day[2];
	const int64_t *p[2];
	assert(argc == 5);
	for (int i = 0; i < 2; i++) {
		day[i] = sqlite3_value_int64(v[2 + i]);
		p[i] = sqlite3_value_type(v[2 + i]) == SQLITE_NULL ? NULL : &day[i];
	}
	sqlite3_result_int(cx, light_on(sqlite3_value_int(v[0]) == 1, sqlite3_value_int(v[1]) == 1, p[0], p[1],
					sqlite3_value_int64(v[4])));
}

int store_case_functions(sqlite3 *db)
{
	return sqlite3_create_function(db, "case_light", 5, SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS,
				       NULL, case_light_sql, NULL, NULL);
}

/* ---- the list query ------------------------------------------------------------------ */

/* The light filter: the clock of a paused case stands at the day its pause
** began. `open = 1 AND accepted = 1` (the cases that have a light) is
** written out for the planner: the 待办 index is partial on open = 1. */
static void light_where(struct store_list *l, int light, int64_t today)
{
	store_list_and(l, "c.open = 1 AND c.accepted = 1");
	if (light >= 1 && light <= 3) {
		store_list_and(l, "case_light(c.open, c.accepted, c.due_day, c.warn_day, coalesce(c.paused_since, :today)) "
			       "= :light");
		store_list_bind_int(l, ":today", today);
		store_list_bind_int(l, ":light", light);
	}
}

/* 1 when user acted on more than STORE_COUNT_CAP cases (reads at most that
** many entries of case_status_user, in order; counting them through the
** cases would walk the table). */
static int done_many(struct store *st, int64_t user, int *many, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT count(*) FROM (SELECT DISTINCT case_id FROM case_status "
				     "WHERE user_id = ? LIMIT ?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, user);
	sqlite3_bind_int(s, 2, STORE_COUNT_CAP + 1);
	int rc = sqlite3_step(s);
	*many = rc == SQLITE_ROW && sqlite3_column_int(s, 0) > STORE_COUNT_CAP;
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "done count");
}

/* 已办 alone (GET /api/me/done): no other filter narrows it. */
static int done_only(const struct case_filter *f)
{
	return f->done_user && f->all && !f->district && !f->department && !f->item && !f->stage && !f->status &&
	       f->open < 0 && !f->from && !f->to && !f->q && f->light <= 0 && !f->todo_roles;
}

/* Search: see store_search.h. The trigram tables are read once per request
** into id lists (JSON arrays bound to json_each), so the count and the page
** do not run the lookups again.
** Lists (the search's, 已办's) either drive the query, SQLite looking up
** each listed case and sorting them, or are tested row by row while the page
** walks the index of its sort. The count drives (it stops at the cap). The
** page drives when the count is exact (at most STORE_COUNT_CAP rows to
** sort) and walks when more match ("wide": a district's name, a busy
** clerk's 已办: the page's rows come soon), the unary + or a probe keeping
** SQLite from driving by the list. */
#define Q_SCAN "(instr(c.number, :q) > 0 OR c.project_id IN (SELECT id FROM projects " \
	"WHERE instr(name, :q) > 0 OR instr(code, :q) > 0))"

struct q_hits {
	struct buf cases, projects;       /* "[id,...]" */
	int64_t ncases, nprojects;
};

static int q_hits(struct store *st, const char *q, const char *terms, struct q_hits *h, struct err *e)
{
	if (store_search_ids(st, "cases_fts", q, terms, &h->cases, &h->ncases, e))
		return e->code;
	return store_search_ids(st, "projects_fts", q, terms, &h->projects, &h->nprojects, e);
}

static void q_where(const struct q_hits *h, int wide, struct store_list *l)
{
	const char *plus = wide ? "+" : "";
	struct buf c = {0};
	if (!h->ncases && !h->nprojects) {
		store_list_and(l, "0");
		return;
	}
	buf_puts(&c, "(");
	if (h->ncases) {
		buf_printf(&c, "%sc.id IN (SELECT value FROM json_each(:cases))", plus);
		store_list_bind_text(l, ":cases", h->cases.data);
	}
	if (h->ncases && h->nprojects)
		buf_puts(&c, " OR ");
	if (h->nprojects) {
		buf_printf(&c, "%sc.project_id IN (SELECT value FROM json_each(:projects))", plus);
		store_list_bind_text(l, ":projects", h->projects.data);
	}
	buf_puts(&c, ")");
	store_list_and(l, c.data);
	buf_free(&c);
}

/* The roles of ",clerk,reviewer," as `c.step_role IN (:role0,:role1)` (so the
** 待办 index is used); roles points into csv's copy, the caller's. */
static void roles_in(struct store_list *l, char *csv)
{
	static const char *const names[] = {":role0", ":role1", ":role2", ":role3", ":role4", ":role5",
					    ":role6", ":role7"};
	struct buf c = {0};
	int k = 0;
	buf_puts(&c, "c.step_role IN (");
	for (char *save = NULL, *r = strtok_r(csv, ",", &save); r; r = strtok_r(NULL, ",", &save)) {
		assert(k < (int)(sizeof names / sizeof names[0]));
		buf_printf(&c, "%s%s", k ? "," : "", names[k]);
		store_list_bind_text(l, names[k++], r);
	}
	buf_puts(&c, k ? ")" : "NULL)");
	store_list_and(l, c.data);
	buf_free(&c);
}

/* The filter of the list from the filters present. hits: what the search
** found (NULL when q is too short for the trigram tables); wide: see
** q_where; roles: a writable copy of todo_roles. */
static void case_filter(const struct case_filter *f, const struct q_hits *hits, int wide, char *roles,
			struct store_list *l)
{
	if (!f->all && f->scope_department)
		store_list_text(l, "c.department_code = :scope_department", ":scope_department", f->scope_department);
	if (!f->all && !f->scope_department)
		store_list_text(l, "c.district_code = :scope_district", ":scope_district",
				f->scope_district ? f->scope_district : "");
	if (f->district)
		store_list_text(l, "c.district_code = :district", ":district", f->district);
	if (f->department)
		store_list_text(l, "c.department_code = :department", ":department", f->department);
	if (f->item)
		store_list_text(l, "c.item_code = :item", ":item", f->item);
	if (f->stage)
		store_list_int(l, "c.stage = :stage", ":stage", f->stage);
	if (f->status)
		store_list_int(l, "c.status = :status", ":status", f->status);
	if (f->open >= 0)
		store_list_and(l, f->open ? "c.open = 1" : "c.open = 0");
	if (f->from)
		store_list_int(l, "c.received_at >= :from", ":from", f->from);
	if (f->to)
		store_list_int(l, "c.received_at < :to", ":to", f->to);
	if (f->q && hits)
		q_where(hits, wide, l);
	else if (f->q)
		store_list_text(l, Q_SCAN, ":q", f->q);
	if (f->light > 0)
		light_where(l, f->light, f->today);
	if (f->todo_roles) {
		store_list_and(l, "c.open = 1");
		roles_in(l, roles);
		store_list_int(l, "(c.handler_id IS NULL OR c.handler_id = :todo_user)", ":todo_user", f->todo_user);
	}
	if (f->done_user)
		/* wide: a probe of case_status_user per case the page walks */
		store_list_int(l, wide ? "EXISTS (SELECT 1 FROM case_status s WHERE s.user_id = :done_user "
			       "AND s.case_id = c.id)" : "c.id IN (SELECT case_id FROM case_status WHERE user_id = :done_user)",
			       ":done_user", f->done_user);
}

static const char *order_sql(const struct case_filter *f)
{
	const char *sort = f->sort ? f->sort : "received";
	if (strcmp(sort, "due") == 0)
		return f->desc ? "ORDER BY c.due_day IS NULL, c.due_day DESC, c.id DESC"
			: "ORDER BY c.due_day IS NULL, c.due_day, c.id";
	if (strcmp(sort, "number") == 0)
		return f->desc ? "ORDER BY c.number DESC" : "ORDER BY c.number";
	if (strcmp(sort, "updated") == 0)
		return f->desc ? "ORDER BY c.updated_at DESC, c.id DESC" : "ORDER BY c.updated_at, c.id";
	return f->desc ? "ORDER BY c.received_at DESC, c.id DESC" : "ORDER BY c.received_at, c.id";
}

static int page_ids(struct store *st, const struct store_list *l, const struct case_filter *f, const struct page *pg,
		    int64_t *ids, int *nids, struct err *e)
{
	sqlite3_stmt *s = store_list_stmt(st, l, "SELECT c.id FROM cases c", order_sql(f), pg->page_size,
					  (int64_t)(pg->page - 1) * pg->page_size, e);
	if (!s)
		return e->code;
	int rc;
	*nids = 0;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *nids < pg->page_size)
		ids[(*nids)++] = col64(s, 0);
	sqlite3_finalize(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "case list");
}

int store_case_find(struct store *st, const struct case_filter *f, const struct page *pg,
		    int64_t *ids, int *nids, int64_t *total, int *capped, struct err *e)
{
	struct buf phrase = {0};
	struct store_list count = STORE_LIST("case count"), list = STORE_LIST("case list");
	struct q_hits hits = {0};
	const struct q_hits *h = NULL;
	char roles[64];
	int many = 0, rc = 0;
	if (done_only(f))
		rc = done_many(st, f->done_user, &many, e);
	if (!rc && f->q && store_search_indexed(f->q)) {
		store_search_terms(f->q, &phrase);
		rc = q_hits(st, f->q, phrase.data, &hits, e);
		h = &hits;
	}
	if (!rc && many) {
		/* a 已办 of more cases than the cap: known without counting */
		*total = STORE_COUNT_CAP;
		*capped = 1;
	} else if (!rc) {
		/* the count drives by the lists however wide: it stops at the cap */
		snprintf(roles, sizeof roles, "%s", f->todo_roles ? f->todo_roles : "");
		case_filter(f, h, 0, roles, &count);
		rc = store_list_count_capped(st, &count, "FROM cases c", STORE_COUNT_CAP, total, capped, e);
	}
	if (!rc) {
		snprintf(roles, sizeof roles, "%s", f->todo_roles ? f->todo_roles : "");
		case_filter(f, h, *capped, roles, &list);
		rc = page_ids(st, &list, f, pg, ids, nids, e);
	}
	store_list_free(&count);
	store_list_free(&list);
	buf_free(&phrase);
	buf_free(&hits.cases);
	buf_free(&hits.projects);
	return rc;
}

/* ---- bulk -------------------------------------------------------------------------- */

int store_case_stuck(struct store *st, struct case_stuck *out, int max, int *n, int64_t *total, int *groups,
		     struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"WITH g AS (SELECT department_code d, step_role r, handler_id h, count(*) n, min(number) ex "
		"           FROM cases WHERE open = 1 GROUP BY 1, 2, 3) "
		"SELECT g.d, g.r, coalesce(u.username, ''), coalesce(u.active, 0), g.n, g.ex, "
		"       coalesce((SELECT name FROM departments WHERE code = g.d), g.d), "
		"       sum(g.n) OVER (), count(*) OVER () FROM g "
		"LEFT JOIN users u ON u.id = g.h "
		"WHERE NOT EXISTS (SELECT 1 FROM users a JOIN user_roles ar ON ar.user_id = a.id "
		"                  WHERE a.active = 1 AND a.department_code = g.d AND ar.role = g.r "
		"                    AND (g.h IS NULL OR a.id = g.h)) "
		"ORDER BY g.n DESC, g.d, g.r LIMIT ?", e);
	*n = 0;
	*total = 0;
	*groups = 0;
	if (!s)
		return e->code;
	sqlite3_bind_int(s, 1, max);
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW && *n < max) {
		struct case_stuck *c = &out[(*n)++];
		snprintf(c->department, sizeof c->department, "%s", store_col_text(s, 0));
		snprintf(c->step_role, sizeof c->step_role, "%s", store_col_text(s, 1));
		snprintf(c->handler, sizeof c->handler, "%s", store_col_text(s, 2));
		c->handler_active = sqlite3_column_int(s, 3);
		c->count = sqlite3_column_int64(s, 4);
		snprintf(c->example, sizeof c->example, "%s", store_col_text(s, 5));
		snprintf(c->department_name, sizeof c->department_name, "%s", store_col_text(s, 6));
		*total = sqlite3_column_int64(s, 7);
		*groups = sqlite3_column_int(s, 8);
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE || rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "stuck cases");
}

/* Secondary indexes of cases (those led by an id only grow at their end and
** stay) and the triggers that feed the search tables row by row: dropped
** for the bulk, recreated from their own CREATE statements at its end, the
** search tables rebuilt in one pass. */
#define BULK_OBJECTS "SELECT name, sql, type FROM sqlite_master WHERE sql IS NOT NULL AND ((type = 'index' " \
	"AND tbl_name = 'cases' AND name NOT IN ('cases_instance', 'cases_project')) OR (type = 'trigger' " \
	"AND name IN ('cases_fts_insert', 'projects_fts_insert'))) ORDER BY name"

int store_case_bulk_begin(struct store *st, char **saved, struct err *e)
{
	struct buf ddl = {0}, drop = {0};
	sqlite3_stmt *s;
	*saved = NULL;
	/* the generator keeps references right by construction (and its test
	** runs foreign_key_check); checking each row costs a probe per key */
	/* no journal: a failed run removes the file (the demo makes a new one) */
	if (store_exec(st, "PRAGMA synchronous=OFF; PRAGMA foreign_keys=OFF; PRAGMA cache_size=-1048576; "
		       "PRAGMA journal_mode=OFF", e))
		return e->code;
	if (sqlite3_prepare_v2(store_db(st), BULK_OBJECTS, -1, &s, NULL) != SQLITE_OK)
		return store_sqlerr(st, e, "bulk indexes");
	while (sqlite3_step(s) == SQLITE_ROW) {
		buf_printf(&ddl, "%s;\n", store_col_text(s, 1));
		buf_printf(&drop, "DROP %s \"%s\";", strcmp(store_col_text(s, 2), "trigger") == 0 ? "TRIGGER" : "INDEX",
			   store_col_text(s, 0));
	}
	sqlite3_finalize(s);
	int rc = drop.len ? store_exec(st, drop.data, e) : 0;
	buf_free(&drop);
	if (rc) {
		buf_free(&ddl);
		return rc;
	}
	*saved = ddl.data;
	return 0;
}

int store_case_bulk_end(struct store *st, char *saved, struct err *e)
{
	/* index builds sort: let SQLite's sorter use a second thread */
	store_exec(st, "PRAGMA threads=2", NULL);
	int rc = saved ? store_exec(st, saved, e) : 0;
	if (!rc)
		rc = store_exec(st, "INSERT INTO cases_fts(cases_fts) VALUES ('rebuild'); "
				"INSERT INTO projects_fts(projects_fts) VALUES ('rebuild')", e);
	store_exec(st, "PRAGMA threads=0", NULL);
	free(saved);
	if (rc)
		return rc;
	return store_exec(st, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; "
			  "PRAGMA cache_size=-2000; PRAGMA analysis_limit=2000; ANALYZE", e);
}

int store_case_next_id(struct store *st, int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT coalesce(max(id), 0) + 1 FROM cases", e);
	return s ? store_count(st, s, id, e) : e->code;
}

int store_case_supplement_add(struct store *st, int64_t id, int after_acceptance, const char *materials,
			      const char *note, int64_t start_at, int64_t end_at, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO case_supplements(case_id, after_acceptance, materials, note, "
				     "start_at, end_at) VALUES (?,?,?,?,?,?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, after_acceptance);
	store_bind_text(s, 3, materials);
	store_bind_text(s, 4, note ? note : "");
	sqlite3_bind_int64(s, 5, start_at);
	store_bind_id(s, 6, end_at);
	return store_step_done(st, s, e, "supplement");
}

int store_case_special_add(struct store *st, int64_t id, int type, const char *kind, const char *reason,
			   int limit, int64_t start_at, int64_t end_at, const char *result, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO case_specials(case_id, type, kind, reason, time_limit, start_at, "
				     "end_at, result) VALUES (?,?,?,?,?,?,?,?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int(s, 2, type);
	store_bind_text(s, 3, kind);
	store_bind_text(s, 4, reason);
	sqlite3_bind_int(s, 5, limit);
	sqlite3_bind_int64(s, 6, start_at);
	store_bind_id(s, 7, end_at);
	store_bind_text(s, 8, result ? result : "");
	return store_step_done(st, s, e, "special procedure");
}

#define SROW "(?,?,?,?,?,?,?,?,?,?)"
#define SINS "INSERT INTO case_status(case_id, status, action, step, step_name, at, user_id, username, " \
	"department_code, opinion) VALUES " SROW
#define SR4 SROW "," SROW "," SROW "," SROW
#define SR16 SR4 "," SR4 "," SR4 "," SR4
static const char status_32[] = SINS "," SROW "," SROW "," SROW "," SR4 "," SR4 "," SR4 "," SR16;
static const char *const status_many[8] = {
	SINS, SINS "," SROW, SINS "," SROW "," SROW, SINS "," SROW "," SROW "," SROW,
	SINS "," SROW "," SROW "," SROW "," SROW, SINS "," SROW "," SROW "," SROW "," SROW "," SROW,
	SINS "," SROW "," SROW "," SROW "," SROW "," SROW "," SROW,
	SINS "," SROW "," SROW "," SROW "," SROW "," SROW "," SROW "," SROW,
};

static void bind_static(sqlite3_stmt *s, int i, const char *v)
{
	sqlite3_bind_text(s, i, v ? v : "", -1, SQLITE_STATIC);
}

int store_case_status_add_many(struct store *st, const struct case_status_row *r, int n, struct err *e)
{
	if ((n < 1 || n > 8) && n != 32)
		return err_set(e, ERR_INTERNAL, "", "status rows per statement: 1..8 or 32");
	sqlite3_stmt *s = store_stmt(st, n == 32 ? status_32 : status_many[n - 1], e);
	if (!s)
		return e->code;
	for (int k = 0; k < n; k++) {
		int b = k * 10;
		sqlite3_bind_int64(s, b + 1, r[k].case_id);
		sqlite3_bind_int(s, b + 2, r[k].status);
		bind_static(s, b + 3, r[k].action);
		sqlite3_bind_int(s, b + 4, r[k].step);
		bind_static(s, b + 5, r[k].step_name);
		sqlite3_bind_int64(s, b + 6, r[k].at);
		store_bind_id(s, b + 7, r[k].user_id);
		bind_static(s, b + 8, r[k].username);
		bind_static(s, b + 9, r[k].department);
		bind_static(s, b + 10, r[k].opinion);
	}
	return store_step_done(st, s, e, "case status");
}

#define DROW "(?,?,?,?,?)"
#define DINS "INSERT INTO case_documents(case_id, kind, number, issued_at, issued_by) VALUES " DROW
static const char *const doc_many[4] = {
	DINS, DINS "," DROW, DINS "," DROW "," DROW, DINS "," DROW "," DROW "," DROW,
};

int store_case_doc_add_many(struct store *st, const struct case_doc_row *r, int n, struct err *e)
{
	if (n < 1 || n > 4)
		return err_set(e, ERR_INTERNAL, "", "documents per statement: 1..4");
	sqlite3_stmt *s = store_stmt(st, doc_many[n - 1], e);
	if (!s)
		return e->code;
	for (int k = 0; k < n; k++) {
		int b = k * 5;
		sqlite3_bind_int64(s, b + 1, r[k].case_id);
		bind_static(s, b + 2, r[k].kind);
		bind_static(s, b + 3, r[k].number);
		sqlite3_bind_int64(s, b + 4, r[k].at);
		bind_static(s, b + 5, r[k].by);
	}
	return store_step_done(st, s, e, "documents");
}

int store_case_doc_counter_set(struct store *st, const char *department, const char *kind, int year, int last,
			       struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO case_doc_counters(department_code, kind, year, last) "
				     "VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO UPDATE SET last = max(last, ?4)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, department);
	store_bind_text(s, 2, kind);
	sqlite3_bind_int(s, 3, year);
	sqlite3_bind_int(s, 4, last);
	return store_step_done(st, s, e, "document counter");
}
