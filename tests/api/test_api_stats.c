/*
** test_api_stats.c: statistics over real HTTP.
**
** Two small-investment projects (TC-SHTZ-XX) in two districts get their
** 立项用地规划许可 applications through the command line; some 办件 are
** approved, one refused, one withdrawn, the rest left running. Then:
** the dashboard and the period report agree with what was done (leader:
** the whole city; a head of 自然资源和规划局: only that department; other
** roles 403), the CSV and XLSX downloads (the workbook read back with
** Debian's python3 + openpyxl when installed), parameter errors name their
** field, the on-demand light pass is a recorded job, lights move when the
** test clock (X-GG-Now) jumps two months, and `gonggai stats check` agrees
** with every aggregate afterwards.
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
static json_t *Cases;      /* ids of the 办件 opened, in order */

static int cli(const char *args, char *out, size_t n)
{
	return apitest_cli(&T, args, out, n);
}

static json_t *cli_json(const char *args)
{
	static char out[65536];
	if (cli(args, out, sizeof out) != 0)
		return NULL;
	return json_loads(out, 0, NULL);
}

static void add_project(const char *code, const char *division)
{
	char args[1024];
	snprintf(args, sizeof args, "project add --code %s --name 统计接口测试项目 --flow-type 4 --division %s "
		 "--address 铜川 --investment 800 --land-area 1000 --floor-area 2000 --start 2026-01-01 "
		 "--finish 2027-12-31 --unit 'builder,铜川市行政审批服务局,11610200MB29655940,王五,13912345678'",
		 code, division);
	assert_int_equal(cli(args, NULL, 0), 0);
	snprintf(args, sizeof args, "case apply --project %s --stage 1 --items QYBA-001,YDGH-001", code);
	json_t *j = cli_json(args);
	assert_non_null(j);
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(j, "cases"), i, c)
		json_array_append(Cases, json_object_get(c, "id"));
	json_decref(j);
}

static int act(json_int_t id, const char *action)
{
	char args[256];
	snprintf(args, sizeof args, "case act --case %lld --action %s --opinion 测试", (long long)id, action);
	return cli(args, NULL, 0);
}

/* Accept, review and approve (next step until the last one allows it). */
static void approve(json_int_t id)
{
	assert_int_equal(act(id, "accept"), 0);
	assert_int_equal(act(id, "start_review"), 0);
	for (int i = 0; i < 8 && act(id, "approve") != 0; i++)
		assert_int_equal(act(id, "next_step"), 0);
}

static int setup(void **state)
{
	if (apitest_start(&T, NULL) != 0)
		return -1;
	if (apitest_user(&T, "boss", "leader", NULL) || apitest_user(&T, "zr_h", "head", "610200-ZRZY") ||
	    apitest_user(&T, "zr_c", "clerk", "610200-ZRZY") || apitest_user(&T, "ops1", "ops", NULL))
		return -1;
	Cases = json_array();
	add_project("2026-610202-47-01-000001", "610202");
	add_project("2026-610204-47-01-000002", "610204");
	if (json_array_size(Cases) != 4)
		return -1;
	approve(json_integer_value(json_array_get(Cases, 0)));
	approve(json_integer_value(json_array_get(Cases, 1)));
	if (act(json_integer_value(json_array_get(Cases, 2)), "refuse") != 0 ||
	    act(json_integer_value(json_array_get(Cases, 3)), "accept") != 0)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	json_decref(Cases);
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

static const char *err_field(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "field"));
}

/* ---- tests ------------------------------------------------------------------------- */

static void test_overview_city_and_department(void **state)
{
	struct client *boss = login("boss"), *head = login("zr_h");
	json_t *j;
	assert_int_equal(client_req(boss, "GET", "/api/stats/overview", NULL, NULL, &j), 200);
	assert_int_equal(geti(j, "total"), 4);
	assert_int_equal(geti(j, "concluded"), 2);
	assert_int_equal(geti(j, "running"), 1);
	assert_int_equal(geti(j, "green") + geti(j, "yellow") + geti(j, "red"), 1);
	assert_string_equal(json_string_value(json_object_get(j, "scope")), "全市");
	assert_int_equal(json_array_size(json_object_get(j, "districts")), 2);
	json_t *st = json_object_get(j, "status");
	assert_int_equal(geti(json_array_get(st, 10), "n"), 2);     /* 11 办结(通过) */
	assert_int_equal(geti(json_array_get(st, 4), "n"), 1);      /* 5 不予受理 */
	json_decref(j);
	/* the head of 自然资源和规划局 sees the department's 办件 only (YDGH-001 is theirs) */
	assert_int_equal(client_req(head, "GET", "/api/stats/overview", NULL, NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(j, "department")), "610200-ZRZY");
	assert_true(geti(j, "total") >= 1 && geti(j, "total") < 4);
	json_t *d;
	size_t i;
	json_array_foreach(json_object_get(j, "departments"), i, d)
		assert_string_equal(json_string_value(json_object_get(d, "code")), "610200-ZRZY");
	json_decref(j);
	client_free(boss);
	client_free(head);
}

static void test_roles(void **state)
{
	struct client *clerk = login("zr_c"), *ops = login("ops1"), *anon = client_new(&T);
	assert_int_equal(client_do(clerk, "GET", "/api/stats/overview", NULL), 403);
	assert_int_equal(client_do(clerk, "GET", "/api/stats", NULL), 403);
	assert_int_equal(client_do(ops, "GET", "/api/stats", NULL), 403);
	assert_int_equal(client_do(anon, "GET", "/api/stats/overview", NULL), 401);
	struct client *head = login("zr_h");
	assert_int_equal(client_req(head, "POST", "/api/stats/lights", "{}", NULL, NULL), 403);
	client_free(head);
	client_free(clerk);
	client_free(ops);
	client_free(anon);
}

static void test_report_json(void **state)
{
	struct client *boss = login("boss");
	json_t *j;
	assert_int_equal(client_req(boss, "GET", "/api/stats?group=district", NULL, NULL, &j), 200);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "period"), "kind")), "year");
	json_t *sec = json_array_get(json_object_get(j, "sections"), 0);
	json_t *tot = json_object_get(sec, "total");
	assert_int_equal(geti(tot, "received"), 4);
	assert_int_equal(geti(tot, "accepted"), 3);
	assert_int_equal(geti(tot, "concluded"), 2);
	assert_int_equal(geti(tot, "refused"), 1);
	assert_int_equal(geti(tot, "running"), 1);
	assert_int_equal(geti(tot, "parallel_cases"), 4);
	assert_int_equal(geti(tot, "parallel_instances"), 2);
	assert_float_equal(json_real_value(json_object_get(tot, "accept_rate")), 0.75, 1e-9);
	assert_true(json_is_real(json_object_get(tot, "ontime_rate")));
	assert_true(json_is_null(json_object_get(tot, "joint_pass_rate")));
	json_t *rows = json_object_get(sec, "rows");
	assert_int_equal(json_array_size(rows), 2);
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "key")), "610202");
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 0), "name")), "王益区");
	assert_int_equal(geti(json_array_get(rows, 0), "received") + geti(json_array_get(rows, 1), "received"), 4);
	json_decref(j);
	/* a month, by item, and the head's scope */
	assert_int_equal(client_req(boss, "GET", "/api/stats?period=month&group=item", NULL, NULL, &j), 200);
	sec = json_array_get(json_object_get(j, "sections"), 0);
	assert_int_equal(json_array_size(json_object_get(sec, "rows")), 2);
	json_decref(j);
	struct client *head = login("zr_h");
	assert_int_equal(client_req(head, "GET", "/api/stats?group=item", NULL, NULL, &j), 200);
	sec = json_array_get(json_object_get(j, "sections"), 0);
	assert_int_equal(json_array_size(json_object_get(sec, "rows")), 1);
	assert_string_equal(json_string_value(json_object_get(j, "department")), "610200-ZRZY");
	json_decref(j);
	client_free(head);
	client_free(boss);
}

static void test_bad_parameters(void **state)
{
	struct client *boss = login("boss");
	static const struct {
		const char *query, *field;
	} bad[] = {
		{"period=week", "period"}, {"group=city", "group"}, {"format=pdf", "format"},
		{"period=month&from=2026-13", "from"}, {"period=range&from=2026-01-01", "to"},
		{"period=range&from=2026-02-01&to=2026-01-01", "to"}, {"period=month&to=2026-01-01", "to"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char path[200];
		json_t *j;
		snprintf(path, sizeof path, "/api/stats?%s", bad[i].query);
		assert_int_equal(client_req(boss, "GET", path, NULL, NULL, &j), 400);
		if (!err_field(j) || strcmp(err_field(j), bad[i].field))
			fail_msg("%s: field %s, want %s", bad[i].query, err_field(j), bad[i].field);
		json_decref(j);
	}
	client_free(boss);
}

static void test_downloads(void **state)
{
	struct client *boss = login("boss");
	assert_int_equal(client_do(boss, "GET", "/api/stats?format=csv&group=department", NULL), 200);
	const char *csv = client_body(boss);
	assert_memory_equal(csv, "\xEF\xBB\xBF部门代码,部门,接件数", 32);
	assert_non_null(strstr(csv, "\r\n,合计,4,3,1,2,"));
	assert_int_equal(client_do(boss, "GET", "/api/stats?period=year&format=xlsx", NULL), 200);
	const char *x = client_body(boss);
	assert_memory_equal(x, "PK", 2);
	client_free(boss);
}

/* The workbook opens and holds what the JSON says (openpyxl, when installed). */
static void test_xlsx_reads_back(void **state)
{
	if (access("/usr/bin/python3", X_OK) || system("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null"))
		skip();
	char path[400], cmd[1400], out[4096];
	snprintf(path, sizeof path, "%s/report.xlsx", T.dir);
	snprintf(cmd, sizeof cmd, "stats --format xlsx -o '%s' --group department", path);
	assert_int_equal(cli(cmd, NULL, 0), 0);
	snprintf(cmd, sizeof cmd,
		 "/usr/bin/python3 -c \"import openpyxl,sys\n"
		 "wb=openpyxl.load_workbook(sys.argv[1])\n"
		 "print(','.join(wb.sheetnames))\n"
		 "ws=wb['按部门']\n"
		 "assert ws.freeze_panes=='C2'\n"
		 "last=ws.max_row\n"
		 "assert ws.cell(last,2).value=='合计' and ws.cell(last,3).value==4\n"
		 "s=wb['汇总']\n"
		 "assert any(r[0]=='办结数' and r[1]==2 for r in s.iter_rows(values_only=True))\n"
		 "\" '%s'", path);
	FILE *p = popen(cmd, "r");
	size_t n = fread(out, 1, sizeof out - 1, p);
	out[n] = 0;
	assert_int_equal(pclose(p), 0);
	assert_string_equal(out, "汇总,按部门,按区县,按事项,按阶段,按项目类型\n");
}

static void test_lights_move_with_the_clock(void **state)
{
	struct client *boss = login("boss");
	json_t *j;
	char hdr[64];
	/* two months later nothing was done: the accepted 办件 is now red */
	long long later = (long long)time(NULL) + 61 * 86400;
	snprintf(hdr, sizeof hdr, "X-GG-Now: %lld", later);
	client_header(boss, hdr);
	assert_int_equal(client_req(boss, "GET", "/api/stats/overview", NULL, NULL, &j), 200);
	assert_int_equal(geti(j, "red"), 1);
	assert_int_equal(geti(j, "running"), 1);
	json_decref(j);
	/* on demand: a recorded run, nothing left to move */
	assert_int_equal(client_req(boss, "POST", "/api/stats/lights", "{}", NULL, &j), 200);
	assert_true(geti(j, "run_id") > 0);
	assert_int_equal(geti(j, "changed"), 0);
	json_decref(j);
	client_free(boss);
	/* the command line agrees with every aggregate at that instant */
	char out[2048], env[64];
	snprintf(env, sizeof env, "%lld", later);
	setenv("GG_NOW", env, 1);
	int rc = cli("stats check", out, sizeof out);
	unsetenv("GG_NOW");
	if (rc != 0)
		fail_msg("stats check: %d %s", rc, out);
	assert_non_null(strstr(out, "equal: 4 cases"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_overview_city_and_department),
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_report_json),
		cmocka_unit_test(test_bad_parameters),
		cmocka_unit_test(test_downloads),
		cmocka_unit_test(test_xlsx_reads_back),
		cmocka_unit_test(test_lights_move_with_the_clock),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
