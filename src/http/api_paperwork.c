/*
** api_paperwork.c: the O&M reports (paperwork/paperwork.h).
**   GET /api/reports/om?kind=monthly|annual&from=YYYY-MM-DD&to=YYYY-MM-DD&format=xlsx|html|json
** XLSX as a download, HTML as a printable page, JSON as the document
** itself. Who may, the period limits and the sections are the paperwork
** module's and its providers' (registered by serve: app.paperwork).
*/
#include "base/tmpout.h"
#include "http/http.h"
#include "paperwork/paperwork.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct om_job {
	struct http_req *r;
	int kind;
	int64_t from, to;
};

static int write_xlsx(void *arg, const char *path, struct err *e)
{
	struct om_job *j = arg;
	return pw_render(j->r->st, j->r->app->paperwork, &j->r->me, j->kind, j->from, j->to, j->r->now, PW_XLSX, path,
			 NULL, NULL, e);
}

static int om(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct om_job j = {.r = r};
	int format;
	const char *kind = http_query(r, "kind"), *fmt = http_query(r, "format");
	if (pw_kind_parse(kind, &j.kind, e) || pw_format_parse(fmt ? fmt : "html", &format, e) ||
	    pw_period_parse(http_query(r, "from"), http_query(r, "to"), &j.from, &j.to, e))
		return e->code;
	if (!r->app->paperwork)
		return err_set(e, ERR_INTERNAL, "report", "no report sections registered");
	if (format == PW_XLSX) {
		if (tmpout_render("gonggai-om", write_xlsx, &j, &w->body, &w->body_len, e))
			return e->code;
		w->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
		snprintf(w->disposition, sizeof w->disposition, "attachment; filename=\"%s-%s.xlsx\"", kind,
			 http_query(r, "from"));
	} else {
		if (pw_render(r->st, r->app->paperwork, &r->me, j.kind, j.from, j.to, r->now, format, NULL, &w->body,
			      &w->body_len, e))
			return e->code;
		w->content_type = format == PW_HTML ? "text/html; charset=utf-8" : "application/json";
	}
	w->free_body = 1;
	return 0;
}

const struct route api_paperwork_routes[] = {
	{"GET", "/api/reports/om", om, ROLE_OPS | ROLE_LEADER, 0},
	{NULL},
};
