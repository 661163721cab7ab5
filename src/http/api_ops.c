/*
** api_ops.c: built-in operations over REST, for the O&M engineer (role ops;
** the system administrator may read).
**   GET  /api/inspections                 current status per item, latest changes, scheduler
**   GET  /api/inspections/runs            inspection runs, newest first (?page, ?job)
**   GET  /api/inspections/runs/{id}       one run with its results
**   GET  /api/inspections/results         results (?item, ?from, ?to, paged): an item's history
**   GET  /api/inspections/changes         state changes (?item, ?from, ?to, paged)
**   POST /api/inspections/run             {"only"?: "host,net.x", "wait"?: bool}
**   GET  /api/backups                     backup records, newest first
**   POST /api/backups                     {"wait"?}: back up now
**   POST /api/backups/drill               {"wait"?}: restore drill now
**   POST /api/cleanup                     {"dry_run"?, "wait"?}: log and temp-file cleanup now
**   GET  /api/ops/runs                    every ops run (?job=backup|drill|cleanup|inspect.)
**   GET  /api/ops/runs/{id}
**   GET  /api/reports/inspection          ?day=YYYY-MM-DD | ?month=YYYY-MM, &format=xlsx|html
** Jobs run on the scheduler thread (ops/sched.h), never on an HTTP worker:
** POST claims the run (so it is visible at once), queues it and answers 202
** {"run_id"}; with "wait": true it waits up to 30 s and answers 200 with the
** finished run. The jobs write their own audit rows (ops.inspect, ops.backup,
** ops.drill, ops.cleanup); the report download writes ops.report.
*/
#include "http/http.h"
#include "ops/ops.h"
#include "ops/report.h"
#include "ops/sched.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define OPS_READ (ROLE_OPS | ROLE_SYSADMIN)
#define WAIT_MS 30000

static int sched_of(struct http_req *r, struct ops_sched **s, struct err *e)
{
	*s = r->app->ops;
	if (!*s)
		return err_set(e, ERR_CONFLICT, "", "运维调度器未运行 (scheduler not running)");
	return 0;
}

/* ---- reading ---------------------------------------------------------------------------- */

static int status(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct ops_sched *s;
	if (sched_of(r, &s, e) || ops_status_json(r->st, ops_sched_conf(s), r->now, &w->json, e))
		return e->code;
	return 0;
}

static int list_runs_of(struct http_req *r, struct http_resp *w, const char *def_job, struct err *e)
{
	struct page pg;
	json_t *items;
	int64_t total;
	const char *job = http_query(r, "job");
	if (http_page(r, &pg, e) || ops_run_list(r->st, job ? job : def_job, &pg, &items, &total, e))
		return e->code;
	w->json = http_list(items, total, &pg);
	return 0;
}

static int list_inspection_runs(struct http_req *r, struct http_resp *w, struct err *e)
{
	return list_runs_of(r, w, "inspect.", e);
}

static int list_ops_runs(struct http_req *r, struct http_resp *w, struct err *e)
{
	return list_runs_of(r, w, NULL, e);
}

static int get_run(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	if (http_param_id(r, 0, &id, e) || ops_run_json(r->st, id, &w->json, e))
		return e->code;
	return 0;
}

static int list_results(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *items;
	int64_t from, to, total;
	if (http_page(r, &pg, e) || http_query_time(r, "from", 0, &from, e) || http_query_time(r, "to", INT64_MAX, &to, e) ||
	    ops_results_list(r->st, http_query(r, "item"), from, to, &pg, &items, &total, e))
		return e->code;
	w->json = http_list(items, total, &pg);
	return 0;
}

static int list_changes(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *items;
	int64_t from, to, total;
	if (http_page(r, &pg, e) || http_query_time(r, "from", 0, &from, e) || http_query_time(r, "to", INT64_MAX, &to, e) ||
	    ops_changes_list(r->st, http_query(r, "item"), from, to, &pg, &items, &total, e))
		return e->code;
	w->json = http_list(items, total, &pg);
	return 0;
}

static int list_backups(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *items;
	int64_t total;
	if (http_page(r, &pg, e) || ops_backup_list(r->st, &pg, &items, &total, e))
		return e->code;
	w->json = http_list(items, total, &pg);
	return 0;
}

/* ---- jobs ----------------------------------------------------------------------------------- */

static int start_job(struct http_req *r, struct http_resp *w, int job, const char *name, const char *only,
		     int dry_run, struct err *e)
{
	struct ops_sched *s;
	int64_t id;
	if (sched_of(r, &s, e) || ops_sched_run(s, r->st, job, name, &r->me, r->now, only, dry_run, &id, e))
		return e->code;
	if (json_is_true(json_object_get(r->json, "wait")) && ops_sched_wait(s, id, WAIT_MS))
		return ops_run_json(r->st, id, &w->json, e);
	w->status = 202;
	w->json = json_pack("{s:I,s:s,s:s}", "run_id", (json_int_t)id, "job", name, "state", "running");
	return 0;
}

static int run_inspection(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {{"only", J_STRING_OR_NULL, 0}, {"wait", J_BOOL, 0}, {NULL}};
	struct ops_sched *s;
	if (http_body(r, f, e) || sched_of(r, &s, e))
		return e->code;
	const char *only = json_string_value(json_object_get(r->json, "only"));
	if (only && strlen(only) >= 256)
		return err_set(e, ERR_INVALID, "only", "选择过长 (too long)");
	if (ops_only_check(ops_sched_conf(s), only, e))
		return e->code;
	return start_job(r, w, OPS_JOB_INSPECT, "inspect.manual", only, 0, e);
}

static int run_backup(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {{"wait", J_BOOL, 0}, {NULL}};
	return http_body(r, f, e) ? e->code : start_job(r, w, OPS_JOB_BACKUP, "backup", NULL, 0, e);
}

static int run_drill(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {{"wait", J_BOOL, 0}, {NULL}};
	return http_body(r, f, e) ? e->code : start_job(r, w, OPS_JOB_DRILL, "drill", NULL, 0, e);
}

static int run_cleanup(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {{"dry_run", J_BOOL, 0}, {"wait", J_BOOL, 0}, {NULL}};
	if (http_body(r, f, e))
		return e->code;
	return start_job(r, w, OPS_JOB_CLEANUP, "cleanup", NULL, json_is_true(json_object_get(r->json, "dry_run")), e);
}

/* ---- reports ---------------------------------------------------------------------------------- */

static int report(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct ops_sched *s;
	struct ops_period p;
	int format;
	char *body;
	size_t len;
	const char *fmt = http_query(r, "format");
	if (sched_of(r, &s, e) || ops_period_parse(http_query(r, "day"), http_query(r, "month"), &p, e) ||
	    ops_report_format_parse(fmt ? fmt : "xlsx", &format, e) ||
	    ops_report_render(r->st, ops_sched_conf(s), &r->me, r->now, &p, format, NULL, &body, &len, e))
		return e->code;
	w->body = body;
	w->body_len = len;
	w->free_body = 1;
	w->content_type = format == OPS_REPORT_XLSX
		? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" : "text/html; charset=utf-8";
	snprintf(w->disposition, sizeof w->disposition, "%s; filename=\"inspection-%s.%s\"",
		 format == OPS_REPORT_XLSX ? "attachment" : "inline", p.label, format == OPS_REPORT_XLSX ? "xlsx" : "html");
	return 0;
}

const struct route api_ops_routes[] = {
	{"GET", "/api/inspections", status, OPS_READ, 0},
	{"GET", "/api/inspections/runs", list_inspection_runs, OPS_READ, 0},
	{"GET", "/api/inspections/runs/{id}", get_run, OPS_READ, 0},
	{"GET", "/api/inspections/results", list_results, OPS_READ, 0},
	{"GET", "/api/inspections/changes", list_changes, OPS_READ, 0},
	{"POST", "/api/inspections/run", run_inspection, ROLE_OPS, 0},
	{"GET", "/api/backups", list_backups, OPS_READ, 0},
	{"POST", "/api/backups", run_backup, ROLE_OPS, 0},
	{"POST", "/api/backups/drill", run_drill, ROLE_OPS, 0},
	{"POST", "/api/cleanup", run_cleanup, ROLE_OPS, 0},
	{"GET", "/api/ops/runs", list_ops_runs, OPS_READ, 0},
	{"GET", "/api/ops/runs/{id}", get_run, OPS_READ, 0},
	{"GET", "/api/reports/inspection", report, OPS_READ, 0},
	{NULL},
};
