/*
** api_case_export.c: GET /api/cases/export?format=csv|xlsx&<the filters of
** GET /api/cases> — every matching case in the caller's data scope as one
** file, however many (approval/case_export.h). The file name carries the
** Asia/Shanghai date and the number of rows (办件列表-2026-12-07-17171条.csv),
** which the page reports. Dated actions use http_now.
*/
#include "db/db.h"
#include "http/http.h"
#include "approval/case_export.h"
#include "approval/project_export.h"
#include "workday/workday.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASE_ROLES (ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD | ROLE_LEADER)

static int query_of(struct http_req *r, struct case_query *q, struct err *e)
{
	int64_t stage, status;
	const char *light = http_query(r, "light"), *order = http_query(r, "order");
	*q = (struct case_query){
		.district = http_query(r, "district"), .department = http_query(r, "department"),
		.item = http_query(r, "item"), .q = http_query(r, "q"), .sort = http_query(r, "sort"),
		.from = http_query(r, "from"), .to = http_query(r, "to"), .light = -1,
	};
	if (http_query_int(r, "stage", 0, 0, 5, &stage, e) ||
	    http_query_int(r, "status", 0, 0, CASE_STATUS_MAX, &status, e))
		return e->code;
	if (light && (q->light = deadline_light_parse(light)) < 0)
		return err_set(e, ERR_INVALID, "light", "light: green | yellow | red");
	if (q->sort && strcmp(q->sort, "received") && strcmp(q->sort, "due") && strcmp(q->sort, "number") &&
	    strcmp(q->sort, "updated"))
		return err_set(e, ERR_INVALID, "sort", "sort: received | due | number | updated");
	if (order && strcmp(order, "asc") && strcmp(order, "desc"))
		return err_set(e, ERR_INVALID, "order", "order: asc | desc");
	q->desc = order ? strcmp(order, "desc") == 0 : !q->sort || strcmp(q->sort, "due") != 0;
	q->stage = (int)stage;
	q->status = (int)status;
	return 0;
}

static int export(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct case_query q;
	struct case_export x;
	int format = case_export_format_parse(http_query(r, "format"));
	if (format < 0)
		return err_set(e, ERR_INVALID, "format", "格式应为 csv 或 xlsx (format: csv | xlsx)");
	if (query_of(r, &q, e))
		return e->code;
	struct case_env env = {.cal = cal_shared_get(r->app->cal), .dl = r->app->deadlines, .observers = db_case_observers(),
			       .cache = r->app->case_cache};
	int rc = case_export_run(r->st, &env, &r->me, http_now(r), &q, format, &x, e);
	cal_shared_put(r->app->cal, env.cal);
	if (rc)
		return rc;
	w->body = x.data;
	w->body_len = x.len;
	w->free_body = 1;
	w->content_type = format == CASE_EXPORT_XLSX
		? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		: "text/csv; charset=utf-8";
	http_attachment(w, x.name, x.ascii_name);
	return 0;
}

/* GET /api/projects/export?format=csv|xlsx&<the filters of GET /api/projects> */
static int export_projects(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct project_filter f = {.q = http_query(r, "q"), .division = http_query(r, "division")};
	struct case_export x;
	int64_t type;
	int format = case_export_format_parse(http_query(r, "format"));
	if (format < 0)
		return err_set(e, ERR_INVALID, "format", "格式应为 csv 或 xlsx (format: csv | xlsx)");
	if (http_query_int(r, "flow_type", 0, 0, 10, &type, e))
		return e->code;
	f.flow_type = (int)type;
	if (project_export_run(r->st, &r->me, http_now(r), &f, format, &x, e))
		return e->code;
	w->body = x.data;
	w->body_len = x.len;
	w->free_body = 1;
	w->content_type = format == CASE_EXPORT_XLSX
		? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		: "text/csv; charset=utf-8";
	http_attachment(w, x.name, x.ascii_name);
	return 0;
}

/* Before api_project_routes (/api/projects/{id}). */
const struct route api_project_export_routes[] = {
	{"GET", "/api/projects/export", export_projects, ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD | ROLE_LEADER | ROLE_OPS, 0},
	{NULL},
};

const struct route api_case_export_routes[] = {
	{"GET", "/api/cases/export", export, CASE_ROLES, 0},
	{NULL},
};
