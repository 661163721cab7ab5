/*
** api_quality.c: 数据质检 over REST (quality/quality.h; docs/api.md 数据质检).
**   GET  /api/quality/overview                  open findings by group, weekly trend, rejections
**   GET  /api/quality/findings?status=&rule=&department=&district=&object=&page=&page_size=
**   GET  /api/quality/findings/{id}             one finding with its history
**   POST /api/quality/findings/{id}/dismiss     {"reason"} (leader)
**   POST /api/quality/run                       {"rule"?} run now (leader, ops)
**   GET  /api/quality/runs                      recorded runs
**   GET  /api/quality/rules                     the rules as they stand
**   GET  /api/quality/rules/export              the catalogue as a file
**   POST /api/quality/rules/import              a catalogue document
**   PUT  /api/quality/rules/{id}                {"enabled"?,"severity"?,"params"?,"note"?}
**   GET  /api/quality/rules/{id}/history        stored versions
**   GET  /api/quality/notice?period=YYYY-MM&format=json|xlsx|html   the 通报
** Scopes and permissions are the domain's (quality_*); the province's
** rejections come from app->quality_sources when the wiring registered one.
** Dated actions use http_now (X-GG-Now in sanitizer builds).
*/
#include "http/http.h"
#include "calendar/cal_admin.h"
#include "quality/quality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define READERS (ROLE_HEAD | ROLE_REVIEWER | ROLE_LEADER | ROLE_OPS)
#define EDITORS (ROLE_LEADER | ROLE_CATALOG | ROLE_SYSADMIN)

/* The run's environment: the shared calendar (given back by env_put). */
static int env_get(struct http_req *r, struct quality_env *env, struct err *e)
{
	memset(env, 0, sizeof *env);
	if (quality_conf_load(r->app->conf, &env->conf, e))
		return e->code;
	env->cal = cal_shared_get(r->app->cal);
	env->sources = r->app->quality_sources;
	env->threads = 2;
	return 0;
}

static void env_put(struct http_req *r, struct quality_env *env)
{
	cal_shared_put(r->app->cal, (struct cal *)env->cal);
}

static int findings(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	struct quality_filter f = {http_query(r, "status"), http_query(r, "rule"), http_query(r, "department"),
				   http_query(r, "district"), http_query(r, "object")};
	json_t *o;
	if (http_page(r, &pg, e) || quality_findings(r->st, &r->me, &f, &pg, &o, e))
		return e->code;
	w->json = http_list(json_incref(json_object_get(o, "items")), json_integer_value(json_object_get(o, "total")),
			    &pg);
	json_decref(o);
	return 0;
}

static int finding(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	if (http_param_id(r, 0, &id, e))
		return e->code;
	return quality_finding(r->st, &r->me, id, &w->json, e);
}

static int dismiss(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield fields[] = {{"reason", J_STRING, 1}, {NULL}};
	int64_t id;
	if (http_param_id(r, 0, &id, e) || http_body(r, fields, e) ||
	    quality_dismiss(r->st, &r->me, http_now(r), id, json_get_str(r->json, "reason", ""), e))
		return e->code;
	return quality_finding(r->st, &r->me, id, &w->json, e);
}

static int overview(struct http_req *r, struct http_resp *w, struct err *e)
{
	return quality_overview(r->st, &r->me, http_now(r), &w->json, e);
}

static int run(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield fields[] = {{"rule", J_STRING, 0}, {NULL}};
	struct quality_env env;
	if (http_body(r, fields, e) || env_get(r, &env, e))
		return e->code;
	int rc = quality_run(r->st, &env, &r->me, http_now(r), "api", json_get_str(r->json, "rule", NULL), &w->json, e);
	env_put(r, &env);
	return rc;
}

static int runs(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *o;
	if (http_page(r, &pg, e) || quality_runs(r->st, &r->me, &pg, &o, e))
		return e->code;
	w->json = http_list(json_incref(json_object_get(o, "items")), json_integer_value(json_object_get(o, "total")),
			    &pg);
	json_decref(o);
	return 0;
}

static int rules(struct http_req *r, struct http_resp *w, struct err *e)
{
	json_t *list;
	if (quality_rules(r->st, &list, e))
		return e->code;
	w->json = json_pack("{s:o}", "items", list);
	return 0;
}

static int rules_export(struct http_req *r, struct http_resp *w, struct err *e)
{
	json_t *doc;
	if (quality_rules_export(r->st, &doc, e))
		return e->code;
	w->body = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(doc);
	if (!w->body)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	w->body_len = strlen(w->body);
	w->free_body = 1;
	w->content_type = "application/json; charset=utf-8";
	snprintf(w->disposition, sizeof w->disposition, "attachment; filename=\"quality-rules.json\"");
	return 0;
}

static int rules_import(struct http_req *r, struct http_resp *w, struct err *e)
{
	int n = 0;
	if (quality_rules_import(r->st, &r->me, http_now(r), r->json, &n, e))
		return e->code;
	w->json = json_pack("{s:i}", "versions", n);
	return 0;
}

static int rule_update(struct http_req *r, struct http_resp *w, struct err *e)
{
	return quality_rule_update(r->st, &r->me, http_now(r), r->params[0], r->json, &w->json, e);
}

static int rule_history(struct http_req *r, struct http_resp *w, struct err *e)
{
	return quality_rule_history(r->st, r->params[0], &w->json, e);
}

static int notice(struct http_req *r, struct http_resp *w, struct err *e)
{
	const char *f = http_query(r, "format"), *period = http_query(r, "period");
	int format = !f || !strcmp(f, "json") ? 0 : !strcmp(f, "xlsx") ? 1 : !strcmp(f, "html") ? 2 : -1;
	struct quality_env env;
	json_t *n;
	if (format < 0)
		return err_set(e, ERR_INVALID, "format", "格式应为 json、xlsx 或 html: %s", f);
	if (env_get(r, &env, e))
		return e->code;
	int rc = quality_notice(r->st, &env, &r->me, http_now(r), period, &n, e);
	env_put(r, &env);
	if (rc)
		return rc;
	if (format == 0) {
		w->json = n;
		return 0;
	}
	rc = format == 1 ? quality_notice_xlsx(n, &w->body, &w->body_len, e) : quality_notice_html(n, &w->body, e);
	json_decref(n);
	if (rc)
		return rc;
	if (format == 2)
		w->body_len = strlen(w->body);
	w->free_body = 1;
	w->content_type = format == 1 ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
				       : "text/html; charset=utf-8";
	snprintf(w->disposition, sizeof w->disposition, "%s; filename=\"quality-notice-%s.%s\"",
		 format == 1 ? "attachment" : "inline", period, format == 1 ? "xlsx" : "html");
	return 0;
}

const struct route api_quality_routes[] = {
	{"GET", "/api/quality/overview", overview, READERS, 0},
	{"GET", "/api/quality/findings", findings, READERS, 0},
	{"GET", "/api/quality/findings/{id}", finding, READERS, 0},
	{"POST", "/api/quality/findings/{id}/dismiss", dismiss, ROLE_LEADER, 0},
	{"POST", "/api/quality/run", run, ROLE_LEADER | ROLE_OPS, 0},
	{"GET", "/api/quality/runs", runs, READERS, 0},
	{"GET", "/api/quality/rules", rules, READERS | EDITORS, 0},
	{"GET", "/api/quality/rules/export", rules_export, READERS | EDITORS, 0},
	{"POST", "/api/quality/rules/import", rules_import, EDITORS, 0},
	{"PUT", "/api/quality/rules/{id}", rule_update, EDITORS, 0},
	{"GET", "/api/quality/rules/{id}/history", rule_history, READERS | EDITORS, 0},
	{"GET", "/api/quality/notice", notice, READERS, 0},
	{NULL},
};
