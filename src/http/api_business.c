/*
** api_business.c: 营商环境 — 办理建筑许可 (business/business.h).
**   GET /api/reports/business?from=YYYY-MM-DD&to=YYYY-MM-DD&format=xlsx|html|json
** XLSX as a download, HTML as a printable page, JSON as the document with
** its raw figures. Who may, the period limits and every figure are the
** business module's; the period rule is the O&M reports' (paperwork.h).
*/
#include "base/tmpout.h"
#include "business/business.h"
#include "db/db.h"
#include "workday/workday.h"
#include "http/http.h"
#include "paperwork/paperwork.h"

#include <stdio.h>

struct biz_job {
	struct http_req *r;
	const struct case_env *env;
	int64_t from, to;
};

static int write_xlsx(void *arg, const char *path, struct err *e)
{
	struct biz_job *j = arg;
	return biz_render(j->r->st, j->env, &j->r->me, j->from, j->to, j->r->now, PW_XLSX, path, NULL, NULL, e);
}

static int render(struct http_req *r, struct http_resp *w, const struct case_env *env, int format,
		  struct err *e)
{
	struct biz_job j = {.r = r, .env = env};
	if (pw_period_parse(http_query(r, "from"), http_query(r, "to"), &j.from, &j.to, e))
		return e->code;
	if (format == PW_XLSX) {
		if (tmpout_render("gonggai-business", write_xlsx, &j, &w->body, &w->body_len, e))
			return e->code;
		w->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		snprintf(w->disposition, sizeof w->disposition, "attachment; filename=\"business-%s.xlsx\"",
			 http_query(r, "from"));
	} else {
		if (biz_render(r->st, env, &r->me, j.from, j.to, r->now, format, NULL, &w->body, &w->body_len, e))
			return e->code;
		w->content_type = format == PW_HTML ? "text/html; charset=utf-8" : "application/json";
	}
	w->free_body = 1;
	return 0;
}

static int business(struct http_req *r, struct http_resp *w, struct err *e)
{
	int format;
	const char *fmt = http_query(r, "format");
	if (pw_format_parse(fmt ? fmt : "html", &format, e))
		return e->code;
	struct case_env env = {.cal = cal_shared_get(r->app->cal), .dl = r->app->deadlines,
			       .observers = db_case_observers()};
	int rc = render(r, w, &env, format, e);
	cal_shared_put(r->app->cal, env.cal);
	return rc;
}

const struct route api_business_routes[] = {
	{"GET", "/api/reports/business", business, ROLE_OPS | ROLE_LEADER, 0},
	{NULL},
};
