/*
** api_catalog.c: the approval catalogue over REST (docs/api.md, 审批事项目录).
**   GET  /api/catalog/export                      the whole document
**   POST /api/catalog/import                      merge a document (all or nothing)
**   GET  /api/catalog/items | /api/catalog/flows  versions in effect (?date=&q=&department=|flow_type=)
**   POST /api/catalog/items | /api/catalog/flows  a new code (version 1.0 unless given)
**   GET  /api/catalog/{items|flows}/{code}         one version (?date= or ?version=; default today)
**   PUT  /api/catalog/{items|flows}/{code}         a new version (201)
**   GET  /api/catalog/{items|flows}/{code}/versions   history with changed fields
**   GET  /api/catalog/{items|flows}/{code}/diff?from=&to=
**   GET  /api/catalog/item-versions/{id} | flow-versions/{id}   a version by id (what cases pin)
** Reading: every logged-in account. Changes: sysadmin and the catalogue
** administrator (role catalog); approval/catalog.c checks it again and
** writes the audit row.
*/
#include "http/http.h"
#include "approval/catalog.h"
#include "base/clock.h"
#include "calendar/cal.h"

#include <stdio.h>
#include <string.h>

#define EDITORS (ROLE_SYSADMIN | ROLE_CATALOG)

/* ?date=YYYY-MM-DD, default today in Asia/Shanghai, into buf (16 bytes). */
static int query_date(const struct http_req *r, char *buf, struct err *e)
{
	const char *d = http_query(r, "date");
	int32_t day;
	struct err scratch;
	if (!d) {
		clock_cn_date(r->now, buf);
		return 0;
	}
	if (cal_date_parse(d, &day, &scratch))
		return err_set(e, ERR_INVALID, "date", "日期无效: %s (YYYY-MM-DD)", d);
	snprintf(buf, 16, "%s", d);
	return 0;
}

static int export_catalog(struct http_req *r, struct http_resp *w, struct err *e)
{
	return catalog_export(r->st, &w->json, e);
}

static int import_catalog(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct catalog_import_stats s;
	if (!r->json)
		return err_set(e, ERR_INVALID, "", "请求体必须是目录 JSON 文档");
	if (catalog_import(r->st, &r->me, r->now, r->json, &s, e))
		return e->code;
	w->json = json_pack("{s:i,s:i,s:i,s:i}", "items_added", s.items_added, "flows_added", s.flows_added,
			    "items_same", s.items_same, "flows_same", s.flows_same);
	return 0;
}

static int list_kind(struct http_req *r, struct http_resp *w, struct err *e, int kind)
{
	struct catalog_filter f = {0};
	struct page pg;
	char date[16];
	int64_t type, total;
	json_t *items;
	if (http_page(r, &pg, e) || query_date(r, date, e) ||
	    http_query_int(r, "flow_type", 0, 0, 10, &type, e))
		return e->code;
	f.date = date;
	f.department = http_query(r, "department");
	f.flow_type = (int)type;
	f.q = http_query(r, "q");
	if (catalog_list(r->st, kind, &f, &pg, &items, &total, e))
		return e->code;
	w->json = http_list(items, total, &pg);
	return 0;
}

static int get_kind(struct http_req *r, struct http_resp *w, struct err *e, int kind)
{
	const char *v = http_query(r, "version");
	char date[16];
	if (!v && query_date(r, date, e))
		return e->code;
	return catalog_get(r->st, kind, r->params[0], v, date, &w->json, e);
}

static int save_kind(struct http_req *r, struct http_resp *w, struct err *e, int kind, int put)
{
	if (catalog_save(r->st, &r->me, r->now, kind, put ? r->params[0] : NULL, r->json, &w->json, e))
		return e->code;
	w->status = 201;
	return 0;
}

static int history_kind(struct http_req *r, struct http_resp *w, struct err *e, int kind)
{
	return catalog_history(r->st, kind, r->params[0], &w->json, e);
}

static int diff_kind(struct http_req *r, struct http_resp *w, struct err *e, int kind)
{
	return catalog_version_diff(r->st, kind, r->params[0], http_query(r, "from"), http_query(r, "to"),
				    &w->json, e);
}

static int version_by_id(struct http_req *r, struct http_resp *w, struct err *e, int kind)
{
	int64_t id;
	if (http_param_id(r, 0, &id, e))
		return e->code;
	return catalog_get_by_id(r->st, kind, id, &w->json, e);
}

#define BOTH(name, call)                                                                      \
	static int name##_items(struct http_req *r, struct http_resp *w, struct err *e)      \
	{ return call(r, w, e, CATALOG_ITEMS); }                                               \
	static int name##_flows(struct http_req *r, struct http_resp *w, struct err *e)      \
	{ return call(r, w, e, CATALOG_FLOWS); }

BOTH(list, list_kind)
BOTH(get, get_kind)
BOTH(history, history_kind)
BOTH(diff, diff_kind)
BOTH(by_id, version_by_id)

static int create_items(struct http_req *r, struct http_resp *w, struct err *e)
{
	return save_kind(r, w, e, CATALOG_ITEMS, 0);
}

static int create_flows(struct http_req *r, struct http_resp *w, struct err *e)
{
	return save_kind(r, w, e, CATALOG_FLOWS, 0);
}

static int put_items(struct http_req *r, struct http_resp *w, struct err *e)
{
	return save_kind(r, w, e, CATALOG_ITEMS, 1);
}

static int put_flows(struct http_req *r, struct http_resp *w, struct err *e)
{
	return save_kind(r, w, e, CATALOG_FLOWS, 1);
}

const struct route api_catalog_routes[] = {
	{"GET", "/api/catalog/export", export_catalog, 0, 0},
	{"POST", "/api/catalog/import", import_catalog, EDITORS, 0},
	{"GET", "/api/catalog/items", list_items, 0, 0},
	{"POST", "/api/catalog/items", create_items, EDITORS, 0},
	{"GET", "/api/catalog/items/{code}", get_items, 0, 0},
	{"PUT", "/api/catalog/items/{code}", put_items, EDITORS, 0},
	{"GET", "/api/catalog/items/{code}/versions", history_items, 0, 0},
	{"GET", "/api/catalog/items/{code}/diff", diff_items, 0, 0},
	{"GET", "/api/catalog/item-versions/{id}", by_id_items, 0, 0},
	{"GET", "/api/catalog/flows", list_flows, 0, 0},
	{"POST", "/api/catalog/flows", create_flows, EDITORS, 0},
	{"GET", "/api/catalog/flows/{code}", get_flows, 0, 0},
	{"PUT", "/api/catalog/flows/{code}", put_flows, EDITORS, 0},
	{"GET", "/api/catalog/flows/{code}/versions", history_flows, 0, 0},
	{"GET", "/api/catalog/flows/{code}/diff", diff_flows, 0, 0},
	{"GET", "/api/catalog/flow-versions/{id}", by_id_flows, 0, 0},
	{NULL},
};
