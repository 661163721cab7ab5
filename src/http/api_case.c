/*
** api_case.c: the 办件 lifecycle over REST (approval/case.h; docs/api.md).
**   POST /api/projects/{id}/applications   {"stage","side_line"?,"items":[..],"opinion"?}
**   GET  /api/projects/{id}/timeline
**   GET  /api/cases                         ?district&department&item&stage&status&light
**                                           &from&to&q&sort&order&page&page_size
**   GET  /api/cases/{id}
**   POST /api/cases/{id}/actions            {"action", ...arguments of the action}
**   GET  /api/cases/{id}/documents/{kind}   printable A4 HTML
**   GET  /api/me/todo · GET /api/me/done
** A forbidden action answers 409 with the case's state and allowed actions
** next to the usual error fields. Sanitizer builds (GG_TESTING, the test
** binary) honour an "X-GG-Now: <epoch seconds>" header so tests can act on
** chosen days; release builds ignore it.
*/
#include "db/db.h"
#include "http/http.h"
#include "approval/case.h"
#include "workday/workday.h"

#include <stdlib.h>
#include <string.h>

#define CASE_ROLES (ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD | ROLE_LEADER)

/* The lifecycle environment of one request; give the calendar back with env_put. */
static void env_get(struct http_req *r, struct case_env *env)
{
	env->cal = cal_shared_get(r->app->cal);
	env->dl = r->app->deadlines;
	env->cache = r->app->case_cache;
	env->observers = db_case_observers();
	env->public_url = r->app->conf ? conf_str(r->app->conf, "server", "public_url", "") : "";
}

static void env_put(struct http_req *r, struct case_env *env)
{
	cal_shared_put(r->app->cal, env->cal);
}

/* A rendered JSON text as the response body (rc from producing it). */
static int text_body(struct http_resp *w, int rc, struct buf *b)
{
	if (rc)
		return rc;
	w->body = b->data;
	w->body_len = b->len;
	w->free_body = 1;
	w->content_type = "application/json; charset=utf-8";
	return 0;
}

/* ---- applications ------------------------------------------------------------------ */

/* An application handed to the case writer (group commit), as act_later. */
struct apply_later {
	struct case_writer *writer;
	struct case_env env;
	const char *codes[CASE_APPLY_MAX];
	struct case_application a;
	const struct principal *who;
	int64_t now, id;
	json_t *out;
	int rc;
	struct err e;
};

static void apply_start(void *arg, void (*resume)(void *token), void *token)
{
	struct apply_later *l = arg;
	if (case_writer_submit_apply(l->writer, &l->env, l->who, l->now, l->id, &l->a, &l->out, &l->rc, &l->e, resume,
				     token)) {
		l->rc = l->e.code;
		resume(token);
	}
}

static int apply_finish(struct http_req *r, struct http_resp *w, void *arg, struct err *e)
{
	struct apply_later *l = arg;
	int rc = l->rc;
	env_put(r, &l->env);
	if (rc) {
		*e = l->e;
	} else {
		w->status = 201;
		w->json = l->out;
	}
	free(l);
	return rc;
}

static int apply(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {
		{"stage", J_INT, 1}, {"side_line", J_STRING, 0}, {"items", J_ARRAY, 1},
		{"opinion", J_STRING, 0}, {"materials", J_OBJECT, 0}, {NULL},
	};
	const char *codes[CASE_APPLY_MAX];
	size_t i;
	json_t *v, *out;
	int64_t id;
	if (http_param_id(r, 0, &id, e) || http_body(r, f, e))
		return e->code;
	json_t *items = json_object_get(r->json, "items");
	json_array_foreach(items, i, v) {
		if (i == CASE_APPLY_MAX)
			break;   /* case_apply refuses the whole list below */
		if (!json_is_string(v))
			return err_set(e, ERR_INVALID, "items", "事项编码须为字符串 (item codes are strings)");
		codes[i] = json_string_value(v);
	}
	struct case_application a = {
		.stage = (int)json_get_int(r->json, "stage", 0), .side_line = json_get_str(r->json, "side_line", NULL),
		.items = codes, .nitems = json_array_size(items), .opinion = json_get_str(r->json, "opinion", NULL),
		.materials = json_object_get(r->json, "materials"),
	};
	if (r->app->case_writer) {
		struct apply_later *l = calloc(1, sizeof *l);
		if (!l)
			return err_set(e, ERR_INTERNAL, "", "out of memory");
		*l = (struct apply_later){.writer = r->app->case_writer, .a = a, .who = &r->me, .now = http_now(r),
					  .id = id};
		memcpy(l->codes, codes, a.nitems < CASE_APPLY_MAX ? a.nitems * sizeof *codes : sizeof codes);
		l->a.items = l->codes;
		env_get(r, &l->env);
		w->later = (struct http_later){apply_start, apply_finish, l};
		return 0;
	}
	struct case_env env;
	env_get(r, &env);
	int rc = case_apply(r->st, &env, &r->me, http_now(r), id, &a, &out, e);
	env_put(r, &env);
	if (rc)
		return rc;
	w->status = 201;
	w->json = out;
	return 0;
}

static int timeline(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	struct case_env env;
	if (http_param_id(r, 0, &id, e))
		return e->code;
	env_get(r, &env);
	int rc = case_timeline(r->st, &env, &r->me, http_now(r), id, &w->json, e);
	env_put(r, &env);
	return rc;
}

/* ---- reads ----------------------------------------------------------------------------- */

static int list(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	struct case_query q = {
		.district = http_query(r, "district"), .department = http_query(r, "department"),
		.item = http_query(r, "item"), .q = http_query(r, "q"),
		.from = http_query(r, "from"), .to = http_query(r, "to"),
	};
	int64_t stage, status;
	if (http_page(r, &pg, e) || http_query_int(r, "stage", 0, 0, 5, &stage, e) ||
	    http_query_int(r, "status", 0, 0, CASE_STATUS_MAX, &status, e) ||
	    case_query_parse(&q, http_query(r, "light"), http_query(r, "sort"), http_query(r, "order"), e))
		return e->code;
	q.stage = (int)stage;
	q.status = (int)status;
	json_t *items;
	int64_t total;
	int capped;
	struct case_env env;
	env_get(r, &env);
	int rc = case_list(r->st, &env, &r->me, http_now(r), &q, &pg, &items, &total, &capped, e);
	env_put(r, &env);
	if (rc)
		return rc;
	w->json = http_list(items, total, &pg);
	json_object_set_new(w->json, "total_capped", json_boolean(capped));
	return 0;
}

static int get(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	struct case_env env;
	struct buf b;
	if (http_param_id(r, 0, &id, e))
		return e->code;
	env_get(r, &env);
	int rc = case_get_text(r->st, &env, &r->me, http_now(r), id, &b, e);
	env_put(r, &env);
	return text_body(w, rc, &b);
}

static int mine(struct http_req *r, struct http_resp *w, struct err *e, int todo)
{
	struct page pg;
	json_t *items;
	int64_t total, counts[4];
	struct case_env env;
	const char *light = http_query(r, "light");
	int lt = -1, capped;
	if (http_page(r, &pg, e))
		return e->code;
	if (todo && light && (lt = deadline_light_parse(light)) < 0)
		return err_set(e, ERR_INVALID, "light", "light: green | yellow | red");
	env_get(r, &env);
	int rc = todo ? case_todo(r->st, &env, &r->me, http_now(r), lt, &pg, &items, &total, &capped, counts, e)
		: case_done(r->st, &env, &r->me, http_now(r), &pg, &items, &total, &capped, e);
	env_put(r, &env);
	if (rc)
		return rc;
	w->json = http_list(items, total, &pg);
	json_object_set_new(w->json, "total_capped", json_boolean(capped));
	if (todo)
		json_object_set_new(w->json, "counts", case_todo_counts_json(counts));
	return 0;
}

static int todo(struct http_req *r, struct http_resp *w, struct err *e) { return mine(r, w, e, 1); }
static int done(struct http_req *r, struct http_resp *w, struct err *e) { return mine(r, w, e, 0); }

static int document(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	struct buf b = {0};
	struct case_env env;
	if (http_param_id(r, 0, &id, e))
		return e->code;
	env_get(r, &env);
	int rc = case_document(r->st, &env, &r->me, http_now(r), id, r->params[1], &b, e);
	env_put(r, &env);
	if (rc)
		return rc;
	w->body = b.data;
	w->body_len = b.len;
	w->free_body = 1;
	w->content_type = "text/html; charset=utf-8";
	return 0;
}

/* ---- actions ---------------------------------------------------------------------------- */

/* The answer to an action: the case after it, or for 409 the state and what
** is allowed. */
static int act_answer(struct http_req *r, struct http_resp *w, int64_t id, int rc, struct err *e)
{
	if (rc == ERR_CONFLICT) {
		w->status = 409;
		w->json = case_conflict_json(r->st, id, e);
		return 0;
	}
	return rc;
}

/* An action handed to the case writer (group commit): the request waits
** without its worker (http.h, w->later) and renders the case afterwards. */
struct act_later {
	struct case_writer *writer;
	struct case_env env;
	struct case_input in;
	const struct principal *who;
	int64_t now, id;
	int rc;
	struct err e;
};

static void act_start(void *arg, void (*resume)(void *token), void *token)
{
	struct act_later *a = arg;
	if (case_writer_submit(a->writer, &a->env, a->who, a->now, a->id, &a->in, &a->rc, &a->e, resume, token)) {
		a->rc = a->e.code;
		resume(token);
	}
}

static int act_finish(struct http_req *r, struct http_resp *w, void *arg, struct err *e)
{
	struct act_later *a = arg;
	struct buf b = {0};
	int rc = a->rc;
	if (rc)
		*e = a->e;
	else if ((rc = case_get_text(r->st, &a->env, &r->me, a->now, a->id, &b, e)) == 0)
		text_body(w, 0, &b);
	else
		buf_free(&b);
	env_put(r, &a->env);
	rc = act_answer(r, w, a->id, rc, e);
	free(a);
	return rc;
}

static int act(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {
		{"action", J_STRING, 1}, {"opinion", J_STRING, 0}, {"materials", J_ARRAY, 0},
		{"materials_days", J_INT, 0}, {"type", J_INT, 0}, {"kind", J_STRING, 0}, {"limit", J_INT, 0},
		{"reason", J_STRING, 0}, {"result", J_STRING, 0}, {"to_user", J_STRING, 0},
		{"tolerance", J_BOOL, 0}, {NULL},
	};
	int64_t id;
	if (http_param_id(r, 0, &id, e) || http_body(r, f, e))
		return e->code;
	const char *name = json_get_str(r->json, "action", "");
	struct case_input in = {
		.action = case_action_parse(name), .opinion = json_get_str(r->json, "opinion", NULL),
		.materials = json_object_get(r->json, "materials"),
		.materials_days = (int)json_get_int(r->json, "materials_days", 0),
		.special_type = (int)json_get_int(r->json, "type", 0), .special_kind = json_get_str(r->json, "kind", NULL),
		.special_limit = (int)json_get_int(r->json, "limit", 0), .reason = json_get_str(r->json, "reason", NULL),
		.result = json_get_str(r->json, "result", NULL), .to_user = json_get_str(r->json, "to_user", NULL),
		.tolerance = json_get_bool(r->json, "tolerance", 0),
	};
	int materials = strcmp(name, "materials_received") == 0;   /* not a status change */
	if (!materials && (in.action < 0 || in.action == CASE_A_RECEIVE))
		return err_set(e, ERR_INVALID, "action", "未知操作: %s (unknown action)", name);
	if (!materials && r->app->case_writer) {
		struct act_later *a = calloc(1, sizeof *a);
		if (!a)
			return err_set(e, ERR_INTERNAL, "", "out of memory");
		*a = (struct act_later){.writer = r->app->case_writer, .in = in, .who = &r->me, .now = http_now(r), .id = id};
		env_get(r, &a->env);
		w->later = (struct http_later){act_start, act_finish, a};
		return 0;
	}
	struct case_env env;
	int rc;
	env_get(r, &env);
	if (materials) {
		rc = case_materials_received(r->st, &env, &r->me, http_now(r), id, e);
		if (!rc)
			rc = case_get(r->st, &env, &r->me, http_now(r), id, &w->json, e);
	} else {
		rc = case_act(r->st, &env, &r->me, http_now(r), id, &in, &w->json, e);
	}
	env_put(r, &env);
	return act_answer(r, w, id, rc, e);
}

const struct route api_case_routes[] = {
	{"POST", "/api/projects/{id}/applications", apply, ROLE_CLERK | ROLE_HEAD, 0},
	{"GET", "/api/projects/{id}/timeline", timeline, CASE_ROLES, 0},
	{"GET", "/api/cases", list, CASE_ROLES, 0},
	{"GET", "/api/cases/{id}", get, CASE_ROLES, 0},
	{"POST", "/api/cases/{id}/actions", act, ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD, 0},
	{"GET", "/api/cases/{id}/documents/{kind}", document, CASE_ROLES, 0},
	{"GET", "/api/me/todo", todo, ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD, 0},
	{"GET", "/api/me/done", done, ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD, 0},
	{NULL, NULL, NULL, 0, 0},
};
