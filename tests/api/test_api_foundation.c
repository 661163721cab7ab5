/*
** test_api_foundation.c: the foundation over real HTTP: health, login and
** lockout, forced password change, role separation, request validation
** (bad JSON, unknown fields, types, 413, 415), lists and paging, metrics,
** the audit trail of it all.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "apitest.h"

static struct apitest T;

static int setup(void **state)
{
	if (apitest_start(&T, "[security]\nlockout_failures = 5\n") != 0)
		return -1;
	return apitest_user(&T, "clerk1", "clerk", "610202-XSP");
}

static int teardown(void **state)
{
	apitest_stop(&T);
	return 0;
}

static const char *err_code(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "code"));
}

static const char *err_field(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "field"));
}

static void test_health(void **state)
{
	struct client *c = client_new(&T);
	json_t *j;
	assert_int_equal(client_req(c, "GET", "/api/health", NULL, NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "ok");
	assert_string_equal(json_string_value(json_object_get(j, "db")), "ok");
	assert_non_null(json_object_get(j, "version"));
	json_decref(j);
	assert_int_equal(client_do(c, "GET", "/api/nothing-here", NULL), 404);
	client_free(c);
}

static void test_login_and_lockout(void **state)
{
	struct client *c = client_new(&T);
	json_t *j, *j2;
	assert_int_equal(apitest_user(&T, "locky", "reviewer", "610200-ZJJ"), 0);
	/* wrong password and unknown user: same status, same message */
	assert_int_equal(client_req(c, "POST", "/api/session",
				    "{\"username\":\"locky\",\"password\":\"nope\"}", NULL, &j), 401);
	assert_int_equal(client_req(c, "POST", "/api/session",
				    "{\"username\":\"nobody\",\"password\":\"nope\"}", NULL, &j2), 401);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "message")),
			    json_string_value(json_object_get(json_object_get(j2, "error"), "message")));
	json_decref(j);
	json_decref(j2);
	for (int i = 0; i < 3; i++)
		assert_int_equal(client_login(c, "locky", "wrong-Passw0rd"), 401);
	assert_int_equal(client_login(c, "locky", "wrong-Passw0rd"), 423);   /* 5th failure locks */
	assert_int_equal(client_login(c, "locky", APITEST_PASSWORD), 423);   /* even the right one */
	/* an administrator unlocks by re-enabling */
	assert_int_equal(apitest_cli(&T, "user enable --username locky", NULL, 0), 0);
	assert_int_equal(client_login(c, "locky", APITEST_PASSWORD), 200);
	assert_int_equal(client_do(c, "GET", "/api/me", NULL), 200);
	assert_int_equal(client_req(c, "DELETE", "/api/session", NULL, NULL, NULL), 204);
	assert_int_equal(client_do(c, "GET", "/api/me", NULL), 401);
	client_free(c);
}

static void test_must_change(void **state)
{
	struct client *c = client_new(&T);
	json_t *j;
	assert_int_equal(apitest_cli(&T, "user add --username fresh --password Init-Passw0rd! --role clerk "
				     "--department 610200-XSP", NULL, 0), 0);
	assert_int_equal(client_req(c, "POST", "/api/session",
				    "{\"username\":\"fresh\",\"password\":\"Init-Passw0rd!\"}", NULL, &j), 200);
	assert_true(json_is_true(json_object_get(j, "must_change")));
	json_decref(j);
	assert_int_equal(client_do(c, "GET", "/api/me", NULL), 403);
	assert_int_equal(client_do(c, "GET", "/api/departments", NULL), 403);
	/* only the exact body shape */
	assert_int_equal(client_req(c, "POST", "/api/me/password",
				    "{\"old\":\"Init-Passw0rd!\",\"new_password\":\"Better-Passw0rd\"}", NULL, &j), 400);
	assert_string_equal(err_field(j), "old");
	json_decref(j);
	/* policy: too weak, same as old */
	assert_int_equal(client_req(c, "POST", "/api/me/password",
				    "{\"old_password\":\"Init-Passw0rd!\",\"new_password\":\"abcdefgh\"}", NULL, &j), 400);
	assert_string_equal(err_field(j), "new_password");
	json_decref(j);
	assert_int_equal(client_do(c, "POST", "/api/me/password",
				   "{\"old_password\":\"Init-Passw0rd!\",\"new_password\":\"Init-Passw0rd!\"}"), 400);
	assert_int_equal(client_do(c, "POST", "/api/me/password",
				   "{\"old_password\":\"wrong\",\"new_password\":\"Better-Passw0rd\"}"), 400);
	assert_int_equal(client_do(c, "POST", "/api/me/password",
				   "{\"old_password\":\"Init-Passw0rd!\",\"new_password\":\"Better-Passw0rd\"}"), 200);
	assert_int_equal(client_do(c, "GET", "/api/me", NULL), 200);
	/* one change a day by the user himself (history: tests/unit/test_auth.c) */
	assert_int_equal(client_req(c, "POST", "/api/me/password",
				    "{\"old_password\":\"Better-Passw0rd\",\"new_password\":\"Third-Passw0rd\"}", NULL, &j),
			 409);
	assert_string_equal(err_field(j), "new_password");
	json_decref(j);
	client_free(c);
}

static void test_role_separation(void **state)
{
	struct client *sys = client_new(&T), *sec = client_new(&T), *aud = client_new(&T), *clk = client_new(&T);
	json_t *j;
	assert_int_equal(client_login(sys, "sysadmin", APITEST_PASSWORD), 200);
	assert_int_equal(client_login(sec, "secadmin", APITEST_PASSWORD), 200);
	assert_int_equal(client_login(aud, "auditor", APITEST_PASSWORD), 200);
	assert_int_equal(client_login(clk, "clerk1", APITEST_PASSWORD), 200);
	/* audit: auditor only */
	assert_int_equal(client_do(sys, "GET", "/api/audit", NULL), 403);
	assert_int_equal(client_do(sec, "GET", "/api/audit", NULL), 403);
	assert_int_equal(client_do(clk, "GET", "/api/audit", NULL), 403);
	assert_int_equal(client_req(aud, "GET", "/api/audit?action=session.login&page_size=5", NULL, NULL, &j), 200);
	assert_true(json_integer_value(json_object_get(j, "total")) > 0);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 5);
	/* keyset continuation: after= the page's last id is page 2 by number */
	assert_true(json_is_false(json_object_get(j, "total_capped")));
	assert_true(json_is_integer(json_object_get(j, "next_after")));
	json_t *second, *keyed;
	char apath[160];
	assert_int_equal(client_req(aud, "GET", "/api/audit?action=session.login&page_size=2&page=2", NULL, NULL,
				    &second), 200);
	json_decref(j);
	assert_int_equal(client_req(aud, "GET", "/api/audit?action=session.login&page_size=2", NULL, NULL, &j), 200);
	json_int_t after = json_integer_value(json_object_get(j, "next_after"));
	assert_true(after > 0);
	snprintf(apath, sizeof apath, "/api/audit?action=session.login&page_size=2&after=%lld", (long long)after);
	assert_int_equal(client_req(aud, "GET", apath, NULL, NULL, &keyed), 200);
	assert_true(json_equal(json_object_get(second, "items"), json_object_get(keyed, "items")));
	json_decref(second);
	json_decref(keyed);
	json_decref(j);
	assert_int_equal(client_req(aud, "GET", "/api/audit?action=session.*&outcome=failure&object=nobody", NULL, NULL,
				    &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), 0);
	json_decref(j);
	assert_int_equal(client_do(aud, "GET", "/api/audit?action=session.login%27--", NULL), 400);
	assert_int_equal(client_do(aud, "GET", "/api/audit?after=-3", NULL), 400);
	/* the auditor reads nothing else */
	assert_int_equal(client_do(aud, "GET", "/api/users", NULL), 403);
	/* accounts: administrators; roles: secadmin only; admin roles: CLI only */
	assert_int_equal(client_do(clk, "GET", "/api/users", NULL), 403);
	/* sysadmin creates accounts without roles (三员分立: secadmin grants them) */
	assert_int_equal(client_req(sys, "POST", "/api/users",
				    "{\"username\":\"rev2\",\"password\":\"Init-Passw0rd!\",\"roles\":[\"reviewer\"],"
				    "\"department\":\"610200-ZJJ\",\"phone\":\"13812345678\"}", NULL, &j), 403);
	assert_string_equal(err_field(j), "roles");
	json_decref(j);
	assert_int_equal(client_req(sys, "POST", "/api/users",
				    "{\"username\":\"rev2\",\"password\":\"Init-Passw0rd!\","
				    "\"department\":\"610200-ZJJ\",\"phone\":\"13812345678\"}", NULL, &j), 201);
	int64_t id = json_integer_value(json_object_get(j, "id"));
	assert_string_equal(json_string_value(json_object_get(j, "phone")), "138****5678");
	json_decref(j);
	char path[64];
	snprintf(path, sizeof path, "/api/users/%lld/roles", (long long)id);
	assert_int_equal(client_do(sys, "POST", path, "{\"role\":\"head\"}"), 403);
	assert_int_equal(client_do(sec, "POST", path, "{\"role\":\"head\"}"), 200);
	assert_int_equal(client_req(sec, "POST", path, "{\"role\":\"auditor\"}", NULL, &j), 403);
	json_decref(j);
	assert_int_equal(client_req(sec, "POST", path, "{\"role\":\"wizard\"}", NULL, &j), 400);
	assert_string_equal(err_field(j), "role");
	json_decref(j);
	/* lists mask phones */
	assert_int_equal(client_req(sec, "GET", "/api/users?role=head", NULL, NULL, &j), 200);
	const char *phone = json_string_value(json_object_get(json_array_get(json_object_get(j, "items"), 0), "phone"));
	assert_string_equal(phone, "138****5678");
	json_decref(j);
	/* departments: sysadmin creates, others cannot */
	assert_int_equal(client_do(clk, "POST", "/api/departments",
				   "{\"code\":\"610200-TEST\",\"name\":\"测试局\",\"district\":\"610200\"}"), 403);
	assert_int_equal(client_do(sys, "POST", "/api/departments",
				   "{\"code\":\"610200-TEST\",\"name\":\"测试局\",\"district\":\"610200\"}"), 201);
	assert_int_equal(client_do(sys, "POST", "/api/departments",
				   "{\"code\":\"610200-TEST\",\"name\":\"测试局\",\"district\":\"610200\"}"), 409);
	assert_int_equal(client_do(sys, "POST", "/api/departments",
				   "{\"code\":\"610200-T2\",\"name\":\"测试局\",\"district\":\"999999\"}"), 400);
	/* disabling drops the sessions of that account */
	struct client *rv = client_new(&T);
	assert_int_equal(apitest_cli(&T, "reset-password --username rev2 --password Init-Passw0rd!", NULL, 0), 2);
	snprintf(path, sizeof path, "/api/users/%lld", (long long)id);
	assert_int_equal(client_do(sys, "PATCH", path, "{\"active\":false}"), 200);
	assert_int_equal(client_login(rv, "rev2", "Init-Passw0rd!"), 401);
	client_free(rv);
	client_free(sys);
	client_free(sec);
	client_free(aud);
	client_free(clk);
}

/* Roles are named once (org/rbac.c): GET /api/roles and the dictionary
** org.role give every role the same name, in the same order. */
static void test_roles_named_once(void **state)
{
	struct client *c = client_new(&T);
	json_t *roles, *dict;
	assert_int_equal(client_login(c, "clerk1", APITEST_PASSWORD), 200);
	assert_int_equal(client_req(c, "GET", "/api/roles", NULL, NULL, &roles), 200);
	assert_int_equal(client_req(c, "GET", "/api/dict", NULL, NULL, &dict), 200);
	json_t *items = json_object_get(roles, "items"), *names = json_object_get(dict, "org.role");
	assert_int_equal(json_array_size(items), 10);
	assert_int_equal(json_array_size(items), json_array_size(names));
	for (size_t i = 0; i < json_array_size(items); i++) {
		json_t *r = json_array_get(items, i), *n = json_array_get(names, i);
		assert_string_equal(json_string_value(json_object_get(r, "code")),
				    json_string_value(json_object_get(n, "code")));
		assert_string_equal(json_string_value(json_object_get(r, "name")),
				    json_string_value(json_object_get(n, "label")));
		assert_true(strlen(json_string_value(json_object_get(r, "description"))) > 0);
	}
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 3), "scope")), "city");
	json_decref(roles);
	json_decref(dict);
	client_free(c);
}

static void test_bad_requests(void **state)
{
	struct client *c = client_new(&T);
	json_t *j;
	assert_int_equal(client_login(c, "sysadmin", APITEST_PASSWORD), 200);
	assert_int_equal(client_req(c, "POST", "/api/departments", "{\"code\":", NULL, &j), 400);
	assert_string_equal(err_code(j), "invalid");
	json_decref(j);
	assert_int_equal(client_req(c, "POST", "/api/departments", "[1,2]", NULL, &j), 400);
	json_decref(j);
	assert_int_equal(client_req(c, "POST", "/api/departments",
				    "{\"code\":\"X-1\",\"name\":\"x\",\"district\":\"610200\",\"colour\":\"red\"}", NULL, &j), 400);
	assert_string_equal(err_field(j), "colour");
	json_decref(j);
	assert_int_equal(client_req(c, "POST", "/api/departments",
				    "{\"code\":5,\"name\":\"x\",\"district\":\"610200\"}", NULL, &j), 400);
	assert_string_equal(err_field(j), "code");
	json_decref(j);
	assert_int_equal(client_req(c, "POST", "/api/departments", "{\"code\":\"X-1\"}", "text/plain", &j), 415);
	json_decref(j);
	size_t big = 1024 * 1024 + 100;
	char *body = malloc(big + 1);
	memset(body, ' ', big);
	body[0] = '{';
	body[big - 1] = '}';
	body[big] = 0;
	assert_int_equal(client_do(c, "POST", "/api/departments", body), 413);
	free(body);
	assert_int_equal(client_req(c, "GET", "/api/departments?page_size=500", NULL, NULL, &j), 400);
	assert_string_equal(err_field(j), "page_size");
	json_decref(j);
	assert_int_equal(client_req(c, "GET", "/api/departments?page=2&page_size=5", NULL, NULL, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "page")), 2);
	assert_int_equal(json_array_size(json_object_get(j, "items")), 5);
	assert_true(json_integer_value(json_object_get(j, "total")) >= 25);
	assert_non_null(json_object_get(json_array_get(json_object_get(j, "items"), 0), "id"));
	json_decref(j);
	/* nothing half-written: the failed requests left no department behind */
	assert_int_equal(client_req(c, "GET", "/api/departments?district=610200&page_size=200", NULL, NULL, &j), 200);
	size_t i;
	json_t *it;
	json_array_foreach(json_object_get(j, "items"), i, it)
		assert_string_not_equal(json_string_value(json_object_get(it, "code")), "X-1");
	json_decref(j);
	/* unauthenticated */
	struct client *anon = client_new(&T);
	assert_int_equal(client_do(anon, "GET", "/api/departments", NULL), 401);
	client_free(anon);
	client_free(c);
}

static void test_metrics_and_audit(void **state)
{
	struct client *c = client_new(&T);
	char out[256];
	assert_int_equal(client_do(c, "GET", "/metrics", NULL), 200);
	assert_non_null(strstr(client_body(c), "gonggai_http_requests_total{method=\"GET\",route=\"/api/health\",status=\"200\"}"));
	assert_non_null(strstr(client_body(c), "gonggai_http_request_duration_seconds_bucket"));
	assert_non_null(strstr(client_body(c), "gonggai_build_info"));
	assert_int_equal(apitest_cli(&T, "audit verify", out, sizeof out), 0);
	assert_non_null(strstr(out, "audit chain ok"));
	client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_health),
		cmocka_unit_test(test_login_and_lockout),
		cmocka_unit_test(test_must_change),
		cmocka_unit_test(test_role_separation),
		cmocka_unit_test(test_roles_named_once),
		cmocka_unit_test(test_bad_requests),
		cmocka_unit_test(test_metrics_and_audit),
	};
	return cmocka_run_group_tests_name("api_foundation", tests, setup, teardown);
}
