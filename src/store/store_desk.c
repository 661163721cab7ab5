/*
** store_desk.c: SQL of the service desk (see store_desk.h). Portable SQL;
** the partial unique index of migration 0013 keeps one open ticket per
** inspection item or job.
*/
#include "store/store_desk.h"
#include "store/store_int.h"
#include "store/store_list.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY(dst, s, i) snprintf((dst), sizeof(dst), "%s", store_col_text((s), (i)))

#define TICKET_COLS "id, kind, title, description, level, category, status, reporter_id, reporter, " \
	"reported_at, created_at, updated_at, created_by, handler_id, handler, affected, source, " \
	"coalesce(source_ref, ''), links, cause, fix, prevention, rca"

static void bind_id(sqlite3_stmt *s, int i, int64_t id)
{
	if (id > 0)
		sqlite3_bind_int64(s, i, id);
	else
		sqlite3_bind_null(s, i);
}

int store_desk_ticket_insert(struct store *st, const struct desk_ticket *t, int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO desk_tickets(kind, title, description, level, category, "
				     "status, reporter_id, reporter, reported_at, created_at, updated_at, created_by, "
				     "handler_id, handler, affected, source, source_ref, links) VALUES "
				     "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, t->kind);
	store_bind_text(s, 2, t->title);
	store_bind_text(s, 3, t->description);
	sqlite3_bind_int(s, 4, t->level);
	store_bind_text(s, 5, t->category);
	store_bind_text(s, 6, t->status);
	bind_id(s, 7, t->reporter_id);
	store_bind_text(s, 8, t->reporter);
	sqlite3_bind_int64(s, 9, t->reported_at);
	sqlite3_bind_int64(s, 10, t->created_at);
	store_bind_text(s, 11, t->created_by);
	bind_id(s, 12, t->handler_id);
	store_bind_text(s, 13, t->handler);
	store_bind_text(s, 14, t->affected);
	store_bind_text(s, 15, t->source);
	store_bind_text(s, 16, t->source_ref[0] ? t->source_ref : NULL);
	store_bind_text(s, 17, t->links[0] ? t->links : "[]");
	if (store_step_done(st, s, e, "insert ticket")) {
		if (e->code == ERR_CONFLICT)
			err_set(e, ERR_CONFLICT, "source_ref", "%s 已有未关闭的工单 (an open ticket exists)",
				t->source_ref);
		return e->code;
	}
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

static void ticket_row(sqlite3_stmt *s, struct desk_ticket *t)
{
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(s, 0);
	COPY(t->kind, s, 1);
	COPY(t->title, s, 2);
	COPY(t->description, s, 3);
	t->level = sqlite3_column_int(s, 4);
	COPY(t->category, s, 5);
	COPY(t->status, s, 6);
	t->reporter_id = sqlite3_column_int64(s, 7);
	COPY(t->reporter, s, 8);
	t->reported_at = sqlite3_column_int64(s, 9);
	t->created_at = sqlite3_column_int64(s, 10);
	t->updated_at = sqlite3_column_int64(s, 11);
	COPY(t->created_by, s, 12);
	t->handler_id = sqlite3_column_int64(s, 13);
	COPY(t->handler, s, 14);
	COPY(t->affected, s, 15);
	COPY(t->source, s, 16);
	COPY(t->source_ref, s, 17);
	COPY(t->links, s, 18);
	COPY(t->cause, s, 19);
	COPY(t->fix, s, 20);
	COPY(t->prevention, s, 21);
	COPY(t->rca, s, 22);
}

int store_desk_ticket_get(struct store *st, int64_t id, struct desk_ticket *t, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT " TICKET_COLS " FROM desk_tickets WHERE id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		ticket_row(s, t);
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_NOTFOUND, "id", "工单不存在 (no ticket %lld)", (long long)id);
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "ticket");
}

int store_desk_ticket_update(struct store *st, const struct desk_ticket *t, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE desk_tickets SET status = ?2, handler_id = ?3, handler = ?4, "
				     "affected = ?5, links = ?6, cause = ?7, fix = ?8, prevention = ?9, rca = ?10, "
				     "updated_at = ?11, level = ?12, category = ?13 WHERE id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, t->id);
	store_bind_text(s, 2, t->status);
	bind_id(s, 3, t->handler_id);
	store_bind_text(s, 4, t->handler);
	store_bind_text(s, 5, t->affected);
	store_bind_text(s, 6, t->links[0] ? t->links : "[]");
	store_bind_text(s, 7, t->cause);
	store_bind_text(s, 8, t->fix);
	store_bind_text(s, 9, t->prevention);
	store_bind_text(s, 10, t->rca);
	sqlite3_bind_int64(s, 11, t->updated_at);
	sqlite3_bind_int(s, 12, t->level);
	store_bind_text(s, 13, t->category);
	return store_step_done(st, s, e, "update ticket");
}

int store_desk_ticket_open_ref(struct store *st, const char *ref, int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT coalesce(max(id), 0) FROM desk_tickets "
				     "WHERE source_ref = ? AND status <> 'closed'", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, ref);
	return store_count(st, s, id, e);
}

/* ---- listings ------------------------------------------------------------------- */

static void ticket_filter(const struct desk_filter *f, struct store_list *l)
{
	/* "active": every ticket not closed */
	if (f->status && strcmp(f->status, "active") == 0)
		store_list_and(l, "status <> 'closed'");
	else if (f->status)
		store_list_text(l, "status = :status", ":status", f->status);
	if (f->level)
		store_list_int(l, "level = :level", ":level", f->level);
	if (f->category)
		store_list_text(l, "category = :category", ":category", f->category);
	if (f->reporter_id)
		store_list_int(l, "reporter_id = :reporter", ":reporter", f->reporter_id);
	if (f->handler_id)
		store_list_int(l, "handler_id = :handler", ":handler", f->handler_id);
	if (f->from)
		store_list_int(l, "reported_at >= :from", ":from", f->from);
	if (f->to)
		store_list_int(l, "reported_at < :to", ":to", f->to);
	if (f->q && *f->q)
		store_list_text(l, "(instr(title, :q) > 0 OR instr(coalesce(source_ref, ''), :q) > 0)", ":q", f->q);
}

int store_desk_ticket_list(struct store *st, const struct desk_filter *f, const struct page *pg,
			   json_t **items, int64_t *total, struct err *e)
{
	struct store_list l = STORE_LIST("ticket list");
	ticket_filter(f, &l);
	int rc = store_list_count(st, &l, "FROM desk_tickets", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT id, kind, title, level, category, status, reporter_id, reporter, "
				     "reported_at, created_at, updated_at, handler_id, handler, source, source_ref "
				     "FROM desk_tickets", "ORDER BY reported_at DESC, id DESC", pg, items, e);
	store_list_free(&l);
	return rc;
}

int store_desk_ticket_ids(struct store *st, const struct desk_filter *f, int64_t **ids, int *n,
			  struct err *e)
{
	struct store_list l = STORE_LIST("ticket ids");
	ticket_filter(f, &l);
	sqlite3_stmt *s = store_list_stmt(st, &l, "SELECT id FROM desk_tickets", "ORDER BY reported_at, id", -1, 0, e);
	int cap = 64, rc = SQLITE_DONE;
	store_list_free(&l);
	*n = 0;
	*ids = NULL;
	if (!s)
		return e->code;
	int64_t *v = malloc(cap * sizeof *v);
	while (v && (rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (*n == cap) {
			int64_t *nv = realloc(v, (cap *= 2) * sizeof *v);
			if (!nv)
				break;
			v = nv;
		}
		v[(*n)++] = sqlite3_column_int64(s, 0);
	}
	if (v && rc != SQLITE_DONE)
		store_sqlerr(st, e, "ticket ids");
	sqlite3_finalize(s);
	if (!v || rc != SQLITE_DONE) {
		free(v);
		*n = 0;
		return v ? e->code : err_set(e, ERR_INTERNAL, "", "out of memory");
	}
	*ids = v;
	return 0;
}

int store_desk_archive_tickets(struct store *st, int64_t from, int64_t to, json_t **items, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, reported_at, level, category, status, title, reporter, "
				     "coalesce(source_ref, '') AS source_ref, cause FROM desk_tickets "
				     "WHERE reported_at >= ? AND reported_at < ? ORDER BY reported_at, id", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	return store_rows_json(st, s, items, e);
}

int store_desk_archive_requests(struct store *st, int64_t from, int64_t to, json_t **items, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, created_at, kind, status, title, requester, unit FROM desk_requests "
				     "WHERE created_at >= ? AND created_at < ? ORDER BY created_at, id", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	return store_rows_json(st, s, items, e);
}

/* ---- events --------------------------------------------------------------------- */

int store_desk_event_add(struct store *st, int64_t ticket_id, int64_t at, const char *action,
			 const char *actor, const char *note, const char *details, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO desk_events(ticket_id, at, action, actor, note, details) "
				     "VALUES (?, ?, ?, ?, ?, ?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, ticket_id);
	sqlite3_bind_int64(s, 2, at);
	store_bind_text(s, 3, action);
	store_bind_text(s, 4, actor);
	store_bind_text(s, 5, note ? note : "");
	store_bind_text(s, 6, details);
	return store_step_done(st, s, e, "ticket event");
}

int store_desk_events(struct store *st, int64_t ticket_id, json_t **items, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, ticket_id, at, action, actor, note, details FROM desk_events "
				     "WHERE ticket_id = ? ORDER BY at, id", e);
	size_t i;
	json_t *it;
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, ticket_id);
	if (store_rows_json(st, s, items, e))
		return e->code;
	json_array_foreach(*items, i, it) {
		const char *d = json_string_value(json_object_get(it, "details"));
		json_t *p = d ? json_loads(d, 0, NULL) : NULL;
		json_object_set_new(it, "details", p ? p : json_null());
	}
	return 0;
}

/* ---- outbox ----------------------------------------------------------------------- */

int store_desk_outbox_add(struct store *st, int64_t now, const char *body, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO desk_outbox(created_at, body, next_at) VALUES (?1, ?2, ?1)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, now);
	store_bind_text(s, 2, body);
	return store_step_done(st, s, e, "outbox");
}

int store_desk_outbox_due(struct store *st, int64_t now, int limit, json_t **items, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, body, attempts FROM desk_outbox "
				     "WHERE state = 'pending' AND next_at <= ? ORDER BY id LIMIT ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, now);
	sqlite3_bind_int(s, 2, limit);
	return store_rows_json(st, s, items, e);
}

int store_desk_outbox_mark(struct store *st, int64_t id, const char *state, int attempts, int64_t next_at,
			   int64_t now, const char *error, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE desk_outbox SET state = ?2, attempts = ?3, next_at = ?4, "
				     "sent_at = CASE WHEN ?2 = 'sent' THEN ?5 ELSE sent_at END, last_error = ?6 "
				     "WHERE id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	store_bind_text(s, 2, state);
	sqlite3_bind_int(s, 3, attempts);
	sqlite3_bind_int64(s, 4, next_at);
	sqlite3_bind_int64(s, 5, now);
	store_bind_text(s, 6, error ? error : "");
	return store_step_done(st, s, e, "outbox mark");
}

static int count_state(struct store *st, const char *state, int64_t *n, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT count(*) FROM desk_outbox WHERE state = ?", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, state);
	return store_count(st, s, n, e);
}

int store_desk_outbox_counts(struct store *st, int64_t *pending, int64_t *sent, int64_t *failed,
			     struct err *e)
{
	if (count_state(st, "pending", pending, e))
		return e->code;
	if (count_state(st, "sent", sent, e))
		return e->code;
	return count_state(st, "failed", failed, e);
}
