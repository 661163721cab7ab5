/*
** test_api_quality.c: 数据质检 over real HTTP.
**
** Two projects in two districts get their 立项用地规划许可 applications
** through the command line; one project's planned dates are then broken
** in the database (as a bad import would). Then: only leaders and ops run
** the rules; the run's JSON lists every enabled rule; the defect is a
** finding of the window of the project's district, visible to a leader,
** not to the head of another department; a head cannot dismiss, a leader
** can (with a reason, 400 without); rules are listed, changed (a new
** version, history) only by editors; the 通报 downloads as XLSX and HTML;
** /api/dict carries the quality names; `gonggai quality findings --json`
** prints the same items as the API.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "apitest.h"

static struct apitest T;

static int cli(const char *args, char *out, size_t n)
{
	return apitest_cli(&T, args, out, n);
}

static void add_project(const char *code, const char *division)
{
	char args[1024];
	snprintf(args, sizeof args, "project add --code %s --name 质检接口测试项目 --flow-type 4 --division %s "
		 "--address 铜川 --investment 800 --land-area 1000 --floor-area 2000 --start 2026-01-01 "
		 "--finish 2027-12-31 --unit 'builder,铜川市行政审批服务局,11610200MB29655940,王五,13912345678'",
		 code, division);
	assert_int_equal(cli(args, NULL, 0), 0);
	snprintf(args, sizeof args, "case apply --project %s --stage 1 --items QYBA-001,YDGH-001", code);
	assert_int_equal(cli(args, NULL, 0), 0);
}

static int setup(void **state)
{
	char cmd[600];
	if (apitest_start(&T, NULL) != 0)
		return -1;
	if (apitest_user(&T, "boss", "leader", NULL) || apitest_user(&T, "zr_h", "head", "610200-ZRZY") ||
	    apitest_user(&T, "wy_h", "head", "610202-XSP") || apitest_user(&T, "ops1", "ops", NULL))
		return -1;
	add_project("2026-610202-47-01-000001", "610202");
	add_project("2026-610204-47-01-000002", "610204");
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' \"UPDATE projects SET planned_start = '2028-01-01' "
		 "WHERE code = '2026-610202-47-01-000001'\"", T.db);
	return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	apitest_stop(&T);
	return 0;
}

static struct client *login(const char *user)
{
	struct client *c = client_new(&T);
	if (client_login(c, user, APITEST_PASSWORD) != 200)
		fail_msg("login %s", user);
	return c;
}

static json_int_t geti(json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static const char *gets(json_t *o, const char *k)
{
	const char *s = json_string_value(json_object_get(o, k));
	return s ? s : "";
}

static json_int_t Finding;

static void test_run_and_findings(void **state)
{
	struct client *boss = login("boss"), *zr = login("zr_h"), *wy = login("wy_h"), *ops = login("ops1");
	json_t *j, *it;
	size_t i;
	assert_int_equal(client_req(zr, "POST", "/api/quality/run", "{}", NULL, &j), 403);
	json_decref(j);
	assert_int_equal(client_req(ops, "POST", "/api/quality/run", "{\"rule\":\"nope\"}", NULL, &j), 404);
	json_decref(j);
	assert_int_equal(client_req(boss, "POST", "/api/quality/run", "{}", NULL, &j), 200);
	assert_true(geti(json_object_get(j, "run"), "id") > 0);
	assert_true(json_array_size(json_object_get(j, "rules")) >= 25);
	json_array_foreach(json_object_get(j, "rules"), i, it)
		if (!strcmp(gets(it, "id"), "project-dates"))
			assert_int_equal(geti(it, "findings"), 1);
	json_decref(j);
	assert_int_equal(client_req(boss, "GET", "/api/quality/findings?rule=project-dates", NULL, NULL, &j), 200);
	assert_int_equal(geti(j, "total"), 1);
	it = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(gets(it, "object"), "2026-610202-47-01-000001");
	assert_string_equal(gets(it, "department"), "610202-XSP");
	assert_string_equal(gets(it, "district"), "610202");
	assert_string_equal(gets(it, "status"), "open");
	assert_string_equal(gets(it, "severity"), "error");
	assert_int_equal(strlen(gets(it, "deadline")), 10);
	assert_true(json_is_null(json_object_get(it, "fixed_at")));
	Finding = geti(it, "id");
	json_decref(j);
	/* scope: the district window sees it, another department's head does not */
	assert_int_equal(client_req(wy, "GET", "/api/quality/findings?rule=project-dates", NULL, NULL, &j), 200);
	assert_int_equal(geti(j, "total"), 1);
	json_decref(j);
	assert_int_equal(client_req(zr, "GET", "/api/quality/findings?rule=project-dates", NULL, NULL, &j), 200);
	assert_int_equal(geti(j, "total"), 0);
	json_decref(j);
	char path[80];
	snprintf(path, sizeof path, "/api/quality/findings/%lld", (long long)Finding);
	assert_int_equal(client_req(zr, "GET", path, NULL, NULL, &j), 404);
	json_decref(j);
	assert_int_equal(client_req(wy, "GET", path, NULL, NULL, &j), 200);
	assert_string_equal(gets(j, "rule_name"), "拟开工时间早于拟建成时间");
	assert_int_equal(json_array_size(json_object_get(j, "events")), 1);
	json_decref(j);
	assert_int_equal(client_req(boss, "GET", "/api/quality/findings?status=later", NULL, NULL, &j), 400);
	json_decref(j);
	/* the overview */
	assert_int_equal(client_req(boss, "GET", "/api/quality/overview", NULL, NULL, &j), 200);
	assert_true(geti(j, "open") >= 1);
	assert_true(json_is_object(json_object_get(j, "last_run")));
	json_decref(j);
	/* the command line prints the same items */
	static char out[65536];
	assert_int_equal(cli("quality findings --rule project-dates --json", out, sizeof out), 0);
	j = json_loads(out, 0, NULL);
	assert_int_equal(geti(j, "total"), 1);
	assert_int_equal(geti(json_array_get(json_object_get(j, "items"), 0), "id"), Finding);
	json_decref(j);
	client_free(boss);
	client_free(zr);
	client_free(wy);
	client_free(ops);
}

static void test_dismiss(void **state)
{
	struct client *boss = login("boss"), *wy = login("wy_h");
	char path[80];
	json_t *j;
	snprintf(path, sizeof path, "/api/quality/findings/%lld/dismiss", (long long)Finding);
	assert_int_equal(client_req(wy, "POST", path, "{\"reason\":\"已核实\"}", NULL, &j), 403);
	json_decref(j);
	assert_int_equal(client_req(boss, "POST", path, "{\"reason\":\"\"}", NULL, &j), 400);
	assert_string_equal(gets(json_object_get(j, "error"), "field"), "reason");
	json_decref(j);
	assert_int_equal(client_req(boss, "POST", path, "{\"reason\":\"项目已调整计划，经核实无误\"}", NULL, &j), 200);
	assert_string_equal(gets(j, "status"), "dismissed");
	json_decref(j);
	assert_int_equal(client_req(boss, "POST", path, "{\"reason\":\"再次核销\"}", NULL, &j), 409);
	json_decref(j);
	client_free(boss);
	client_free(wy);
}

static void test_rules(void **state)
{
	struct client *boss = login("boss"), *zr = login("zr_h");
	json_t *j;
	assert_int_equal(client_req(zr, "GET", "/api/quality/rules", NULL, NULL, &j), 200);
	assert_true(json_array_size(json_object_get(j, "items")) >= 25);
	json_decref(j);
	assert_int_equal(client_req(zr, "PUT", "/api/quality/rules/case-zombie", "{\"enabled\":false}", NULL, &j), 403);
	json_decref(j);
	assert_int_equal(client_req(boss, "PUT", "/api/quality/rules/case-zombie",
				    "{\"params\":{\"days\":30},\"note\":\"放宽\"}", NULL, &j), 200);
	assert_int_equal(geti(j, "version"), 1);
	json_decref(j);
	assert_int_equal(client_req(boss, "PUT", "/api/quality/rules/case-zombie", "{\"params\":{\"days\":\"x\"}}",
				    NULL, &j), 400);
	json_decref(j);
	assert_int_equal(client_req(boss, "GET", "/api/quality/rules/case-zombie/history", NULL, NULL, &j), 200);
	assert_int_equal(json_array_size(json_object_get(j, "versions")), 1);
	json_decref(j);
	assert_int_equal(client_req(boss, "GET", "/api/quality/rules/export", NULL, NULL, &j), 200);
	assert_string_equal(gets(j, "format"), "gonggai-quality-rules");
	json_decref(j);
	assert_int_equal(client_req(boss, "GET", "/api/dict", NULL, NULL, &j), 200);
	assert_true(json_is_array(json_object_get(j, "quality.status")));
	json_decref(j);
	client_free(boss);
	client_free(zr);
}

static void test_notice(void **state)
{
	struct client *boss = login("boss");
	json_t *j;
	char path[120], month[8];
	time_t now = time(NULL) + 8 * 3600;
	strftime(month, sizeof month, "%Y-%m", gmtime(&now));
	snprintf(path, sizeof path, "/api/quality/notice?period=%s", month);
	assert_int_equal(client_req(boss, "GET", path, NULL, NULL, &j), 200);
	assert_string_equal(gets(j, "letterhead"), "铜川市行政审批服务局");
	assert_true(geti(json_object_get(j, "totals"), "new") >= 1);
	json_decref(j);
	snprintf(path, sizeof path, "/api/quality/notice?period=%s&format=xlsx", month);
	assert_int_equal(client_req(boss, "GET", path, NULL, NULL, NULL), 200);
	assert_true(!strncmp(client_body(boss), "PK", 2));
	snprintf(path, sizeof path, "/api/quality/notice?period=%s&format=html", month);
	assert_int_equal(client_req(boss, "GET", path, NULL, NULL, NULL), 200);
	assert_non_null(strstr(client_body(boss), "整改率"));
	assert_int_equal(client_req(boss, "GET", "/api/quality/notice?period=2026-13", NULL, NULL, &j), 400);
	json_decref(j);
	client_free(boss);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_run_and_findings), cmocka_unit_test(test_dismiss), cmocka_unit_test(test_rules),
		cmocka_unit_test(test_notice),
	};
	return cmocka_run_group_tests_name("api_quality", tests, setup, teardown);
}
