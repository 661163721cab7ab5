/*
** api_session.c: login, logout, the current account and its password.
**   POST   /api/session        {"username","password"} -> cookie + account
**   DELETE /api/session
**   GET    /api/me
**   POST   /api/me/password    {"old_password","new_password"}
*/
#include "http/http.h"
#include "base/json.h"
#include "org/audit.h"
#include "org/org.h"

#include <stdio.h>

static int login(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {
		{"username", J_STRING, 1}, {"password", J_STRING, 1}, {NULL},
	};
	struct user u;
	struct principal p;
	char token[SESSION_TOKEN_LEN + 1];
	if (http_body(r, f, e))
		return e->code;
	if (auth_login(r->st, &r->app->policy, r->app->gate, r->now, json_get_str(r->json, "username", ""),
		       json_get_str(r->json, "password", ""), r->me.source, &u, e))
		return e->code;
	org_principal(&u, &p);
	p.must_change = u.must_change;
	session_create(r->app->sessions, &p, r->now, token);
	snprintf(w->cookie, sizeof w->cookie, "gg_session=%s; Path=/; HttpOnly; SameSite=Strict", token);
	w->json = json_pack("{s:o,s:b}", "user", org_user_json(&u, 0), "must_change", u.must_change);
	return 0;
}

static int logout(struct http_req *r, struct http_resp *w, struct err *e)
{
	session_drop(r->app->sessions, r->token);
	if (audit_write(r->st, &r->me, r->now, "session.logout", "", "success", NULL, e))
		return e->code;
	snprintf(w->cookie, sizeof w->cookie, "gg_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
	w->status = 204;
	return 0;
}

static int me(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct user u;
	if (store_user_by_id(r->st, r->me.user_id, &u, e))
		return e->code;
	json_t *j = org_user_json(&u, 0);
	json_object_set_new(j, "must_change", json_boolean(r->me.must_change));
	json_object_set_new(j, "idle_minutes", json_integer(r->app->policy.idle_minutes));
	w->json = j;
	return 0;
}

static int change_password(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {
		{"old_password", J_STRING, 1}, {"new_password", J_STRING, 1}, {NULL},
	};
	if (http_body(r, f, e))
		return e->code;
	if (auth_set_password(r->st, &r->app->policy, r->app->gate, &r->me, r->now, r->me.user_id,
			      json_get_str(r->json, "old_password", ""),
			      json_get_str(r->json, "new_password", ""), e))
		return e->code;
	r->me.must_change = 0;
	session_refresh(r->app->sessions, r->token, &r->me, r->now);
	w->json = json_pack("{s:b}", "changed", 1);
	return 0;
}

const struct route api_session_routes[] = {
	{"POST", "/api/session", login, 0, R_PUBLIC},
	{"DELETE", "/api/session", logout, 0, R_MUST_CHANGE_OK},
	{"GET", "/api/me", me, 0, 0},
	{"POST", "/api/me/password", change_password, 0, R_MUST_CHANGE_OK},
	{NULL},
};
