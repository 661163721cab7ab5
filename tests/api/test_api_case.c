/*
** test_api_case.c: the 办件 lifecycle over real HTTP.
**
** A window clerk registers a small social-investment project (TC-SHTZ-XX)
** and applies stage by stage; clerks, reviewers and heads of 自然资源和规划局,
** 住房和城乡建设局 and 城建档案馆 take it from 立项用地规划许可 to 竣工验收,
** through a 54Y 联合验收 with one combined result. Actions are dated with
** the test clock header (X-GG-Now) around the 2025 National Day holiday so
** the deadlines, pauses and lights can be checked against dates worked out
** by hand. Also: 409 bodies naming state and allowed actions, 403 for
** department / step role / transfer, 404 outside the data scope, version
** pinning after a catalogue edit, the §32 receipt clock, list filters
** (light, status, q), 待办/已办, documents and the audit trail.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "apitest.h"
#include "base/clock.h"

static struct apitest T;

static int setup(void **state)
{
	static const char *const users[][3] = {
		{"win1", "clerk", "610200-XSP"},
		{"zr_c", "clerk", "610200-ZRZY"}, {"zr_r", "reviewer", "610200-ZRZY"},
		{"zr_r2", "reviewer", "610200-ZRZY"}, {"zr_h", "head", "610200-ZRZY"},
		{"zj_c", "clerk", "610200-ZJJ"}, {"zj_r", "reviewer", "610200-ZJJ"}, {"zj_h", "head", "610200-ZJJ"},
		{"da_c", "clerk", "610200-DAJ"}, {"da_r", "reviewer", "610200-DAJ"}, {"da_h", "head", "610200-DAJ"},
		{"sw_c", "clerk", "610200-SWJ"}, {"sw_h", "head", "610200-SWJ"},
		{"fg_c", "clerk", "610200-FGW"}, {"cat1", "catalog", NULL},
	};
	if (apitest_start(&T, NULL) != 0)
		return -1;
	for (size_t i = 0; i < sizeof users / sizeof users[0]; i++)
		if (apitest_user(&T, users[i][0], users[i][1], users[i][2]))
			return -1;
	return apitest_user(&T, "boss", "leader", NULL);
}

static int teardown(void **state)
{
	apitest_stop(&T);
	return 0;
}

/* ---- helpers ----------------------------------------------------------------------- */

static struct client *U[32];
static const char *Unames[32];

static struct client *as(const char *user)
{
	for (int i = 0; i < 32; i++) {
		if (Unames[i] && strcmp(Unames[i], user) == 0)
			return U[i];
		if (!Unames[i]) {
			U[i] = client_new(&T);
			Unames[i] = strdup(user);
			if (client_login(U[i], user, APITEST_PASSWORD) != 200)
				fail_msg("login %s", user);
			return U[i];
		}
	}
	fail_msg("too many clients");
	return NULL;
}

/* "2025-09-26 10" → the X-GG-Now header of that hour, Asia/Shanghai. */
static void at(struct client *c, const char *when)
{
	char date[11], line[64];
	int hour = 12;
	snprintf(date, sizeof date, "%.10s", when);
	if (strlen(when) > 11)
		hour = atoi(when + 11);
	snprintf(line, sizeof line, "X-GG-Now: %lld", (long long)(clock_cn_midnight(date) + hour * 3600));
	client_header(c, line);
}

static json_t *J;   /* last response */

static int req(const char *user, const char *when, const char *method, const char *path, const char *body)
{
	struct client *c = as(user);
	json_decref(J);
	J = NULL;
	at(c, when);
	return client_req(c, method, path, body, NULL, &J);
}

static int action(const char *user, const char *when, int64_t id, const char *body)
{
	char path[64];
	snprintf(path, sizeof path, "/api/cases/%lld/actions", (long long)id);
	return req(user, when, "POST", path, body);
}

/* Act and require 200. */
static void ok(const char *user, const char *when, int64_t id, const char *body)
{
	int s = action(user, when, id, body);
	if (s != 200)
		fail_msg("%s %s on case %lld: %d %s", user, body, (long long)id, s, client_body(as(user)));
}

static const char *js(json_t *o, const char *path)
{
	char buf[128], *save = NULL;
	snprintf(buf, sizeof buf, "%s", path);
	for (char *t = strtok_r(buf, ".", &save); t && o; t = strtok_r(NULL, ".", &save))
		o = json_object_get(o, t);
	return json_is_string(o) ? json_string_value(o) : NULL;
}

static int64_t ji(json_t *o, const char *path)
{
	char buf[128], *save = NULL;
	snprintf(buf, sizeof buf, "%s", path);
	for (char *t = strtok_r(buf, ".", &save); t && o; t = strtok_r(NULL, ".", &save))
		o = json_object_get(o, t);
	return json_integer_value(o);
}

static int64_t get_case(const char *user, const char *when, int64_t id)
{
	char path[64];
	snprintf(path, sizeof path, "/api/cases/%lld", (long long)id);
	return req(user, when, "GET", path, NULL);
}

static int64_t PROJECT;

static int64_t create_project(const char *code)
{
	char body[1024];
	snprintf(body, sizeof body,
		 "{\"code\":\"%s\",\"name\":\"王益区川口社区便民服务中心\",\"flow_type\":4,\"division\":\"610202\","
		 "\"address\":\"王益区红旗街\",\"investment_wan\":2600,\"land_area_m2\":3000,\"floor_area_m2\":4200,"
		 "\"planned_start\":\"2025-10-01\",\"planned_finish\":\"2026-12-31\",\"units\":[{\"kind\":\"builder\","
		 "\"name\":\"厦门测试建设有限公司\",\"credit_code\":\"91350200575030446H\",\"contact\":\"李四\","
		 "\"phone\":\"13800138000\"}]}", code);
	if (req("win1", "2025-09-25 09", "POST", "/api/projects", body) != 201)
		fail_msg("project: %s", client_body(as("win1")));
	return ji(J, "id");
}

/* Apply; returns the id of case i of the new instance. */
static int64_t apply(const char *when, int stage, const char *side_line, const char *items, int expect)
{
	char path[64], body[512];
	snprintf(path, sizeof path, "/api/projects/%lld/applications", (long long)PROJECT);
	snprintf(body, sizeof body, "{\"stage\":%d,%s%s%s\"items\":[%s]}", stage, side_line ? "\"side_line\":\"" : "",
		 side_line ? side_line : "", side_line ? "\"," : "", items);
	int s = req("win1", when, "POST", path, body);
	if (s != expect)
		fail_msg("apply stage %d %s: %d %s", stage, items, s, client_body(as("win1")));
	return s == 201 ? ji(json_array_get(json_object_get(J, "cases"), 0), "id") : 0;
}

static int64_t case_of(int i)
{
	return ji(json_array_get(json_object_get(J, "cases"), (size_t)i), "id");
}

static int in_list(json_t *page, int64_t id)
{
	size_t i;
	json_t *c;
	json_array_foreach(json_object_get(page, "items"), i, c)
		if (ji(c, "id") == id)
			return 1;
	return 0;
}

/* 1 when the array at key of J names action. */
static int lists(const char *key, const char *action)
{
	size_t i;
	json_t *a;
	json_array_foreach(json_object_get(J, key), i, a)
		if (strcmp(json_string_value(a), action) == 0)
			return 1;
	return 0;
}

/* ---- stage 1: deadlines across the holiday, a pause, 409/403/404 ---------------------- */

static int64_t A;

static void test_stage1(void **state)
{
	PROJECT = create_project("2025-610202-47-01-000101");
	/* stage 3 before stage 1: 409 naming the current stage */
	apply("2025-09-26 10", 3, NULL, "\"SGXK-001\"", 409);
	assert_string_equal(js(J, "error.field"), "stage");
	/* milestone missing: 400 */
	apply("2025-09-26 10", 1, NULL, "\"QYBA-001\"", 400);
	assert_non_null(strstr(js(J, "error.message"), "YDGH-001"));
	apply("2025-09-26 10", 1, NULL, "\"NOPE-001\"", 400);
	A = apply("2025-09-26 10", 1, NULL, "\"YDGH-001\"", 201);
	assert_true(js(J, "instance.number") != NULL);

	/* received: no due date yet, the receipt clock runs */
	assert_int_equal(get_case("zr_c", "2025-09-26 10", A), 200);
	assert_int_equal(ji(J, "status.code"), 1);
	assert_string_equal(js(J, "status.name"), "已接件");
	assert_true(json_is_null(json_object_get(J, "due_date")));
	assert_true(json_is_null(json_object_get(J, "light")));
	assert_string_equal(js(J, "receipt.due_date"), "2025-10-10");   /* 28 29 30 | 09 10 */
	assert_string_equal(js(J, "step.role"), "clerk");
	/* my_actions: what this caller may do, within allowed_actions */
	assert_true(lists("allowed_actions", "accept") && lists("allowed_actions", "revoke"));
	assert_true(lists("my_actions", "accept") && lists("my_actions", "withdraw"));
	assert_false(lists("my_actions", "revoke"));                     /* head only */
	assert_int_equal(get_case("zr_r", "2025-09-26 10", A), 200);      /* served from the cache: per caller */
	assert_int_equal(json_array_size(json_object_get(J, "my_actions")), 0);
	assert_int_equal(get_case("zr_h", "2025-09-26 10", A), 200);
	assert_true(lists("my_actions", "revoke"));
	assert_false(lists("my_actions", "accept"));
	assert_int_equal(get_case("boss", "2025-09-26 10", A), 200);
	assert_int_equal(json_array_size(json_object_get(J, "my_actions")), 0);

	/* 404 outside the scope, leaders see everything but cannot act */
	assert_int_equal(get_case("fg_c", "2025-09-26 10", A), 404);
	assert_int_equal(get_case("boss", "2025-09-26 10", A), 200);
	assert_int_equal(action("boss", "2025-09-26 10", A, "{\"action\":\"accept\"}"), 403);
	/* another department: 403; wrong step role: 403 */
	assert_int_equal(action("zj_c", "2025-09-26 10", A, "{\"action\":\"accept\"}"), 404);
	assert_int_equal(action("zr_r", "2025-09-26 10", A, "{\"action\":\"accept\"}"), 403);
	/* forbidden transition: 409 naming state and allowed actions */
	assert_int_equal(action("zr_c", "2025-09-26 10", A, "{\"action\":\"approve\"}"), 409);
	assert_string_equal(js(J, "error.code"), "conflict");
	assert_string_equal(js(J, "error.state.name"), "已接件");
	assert_non_null(strstr(js(J, "error.message"), "accept"));
	assert_int_equal(json_array_size(json_object_get(json_object_get(J, "error"), "allowed_actions")), 6);
	/* bad arguments: 400 */
	assert_int_equal(action("zr_c", "2025-09-26 10", A, "{\"action\":\"refuse\"}"), 400);
	assert_string_equal(js(J, "error.field"), "opinion");
	/* texts: at most 2000 characters (code points) with every action */
	static char big[8192];
	int n = snprintf(big, sizeof big, "{\"action\":\"supplement\",\"materials\":[\"图纸\"],\"opinion\":\"");
	for (int k = 0; k < 2001; k++)
		n += snprintf(big + n, sizeof big - n, "意");
	snprintf(big + n, sizeof big - n, "\"}");
	assert_int_equal(action("zr_c", "2025-09-26 10", A, big), 400);
	assert_string_equal(js(J, "error.field"), "opinion");
	assert_non_null(strstr(js(J, "error.message"), "2000"));
	assert_int_equal(action("zr_c", "2025-09-26 10", A, "{\"action\":\"fly\"}"), 400);
	assert_int_equal(action("zr_c", "2025-09-26 10", A, "{\"action\":\"accept\",\"x\":1}"), 400);

	/* the detail served from the server's cache follows every change at once */
	assert_int_equal(get_case("zr_c", "2025-09-26 11", A), 200);
	assert_int_equal(get_case("zr_c", "2025-09-26 11", A), 200);
	assert_int_equal(ji(J, "status.code"), 1);
	/* accepted Friday 09-26, 5 days: 28 (Sunday, worked) 29 30 | holiday | 10-09 10-10 */
	ok("zr_c", "2025-09-26 11", A, "{\"action\":\"accept\",\"opinion\":\"材料齐全\"}");
	assert_int_equal(get_case("zr_c", "2025-09-26 11", A), 200);
	assert_int_equal(ji(J, "status.code"), 3);
	assert_string_equal(js(J, "due_date"), "2025-10-10");
	assert_string_equal(js(J, "light"), "green");
	assert_int_equal(ji(J, "workdays_left"), 5);
	assert_false(json_is_true(json_object_get(json_object_get(J, "receipt"), "overdue")));
	assert_string_equal(js(J, "step.role"), "reviewer");

	/* 待办: the case waits for a reviewer of 自然资源和规划局 */
	assert_int_equal(req("zr_r", "2025-09-27 09", "GET", "/api/me/todo", NULL), 200);
	assert_true(in_list(J, A));
	assert_int_equal(ji(J, "counts.green"), 1);
	assert_int_equal(ji(J, "counts.red") + ji(J, "counts.yellow") + ji(J, "counts.none"), 0);
	assert_int_equal(req("zr_r", "2025-09-27 09", "GET", "/api/me/todo?light=green", NULL), 200);
	assert_true(in_list(J, A));
	assert_int_equal(req("zr_r", "2025-09-27 09", "GET", "/api/me/todo?light=red", NULL), 200);
	assert_false(in_list(J, A));
	assert_int_equal(ji(J, "total"), 0);
	assert_int_equal(ji(J, "counts.green"), 1);                      /* counts ignore the filter */
	assert_int_equal(req("zr_r", "2025-09-27 09", "GET", "/api/me/todo?light=purple", NULL), 400);
	assert_string_equal(js(J, "error.field"), "light");
	/* on the due day 10-10 no working day is left: yellow; the next working day red */
	assert_int_equal(req("zr_r", "2025-10-10 09", "GET", "/api/me/todo?light=yellow", NULL), 200);
	assert_true(in_list(J, A));
	assert_int_equal(ji(J, "counts.yellow"), 1);
	assert_int_equal(req("zr_r", "2025-10-13 09", "GET", "/api/me/todo?light=red", NULL), 200);
	assert_true(in_list(J, A));
	assert_int_equal(req("zr_c", "2025-09-27 09", "GET", "/api/me/todo", NULL), 200);
	assert_false(in_list(J, A));
	assert_int_equal(req("zr_c", "2025-09-27 09", "GET", "/api/me/done", NULL), 200);
	assert_true(in_list(J, A));

	/* review, then a supplement during review from Monday 09-29 to Thursday
	** 10-09: paused (09-29, 10-09] = 09-30, 10-09 */
	ok("zr_r", "2025-09-29 09", A, "{\"action\":\"start_review\"}");
	ok("zr_r", "2025-09-29 10", A, "{\"action\":\"supplement\",\"materials\":[\"宗地图\",\"规划条件\"],"
	   "\"opinion\":\"宗地图比例不符\"}");
	assert_int_equal(ji(J, "status.code"), 6);
	/* while paused: left frozen at its value on 09-29 (30, 10-09, 10-10 = 3) */
	assert_int_equal(get_case("zr_r", "2025-10-05 10", A), 200);
	assert_int_equal(ji(J, "workdays_left"), 3);
	assert_int_equal(ji(J, "paused_workdays"), 1);
	assert_string_equal(js(J, "due_date"), "2025-10-11");
	assert_int_equal(action("zr_r", "2025-10-05 10", A, "{\"action\":\"next_step\"}"), 409);
	assert_string_equal(js(J, "error.state.name"), "补正开始");
	ok("zr_r", "2025-10-09 09", A, "{\"action\":\"supplement_done\"}");
	/* due = add(09-26, 5 + 2): ... 10-10, 10-11 (Saturday, worked), 10-13 */
	assert_string_equal(js(J, "due_date"), "2025-10-13");
	assert_int_equal(ji(J, "paused_workdays"), 2);
	assert_int_equal(ji(J, "workdays_used"), 2);
	assert_int_equal(ji(J, "workdays_left"), 3);

	/* 转办 to a colleague: the first reviewer may no longer act */
	ok("zr_r", "2025-10-09 10", A, "{\"action\":\"transfer\",\"to_user\":\"zr_r2\"}");
	assert_int_equal(json_array_size(json_object_get(J, "my_actions")), 0);   /* the answer is the caller's */
	assert_int_equal(get_case("zr_r2", "2025-10-09 10", A), 200);
	assert_true(lists("my_actions", "next_step"));
	assert_int_equal(action("zr_r", "2025-10-09 10", A, "{\"action\":\"next_step\"}"), 403);
	assert_int_equal(action("zr_r", "2025-10-09 10", A, "{\"action\":\"transfer\",\"to_user\":\"zj_r\"}"), 403);
	ok("zr_r2", "2025-10-09 11", A, "{\"action\":\"next_step\",\"opinion\":\"同意\"}");
	assert_string_equal(js(J, "step.role"), "head");
	/* the reviewer cannot decide: 403; the head can */
	assert_int_equal(action("zr_r2", "2025-10-09 11", A, "{\"action\":\"approve\"}"), 403);
	ok("zr_h", "2025-10-10 15", A, "{\"action\":\"approve\",\"opinion\":\"准予许可\"}");
	assert_int_equal(ji(J, "status.code"), 11);
	assert_true(json_is_true(json_object_get(J, "on_time")));
	assert_true(json_is_null(json_object_get(J, "light")));
	assert_int_equal(json_array_size(json_object_get(J, "allowed_actions")), 0);
	assert_int_equal(json_array_size(json_object_get(J, "my_actions")), 0);
	assert_int_equal(json_array_size(json_object_get(J, "history")), 8);
	assert_int_equal(json_array_size(json_object_get(J, "documents")), 3);   /* acceptance, supplement, approval */
	/* nothing follows 办结 */
	assert_int_equal(action("zr_h", "2025-10-10 16", A, "{\"action\":\"revoke\",\"opinion\":\"x\"}"), 409);
	/* same item again: 409 */
	apply("2025-10-10 16", 1, NULL, "\"YDGH-001\"", 409);
}

/* ---- stage 2: one-time supplement notice, special procedure, version pinning --------- */

static int64_t B;

static void test_stage2_and_pinning(void **state)
{
	char path[128];
	B = apply("2025-10-13 09", 2, NULL, "\"GHXK-001\"", 201);
	ok("zr_c", "2025-10-13 10", B, "{\"action\":\"supplement\",\"materials\":[\"建设工程设计方案\"]}");
	ok("zr_c", "2025-10-14 09", B, "{\"action\":\"supplement_done\"}");
	/* 一次性告知: a second request before acceptance is refused */
	assert_int_equal(action("zr_c", "2025-10-14 09", B, "{\"action\":\"supplement\",\"materials\":[\"x\"]}"), 409);
	ok("zr_c", "2025-10-14 10", B, "{\"action\":\"accept\"}");
	assert_string_equal(js(J, "due_date"), "2025-10-23");     /* 7 days from 10-14 */
	ok("zr_r", "2025-10-15 09", B, "{\"action\":\"start_review\"}");
	assert_int_equal(action("zr_r", "2025-10-15 10", B, "{\"action\":\"special_start\",\"type\":2,\"kind\":\"expert\","
				"\"limit\":5}"), 400);
	assert_string_equal(js(J, "error.field"), "reason");
	ok("zr_r", "2025-10-15 10", B, "{\"action\":\"special_start\",\"type\":2,\"kind\":\"expert\",\"limit\":5,"
	   "\"reason\":\"涉及历史风貌区，组织专家评审\"}");
	ok("zr_r", "2025-10-20 16", B, "{\"action\":\"special_end\",\"result\":\"专家评审通过\"}");
	/* paused (10-15, 10-20] = 16 17 20: due add(10-14, 10) = 10-28 */
	assert_string_equal(js(J, "due_date"), "2025-10-28");
	assert_int_equal(ji(J, "paused_workdays"), 3);
	assert_int_equal(json_array_size(json_object_get(J, "specials")), 1);
	int64_t version_id = ji(J, "item.version_id");

	/* the catalogue gets a new version of GHXK-001 with a shorter limit */
	assert_int_equal(req("cat1", "2025-10-21 09", "GET", "/api/catalog/items/GHXK-001", NULL), 200);
	json_t *doc = json_deep_copy(json_object_get(J, "doc"));
	char today[11];
	clock_cn_date(clock_now(NULL), today);
	json_object_del(doc, "version");
	json_object_set_new(doc, "effective_from", json_string(today));
	json_object_set_new(doc, "promised_limit", json_integer(4));
	char *body = json_dumps(doc, JSON_COMPACT);
	json_decref(doc);
	int s = req("cat1", "2025-10-21 09", "PUT", "/api/catalog/items/GHXK-001", body);
	free(body);
	if (s != 200 && s != 201)
		fail_msg("new version: %d %s", s, client_body(as("cat1")));
	/* the running case keeps its version, limit and due date */
	assert_int_equal(get_case("zr_r", "2025-10-21 09", B), 200);
	assert_int_equal(ji(J, "item.version_id"), version_id);
	assert_int_equal(ji(J, "item.limit"), 7);
	assert_string_equal(js(J, "item.version"), "1.0");
	assert_string_equal(js(J, "due_date"), "2025-10-28");

	ok("zr_r", "2025-10-21 09", B, "{\"action\":\"next_step\"}");
	ok("zr_h", "2025-10-21 10", B, "{\"action\":\"approve\"}");
	snprintf(path, sizeof path, "/api/projects/%lld/timeline", (long long)PROJECT);
	assert_int_equal(req("zr_h", "2025-10-21 11", "GET", path, NULL), 200);
	assert_int_equal(ji(J, "progress.current_stage"), 3);
	assert_int_equal(json_array_size(json_object_get(J, "stages")), 2);
	/* the supplement notice is numbered and printable */
	snprintf(path, sizeof path, "/api/cases/%lld/documents/supplement", (long long)B);
	assert_int_equal(req("zr_c", "2025-10-21 11", "GET", path, NULL), 200);
	const char *html = client_body(as("zr_c"));
	assert_non_null(strstr(html, "一次性补正告知书"));
	assert_non_null(strstr(html, "建设工程设计方案"));
	assert_non_null(strstr(html, "610200-ZRZY补〔2025〕"));
	assert_non_null(strstr(html, "@page{size:A4"));
	snprintf(path, sizeof path, "/api/cases/%lld/documents/denial", (long long)B);
	assert_int_equal(req("zr_c", "2025-10-21 11", "GET", path, NULL), 404);
	snprintf(path, sizeof path, "/api/cases/%lld/documents/nonsense", (long long)B);
	assert_int_equal(req("zr_c", "2025-10-21 11", "GET", path, NULL), 404);
}

/* ---- stage 3: 容缺 ------------------------------------------------------------------- */

static void test_stage3_tolerance(void **state)
{
	char path[128];
	int64_t c = apply("2025-10-22 09", 3, NULL, "\"SGXK-001\"", 201);
	ok("zj_c", "2025-10-22 10", c, "{\"action\":\"accept\"}");
	assert_int_equal(ji(J, "item.limit"), 3);                  /* version 1.1 in 2025 */
	assert_string_equal(js(J, "item.version"), "1.1");
	ok("zj_r", "2025-10-22 11", c, "{\"action\":\"start_review\"}");
	ok("zj_r", "2025-10-23 09", c, "{\"action\":\"next_step\"}");
	assert_int_equal(action("zj_h", "2025-10-23 10", c, "{\"action\":\"approve_tolerance\"}"), 400);
	ok("zj_h", "2025-10-24 10", c, "{\"action\":\"approve_tolerance\",\"materials\":[\"施工合同\"],"
	   "\"materials_days\":5}");
	assert_int_equal(ji(J, "status.code"), 12);
	/* Friday 10-24 + 5 working days: 27 28 29 30 31 */
	assert_string_equal(js(J, "tolerance.due_date"), "2025-10-31");
	assert_false(json_is_true(json_object_get(json_object_get(J, "tolerance"), "overdue")));
	assert_int_equal(get_case("zj_c", "2025-11-03 09", c), 200);
	assert_true(json_is_true(json_object_get(json_object_get(J, "tolerance"), "overdue")));
	ok("zj_c", "2025-10-30 09", c, "{\"action\":\"materials_received\"}");
	assert_false(json_is_true(json_object_get(json_object_get(J, "tolerance"), "overdue")));
	assert_int_equal(action("zj_c", "2025-10-30 09", c, "{\"action\":\"materials_received\"}"), 409);
	snprintf(path, sizeof path, "/api/cases/%lld/documents/approval", (long long)c);
	assert_int_equal(req("zj_c", "2025-10-30 10", "GET", path, NULL), 200);
	assert_non_null(strstr(client_body(as("zj_c")), "施工合同"));
}

/* ---- stage 4: 联合验收 (54Y), then the completion filing --------------------------------- */

static void walk(const char *dept, int64_t id, int nsteps, const char *when)
{
	char c[16], r[16], h[16];
	snprintf(c, sizeof c, "%s_c", dept);
	snprintf(r, sizeof r, "%s_r", dept);
	snprintf(h, sizeof h, "%s_h", dept);
	ok(c, when, id, "{\"action\":\"accept\"}");
	ok(r, when, id, "{\"action\":\"start_review\"}");
	for (int s = 1; s < nsteps - 1; s++)
		ok(r, when, id, "{\"action\":\"next_step\"}");
	ok(nsteps > 2 ? h : r, when, id, "{\"action\":\"approve\"}");
}

static void test_stage4_joint(void **state)
{
	char path[128];
	/* the completion filing waits for its prerequisites in the same stage */
	apply("2025-10-27 09", 4, NULL, "\"JGBA-001\"", 409);
	assert_non_null(strstr(js(J, "error.message"), "GHHS-001"));
	assert_non_null(strstr(js(J, "error.message"), "DAYS-001"));
	/* 54Y items only in a 54Y application */
	apply("2025-10-27 09", 4, NULL, "\"GHHS-001\"", 400);
	int64_t g = apply("2025-10-27 09", 4, "54Y", "\"GHHS-001\",\"XFBA-001\",\"DAYS-001\"", 201);
	int64_t x = case_of(1), d = case_of(2);
	assert_string_equal(js(J, "instance.side_line"), "54Y");
	walk("zr", g, 4, "2025-10-28 10");
	walk("zj", x, 2, "2025-10-28 11");
	snprintf(path, sizeof path, "/api/cases/%lld/documents/joint", (long long)g);
	assert_int_equal(req("zr_c", "2025-10-28 12", "GET", path, NULL), 404);   /* not all done */
	walk("da", d, 4, "2025-10-29 10");
	assert_int_equal(req("zr_c", "2025-10-29 12", "GET", path, NULL), 200);
	assert_non_null(strstr(client_body(as("zr_c")), "验收合格"));
	assert_non_null(strstr(client_body(as("zr_c")), "城建档案"));
	int64_t j = apply("2025-10-30 09", 4, NULL, "\"JGBA-001\"", 201);
	ok("zj_c", "2025-10-30 10", j, "{\"action\":\"accept\"}");
	ok("zj_r", "2025-10-30 11", j, "{\"action\":\"start_review\"}");
	ok("zj_r", "2025-10-31 09", j, "{\"action\":\"approve\"}");
	snprintf(path, sizeof path, "/api/projects/%lld/timeline", (long long)PROJECT);
	assert_int_equal(req("boss", "2025-11-03 09", "GET", path, NULL), 200);
	json_t *prog = json_object_get(J, "progress");
	assert_true(json_is_true(json_object_get(prog, "finished")));
	/* (09-26, 10-31]: 28 29 30 | 10-09 10 11 | 5 + 5 + 5 = 21; the project clock holds it against the
	** province's target of the flow type, and 小型社会投资 (4) has none: no limit, no verdict */
	assert_int_equal(ji(prog, "clock.workdays_elapsed"), 21);
	assert_true(json_is_null(json_object_get(prog, "target")));
	assert_true(json_is_null(json_object_get(json_object_get(prog, "clock"), "limit")));
	assert_true(json_is_null(json_object_get(json_object_get(prog, "clock"), "on_time")));
	assert_int_equal(json_array_size(json_object_get(J, "stages")), 4);
	assert_int_equal(json_array_size(json_object_get(J, "instances")), 5);
	size_t i;
	json_t *in;
	json_array_foreach(json_object_get(J, "instances"), i, in)
		if (strcmp(js(in, "side_line"), "54Y") == 0)
			assert_int_equal(ji(in, "result"), 11);
	/* a reviewer of 住建局 reads in the timeline only what GET /api/cases/{id}
	** shows him: the other departments' cases are counts, never details */
	assert_int_equal(req("zj_r", "2025-11-03 09", "GET", path, NULL), 200);
	json_t *tl = json_incref(J);
	int64_t hidden = 0, shown = 0;
	json_array_foreach(json_object_get(tl, "instances"), i, in) {
		size_t k;
		json_t *c;
		hidden += ji(in, "hidden_cases");
		json_array_foreach(json_object_get(in, "cases"), k, c) {
			shown++;
			assert_int_equal(get_case("zj_r", "2025-11-03 09", ji(c, "id")), 200);
		}
	}
	assert_true(shown > 0);
	assert_true(hidden > 0);
	assert_int_equal(req("zj_r", "2025-11-03 09", "GET", path, NULL), 200);
	assert_null(strstr(client_body(as("zj_r")), "610200-ZRZY"));
	json_decref(tl);
	/* applied for: where it is and its flow are fixed, the rest is not */
	snprintf(path, sizeof path, "/api/projects/%lld", (long long)PROJECT);
	assert_int_equal(req("win1", "2025-11-03 10", "PATCH", path, "{\"division\":\"610204\"}"), 409);
	assert_string_equal(js(J, "error.field"), "division");
	assert_int_equal(req("win1", "2025-11-03 10", "PATCH", path, "{\"flow_type\":1,\"flow_code\":\"\"}"), 409);
	assert_string_equal(js(J, "error.field"), "flow_type");
	assert_int_equal(req("win1", "2025-11-03 10", "PATCH", path, "{\"address\":\"印台区陈炉镇 1 号\"}"), 200);
}

/* ---- the receipt clock, lights in lists, withdrawal, revocation ----------------------------- */

static void test_receipt_and_lists(void **state)
{
	int64_t p = apply("2025-11-03 09", 5, NULL, "\"PSXK-001\"", 201);
	/* received Monday 11-03: due 11-10 */
	assert_int_equal(get_case("sw_c", "2025-11-10 17", p), 200);
	assert_string_equal(js(J, "receipt.due_date"), "2025-11-10");
	assert_false(json_is_true(json_object_get(json_object_get(J, "receipt"), "overdue")));
	assert_int_equal(get_case("sw_c", "2025-11-11 09", p), 200);
	assert_true(json_is_true(json_object_get(json_object_get(J, "receipt"), "overdue")));
	ok("sw_c", "2025-11-11 10", p, "{\"action\":\"accept\"}");
	assert_true(json_is_true(json_object_get(json_object_get(J, "receipt"), "overdue")));   /* stays */
	/* 7 days from 11-11: due 11-20; yellow from 11-18 (2 left); red after 11-20 */
	assert_string_equal(js(J, "due_date"), "2025-11-20");
	static const struct { const char *when, *light; int in; } L[] = {
		{"2025-11-12 09", "green", 1}, {"2025-11-12 09", "red", 0}, {"2025-11-18 09", "yellow", 1},
		{"2025-11-18 09", "green", 0}, {"2025-11-21 09", "red", 1}, {"2025-11-21 09", "yellow", 0},
	};
	for (size_t i = 0; i < sizeof L / sizeof L[0]; i++) {
		char path[128];
		snprintf(path, sizeof path, "/api/cases?light=%s&item=PSXK-001", L[i].light);
		assert_int_equal(req("sw_c", L[i].when, "GET", path, NULL), 200);
		if (in_list(J, p) != L[i].in)
			fail_msg("light %s at %s", L[i].light, L[i].when);
		if (L[i].in)
			assert_string_equal(js(json_array_get(json_object_get(J, "items"), 0), "light"), L[i].light);
	}
	/* list shape, filters, scope */
	assert_int_equal(req("boss", "2025-11-21 09", "GET", "/api/cases?page_size=2&sort=number&order=asc", NULL), 200);
	assert_int_equal(json_array_size(json_object_get(J, "items")), 2);
	assert_int_equal(ji(J, "total"), 8);
	assert_int_equal(ji(J, "page_size"), 2);
	assert_int_equal(req("boss", "2025-11-21 09", "GET", "/api/cases?status=11&department=610200-ZRZY", NULL), 200);
	assert_int_equal(ji(J, "total"), 3);                        /* YDGH GHXK GHHS */
	assert_int_equal(req("boss", "2025-11-21 09", "GET", "/api/cases?q=川口&from=2025-10-27&to=2025-10-27", NULL),
			 200);
	assert_int_equal(ji(J, "total"), 3);                        /* the 54Y instance */
	assert_int_equal(req("sw_c", "2025-11-21 09", "GET", "/api/cases", NULL), 200);
	assert_int_equal(ji(J, "total"), 1);                        /* own department only */
	assert_int_equal(req("boss", "2025-11-21 09", "GET", "/api/cases?light=pink", NULL), 400);
	assert_int_equal(req("boss", "2025-11-21 09", "GET", "/api/cases?from=2025-13-01", NULL), 400);
	/* revocation by the head only; withdrawal after acceptance is 撤回 */
	assert_int_equal(action("sw_c", "2025-11-21 10", p, "{\"action\":\"revoke\",\"opinion\":\"重复申报\"}"), 403);
	ok("sw_c", "2025-11-21 10", p, "{\"action\":\"withdraw\",\"opinion\":\"申请人撤回\"}");
	assert_int_equal(ji(J, "status.code"), 14);
	assert_true(json_is_null(json_object_get(J, "on_time")));
	/* before acceptance withdrawal is 已撤件; a head revokes */
	int64_t q = apply("2025-11-24 09", 5, NULL, "\"QSXK-001\"", 201);
	ok("sw_h", "2025-11-24 10", q, "{\"action\":\"revoke\",\"opinion\":\"误登记\"}");
	assert_int_equal(ji(J, "status.code"), 15);
	int64_t r = apply("2025-11-24 11", 5, NULL, "\"QSXK-001\"", 201);   /* allowed again */
	ok("sw_c", "2025-11-24 12", r, "{\"action\":\"withdraw\",\"opinion\":\"申请人撤件\"}");
	assert_int_equal(ji(J, "status.code"), 2);
	assert_string_equal(js(J, "status.name"), "已撤件");
	/* a change made by the command line (another process) shows within
	** the detail cache's 2 s */
	int64_t cl = apply("2025-11-24 13", 5, NULL, "\"HPSP-002\"", 201);
	assert_int_equal(get_case("boss", "2025-11-24 13", cl), 200);
	assert_int_equal(ji(J, "status.code"), 1);
	char args[128];
	snprintf(args, sizeof args, "case act --case %lld --action accept", (long long)cl);
	assert_int_equal(apitest_cli(&T, args, NULL, 0), 0);
	usleep(2100 * 1000);
	assert_int_equal(get_case("boss", "2025-11-24 13", cl), 200);
	assert_int_equal(ji(J, "status.code"), 3);
	/* refusal with its document */
	int64_t s = apply("2025-11-24 13", 5, NULL, "\"QSXK-001\"", 201);
	ok("sw_c", "2025-11-24 14", s, "{\"action\":\"refuse\",\"opinion\":\"取水口位于饮用水水源保护区\"}");
	char path[128];
	snprintf(path, sizeof path, "/api/cases/%lld/documents/refusal", (long long)s);
	assert_int_equal(req("sw_c", "2025-11-24 15", "GET", path, NULL), 200);
	assert_non_null(strstr(client_body(as("sw_c")), "饮用水水源保护区"));
	assert_non_null(strstr(client_body(as("sw_c")), "行政复议"));
}

/* ---- version pinning for new applications and the audit trail ------------------------------ */

static void test_new_version_applies_now(void **state)
{
	char now[24], path[128];
	/* a new project's stage-2 case opened today gets GHXK-001's new version */
	int64_t keep = PROJECT;
	PROJECT = create_project("2025-610202-47-01-000102");
	clock_cn_date(clock_now(NULL) + 86400, now);
	strcat(now, " 10");
	int64_t a = apply(now, 1, NULL, "\"YDGH-001\"", 201);
	ok("zr_c", now, a, "{\"action\":\"accept\"}");
	ok("zr_r", now, a, "{\"action\":\"start_review\"}");
	ok("zr_r", now, a, "{\"action\":\"next_step\"}");
	ok("zr_h", now, a, "{\"action\":\"approve\"}");
	int64_t b = apply(now, 2, NULL, "\"GHXK-001\"", 201);
	assert_int_equal(get_case("zr_c", now, b), 200);
	assert_int_equal(ji(J, "item.limit"), 4);
	assert_string_equal(js(J, "item.version"), "1.1");
	PROJECT = keep;
	/* every action left an audit row */
	snprintf(path, sizeof path, "/api/audit?action=case.accept&page_size=200");
	struct client *aud = client_new(&T);
	json_t *j;
	assert_int_equal(client_login(aud, "auditor", APITEST_PASSWORD), 200);
	assert_int_equal(client_req(aud, "GET", path, NULL, NULL, &j), 200);
	assert_true(json_integer_value(json_object_get(j, "total")) >= 9);
	json_decref(j);
	client_free(aud);
}

/* ---- a case nobody can take: found by the inspection, reassigned by the head ---------- */

static void test_stuck_case(void **state)
{
	char out[4096];
	int64_t keep = PROJECT;
	PROJECT = create_project("2025-610202-47-01-000103");
	int64_t a = apply("2025-11-24 09", 1, NULL, "\"YDGH-001\"", 201);
	PROJECT = keep;
	ok("zr_c", "2025-11-24 10", a, "{\"action\":\"accept\"}");
	ok("zr_r", "2025-11-24 10", a, "{\"action\":\"transfer\",\"to_user\":\"zr_r2\"}");
	assert_int_equal(apitest_cli(&T, "user disable --username zr_r2", NULL, 0), 0);
	/* only zr_r2 could act: the inspection names the case and the fix */
	assert_int_equal(apitest_cli(&T, "inspect --only cases.stuck", out, sizeof out), 1);   /* WARN */
	assert_non_null(strstr(out, "转办给已停用的 zr_r2"));
	assert_non_null(strstr(out, "部门负责人转办"));
	assert_int_equal(action("zr_r", "2025-11-24 11", a, "{\"action\":\"start_review\"}"), 403);
	/* the head reassigns at any step, to someone holding the step's role */
	assert_int_equal(get_case("zr_h", "2025-11-24 11", a), 200);
	assert_true(lists("my_actions", "transfer"));
	assert_int_equal(action("zr_h", "2025-11-24 11", a, "{\"action\":\"transfer\",\"to_user\":\"zr_h\"}"), 400);
	ok("zr_h", "2025-11-24 11", a, "{\"action\":\"transfer\",\"to_user\":\"zr_r\"}");
	ok("zr_r", "2025-11-24 12", a, "{\"action\":\"start_review\"}");
	/* other departments' cases may wait for accounts this test never made: only zr_r2 must be gone */
	assert_true(apitest_cli(&T, "inspect --only cases.stuck", out, sizeof out) <= 1);
	assert_non_null(strstr(out, "cases.stuck"));
	assert_null(strstr(out, "zr_r2"));
	assert_int_equal(apitest_cli(&T, "user enable --username zr_r2", NULL, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_stage1),
		cmocka_unit_test(test_stage2_and_pinning),
		cmocka_unit_test(test_stage3_tolerance),
		cmocka_unit_test(test_stage4_joint),
		cmocka_unit_test(test_receipt_and_lists),
		cmocka_unit_test(test_new_version_applies_now),
		cmocka_unit_test(test_stuck_case),
	};
	int rc = cmocka_run_group_tests(tests, setup, teardown);
	json_decref(J);
	for (int i = 0; i < 32; i++)
		client_free(U[i]);
	return rc;
}
