/*
** api_case_files.c: the window's paper of a case over HTTP (approval/
** case_files.h): the material checklist, file uploads (a raw body of the
** file's own type, name in ?name=, material in ?material=), downloads
** (always as attachments) and the public verification page of numbered
** documents, GET /verify/{code}.
*/
#include "db/db.h"
#include "http/http.h"
#include "approval/case_files.h"
#include "base/buf.h"
#include "base/filestore.h"
#include "workday/workday.h"

#include <stdio.h>
#include <string.h>

#define CASE_ROLES (ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD | ROLE_LEADER)

static void env_of(struct http_req *r, struct case_env *env)
{
	*env = (struct case_env){.cache = r->app->case_cache, .dl = r->app->deadlines,
				   .observers = db_case_observers()};
}

static int materials_get(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	if (http_param_id(r, 0, &id, e))
		return e->code;
	return case_materials_get(r->st, &r->me, id, &w->json, e);
}

static int materials_put(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {{"received", J_ARRAY, 1}, {NULL}};
	struct case_env env;
	int64_t id;
	if (http_param_id(r, 0, &id, e) || http_body(r, f, e))
		return e->code;
	env_of(r, &env);
	if (case_materials_tick(r->st, &env, &r->me, r->now, id, json_object_get(r->json, "received"), e))
		return e->code;
	return case_materials_get(r->st, &r->me, id, &w->json, e);
}

static int handlers(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct case_env env;
	int64_t id;
	const char *step = http_query(r, "step");
	if (http_param_id(r, 0, &id, e))
		return e->code;
	if (step && strcmp(step, "next") != 0 && strcmp(step, "current") != 0)
		return err_set(e, ERR_INVALID, "step", "step: current 或 next");
	env_of(r, &env);
	return case_handlers(r->st, &env, &r->me, id, step && strcmp(step, "next") == 0, &w->json, e);
}

static int files_get(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	json_t *items;
	if (http_param_id(r, 0, &id, e) || case_files_get(r->st, &r->me, id, &items, e))
		return e->code;
	w->json = json_pack("{s:o}", "items", items);
	return 0;
}

static int upload(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct case_env env;
	int64_t id;
	if (http_param_id(r, 0, &id, e))
		return e->code;
	const char *name = http_query(r, "name");
	if (!name)
		name = http_header(r, "X-File-Name");
	struct case_upload u = {.name = name, .material = http_query(r, "material"), .data = r->body,
				.len = r->body_len, .max_bytes = r->app->upload_max};   /* [files] max_mb, set by serve */
	env_of(r, &env);
	if (case_file_upload(r->st, &env, &r->me, r->now, id, &u, &w->json, e))
		return e->code;
	w->status = 201;
	return 0;
}

static int download(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct case_file_rec f;
	struct buf b;
	int64_t id;
	if (http_param_id(r, 0, &id, e) || case_file_read(r->st, &r->me, id, &f, &b, e))
		return e->code;
	w->body = b.data;
	w->body_len = b.len;
	w->free_body = 1;
	const char *ext, *mime = filestore_sniff(b.data, b.len, f.name, &ext);
	w->content_type = mime ? mime : "application/octet-stream";
	char ascii[48];
	snprintf(ascii, sizeof ascii, "file-%lld.%s", (long long)f.id, f.ext);
	http_attachment(w, f.name, ascii);
	snprintf(w->etag, sizeof w->etag, "\"%.60s\"", f.sha256);
	return 0;
}

static int verify(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct buf b;
	int rc = case_verify_page(r->st, r->params[0], &b, e);
	if (rc && rc != ERR_NOTFOUND)
		return rc;
	if (rc) {     /* a page, not JSON: whoever scanned a code reads it */
		b = (struct buf){0};
		buf_puts(&b, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><link rel=\"icon\" href=\"/favicon.svg\"><title>文书核验</title>"
			 "</head><body><h1>文书核验</h1><p>未找到此核验码对应的文书。请核对核验码，或向签发部门核实。</p>"
			 "</body></html>");
		w->status = 404;
	}
	w->body = b.data;
	w->body_len = b.len;
	w->free_body = 1;
	w->content_type = "text/html; charset=utf-8";
	return 0;
}

const struct route api_case_files_routes[] = {
	{"GET", "/api/cases/{id}/materials", materials_get, CASE_ROLES, 0},
	{"PUT", "/api/cases/{id}/materials", materials_put, ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD, 0},
	{"GET", "/api/cases/{id}/files", files_get, CASE_ROLES, 0},
	{"GET", "/api/cases/{id}/handlers", handlers, ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD, 0},
	{"POST", "/api/cases/{id}/files", upload, ROLE_CLERK | ROLE_REVIEWER | ROLE_HEAD, R_RAW_BODY},
	{"GET", "/api/files/{id}", download, CASE_ROLES, 0},
	{"GET", "/verify/{code}", verify, 0, R_PUBLIC},
	{NULL, NULL, NULL, 0, 0},
};
