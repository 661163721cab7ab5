/*
** api_org.c: the organisation over REST.
**   GET/POST  /api/districts            PATCH /api/districts/{code}
**   GET/POST  /api/departments          PATCH /api/departments/{code}
**   GET       /api/roles
**   GET/POST  /api/users                GET/PATCH /api/users/{id}
**   POST      /api/users/{id}/roles     {"role"}   DELETE /api/users/{id}/roles/{role}
**   POST      /api/users/{id}/password  {"password"?} (reset; random when absent)
**   DELETE    /api/users/{id}/totp      (reset the TOTP factor: enrol again)
**   POST      /api/users/{id}/unlock    (clear a lockout, password unchanged)
** Who may change what is decided in org/org.c; reading the organisation is
** open to every logged-in account, reading accounts to the administrators
** (another person's phone masked). Password work runs on the hashing
** threads (hashing.h).
*/
#include "http/http.h"
#include "http/hashing.h"
#include "http/router.h"
#include "base/json.h"
#include "org/org.h"

#include <stdio.h>
#include <string.h>

#define ACCOUNT_ADMINS (ROLE_SYSADMIN | ROLE_SECADMIN)

static int list_districts(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *items;
	int64_t total;
	if (http_page(r, &pg, e) || store_district_list(r->st, &pg, &items, &total, e))
		return e->code;
	w->json = http_list(items, total, &pg);
	return 0;
}

static int save_district(struct http_req *r, struct http_resp *w, struct err *e, int create)
{
	static const struct jfield fc[] = {
		{"code", J_STRING, 1}, {"name", J_STRING, 1}, {"parent_code", J_STRING, 0}, {NULL},
	};
	static const struct jfield fu[] = {{"name", J_STRING, 0}, {"active", J_BOOL, 0}, {NULL}};
	if (http_body(r, create ? fc : fu, e))
		return e->code;
	const char *code = create ? json_get_str(r->json, "code", "") : r->params[0];
	int active = json_object_get(r->json, "active") ? json_get_bool(r->json, "active", 1) : -1;
	if (org_district_save(r->st, &r->me, r->now, code, json_get_str(r->json, "name", NULL),
			      json_get_str(r->json, "parent_code", NULL), active, create, e))
		return e->code;
	w->status = create ? 201 : 200;
	w->json = json_pack("{s:s}", "code", code);
	return 0;
}

static int create_district(struct http_req *r, struct http_resp *w, struct err *e)
{
	return save_district(r, w, e, 1);
}

static int update_district(struct http_req *r, struct http_resp *w, struct err *e)
{
	return save_district(r, w, e, 0);
}

static int list_departments(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *items;
	int64_t total;
	if (http_page(r, &pg, e) ||
	    store_department_list(r->st, http_query(r, "district"), &pg, &items, &total, e))
		return e->code;
	w->json = http_list(items, total, &pg);
	return 0;
}

static int save_department(struct http_req *r, struct http_resp *w, struct err *e, int create)
{
	static const struct jfield fc[] = {
		{"code", J_STRING, 1}, {"name", J_STRING, 1}, {"district", J_STRING, 1}, {NULL},
	};
	static const struct jfield fu[] = {
		{"name", J_STRING, 0}, {"district", J_STRING, 0}, {"active", J_BOOL, 0}, {"confirm", J_BOOL, 0}, {NULL},
	};
	struct org_dept_effect fx;
	if (http_body(r, create ? fc : fu, e))
		return e->code;
	const char *code = create ? json_get_str(r->json, "code", "") : r->params[0];
	int active = json_object_get(r->json, "active") ? json_get_bool(r->json, "active", 1) : -1;
	if (org_department_save(r->st, &r->me, r->now, code, json_get_str(r->json, "name", NULL),
				json_get_str(r->json, "district", NULL), active, create,
				json_get_bool(r->json, "confirm", 0), &fx, e)) {
		if (e->code != ERR_CONFLICT || strcmp(e->field, "confirm") != 0)
			return e->code;
		router_error(w, e);   /* 409 with the counts the confirmation shows */
		json_t *err = json_object_get(w->json, "error");
		json_object_set_new(err, "running_cases", json_integer(fx.running_cases));
		json_object_set_new(err, "active_accounts", json_integer(fx.active_accounts));
		return 0;
	}
	size_t i;
	json_t *u;
	json_array_foreach(fx.disabled, i, u)   /* their sessions end now */
		session_drop_user(r->app->sessions, json_integer_value(json_object_get(u, "id")));
	json_decref(fx.disabled);
	w->status = create ? 201 : 200;
	w->json = json_pack("{s:s,s:I,s:b}", "code", code, "disabled_accounts", (json_int_t)fx.disabled_accounts,
			    "accounts_stay_disabled", fx.reenabled);
	return 0;
}

static int create_department(struct http_req *r, struct http_resp *w, struct err *e)
{
	return save_department(r, w, e, 1);
}

static int update_department(struct http_req *r, struct http_resp *w, struct err *e)
{
	return save_department(r, w, e, 0);
}

static int list_roles(struct http_req *r, struct http_resp *w, struct err *e)
{
	json_t *items;
	if (store_role_list(r->st, &items, e))
		return e->code;
	struct page pg = {1, (int)json_array_size(items)};
	w->json = http_list(items, (int64_t)json_array_size(items), &pg);
	return 0;
}

static int list_users(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *items;
	int64_t total;
	if (http_page(r, &pg, e) ||
	    org_user_list(r->st, &r->me, http_query(r, "department"), http_query(r, "role"), &pg, &items, &total, e))
		return e->code;
	w->json = http_list(items, total, &pg);
	return 0;
}

static int get_user(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	struct user u;
	if (http_param_id(r, 0, &id, e) || store_user_by_id(r->st, id, &u, e))
		return e->code;
	w->json = org_user_view(&r->me, &u);
	return 0;
}

static unsigned roles_of(json_t *arr, struct err *e)
{
	unsigned roles = 0;
	size_t i;
	json_t *v;
	json_array_foreach(arr, i, v) {
		unsigned bit = rbac_role_bit(json_string_value(v));
		if (!bit) {
			err_set(e, ERR_INVALID, "roles", "未知角色 (unknown role at roles[%zu])", i);
			return ~0u;
		}
		roles |= bit;
	}
	return roles;
}

/* argon2 of the initial password on a hashing thread (hashing.h) */
static int create_work(struct store *st, struct http_req *r, void *state, struct err *e)
{
	unsigned roles = roles_of(json_object_get(r->json, "roles"), e);
	if (roles == ~0u)
		return e->code;
	struct user_input in = {
		.username = json_get_str(r->json, "username", ""), .password = json_get_str(r->json, "password", ""),
		.display_name = json_get_str(r->json, "display_name", NULL), .phone = json_get_str(r->json, "phone", NULL),
		.department = json_get_str(r->json, "department", NULL), .district = json_get_str(r->json, "district", NULL),
		.roles = roles,
	};
	int64_t id;
	if (org_user_add(st, &r->app->policy, r->app->gate, &r->me, r->now, &in, &id, e))
		return e->code;
	return store_user_by_id(st, id, state, e);
}

static int create_render(struct http_req *r, struct http_resp *w, void *state, struct err *e)
{
	w->status = 201;
	w->json = org_user_view(&r->me, state);
	return 0;
}

static int create_user(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {
		{"username", J_STRING, 1}, {"password", J_STRING, 1}, {"display_name", J_STRING, 0},
		{"phone", J_STRING, 0}, {"department", J_STRING, 0}, {"district", J_STRING, 0},
		{"roles", J_ARRAY, 0}, {NULL},
	};
	if (http_body(r, f, e))
		return e->code;
	return http_hashing(r, w, create_work, create_render, sizeof(struct user), e);
}

static int update_user(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {
		{"display_name", J_STRING, 0}, {"phone", J_STRING, 0}, {"department", J_STRING, 0},
		{"district", J_STRING, 0}, {"active", J_BOOL, 0}, {NULL},
	};
	int64_t id;
	struct user u;
	if (http_param_id(r, 0, &id, e) || http_body(r, f, e))
		return e->code;
	struct user_input in = {
		.display_name = json_get_str(r->json, "display_name", NULL), .phone = json_get_str(r->json, "phone", NULL),
		.department = json_get_str(r->json, "department", NULL), .district = json_get_str(r->json, "district", NULL),
	};
	if ((in.display_name || in.phone || in.department || in.district) &&
	    org_user_update(r->st, &r->me, r->now, id, &in, e))
		return e->code;
	if (json_object_get(r->json, "active")) {
		int active = json_get_bool(r->json, "active", 1);
		if (org_user_set_active(r->st, &r->me, r->now, id, active, e))
			return e->code;
		if (!active)
			session_drop_user(r->app->sessions, id);
	}
	if (store_user_by_id(r->st, id, &u, e))
		return e->code;
	w->json = org_user_view(&r->me, &u);
	return 0;
}

static int grant_role(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {{"role", J_STRING, 1}, {NULL}};
	int64_t id;
	if (http_param_id(r, 0, &id, e) || http_body(r, f, e) ||
	    org_user_grant(r->st, &r->me, r->now, id, json_get_str(r->json, "role", ""), 1, e))
		return e->code;
	session_drop_user(r->app->sessions, id);
	return get_user(r, w, e);
}

static int revoke_role(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	if (http_param_id(r, 0, &id, e) || org_user_grant(r->st, &r->me, r->now, id, r->params[1], 0, e))
		return e->code;
	session_drop_user(r->app->sessions, id);
	return get_user(r, w, e);
}

struct reset_state {
	char pw[17];
};

static int reset_work(struct store *st, struct http_req *r, void *state, struct err *e)
{
	struct reset_state *rs = state;
	int64_t id;
	if (http_param_id(r, 0, &id, e))
		return e->code;
	return org_user_reset_password(st, &r->app->policy, r->app->gate, &r->me, r->now, id,
				       json_get_str(r->json, "password", NULL), rs->pw, e);
}

static int reset_render(struct http_req *r, struct http_resp *w, void *state, struct err *e)
{
	struct reset_state *rs = state;
	int64_t id;
	if (http_param_id(r, 0, &id, e))
		return e->code;
	session_drop_user(r->app->sessions, id);
	w->json = json_get_str(r->json, "password", NULL) ? json_pack("{s:b}", "must_change", 1)
		: json_pack("{s:s,s:b}", "password", rs->pw, "must_change", 1);
	return 0;
}

static int reset_password(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {{"password", J_STRING, 0}, {NULL}};
	int64_t id;
	if (http_param_id(r, 0, &id, e) || http_body(r, f, e))
		return e->code;
	return http_hashing(r, w, reset_work, reset_render, sizeof(struct reset_state), e);
}

static int reset_totp(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	if (http_param_id(r, 0, &id, e) || auth_totp_reset(r->st, &r->me, r->now, id, e))
		return e->code;
	session_drop_user(r->app->sessions, id);
	w->status = 204;
	return 0;
}

static int unlock_user(struct http_req *r, struct http_resp *w, struct err *e)
{
	int64_t id;
	if (http_param_id(r, 0, &id, e) || org_user_unlock(r->st, &r->me, r->now, id, e))
		return e->code;
	w->status = 204;
	return 0;
}

const struct route api_org_routes[] = {
	{"GET", "/api/districts", list_districts, 0, 0},
	{"POST", "/api/districts", create_district, ROLE_SYSADMIN, 0},
	{"PATCH", "/api/districts/{code}", update_district, ROLE_SYSADMIN, 0},
	{"GET", "/api/departments", list_departments, 0, 0},
	{"POST", "/api/departments", create_department, ROLE_SYSADMIN, 0},
	{"PATCH", "/api/departments/{code}", update_department, ROLE_SYSADMIN, 0},
	{"GET", "/api/roles", list_roles, 0, 0},
	{"GET", "/api/users", list_users, ACCOUNT_ADMINS, 0},
	{"POST", "/api/users", create_user, ACCOUNT_ADMINS, 0},
	{"GET", "/api/users/{id}", get_user, ACCOUNT_ADMINS, 0},
	{"PATCH", "/api/users/{id}", update_user, ACCOUNT_ADMINS, 0},
	{"POST", "/api/users/{id}/roles", grant_role, ROLE_SECADMIN, 0},
	{"DELETE", "/api/users/{id}/totp", reset_totp, ROLE_SECADMIN, 0},
	{"POST", "/api/users/{id}/unlock", unlock_user, ROLE_SECADMIN, 0},
	{"DELETE", "/api/users/{id}/roles/{role}", revoke_role, ROLE_SECADMIN, 0},
	{"POST", "/api/users/{id}/password", reset_password, ROLE_SECADMIN, 0},
	{NULL},
};
