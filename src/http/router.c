/*
** router.c: the route table and the checks in front of every handler (see
** router.h). To add endpoints, write api_<resource>.c with its table and
** list the table below.
*/
#include "http/router.h"
#include "http/server.h"
#include "base/json.h"
#include "http/reqcheck.h"
#include "org/org.h"

#include <assert.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct route *const tables[] = {
	api_ops_routes,
	api_health_routes,
	api_session_routes,
	api_org_routes,
	api_audit_routes,
	api_audit_verify_routes,
	api_calendar_routes,
	api_catalog_routes,
	api_project_export_routes,  /* before api_project_routes: /api/projects/{id} */
	api_project_routes,
	api_case_export_routes,     /* before api_case_routes: /api/cases/{id} */
	api_case_routes,
	api_case_files_routes,
	api_stats_routes,
	api_quality_routes,
	api_dict_routes,
	api_archive_routes,
	api_paperwork_routes,
	api_business_routes,
	api_desk_routes,
	api_repair_routes,
	api_import_routes,
	api_exchange_routes,
	api_export_routes,
};

/* The flat list of routes, built once (then read-only): a route's index is
** its position across the tables, which is also its metrics slot. */
#define MAX_ROUTES 256
static const struct route *flat[MAX_ROUTES];
static int nflat;
static pthread_once_t flat_once = PTHREAD_ONCE_INIT;

static void flatten(void)
{
	for (size_t t = 0; t < sizeof tables / sizeof tables[0]; t++)
		for (const struct route *rt = tables[t]; rt->method; rt++) {
			assert(nflat < MAX_ROUTES);
			flat[nflat++] = rt;
		}
}

static const struct route *route_at(int idx)
{
	pthread_once(&flat_once, flatten);
	return idx >= 0 && idx < nflat ? flat[idx] : NULL;
}

int router_count(void)
{
	pthread_once(&flat_once, flatten);
	return nflat;
}

const char *router_pattern(int idx)
{
	const struct route *rt = route_at(idx);
	return rt ? rt->pattern : "other";
}

const char *router_method(int idx)
{
	const struct route *rt = route_at(idx);
	return rt ? rt->method : "-";
}

/* Match pattern against path segment by segment; {x} captures one. */
static int match_path(const char *pat, const char *path, const char **params, char *store, size_t cap)
{
	int np = 0;
	size_t used = 0;
	while (*pat && *path) {
		if (*pat == '{') {
			const char *end = strchr(path, '/');
			size_t n = end ? (size_t)(end - path) : strlen(path);
			if (n == 0 || np >= HTTP_MAX_PARAMS || used + n + 1 > cap)
				return 0;
			memcpy(store + used, path, n);
			store[used + n] = 0;
			params[np++] = store + used;
			used += n + 1;
			path += n;
			pat = strchr(pat, '}') + 1;
			continue;
		}
		if (*pat++ != *path++)
			return 0;
	}
	return !*pat && !*path;
}

int router_match(struct http_req *r, int *path_known)
{
	const char *params[HTTP_MAX_PARAMS] = {0};   /* slots a route does not use stay NULL */
	int n = router_count();
	*path_known = 0;
	for (int idx = 0; idx < n; idx++) {
		const struct route *rt = flat[idx];
		memset(params, 0, sizeof params);
		if (!match_path(rt->pattern, r->path, params, r->pstore, sizeof r->pstore))
			continue;
		if (strcmp(rt->method, r->method) != 0) {
			*path_known = 1;
			continue;
		}
		memcpy(r->params, params, sizeof params);
		return idx;
	}
	return -1;
}

/* The message and field may echo request bytes (a path with %ff, a value
** cut inside a character): they are scrubbed to UTF-8 so the body is never
** lost to json_pack. */

size_t router_body_limit(const struct app *app, const char *method, const char *path)
{
	const char *params[HTTP_MAX_PARAMS];
	char store[512];
	int n = router_count();
	for (int idx = 0; idx < n; idx++)
		if ((flat[idx]->flags & R_RAW_BODY) && strcmp(flat[idx]->method, method) == 0 &&
		    match_path(flat[idx]->pattern, path, params, store, sizeof store))
			return app->upload_max > HTTP_MAX_BODY ? (size_t)app->upload_max : HTTP_MAX_BODY;
	return HTTP_MAX_BODY;
}

void router_error(struct http_resp *w, const struct err *e)
{
	char field[sizeof e->field], msg[sizeof e->msg];
	snprintf(field, sizeof field, "%s", e->field);
	snprintf(msg, sizeof msg, "%s", e->msg[0] ? e->msg : err_name(e->code));
	req_scrub(field);
	req_scrub(msg);
	w->status = err_http_status(e->code);
	if (e->code == ERR_BUSY)
		w->retry_after = 2;
	else if (e->code == ERR_TOOMANY)
		w->retry_after = 60;   /* the failed-login window of an address is a minute (org/auth.h) */
	json_decref(w->json);
	w->json = json_pack("{s:{s:s,s:s,s:s}}", "error", "code", err_name(e->code), "field", field, "message", msg);
}

/* Resolve the session cookie into r->me; refresh from the database when stale. */
static int authenticate(struct http_req *r, struct err *e)
{
	struct app *app = r->app;
	const char *tok = MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, "gg_session");
	if (!tok)
		return err_set(e, ERR_AUTH, "", "请先登录 (login required)");
	char source[64];
	snprintf(source, sizeof source, "%s", r->me.source);
	enum session_state s = session_get(app->sessions, tok, r->now, &r->me);
	if (s == SESSION_NONE)
		return err_set(e, ERR_AUTH, "", "会话已过期，请重新登录 (session expired)");
	if (s == SESSION_STALE) {
		struct user u;
		struct err e2;
		if (store_user_by_id(r->st, r->me.user_id, &u, &e2) || !u.active) {
			session_drop(app->sessions, tok);
			return err_set(e, ERR_AUTH, "", "账号已停用，请重新登录 (account disabled)");
		}
		org_principal(&u, &r->me);
		r->me.must_change = auth_must_change(&app->policy, &u, r->now);
		r->me.must_enroll = auth_must_enroll(&app->policy, &u);
		session_refresh(app->sessions, tok, &r->me, r->now);
	}
	snprintf(r->me.source, sizeof r->me.source, "%s", source);
	r->token = tok;
	return 0;
}

static int is_write(const char *method)
{
	return strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0;
}

static int precheck(const struct route *rt, struct http_req *r, struct err *e)
{
	if (is_write(r->method) && !(rt->flags & R_RAW_BODY)) {
		const char *ct = MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, "Content-Type");
		if (!ct || strncasecmp(ct, "application/json", 16) != 0 || (ct[16] && ct[16] != ';'))
			return err_set(e, ERR_MEDIA, "Content-Type",
				       "请求必须是 application/json (Content-Type must be application/json)");
		if (r->body_len && json_parse_object(r->body, r->body_len, &r->json, e))
			return e->code;
	}
	if (rt->flags & R_PUBLIC)
		return 0;
	if (authenticate(r, e))
		return e->code;
	if (r->me.must_change && !(rt->flags & R_MUST_CHANGE_OK))
		return err_set(e, ERR_FORBIDDEN, "password", "请先修改密码 (password change required)");
	if (r->me.must_enroll && !(rt->flags & (R_MUST_CHANGE_OK | R_ENROLL_OK)))
		return err_set(e, ERR_FORBIDDEN, "otp", "请先绑定动态口令 (TOTP enrolment required)");
	if (rt->roles && !(r->me.roles & rt->roles))
		return err_set(e, ERR_FORBIDDEN, "", "无权访问 (your role does not allow this)");
	return 0;
}

static void fail(struct http_resp *w, struct err *e)
{
	if (!e->code)
		err_set(e, ERR_INTERNAL, "", "internal error");
	router_error(w, e);
}

void router_run(int idx, struct http_req *r, struct http_resp *w)
{
	const struct route *rt = route_at(idx);
	struct err e;
	err_clear(&e);
	w->status = 200;
	if (precheck(rt, r, &e) || rt->fn(r, w, &e))
		fail(w, &e);
}

int router_call(struct http_req *r, const char *path, struct http_resp *w, struct err *e)
{
	const char *saved_path = r->path, *saved_method = r->method;
	const char *saved_params[HTTP_MAX_PARAMS];
	char saved_store[sizeof r->pstore];
	int known, rc;
	memcpy(saved_params, r->params, sizeof saved_params);
	memcpy(saved_store, r->pstore, sizeof saved_store);
	r->path = path;
	r->method = "GET";
	int idx = router_match(r, &known);
	const struct route *rt = idx >= 0 ? route_at(idx) : NULL;
	if (!rt)
		rc = err_set(e, ERR_NOTFOUND, "src", "没有这个列表: %s (no GET route)", path);
	else if (rt->roles && !(r->me.roles & rt->roles))
		rc = err_set(e, ERR_FORBIDDEN, "src", "无权访问 (your role does not allow this)");
	else
		rc = rt->fn(r, w, e);
	r->path = saved_path;
	r->method = saved_method;
	memcpy(r->params, saved_params, sizeof saved_params);
	memcpy(r->pstore, saved_store, sizeof saved_store);
	return rc;
}

void router_finish(struct http_req *r, struct http_resp *w)
{
	struct http_later later = w->later;
	struct err e;
	assert(later.finish);
	err_clear(&e);
	w->later = (struct http_later){0};
	if (later.finish(r, w, later.arg, &e))
		fail(w, &e);
}
