/*
** store_desk_svc.c: SQL of the desk's other services (see store_desk.h):
** requests and their events, consultations, the knowledge base, trainings
** and 技术骨干, drill plans and records, visits, and the month's figures.
*/
#include "store/store_desk.h"
#include "store/store_int.h"
#include "store/store_list.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define COPY(dst, s, i) snprintf((dst), sizeof(dst), "%s", store_col_text((s), (i)))

static void bind_id(sqlite3_stmt *s, int i, int64_t id)
{
	if (id > 0)
		sqlite3_bind_int64(s, i, id);
	else
		sqlite3_bind_null(s, i);
}

static void bind_real(sqlite3_stmt *s, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(s, i);
	else
		sqlite3_bind_double(s, i, v);
}

static int inserted(struct store *st, sqlite3_stmt *s, int64_t *id, struct err *e, const char *what)
{
	if (store_step_done(st, s, e, what))
		return e->code;
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

/* ---- requests ----------------------------------------------------------------------- */

int store_desk_request_insert(struct store *st, const struct desk_request *r, int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO desk_requests(kind, title, description, status, requester_id, "
				     "requester, unit, links, visit_id, created_at, updated_at) "
				     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, r->kind);
	store_bind_text(s, 2, r->title);
	store_bind_text(s, 3, r->description);
	store_bind_text(s, 4, r->status);
	bind_id(s, 5, r->requester_id);
	store_bind_text(s, 6, r->requester);
	store_bind_text(s, 7, r->unit);
	store_bind_text(s, 8, r->links[0] ? r->links : "[]");
	bind_id(s, 9, r->visit_id);
	sqlite3_bind_int64(s, 10, r->created_at);
	sqlite3_bind_int64(s, 11, r->updated_at);
	return inserted(st, s, id, e, "insert request");
}

int store_desk_request_get(struct store *st, int64_t id, struct desk_request *r, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, kind, title, description, status, requester_id, requester, unit, "
				     "feasibility, estimate_days, reply, reason, scheduled_for, delivered_at, links, "
				     "visit_id, created_at, updated_at FROM desk_requests WHERE id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		memset(r, 0, sizeof *r);
		r->id = sqlite3_column_int64(s, 0);
		COPY(r->kind, s, 1);
		COPY(r->title, s, 2);
		COPY(r->description, s, 3);
		COPY(r->status, s, 4);
		r->requester_id = sqlite3_column_int64(s, 5);
		COPY(r->requester, s, 6);
		COPY(r->unit, s, 7);
		COPY(r->feasibility, s, 8);
		r->estimate_days = sqlite3_column_type(s, 9) == SQLITE_NULL ? NAN : sqlite3_column_double(s, 9);
		COPY(r->reply, s, 10);
		COPY(r->reason, s, 11);
		COPY(r->scheduled_for, s, 12);
		r->delivered_at = sqlite3_column_int64(s, 13);
		COPY(r->links, s, 14);
		r->visit_id = sqlite3_column_int64(s, 15);
		r->created_at = sqlite3_column_int64(s, 16);
		r->updated_at = sqlite3_column_int64(s, 17);
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_NOTFOUND, "id", "需求不存在 (no request %lld)", (long long)id);
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "request");
}

int store_desk_request_update(struct store *st, const struct desk_request *r, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE desk_requests SET status = ?2, feasibility = ?3, estimate_days = ?4, "
				     "reply = ?5, reason = ?6, scheduled_for = ?7, delivered_at = ?8, links = ?9, "
				     "updated_at = ?10 WHERE id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, r->id);
	store_bind_text(s, 2, r->status);
	store_bind_text(s, 3, r->feasibility);
	bind_real(s, 4, r->estimate_days);
	store_bind_text(s, 5, r->reply);
	store_bind_text(s, 6, r->reason);
	store_bind_text(s, 7, r->scheduled_for);
	bind_id(s, 8, r->delivered_at);
	store_bind_text(s, 9, r->links[0] ? r->links : "[]");
	sqlite3_bind_int64(s, 10, r->updated_at);
	return store_step_done(st, s, e, "update request");
}

int store_desk_request_list(struct store *st, const char *status, int64_t requester_id, const char *q,
			    const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	struct store_list l = STORE_LIST("request list");
	if (status)
		store_list_text(&l, "status = :status", ":status", status);
	if (requester_id)
		store_list_int(&l, "requester_id = :requester", ":requester", requester_id);
	if (q && *q)
		store_list_text(&l, "instr(title, :q) > 0", ":q", q);
	int rc = store_list_count(st, &l, "FROM desk_requests", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT id, kind, title, status, requester, unit, estimate_days, scheduled_for, "
				     "delivered_at, visit_id, created_at, updated_at FROM desk_requests", "ORDER BY id DESC",
				     pg, items, e);
	store_list_free(&l);
	return rc;
}

int store_desk_request_event_add(struct store *st, int64_t request_id, int64_t at, const char *action,
				 const char *actor, const char *note, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO desk_request_events(request_id, at, action, actor, note) "
				     "VALUES (?, ?, ?, ?, ?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, request_id);
	sqlite3_bind_int64(s, 2, at);
	store_bind_text(s, 3, action);
	store_bind_text(s, 4, actor);
	store_bind_text(s, 5, note ? note : "");
	return store_step_done(st, s, e, "request event");
}

int store_desk_request_events(struct store *st, int64_t request_id, json_t **items, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT at, action, actor, note FROM desk_request_events "
				     "WHERE request_id = ? ORDER BY at, id", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, request_id);
	return store_rows_json(st, s, items, e);
}

/* ---- consultations and the knowledge base ----------------------------------------------- */

int store_desk_consult_insert(struct store *st, const struct desk_consult_row *c, int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO desk_consults(at, caller, unit, channel, question, answer, "
				     "category, minutes, article_id, created_by, created_at) "
				     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, c->at);
	store_bind_text(s, 2, c->caller);
	store_bind_text(s, 3, c->unit ? c->unit : "");
	store_bind_text(s, 4, c->channel);
	store_bind_text(s, 5, c->question);
	store_bind_text(s, 6, c->answer ? c->answer : "");
	store_bind_text(s, 7, c->category ? c->category : "");
	sqlite3_bind_int(s, 8, c->minutes);
	bind_id(s, 9, c->article_id);
	store_bind_text(s, 10, c->created_by);
	sqlite3_bind_int64(s, 11, c->created_at);
	if (store_step_done(st, s, e, "insert consultation")) {
		if (e->code == ERR_CONFLICT)
			err_set(e, ERR_INVALID, "article_id", "知识库文章不存在 (no such article)");
		return e->code;
	}
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_desk_consult_list(struct store *st, const char *q, int64_t from, int64_t to, const struct page *pg,
			    json_t **items, int64_t *total, struct err *e)
{
	struct store_list l = STORE_LIST("consultation list");
	if (from)
		store_list_int(&l, "at >= :from", ":from", from);
	if (to)
		store_list_int(&l, "at < :to", ":to", to);
	if (q && *q)
		store_list_text(&l, "(instr(question, :q) > 0 OR instr(answer, :q) > 0 OR instr(caller, :q) > 0 "
				"OR instr(unit, :q) > 0)", ":q", q);
	int rc = store_list_count(st, &l, "FROM desk_consults", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT id, at, caller, unit, channel, question, answer, category, minutes, "
				     "article_id, created_by FROM desk_consults", "ORDER BY at DESC, id DESC", pg, items, e);
	store_list_free(&l);
	return rc;
}

int store_desk_article_insert(struct store *st, const struct desk_article_row *a, int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO desk_articles(title, body, tags, created_by, created_at, "
				     "updated_at) VALUES (?1, ?2, ?3, ?4, ?5, ?5)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, a->title);
	store_bind_text(s, 2, a->body);
	store_bind_text(s, 3, a->tags ? a->tags : "");
	store_bind_text(s, 4, a->by);
	sqlite3_bind_int64(s, 5, a->at);
	return inserted(st, s, id, e, "insert article");
}

int store_desk_article_update(struct store *st, const struct desk_article_row *a, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE desk_articles SET title = ?2, body = ?3, tags = ?4, updated_at = ?5 "
				     "WHERE id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, a->id);
	store_bind_text(s, 2, a->title);
	store_bind_text(s, 3, a->body);
	store_bind_text(s, 4, a->tags ? a->tags : "");
	sqlite3_bind_int64(s, 5, a->at);
	if (store_step_done(st, s, e, "update article"))
		return e->code;
	if (sqlite3_changes(store_db(st)) == 0)
		return err_set(e, ERR_NOTFOUND, "id", "文章不存在 (no article %lld)", (long long)a->id);
	return 0;
}

int store_desk_article_get(struct store *st, int64_t id, json_t **out, struct err *e)
{
	json_t *rows;
	sqlite3_stmt *s = store_stmt(st, "SELECT id, title, body, tags, created_by, created_at, updated_at "
				     "FROM desk_articles WHERE id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	if (store_rows_json(st, s, &rows, e))
		return e->code;
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return *out ? 0 : err_set(e, ERR_NOTFOUND, "id", "文章不存在 (no article %lld)", (long long)id);
}

int store_desk_article_search(struct store *st, const char *q, const char *tag, const struct page *pg,
			      json_t **items, int64_t *total, struct err *e)
{
	struct store_list l = STORE_LIST("article search");
	if (q && *q)
		store_list_text(&l, "(instr(title, :q) > 0 OR instr(body, :q) > 0 OR instr(tags, :q) > 0)", ":q", q);
	if (tag && *tag)
		store_list_text(&l, "instr(',' || replace(tags, ' ', '') || ',', ',' || :tag || ',') > 0", ":tag", tag);
	int rc = store_list_count(st, &l, "FROM desk_articles", total, e);
	/* titles holding q first */
	if (!rc)
		rc = store_list_page(st, &l, "SELECT id, title, substr(body, 1, 200) AS excerpt, tags, updated_at "
				     "FROM desk_articles", q && *q ? "ORDER BY (instr(title, :q) > 0) DESC, updated_at DESC, "
				     "id DESC" : "ORDER BY updated_at DESC, id DESC", pg, items, e);
	store_list_free(&l);
	return rc;
}

/* ---- trainings ---------------------------------------------------------------------------- */

int store_desk_training_insert(struct store *st, const struct desk_training_row *t, int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO desk_trainings(day, topic, trainer, hours, materials, feedback, "
				     "created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, t->day);
	store_bind_text(s, 2, t->topic);
	store_bind_text(s, 3, t->trainer);
	sqlite3_bind_double(s, 4, t->hours);
	store_bind_text(s, 5, t->materials ? t->materials : "");
	bind_real(s, 6, t->feedback);
	store_bind_text(s, 7, t->by);
	sqlite3_bind_int64(s, 8, t->at);
	return inserted(st, s, id, e, "insert training");
}

int store_desk_training_attend(struct store *st, int64_t training_id, int64_t user_id, int completed,
			       struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO desk_training_attendees(training_id, user_id, completed) "
				     "VALUES (?, ?, ?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, training_id);
	sqlite3_bind_int64(s, 2, user_id);
	sqlite3_bind_int(s, 3, completed);
	return store_step_done(st, s, e, "attendee");
}

int store_desk_training_list(struct store *st, const struct page *pg, json_t **items, int64_t *total,
			     struct err *e)
{
	struct store_list l = STORE_LIST("training list");
	int rc = store_list_count(st, &l, "FROM desk_trainings t", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT t.id, t.day, t.topic, t.trainer, t.hours, t.materials, t.feedback, "
				     "t.created_by, (SELECT coalesce(group_concat(u.username, ','), '') FROM "
				     "desk_training_attendees a JOIN users u ON u.id = a.user_id WHERE a.training_id = t.id) "
				     "AS attendees FROM desk_trainings t", "ORDER BY t.day DESC, t.id DESC", pg, items, e);
	store_list_free(&l);
	return rc;
}

int store_desk_file_add(struct store *st, struct desk_file_row *f, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO desk_files(owner, owner_id, name, mime, ext, size, sha256, "
				     "uploaded_at, uploaded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, f->owner);
	sqlite3_bind_int64(s, 2, f->owner_id);
	store_bind_text(s, 3, f->name);
	store_bind_text(s, 4, f->mime);
	store_bind_text(s, 5, f->ext);
	sqlite3_bind_int64(s, 6, f->size);
	store_bind_text(s, 7, f->sha256);
	sqlite3_bind_int64(s, 8, f->uploaded_at);
	store_bind_text(s, 9, f->uploaded_by);
	return inserted(st, s, &f->id, e, "desk file");
}

int store_desk_files(struct store *st, const char *owner, int64_t owner_id, json_t **rows, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, name, mime, ext, size, sha256, uploaded_at, uploaded_by "
				     "FROM desk_files WHERE owner = ?1 AND owner_id = ?2 ORDER BY id", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, owner);
	sqlite3_bind_int64(s, 2, owner_id);
	return store_rows_json(st, s, rows, e);
}

int store_desk_file_get(struct store *st, int64_t id, struct desk_file_row *f, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT owner, owner_id, name, mime, ext, size, sha256, uploaded_at, "
				     "uploaded_by FROM desk_files WHERE id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*f = (struct desk_file_row){.id = id, .owner_id = sqlite3_column_int64(s, 1),
					    .size = sqlite3_column_int64(s, 5), .uploaded_at = sqlite3_column_int64(s, 7)};
		snprintf(f->owner, sizeof f->owner, "%s", (const char *)sqlite3_column_text(s, 0));
		snprintf(f->name, sizeof f->name, "%s", (const char *)sqlite3_column_text(s, 2));
		snprintf(f->mime, sizeof f->mime, "%s", (const char *)sqlite3_column_text(s, 3));
		snprintf(f->ext, sizeof f->ext, "%s", (const char *)sqlite3_column_text(s, 4));
		snprintf(f->sha256, sizeof f->sha256, "%s", (const char *)sqlite3_column_text(s, 6));
		snprintf(f->uploaded_by, sizeof f->uploaded_by, "%s", (const char *)sqlite3_column_text(s, 8));
	}
	sqlite3_reset(s);
	if (rc == SQLITE_DONE)
		return err_set(e, ERR_NOTFOUND, "id", "文件不存在 (no such file)");
	if (rc != SQLITE_ROW)
		return err_set(e, ERR_INTERNAL, "", "desk file: %s", sqlite3_errmsg(store_db(st)));
	return 0;
}

int store_desk_training_exists(struct store *st, int64_t id)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT 1 FROM desk_trainings WHERE id = ?1", NULL);
	if (!s)
		return 0;
	sqlite3_bind_int64(s, 1, id);
	int found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return found;
}

int store_desk_backbone_set(struct store *st, int64_t user_id, int on, int64_t at, const char *note,
			    struct err *e)
{
	sqlite3_stmt *s = on ? store_stmt(st, "INSERT INTO desk_backbones(user_id, since, note) VALUES (?1, ?2, ?3) "
					  "ON CONFLICT(user_id) DO UPDATE SET note = ?3", e)
			     : store_stmt(st, "DELETE FROM desk_backbones WHERE user_id = ?1", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, user_id);
	if (on) {
		sqlite3_bind_int64(s, 2, at);
		store_bind_text(s, 3, note ? note : "");
	}
	return store_step_done(st, s, e, "backbone");
}

int store_desk_backbones(struct store *st, json_t **items, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT u.username, u.display_name, b.since, b.note, "
				     "(SELECT coalesce(group_concat(t.topic || ' (' || t.day || ')', '; '), '') "
				     " FROM desk_training_attendees a JOIN desk_trainings t ON t.id = a.training_id "
				     " WHERE a.user_id = b.user_id AND a.completed = 1) AS completed, "
				     "(SELECT coalesce(sum(t.hours), 0) FROM desk_training_attendees a "
				     " JOIN desk_trainings t ON t.id = a.training_id "
				     " WHERE a.user_id = b.user_id AND a.completed = 1) AS hours "
				     "FROM desk_backbones b JOIN users u ON u.id = b.user_id ORDER BY u.username", e);
	return s ? store_rows_json(st, s, items, e) : e->code;
}

/* ---- drills ----------------------------------------------------------------------------------- */

int store_desk_plan_insert(struct store *st, const struct desk_plan_row *p, int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO desk_drill_plans(code, name, scenario, steps, roles, created_at) "
				     "VALUES (?, ?, ?, ?, ?, ?)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, p->code);
	store_bind_text(s, 2, p->name);
	store_bind_text(s, 3, p->scenario);
	store_bind_text(s, 4, p->steps);
	store_bind_text(s, 5, p->roles ? p->roles : "");
	sqlite3_bind_int64(s, 6, p->at);
	if (store_step_done(st, s, e, "insert plan")) {
		if (e->code == ERR_CONFLICT)
			err_set(e, ERR_CONFLICT, "code", "预案编码已存在: %s", p->code);
		return e->code;
	}
	*id = sqlite3_last_insert_rowid(store_db(st));
	return 0;
}

int store_desk_plan_list(struct store *st, json_t **items, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT id, code, name, scenario, steps, roles, created_at "
				     "FROM desk_drill_plans ORDER BY id", e);
	size_t i;
	json_t *it;
	if (!s || store_rows_json(st, s, items, e))
		return e->code;
	json_array_foreach(*items, i, it) {
		json_t *steps = json_loads(json_string_value(json_object_get(it, "steps")), 0, NULL);
		json_object_set_new(it, "steps", steps ? steps : json_array());
	}
	return 0;
}

int store_desk_plan_exists(struct store *st, int64_t id, int *found, struct err *e)
{
	int64_t n;
	sqlite3_stmt *s = store_stmt(st, "SELECT count(*) FROM desk_drill_plans WHERE id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	if (store_count(st, s, &n, e))
		return e->code;
	*found = n > 0;
	return 0;
}

int store_desk_drill_insert(struct store *st, const struct desk_drill_row *d, int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO desk_drills(plan_id, started_at, ended_at, participants, results, "
				     "problems, tickets, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, d->plan_id);
	sqlite3_bind_int64(s, 2, d->started_at);
	sqlite3_bind_int64(s, 3, d->ended_at);
	store_bind_text(s, 4, d->participants ? d->participants : "");
	store_bind_text(s, 5, d->results);
	store_bind_text(s, 6, d->problems ? d->problems : "");
	store_bind_text(s, 7, d->tickets);
	store_bind_text(s, 8, d->by);
	sqlite3_bind_int64(s, 9, d->at);
	return inserted(st, s, id, e, "insert drill");
}

#define DRILLS "SELECT 'desk' AS source, d.id, p.code AS plan, p.name AS plan_name, d.started_at, d.ended_at, " \
	"d.participants, d.results, d.problems, d.tickets, '' AS status FROM desk_drills d " \
	"JOIN desk_drill_plans p ON p.id = d.plan_id UNION ALL " \
	"SELECT 'ops', r.id, 'backup', (SELECT name FROM desk_drill_plans WHERE code = 'backup'), r.started_at, " \
	"coalesce(r.finished_at, r.started_at), r.trigger, '[]', CASE WHEN r.status = 'OK' THEN '' ELSE r.message END, " \
	"'[]', r.status FROM ops_runs r WHERE r.job = 'drill' AND r.state <> 'running'"

int store_desk_drill_list(struct store *st, const struct page *pg, json_t **items, int64_t *total,
			  struct err *e)
{
	size_t i;
	json_t *it;
	struct store_list l = STORE_LIST("drill list");
	int rc = store_list_count(st, &l, "FROM (" DRILLS ")", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT * FROM (" DRILLS ")", "ORDER BY started_at DESC", pg, items, e);
	store_list_free(&l);
	if (rc)
		return rc;
	json_array_foreach(*items, i, it) {
		json_t *r = json_loads(json_string_value(json_object_get(it, "results")), 0, NULL);
		json_t *t = json_loads(json_string_value(json_object_get(it, "tickets")), 0, NULL);
		json_object_set_new(it, "results", r ? r : json_array());
		json_object_set_new(it, "tickets", t ? t : json_array());
	}
	return 0;
}

/* ---- visits ------------------------------------------------------------------------------------ */

int store_desk_visit_insert(struct store *st, const struct desk_visit_row *v, int64_t *id, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO desk_visits(day, unit, contact, score_response, score_quality, "
				     "score_attitude, comments, pain_points, created_by, created_at) "
				     "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, v->day);
	store_bind_text(s, 2, v->unit);
	store_bind_text(s, 3, v->contact ? v->contact : "");
	sqlite3_bind_int(s, 4, v->score_response);
	sqlite3_bind_int(s, 5, v->score_quality);
	sqlite3_bind_int(s, 6, v->score_attitude);
	store_bind_text(s, 7, v->comments ? v->comments : "");
	store_bind_text(s, 8, v->pain_points);
	store_bind_text(s, 9, v->by);
	sqlite3_bind_int64(s, 10, v->at);
	return inserted(st, s, id, e, "insert visit");
}

static void parse_pain_points(json_t *items)
{
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it) {
		json_t *p = json_loads(json_string_value(json_object_get(it, "pain_points")), 0, NULL);
		json_object_set_new(it, "pain_points", p ? p : json_array());
	}
}

#define VISIT_COLS "id, day, unit, contact, score_response, score_quality, score_attitude, comments, " \
	"pain_points, created_by, created_at"

int store_desk_visit_get(struct store *st, int64_t id, json_t **out, struct err *e)
{
	json_t *rows;
	sqlite3_stmt *s = store_stmt(st, "SELECT " VISIT_COLS " FROM desk_visits WHERE id = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, id);
	if (store_rows_json(st, s, &rows, e))
		return e->code;
	parse_pain_points(rows);
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	return *out ? 0 : err_set(e, ERR_NOTFOUND, "id", "回访记录不存在 (no visit %lld)", (long long)id);
}

int store_desk_visit_set_pain_points(struct store *st, int64_t id, const char *pain_points, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "UPDATE desk_visits SET pain_points = ? WHERE id = ?", e);
	if (!s)
		return e->code;
	store_bind_text(s, 1, pain_points);
	sqlite3_bind_int64(s, 2, id);
	return store_step_done(st, s, e, "visit pain points");
}

int store_desk_visit_list(struct store *st, const struct page *pg, json_t **items, int64_t *total,
			  struct err *e)
{
	struct store_list l = STORE_LIST("visit list");
	int rc = store_list_count(st, &l, "FROM desk_visits", total, e);
	if (!rc)
		rc = store_list_page(st, &l, "SELECT " VISIT_COLS " FROM desk_visits", "ORDER BY day DESC, id DESC", pg,
				     items, e);
	store_list_free(&l);
	if (!rc)
		parse_pain_points(*items);
	return rc;
}

/* ---- the month ----------------------------------------------------------------------------------- */

int store_desk_month_services(struct store *st, int64_t from, int64_t to, const char *day_from,
			      const char *day_to, json_t **out, struct err *e)
{
	json_t *rows, *by;
	sqlite3_stmt *s = store_stmt(st, "SELECT "
		"(SELECT count(*) FROM desk_requests WHERE created_at >= ?1 AND created_at < ?2) AS requests, "
		"(SELECT count(*) FROM desk_requests WHERE delivered_at >= ?1 AND delivered_at < ?2) AS delivered, "
		"(SELECT count(*) FROM desk_consults WHERE at >= ?1 AND at < ?2) AS consults, "
		"(SELECT coalesce(sum(minutes), 0) FROM desk_consults WHERE at >= ?1 AND at < ?2) AS consult_minutes, "
		"(SELECT count(*) FROM desk_trainings WHERE day >= ?3 AND day < ?4) AS trainings, "
		"(SELECT coalesce(sum(hours), 0) FROM desk_trainings WHERE day >= ?3 AND day < ?4) AS training_hours, "
		"(SELECT count(*) FROM desk_training_attendees a JOIN desk_trainings t ON t.id = a.training_id "
		" WHERE t.day >= ?3 AND t.day < ?4) AS attendances, "
		"(SELECT count(*) FROM desk_drills WHERE started_at >= ?1 AND started_at < ?2) AS drills, "
		"(SELECT count(*) FROM ops_runs WHERE job = 'drill' AND state <> 'running' AND started_at >= ?1 "
		" AND started_at < ?2) AS restore_drills, "
		"(SELECT count(*) FROM desk_visits WHERE day >= ?3 AND day < ?4) AS visits, "
		"(SELECT avg(score_response) FROM desk_visits WHERE day >= ?3 AND day < ?4) AS score_response, "
		"(SELECT avg(score_quality) FROM desk_visits WHERE day >= ?3 AND day < ?4) AS score_quality, "
		"(SELECT avg(score_attitude) FROM desk_visits WHERE day >= ?3 AND day < ?4) AS score_attitude", e);
	if (!s)
		return e->code;
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	store_bind_text(s, 3, day_from);
	store_bind_text(s, 4, day_to);
	if (store_rows_json(st, s, &rows, e))
		return e->code;
	s = store_stmt(st, "SELECT status, count(*) AS n FROM desk_requests WHERE created_at >= ?1 AND created_at < ?2 "
		       "GROUP BY status ORDER BY status", e);
	if (!s) {
		json_decref(rows);
		return e->code;
	}
	sqlite3_bind_int64(s, 1, from);
	sqlite3_bind_int64(s, 2, to);
	if (store_rows_json(st, s, &by, e)) {
		json_decref(rows);
		return e->code;
	}
	*out = json_incref(json_array_get(rows, 0));
	json_decref(rows);
	json_object_set_new(*out, "requests_by_status", by);
	return 0;
}
