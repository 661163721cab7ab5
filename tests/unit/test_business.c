/*
** test_business.c: 营商环境 — 办理建筑许可 (business/business.h) on a small
** history built through the lifecycle with an injected clock.
**
** A catalogue of five items (fees 0, ¥120, ¥50, one without a recorded
** fee) and two flows (一般社会投资 3 and 政府投资房屋建筑 1, stages 1-4, one
** item each, stage 2 with a second, non-milestone item) is imported into a
** fresh database. Three projects complete 竣工验收 in the first half of
** 2025 and a fourth in July; every date is chosen so the working days can
** be counted by hand from the State Council's 2025 notice (Spring Festival
** 01-28~02-04 with make-up days 01-26 and 02-08, Qingming 04-04~06,
** make-up 04-27, Labour Day 05-01~05):
**   P1 (3)  03-03 → 04-11: stages 4 +1+ 9 (2 paused) +1+ 4 +1+ 8 = 28 wd,
**           39 natural days, 5 procedures (one denied), ¥120, 1 unrecorded
**   P2 (3)  01-06 → 04-30: 4 +17+ 4 +11+ 9 +12+ 21 = 78 wd, 114 days
**   P3 (1)  05-06 → 05-30: 3 +1+ 4 +1+ 4 +1+ 4 = 18 wd, 24 days
**   P4 (3)  completes on 2025-07-04: outside the period
** and the report's numbers (per project, medians per flow type, the
** slowest with its stages) are compared with those.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approval/case.h"
#include "approval/catalog.h"
#include "approval/project.h"
#include "base/clock.h"
#include "business/business.h"
#include "db/db.h"
#include "workday/workday.h"
#include "cli/cli.h"
#include "paperwork/paperwork.h"

static char Dir[256], Db[300];
static struct store *St;
static struct cal *Cal;
static struct case_env Env;
static struct principal Cli;

#define ITEM(code, ms, fee) \
	"{\"code\":\"" code "\",\"name\":\"事项" code "\",\"national_code\":\"\",\"department\":\"610200-ZJJ\"," \
	"\"promised_limit\":5,\"legal_limit\":20,\"legal_basis\":\"测试依据\",\"materials\":[{\"name\":\"申请表\"," \
	"\"required\":true,\"copies\":1,\"form\":\"original\"}],\"steps\":[{\"name\":\"受理\",\"role\":\"clerk\"}," \
	"{\"name\":\"决定\",\"role\":\"head\"}],\"milestone\":" ms ",\"prerequisites\":[],\"commitment\":false," \
	"\"tolerance\":false,\"applicant_kind\":2,\"case_type\":2," fee "\"version\":\"1.0\"," \
	"\"effective_from\":\"2024-01-01\"}"
#define STAGE(n, name, items) \
	"{\"number\":" #n ",\"name\":\"" name "\",\"limit\":10,\"completion_rule\":1," \
	"\"lead_department\":\"610200-ZJJ\",\"items\":[" items "],\"side_lines\":[]}"
#define FLOW(code, type) \
	"{\"code\":\"" code "\",\"name\":\"流程" code "\",\"flow_type\":" #type ",\"division\":\"610200\"," \
	"\"version\":\"1.0\",\"effective_from\":\"2024-01-01\",\"stages\":[" STAGE(1, "立项用地规划许可", "\"BZ-A\"") "," \
	STAGE(2, "工程建设许可", "\"BZ-B\",\"BZ-E\"") "," STAGE(3, "施工许可", "\"BZ-C\"") "," \
	STAGE(4, "竣工验收", "\"BZ-D\"") "]}"

static const char catalogue[] =
	"{\"format\":\"gonggai-catalog\",\"format_version\":1,\"name\":\"营商环境测试目录\",\"flows\":["
	FLOW("BZ-SH", 3) "," FLOW("BZ-ZF", 1) "],\"items\":["
	ITEM("BZ-A", "true", "\"fee\":0,\"fee_basis\":\"依法不收费\",") ","
	ITEM("BZ-B", "true", "\"fee\":12000,\"fee_basis\":\"按省定标准收费\",") ","
	ITEM("BZ-C", "true", "\"fee\":0,\"fee_basis\":\"依法不收费\",") ","
	ITEM("BZ-D", "true", "") ","
	ITEM("BZ-E", "false", "\"fee\":5000,\"fee_basis\":\"按省定标准收费\",") "]}";

static int64_t at(const char *date, int hour)
{
	return clock_cn_midnight(date) + hour * 3600;
}

static int64_t project(int n, int flow_type, const char *flow)
{
	char body[1200];
	struct err e;
	int64_t id;
	snprintf(body, sizeof body,
		 "{\"code\":\"2024-610202-47-01-%06d\",\"name\":\"营商测试项目%d\",\"flow_type\":%d,\"flow_code\":\"%s\","
		 "\"division\":\"610202\",\"address\":\"铜川\",\"investment_wan\":1000,\"land_area_m2\":1000,"
		 "\"floor_area_m2\":2000,\"planned_start\":\"2025-01-01\",\"planned_finish\":\"2027-01-01\","
		 "\"units\":[{\"kind\":\"builder\",\"name\":\"铜川市行政审批服务局\",\"credit_code\":\"11610200MB29655940\","
		 "\"contact\":\"王五\",\"phone\":\"13912345678\"}]}",
		 n, n, flow_type, flow);
	json_t *j = json_loads(body, 0, NULL);
	if (project_create(St, &Cli, at("2024-12-02", 9), j, &id, &e))
		fail_msg("project %d: %s %s", n, e.field, e.msg);
	json_decref(j);
	return id;
}

static void act(int64_t id, int action, int64_t now)
{
	struct err e;
	json_t *mat = json_pack("[s]", "申请表");
	struct case_input in = {.action = action, .opinion = "同意", .materials = mat};
	if (case_act(St, &Env, &Cli, now, id, &in, NULL, &e))
		fail_msg("case %lld action %d: %s %s", (long long)id, action, e.field, e.msg);
	json_decref(mat);
}

/* Apply for stage with items; returns the case ids (up to 2). */
static void apply(int64_t pid, int stage, const char *const *items, size_t n, int64_t now, int64_t *ids)
{
	struct err e;
	json_t *out;
	struct case_application a = {stage, NULL, items, n, "申报", NULL};
	if (case_apply(St, &Env, &Cli, now, pid, &a, &out, &e))
		fail_msg("apply stage %d: %s %s", stage, e.field, e.msg);
	for (size_t i = 0; i < n; i++)
		ids[i] = json_integer_value(json_object_get(json_array_get(json_object_get(out, "cases"), i), "id"));
	json_decref(out);
}

/* Accept on the day of application, approve (or deny) on `done`. */
static void decide(int64_t id, int64_t applied, int64_t done, int action)
{
	act(id, CASE_A_ACCEPT, applied + 600);
	act(id, action, done);
}

/* One stage with its one milestone item, applied and approved on the days given. */
static void stage(int64_t pid, int n, const char *item, const char *from, const char *to)
{
	const char *items[1] = {item};
	int64_t id;
	apply(pid, n, items, 1, at(from, 9), &id);
	decide(id, at(from, 9), at(to, 15), CASE_A_APPROVE);
}

static void history(void)
{
	int64_t p1 = project(1, 3, "BZ-SH"), p2 = project(2, 3, "BZ-SH"), p3 = project(3, 1, "BZ-ZF");
	int64_t p4 = project(4, 3, "BZ-SH");
	stage(p2, 1, "BZ-A", "2025-01-06", "2025-01-10");
	stage(p2, 2, "BZ-B", "2025-02-10", "2025-02-14");
	stage(p2, 3, "BZ-C", "2025-03-03", "2025-03-14");
	stage(p2, 4, "BZ-D", "2025-04-01", "2025-04-30");

	stage(p1, 1, "BZ-A", "2025-03-03", "2025-03-07");
	/* stage 2: B with a supplement after acceptance (03-11 → 03-13), E denied */
	const char *items[2] = {"BZ-B", "BZ-E"};
	int64_t ids[2];
	apply(p1, 2, items, 2, at("2025-03-10", 9), ids);
	act(ids[0], CASE_A_ACCEPT, at("2025-03-10", 10));
	act(ids[0], CASE_A_SUPPLEMENT, at("2025-03-11", 10));
	act(ids[0], CASE_A_SUPPLEMENT_DONE, at("2025-03-13", 10));
	decide(ids[1], at("2025-03-10", 9), at("2025-03-14", 15), CASE_A_DENY);
	act(ids[0], CASE_A_APPROVE, at("2025-03-21", 15));
	stage(p1, 3, "BZ-C", "2025-03-24", "2025-03-28");
	stage(p1, 4, "BZ-D", "2025-03-31", "2025-04-11");

	stage(p3, 1, "BZ-A", "2025-05-06", "2025-05-09");
	stage(p3, 2, "BZ-B", "2025-05-12", "2025-05-16");
	stage(p3, 3, "BZ-C", "2025-05-19", "2025-05-23");
	stage(p3, 4, "BZ-D", "2025-05-26", "2025-05-30");

	stage(p4, 1, "BZ-A", "2025-06-02", "2025-06-06");
	stage(p4, 2, "BZ-B", "2025-06-09", "2025-06-13");
	stage(p4, 3, "BZ-C", "2025-06-16", "2025-06-20");
	stage(p4, 4, "BZ-D", "2025-06-23", "2025-07-04");
}

static int setup(void **state)
{
	struct err e;
	(void)state;
	snprintf(Dir, sizeof Dir, "/tmp/test-business-XXXXXX");
	if (!mkdtemp(Dir))
		return -1;
	snprintf(Db, sizeof Db, "%s/gg.db", Dir);
	char *argv[] = {"init", "--db", Db, "--json", NULL};
	FILE *saved = stdout;
	stdout = fopen("/dev/null", "w");
	int rc = cli_init(4, argv);
	fclose(stdout);
	stdout = saved;
	if (rc != 0 || store_open(Db, 0, &St, &e) || cal_build_store(St, &Cal, &e))
		return -1;
	Env.cal = Cal;
	Env.dl = DEADLINE_CONF_DEFAULT;
	Env.observers = db_case_observers();
	rbac_cli_principal(&Cli);
	json_t *doc = json_loads(catalogue, 0, NULL);
	if (!doc || catalog_import(St, &Cli, at("2024-12-01", 9), doc, NULL, &e)) {
		fprintf(stderr, "catalogue: %s %s\n", e.field, e.msg);
		json_decref(doc);
		return -1;
	}
	json_decref(doc);
	history();
	return 0;
}

static int teardown(void **state)
{
	char cmd[400];
	(void)state;
	cal_free(Cal);
	store_close(St);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", Dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- checks ------------------------------------------------------------------------------ */

static json_t *figures(const char *from, const char *to)
{
	int64_t f, t;
	struct err e;
	json_t *out;
	assert_int_equal(pw_period_parse(from, to, &f, &t, &e), 0);
	if (biz_figures(St, &Env, f, t, at("2025-08-01", 9), &out, &e))
		fail_msg("figures: %s %s", e.field, e.msg);
	return out;
}

static json_t *by_name(const json_t *arr, const char *key, const char *value)
{
	size_t i;
	json_t *o;
	json_array_foreach(arr, i, o)
		if (strcmp(json_string_value(json_object_get(o, key)), value) == 0)
			return o;
	fail_msg("no %s = %s", key, value);
	return NULL;
}

static int64_t num(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static double real(const json_t *o, const char *k)
{
	return json_number_value(json_object_get(o, k));
}

static void test_projects(void **state)
{
	(void)state;
	json_t *f = figures("2025-01-01", "2025-06-30"), *ps = json_object_get(f, "projects");
	assert_int_equal(json_array_size(ps), 3);   /* P4 completes in July */
	json_t *p1 = by_name(ps, "name", "营商测试项目1"), *p2 = by_name(ps, "name", "营商测试项目2");
	json_t *p3 = by_name(ps, "name", "营商测试项目3");
	assert_int_equal(num(p1, "workdays"), 28);
	assert_int_equal(num(p1, "natural_days"), 39);
	assert_int_equal(num(p1, "procedures"), 5);
	assert_int_equal(num(p1, "fee_fen"), 12000);   /* the denied E costs nothing */
	assert_true(fabs(real(p1, "fee_yuan") - 120.0) < 1e-9);
	assert_int_equal(num(p1, "fee_unrecorded"), 1);   /* D has no recorded fee */
	assert_int_equal(num(p1, "target"), 65);
	assert_true(json_is_true(json_object_get(p1, "within")));
	assert_int_equal(num(p1, "over"), 28 - 65);
	assert_string_equal(json_string_value(json_object_get(p1, "first_applied")), "2025-03-03");
	assert_string_equal(json_string_value(json_object_get(p1, "completed")), "2025-04-11");
	assert_int_equal(num(p2, "workdays"), 78);
	assert_int_equal(num(p2, "natural_days"), 114);
	assert_int_equal(num(p2, "procedures"), 4);
	assert_true(json_is_false(json_object_get(p2, "within")));
	assert_int_equal(num(p2, "over"), 13);
	assert_int_equal(num(p3, "workdays"), 18);
	assert_int_equal(num(p3, "natural_days"), 24);
	assert_int_equal(num(p3, "target"), 90);
	assert_string_equal(json_string_value(json_object_get(p3, "flow_type_name")), "政府投资房屋建筑类");
	json_decref(f);
}

static void test_medians(void **state)
{
	(void)state;
	json_t *f = figures("2025-01-01", "2025-06-30");
	json_t *ft = json_object_get(f, "flow_types"), *all = json_object_get(f, "all");
	assert_int_equal(json_array_size(ft), 2);
	json_t *t1 = json_array_get(ft, 0), *t3 = json_array_get(ft, 1);
	assert_int_equal(num(t1, "flow_type"), 1);
	assert_int_equal(num(t3, "flow_type"), 3);
	assert_int_equal(num(t3, "projects"), 2);
	assert_int_equal(num(t3, "within"), 1);
	assert_true(fabs(real(t3, "within_rate") - 50.0) < 1e-9);
	assert_true(fabs(real(t3, "median_workdays") - 53.0) < 1e-9);        /* (28 + 78) / 2 */
	assert_true(fabs(real(t3, "median_natural_days") - 76.5) < 1e-9);    /* (39 + 114) / 2 */
	assert_true(fabs(real(t3, "median_procedures") - 4.5) < 1e-9);
	assert_true(fabs(real(t3, "median_fee_yuan") - 120.0) < 1e-9);
	assert_int_equal(num(t3, "max_workdays"), 78);
	assert_int_equal(num(t1, "projects"), 1);
	assert_true(fabs(real(t1, "median_workdays") - 18.0) < 1e-9);
	assert_int_equal(num(all, "projects"), 3);
	assert_int_equal(num(all, "within"), 2);
	assert_true(fabs(real(all, "within_rate") - 66.67) < 1e-9);
	assert_true(fabs(real(all, "median_workdays") - 28.0) < 1e-9);
	assert_true(fabs(real(all, "median_natural_days") - 39.0) < 1e-9);
	json_decref(f);
	/* July alone: P4, 06-02 → 07-04 (Dragon Boat 05-31~06-02 is before it) */
	f = figures("2025-07-01", "2025-07-31");
	json_t *p4 = json_array_get(json_object_get(f, "projects"), 0);
	assert_int_equal(json_array_size(json_object_get(f, "projects")), 1);
	assert_int_equal(num(p4, "workdays"), 24);
	assert_int_equal(num(p4, "natural_days"), 32);
	json_decref(f);
}

static void test_slowest(void **state)
{
	(void)state;
	json_t *f = figures("2025-01-01", "2025-06-30"), *sl = json_object_get(f, "slowest");
	assert_int_equal(json_array_size(sl), 3);
	assert_string_equal(json_string_value(json_object_get(json_array_get(sl, 0), "name")), "营商测试项目2");
	assert_string_equal(json_string_value(json_object_get(json_array_get(sl, 1), "name")), "营商测试项目1");
	assert_string_equal(json_string_value(json_object_get(json_array_get(sl, 2), "name")), "营商测试项目3");
	static const int wait[4] = {0, 17, 11, 12}, days[4] = {4, 4, 9, 21};
	json_t *st = json_object_get(json_array_get(sl, 0), "stages");
	int sum = 0;
	assert_int_equal(json_array_size(st), 4);
	for (int i = 0; i < 4; i++) {
		json_t *s = json_array_get(st, (size_t)i);
		assert_int_equal(num(s, "stage"), i + 1);
		assert_int_equal(num(s, "wait_workdays"), wait[i]);
		assert_int_equal(num(s, "workdays"), days[i]);
		sum += wait[i] + days[i];
	}
	assert_int_equal(sum, 78);
	assert_string_equal(json_string_value(json_object_get(json_array_get(st, 3), "completed")), "2025-04-30");
	assert_true(fabs(real(json_array_get(st, 3), "share") - round((12 + 21) * 10000.0 / 78) / 100) < 1e-9);
	/* P1's stage 2: the supplement stopped B's clock on 03-12 and 03-13; E was denied on 03-14 */
	json_t *s2 = json_array_get(json_object_get(json_array_get(sl, 1), "stages"), 1);
	assert_int_equal(num(s2, "wait_workdays"), 1);
	assert_int_equal(num(s2, "workdays"), 9);
	assert_int_equal(num(s2, "paused_workdays"), 2);
	assert_int_equal(num(s2, "items"), 2);
	assert_string_equal(json_string_value(json_object_get(s2, "longest_item")), "事项BZ-B");
	assert_int_equal(num(s2, "longest_item_workdays"), 9);
	json_decref(f);
}

static void test_document_and_rights(void **state)
{
	(void)state;
	struct err e;
	struct principal clerk = Cli;
	json_t *doc;
	int64_t f, t;
	assert_int_equal(pw_period_parse("2025-01-01", "2025-06-30", &f, &t, &e), 0);
	clerk.roles = ROLE_CLERK;
	assert_int_equal(biz_build(St, &Env, &clerk, f, t, at("2025-08-01", 9), &doc, &e), ERR_FORBIDDEN);
	assert_int_equal(biz_build(St, &Env, &Cli, f, t, at("2025-08-01", 9), &doc, &e), 0);
	json_t *secs = json_object_get(doc, "sections");
	assert_int_equal(json_array_size(secs), 3);
	json_t *rows = json_object_get(json_array_get(json_object_get(json_array_get(secs, 0), "tables"), 0), "rows");
	assert_int_equal(json_array_size(rows), 3);   /* two flow types and 全部 */
	assert_string_equal(json_string_value(json_object_get(json_array_get(rows, 2), "flow_type_name")), "全部");
	assert_int_equal(json_array_size(json_object_get(json_array_get(secs, 2), "tables")), 3);
	char *body = NULL;
	size_t len = 0;
	assert_int_equal(biz_render(St, &Env, &Cli, f, t, at("2025-08-01", 9), PW_HTML, NULL, &body, &len, &e), 0);
	assert_non_null(strstr(body, "营商环境—办理建筑许可"));
	assert_non_null(strstr(body, "营商测试项目2"));
	free(body);
	json_decref(doc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_projects),
		cmocka_unit_test(test_medians),
		cmocka_unit_test(test_slowest),
		cmocka_unit_test(test_document_and_rights),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
