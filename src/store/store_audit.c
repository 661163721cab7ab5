/*
** store_audit.c: SQL of the audit log (see store_org.h): the chain's head,
** appending, the id-ordered scan of audit_verify, and the auditor's list.
**
** The list's WHERE holds only the filters given, so SQLite can pick the
** index of the most selective one (migration 0021: every filter's index
** ends in `at`, and the list is ordered by at, then id — the rowid every
** index entry carries — so a page reads its own entries and no sort runs).
** A filter written `?1 IS NULL OR username = ?1` would be one plan for all
** values: it kept SQLite from every index (store_audit_list_scan keeps that
** form as the baseline).
*/
#include "store/store_int.h"
#include "store/store_list.h"
#include "store/store_org.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

int store_audit_head(struct store *st, int64_t *last_id, char last_hash[65], struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT last_id, last_hash FROM audit_head WHERE one = 1", e);
	if (!s)
		return e->code;
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return store_sqlerr(st, e, "audit head");
	}
	*last_id = sqlite3_column_int64(s, 0);
	snprintf(last_hash, 65, "%s", store_col_text(s, 1));
	sqlite3_reset(s);
	return 0;
}

int store_audit_insert(struct store *st, const struct audit_row *r, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO audit_log(id, at, user_id, username, source, action, "
				     "object, outcome, details, prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, r->id);
	sqlite3_bind_int64(s, 2, r->at);
	if (r->user_id)
		sqlite3_bind_int64(s, 3, r->user_id);
	store_bind_text(s, 4, r->username);
	store_bind_text(s, 5, r->source);
	store_bind_text(s, 6, r->action);
	store_bind_text(s, 7, r->object);
	store_bind_text(s, 8, r->outcome);
	store_bind_text(s, 9, r->details);
	store_bind_text(s, 10, r->prev_hash);
	store_bind_text(s, 11, r->hash);
	return store_step_done(st, s, e, "audit");
}

int store_audit_set_head(struct store *st, int64_t last_id, const char *last_hash, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE audit_head SET last_id = ?, last_hash = ? WHERE one = 1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, last_id);
	store_bind_text(s, 2, last_hash);
	return store_step_done(st, s, e, "audit head");
}

int store_audit_append(struct store *st, const struct audit_row *r, struct err *e)
{
	if (store_audit_insert(st, r, e))
		return e->code;
	return store_audit_set_head(st, r->id, r->hash, e);
}

int store_audit_scan(struct store *st, int (*fn)(void *arg, const struct audit_row *r),
		     void *arg, struct err *e)
{
	sqlite3_stmt *s;
	if (sqlite3_prepare_v2(store_db(st), "SELECT id, at, coalesce(user_id, 0), username, source, action, "
			       "object, outcome, details, prev_hash, hash FROM audit_log ORDER BY id",
			       -1, &s, NULL) != SQLITE_OK)
		return store_sqlerr(st, e, "audit scan");
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct audit_row r = {
			.id = sqlite3_column_int64(s, 0), .at = sqlite3_column_int64(s, 1),
			.user_id = sqlite3_column_int64(s, 2),
			.username = store_col_text(s, 3), .source = store_col_text(s, 4),
			.action = store_col_text(s, 5), .object = store_col_text(s, 6),
			.outcome = store_col_text(s, 7), .details = store_col_text(s, 8),
		};
		snprintf(r.prev_hash, sizeof r.prev_hash, "%s", store_col_text(s, 9));
		snprintf(r.hash, sizeof r.hash, "%s", store_col_text(s, 10));
		if (fn(arg, &r)) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		store_sqlerr(st, e, "audit scan");
	sqlite3_finalize(s);
	return rc == SQLITE_DONE ? 0 : e->code;
}

int store_audit_analyze(struct store *st, struct err *e)
{
	return store_exec(st, "PRAGMA analysis_limit = 1000; ANALYZE audit_log; PRAGMA analysis_limit = 0;", e);
}

/* ---- the auditor's list ------------------------------------------------------------ */

/* The group expression must read exactly as in the index audit_log_group. */
#define AUDIT_GROUP "substr(action, 1, instr(action, '.'))"

/* The filter of the records from the filters set. */
static void audit_filter(const struct store_audit_filter *f, struct store_list *l, char *end, size_t nend)
{
	if (f->username)
		store_list_text(l, "username = :user", ":user", f->username);
	if (f->action)
		store_list_text(l, "action = :action", ":action", f->action);
	if (f->group)
		store_list_text(l, AUDIT_GROUP " = :group", ":group", f->group);
	if (f->prefix) {
		/* the prefix range's end: the prefix with its last byte raised */
		snprintf(end, nend, "%s", f->prefix);
		size_t n = strlen(end);
		if (n)
			end[n - 1]++;
		store_list_and(l, "action >= :prefix AND action < :prefix_end");
		store_list_bind_text(l, ":prefix", f->prefix);
		store_list_bind_text(l, ":prefix_end", end);
	}
	if (f->object)
		store_list_text(l, "object = :object", ":object", f->object);
	if (f->outcome)
		store_list_text(l, "outcome = :outcome", ":outcome", f->outcome);
	if (f->from > 0)
		store_list_int(l, "at >= :from", ":from", f->from);
	if (f->to < INT64_MAX)
		store_list_int(l, "at < :to", ":to", f->to);
	if (f->after_id) {
		store_list_and(l, "at <= :after_at AND (at < :after_at OR id < :after_id)");
		store_list_bind_int(l, ":after_at", f->after_at);
		store_list_bind_int(l, ":after_id", f->after_id);
	}
}

int store_audit_page(struct store *st, const struct store_audit_filter *f, int64_t offset, int limit,
		     json_t **items, struct err *e)
{
	struct store_list l = STORE_LIST("audit list");
	char end[128] = "";
	audit_filter(f, &l, end, sizeof end);
	sqlite3_stmt *s = store_list_stmt(st, &l, "SELECT id, at, user_id, username, source, action, object, outcome, "
					  "details, hash FROM audit_log", "ORDER BY at DESC, id DESC", limit, offset, e);
	store_list_free(&l);
	if (!s)
		return e->code;
	int rc = store_rows_json(st, s, items, e);
	sqlite3_finalize(s);
	return rc;
}

int store_audit_count(struct store *st, const struct store_audit_filter *f, int64_t cap, int64_t *n,
		      struct err *e)
{
	struct store_list l = STORE_LIST("audit count");
	char end[128] = "";
	int capped;
	audit_filter(f, &l, end, sizeof end);
	int rc = store_list_count_capped(st, &l, "FROM audit_log", cap, n, &capped, e);
	store_list_free(&l);
	return rc;
}

int store_audit_at(struct store *st, int64_t id, int64_t *at, int *found, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT at FROM audit_log WHERE id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	*at = *found ? sqlite3_column_int64(s, 0) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, "audit record");
}

/* ?2: an action ("case.accept"), or a group of them ("case.*": every
** action starting with "case."). */
#define AUDIT_ACTION_MATCH "?2 IS NULL OR action = ?2 OR (?2 LIKE '%.*' AND " \
	"substr(action, 1, length(?2) - 1) = substr(?2, 1, length(?2) - 1))"

#define SCAN_WHERE "WHERE (?1 IS NULL OR username = ?1) AND (" AUDIT_ACTION_MATCH ") " \
	"AND (?5 IS NULL OR object = ?5) AND (?6 IS NULL OR outcome = ?6) AND at >= ?3 AND at < ?4"

static void scan_bind(sqlite3_stmt *s, const char *username, const char *action, const char *object,
		      const char *outcome, int64_t from, int64_t to)
{
	store_bind_text(s, 1, username);
	store_bind_text(s, 2, action);
	sqlite3_bind_int64(s, 3, from);
	sqlite3_bind_int64(s, 4, to);
	store_bind_text(s, 5, object);
	store_bind_text(s, 6, outcome);
}

int store_audit_list_scan(struct store *st, const char *username, const char *action, const char *object,
			  const char *outcome, int64_t from, int64_t to, const struct page *pg,
			  json_t **items, int64_t *total, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT count(*) FROM audit_log " SCAN_WHERE, e);
	if (!s)
		return e->code;
	scan_bind(s, username, action, object, outcome, from, to);
	if (store_count(st, s, total, e))
		return e->code;
	s = store_stmt(st, "SELECT id, at, user_id, username, source, action, object, outcome, details, hash "
		       "FROM audit_log " SCAN_WHERE " ORDER BY id DESC LIMIT ?7 OFFSET ?8", e);
	if (!s)
		return e->code;
	scan_bind(s, username, action, object, outcome, from, to);
	store_bind_page(s, 7, pg);
	return store_rows_json(st, s, items, e);
}
