/*
** api_stats.c: statistics over REST (stats/stats_query.h; docs/api.md 统计).
**   GET  /api/stats/overview              the dashboard: current counts
**   GET  /api/stats?period=&from=&to=&group=&format=json|csv|xlsx
**   POST /api/stats/lights                run the light pass now (on demand)
** Department heads read their own department, leaders the whole city
** (stats_scope_of). The first statistics read of a day runs the light pass
** when nobody has yet (stats_lights_if_stale), so lights are never older
** than the day. Sanitizer builds honour "X-GG-Now: <epoch seconds>" like
** api_case.c, so tests can read at any instant.
*/
#include "db/db.h"
#include "http/http.h"
#include "workday/workday.h"
#include "stats/stats_live.h"
#include "stats/stats_query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STATS_ROLES (ROLE_HEAD | ROLE_LEADER)

static void env_get(struct http_req *r, struct case_env *env)
{
	*env = (struct case_env){.cal = cal_shared_get(r->app->cal), .dl = r->app->deadlines,
				   .observers = db_case_observers()};
}

static void env_put(struct http_req *r, struct case_env *env)
{
	cal_shared_put(r->app->cal, env->cal);
}

static void trigger_of(const struct http_req *r, char *buf, size_t n)
{
	snprintf(buf, n, "api:%s", r->me.username);
}

static int overview(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct stats_scope sc;
	struct case_env env;
	char trig[80];
	int64_t now = http_now(r);
	if (stats_scope_of(&r->me, &sc, e))
		return e->code;
	trigger_of(r, trig, sizeof trig);
	env_get(r, &env);
	int rc = stats_lights_if_stale(r->st, &env, now, trig, e);
	if (!rc)
		rc = stats_overview(r->st, &sc, now, &w->json, e);
	env_put(r, &env);
	return rc;
}

/* The report as a download: the body, its type and a file name. */
static int download(const struct stats_report *rep, int csv, struct http_resp *w, struct err *e)
{
	char a[CAL_DATE_LEN], b[CAL_DATE_LEN];
	cal_date_format(rep->period.from, a);
	cal_date_format(rep->period.to, b);
	if (csv) {
		struct buf out = {0};
		stats_report_csv(rep, 0, &out);
		w->body = out.data;
		w->body_len = out.len;
		w->content_type = "text/csv; charset=utf-8";
	} else {
		if (stats_report_xlsx_mem(rep, &w->body, &w->body_len, e))
			return e->code;
		w->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	}
	w->free_body = 1;
	snprintf(w->disposition, sizeof w->disposition, "attachment; filename=\"stats-%s-%s.%s\"", a, b,
		 csv ? "csv" : "xlsx");
	return 0;
}

/* format: 0 json, 1 csv, 2 xlsx; groups: the one asked, xlsx every one. */
static int request_of(struct http_req *r, int64_t now, struct stats_request *q, int *format, struct err *e)
{
	const char *f = http_query(r, "format"), *g = http_query(r, "group");
	int group = SG_DISTRICT;
	memset(q, 0, sizeof *q);
	q->now = now;
	*format = !f || !strcmp(f, "json") ? 0 : !strcmp(f, "csv") ? 1 : !strcmp(f, "xlsx") ? 2 : -1;
	if (*format < 0)
		return err_set(e, ERR_INVALID, "format", "格式应为 json、csv 或 xlsx: %s", f);
	if (g && (group = stats_group_parse(g)) < 0)
		return err_set(e, ERR_INVALID, "group", "分组应为 district|department|item|stage|flow-type: %s", g);
	q->groups[q->ngroups++] = group;
	for (int k = 0; *format == 2 && k < SG_COUNT; k++)
		if (k != group)
			q->groups[q->ngroups++] = k;
	if (stats_scope_of(&r->me, &q->scope, e))
		return e->code;
	return stats_period_parse(http_query(r, "period"), http_query(r, "from"), http_query(r, "to"),
				  deadline_day(now), &q->period, e);
}

static int report(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct stats_request q;
	struct stats_report rep;
	struct case_env env;
	char trig[80];
	int format;
	int64_t now = http_now(r);
	if (request_of(r, now, &q, &format, e))
		return e->code;
	trigger_of(r, trig, sizeof trig);
	env_get(r, &env);
	int rc = stats_lights_if_stale(r->st, &env, now, trig, e);
	if (!rc)
		rc = stats_report_build(r->st, &env, &q, &rep, e);
	env_put(r, &env);
	if (rc)
		return e->code;
	if (format == 0)
		w->json = stats_report_json(&rep);
	else
		rc = download(&rep, format == 1, w, e);
	stats_report_free(&rep);
	return rc;
}

static int lights(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct case_env env;
	struct stats_pass p;
	char trig[80];
	if (http_body(r, (const struct jfield[]){{NULL}}, e))
		return e->code;
	trigger_of(r, trig, sizeof trig);
	env_get(r, &env);
	int rc = stats_lights(r->st, &env, http_now(r), trig, &p, e);
	env_put(r, &env);
	if (rc)
		return e->code;
	w->json = json_pack("{s:I,s:I,s:I}", "run_id", (json_int_t)p.run_id, "examined", (json_int_t)p.examined,
			    "changed", (json_int_t)p.changed);
	return 0;
}

const struct route api_stats_routes[] = {
	{"GET", "/api/stats/overview", overview, STATS_ROLES, 0},
	{"GET", "/api/stats", report, STATS_ROLES, 0},
	{"POST", "/api/stats/lights", lights, ROLE_LEADER | ROLE_OPS, 0},
	{NULL},
};
