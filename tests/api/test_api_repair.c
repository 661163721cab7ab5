/*
** test_api_repair.c: 数据修复 over real HTTP.
**
** A project's planned dates are broken in the database (as a bad import
** would) and 数据质检 finds it. Then: the finding offers its repair pre-filled
** (GET /api/repairs/finding/{id}); only ops propose (403 otherwise), a dry
** run stores nothing; the proposal shows before -> after; the proposer (ops)
** cannot approve (403), apply before approval is 409; the bureau's approver
** approves, ops applies; the next quality run proves the finding fixed;
** undo brings the defect back; /api/dict carries the repair names.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitest.h"

static struct apitest T;
#define CODE "2026-610202-47-01-000001"

static int setup(void **state)
{
	char cmd[800];
	(void)state;
	if (apitest_start(&T, NULL) != 0)
		return -1;
	if (apitest_user(&T, "boss", "leader", NULL) || apitest_user(&T, "ops1", "ops", NULL) ||
	    apitest_user(&T, "bureau", "repair_approve", NULL) || apitest_user(&T, "zr_h", "head", "610200-ZRZY"))
		return -1;
	if (apitest_cli(&T, "project add --code " CODE " --name 修复接口测试项目 --flow-type 4 --division 610202 "
			"--address 铜川 --investment 800 --land-area 1000 --floor-area 2000 --start 2026-01-01 "
			"--finish 2027-12-31 --unit 'builder,铜川市行政审批服务局,11610200MB29655940,王五,13912345678'",
			NULL, 0))
		return -1;
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' \"UPDATE projects SET planned_start = '2028-01-01' WHERE code = '"
		 CODE "'\"", T.db);
	return system(cmd) == 0 ? 0 : -1;
}

static int teardown(void **state)
{
	(void)state;
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

/* The one project-dates finding after a run. */
static json_int_t dates_finding(struct client *boss, const char *status)
{
	json_t *j;
	char path[120];
	assert_int_equal(client_req(boss, "POST", "/api/quality/run", "{\"rule\":\"project-dates\"}", NULL, &j), 200);
	json_decref(j);
	snprintf(path, sizeof path, "/api/quality/findings?rule=project-dates&status=%s", status);
	assert_int_equal(client_req(boss, "GET", path, NULL, NULL, &j), 200);
	json_int_t id = geti(j, "total") == 1 ? geti(json_array_get(json_object_get(j, "items"), 0), "id") : 0;
	json_decref(j);
	return id;
}

static void test_repair_flow(void **state)
{
	struct client *boss = login("boss"), *ops = login("ops1"), *bureau = login("bureau"), *zr = login("zr_h");
	json_t *j, *op, *c;
	char path[120], body[1024], *s;
	size_t i;
	(void)state;
	json_int_t f = dates_finding(boss, "open");
	assert_true(f > 0);
	/* the finding offers its operation pre-filled */
	snprintf(path, sizeof path, "/api/repairs/finding/%lld", (long long)f);
	assert_int_equal(client_req(ops, "GET", path, NULL, NULL, &j), 200);
	op = json_object_get(j, "operation");
	assert_string_equal(gets(op, "op"), "field");
	assert_string_equal(gets(op, "project"), CODE);
	assert_string_equal(gets(op, "field"), "planned_finish");
	json_object_set_new(op, "value", json_string("2029-06-30"));
	json_object_set_new(op, "reason", json_string("拟建成时间录入错误"));
	s = json_dumps(op, JSON_COMPACT);
	snprintf(body, sizeof body, "%s", s);
	free(s);
	json_decref(j);
	/* only ops propose */
	assert_int_equal(client_do(zr, "POST", "/api/repairs", body), 403);
	assert_int_equal(client_do(bureau, "POST", "/api/repairs", body), 403);
	assert_int_equal(client_do(ops, "POST", "/api/repairs", "{\"op\":\"field\",\"project\":\"" CODE "\"}"), 400);
	/* a dry run stores nothing */
	body[strlen(body) - 1] = 0;
	strcat(body, ",\"dry_run\":true}");
	assert_int_equal(client_req(ops, "POST", "/api/repairs", body, NULL, &j), 200);
	assert_string_equal(gets(j, "status"), "preview");
	json_decref(j);
	assert_int_equal(client_req(ops, "GET", "/api/repairs", NULL, NULL, &j), 200);
	assert_int_equal(geti(j, "total"), 0);
	json_decref(j);
	strcpy(strstr(body, ",\"dry_run\""), "}");
	assert_int_equal(client_req(ops, "POST", "/api/repairs", body, NULL, &j), 201);
	json_int_t id = geti(j, "id");
	assert_string_equal(gets(j, "status"), "proposed");
	assert_int_equal(strncmp(gets(j, "answers"), "finding:", 8), 0);
	int seen = 0;
	json_array_foreach(json_object_get(j, "changes"), i, c)
		if (!strcmp(gets(c, "field"), "planned_finish")) {
			assert_string_equal(gets(c, "before"), "2027-12-31");
			assert_string_equal(gets(c, "after"), "2029-06-30");
			seen = 1;
		}
	assert_true(seen);
	json_decref(j);
	/* the proposer cannot approve; apply before approval: 409 */
	snprintf(path, sizeof path, "/api/repairs/%lld/approve", (long long)id);
	assert_int_equal(client_do(ops, "POST", path, "{}"), 403);
	snprintf(path, sizeof path, "/api/repairs/%lld/apply", (long long)id);
	assert_int_equal(client_do(ops, "POST", path, "{}"), 409);
	snprintf(path, sizeof path, "/api/repairs/%lld/approve", (long long)id);
	assert_int_equal(client_req(bureau, "POST", path, "{\"note\":\"同意\"}", NULL, &j), 200);
	assert_string_equal(gets(j, "approved_by"), "bureau");
	json_decref(j);
	snprintf(path, sizeof path, "/api/repairs/%lld/apply", (long long)id);
	assert_int_equal(client_req(ops, "POST", path, "{}", NULL, &j), 200);
	assert_string_equal(gets(j, "status"), "applied");
	json_decref(j);
	/* the next run proves it: the finding is fixed */
	assert_int_equal(dates_finding(boss, "fixed"), f);
	/* undo brings the defect back (and the next run reopens it) */
	snprintf(path, sizeof path, "/api/repairs/%lld/undo", (long long)id);
	assert_int_equal(client_do(ops, "POST", path, "{}"), 400);
	assert_int_equal(client_req(ops, "POST", path, "{\"reason\":\"核对后回退\"}", NULL, &j), 200);
	assert_string_equal(gets(j, "status"), "undone");
	json_decref(j);
	assert_int_equal(dates_finding(boss, "open"), f);
	snprintf(path, sizeof path, "/api/repairs/%lld", (long long)id);
	assert_int_equal(client_req(boss, "GET", path, NULL, NULL, &j), 200);
	assert_string_equal(gets(j, "proposed_by"), "ops1");
	json_decref(j);
	assert_int_equal(client_do(zr, "GET", path, NULL), 403);
	assert_int_equal(client_req(boss, "GET", "/api/dict", NULL, NULL, &j), 200);
	assert_true(json_array_size(json_object_get(j, "repair.status")) == 5);
	json_decref(j);
	client_free(boss);
	client_free(ops);
	client_free(bureau);
	client_free(zr);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_repair_flow),
	};
	return cmocka_run_group_tests_name("api_repair", tests, setup, teardown);
}
