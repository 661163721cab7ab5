/*
** api_repair.c: 数据修复 over REST (repair/repair.h; docs/api.md 数据修复).
**   GET  /api/repairs?status=&page=&page_size=    the repairs, newest first
**   POST /api/repairs                             a request object {"op",…,"reason"}; "dry_run": true
**                                                 answers the preview and stores nothing (ops)
**   GET  /api/repairs/{id}                        one repair with its before -> after changes
**   POST /api/repairs/{id}/approve | reject       {"note"?} (repair_approve, not the proposer)
**   POST /api/repairs/{id}/apply                  (ops) after approval
**   POST /api/repairs/{id}/undo                   {"reason"} (ops)
**   GET  /api/repairs/finding/{id}                the operation pre-filled for a 数据质检 finding
** Permissions are the domain's; the routes' role gates only keep others out early.
** Dated actions use http_now (X-GG-Now in sanitizer builds).
*/
#include "db/db.h"
#include "http/http.h"
#include "base/json.h"
#include "workday/workday.h"
#include "quality/quality.h"
#include "repair/repair.h"

#include <stdlib.h>
#include <string.h>

#define READERS (ROLE_OPS | ROLE_REPAIR | ROLE_LEADER)

/* The environment of apply/undo: the shared calendar (given back by env_put). */
static void env_get(struct http_req *r, struct case_env *cases, struct repair_env *env)
{
	*cases = (struct case_env){.cal = cal_shared_get(r->app->cal), .dl = r->app->deadlines, .observers = db_case_observers(),
				   .cache = r->app->case_cache,
				   .public_url = r->app->conf ? conf_str(r->app->conf, "server", "public_url", "") : ""};
	*env = (struct repair_env){cases, r->app->repair_hooks};
}

static void env_put(struct http_req *r, struct case_env *cases)
{
	cal_shared_put(r->app->cal, (struct cal *)cases->cal);
}

static int list(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *o;
	if (http_page(r, &pg, e) || repair_list(r->st, &r->me, http_query(r, "status"), &pg, &o, e))
		return e->code;
	w->json = http_list(json_incref(json_object_get(o, "items")), json_integer_value(json_object_get(o, "total")),
			    &pg);
	json_decref(o);
	return 0;
}

static int show(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	if (http_param_id(r, 0, &id, e))
		return e->code;
	return repair_show(r->st, &r->me, id, &w->json, e);
}

static int propose(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct case_env cases;
	struct repair_env env;
	json_t *req = json_deep_copy(r->json);
	json_t *dry = json_object_get(req, "dry_run");
	if (dry && !json_is_boolean(dry)) {
		json_decref(req);
		return err_set(e, ERR_INVALID, "dry_run", "dry_run 应为布尔值");
	}
	int dry_run = json_is_true(dry);
	json_object_del(req, "dry_run");
	env_get(r, &cases, &env);
	int rc = repair_propose(r->st, &env, &r->me, http_now(r), req, dry_run, &w->json, e);
	env_put(r, &cases);
	json_decref(req);
	if (!rc && !dry_run)
		w->status = 201;
	return rc;
}

static int decide(struct http_req *r, struct http_resp *w, int approve, struct err *e)
{
	int64_t id;
	static const struct jfield fields[] = {{"note", J_STRING, 0}, {NULL, 0, 0}};
	if (http_param_id(r, 0, &id, e) || http_body(r, fields, e))
		return e->code;
	return repair_decide(r->st, &r->me, http_now(r), id, approve, json_get_str(r->json, "note", NULL), &w->json, e);
}

static int approve(struct http_req *r, struct http_resp *w, struct err *e)
{
	return decide(r, w, 1, e);
}

static int reject(struct http_req *r, struct http_resp *w, struct err *e)
{
	return decide(r, w, 0, e);
}

static int apply_or_undo(struct http_req *r, struct http_resp *w, int undo, struct err *e)
{
	int64_t id;
	struct case_env cases;
	struct repair_env env;
	static const struct jfield fields[] = {{"reason", J_STRING, 0}, {NULL, 0, 0}};
	if (http_param_id(r, 0, &id, e) || http_body(r, fields, e))
		return e->code;
	env_get(r, &cases, &env);
	int rc = undo ? repair_undo(r->st, &env, &r->me, http_now(r), id, json_get_str(r->json, "reason", NULL),
				    &w->json, e)
		      : repair_apply(r->st, &env, &r->me, http_now(r), id, &w->json, e);
	env_put(r, &cases);
	return rc;
}

static int apply(struct http_req *r, struct http_resp *w, struct err *e)
{
	return apply_or_undo(r, w, 0, e);
}

static int undo(struct http_req *r, struct http_resp *w, struct err *e)
{
	return apply_or_undo(r, w, 1, e);
}

static int for_finding(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	json_t *f;
	if (http_param_id(r, 0, &id, e) || quality_finding(r->st, &r->me, id, &f, e))
		return e->code;
	json_t *op = repair_for_finding(json_get_str(f, "rule", ""), json_get_str(f, "object_kind", ""),
					json_get_str(f, "object", ""), id);
	w->json = json_pack("{s:I,s:s,s:s,s:o}", "finding", (json_int_t)id, "rule", json_get_str(f, "rule", ""),
			    "object", json_get_str(f, "object", ""), "operation", op ? op : json_null());
	json_decref(f);
	return 0;
}

const struct route api_repair_routes[] = {
	{"GET", "/api/repairs", list, READERS, 0},
	{"POST", "/api/repairs", propose, ROLE_OPS, 0},
	{"GET", "/api/repairs/finding/{id}", for_finding, ROLE_OPS, 0},
	{"GET", "/api/repairs/{id}", show, READERS, 0},
	{"POST", "/api/repairs/{id}/approve", approve, ROLE_REPAIR, 0},
	{"POST", "/api/repairs/{id}/reject", reject, ROLE_REPAIR, 0},
	{"POST", "/api/repairs/{id}/apply", apply, ROLE_OPS, 0},
	{"POST", "/api/repairs/{id}/undo", undo, ROLE_OPS, 0},
	{NULL, NULL, NULL, 0, 0},
};
