/*
** store_quality.c: SQL of 数据质检 (see store_quality.h).
**
** The passes read each table once in its rowid (or index) order: the case
** pass steps three statements side by side (cases, the running ones and
** the approval documents, all ordered by case id) and merges them in C
** instead of a lookup per case. Day numbers are Asia/Shanghai
** days: (t + 28800) / 86400.
*/
#include "store/store_quality.h"
#include "store/store_int.h"
#include "store/store_list.h"

#include <stdio.h>
#include <string.h>

#define DAY_OF(col) "((" col " + 28800) / 86400)"
#define ISO(col) "strftime('%Y-%m-%dT%H:%M:%S+08:00', " col " + 28800, 'unixepoch')"

static int done(struct store *st, sqlite3_stmt *s, int rc, struct err *e, const char *what)
{
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc == SQLITE_ROW)        /* stopped by the callback */
		return e->code ? e->code : ERR_INTERNAL;
	return store_sqlerr(st, e, what);
}

/* ---- the case pass ----------------------------------------------------------------------------- */

struct cursor {
	sqlite3_stmt *s;
	int64_t id;                   /* current row's case id, INT64_MAX at the end */
};

static void advance(struct cursor *c, int64_t upto)
{
	while (c->id < upto) {
		if (sqlite3_step(c->s) != SQLITE_ROW) {
			c->id = INT64_MAX;
			return;
		}
		c->id = sqlite3_column_int64(c->s, 0);
	}
}

static void case_row(sqlite3_stmt *s, struct qs_case *c)
{
	*c = (struct qs_case){0};
	c->id = sqlite3_column_int64(s, 0);
	c->instance_id = sqlite3_column_int64(s, 1);
	c->item_code = store_col_text(s, 2);
	c->department = store_col_text(s, 3);
	c->status = sqlite3_column_int(s, 4);
	c->open = sqlite3_column_int(s, 5);
	c->time_limit = sqlite3_column_int(s, 6);
	c->paused_days = sqlite3_column_int(s, 7);
	c->received_at = sqlite3_column_int64(s, 8);
	c->accepted_at = sqlite3_column_int64(s, 9);
	c->final_at = sqlite3_column_int64(s, 10);
	c->updated_at = sqlite3_column_int64(s, 11);
}

/* What only a running case needs, from the open one's own cursor. */
static void open_row(sqlite3_stmt *s, struct qs_case *c)
{
	c->accepted = sqlite3_column_int(s, 1);
	c->paused_since = sqlite3_column_int(s, 2);
	c->receipt_day = sqlite3_column_int(s, 3);
	c->receipt_end = sqlite3_column_int(s, 4);
	c->number = store_col_text(s, 5);
	c->district = store_col_text(s, 6);
}

/* The cases: the wide table read once for the columns every case needs;
** the running ones (a partial index holds them) and the approval documents
** merged in by case id. One read transaction, so the three agree. */
int store_quality_cases(struct store *st, int64_t after, int64_t upto, int (*each)(void *arg, const struct qs_case *c),
			void *arg, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, instance_id, item_code, department_code, status, open, time_limit, "
				     "paused_days, received_at, accepted_at, final_at, updated_at FROM cases "
				     "WHERE id > ?1 AND id <= ?2 ORDER BY id", e);
	struct cursor dc = {store_stmt(st, "SELECT case_id FROM case_documents WHERE kind IN ('approval', 'joint') "
				       "AND case_id > ?1 AND case_id <= ?2 ORDER BY case_id", e), 0};
	struct cursor oc = {store_stmt(st, "SELECT id, accepted, paused_since, receipt_day, receipt_end, number, "
				       "district_code FROM cases INDEXED BY cases_todo WHERE open = 1 "
				       "AND id > ?1 AND id <= ?2 ORDER BY id", e), 0};
	int rc, txn = sqlite3_get_autocommit(store_db(st));
	if (!s || !dc.s || !oc.s || (txn && store_run(st, "BEGIN", e)))
		return e->code;
	sqlite3_stmt *all[] = {s, dc.s, oc.s};
	for (int i = 0; i < 3; i++) {
		sqlite3_bind_int64(all[i], 1, after);
		sqlite3_bind_int64(all[i], 2, upto);
	}
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qs_case c;
		case_row(s, &c);
		advance(&dc, c.id);
		c.approval_doc = dc.id == c.id;
		if (c.open) {
			advance(&oc, c.id);
			if (oc.id == c.id)
				open_row(oc.s, &c);
		}
		if (each(arg, &c))
			break;
	}
	sqlite3_reset(dc.s);
	sqlite3_reset(oc.s);
	rc = done(st, s, rc, e, "quality cases");
	if (txn && rc)
		store_run(st, "COMMIT", &(struct err){0});
	else if (txn)
		rc = store_run(st, "COMMIT", e);
	return rc;
}

static int one_int(struct store *st, const char *sql, int64_t def, int64_t *out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, sql, e);
	if (!s)
		return e->code;
	int rc = sqlite3_step(s);
	*out = rc == SQLITE_ROW && sqlite3_column_type(s, 0) != SQLITE_NULL ? sqlite3_column_int64(s, 0) : def;
	return done(st, s, rc == SQLITE_ROW ? SQLITE_DONE : rc, e, "quality status marks");
}

int store_quality_read_begin(struct store *st, int *began, struct err *e)
{
	*began = sqlite3_get_autocommit(store_db(st));
	return *began ? store_run(st, "BEGIN", e) : 0;
}

int store_quality_read_end(struct store *st, int began, struct err *e)
{
	return began ? store_run(st, "COMMIT", e) : 0;
}

int store_quality_case_pending(struct store *st, int64_t dirty_upto, int64_t *n, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT (SELECT count(*) FROM quality_case_dirty WHERE id <= ?) + "
				     "(SELECT count(*) FROM quality_case_suspects)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, dirty_upto);
	return store_count(st, s, n, e);
}

/* ---- what the case pass keeps (migration 0024) ------------------------------------------------------ */

#define CASE_ALL "SELECT id, instance_id, item_code, department_code, status, open, time_limit, paused_days, " \
	"received_at, accepted_at, final_at, updated_at, accepted, paused_since, receipt_day, receipt_end, number, " \
	"district_code, EXISTS (SELECT 1 FROM case_documents d WHERE d.case_id = cases.id " \
	"AND d.kind IN ('approval', 'joint')) FROM cases "

static void case_all_row(sqlite3_stmt *s, struct qs_case *c)
{
	case_row(s, c);
	c->accepted = sqlite3_column_int(s, 12);
	c->paused_since = sqlite3_column_int(s, 13);
	c->receipt_day = sqlite3_column_int(s, 14);
	c->receipt_end = sqlite3_column_int(s, 15);
	c->number = store_col_text(s, 16);
	c->district = store_col_text(s, 17);
	c->approval_doc = sqlite3_column_int(s, 18);
}

static int case_rows(struct store *st, sqlite3_stmt *s, int (*each)(void *arg, const struct qs_case *c), void *arg,
		     struct err *e)
{
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qs_case c;
		case_all_row(s, &c);
		if (each(arg, &c))
			break;
	}
	return done(st, s, rc, e, "quality cases");
}

int store_quality_case_get(struct store *st, int64_t case_id, int (*each)(void *arg, const struct qs_case *c),
			   void *arg, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, CASE_ALL "WHERE id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, case_id);
	return case_rows(st, s, each, arg, e);
}

int store_quality_open_cases(struct store *st, int (*each)(void *arg, const struct qs_case *c), void *arg,
			     struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, CASE_ALL "INDEXED BY cases_todo WHERE open = 1 ORDER BY id", e);
	return s ? case_rows(st, s, each, arg, e) : e->code;
}

int store_quality_instance_cases(struct store *st, int64_t instance_id,
				 int (*each)(void *arg, int64_t case_id, const char *item_code), void *arg,
				 struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, item_code FROM cases WHERE instance_id = ? ORDER BY id", e);
	int rc;
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, instance_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (each(arg, sqlite3_column_int64(s, 0), store_col_text(s, 1)))
			break;
	return done(st, s, rc, e, "quality instance cases");
}

int store_quality_case_state(struct store *st, struct qs_case_state *out, struct err *e)
{
	sqlite3_stmt *s;
	memset(out, 0, sizeof *out);
	if (one_int(st, "SELECT max(id) FROM quality_case_dirty", 0, &out->dirty_upto, e) ||
	    !(s = store_stmt(st, "SELECT fingerprint, run_id FROM quality_case_read WHERE id = 1", e)))
		return e->code;
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		snprintf(out->fingerprint, sizeof out->fingerprint, "%s", store_col_text(s, 0));
		out->run_id = sqlite3_column_int64(s, 1);
	}
	return done(st, s, rc == SQLITE_ROW ? SQLITE_DONE : rc, e, "quality case read");
}

int store_quality_case_candidates(struct store *st, int64_t dirty_upto, int (*each)(void *arg, int64_t id, int dup),
				  void *arg, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT case_id, 0 FROM quality_case_dirty WHERE id <= ? UNION ALL "
				     "SELECT case_id, 0 FROM quality_case_suspects UNION ALL "
				     "SELECT instance_id, 1 FROM quality_case_dups", e);
	int rc;
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, dirty_upto);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (each(arg, sqlite3_column_int64(s, 0), sqlite3_column_int(s, 1)))
			break;
	return done(st, s, rc, e, "quality case candidates");
}

static int ids_op(struct store *st, const char *sql, const int64_t *v, size_t n, struct err *e)
{
	for (size_t i = 0; i < n; i++) {
		sqlite3_stmt *s = store_stmt(st, sql, e);
		if (!s)
			return e->code;
		sqlite3_bind_int64(s, 1, v[i]);
		if (done(st, s, sqlite3_step(s), e, "quality case marks"))
			return e->code;
	}
	return 0;
}

/* Take the case read mark from the run that wrote it to run_id; *won 0 when
** another run wrote it in between. */
static int take_case_mark(struct store *st, const struct qs_case_state *from, const char *fingerprint,
			  int64_t run_id, int *won, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, !from->fingerprint[0]
		? "INSERT INTO quality_case_read(id, fingerprint, run_id) VALUES (1, ?1, ?2) ON CONFLICT(id) DO NOTHING"
		: "UPDATE quality_case_read SET fingerprint = ?1, run_id = ?2 WHERE id = 1 AND run_id = ?3", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, fingerprint);
	sqlite3_bind_int64(s, 2, run_id);
	if (from->fingerprint[0])
		sqlite3_bind_int64(s, 3, from->run_id);
	if (done(st, s, sqlite3_step(s), e, "quality case read"))
		return e->code;
	*won = sqlite3_changes(store_db(st)) > 0;
	return 0;
}

int store_quality_case_marks_put(struct store *st, const struct qs_case_state *read, const char *fingerprint,
				 int64_t run_id, const struct qs_case_marks *m, int *kept, struct err *e)
{
	if (take_case_mark(st, read, fingerprint, run_id, kept, e))
		return e->code;
	if (!*kept)
		return 0;
	if (m->all && (store_exec(st, "DELETE FROM quality_case_suspects", e) ||
		       store_exec(st, "DELETE FROM quality_case_dups", e)))
		return e->code;
	if ((!m->all && ids_op(st, "DELETE FROM quality_case_suspects WHERE case_id = ?", m->judged, m->njudged, e)) ||
	    (!m->all && ids_op(st, "DELETE FROM quality_case_dups WHERE instance_id = ?", m->insts, m->ninsts, e)) ||
	    ids_op(st, "INSERT OR IGNORE INTO quality_case_suspects(case_id) VALUES (?)", m->suspects, m->nsuspects, e) ||
	    ids_op(st, "INSERT OR IGNORE INTO quality_case_dups(instance_id) VALUES (?)", m->dups, m->ndups, e))
		return e->code;
	sqlite3_stmt *s = store_stmt(st, "DELETE FROM quality_case_dirty WHERE id <= ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, read->dirty_upto);
	return done(st, s, sqlite3_step(s), e, "quality case dirty");
}

int store_quality_case_late(struct store *st, int64_t case_id, int *late, int *found, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT late FROM stats_case WHERE case_id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, case_id);
	int rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	*late = *found && sqlite3_column_int(s, 0);
	return done(st, s, *found ? SQLITE_DONE : rc, e, "stats case");
}

int store_quality_statuses(struct store *st, int64_t upto,
			   int (*each)(void *arg, int64_t case_id, int status, int64_t at), void *arg, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT case_id, status, at FROM case_status WHERE id <= ? ORDER BY id", e);
	int rc;
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, upto);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (each(arg, sqlite3_column_int64(s, 0), sqlite3_column_int(s, 1), sqlite3_column_int64(s, 2)))
			break;
	return done(st, s, rc, e, "quality status rows");
}

/* ---- what the status pass keeps (migration 0024) ------------------------------------------------- */

int store_quality_status_state(struct store *st, struct qs_status_state *out, struct err *e)
{
	if (one_int(st, "SELECT max(id) FROM quality_status_dirty", 0, &out->dirty_upto, e) ||
	    one_int(st, "SELECT max(id) FROM case_status", 0, &out->upto, e) ||
	    one_int(st, "SELECT max(id) FROM cases", 0, &out->max_case, e) ||
	    one_int(st, "SELECT last_id FROM quality_status_read WHERE id = 1", -1, &out->last_id, e) ||
	    one_int(st, "SELECT run_id FROM quality_status_read WHERE id = 1", 0, &out->run_id, e))
		return e->code;
	return 0;
}

int store_quality_status_touched(struct store *st, int64_t after, int64_t upto, int64_t dirty_upto,
				 int (*each)(void *arg, int64_t case_id), void *arg, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT case_id FROM case_status WHERE id > ?1 AND id <= ?2 "
				     "UNION ALL SELECT case_id FROM quality_status_dirty WHERE id <= ?3", e);
	int rc;
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, after);
	sqlite3_bind_int64(s, 2, upto);
	sqlite3_bind_int64(s, 3, dirty_upto);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (each(arg, sqlite3_column_int64(s, 0)))
			break;
	return done(st, s, rc, e, "quality touched cases");
}

int store_quality_case_statuses(struct store *st, int64_t case_id,
				int (*each)(void *arg, int64_t case_id, int status, int64_t at), void *arg,
				struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT status, at FROM case_status WHERE case_id = ? ORDER BY id", e);
	int rc;
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, case_id);
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (each(arg, case_id, sqlite3_column_int(s, 0), sqlite3_column_int64(s, 1)))
			break;
	return done(st, s, rc, e, "quality case status rows");
}

int store_quality_marks(struct store *st, int (*each)(void *arg, const struct qs_status_mark *m), void *arg,
			struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT case_id, flags, first_status, order_status, order_at, after_status, "
				     "after_final, code FROM quality_status_marks ORDER BY case_id", e);
	int rc;
	if (!s)
		return e->code;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qs_status_mark m = {
			.case_id = sqlite3_column_int64(s, 0), .flags = sqlite3_column_int(s, 1),
			.first_status = sqlite3_column_int(s, 2), .order_status = sqlite3_column_int(s, 3),
			.order_at = sqlite3_column_int64(s, 4), .after_status = sqlite3_column_int(s, 5),
			.after_final = sqlite3_column_int(s, 6), .code = sqlite3_column_int(s, 7),
		};
		if (each(arg, &m))
			break;
	}
	return done(st, s, rc, e, "quality status marks");
}

static int mark_put(struct store *st, const struct qs_status_mark *m, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO quality_status_marks(case_id, flags, first_status, order_status, "
				     "order_at, after_status, after_final, code) VALUES (?,?,?,?,?,?,?,?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, m->case_id);
	sqlite3_bind_int(s, 2, m->flags);
	sqlite3_bind_int(s, 3, m->first_status);
	sqlite3_bind_int(s, 4, m->order_status);
	sqlite3_bind_int64(s, 5, m->order_at);
	sqlite3_bind_int(s, 6, m->after_status);
	sqlite3_bind_int(s, 7, m->after_final);
	sqlite3_bind_int(s, 8, m->code);
	return done(st, s, sqlite3_step(s), e, "quality status mark");
}

/* Take the read mark from the run that wrote it (prev) to run_id; *won 0
** when another run wrote it in between. */
static int take_mark(struct store *st, const struct qs_status_state *from, int64_t run_id, int64_t upto, int *won,
		     struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, from->last_id < 0
		? "INSERT INTO quality_status_read(id, last_id, run_id) VALUES (1, ?1, ?2) ON CONFLICT(id) DO NOTHING"
		: "UPDATE quality_status_read SET last_id = ?1, run_id = ?2 WHERE id = 1 AND run_id = ?3", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, upto);
	sqlite3_bind_int64(s, 2, run_id);
	if (from->last_id >= 0)
		sqlite3_bind_int64(s, 3, from->run_id);
	if (done(st, s, sqlite3_step(s), e, "quality status read"))
		return e->code;
	*won = sqlite3_changes(store_db(st)) > 0;
	return 0;
}

int store_quality_marks_put(struct store *st, const struct qs_status_state *read, int64_t run_id, int all,
			    const int64_t *cases, size_t ncases, const struct qs_status_mark *m, size_t n, int *kept,
			    struct err *e)
{
	sqlite3_stmt *s;
	if (take_mark(st, read, run_id, read->upto, kept, e))
		return e->code;
	if (!*kept)
		return 0;
	if (all && store_exec(st, "DELETE FROM quality_status_marks", e))
		return e->code;
	for (size_t i = 0; !all && i < ncases; i++) {
		if (!(s = store_stmt(st, "DELETE FROM quality_status_marks WHERE case_id = ?", e)))
			return e->code;
		sqlite3_bind_int64(s, 1, cases[i]);
		if (done(st, s, sqlite3_step(s), e, "quality status mark"))
			return e->code;
	}
	for (size_t i = 0; i < n; i++)
		if (mark_put(st, &m[i], e))
			return e->code;
	if (!(s = store_stmt(st, "DELETE FROM quality_status_dirty WHERE id <= ?", e)))
		return e->code;
	sqlite3_bind_int64(s, 1, read->dirty_upto);
	return done(st, s, sqlite3_step(s), e, "quality status dirty");
}

int store_quality_max_case(struct store *st, int64_t *out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT coalesce(max(id), 0) FROM cases", e);
	return s ? store_count(st, s, out, e) : e->code;
}

int store_quality_case_ident(struct store *st, int64_t case_id, char number[64], char dept[48],
			     char district[16], int *found, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT number, department_code, district_code FROM cases WHERE id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, case_id);
	int rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	if (*found) {
		snprintf(number, 64, "%s", store_col_text(s, 0));
		snprintf(dept, 48, "%s", store_col_text(s, 1));
		snprintf(district, 16, "%s", store_col_text(s, 2));
		rc = SQLITE_DONE;
	}
	return done(st, s, rc, e, "quality case");
}

int store_quality_requeue(struct store *st, int64_t every, int64_t *n, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO quality_status_dirty(case_id) SELECT id FROM cases "
				     "WHERE id % ?1 = 0", e), *c;
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, every > 0 ? every : 1);
	if (done(st, s, sqlite3_step(s), e, "quality requeue"))
		return e->code;
	*n = sqlite3_changes(store_db(st));
	if (!(c = store_stmt(st, "INSERT INTO quality_case_dirty(case_id) SELECT case_id FROM quality_status_dirty "
			     "WHERE id > (SELECT coalesce(max(id), 0) FROM quality_status_dirty) - ?", e)))
		return e->code;
	sqlite3_bind_int64(c, 1, *n);
	return done(st, c, sqlite3_step(c), e, "quality requeue");
}

/* ---- projects, units, stages --------------------------------------------------------------------- */

int store_quality_projects(struct store *st, int (*each)(void *arg, const struct qs_project *p), void *arg,
			   struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT p.id, p.code, p.name, p.division_code, p.address, p.planned_start, "
				     "p.planned_finish, p.flow_type, p.investment_wan, p.land_area_m2, p.floor_area_m2 "
				     "FROM projects p WHERE p.deleted_at IS NULL ORDER BY p.id", e);
	int rc;
	if (!s)
		return e->code;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qs_project p = {
			.id = sqlite3_column_int64(s, 0), .code = store_col_text(s, 1), .name = store_col_text(s, 2),
			.division = store_col_text(s, 3), .address = store_col_text(s, 4),
			.planned_start = store_col_text(s, 5), .planned_finish = store_col_text(s, 6),
			.flow_type = sqlite3_column_int(s, 7), .investment = sqlite3_column_int64(s, 8),
			.land_area = sqlite3_column_int64(s, 9), .floor_area = sqlite3_column_int64(s, 10),
		};
		if (each(arg, &p))
			break;
	}
	return done(st, s, rc, e, "quality projects");
}

int store_quality_units(struct store *st, int (*each)(void *arg, const struct qs_unit *u), void *arg,
			struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT project_id, kind, name, credit_code, contact, phone "
				     "FROM project_units ORDER BY id", e);
	int rc;
	if (!s)
		return e->code;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qs_unit u = {
			.project_id = sqlite3_column_int64(s, 0), .kind = store_col_text(s, 1),
			.name = store_col_text(s, 2), .credit_code = store_col_text(s, 3),
			.contact = store_col_text(s, 4), .phone = store_col_text(s, 5),
		};
		if (each(arg, &u))
			break;
	}
	return done(st, s, rc, e, "quality units");
}

int store_quality_open_stages(struct store *st, int (*each)(void *arg, int64_t project_id, int stage,
							    int64_t started_at),
			      void *arg, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT project_id, stage, started_at FROM case_stages "
				     "WHERE completed_at IS NULL AND stage BETWEEN 1 AND 4", e);
	int rc;
	if (!s)
		return e->code;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (each(arg, sqlite3_column_int64(s, 0), sqlite3_column_int(s, 1), sqlite3_column_int64(s, 2)))
			break;
	return done(st, s, rc, e, "quality stages");
}

int store_quality_pending(struct store *st, int (*each)(void *arg, const struct qs_pending *p), void *arg,
			  struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT 'tolerance', c.number, c.department_code, c.district_code, t.material, c.id, 0, t.due_day, 0 "
		"FROM case_tolerance t JOIN cases c ON c.id = t.case_id WHERE t.received_at IS NULL "
		"UNION ALL SELECT 'special', c.number, c.department_code, c.district_code, x.kind, c.id, x.start_at, 0, "
		"x.time_limit FROM case_specials x JOIN cases c ON c.id = x.case_id WHERE x.end_at IS NULL AND c.open "
		"UNION ALL SELECT 'supplement', c.number, c.department_code, c.district_code, '', c.id, u.start_at, 0, 0 "
		"FROM case_supplements u JOIN cases c ON c.id = u.case_id WHERE u.end_at IS NULL AND c.open", e);
	int rc;
	if (!s)
		return e->code;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qs_pending p = {
			.kind = store_col_text(s, 0), .number = store_col_text(s, 1),
			.department = store_col_text(s, 2), .district = store_col_text(s, 3),
			.text = store_col_text(s, 4), .case_id = sqlite3_column_int64(s, 5),
			.at = sqlite3_column_int64(s, 6), .day = sqlite3_column_int(s, 7),
			.limit = sqlite3_column_int(s, 8),
		};
		if (each(arg, &p))
			break;
	}
	return done(st, s, rc, e, "quality pending");
}

/* ---- catalogue ------------------------------------------------------------------------------------ */

int store_quality_items(struct store *st, int (*each)(void *arg, const struct qs_item *it), void *arg,
			struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT i.code, i.name, i.national_code, i.department_code, "
				     "i.promised_limit, i.legal_limit FROM catalog_items i WHERE i.id = (SELECT j.id "
				     "FROM catalog_items j WHERE j.code = i.code ORDER BY j.effective_from DESC LIMIT 1) "
				     "ORDER BY i.code", e);
	int rc;
	if (!s)
		return e->code;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qs_item it = {
			.code = store_col_text(s, 0), .name = store_col_text(s, 1),
			.national_code = store_col_text(s, 2), .department = store_col_text(s, 3),
			.promised = sqlite3_column_int(s, 4), .legal = sqlite3_column_int(s, 5),
		};
		if (each(arg, &it))
			break;
	}
	return done(st, s, rc, e, "quality items");
}

int store_quality_stage_items(struct store *st, int (*each)(void *arg, const struct qs_stage_item *s),
			      void *arg, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT f.code, f.version, g.lead_department, si.item_code, g.number, "
				     "g.time_limit FROM catalog_flows f JOIN catalog_stages g ON g.flow_id = f.id "
				     "LEFT JOIN catalog_stage_items si ON si.stage_id = g.id "
				     "WHERE f.id = (SELECT h.id FROM catalog_flows h WHERE h.code = f.code "
				     "ORDER BY h.effective_from DESC LIMIT 1) ORDER BY f.code, g.number, si.position", e);
	int rc;
	if (!s)
		return e->code;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct qs_stage_item r = {
			.flow = store_col_text(s, 0), .version = store_col_text(s, 1), .lead = store_col_text(s, 2),
			.item_code = sqlite3_column_type(s, 3) == SQLITE_NULL ? NULL : store_col_text(s, 3),
			.stage = sqlite3_column_int(s, 4), .limit = sqlite3_column_int(s, 5),
		};
		if (each(arg, &r))
			break;
	}
	return done(st, s, rc, e, "quality stages");
}

int store_quality_departments(struct store *st,
			      int (*each)(void *arg, const char *code, const char *district, int active),
			      void *arg, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT code, district_code, active FROM departments ORDER BY code", e);
	int rc;
	if (!s)
		return e->code;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (each(arg, store_col_text(s, 0), store_col_text(s, 1), sqlite3_column_int(s, 2)))
			break;
	return done(st, s, rc, e, "departments");
}

int store_quality_project_division(struct store *st, const char *code, char div[16], struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT division_code FROM projects WHERE code = ? AND deleted_at IS NULL", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, code);
	int rc = sqlite3_step(s);
	snprintf(div, 16, "%s", rc == SQLITE_ROW ? store_col_text(s, 0) : "");
	return done(st, s, rc == SQLITE_ROW ? SQLITE_DONE : rc, e, "project");
}

/* ---- rule versions --------------------------------------------------------------------------------- */

int store_quality_rule_latest(struct store *st, json_t **rows, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT rule, version, doc, created_at, created_by FROM quality_rule_versions v "
				     "WHERE version = (SELECT max(version) FROM quality_rule_versions w "
				     "WHERE w.rule = v.rule) ORDER BY rule", e);
	return s ? store_rows_json(st, s, rows, e) : e->code;
}

int store_quality_rule_history(struct store *st, const char *rule, json_t **rows, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT version, doc, " ISO("created_at") " AS created_at, created_by, note "
				     "FROM quality_rule_versions WHERE rule = ? ORDER BY version", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, rule);
	return store_rows_json(st, s, rows, e);
}

int store_quality_rule_add(struct store *st, const char *rule, const char *doc, int64_t at, const char *by,
			   const char *note, int *version, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO quality_rule_versions(rule, version, doc, created_at, created_by, "
				     "note) SELECT ?1, coalesce(max(version), 0) + 1, ?2, ?3, ?4, ?5 "
				     "FROM quality_rule_versions WHERE rule = ?1 RETURNING version", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, rule);
	store_bind_text(s, 2, doc);
	sqlite3_bind_int64(s, 3, at);
	store_bind_text(s, 4, by);
	store_bind_text(s, 5, note ? note : "");
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*version = sqlite3_column_int(s, 0);
		rc = sqlite3_step(s);
	}
	return done(st, s, rc, e, "rule version");
}

/* ---- findings ------------------------------------------------------------------------------------------ */

int store_quality_findings_all(struct store *st,
			       int (*each)(void *arg, int64_t id, const char *rule, const char *key,
					   const char *status),
			       void *arg, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, rule, object_key, status FROM quality_findings", e);
	int rc;
	if (!s)
		return e->code;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW)
		if (each(arg, sqlite3_column_int64(s, 0), store_col_text(s, 1), store_col_text(s, 2),
			 store_col_text(s, 3)))
			break;
	return done(st, s, rc, e, "findings");
}

int store_quality_finding_add(struct store *st, const struct qs_finding *f, int64_t at, int64_t run_id,
			      int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO quality_findings(rule, severity, object_kind, object_key, object, "
				     "department_code, district_code, message, status, found_at, found_run, deadline_day) "
				     "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, 'open', ?9, ?10, ?11)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, f->rule);
	store_bind_text(s, 2, f->severity);
	store_bind_text(s, 3, f->object_kind);
	store_bind_text(s, 4, f->object_key);
	store_bind_text(s, 5, f->object);
	store_bind_text(s, 6, f->department && *f->department ? f->department : NULL);
	store_bind_text(s, 7, f->district);
	store_bind_text(s, 8, f->message);
	sqlite3_bind_int64(s, 9, at);
	sqlite3_bind_int64(s, 10, run_id);
	sqlite3_bind_int(s, 11, f->deadline_day);
	if (store_step_done(st, s, e, "finding"))
		return e->code;
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_quality_finding_reopen(struct store *st, int64_t id, const char *message, int32_t deadline_day,
				 struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE quality_findings SET status = 'open', message = ?2, deadline_day = ?3, "
				     "fixed_at = NULL, fixed_run = NULL, reopened = reopened + 1 WHERE id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, message);
	sqlite3_bind_int(s, 3, deadline_day);
	return store_step_done(st, s, e, "finding reopen");
}

int store_quality_finding_fixed(struct store *st, int64_t id, int64_t at, int64_t run_id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE quality_findings SET status = 'fixed', fixed_at = ?2, fixed_run = ?3 "
				     "WHERE id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, at);
	sqlite3_bind_int64(s, 3, run_id);
	return store_step_done(st, s, e, "finding fixed");
}

int store_quality_event(struct store *st, int64_t finding_id, int64_t run_id, int64_t at, const char *event,
			const char *username, const char *note, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO quality_finding_events(finding_id, run_id, at, event, username, note) "
				     "VALUES (?, ?, ?, ?, ?, ?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, finding_id);
	if (run_id)
		sqlite3_bind_int64(s, 2, run_id);
	sqlite3_bind_int64(s, 3, at);
	store_bind_text(s, 4, event);
	store_bind_text(s, 5, username);
	store_bind_text(s, 6, note ? note : "");
	return store_step_done(st, s, e, "finding event");
}

int store_quality_escalate(struct store *st, int32_t today, int64_t run_id, int64_t at, const char *username,
			   int64_t *n, struct err *e)
{
	sqlite3_stmt *ev = store_stmt(st, "INSERT INTO quality_finding_events(finding_id, run_id, at, event, username) "
				      "SELECT id, ?2, ?3, 'overdue', ?4 FROM quality_findings "
				      "WHERE status = 'open' AND deadline_day < ?1", e);
	sqlite3_stmt *up = store_stmt(st, "UPDATE quality_findings SET status = 'overdue' "
				      "WHERE status = 'open' AND deadline_day < ?1", e);
	if (!ev || !up)
		return e->code;
	sqlite3_bind_int(ev, 1, today);
	sqlite3_bind_int64(ev, 2, run_id);
	sqlite3_bind_int64(ev, 3, at);
	store_bind_text(ev, 4, username);
	if (store_step_done(st, ev, e, "escalate"))
		return e->code;
	sqlite3_bind_int(up, 1, today);
	if (store_step_done(st, up, e, "escalate"))
		return e->code;
	*n = sqlite3_changes(store_db(st));
	return 0;
}

#define FINDING_COLS "f.id, f.rule, f.severity, f.object_kind, f.object, f.department_code AS department, " \
	"f.district_code AS district, f.message, f.status, " ISO("f.found_at") " AS found_at, " \
	"date(f.deadline_day * 86400, 'unixepoch') AS deadline, " \
	"CASE WHEN f.fixed_at IS NULL THEN NULL ELSE " ISO("f.fixed_at") " END AS fixed_at, f.reopened, " \
	"f.dismissed_by, f.dismissed_reason"

int store_quality_finding_get(struct store *st, int64_t id, json_t **out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " FINDING_COLS " FROM quality_findings f WHERE f.id = ?", e);
	json_t *rows;
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	if (store_rows_json(st, s, &rows, e))
		return e->code;
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return 0;
}

int store_quality_finding_dismiss(struct store *st, int64_t id, const char *by, const char *reason,
				  struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE quality_findings SET status = 'dismissed', dismissed_by = ?2, "
				     "dismissed_reason = ?3 WHERE id = ?1 AND status IN ('open', 'overdue')", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, by);
	store_bind_text(s, 3, reason);
	if (store_step_done(st, s, e, "dismiss"))
		return e->code;
	if (sqlite3_changes(store_db(st)) == 0)
		return err_set(e, ERR_CONFLICT, "status", "只有未整改（open/overdue）的问题可以核销");
	return 0;
}

int store_quality_finding_events(struct store *st, int64_t id, json_t **rows, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT event, run_id, " ISO("at") " AS at, username, note "
				     "FROM quality_finding_events WHERE finding_id = ? ORDER BY at, id", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	return store_rows_json(st, s, rows, e);
}

static void findings_filter(const struct qs_filter *f, struct store_list *l)
{
	if (f->status)
		store_list_text(l, "f.status = :status", ":status", f->status);
	if (f->rule)
		store_list_text(l, "f.rule = :rule", ":rule", f->rule);
	if (f->department)
		store_list_text(l, "f.department_code = :department", ":department", f->department);
	if (f->district)
		store_list_text(l, "f.district_code = :district", ":district", f->district);
	if (f->object)
		store_list_text(l, "f.object = :object", ":object", f->object);
	if (f->scope_department)
		store_list_text(l, "f.department_code = :scope_department", ":scope_department", f->scope_department);
	if (f->scope_district)
		store_list_text(l, "f.district_code = :scope_district", ":scope_district", f->scope_district);
}

int store_quality_findings_list(struct store *st, const struct qs_filter *f, const struct page *pg,
				json_t **items, int64_t *total, struct err *e)
{
	struct store_list l = STORE_LIST("finding list");
	findings_filter(f, &l);
	int rc = store_list_count(st, &l, "FROM quality_findings f", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT " FINDING_COLS " FROM quality_findings f", "ORDER BY f.deadline_day, f.id",
				     pg, items, e);
	store_list_free(&l);
	return rc;
}

int store_quality_open_count(struct store *st, int64_t *n, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT (SELECT count(*) FROM quality_findings WHERE status = 'open') + "
				     "(SELECT count(*) FROM quality_findings WHERE status = 'overdue')", e);
	return s ? store_count(st, s, n, e) : e->code;
}

/* ---- runs ------------------------------------------------------------------------------------------ */

int store_quality_run_put(struct store *st, struct qs_run *r, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, r->id
		? "UPDATE quality_runs SET started_at = ?2, finished_at = ?3, trigger = ?4, username = ?5, rule = ?6, "
		  "rules_run = ?7, rules_skipped = ?8, found = ?9, opened = ?10, reopened = ?11, fixed = ?12, "
		  "escalated = ?13, open_after = ?14, ms = ?15 WHERE id = ?1"
		: "INSERT INTO quality_runs(started_at, finished_at, trigger, username, rule, rules_run, rules_skipped, "
		  "found, opened, reopened, fixed, escalated, open_after, ms) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
		  "?10, ?11, ?12, ?13, ?14, ?15)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int64(s, 2, r->started_at);
	sqlite3_bind_int64(s, 3, r->finished_at);
	store_bind_text(s, 4, r->trigger);
	store_bind_text(s, 5, r->username);
	store_bind_text(s, 6, r->rule);
	const int64_t v[] = {r->rules_run, r->rules_skipped, r->found, r->opened, r->reopened, r->fixed,
			     r->escalated, r->open_after, r->ms};
	for (int i = 0; i < 9; i++)
		sqlite3_bind_int64(s, 7 + i, v[i]);
	if (store_step_done(st, s, e, "quality run"))
		return e->code;
	if (!r->id)
		r->id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_quality_runs(struct store *st, const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	struct store_list l = STORE_LIST("quality runs");
	int rc = store_list_count(st, &l, "FROM quality_runs", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT id, " ISO("started_at") " AS started_at, " ISO("finished_at")
				     " AS finished_at, trigger, username, rule, rules_run, rules_skipped, found, opened, "
				     "reopened, fixed, escalated, open_after, ms FROM quality_runs", "ORDER BY id DESC", pg,
				     items, e);
	store_list_free(&l);
	return rc;
}

/* ---- overview and 通报 ---------------------------------------------------------------------------- */

#define SCOPE2 "(?1 IS NULL OR f.department_code = ?1) AND (?2 IS NULL OR f.district_code = ?2)"

int store_quality_overview(struct store *st, const char *scope_department, const char *scope_district,
			   int64_t since, json_t **groups, json_t **weeks, json_t **rejected, struct err *e)
{
	sqlite3_stmt *g = store_stmt(st, "SELECT f.district_code AS district, f.department_code AS department, "
				     "f.severity, f.status, count(*) AS n, (SELECT d.name FROM departments d "
				     "WHERE d.code = f.department_code) AS department_name FROM quality_findings f "
				     "WHERE f.status IN ('open', 'overdue') AND " SCOPE2 " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4", e);
	/* day 0 (1970-01-01) was a Thursday: Monday of day d is d - (d + 3) % 7 */
	sqlite3_stmt *w = store_stmt(st, "SELECT d - (d + 3) % 7 AS week, sum(ev = 'found' OR ev = 'reopened') AS found, "
				     "sum(ev = 'fixed') AS fixed FROM (SELECT (x.at + 28800) / 86400 AS d, x.event AS ev "
				     "FROM quality_finding_events x JOIN quality_findings f ON f.id = x.finding_id "
				     "WHERE x.at >= ?3 AND " SCOPE2 ") GROUP BY 1 ORDER BY 1", e);
	sqlite3_stmt *r = store_stmt(st, "SELECT substr(f.object_key, 1, instr(f.object_key, ':') - 1) AS \"table\", "
				     "count(*) AS n FROM quality_findings f WHERE f.rule = 'exchange-rejected' "
				     "AND f.status IN ('open', 'overdue') AND " SCOPE2 " GROUP BY 1 ORDER BY 2 DESC", e);
	if (!g || !w || !r)
		return e->code;
	store_bind_text(g, 1, scope_department);
	store_bind_text(g, 2, scope_district);
	store_bind_text(w, 1, scope_department);
	store_bind_text(w, 2, scope_district);
	sqlite3_bind_int64(w, 3, since);
	store_bind_text(r, 1, scope_department);
	store_bind_text(r, 2, scope_district);
	*groups = *weeks = *rejected = NULL;
	if (store_rows_json(st, g, groups, e) || store_rows_json(st, w, weeks, e) ||
	    store_rows_json(st, r, rejected, e)) {
		json_decref(*groups);
		json_decref(*weeks);
		*groups = *weeks = NULL;
		return e->code;
	}
	return 0;
}

/* The state of a finding at instant T is its last event before T. */
#define STATE_AT(T) "(SELECT x.event FROM quality_finding_events x WHERE x.finding_id = f.id AND x.at < " T \
	" ORDER BY x.at DESC, x.id DESC LIMIT 1)"

int store_quality_notice_rows(struct store *st, int64_t from, int64_t to, const char *scope_department,
			      const char *scope_district, json_t **rows, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st,
		"SELECT * FROM (SELECT f.id, f.rule, f.severity, f.object_kind, f.object, f.department_code AS department, "
		"(SELECT d.name FROM departments d WHERE d.code = f.department_code) AS department_name, "
		"f.district_code AS district, f.message, " ISO("f.found_at") " AS found_at, "
		"date(f.deadline_day * 86400, 'unixepoch') AS deadline, "
		"CASE " STATE_AT("?4") " WHEN 'found' THEN 'open' WHEN 'reopened' THEN 'open' ELSE " STATE_AT("?4")
		" END AS status_at_end, "
		"coalesce(" STATE_AT("?3") " IN ('found', 'reopened', 'overdue'), 0) AS open_at_start, "
		"EXISTS (SELECT 1 FROM quality_finding_events x WHERE x.finding_id = f.id AND x.at >= ?3 AND x.at < ?4 "
		"AND x.event IN ('found', 'reopened')) AS new_in, "
		"EXISTS (SELECT 1 FROM quality_finding_events x WHERE x.finding_id = f.id AND x.at >= ?3 AND x.at < ?4 "
		"AND x.event = 'fixed') AS fixed_in "
		"FROM quality_findings f WHERE f.found_at < ?4 AND " SCOPE2 ") "
		"WHERE open_at_start OR new_in OR fixed_in OR status_at_end IN ('open', 'overdue') "
		"ORDER BY district, department, rule, id", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, scope_department);
	store_bind_text(s, 2, scope_district);
	sqlite3_bind_int64(s, 3, from);
	sqlite3_bind_int64(s, 4, to);
	return store_rows_json(st, s, rows, e);
}

/* ---- the benchmark's baseline ------------------------------------------------------------------------ */

struct naive { const char *check, *sql; };

/* One statement per check, each its own full scan. The calendar is not in
** SQL, so working days are approximated by natural days * 5 / 7 where a
** check counts them: same scan, same cost. */
static const struct naive naive_sql[] = {
	{"case_overdue_unmarked", "SELECT count(*) FROM cases c LEFT JOIN stats_case s ON s.case_id = c.id "
	 "WHERE c.status IN (11, 12, 13) AND c.accepted AND (((c.final_at + 28800) / 86400 - (c.accepted_at + 28800) "
	 "/ 86400) * 5 / 7 - c.paused_days) > c.time_limit AND coalesce(s.late, 0) = 0"},
	{"case_zombie", "SELECT count(*) FROM cases WHERE open AND accepted AND paused_since IS NULL "
	 "AND (?1 - (updated_at + 28800) / 86400) * 5 / 7 > 20"},
	{"case_unaccepted", "SELECT count(*) FROM cases WHERE open AND NOT accepted AND paused_since IS NULL "
	 "AND (?1 - coalesce(receipt_day, (received_at + 28800) / 86400)) * 5 / 7 > 5"},
	{"case_duplicate_item", "SELECT count(*) FROM (SELECT instance_id, item_code FROM cases "
	 "GROUP BY instance_id, item_code HAVING count(*) > 1)"},
	{"case_approval_doc", "SELECT count(*) FROM cases c WHERE c.status IN (11, 12) AND NOT EXISTS (SELECT 1 "
	 "FROM case_documents d WHERE d.case_id = c.id AND d.kind IN ('approval', 'joint'))"},
	{"case_time_order", "SELECT count(*) FROM cases WHERE (accepted_at IS NOT NULL AND accepted_at < received_at) "
	 "OR (final_at IS NOT NULL AND final_at < coalesce(accepted_at, received_at))"},
	{"case_department", "SELECT count(*) FROM cases c WHERE NOT EXISTS (SELECT 1 FROM departments d "
	 "WHERE d.code = c.department_code AND d.active)"},
	{"status_order", "SELECT count(DISTINCT case_id) FROM (SELECT case_id, at < lag(at) OVER "
	 "(PARTITION BY case_id ORDER BY id) AS bad FROM case_status) WHERE bad"},
	{"status_after_final", "SELECT count(DISTINCT s.case_id) FROM case_status s WHERE EXISTS (SELECT 1 "
	 "FROM case_status p WHERE p.case_id = s.case_id AND p.id < s.id AND p.status IN (11, 12, 13, 14, 15))"},
	{"status_code", "SELECT count(DISTINCT case_id) FROM case_status WHERE status NOT BETWEEN 1 AND 15"},
	{"status_first", "SELECT count(*) FROM (SELECT case_id, status, min(id) FROM case_status GROUP BY case_id) "
	 "WHERE status <> 1"},
	{"project_code", "SELECT count(*) FROM projects WHERE deleted_at IS NULL AND code NOT GLOB "
	 "'[0-9][0-9][0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]-[0-9][0-9][0-9][0-9][0-9][0-9]'"},
	{"project_dates", "SELECT count(*) FROM projects WHERE deleted_at IS NULL AND planned_start >= planned_finish"},
	{"unit_builder", "SELECT count(*) FROM projects p WHERE deleted_at IS NULL AND NOT EXISTS (SELECT 1 "
	 "FROM project_units u WHERE u.project_id = p.id AND u.kind = 'builder')"},
	{NULL, NULL},
};

int store_quality_naive(struct store *st, const char *check, int32_t today, int64_t *n, struct err *e)
{
	for (const struct naive *q = naive_sql; q->check; q++) {
		if (strcmp(q->check, check) != 0)
			continue;
		sqlite3_stmt *s = store_stmt(st, q->sql, e);
		if (!s)
			return e->code;
		if (sqlite3_bind_parameter_count(s) >= 1)
			sqlite3_bind_int(s, 1, today);
		return store_count(st, s, n, e);
	}
	return err_set(e, ERR_NOTFOUND, "check", "no baseline statement for %s", check);
}
