/*
** test_api_business.c: 营商环境—办理建筑许可 over real HTTP.
**
** One 小型社会投资 project goes through the four stages today from the
** command line (stage 4 with its 54Y joint acceptance first): seven 办件,
** all approved. Then: only ops and leaders read the report (a head gets
** 403, nobody signed in 401); a bad period or format is a 400 naming the
** field; the JSON lists the project with its seven procedures and the same
** figures as `gonggai report business --json`; XLSX downloads as a workbook,
** HTML prints with its title; /api/dict names the report.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "apitest.h"

static struct apitest T;
static char Today[16];

#define CODE "2026-610202-47-01-000001"

static int cli(const char *args)
{
	return apitest_cli(&T, args, NULL, 0);
}

/* Accept, review, and move step by step until the approval is allowed. */
static int pass(int id)
{
	char a[200];
	snprintf(a, sizeof a, "case act --case %d --action accept", id);
	if (cli(a))
		return -1;
	snprintf(a, sizeof a, "case act --case %d --action start_review", id);
	if (cli(a))
		return -1;
	for (int step = 0; step < 8; step++) {
		snprintf(a, sizeof a, "case act --case %d --action approve --opinion 同意", id);
		if (!cli(a))
			return 0;
		snprintf(a, sizeof a, "case act --case %d --action next_step", id);
		if (cli(a))
			return -1;
	}
	return -1;
}

static int history(void)
{
	static const char *const applies[] = {
		"--stage 1 --items YDGH-001", "--stage 2 --items GHXK-001", "--stage 3 --items SGXK-001",
		"--stage 4 --side-line 54Y --items GHHS-001,XFBA-001,DAYS-001", "--stage 4 --items JGBA-001"};
	static const int cases[] = {1, 1, 1, 3, 1};
	char a[600];
	int id = 1;
	if (cli("project add --code " CODE " --name 营商接口测试项目 --flow-type 4 --division 610202 --address 铜川 "
		"--investment 800 --land-area 1000 --floor-area 2000 --start 2026-01-01 --finish 2027-12-31 "
		"--unit 'builder,铜川市行政审批服务局,11610200MB29655940,王五,13912345678'"))
		return -1;
	for (int i = 0; i < 5; i++) {
		snprintf(a, sizeof a, "case apply --project " CODE " %s", applies[i]);
		if (cli(a))
			return -1;
		for (int k = 0; k < cases[i]; k++)
			if (pass(id++))
				return -1;
	}
	return 0;
}

static int setup(void **state)
{
	time_t now = time(NULL) + 8 * 3600;   /* Asia/Shanghai */
	(void)state;
	strftime(Today, sizeof Today, "%Y-%m-%d", gmtime(&now));
	if (apitest_start(&T, NULL) != 0)
		return -1;
	if (apitest_user(&T, "boss", "leader", NULL) || apitest_user(&T, "zj_h", "head", "610200-ZJJ") ||
	    apitest_user(&T, "ops1", "ops", NULL))
		return -1;
	return history();
}

static int teardown(void **state)
{
	(void)state;
	return apitest_stop(&T) == 0 ? 0 : -1;
}

static struct client *login(const char *user)
{
	struct client *c = client_new(&T);
	assert_int_equal(client_login(c, user, APITEST_PASSWORD), 200);
	return c;
}

static void test_rights_and_errors(void **state)
{
	(void)state;
	char path[200];
	json_t *j = NULL;
	struct client *anon = client_new(&T), *head = login("zj_h"), *ops = login("ops1");
	snprintf(path, sizeof path, "/api/reports/business?from=%s&to=%s&format=json", Today, Today);
	assert_int_equal(client_do(anon, "GET", path, NULL), 401);
	assert_int_equal(client_do(head, "GET", path, NULL), 403);
	assert_int_equal(client_req(ops, "GET", "/api/reports/business?to=2026-01-31&format=json", NULL, NULL, &j), 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "from");
	json_decref(j);
	assert_int_equal(client_req(ops, "GET", "/api/reports/business?from=2024-01-01&to=2025-12-31", NULL, NULL, &j),
			 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "to");
	json_decref(j);
	snprintf(path, sizeof path, "/api/reports/business?from=%s&to=%s&format=pdf", Today, Today);
	assert_int_equal(client_req(ops, "GET", path, NULL, NULL, &j), 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "format");
	json_decref(j);
	client_free(anon);
	client_free(head);
	client_free(ops);
}

static void test_figures_equal_the_cli(void **state)
{
	(void)state;
	char path[200], args[200], *out = malloc(1 << 20);
	json_t *j = NULL, *cli_doc;
	struct client *boss = login("boss");
	snprintf(path, sizeof path, "/api/reports/business?from=%s&to=%s&format=json", Today, Today);
	assert_int_equal(client_req(boss, "GET", path, NULL, NULL, &j), 200);
	json_t *fig = json_object_get(j, "figures"), *p = json_array_get(json_object_get(fig, "projects"), 0);
	assert_int_equal(json_array_size(json_object_get(fig, "projects")), 1);
	assert_string_equal(json_string_value(json_object_get(p, "code")), CODE);
	assert_int_equal(json_integer_value(json_object_get(p, "procedures")), 7);
	assert_int_equal(json_integer_value(json_object_get(p, "workdays")), 0);     /* all done today */
	assert_int_equal(json_integer_value(json_object_get(p, "natural_days")), 0);
	assert_true(json_is_null(json_object_get(p, "target")));                     /* 小型社会投资: no target */
	assert_int_equal(json_integer_value(json_object_get(p, "fee_unrecorded")), 0);
	snprintf(args, sizeof args, "report business --from %s --to %s --json", Today, Today);
	assert_int_equal(apitest_cli(&T, args, out, 1 << 20), 0);
	assert_non_null(cli_doc = json_loads(out, 0, NULL));
	assert_true(json_equal(json_object_get(cli_doc, "figures"), fig));
	json_decref(cli_doc);
	json_decref(j);
	free(out);
	client_free(boss);
}

static void test_formats_and_dict(void **state)
{
	(void)state;
	char path[200];
	json_t *j = NULL;
	struct client *ops = login("ops1");
	snprintf(path, sizeof path, "/api/reports/business?from=%s&to=%s&format=xlsx", Today, Today);
	assert_int_equal(client_do(ops, "GET", path, NULL), 200);
	assert_memory_equal(client_body(ops), "PK", 2);
	snprintf(path, sizeof path, "/api/reports/business?from=%s&to=%s", Today, Today);
	assert_int_equal(client_do(ops, "GET", path, NULL), 200);
	assert_non_null(strstr(client_body(ops), "<h1>营商环境—办理建筑许可</h1>"));
	assert_non_null(strstr(client_body(ops), "营商接口测试项目"));
	assert_int_equal(client_req(ops, "GET", "/api/dict", NULL, NULL, &j), 200);
	assert_non_null(strstr(client_body(ops), "\"business.report\""));
	json_decref(j);
	client_free(ops);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rights_and_errors),
		cmocka_unit_test(test_figures_equal_the_cli),
		cmocka_unit_test(test_formats_and_dict),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
