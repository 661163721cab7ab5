/*
** test_api_deptoff.c: 停用部门 (issue 14 item 6) over real HTTP.
**
** 自然资源和规划局 has a running case and two active accounts. Disabling it
** without confirm is 409 with both counts (and changes nothing); confirmed,
** its accounts are disabled with it (their session ends, login is 401) and a
** new application naming one of its items is 409 naming the department.
** Re-enabling the department leaves the accounts disabled (and they cannot
** be enabled while it is disabled). A department
** with neither disables without confirmation, and moves to another
** district while it has handled no case (one with cases: 409 district).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitest.h"
#include "base/clock.h"

#define DEPT "610200-ZRZY"

static struct apitest T;

static int setup(void **state)
{
	(void)state;
	if (apitest_start(&T, NULL) != 0)
		return -1;
	if (apitest_user(&T, "win1", "clerk", "610200-XSP") || apitest_user(&T, "zr_c", "clerk", DEPT) ||
	    apitest_user(&T, "zr_h", "head", DEPT))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	apitest_stop(&T);
	return 0;
}

static const char *js(json_t *o, const char *a, const char *b)
{
	o = json_object_get(o, a);
	if (b)
		o = json_object_get(o, b);
	return json_is_string(o) ? json_string_value(o) : "";
}

static int64_t ji(json_t *o, const char *a, const char *b)
{
	o = json_object_get(o, a);
	if (b)
		o = json_object_get(o, b);
	return json_integer_value(o);
}

static void at(struct client *c, const char *date)
{
	char line[64];
	snprintf(line, sizeof line, "X-GG-Now: %lld", (long long)(clock_cn_midnight(date) + 10 * 3600));
	client_header(c, line);
}

static int64_t project(struct client *win, const char *code)
{
	char body[1024];
	json_t *j = NULL;
	snprintf(body, sizeof body,
		 "{\"code\":\"%s\",\"name\":\"王益区川口社区便民服务中心\",\"flow_type\":4,\"division\":\"610202\","
		 "\"address\":\"王益区红旗街\",\"investment_wan\":2600,\"land_area_m2\":3000,\"floor_area_m2\":4200,"
		 "\"planned_start\":\"2025-10-01\",\"planned_finish\":\"2026-12-31\",\"units\":[{\"kind\":\"builder\","
		 "\"name\":\"厦门测试建设有限公司\",\"credit_code\":\"91350200575030446H\",\"contact\":\"李四\","
		 "\"phone\":\"13800138000\"}]}", code);
	int s = client_req(win, "POST", "/api/projects", body, NULL, &j);
	if (s != 201)
		fail_msg("project: %d %s", s, client_body(win));
	int64_t id = ji(j, "id", NULL);
	json_decref(j);
	return id;
}

static int apply(struct client *win, int64_t pid, json_t **j)
{
	char path[64];
	snprintf(path, sizeof path, "/api/projects/%lld/applications", (long long)pid);
	return client_req(win, "POST", path, "{\"stage\":1,\"items\":[\"YDGH-001\"]}", NULL, j);
}

static void test_disable_department(void **state)
{
	(void)state;
	json_t *j = NULL;
	struct client *win = client_new(&T), *sys = client_new(&T), *zr = client_new(&T), *c = client_new(&T);
	at(win, "2025-09-26");
	assert_int_equal(client_login(win, "win1", APITEST_PASSWORD), 200);
	assert_int_equal(client_login(sys, "sysadmin", APITEST_PASSWORD), 200);
	assert_int_equal(client_login(zr, "zr_c", APITEST_PASSWORD), 200);

	/* a running case of the department */
	int64_t p1 = project(win, "2025-610202-47-01-000201"), p2 = project(win, "2025-610202-47-01-000202");
	int s = apply(win, p1, &j);
	if (s != 201)
		fail_msg("apply: %d %s", s, client_body(win));
	assert_string_equal(js(json_array_get(json_object_get(j, "cases"), 0), "department", NULL), DEPT);
	json_decref(j);

	/* without confirm: 409 with both counts, nothing changed */
	s = client_req(sys, "PATCH", "/api/departments/" DEPT, "{\"active\":false}", NULL, &j);
	assert_int_equal(s, 409);
	assert_string_equal(js(j, "error", "field"), "confirm");
	assert_int_equal(ji(j, "error", "running_cases"), 1);
	assert_int_equal(ji(j, "error", "active_accounts"), 2);
	json_decref(j);
	assert_int_equal(client_req(zr, "GET", "/api/me", NULL, NULL, NULL), 200);

	/* confirmed: the accounts go with it */
	s = client_req(sys, "PATCH", "/api/departments/" DEPT, "{\"active\":false,\"confirm\":true}", NULL, &j);
	if (s != 200)
		fail_msg("disable: %d %s", s, client_body(sys));
	assert_int_equal(ji(j, "disabled_accounts", NULL), 2);
	json_decref(j);
	assert_int_equal(client_req(zr, "GET", "/api/me", NULL, NULL, NULL), 401);   /* session ended */
	assert_int_equal(client_login(c, "zr_c", APITEST_PASSWORD), 401);
	assert_int_equal(client_login(c, "zr_h", APITEST_PASSWORD), 401);

	/* no new application names its items */
	s = apply(win, p2, &j);
	assert_int_equal(s, 409);
	assert_non_null(strstr(js(j, "error", "message"), DEPT));
	json_decref(j);

	/* listed as disabled */
	s = client_req(sys, "GET", "/api/users?department=" DEPT, NULL, NULL, &j);
	assert_int_equal(s, 200);
	size_t i;
	json_t *u;
	int64_t zr_id = 0;
	json_array_foreach(json_object_get(j, "items"), i, u) {
		assert_false(json_is_true(json_object_get(u, "active")));
		if (strcmp(js(u, "username", NULL), "zr_c") == 0)
			zr_id = ji(u, "id", NULL);
	}
	json_decref(j);
	assert_true(zr_id > 0);
	char upath[64];
	snprintf(upath, sizeof upath, "/api/users/%lld", (long long)zr_id);
	/* an account of a disabled department cannot be enabled */
	assert_int_equal(client_req(sys, "PATCH", upath, "{\"active\":true}", NULL, NULL), 409);

	/* re-enabling leaves the accounts disabled, and says so */
	s = client_req(sys, "PATCH", "/api/departments/" DEPT, "{\"active\":true}", NULL, &j);
	assert_int_equal(s, 200);
	assert_true(json_is_true(json_object_get(j, "accounts_stay_disabled")));
	json_decref(j);
	assert_int_equal(client_login(c, "zr_c", APITEST_PASSWORD), 401);
	/* enabled one by one, it logs in again */
	assert_int_equal(client_req(sys, "PATCH", upath, "{\"active\":true}", NULL, NULL), 200);
	assert_int_equal(client_login(c, "zr_c", APITEST_PASSWORD), 200);
	s = apply(win, p2, &j);   /* the department receives again */
	if (s != 201)
		fail_msg("apply after re-enable: %d %s", s, client_body(win));
	json_decref(j);

	/* nothing running, no accounts: no confirmation needed */
	assert_int_equal(client_req(sys, "POST", "/api/departments",
				    "{\"code\":\"610200-TST\",\"name\":\"测试局\",\"district\":\"610200\"}", NULL, NULL), 201);
	assert_int_equal(client_req(sys, "PATCH", "/api/departments/610200-TST", "{\"active\":false}", NULL, NULL),
			 200);

	/* a department that never handled a case moves to another district; one with cases does not */
	assert_int_equal(client_req(sys, "PATCH", "/api/departments/610200-TST", "{\"district\":\"610203\"}", NULL,
				    NULL), 200);
	assert_int_equal(client_req(sys, "GET", "/api/departments?district=610203", NULL, NULL, &j), 200);
	assert_non_null(strstr(client_body(sys), "610200-TST"));
	json_decref(j);
	assert_int_equal(client_req(sys, "PATCH", "/api/departments/610200-TST", "{\"district\":\"999999\"}", NULL,
				    &j), 400);
	assert_string_equal(js(j, "error", "field"), "district");
	json_decref(j);
	assert_int_equal(client_req(sys, "PATCH", "/api/departments/" DEPT, "{\"district\":\"610203\"}", NULL, &j), 409);
	assert_string_equal(js(j, "error", "field"), "district");
	json_decref(j);
	assert_int_equal(client_req(sys, "GET", "/api/departments?district=610203", NULL, NULL, NULL), 200);
	assert_null(strstr(client_body(sys), DEPT));
	client_free(win);
	client_free(sys);
	client_free(zr);
	client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_disable_department),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
