/*
** api_desk.c: the 运维服务台 over REST (desk/desk.h; docs/api.md).
**   GET  /api/desk/tickets               ?status(|active)&level&category&q&mine=1&page&page_size
**   POST /api/desk/tickets               {"kind":"fault","level","category","title","description"?,
**                                         "affected"?,"reported_at"?,"caller"?,"links"?}  → 201
**   GET  /api/desk/tickets/{id}          the ticket, its events, SLA clocks and allowed actions
**   POST /api/desk/tickets/{id}/actions  {"action","note"?,"handler"?,"reason"?,"cause"?,"fix"?,
**                                         "prevention"?,"rca"?}
**   GET  /api/desk/tickets/{id}/report   故障处理报告 (重大事件故障报告 for level 1), HTML
**   GET  /api/desk/badge                 counts for the 工作台
**   GET  /api/desk/reports/monthly       ?period=YYYY-MM&format=xlsx|html|json
**   GET|POST /api/desk/requests · GET /api/desk/requests/{id} · POST …/{id}/actions   需求受理
**   GET|POST /api/desk/consults                                   技术咨询
**   GET|POST /api/desk/articles ?q&tag · GET|PUT /api/desk/articles/{id}   知识库 (帮助中心)
**   GET|POST /api/desk/trainings · GET|POST /api/desk/backbones   培训服务, 技术骨干
**   POST /api/desk/trainings/{id}/files?name=… (raw body) · GET /api/desk/files/{id}   培训资料
**   GET|POST /api/desk/plans · GET|POST /api/desk/drills          应急演练
**   GET|POST /api/desk/visits · POST /api/desk/visits/{id}/requests {"index"}   定期回访
** Every signed-in account may report and follow its own tickets; the desk
** module decides who sees and does what. Sanitizer builds (GG_TESTING)
** honour "X-GG-Now: <epoch seconds>" so tests can move the clocks.
*/
#include "http/http.h"
#include "desk/desk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* [desk] of the server's configuration (validated when serve starts). */
static int conf_of(const struct http_req *r, struct desk_conf *cf, struct err *e)
{
	return desk_conf_load(r->app->conf, cf, e);
}

static int list(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct desk_conf cf;
	struct page pg;
	int64_t level, total;
	json_t *items;
	const char *mine = http_query(r, "mine");
	if (conf_of(r, &cf, e) || http_page(r, &pg, e) || http_query_int(r, "level", 0, 0, 3, &level, e))
		return e->code;
	struct desk_filter f = {.status = http_query(r, "status"), .level = (int)level,
				.category = http_query(r, "category"), .q = http_query(r, "q")};
	if (desk_ticket_list(r->st, &cf, &r->me, http_now(r), &f, mine && strcmp(mine, "1") == 0, &pg, &items,
			     &total, e))
		return e->code;
	w->json = http_list(items, total, &pg);
	return 0;
}

static int add(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {
		{"kind", J_STRING, 0}, {"level", J_INT, 1}, {"category", J_STRING, 1}, {"title", J_STRING, 1},
		{"description", J_STRING, 0}, {"affected", J_STRING, 0}, {"reported_at", J_STRING_OR_NULL, 0},
		{"caller", J_STRING_OR_NULL, 0}, {"links", J_ARRAY, 0}, {NULL},
	};
	struct desk_conf cf;
	int64_t id;
	if (conf_of(r, &cf, e) || http_body(r, f, e))
		return e->code;
	json_t *j = r->json;
	struct desk_ticket_in in = {
		.kind = json_get_str(j, "kind", NULL), .level = (int)json_get_int(j, "level", 0),
		.category = json_get_str(j, "category", NULL), .title = json_get_str(j, "title", NULL),
		.description = json_get_str(j, "description", NULL), .affected = json_get_str(j, "affected", NULL),
		.reported_at = json_get_str(j, "reported_at", NULL), .caller = json_get_str(j, "caller", NULL),
		.links = json_object_get(j, "links"),
	};
	int64_t now = http_now(r);
	if (desk_ticket_add(r->st, &cf, &r->me, now, &in, &id, e) ||
	    desk_ticket_show(r->st, &cf, &r->me, now, id, &w->json, e))
		return e->code;
	w->status = 201;
	return 0;
}

static int show(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct desk_conf cf;
	int64_t id;
	if (conf_of(r, &cf, e) || http_param_id(r, 0, &id, e) ||
	    desk_ticket_show(r->st, &cf, &r->me, http_now(r), id, &w->json, e))
		return e->code;
	return 0;
}

static int act(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {
		{"action", J_STRING, 1}, {"note", J_STRING, 0}, {"handler", J_STRING, 0}, {"reason", J_STRING, 0},
		{"cause", J_STRING, 0}, {"fix", J_STRING, 0}, {"prevention", J_STRING, 0}, {"rca", J_STRING, 0},
		{NULL},
	};
	struct desk_conf cf;
	int64_t id;
	if (conf_of(r, &cf, e) || http_param_id(r, 0, &id, e) || http_body(r, f, e))
		return e->code;
	json_t *j = r->json;
	struct desk_act_in in = {
		.action = json_get_str(j, "action", NULL), .note = json_get_str(j, "note", NULL),
		.handler = json_get_str(j, "handler", NULL), .reason = json_get_str(j, "reason", NULL),
		.cause = json_get_str(j, "cause", NULL), .fix = json_get_str(j, "fix", NULL),
		.prevention = json_get_str(j, "prevention", NULL), .rca = json_get_str(j, "rca", NULL),
	};
	int64_t now = http_now(r);
	if (desk_ticket_act(r->st, &cf, &r->me, now, id, &in, e) ||
	    desk_ticket_show(r->st, &cf, &r->me, now, id, &w->json, e))
		return e->code;
	return 0;
}

static int report_ticket(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct desk_conf cf;
	int64_t id;
	if (conf_of(r, &cf, e) || http_param_id(r, 0, &id, e) ||
	    desk_report_ticket(r->st, &cf, &r->me, http_now(r), id, &w->body, &w->body_len, e))
		return e->code;
	w->free_body = 1;
	w->content_type = "text/html; charset=utf-8";
	snprintf(w->disposition, sizeof w->disposition, "inline; filename=\"ticket-%lld.html\"", (long long)id);
	return 0;
}

static int badge(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct desk_conf cf;
	return conf_of(r, &cf, e) || desk_badge(r->st, &cf, &r->me, http_now(r), &w->json, e) ? e->code : 0;
}

static int report_monthly(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct desk_conf cf;
	const char *fmt = http_query(r, "format"), *period = http_query(r, "period");
	int format = !fmt || strcmp(fmt, "xlsx") == 0 ? DESK_XLSX : strcmp(fmt, "html") == 0 ? DESK_HTML
		   : strcmp(fmt, "json") == 0 ? DESK_JSON : 0;
	if (!format)
		return err_set(e, ERR_INVALID, "format", "格式须为 xlsx、html 或 json");
	if (conf_of(r, &cf, e) || desk_report_monthly(r->st, &cf, &r->me, http_now(r), period ? period : "", format,
						       NULL, &w->body, &w->body_len, e))
		return e->code;
	w->free_body = 1;
	w->content_type = format == DESK_XLSX ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
			  : format == DESK_JSON ? "application/json; charset=utf-8" : "text/html; charset=utf-8";
	if (format == DESK_JSON)
		return 0;
	snprintf(w->disposition, sizeof w->disposition, "%s; filename=\"desk-%.7s.%s\"",
		 format == DESK_XLSX ? "attachment" : "inline", period, format == DESK_XLSX ? "xlsx" : "html");
	return 0;
}

/* ---- the other services: bodies are checked by the desk module ------------------------ */

/* The request's JSON object; ERR_INVALID when the body is empty. */
static int need_body(const struct http_req *r, struct err *e)
{
	return r->json ? 0 : err_set(e, ERR_INVALID, "", "请求体须为 JSON 对象 (a JSON object body is required)");
}

/* 201 {"id": id} followed by the object show() gives, when given. */
static int created(struct http_resp *w, int64_t id)
{
	w->status = 201;
	w->json = json_pack("{s:I}", "id", (json_int_t)id);
	return 0;
}

/* rc from the listing call made before (items and total are set only on success). */
static int list_answer(struct http_resp *w, int rc, json_t *items, int64_t total, const struct page *pg)
{
	if (rc)
		return rc;
	w->json = http_list(items, total, pg);
	return 0;
}

static int requests(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *items;
	int64_t total;
	const char *mine = http_query(r, "mine");
	if (http_page(r, &pg, e))
		return e->code;
	int rc = desk_request_list(r->st, &r->me, http_query(r, "status"), http_query(r, "q"),
				   mine && strcmp(mine, "1") == 0, &pg, &items, &total, e);
	return list_answer(w, rc, items, total, &pg);
}

static int request_add(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	if (need_body(r, e) || desk_request_add(r->st, &r->me, http_now(r), r->json, &id, e) ||
	    desk_request_show(r->st, &r->me, id, &w->json, e))
		return e->code;
	w->status = 201;
	return 0;
}

static int request_show(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	return http_param_id(r, 0, &id, e) || desk_request_show(r->st, &r->me, id, &w->json, e) ? e->code : 0;
}

static int request_act(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	if (http_param_id(r, 0, &id, e) || need_body(r, e) || desk_request_act(r->st, &r->me, http_now(r), id, r->json, e) ||
	    desk_request_show(r->st, &r->me, id, &w->json, e))
		return e->code;
	return 0;
}

static int consults(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *items;
	int64_t total;
	if (http_page(r, &pg, e))
		return e->code;
	int rc = desk_consult_list(r->st, &r->me, http_query(r, "q"), &pg, &items, &total, e);
	return list_answer(w, rc, items, total, &pg);
}

static int consult_add(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	return need_body(r, e) || desk_consult_add(r->st, &r->me, http_now(r), r->json, &id, e) ? e->code : created(w, id);
}

static int articles(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *items;
	int64_t total;
	if (http_page(r, &pg, e))
		return e->code;
	int rc = desk_article_search(r->st, &r->me, http_query(r, "q"), http_query(r, "tag"), &pg, &items,
				     &total, e);
	return list_answer(w, rc, items, total, &pg);
}

static int article_add(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	return need_body(r, e) || desk_article_save(r->st, &r->me, http_now(r), 0, r->json, &id, e) ? e->code : created(w, id);
}

static int article_show(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	return http_param_id(r, 0, &id, e) || desk_article_show(r->st, &r->me, id, &w->json, e) ? e->code : 0;
}

static int article_put(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id, out;
	if (http_param_id(r, 0, &id, e) || need_body(r, e) || desk_article_save(r->st, &r->me, http_now(r), id, r->json, &out, e))
		return e->code;
	return desk_article_show(r->st, &r->me, id, &w->json, e);
}

static int trainings(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *items;
	int64_t total;
	if (http_page(r, &pg, e))
		return e->code;
	int rc = desk_training_list(r->st, &r->me, &pg, &items, &total, e);
	return list_answer(w, rc, items, total, &pg);
}

static int training_add(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	return need_body(r, e) || desk_training_add(r->st, &r->me, http_now(r), r->json, &id, e) ? e->code : created(w, id);
}

/* A raw body of the file's own type; its name in ?name= (or X-File-Name). */
static int training_file(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	const char *name = http_query(r, "name");
	if (http_param_id(r, 0, &id, e))
		return e->code;
	if (!name)
		name = http_header(r, "X-File-Name");
	if (desk_training_file_add(r->st, &r->me, http_now(r), id, name, r->body, r->body_len, r->app->upload_max,
				   &w->json, e))
		return e->code;
	w->status = 201;
	return 0;
}

/* Always an attachment, typed by its content. */
static int file_download(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct desk_file_row f;
	struct buf b;
	int64_t id;
	char ascii[48];
	if (http_param_id(r, 0, &id, e) || desk_file_read(r->st, &r->me, id, &f, &b, e))
		return e->code;
	w->body = b.data;
	w->body_len = b.len;
	w->free_body = 1;
	w->content_type = f.mime;
	snprintf(ascii, sizeof ascii, "file-%lld.%s", (long long)f.id, f.ext);
	http_attachment(w, f.name, ascii);
	snprintf(w->etag, sizeof w->etag, "\"%.60s\"", f.sha256);
	return 0;
}

static int backbones(struct http_req *r, struct http_resp *w, struct err *e)
{
	json_t *items;
	if (desk_backbone_list(r->st, &r->me, &items, e))
		return e->code;
	w->json = json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)json_array_size(items));
	return 0;
}

static int backbone_set(struct http_req *r, struct http_resp *w, struct err *e)
{
	return need_body(r, e) || desk_backbone_set(r->st, &r->me, http_now(r), r->json, e) ? e->code : backbones(r, w, e);
}

static int plans(struct http_req *r, struct http_resp *w, struct err *e)
{
	json_t *items;
	if (desk_plan_list(r->st, &r->me, &items, e))
		return e->code;
	w->json = json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)json_array_size(items));
	return 0;
}

static int plan_add(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	return need_body(r, e) || desk_plan_add(r->st, &r->me, http_now(r), r->json, &id, e) ? e->code : created(w, id);
}

static int drills(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *items;
	int64_t total;
	if (http_page(r, &pg, e))
		return e->code;
	int rc = desk_drill_list(r->st, &r->me, &pg, &items, &total, e);
	return list_answer(w, rc, items, total, &pg);
}

static int drill_add(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	return need_body(r, e) || desk_drill_add(r->st, &r->me, http_now(r), r->json, &id, e) ? e->code : created(w, id);
}

static int visits(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *items;
	int64_t total;
	if (http_page(r, &pg, e))
		return e->code;
	int rc = desk_visit_list(r->st, &r->me, &pg, &items, &total, e);
	return list_answer(w, rc, items, total, &pg);
}

static int visit_add(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	return need_body(r, e) || desk_visit_add(r->st, &r->me, http_now(r), r->json, &id, e) ? e->code : created(w, id);
}

static int visit_request(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {{"index", J_INT, 1}, {NULL}};
	int64_t id, rq;
	if (http_param_id(r, 0, &id, e) || http_body(r, f, e) ||
	    desk_visit_to_request(r->st, &r->me, http_now(r), id, (int)json_get_int(r->json, "index", -1), &rq, e) ||
	    desk_request_show(r->st, &r->me, rq, &w->json, e))
		return e->code;
	w->status = 201;
	return 0;
}

const struct route api_desk_routes[] = {
	{"GET", "/api/desk/tickets", list, 0, 0},
	{"POST", "/api/desk/tickets", add, 0, 0},
	{"GET", "/api/desk/tickets/{id}", show, 0, 0},
	{"POST", "/api/desk/tickets/{id}/actions", act, 0, 0},
	{"GET", "/api/desk/tickets/{id}/report", report_ticket, 0, 0},
	{"GET", "/api/desk/badge", badge, 0, 0},
	{"GET", "/api/desk/reports/monthly", report_monthly, ROLE_OPS | ROLE_LEADER, 0},
	{"GET", "/api/desk/requests", requests, 0, 0},
	{"POST", "/api/desk/requests", request_add, 0, 0},
	{"GET", "/api/desk/requests/{id}", request_show, 0, 0},
	{"POST", "/api/desk/requests/{id}/actions", request_act, 0, 0},
	{"GET", "/api/desk/consults", consults, 0, 0},
	{"POST", "/api/desk/consults", consult_add, 0, 0},
	{"GET", "/api/desk/articles", articles, 0, 0},
	{"POST", "/api/desk/articles", article_add, 0, 0},
	{"GET", "/api/desk/articles/{id}", article_show, 0, 0},
	{"PUT", "/api/desk/articles/{id}", article_put, 0, 0},
	{"GET", "/api/desk/trainings", trainings, 0, 0},
	{"POST", "/api/desk/trainings", training_add, 0, 0},
	{"POST", "/api/desk/trainings/{id}/files", training_file, 0, R_RAW_BODY},
	{"GET", "/api/desk/files/{id}", file_download, 0, 0},
	{"GET", "/api/desk/backbones", backbones, 0, 0},
	{"POST", "/api/desk/backbones", backbone_set, 0, 0},
	{"GET", "/api/desk/plans", plans, 0, 0},
	{"POST", "/api/desk/plans", plan_add, 0, 0},
	{"GET", "/api/desk/drills", drills, 0, 0},
	{"POST", "/api/desk/drills", drill_add, 0, 0},
	{"GET", "/api/desk/visits", visits, 0, 0},
	{"POST", "/api/desk/visits", visit_add, 0, 0},
	{"POST", "/api/desk/visits/{id}/requests", visit_request, 0, 0},
	{NULL},
};
