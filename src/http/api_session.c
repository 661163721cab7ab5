/*
** api_session.c: login, logout, the current account, its password and its
** TOTP second factor.
**   POST   /api/session        {"username","password","otp"?} -> cookie + account
**   DELETE /api/session
**   GET    /api/me
**   POST   /api/me/password    {"old_password","new_password"}: the other sessions end
** Password work (argon2) runs on the hashing threads (hashing.h).
**   POST   /api/me/totp/secret {}  -> secret, otpauth URI, QR code (SVG)
**   POST   /api/me/totp        {"code"}  enrolment
*/
#include "http/http.h"
#include "http/hashing.h"
#include "base/json.h"
#include "org/audit.h"
#include "org/org.h"
#include "org/totp.h"

#include <stdio.h>
#include <string.h>

/* The cookie's attributes: Secure too when [server] secure_cookies = on
** (behind TLS), so the browser never sends the session in clear. */
static void session_cookie(const struct http_req *r, struct http_resp *w, const char *value, int end)
{
	int secure = r->app->secure_cookies;
	snprintf(w->cookie, sizeof w->cookie, "gg_session=%s; Path=/; HttpOnly; SameSite=Strict%s%s", value,
		 secure ? "; Secure" : "", end ? "; Max-Age=0" : "");
}

/* argon2 on a hashing thread (hashing.h); state: the account logged in */
static int login_work(struct store *st, struct http_req *r, void *state, struct err *e)
{
	return auth_login(st, &r->app->policy, r->app->gate, r->now, json_get_str(r->json, "username", ""),
			  json_get_str(r->json, "password", ""), json_get_str(r->json, "otp", NULL), r->me.source,
			  state, e);
}

static int login_render(struct http_req *r, struct http_resp *w, void *state, struct err *e)
{
	struct user *u = state;
	struct principal p;
	char token[SESSION_TOKEN_LEN + 1];
	org_principal(u, &p);
	p.must_change = u->must_change;
	p.must_enroll = auth_must_enroll(&r->app->policy, u);
	session_create(r->app->sessions, &p, r->now, token);
	session_cookie(r, w, token, 0);
	w->json = json_pack("{s:o,s:b,s:b}", "user", org_user_json(u, 0), "must_change", u->must_change,
			    "must_enroll_totp", p.must_enroll);
	return 0;
}

static int login(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {
		{"username", J_STRING, 1}, {"password", J_STRING, 1}, {"otp", J_STRING, 0}, {NULL},
	};
	if (http_body(r, f, e))
		return e->code;
	return http_hashing(r, w, login_work, login_render, sizeof(struct user), e);
}

static int logout(struct http_req *r, struct http_resp *w, struct err *e)
{
	session_drop(r->app->sessions, r->token);
	if (audit_write(r->st, &r->me, r->now, "session.logout", "", "success", NULL, e))
		return e->code;
	session_cookie(r, w, "", 1);
	w->status = 204;
	return 0;
}

static int me(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct user u;
	if (org_user_get(r->st, r->me.user_id, &u, e))
		return e->code;
	json_t *j = org_user_json(&u, 0);
	json_object_set_new(j, "must_change", json_boolean(r->me.must_change));
	json_object_set_new(j, "must_enroll_totp", json_boolean(r->me.must_enroll));
	json_object_set_new(j, "totp", json_pack("{s:b,s:b}", "enrolled", u.totp_secret[0] != 0, "required",
						 r->app->policy.admin_totp && rbac_has(&r->me, ROLE_ADMINS)));
	json_object_set_new(j, "idle_minutes", json_integer(r->app->policy.idle_minutes));
	w->json = j;
	return 0;
}

static int password_work(struct store *st, struct http_req *r, void *state, struct err *e)
{
	return auth_set_password(st, &r->app->policy, r->app->gate, &r->me, r->now, r->me.user_id,
				 json_get_str(r->json, "old_password", ""), json_get_str(r->json, "new_password", ""), e);
}

/* The account's other sessions end (someone who knew the old password
** is out); this one goes on. */
static int password_render(struct http_req *r, struct http_resp *w, void *state, struct err *e)
{
	r->me.must_change = 0;
	session_drop_others(r->app->sessions, r->me.user_id, r->token);
	session_refresh(r->app->sessions, r->token, &r->me, r->now);
	w->json = json_pack("{s:b}", "changed", 1);
	return 0;
}

static int change_password(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {
		{"old_password", J_STRING, 1}, {"new_password", J_STRING, 1}, {NULL},
	};
	if (http_body(r, f, e))
		return e->code;
	return http_hashing(r, w, password_work, password_render, 0, e);
}

static int totp_secret(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {{NULL}};
	char secret[TOTP_SECRET_LEN + 1], uri[512];
	struct buf svg = {0};
	if (http_body(r, f, e) || auth_totp_begin(r->st, &r->me, r->now, secret, e))
		return e->code;
	totp_uri("gonggai", r->me.username, secret, uri, sizeof uri);
	if (totp_qr_svg(uri, &svg, e))
		return e->code;
	w->json = json_pack("{s:s,s:s,s:s}", "secret", secret, "uri", uri, "qr_svg", svg.data);
	buf_free(&svg);
	return 0;
}

static int totp_enroll(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {{"code", J_STRING, 1}, {NULL}};
	if (http_body(r, f, e) || auth_totp_confirm(r->st, &r->me, r->now, json_get_str(r->json, "code", ""), e))
		return e->code;
	r->me.must_enroll = 0;
	session_refresh(r->app->sessions, r->token, &r->me, r->now);
	w->json = json_pack("{s:b}", "enrolled", 1);
	return 0;
}

const struct route api_session_routes[] = {
	{"POST", "/api/session", login, 0, R_PUBLIC},
	{"DELETE", "/api/session", logout, 0, R_MUST_CHANGE_OK},
	{"GET", "/api/me", me, 0, R_ENROLL_OK},
	{"POST", "/api/me/password", change_password, 0, R_MUST_CHANGE_OK},
	{"POST", "/api/me/totp/secret", totp_secret, 0, R_MUST_CHANGE_OK},
	{"POST", "/api/me/totp", totp_enroll, 0, R_MUST_CHANGE_OK},
	{NULL},
};
