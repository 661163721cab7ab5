/*
** store_ops.c: SQL of the built-in operations (see store_ops.h). Every
** statement is portable SQL except the PRAGMAs of the database facts
** (quick_check, page counts), which a PostgreSQL backend answers from its
** own catalogue.
*/
#include "store/store_ops.h"
#include "store/store_int.h"
#include "store/store_list.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY(dst, s, i) snprintf((dst), sizeof(dst), "%s", store_col_text((s), (i)))

static const char *const status_text[] = {"OK", "WARN", "CRIT", "UNKNOWN"};

const char *store_ops_status_text(int status)
{
	return status >= 0 && status <= 3 ? status_text[status] : "UNKNOWN";
}

int store_ops_status_code(const char *text)
{
	for (int i = 0; i < 4; i++)
		if (text && strcmp(text, status_text[i]) == 0)
			return i;
	return 3;
}

static void bind_real(sqlite3_stmt *s, int i, int has, double v)
{
	if (has && !isnan(v))
		sqlite3_bind_double(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

/* ---- runs ----------------------------------------------------------------- */

static int run_busy(struct store *st, const char *job, int64_t now, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, trigger, started_at FROM ops_runs "
				     "WHERE job = ?1 AND state = 'running' AND lease_until > ?2 "
				     "ORDER BY id DESC LIMIT 1", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, job);
	sqlite3_bind_int64(s, 2, now);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		err_set(e, ERR_CONFLICT, "job", "%s 正在运行 (run %lld by %s is still within its lease)",
			job, (long long)sqlite3_column_int64(s, 0), store_col_text(s, 1));
		sqlite3_reset(s);
		return ERR_CONFLICT;
	}
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, "run claim");
}

int store_ops_run_claim(struct store *st, const char *job, const char *trigger, int64_t now,
			int lease, int exclusive, int64_t *run_id, int *expired, struct err *e)
{
	if (store_begin(st, e))
		return e->code;
	sqlite3_stmt *s = store_stmt(st, "UPDATE ops_runs SET state = 'expired', finished_at = ?1, "
				     "status = 'CRIT', message = '租约过期：运行中断，未完成 "
				     "(lease expired: the run crashed or was killed)' "
				     "WHERE state = 'running' AND lease_until <= ?1", e);
	if (!s)
		goto fail;
	sqlite3_bind_int64(s, 1, now);
	if (store_step_done(st, s, e, "expire runs"))
		goto fail;
	if (expired)
		*expired = sqlite3_changes(store_db(st));
	if (exclusive && run_busy(st, job, now, e))
		goto fail;
	s = store_stmt(st, "INSERT INTO ops_runs(job, trigger, state, started_at, lease_until) "
		       "VALUES (?1, ?2, 'running', ?3, ?4)", e);
	if (!s)
		goto fail;
	store_bind_text(s, 1, job);
	store_bind_text(s, 2, trigger);
	sqlite3_bind_int64(s, 3, now);
	sqlite3_bind_int64(s, 4, now + lease);
	if (store_step_done(st, s, e, "claim run"))
		goto fail;
	*run_id = sqlite3_last_insert_rowid(store_db(st));
	return store_commit(st, e);
fail:
	store_rollback(st);
	return e->code;
}

int store_ops_run_finish(struct store *st, int64_t run_id, const char *state, const char *status,
			 const char *message, const char *details, int64_t now, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE ops_runs SET state = ?2, status = ?3, message = ?4, "
				     "details = ?5, finished_at = ?6 WHERE id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, run_id);
	store_bind_text(s, 2, state);
	store_bind_text(s, 3, status);
	store_bind_text(s, 4, message ? message : "");
	store_bind_text(s, 5, details);
	sqlite3_bind_int64(s, 6, now);
	return store_step_done(st, s, e, "finish run");
}

int store_ops_run_renew(struct store *st, int64_t run_id, int64_t until, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE ops_runs SET lease_until = ?2 "
				     "WHERE id = ?1 AND state = 'running'", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_int64(s, 2, until);
	return store_step_done(st, s, e, "renew run");
}

int store_ops_runs_interrupt(struct store *st, int64_t now, const char *message, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE ops_runs SET state = 'interrupted', status = 'UNKNOWN', "
				     "finished_at = ?1, message = ?2 WHERE state = 'running'", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, now);
	store_bind_text(s, 2, message);
	return store_step_done(st, s, e, "interrupt runs");
}

/* Replace the "details" text of each row by the parsed object. */
static void parse_details(json_t *items)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		const char *d = json_string_value(json_object_get(it, "details"));
		json_t *v = d ? json_loads(d, 0, NULL) : NULL;
		json_object_set_new(it, "details", v ? v : json_null());
	}
}

#define RUN_COLS "id, job, trigger, state, status, started_at, lease_until, finished_at, message, details"

int store_ops_run_get(struct store *st, int64_t id, json_t **out, struct err *e)
{
	json_t *items;
	sqlite3_stmt *s = store_stmt(st, "SELECT " RUN_COLS " FROM ops_runs WHERE id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	if (store_rows_json(st, s, &items, e))
		return e->code;
	if (json_array_size(items) == 0) {
		json_decref(items);
		return err_set(e, ERR_NOTFOUND, "id", "运行记录不存在 (no such run: %lld)", (long long)id);
	}
	parse_details(items);
	*out = json_incref(json_array_get(items, 0));
	json_decref(items);
	return 0;
}

int store_ops_run_list(struct store *st, const char *job, const struct page *pg,
		       json_t **items, int64_t *total, struct err *e)
{
	struct store_list l = STORE_LIST("run list");
	/* job "inspect." matches every job starting with it; others exactly */
	if (job && *job && job[strlen(job) - 1] == '.')
		store_list_text(&l, "substr(job, 1, length(:job)) = :job", ":job", job);
	else if (job)
		store_list_text(&l, "job = :job", ":job", job);
	int rc = store_list_count(st, &l, "FROM ops_runs", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT " RUN_COLS " FROM ops_runs", "ORDER BY id DESC", pg, items, e);
	store_list_free(&l);
	if (!rc)
		parse_details(*items);
	return rc;
}

int store_ops_run_last(struct store *st, const char *job, int64_t *started_at, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT coalesce(max(started_at), 0) FROM ops_runs "
				     "WHERE job = ? AND state <> 'expired'", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, job);
	return store_count(st, s, started_at, e);
}

int store_ops_run_last_ok(struct store *st, const char *job, int64_t *finished_at, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT coalesce(max(finished_at), 0) FROM ops_runs "
				     "WHERE job = ? AND state = 'done' AND status = 'OK'", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, job);
	return store_count(st, s, finished_at, e);
}

int store_ops_runs_between(struct store *st, const char *job, int64_t from, int64_t to,
			   json_t **items, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " RUN_COLS " FROM ops_runs WHERE job = ?1 "
				     "AND started_at >= ?2 AND started_at < ?3 ORDER BY id", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, job);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	if (store_rows_json(st, s, items, e))
		return e->code;
	parse_details(*items);
	return 0;
}

/* ---- inspection results ----------------------------------------------------- */

/* Previous status of item into prev (empty when none) and since. */
static int prev_state(struct store *st, const char *item, char prev[16], int64_t *since, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT status, since FROM ops_item_state WHERE item = ?", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, item);
	int rc = sqlite3_step(s);
	prev[0] = 0;
	if (rc == SQLITE_ROW) {
		snprintf(prev, 16, "%s", store_col_text(s, 0));
		*since = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, "item state");
}

static int add_change(struct store *st, int64_t run_id, int64_t at, const struct ops_result *r,
		      const char *prev, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO ops_state_changes(item, at, run_id, from_status, "
				     "to_status, value, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, r->item);
	sqlite3_bind_int64(s, 2, at);
	sqlite3_bind_int64(s, 3, run_id);
	store_bind_text(s, 4, prev);
	store_bind_text(s, 5, store_ops_status_text(r->status));
	bind_real(s, 6, r->has_value, r->value);
	store_bind_text(s, 7, r->message);
	return store_step_done(st, s, e, "state change");
}

static int put_state(struct store *st, int64_t run_id, int64_t at, int64_t since,
		     const struct ops_result *r, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO ops_item_state(item, status, since, last_at, "
				     "last_run_id, value, unit, warn, crit, message) VALUES "
				     "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT(item) DO UPDATE SET "
				     "status = ?2, since = ?3, last_at = ?4, last_run_id = ?5, value = ?6, "
				     "unit = ?7, warn = ?8, crit = ?9, message = ?10", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, r->item);
	store_bind_text(s, 2, store_ops_status_text(r->status));
	sqlite3_bind_int64(s, 3, since);
	sqlite3_bind_int64(s, 4, at);
	sqlite3_bind_int64(s, 5, run_id);
	bind_real(s, 6, r->has_value, r->value);
	store_bind_text(s, 7, r->unit);
	bind_real(s, 8, 1, r->warn);
	bind_real(s, 9, 1, r->crit);
	store_bind_text(s, 10, r->message);
	return store_step_done(st, s, e, "item state");
}

int store_ops_result_add(struct store *st, int64_t run_id, int64_t at, const struct ops_result *r,
			 int *changed, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO ops_results(run_id, at, item, status, value, unit, "
				     "warn, crit, message) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, run_id);
	sqlite3_bind_int64(s, 2, at);
	store_bind_text(s, 3, r->item);
	store_bind_text(s, 4, store_ops_status_text(r->status));
	bind_real(s, 5, r->has_value, r->value);
	store_bind_text(s, 6, r->unit);
	bind_real(s, 7, 1, r->warn);
	bind_real(s, 8, 1, r->crit);
	store_bind_text(s, 9, r->message);
	if (store_step_done(st, s, e, "result"))
		return e->code;
	char prev[16];
	int64_t since = at;
	if (prev_state(st, r->item, prev, &since, e))
		return e->code;
	const char *now_status = store_ops_status_text(r->status);
	*changed = strcmp(prev, now_status) != 0 && (prev[0] || r->status != 0);
	if (strcmp(prev, now_status) != 0)
		since = at;
	if (*changed && add_change(st, run_id, at, r, prev, e))
		return e->code;
	return put_state(st, run_id, at, since, r, e);
}

#define RESULT_COLS "id, run_id, at, item, status, value, unit, warn, crit, message"

int store_ops_results_of_run(struct store *st, int64_t run_id, json_t **items, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " RESULT_COLS " FROM ops_results WHERE run_id = ? "
				     "ORDER BY id", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, run_id);
	return store_rows_json(st, s, items, e);
}

/* The filter of the results and state changes: an item, from <= at < to. */
static void item_filter(struct store_list *l, const char *item, int64_t from, int64_t to)
{
	if (item)
		store_list_text(l, "item = :item", ":item", item);
	store_list_int(l, "at >= :from", ":from", from);
	store_list_int(l, "at < :to", ":to", to);
}

int store_ops_results_list(struct store *st, const char *item, int64_t from, int64_t to,
			   const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	struct store_list l = STORE_LIST("result list");
	item_filter(&l, item, from, to);
	int rc = store_list_count(st, &l, "FROM ops_results", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT " RESULT_COLS " FROM ops_results", "ORDER BY at DESC, id DESC", pg,
				     items, e);
	store_list_free(&l);
	return rc;
}

int store_ops_results_between(struct store *st, int64_t from, int64_t to, json_t **items,
			      struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " RESULT_COLS " FROM ops_results "
				     "WHERE at >= ?1 AND at < ?2 ORDER BY at, id", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	return store_rows_json(st, s, items, e);
}

int store_ops_last_value(struct store *st, const char *item, int64_t before, double *value,
			 int64_t *at, int *found, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT value, at FROM ops_results WHERE item = ?1 AND at < ?2 "
				     "AND value IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, item);
	sqlite3_bind_int64(s, 2, before);
	int rc = sqlite3_step(s);
	*found = rc == SQLITE_ROW;
	if (*found) {
		*value = sqlite3_column_double(s, 0);
		*at = sqlite3_column_int64(s, 1);
	}
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, "last value");
}

int store_ops_states(struct store *st, json_t **items, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT item, status, since, last_at, last_run_id, value, unit, "
				     "warn, crit, message FROM ops_item_state ORDER BY item", e);
	return s ? store_rows_json(st, s, items, e) : e->code;
}

int store_ops_changes_list(struct store *st, const char *item, int64_t from, int64_t to,
			   const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	struct store_list l = STORE_LIST("state change list");
	item_filter(&l, item, from, to);
	int rc = store_list_count(st, &l, "FROM ops_state_changes", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT id, item, at, run_id, from_status, to_status, value, message "
				     "FROM ops_state_changes", "ORDER BY at DESC, id DESC", pg, items, e);
	store_list_free(&l);
	return rc;
}

/* ---- backups ---------------------------------------------------------------- */

int store_ops_backup_add(struct store *st, struct ops_backup_rec *b, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO ops_backups(run_id, created_at, path, size_bytes, "
				     "sha256, integrity, copy_ms, check_ms) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, b->run_id);
	sqlite3_bind_int64(s, 2, b->created_at);
	store_bind_text(s, 3, b->path);
	sqlite3_bind_int64(s, 4, b->size_bytes);
	store_bind_text(s, 5, b->sha256);
	store_bind_text(s, 6, b->integrity);
	sqlite3_bind_double(s, 7, b->copy_ms);
	sqlite3_bind_double(s, 8, b->check_ms);
	if (store_step_done(st, s, e, "backup record"))
		return e->code;
	b->id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

#define BACKUP_COLS "id, run_id, created_at, path, size_bytes, sha256, integrity, copy_ms, check_ms, " \
	"coalesce(removed_at, 0)"

static void read_backup(sqlite3_stmt *s, struct ops_backup_rec *b)
{
	memset(b, 0, sizeof *b);
	b->id = sqlite3_column_int64(s, 0);
	b->run_id = sqlite3_column_int64(s, 1);
	b->created_at = sqlite3_column_int64(s, 2);
	COPY(b->path, s, 3);
	b->size_bytes = sqlite3_column_int64(s, 4);
	COPY(b->sha256, s, 5);
	COPY(b->integrity, s, 6);
	b->copy_ms = sqlite3_column_double(s, 7);
	b->check_ms = sqlite3_column_double(s, 8);
	b->removed_at = sqlite3_column_int64(s, 9);
}

static int one_backup(struct store *st, sqlite3_stmt *s, struct ops_backup_rec *b, struct err *e)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		read_backup(s, b);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_NOTFOUND, "backup", "没有备份记录 (no backup record)");
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "backup");
}

int store_ops_backup_by_path(struct store *st, const char *path, struct ops_backup_rec *b,
			     struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " BACKUP_COLS " FROM ops_backups WHERE path = ? "
				     "ORDER BY id DESC LIMIT 1", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, path);
	return one_backup(st, s, b, e);
}

int store_ops_backup_newest(struct store *st, struct ops_backup_rec *b, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " BACKUP_COLS " FROM ops_backups WHERE integrity = 'ok' "
				     "AND removed_at IS NULL ORDER BY created_at DESC, id DESC LIMIT 1", e);
	return s ? one_backup(st, s, b, e) : e->code;
}

int store_ops_backups_present(struct store *st, struct ops_backup_rec **v, int *n, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " BACKUP_COLS " FROM ops_backups WHERE integrity = 'ok' "
				     "AND removed_at IS NULL ORDER BY created_at DESC, id DESC", e);
	if (!s)
		return e->code;
	struct ops_backup_rec *arr = NULL;
	int k = 0, rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		struct ops_backup_rec *grown = realloc(arr, (k + 1) * sizeof *arr);
		if (!grown)
			break;
		arr = grown;
		read_backup(s, &arr[k++]);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		free(arr);
		return rc == SQLITE_ROW ? err_set(e, ERR_INTERNAL, "", "out of memory")
			: store_sqlerr(st, e, "backups");
	}
	*v = arr;
	*n = k;
	return 0;
}

int store_ops_backup_removed(struct store *st, int64_t id, int64_t now, const char *reason,
			     struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE ops_backups SET removed_at = ?2, removed_reason = ?3 "
				     "WHERE id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	sqlite3_bind_int64(s, 2, now);
	store_bind_text(s, 3, reason);
	return store_step_done(st, s, e, "backup removed");
}

#define BACKUP_JSON_COLS "id, run_id, created_at, path, size_bytes, sha256, integrity, copy_ms, " \
	"check_ms, removed_at, removed_reason"

int store_ops_backup_list(struct store *st, const struct page *pg, json_t **items, int64_t *total,
			  struct err *e)
{
	struct store_list l = STORE_LIST("backup list");
	int rc = store_list_count(st, &l, "FROM ops_backups", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT " BACKUP_JSON_COLS " FROM ops_backups", "ORDER BY id DESC", pg, items,
				     e);
	store_list_free(&l);
	return rc;
}

int store_ops_backups_between(struct store *st, int64_t from, int64_t to, json_t **items,
			      struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " BACKUP_JSON_COLS " FROM ops_backups "
				     "WHERE created_at >= ?1 AND created_at < ?2 ORDER BY id", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	return store_rows_json(st, s, items, e);
}

/* ---- heartbeat, housekeeping, facts ----------------------------------------- */

int store_ops_heartbeat_put(struct store *st, const char *name, int64_t at, int pid,
			    int64_t started_at, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO ops_heartbeat(name, at, pid, started_at) "
				     "VALUES (?1, ?2, ?3, ?4) ON CONFLICT(name) DO UPDATE SET "
				     "at = ?2, pid = ?3, started_at = ?4", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, name);
	sqlite3_bind_int64(s, 2, at);
	sqlite3_bind_int(s, 3, pid);
	sqlite3_bind_int64(s, 4, started_at);
	return store_step_done(st, s, e, "heartbeat");
}

int store_ops_heartbeat_get(struct store *st, const char *name, int64_t *at, int *pid,
			    struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT at, pid FROM ops_heartbeat WHERE name = ?", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, name);
	int rc = sqlite3_step(s);
	*at = rc == SQLITE_ROW ? sqlite3_column_int64(s, 0) : 0;
	*pid = rc == SQLITE_ROW ? sqlite3_column_int(s, 1) : 0;
	sqlite3_reset(s);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, "heartbeat");
}

static int prune_one(struct store *st, const char *sql, int64_t before, int64_t *deleted,
		     struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, sql, e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, before);
	if (store_step_done(st, s, e, "prune"))
		return e->code;
	*deleted += sqlite3_changes(store_db(st));
	return 0;
}

int store_ops_prune(struct store *st, int64_t before, int64_t *deleted, struct err *e)
{
	*deleted = 0;
	if (store_begin(st, e))
		return e->code;
	if (prune_one(st, "DELETE FROM ops_results WHERE at < ?1", before, deleted, e) ||
	    prune_one(st, "DELETE FROM ops_state_changes WHERE at < ?1", before, deleted, e) ||
	    prune_one(st, "DELETE FROM ops_runs WHERE started_at < ?1 AND job LIKE 'inspect.%' "
		      "AND state <> 'running' AND NOT EXISTS (SELECT 1 FROM ops_results r WHERE r.run_id = ops_runs.id) "
		      "AND NOT EXISTS (SELECT 1 FROM ops_item_state i WHERE i.last_run_id = ops_runs.id)",
		      before, deleted, e)) {
		store_rollback(st);
		return e->code;
	}
	return store_commit(st, e);
}

int store_ops_created_at(struct store *st, int64_t *at, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT coalesce(min(applied_at), 0) FROM schema_version", e);
	return s ? store_count(st, s, at, e) : e->code;
}

int store_ops_table_counts(struct store *st, json_t **out, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT name FROM sqlite_master WHERE type = 'table' "
				     "AND name NOT LIKE 'sqlite_%' ORDER BY name", e);
	if (!s)
		return e->code;
	json_t *obj = json_object();
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		char sql[200];
		sqlite3_stmt *c;
		snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\"", store_col_text(s, 0));
		/* dynamic names: a one-off statement, not the cache */
		if (sqlite3_prepare_v2(store_db(st), sql, -1, &c, NULL) != SQLITE_OK)
			break;
		if (sqlite3_step(c) == SQLITE_ROW)
			json_object_set_new(obj, store_col_text(s, 0), json_integer(sqlite3_column_int64(c, 0)));
		sqlite3_finalize(c);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		json_decref(obj);
		return store_sqlerr(st, e, "table counts");
	}
	*out = obj;
	return 0;
}

int store_ops_check(struct store *st, int full, char *first, size_t cap, int *problems,
		    struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, full ? "PRAGMA integrity_check" : "PRAGMA quick_check", e);
	if (!s)
		return e->code;
	int rc;
	*problems = 0;
	snprintf(first, cap, "ok");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const char *line = store_col_text(s, 0);
		if (strcmp(line, "ok") == 0)
			continue;
		if (*problems == 0)
			snprintf(first, cap, "%s", line);
		(*problems)++;
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		int code = store_sqlerr(st, e, full ? "integrity_check" : "quick_check");
		/* a damaged file often fails the check itself: report it as a problem */
		snprintf(first, cap, "%s", e->msg);
		(*problems)++;
		return code;
	}
	return 0;
}

int store_ops_pages(struct store *st, int64_t *pages, int64_t *free_pages, int64_t *page_size,
		    struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "PRAGMA page_count", e);
	if (!s || store_count(st, s, pages, e))
		return e->code;
	s = store_stmt(st, "PRAGMA freelist_count", e);
	if (!s || store_count(st, s, free_pages, e))
		return e->code;
	s = store_stmt(st, "PRAGMA page_size", e);
	return s && !store_count(st, s, page_size, e) ? 0 : e->code;
}

/* ---- reports ------------------------------------------------------------------ */

int store_ops_item_summary(struct store *st, int64_t from, int64_t to, json_t **items,
			   struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT item, count(*) AS checks, "
				     "sum(status = 'OK') AS ok, sum(status = 'WARN') AS warn, "
				     "sum(status = 'CRIT') AS crit, sum(status = 'UNKNOWN') AS unknown, "
				     "avg(value) AS avg, max(value) AS max, min(value) AS min, "
				     "max(unit) AS unit FROM ops_results "
				     "WHERE at >= ?1 AND at < ?2 GROUP BY item ORDER BY item", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	return store_rows_json(st, s, items, e);
}

int store_ops_item_daily(struct store *st, const char *item, int64_t from, int64_t to,
			 json_t **items, struct err *e)
{
	/* days in Asia/Shanghai: shift by +8 h before cutting into days */
	sqlite3_stmt *s = store_stmt(st, "SELECT (at + 28800) / 86400 AS dayno, avg(value) AS avg, "
				     "max(value) AS max, min(value) AS min, count(value) AS n FROM ops_results "
				     "WHERE item = ?1 AND at >= ?2 AND at < ?3 AND value IS NOT NULL "
				     "GROUP BY (at + 28800) / 86400 ORDER BY 1", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, item);
	sqlite3_bind_int64(s, 2, from);
	sqlite3_bind_int64(s, 3, to);
	return store_rows_json(st, s, items, e);
}
