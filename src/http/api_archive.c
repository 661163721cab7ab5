/*
** api_archive.c: the 运维档案 (archive/archive.h).
**   GET /api/archive?from=&to=&kind=&page=&page_size=   list shape
**   GET /api/archive/export?from=&to=&kind=             XLSX of every event
** from and to are days YYYY-MM-DD (Asia/Shanghai), to inclusive; who may
** read, the range limits and the kinds are the archive module's.
*/
#include "archive/archive.h"
#include "base/tmpout.h"
#include "http/http.h"

#include <stdio.h>

static int filter_of(struct http_req *r, struct archive_filter *f, struct err *e)
{
	return archive_filter_parse(http_query(r, "from"), http_query(r, "to"), http_query(r, "kind"), f, e);
}

static int list(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct archive_filter f;
	struct page pg;
	json_t *items;
	int64_t total;
	if (filter_of(r, &f, e) || http_page(r, &pg, e) ||
	    archive_list(r->st, r->app->archive, &r->me, &f, r->now, &pg, &items, &total, e))
		return e->code;
	w->json = http_list(items, total, &pg);
	return 0;
}

struct export_job {
	struct http_req *r;
	struct archive_filter *f;
};

static int write_xlsx(void *arg, const char *path, struct err *e)
{
	struct export_job *j = arg;
	return archive_xlsx(j->r->st, j->r->app->archive, &j->r->me, j->f, j->r->now, path, e);
}

static int export(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct archive_filter f;
	struct export_job j = {r, &f};
	char day[11];
	if (filter_of(r, &f, e) || tmpout_render("gonggai-archive", write_xlsx, &j, &w->body, &w->body_len, e))
		return e->code;
	w->free_body = 1;
	w->content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
	snprintf(w->disposition, sizeof w->disposition, "attachment; filename=\"archive-%s.xlsx\"",
		 clock_cn_date(r->now, day));
	return 0;
}

const struct route api_archive_routes[] = {
	{"GET", "/api/archive", list, ROLE_OPS | ROLE_LEADER | ROLE_SYSADMIN, 0},
	{"GET", "/api/archive/export", export, ROLE_OPS | ROLE_LEADER | ROLE_SYSADMIN, 0},
	{NULL},
};
