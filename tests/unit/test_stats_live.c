/*
** test_stats_live.c: the maintained statistics against an independent
** recount.
**
** A database is made by `gonggai init`; a deterministic simulation then
** registers projects of every flow type in every district and, day by day
** from August to November 2025 (across the National Day holiday), applies
** for stages (54Y joint acceptances included) and takes random allowed
** actions on open 办件 through the lifecycle (approval/case.h) with an
** injected clock, so every change passes the statistics observer.
**
** The recount below reads the raw lifecycle rows only (cases,
** case_instances, case_supplements, case_specials) and the one clock
** function (case_clock), and counts by the definitions of docs/api.md
** (统计) in plain C — no stats_case row, view or rollup. Reports, the
** dashboard, lights moving with the clock (yellow/red crossings), cases
** changed on one connection while another runs the light pass, rebuild,
** and check catching a tampered aggregate are all compared with it. When
** `gonggai demo` is available the same recount runs on demo data.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "approval/case_files.h"
#include "approval/case.h"
#include "approval/catalog.h"
#include "approval/project.h"
#include "base/clock.h"
#include "db/db.h"
#include "workday/workday.h"
#include "cli/cli.h"
#include "stats/stats_live.h"
#include "stats/stats_query.h"
#include "store/store_stats.h"
#include "store/store_int.h"   /* white-box: reads and writes rows directly */

static char Dir[256], Db[300];
static struct store *St;
static struct cal *Cal;
static struct case_env Env;
static struct principal Cli;
static int64_t End;            /* the simulation's last instant */
#define NPROJECTS 90

/* ---- deterministic randomness --------------------------------------------------------- */

static uint64_t rng = 0x9E3779B97F4A7C15ull;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static int64_t at(const char *date, int hour)
{
	return clock_cn_midnight(date) + hour * 3600;
}

/* ---- the simulation ------------------------------------------------------------------ */

static const char *const districts[] = {"610202", "610203", "610204", "610222", "610200"};
static const char *const flows[] = {"TC-ZFTZ-FJ", "TC-ZFTZ-XX", "TC-SHTZ-YB", "TC-SHTZ-XX"};
static const int flow_types[] = {1, 2, 3, 4};

static void make_projects(int n)
{
	struct err e;
	for (int i = 0; i < n; i++) {
		char body[1500];
		int f = i % 4;
		const char *d = districts[i % 5];
		snprintf(body, sizeof body,
			    "{\"code\":\"2025-%s-47-01-%06d\",\"name\":\"统计测试项目%d\",\"flow_type\":%d,"
			    "\"flow_code\":\"%s\",\"division\":\"%s\",\"address\":\"铜川\",\"investment_wan\":1000,"
			    "\"land_area_m2\":1000,\"floor_area_m2\":2000,\"planned_start\":\"2025-08-01\","
			    "\"planned_finish\":\"2027-08-01\",\"units\":[{\"kind\":\"builder\",\"name\":\"铜川市行政审批服务局\","
			    "\"credit_code\":\"11610200MB29655940\",\"contact\":\"王五\",\"phone\":\"13912345678\"}]}",
			 d, i + 1, i + 1, flow_types[f], flows[f], d);
		json_t *j = json_loads(body, 0, NULL);
		int64_t id;
		if (project_create(St, &Cli, at("2025-07-25", 9), j, &id, &e))
			fail_msg("project %d: %s %s", i, e.field, e.msg);
		json_decref(j);
	}
}

/* Apply for stage `stage` of project pid (main line, or the 54Y side line). */
static void apply_stage(int64_t pid, int stage, int joint, int64_t now)
{
	struct project p;
	struct catalog_flow fl;
	struct err e;
	char date[CAL_DATE_LEN];
	if (project_lookup(St, pid, &p, &e))
		return;
	cal_date_format(deadline_day(now), date);
	if (catalog_flow_at(St, p.flow_code, date, &fl, &e))
		return;
	const char *items[16];
	size_t n = 0, i, k;
	json_t *s, *sl, *it;
	json_array_foreach(json_object_get(fl.doc, "stages"), i, s) {
		if (json_integer_value(json_object_get(s, "number")) != stage)
			continue;
		if (!joint)
			json_array_foreach(json_object_get(s, "items"), k, it)
				if (n < 16)
					items[n++] = json_string_value(it);
		json_array_foreach(json_object_get(s, "side_lines"), k, sl)
			if (joint && strcmp(json_string_value(json_object_get(sl, "code")), "54Y") == 0) {
				size_t m;
				json_array_foreach(json_object_get(sl, "items"), m, it)
					if (n < 16)
						items[n++] = json_string_value(it);
			}
	}
	struct case_application a = {stage, joint ? "54Y" : NULL, items, n, "统计测试", NULL};
	json_t *out = NULL;
	if (n && case_apply(St, &Env, &Cli, now, pid, &a, &out, &e) == 0)
		json_decref(out);
	catalog_flow_release(&fl);
}

/* One random allowed action on case id (errors such as unmet prerequisites are fine). */
static void random_action(int64_t id, int64_t now)
{
	struct case_rec c;
	struct err e;
	if (store_case_get(St, id, &c, &e))
		return;
	struct case_state s = {c.status, c.accepted, c.step, c.nsteps, c.pre_supplements, c.tolerance_ok};
	unsigned allowed = case_allowed(&s) & ~(1u << CASE_A_TRANSFER);
	/* decisions are rare, progress is common: weight the choice */
	static const int weights[CASE_A_COUNT] = {
		[CASE_A_ACCEPT] = 300, [CASE_A_REFUSE] = 15, [CASE_A_SUPPLEMENT] = 30, [CASE_A_SUPPLEMENT_DONE] = 200,
		[CASE_A_START_REVIEW] = 300, [CASE_A_NEXT_STEP] = 300, [CASE_A_RETURN] = 10, [CASE_A_SPECIAL_START] = 12,
		[CASE_A_SPECIAL_END] = 150, [CASE_A_APPROVE] = 300, [CASE_A_APPROVE_TOLERANCE] = 30,
		[CASE_A_DENY] = 8, [CASE_A_WITHDRAW] = 2, [CASE_A_REVOKE] = 2,
	};
	int total = 0, pick;
	for (int a = 0; a < CASE_A_COUNT; a++)
		if (allowed & (1u << a))
			total += weights[a];
	if (!total)
		return;
	pick = (int)rnd((uint32_t)total);
	int action = 0;
	for (int a = 0; a < CASE_A_COUNT; a++)
		if (allowed & (1u << a) && (pick -= weights[a]) < 0) {
			action = a;
			break;
		}
	/* 补正 and 容缺 name a material of the case's own list (approval/case_files.h) */
	json_t *list = NULL;
	const char *name = NULL;
	if (case_materials_get(St, &Cli, id, &list, &e) == 0)
		name = json_string_value(json_object_get(json_array_get(json_object_get(list, "materials"), 0), "name"));
	json_t *mat = json_pack("[s]", name ? name : "申请材料");
	json_decref(list);
	struct case_input in = {.action = action, .opinion = "统计测试意见", .materials = mat, .special_type = 1,
				.special_kind = "expert", .special_limit = 5, .reason = "专家评审", .result = "通过"};
	case_act(St, &Env, &Cli, now, id, &in, NULL, &e);
	json_decref(mat);
}

static void open_cases(int64_t **ids, int *n)
{
	sqlite3_stmt *s;
	*n = 0;
	*ids = NULL;
	sqlite3_prepare_v2(store_db(St), "SELECT id FROM cases WHERE open = 1 ORDER BY id", -1, &s, NULL);
	while (sqlite3_step(s) == SQLITE_ROW) {
		*ids = realloc(*ids, (size_t)(*n + 1) * sizeof **ids);
		(*ids)[(*n)++] = sqlite3_column_int64(s, 0);
	}
	sqlite3_finalize(s);
}

static int current_stage(int64_t pid)
{
	struct case_progress p;
	struct err e;
	return store_progress_get(St, pid, &p, &e) ? 0 : (p.finished_at ? -1 : p.current_stage);
}

static void simulate(const char *from, int days, int nprojects)
{
	int32_t d0 = deadline_day(at(from, 0));
	for (int k = 0; k < days; k++) {
		char date[CAL_DATE_LEN];
		cal_date_format(d0 + k, date);
		int64_t now = at(date, 9);
		for (int64_t pid = 1; pid <= nprojects; pid++) {
			/* projects start one after the other over the whole period */
			if (pid * days / nprojects > k + 10 || rnd(100) >= 15)
				continue;
			int stage = current_stage(pid);
			if (stage >= 0)
				apply_stage(pid, stage ? stage : 1, 0, now + rnd(3600));
			if (stage == 4 && rnd(2))
				apply_stage(pid, 4, 1, now + 3600 + rnd(3600));
		}
		int64_t *ids;
		int n;
		open_cases(&ids, &n);
		for (int i = 0; i < n; i++)
			if (rnd(100) < 45)
				random_action(ids[i], now + 7200 + rnd(6 * 3600));
		free(ids);
		End = now + 9 * 3600;
	}
}

static int setup(void **state)
{
	struct err e;
	snprintf(Dir, sizeof Dir, "/tmp/test-stats-live-XXXXXX");
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
	make_projects(NPROJECTS);
	simulate("2025-08-01", 122, NPROJECTS);
	return 0;
}

static int teardown(void **state)
{
	char cmd[400];
	cal_free(Cal);
	store_close(St);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", Dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- the independent recount ------------------------------------------------------------ */

struct rrow {
	char key[64];
	int64_t n[SC_COUNT];
	int64_t *wd;
	size_t nwd;
};

struct recount {
	struct rrow rows[256];
	size_t n;
	struct rrow total;
};

static struct rrow *rrow_of(struct recount *R, const char *key)
{
	for (size_t i = 0; i < R->n; i++)
		if (strcmp(R->rows[i].key, key) == 0)
			return &R->rows[i];
	assert_true(R->n < 256);
	struct rrow *r = &R->rows[R->n++];
	memset(r, 0, sizeof *r);
	snprintf(r->key, sizeof r->key, "%s", key);
	return r;
}

static void bump(struct recount *R, const char *key, int i, int64_t v)
{
	rrow_of(R, key)->n[i] += v;
	R->total.n[i] += v;
}

static void add_wd(struct rrow *r, int64_t wd)
{
	r->wd = realloc(r->wd, (r->nwd + 1) * sizeof *r->wd);
	r->wd[r->nwd++] = wd;
}

static void recount_free(struct recount *R)
{
	for (size_t i = 0; i < R->n; i++)
		free(R->rows[i].wd);
	free(R->total.wd);
}

static void key_of(sqlite3_stmt *s, int g, char *key, size_t n)
{
	static const int col[] = {1, 2, 3, 4, 5};
	snprintf(key, n, "%s", (const char *)sqlite3_column_text(s, col[g]));
}

/* One case by the definitions of docs/api.md. */
static void count_case(struct recount *R, sqlite3_stmt *s, int g, int32_t from, int32_t to, int64_t now)
{
	struct case_rec c;
	struct deadline d;
	struct err e;
	char key[64];
	int64_t id = sqlite3_column_int64(s, 0);
	assert_int_equal(store_case_get(St, id, &c, &e), 0);
	assert_int_equal(case_clock(St, &Env, &c, now, &d, &e), 0);
	key_of(s, g, key, sizeof key);
	int st = c.status, running = !case_status_final(st), concl = st >= 11 && st <= 13;
	int32_t r = deadline_day(c.received_at);
	int32_t a = c.accepted ? deadline_day(c.accepted_at) : -1;
	int32_t f = !running && c.final_at ? deadline_day(c.final_at) : -1;
	int red = running && c.accepted && d.light == LIGHT_RED, late = concl && d.on_time == 0;
	int ncases = sqlite3_column_int(s, 6), first = sqlite3_column_int(s, 7);
	if (r >= from && r <= to) {
		bump(R, key, SC_RECEIVED, 1);
		bump(R, key, SC_RUNNING, running);
		bump(R, key, SC_WARNING, running && c.accepted && d.light == LIGHT_YELLOW);
		bump(R, key, SC_OVERDUE_RUNNING, red);
		bump(R, key, SC_SUPPLEMENTED, sqlite3_column_int(s, 8));
		bump(R, key, SC_SPECIAL, sqlite3_column_int(s, 9));
		bump(R, key, SC_COH_ACCEPTED, c.accepted);
		bump(R, key, SC_COH_CONCLUDED, concl);
		bump(R, key, SC_COH_REFUSED, st == 4 || st == 5);
		bump(R, key, SC_COH_OVERDUE, late || red);
		bump(R, key, SC_PARALLEL_CASES, ncases >= 2);
		bump(R, key, SC_PARALLEL_INST, ncases >= 2 && first);
	}
	if (a >= from && a <= to)
		bump(R, key, SC_ACCEPTED, 1);
	if (f < from || f > to)
		return;
	bump(R, key, SC_REFUSED, st == 4 || st == 5);
	bump(R, key, SC_CANCELLED, st == 2);
	bump(R, key, SC_WITHDRAWN, st == 14);
	bump(R, key, SC_REVOKED, st == 15);
	if (!concl)
		return;
	bump(R, key, SC_CONCLUDED, 1);
	bump(R, key, st == 11 ? SC_APPROVED : st == 12 ? SC_APPROVED_TOL : SC_DENIED, 1);
	bump(R, key, SC_OVERDUE_DONE, late);
	bump(R, key, SC_ACC_ITEMS, c.stage == 4);
	bump(R, key, SC_ACC_PASSED, c.stage == 4 && st != 13);
	bump(R, key, SC_WD_SUM, d.workdays_used);
	bump(R, key, SC_ND_SUM, f - a);
	bump(R, key, SC_LIMIT_SUM, c.limit);
	bump(R, key, SC_PAUSED_SUM, d.paused_workdays);
	add_wd(rrow_of(R, key), d.workdays_used);
	add_wd(&R->total, d.workdays_used);
}

static void recount(int32_t from, int32_t to, int g, int64_t now, const char *department, struct recount *R)
{
	sqlite3_stmt *s;
	memset(R, 0, sizeof *R);
	assert_int_equal(sqlite3_prepare_v2(store_db(St),
		"SELECT c.id, c.district_code, c.department_code, c.item_code, CAST(c.stage AS TEXT), "
		"CAST(c.flow_type AS TEXT), i.ncases, c.id = (SELECT min(x.id) FROM cases x WHERE x.instance_id = i.id), "
		"EXISTS (SELECT 1 FROM case_supplements u WHERE u.case_id = c.id), "
		"EXISTS (SELECT 1 FROM case_specials p WHERE p.case_id = c.id) "
		"FROM cases c JOIN case_instances i ON i.id = c.instance_id "
		"WHERE ?1 IS NULL OR c.department_code = ?1 ORDER BY c.id", -1, &s, NULL), SQLITE_OK);
	store_bind_text(s, 1, department);
	while (sqlite3_step(s) == SQLITE_ROW)
		count_case(R, s, g, from, to, now);
	sqlite3_finalize(s);
	/* joint acceptances: 54Y instances closed in the range, by their first case */
	static const char *const keycol[] = {"district_code", "department_code", "item_code", "stage", "flow_type"};
	char sql[800];
	snprintf(sql, sizeof sql, "SELECT CAST(c.%s AS TEXT), i.result FROM case_instances i JOIN cases c ON "
		 "c.id = (SELECT min(id) FROM cases WHERE instance_id = i.id) WHERE i.side_line = '54Y' AND "
		 "i.closed_at >= ?1 AND i.closed_at < ?2 AND (?3 IS NULL OR c.department_code = ?3)", keycol[g]);
	assert_int_equal(sqlite3_prepare_v2(store_db(St), sql, -1, &s, NULL), SQLITE_OK);
	sqlite3_bind_int64(s, 1, (int64_t)from * 86400 - 8 * 3600);
	sqlite3_bind_int64(s, 2, (int64_t)(to + 1) * 86400 - 8 * 3600);
	store_bind_text(s, 3, department);
	while (sqlite3_step(s) == SQLITE_ROW) {
		bump(R, (const char *)sqlite3_column_text(s, 0), SC_JOINT, 1);
		bump(R, (const char *)sqlite3_column_text(s, 0), SC_JOINT_PASSED, sqlite3_column_int(s, 1) == 11);
	}
	sqlite3_finalize(s);
}

static int cmp64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return (x > y) - (x < y);
}

/* The recounted row equals the report's: every count, P90, longest, shortest. */
static void expect_row(const char *what, const struct rrow *want, const struct stats_counts *got)
{
	for (int i = 0; i < SC_COUNT; i++)
		if (want->n[i] != got->n[i])
			fail_msg("%s [%s] %s: report %lld, recount %lld", what, want->key, stats_count_key(i),
				 (long long)got->n[i], (long long)want->n[i]);
	int64_t p90 = -1, mx = -1, mn = -1;
	if (want->nwd) {
		qsort(want->wd, want->nwd, sizeof want->wd[0], cmp64);
		size_t rank = (9 * want->nwd + 9) / 10;   /* ceil(0.9 n) */
		p90 = want->wd[rank - 1];
		mn = want->wd[0];
		mx = want->wd[want->nwd - 1];
	}
	if (p90 != got->wd_p90 || mx != got->wd_max || mn != got->wd_min)
		fail_msg("%s [%s] p90/max/min: report %lld/%lld/%lld, recount %lld/%lld/%lld", what, want->key,
			 (long long)got->wd_p90, (long long)got->wd_max, (long long)got->wd_min, (long long)p90,
			 (long long)mx, (long long)mn);
}

static int64_t total_of(const struct recount *R, int i)
{
	return R->total.n[i];
}

/* A report for the period and grouping equals the recount, row by row. */
static void expect_report(const char *kind, const char *from, const char *to, int g, const char *department,
			  int64_t now)
{
	struct stats_request q = {.now = now, .scope = {department, NULL}};
	struct stats_report rep;
	struct recount R;
	struct err e;
	char what[160];
	assert_int_equal(stats_period_parse(kind, from, to, deadline_day(now), &q.period, &e), 0);
	q.groups[q.ngroups++] = g;
	if (stats_report_build(St, &Env, &q, &rep, &e))
		fail_msg("report: %s", e.msg);
	recount(q.period.from, q.period.to, g, now, department, &R);
	snprintf(what, sizeof what, "%s %s %s by %s%s%s", kind ? kind : "ytd", from ? from : "", to ? to : "",
		 stats_group_name(g), department ? " for " : "", department ? department : "");
	const struct stats_section *sec = &rep.sections[0];
	size_t nonzero = 0;
	for (size_t i = 0; i < R.n; i++)
		nonzero++;
	assert_int_equal(sec->nrows, nonzero);
	for (size_t i = 0; i < sec->nrows; i++) {
		const struct rrow *want = NULL;
		for (size_t k = 0; k < R.n; k++)
			if (strcmp(R.rows[k].key, sec->rows[i].key) == 0)
				want = &R.rows[k];
		if (!want)
			fail_msg("%s: report row %s not in the recount", what, sec->rows[i].key);
		expect_row(what, want, &sec->rows[i].c);
	}
	snprintf(R.total.key, sizeof R.total.key, "合计");
	expect_row(what, &R.total, &sec->total.c);
	assert_true(total_of(&R, SC_RECEIVED) > 0 || kind);
	recount_free(&R);
	stats_report_free(&rep);
}

/* ---- tests ------------------------------------------------------------------------------- */

static void expect_check_equal(int64_t now)
{
	struct stats_check_result r;
	struct err e;
	if (stats_check(St, &Env, now, "test", &r, &e))
		fail_msg("check: %s", e.msg);
	if (!r.equal)
		fail_msg("check: %s", r.diff);
	assert_true(r.cases > 0);
}

static void test_simulation_is_rich(void **state)
{
	/* the simulation exercised what the statistics count */
	struct recount R;
	recount(deadline_day(at("2025-08-01", 0)), deadline_day(End), SG_DISTRICT, End, NULL, &R);
	print_message("cases received %lld, accepted %lld, concluded %lld (late %lld), refused %lld, "
		      "cancelled/withdrawn/revoked %lld/%lld/%lld, running %lld (yellow %lld, red %lld), "
		      "parallel instances %lld, joint %lld (passed %lld), acceptance items %lld\n",
		      (long long)R.total.n[SC_RECEIVED], (long long)R.total.n[SC_ACCEPTED],
		      (long long)R.total.n[SC_CONCLUDED], (long long)R.total.n[SC_OVERDUE_DONE],
		      (long long)R.total.n[SC_REFUSED], (long long)R.total.n[SC_CANCELLED],
		      (long long)R.total.n[SC_WITHDRAWN], (long long)R.total.n[SC_REVOKED],
		      (long long)R.total.n[SC_RUNNING], (long long)R.total.n[SC_WARNING],
		      (long long)R.total.n[SC_OVERDUE_RUNNING], (long long)R.total.n[SC_PARALLEL_INST],
		      (long long)R.total.n[SC_JOINT], (long long)R.total.n[SC_JOINT_PASSED],
		      (long long)R.total.n[SC_ACC_ITEMS]);
	assert_true(R.total.n[SC_RECEIVED] > 300);
	assert_true(R.total.n[SC_CONCLUDED] > 50);
	assert_true(R.total.n[SC_SUPPLEMENTED] > 0 && R.total.n[SC_SPECIAL] > 0);
	assert_true(R.total.n[SC_PARALLEL_INST] > 0);
	recount_free(&R);
}

static void test_check_after_changes(void **state)
{
	expect_check_equal(End);
}

static void test_reports_match_recount(void **state)
{
	for (int g = 0; g < SG_COUNT; g++) {
		expect_report("month", "2025-09", NULL, g, NULL, End);
		expect_report("month", "2025-10", NULL, g, NULL, End);   /* across 国庆 */
		expect_report("range", "2025-08-15", "2025-11-20", g, NULL, End);
	}
	expect_report("quarter", "2025-Q4", NULL, SG_DISTRICT, NULL, End);
	expect_report("day", "2025-09-15", NULL, SG_ITEM, NULL, End);
	/* ranges of whole months only, of days inside one month, and across
	** one month boundary without a whole month (rollups: migration 0021) */
	expect_report("range", "2025-08-01", "2025-10-31", SG_DEPARTMENT, NULL, End);
	expect_report("range", "2025-09-10", "2025-09-20", SG_STAGE, NULL, End);
	expect_report("range", "2025-09-20", "2025-10-10", SG_FLOW_TYPE, NULL, End);
	expect_report(NULL, NULL, NULL, SG_DISTRICT, NULL, End);    /* year to date */
	/* a department head's scope */
	expect_report("range", "2025-08-01", "2025-11-30", SG_ITEM, "610200-ZJJ", End);
	expect_report("range", "2025-08-01", "2025-11-30", SG_DISTRICT, "610200-ZRZY", End);
}

static void test_overview_matches_recount(void **state)
{
	struct stats_scope sc = {NULL, NULL};
	struct recount R;
	json_t *o;
	struct err e;
	assert_int_equal(stats_lights(St, &Env, End, "test", NULL, &e) == 0 || e.code == ERR_CONFLICT, 1);
	assert_int_equal(stats_overview(St, &sc, End, &o, &e), 0);
	recount(0, 1 << 30, SG_DISTRICT, End, NULL, &R);
	assert_int_equal(json_integer_value(json_object_get(o, "total")), R.total.n[SC_RECEIVED]);
	assert_int_equal(json_integer_value(json_object_get(o, "running")), R.total.n[SC_RUNNING]);
	assert_int_equal(json_integer_value(json_object_get(o, "yellow")), R.total.n[SC_WARNING]);
	assert_int_equal(json_integer_value(json_object_get(o, "red")), R.total.n[SC_OVERDUE_RUNNING]);
	assert_int_equal(json_integer_value(json_object_get(o, "concluded")), R.total.n[SC_CONCLUDED]);
	/* per district */
	size_t i;
	json_t *d;
	json_array_foreach(json_object_get(o, "districts"), i, d) {
		struct rrow *r = rrow_of(&R, json_string_value(json_object_get(d, "code")));
		assert_int_equal(json_integer_value(json_object_get(d, "total")), r->n[SC_RECEIVED]);
		assert_int_equal(json_integer_value(json_object_get(d, "red")), r->n[SC_OVERDUE_RUNNING]);
	}
	/* the naive scan agrees on totals and statuses */
	json_t *o2;
	assert_int_equal(stats_overview_scan(St, &sc, End, &o2, &e), 0);
	assert_true(json_equal(json_object_get(o, "status"), json_object_get(o2, "status")));
	assert_int_equal(json_integer_value(json_object_get(o2, "total")), R.total.n[SC_RECEIVED]);
	json_decref(o2);
	json_decref(o);
	recount_free(&R);
}

static int64_t light_count(int light)
{
	sqlite3_stmt *s;
	int64_t n = 0;
	sqlite3_prepare_v2(store_db(St), "SELECT sum(n) FROM stats_live WHERE light = ?", -1, &s, NULL);
	sqlite3_bind_int(s, 1, light);
	if (sqlite3_step(s) == SQLITE_ROW)
		n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void test_lights_cross_with_the_clock(void **state)
{
	struct stats_pass p;
	struct recount R;
	struct err e;
	int64_t later = End + 6 * 86400;
	int64_t yellow0 = light_count(SL_YELLOW), red0 = light_count(SL_RED);
	/* nothing happened to any case, but six days passed */
	recount(0, 1 << 30, SG_DISTRICT, later, NULL, &R);
	assert_true(R.total.n[SC_WARNING] != yellow0 || R.total.n[SC_OVERDUE_RUNNING] != red0);
	assert_int_equal(stats_lights(St, &Env, later, "test", &p, &e), 0);
	assert_true(p.changed > 0 && p.examined >= p.changed);
	print_message("light pass: %lld examined, %lld changed; yellow %lld -> %lld, red %lld -> %lld\n",
		      (long long)p.examined, (long long)p.changed, (long long)yellow0,
		      (long long)light_count(SL_YELLOW), (long long)red0, (long long)light_count(SL_RED));
	assert_int_equal(light_count(SL_YELLOW), R.total.n[SC_WARNING]);
	assert_int_equal(light_count(SL_RED), R.total.n[SC_OVERDUE_RUNNING]);
	/* the same day again: nothing left to do */
	assert_int_equal(stats_lights(St, &Env, later + 3600, "test", &p, &e), 0);
	assert_int_equal(p.changed, 0);
	expect_check_equal(later);
	expect_report("range", "2025-08-01", "2025-12-31", SG_DEPARTMENT, NULL, later);
	recount_free(&R);
	End = later;
}

/* ---- changes on one connection while another moves the lights ---------------------------- */

struct racer {
	int64_t now;
	int rounds;
	int errors;
};

static void *light_racer(void *arg)
{
	struct racer *r = arg;
	struct store *st;
	struct err e;
	if (store_open(Db, 0, &st, &e)) {
		r->errors++;
		return NULL;
	}
	for (int i = 0; i < r->rounds; i++) {
		int rc = stats_lights(st, &Env, r->now + i * 86400, "racer", NULL, &e);
		if (rc && rc != ERR_CONFLICT)
			r->errors++;
		usleep(2000);
	}
	store_close(st);
	return NULL;
}

static void test_changes_during_light_passes(void **state)
{
	pthread_t t;
	struct racer r = {End, 12, 0};
	assert_int_equal(pthread_create(&t, NULL, light_racer, &r), 0);
	for (int k = 0; k < 6; k++) {
		int64_t *ids;
		int n;
		open_cases(&ids, &n);
		for (int i = 0; i < n; i++)
			if (rnd(100) < 40)
				random_action(ids[i], End + k * 86400 + 3600 + rnd(3600));
		free(ids);
		for (int64_t pid = 1; pid <= NPROJECTS; pid++)
			if (rnd(100) < 15 && current_stage(pid) >= 0)
				apply_stage(pid, current_stage(pid) ? current_stage(pid) : 1, 0, End + k * 86400 + 7200);
	}
	pthread_join(t, NULL);
	assert_int_equal(r.errors, 0);
	End += 14 * 86400;
	expect_check_equal(End);
	expect_report("range", "2025-08-01", "2025-12-31", SG_STAGE, NULL, End);
}

/* The report of every grouping with the month rollups and from day rows
** only (the query before 0021): the same JSON, comparisons included. */
static void expect_rollups_equal(const char *kind, const char *from, const char *to, const char *department)
{
	char *text[2];
	struct err e;
	for (int k = 0; k < 2; k++) {
		struct stats_request q = {.now = End, .scope = {department, NULL}, .days_only = k};
		struct stats_report rep;
		assert_int_equal(stats_period_parse(kind, from, to, deadline_day(End), &q.period, &e), 0);
		for (int g = 0; g < SG_COUNT; g++)
			q.groups[q.ngroups++] = g;
		assert_int_equal(stats_report_build(St, &Env, &q, &rep, &e), 0);
		json_t *j = stats_report_json(&rep);
		json_object_del(j, "generated_at");
		text[k] = json_dumps(j, JSON_SORT_KEYS);
		json_decref(j);
		stats_report_free(&rep);
	}
	if (strcmp(text[0], text[1]) != 0)
		fail_msg("%s %s %s: the rollups' report differs from the day rows'", kind ? kind : "ytd",
			 from ? from : "", to ? to : "");
	free(text[0]);
	free(text[1]);
}

static int64_t count_of(const char *sql)
{
	sqlite3_stmt *s;
	assert_int_equal(sqlite3_prepare_v2(store_db(St), sql, -1, &s, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	int64_t n = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	return n;
}

static void expect_every_period_kind(void)
{
	/* the rollups are there to be read: joint acceptances and marked months of whole projects (0029) */
	assert_true(count_of("SELECT count(*) FROM stats_month_joint") > 0);
	assert_true(count_of("SELECT count(*) FROM stats_month_project_done") > 0);
	expect_rollups_equal("day", "2025-09-30", NULL, NULL);
	expect_rollups_equal("month", "2025-09", NULL, NULL);
	expect_rollups_equal("month", "2025-11", NULL, NULL);            /* to date */
	expect_rollups_equal("quarter", "2025-Q3", NULL, NULL);
	expect_rollups_equal("quarter", "2025-Q4", NULL, "610200-ZJJ");  /* to date, a department */
	expect_rollups_equal("year", "2024", NULL, NULL);
	expect_rollups_equal("year", "2025", NULL, NULL);
	expect_rollups_equal(NULL, NULL, NULL, NULL);
	expect_rollups_equal("range", "2024-02-29", "2025-11-19", NULL);
	expect_rollups_equal("range", "2025-08-01", "2025-10-31", NULL);
	expect_rollups_equal("range", "2025-09-20", "2025-10-10", NULL);
	expect_rollups_equal("range", "2025-10-05", "2025-10-06", "610200-ZRZY");
}

static void test_rollups_equal_day_rows(void **state)
{
	expect_every_period_kind();
}

/* ---- rebuild, tampering, job leases -------------------------------------------------------- */

static char *report_text(int64_t now)
{
	struct stats_request q = {.now = now};
	struct stats_report rep;
	struct err e;
	stats_period_parse("range", "2025-08-01", "2025-12-31", deadline_day(now), &q.period, &e);
	for (int g = 0; g < SG_COUNT; g++)
		q.groups[q.ngroups++] = g;
	assert_int_equal(stats_report_build(St, &Env, &q, &rep, &e), 0);
	json_t *j = stats_report_json(&rep);
	json_object_del(j, "generated_at");
	char *s = json_dumps(j, JSON_SORT_KEYS);
	json_decref(j);
	stats_report_free(&rep);
	return s;
}

static void test_rebuild_gives_the_same_numbers(void **state)
{
	struct stats_rebuild_result rr;
	struct err e;
	char *before = report_text(End);
	assert_int_equal(stats_rebuild(St, &Env, End, &rr, &e), 0);
	assert_true(rr.cases > 0);
	char *after = report_text(End);
	assert_string_equal(before, after);
	free(before);
	free(after);
	expect_check_equal(End);
}

/* Tamper with an aggregate by sql: stats check must differ and name what
** in its diff; a rebuild puts it right again. */
static void expect_tamper_named(const char *sql, const char *what)
{
	struct stats_check_result r;
	struct err e;
	assert_int_equal(store_exec(St, sql, &e), 0);
	assert_int_equal(stats_check(St, &Env, End, "test", &r, &e), 0);
	assert_false(r.equal);
	assert_non_null(strstr(r.diff, what));
	assert_int_equal(stats_rebuild(St, &Env, End, NULL, &e), 0);
}

static void test_check_names_a_tampered_aggregate(void **state)
{
	struct stats_check_result r;
	struct err e;
	assert_int_equal(store_exec(St, "UPDATE stats_day SET concluded = concluded + 1 WHERE rowid IN "
				    "(SELECT rowid FROM stats_day LIMIT 1)", &e) == 0 ||
			 store_exec(St, "UPDATE stats_day SET concluded = concluded + 1 WHERE (day, district, department, "
				    "item, stage, flow_type) IN (SELECT day, district, department, item, stage, flow_type "
				    "FROM stats_day LIMIT 1)", &e) == 0, 1);
	assert_int_equal(stats_check(St, &Env, End, "test", &r, &e), 0);
	assert_false(r.equal);
	assert_non_null(strstr(r.diff, "stats_day"));
	assert_int_equal(stats_rebuild(St, &Env, End, NULL, &e), 0);
	/* a case's counted facts */
	expect_tamper_named("UPDATE stats_case SET light = 3 - light WHERE case_id = "
			    "(SELECT min(case_id) FROM stats_case WHERE outcome = 0 AND light IN (1, 2))", "light");
	/* a month rollup, and a month's histogram */
	expect_tamper_named("UPDATE stats_month SET received = received + 1 WHERE (month, district, "
			    "department, item, stage, flow_type) IN (SELECT month, district, department, item, "
			    "stage, flow_type FROM stats_month LIMIT 1)", "stats_month");
	expect_tamper_named("DELETE FROM stats_month_wd WHERE (month, district, department, item, stage, "
			    "flow_type, wd) IN (SELECT month, district, department, item, stage, flow_type, wd "
			    "FROM stats_month_wd LIMIT 1)", "stats_month_wd");
	/* the joint acceptances' month rollup (0029): a cell off by one, a cell lost */
	expect_tamper_named("UPDATE stats_month_joint SET passed = passed + 1 WHERE (month, district, "
			    "department, item, stage, flow_type) IN (SELECT month, district, department, item, "
			    "stage, flow_type FROM stats_month_joint LIMIT 1)", "stats_month_joint");
	expect_tamper_named("DELETE FROM stats_month_joint WHERE (month, district, department, item, "
			    "stage, flow_type) IN (SELECT month, district, department, item, stage, flow_type "
			    "FROM stats_month_joint LIMIT 1)", "recount");
	/* whole projects by month: a marked month's cell off by one */
	expect_tamper_named("UPDATE stats_month_project SET n = n + 1 WHERE (month, district, flow_type, "
			    "wd) IN (SELECT month, district, flow_type, wd FROM stats_month_project m WHERE "
			    "month IN (SELECT month FROM stats_month_project_done) LIMIT 1)", "stats_month_project");
	expect_check_equal(End);
}

/* A finished project changed past the lifecycle drops its month's mark in
** the same transaction: reports read that month project by project (equal
** to the recount) until the daily pass recounts it (0029). */
static void test_project_months_follow_every_writer(void **state)
{
	struct stats_pass p;
	struct err e;
	char sql[400];
	int64_t marked = count_of("SELECT count(*) FROM stats_month_project_done");
	int64_t pid = count_of("SELECT project_id FROM case_progress WHERE finished_at IS NOT NULL AND "
			       "CAST(julianday(date(finished_at + 28800, 'unixepoch', 'start of month')) - 2440587.5 "
			       "AS INTEGER) IN (SELECT month FROM stats_month_project_done) ORDER BY project_id LIMIT 1");
	assert_true(marked > 0 && pid > 0);
	snprintf(sql, sizeof sql, "UPDATE case_progress SET started_at = started_at - 30 * 86400 WHERE project_id = %lld",
		 (long long)pid);
	assert_int_equal(store_exec(St, sql, &e), 0);
	assert_int_equal(count_of("SELECT count(*) FROM stats_month_project_done"), marked - 1);
	expect_every_period_kind();
	/* (stats_check runs the pass first: it would recount the month) */
	assert_int_equal(stats_lights(St, &Env, End, "test", &p, &e), 0);
	assert_int_equal(p.months, 1);
	assert_int_equal(count_of("SELECT count(*) FROM stats_month_project_done"), marked);
	expect_check_equal(End);
	expect_every_period_kind();
	snprintf(sql, sizeof sql, "UPDATE case_progress SET started_at = started_at + 30 * 86400 WHERE project_id = %lld",
		 (long long)pid);
	assert_int_equal(store_exec(St, sql, &e), 0);
	assert_int_equal(stats_lights(St, &Env, End, "test", &p, &e), 0);
	expect_check_equal(End);
}

/* A calendar year loaded or replaced changes finished projects' working
** days: every mark goes in the writing transaction, and the daily pass
** recounts every month with the calendar it then holds (0029). */
static void test_project_months_follow_the_calendar(void **state)
{
	struct stats_pass p;
	struct err e;
	int64_t marked = count_of("SELECT count(*) FROM stats_month_project_done");
	assert_true(marked > 0);
	assert_int_equal(store_exec(St, "INSERT INTO calendar_years VALUES (2099, '', 0, '', 0, 'test')", &e), 0);
	assert_int_equal(count_of("SELECT count(*) FROM stats_month_project_done"), 0);
	assert_int_equal(stats_lights(St, &Env, End, "test", &p, &e), 0);
	assert_int_equal(count_of("SELECT count(*) FROM stats_month_project_done"), marked);
	expect_every_period_kind();
	assert_int_equal(store_exec(St, "DELETE FROM calendar_years WHERE year = 2099", &e), 0);
	assert_int_equal(count_of("SELECT count(*) FROM stats_month_project_done"), 0);
	assert_int_equal(stats_lights(St, &Env, End, "test", &p, &e), 0);
	expect_check_equal(End);
}

/* Instances written past the lifecycle (a repair, an import) move their
** month cells with them: the rollup is kept by triggers (0029). */
static void test_joint_months_follow_every_writer(void **state)
{
	struct err e;
	int64_t joint = 0;
	sqlite3_stmt *s;
	static const char *const writes[] = {
		/* moved to another district and month, reopened, closed again denied, deleted, put back */
		"UPDATE case_instances SET lead_district = lead_district || 'x', closed_at = closed_at - 40 * 86400 "
		"WHERE id = (SELECT min(id) FROM case_instances WHERE side_line = '54Y' AND closed_at IS NOT NULL)",
		"UPDATE case_instances SET closed_at = NULL WHERE id = (SELECT max(id) FROM case_instances "
		"WHERE side_line = '54Y' AND closed_at IS NOT NULL)",
		"UPDATE case_instances SET result = 13 WHERE id = (SELECT max(id) FROM case_instances "
		"WHERE side_line = '54Y' AND result = 11)",
		"CREATE TEMP TABLE kept AS SELECT * FROM case_instances WHERE id = (SELECT min(id) FROM case_instances "
		"WHERE side_line = '54Y' AND closed_at IS NOT NULL); DELETE FROM case_instances WHERE id = "
		"(SELECT id FROM kept)",
		"INSERT INTO case_instances SELECT * FROM kept; DROP TABLE kept",
	};
	assert_int_equal(store_exec(St, "SAVEPOINT writers; PRAGMA defer_foreign_keys = ON", &e), 0);
	for (size_t i = 0; i < sizeof writes / sizeof writes[0]; i++) {
		char diff[1600] = "";
		if (store_exec(St, writes[i], &e))
			fail_msg("%s: %s", writes[i], e.msg);
		assert_int_equal(store_stats_joint_check(St, diff, sizeof diff, &e), 0);
		if (diff[0])
			fail_msg("after %s: %s", writes[i], diff);
	}
	sqlite3_prepare_v2(store_db(St), "SELECT sum(joint) FROM stats_month_joint", -1, &s, NULL);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	joint = sqlite3_column_int64(s, 0);
	sqlite3_finalize(s);
	assert_true(joint > 0);
	assert_int_equal(store_exec(St, "ROLLBACK TO writers; RELEASE writers", &e), 0);
	expect_check_equal(End);
}

static void test_light_job_lease(void **state)
{
	struct stats_pass p;
	struct err e;
	char sql[300];
	/* a pass that crashed an hour ago, lease gone: marked expired, the next one runs */
	snprintf(sql, sizeof sql, "INSERT INTO ops_runs(job, trigger, state, started_at, lease_until) "
		 "VALUES ('stats.lights', 'test', 'running', %lld, %lld)", (long long)(End - 3600),
		 (long long)(End - 60));
	assert_int_equal(store_exec(St, sql, &e), 0);
	assert_int_equal(stats_lights(St, &Env, End, "test", &p, &e), 0);
	assert_int_equal(p.expired, 1);
	/* one still within its lease: this one refuses, loudly */
	snprintf(sql, sizeof sql, "INSERT INTO ops_runs(job, trigger, state, started_at, lease_until) "
		 "VALUES ('stats.lights', 'test', 'running', %lld, %lld)", (long long)End, (long long)(End + 600));
	assert_int_equal(store_exec(St, sql, &e), 0);
	assert_int_equal(stats_lights(St, &Env, End + 60, "test", &p, &e), ERR_CONFLICT);
	/* … and the stale check does not fail the reader */
	assert_int_equal(store_exec(St, "UPDATE stats_meta SET lights_day = 0", &e), 0);
	assert_int_equal(stats_lights_if_stale(St, &Env, End + 60, "test", &e), 0);
	assert_int_equal(store_exec(St, "UPDATE ops_runs SET state = 'done' WHERE state = 'running'", &e), 0);
	sqlite3_stmt *s;
	sqlite3_prepare_v2(store_db(St), "SELECT count(*) FROM ops_runs WHERE job = 'stats.lights' AND state = 'done' "
			   "AND details LIKE '{\"examined\":%'", -1, &s, NULL);
	assert_int_equal(sqlite3_step(s), SQLITE_ROW);
	assert_true(sqlite3_column_int(s, 0) > 0);
	sqlite3_finalize(s);
}

/* ---- the same proofs on demo data ----------------------------------------------------------- */

static int Have_demo;

static int setup_demo(void **state)
{
	struct err e;
	struct stats_rebuild_result rr;
	snprintf(Dir, sizeof Dir, "/tmp/test-stats-demo-XXXXXX");
	if (!mkdtemp(Dir))
		return -1;
	snprintf(Db, sizeof Db, "%s/demo.db", Dir);
	char *argv[] = {"demo", "--db", Db, "--projects", "150", "--seed", "11", "--as-of", "2025-11-20", NULL};
	fflush(stdout);
	FILE *saved = stdout, *savederr = stderr;
	stdout = fopen("/dev/null", "w");
	stderr = fopen("/dev/null", "w");
	int rc = cli_demo(9, argv);
	fclose(stdout);
	fclose(stderr);
	stdout = saved;
	stderr = savederr;
	Have_demo = rc == 0;
	if (!Have_demo)
		return 0;          /* no demo generator in this tree: the tests skip */
	if (store_open(Db, 0, &St, &e) || cal_build_store(St, &Cal, &e))
		return -1;
	Env.cal = Cal;
	Env.dl = DEADLINE_CONF_DEFAULT;
	Env.observers = db_case_observers();
	rbac_cli_principal(&Cli);
	End = clock_cn_midnight("2025-11-20") + 16 * 3600;
	/* the generator writes rows in bulk, past the observer: rebuild */
	return stats_rebuild(St, &Env, End, &rr, &e) == 0 && rr.cases > 500 ? 0 : -1;
}

static void test_demo_check(void **state)
{
	if (!Have_demo)
		skip();
	expect_check_equal(End);
}

static void test_demo_reports(void **state)
{
	if (!Have_demo)
		skip();
	for (int g = 0; g < SG_COUNT; g++) {
		expect_report("month", "2025-10", NULL, g, NULL, End);
		expect_report("year", "2024", NULL, g, NULL, End);
	}
	expect_report(NULL, NULL, NULL, SG_DEPARTMENT, NULL, End);
	expect_report("quarter", "2025-Q3", NULL, SG_ITEM, "610200-ZJJ", End);
	expect_report("range", "2024-02-29", "2025-11-19", SG_ITEM, NULL, End);
	expect_every_period_kind();
	struct recount R;
	recount(0, 1 << 30, SG_DISTRICT, End, NULL, &R);
	print_message("demo: %lld cases, concluded %lld (late %lld), running %lld (yellow %lld, red %lld), "
		      "joint %lld\n", (long long)R.total.n[SC_RECEIVED], (long long)R.total.n[SC_CONCLUDED],
		      (long long)R.total.n[SC_OVERDUE_DONE], (long long)R.total.n[SC_RUNNING],
		      (long long)R.total.n[SC_WARNING], (long long)R.total.n[SC_OVERDUE_RUNNING],
		      (long long)R.total.n[SC_JOINT]);
	assert_true(R.total.n[SC_RUNNING] > 0 && R.total.n[SC_CONCLUDED] > 0);
	recount_free(&R);
}

static void test_demo_overview_and_lights(void **state)
{
	if (!Have_demo)
		skip();
	test_overview_matches_recount(state);
	test_lights_cross_with_the_clock(state);
	/* and the lifecycle keeps them true from here on */
	int64_t *ids;
	int n;
	open_cases(&ids, &n);
	for (int i = 0; i < n; i++)
		if (rnd(100) < 50)
			random_action(ids[i], End + 3600 + rnd(3600));
	free(ids);
	expect_check_equal(End + 2 * 3600);
	expect_report("range", "2025-01-01", "2025-12-31", SG_FLOW_TYPE, NULL, End + 2 * 3600);
}

int main(void)
{
	const struct CMUnitTest simulated[] = {
		cmocka_unit_test(test_simulation_is_rich),
		cmocka_unit_test(test_check_after_changes),
		cmocka_unit_test(test_reports_match_recount),
		cmocka_unit_test(test_rollups_equal_day_rows),
		cmocka_unit_test(test_overview_matches_recount),
		cmocka_unit_test(test_lights_cross_with_the_clock),
		cmocka_unit_test(test_changes_during_light_passes),
		cmocka_unit_test(test_rebuild_gives_the_same_numbers),
		cmocka_unit_test(test_check_names_a_tampered_aggregate),
		cmocka_unit_test(test_joint_months_follow_every_writer),
		cmocka_unit_test(test_project_months_follow_every_writer),
		cmocka_unit_test(test_project_months_follow_the_calendar),
		cmocka_unit_test(test_light_job_lease),
	};
	const struct CMUnitTest demo[] = {
		cmocka_unit_test(test_demo_check),
		cmocka_unit_test(test_demo_reports),
		cmocka_unit_test(test_demo_overview_and_lights),
	};
	int failed = cmocka_run_group_tests_name("simulated", simulated, setup, teardown);
	return failed + cmocka_run_group_tests_name("demo", demo, setup_demo, teardown);
}
