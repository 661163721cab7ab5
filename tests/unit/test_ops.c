/*
** test_ops.c: the inspection side of ops/: schedule arithmetic against the
** official calendar, grading in both directions, status ordering, the
** configuration (defaults, malformed keys named), run leases (a crashed run
** expires and never blocks the next one), state changes, a real run of
** selected items with thresholds that force WARN and CRIT, the SNTP offset
** against a fake server 2 s ahead, and the 前置库 reachability check.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <math.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "calendar/cal.h"
#include "ops/ops.h"
#include "ops/probe.h"
#include "ops/sched.h"
#include "store/store_ops.h"

static char dir[64];
static char db[128];

static int setup(void **state)
{
	snprintf(dir, sizeof dir, "/tmp/h-ops-unit-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/t.db", dir);
	struct store *st;
	struct err e;
	if (store_open(db, STORE_CREATE, &st, &e))
		return -1;
	store_close(st);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

/* Epoch of "YYYY-MM-DD HH:MM" Asia/Shanghai. */
static int64_t T(const char *date, int h, int m)
{
	return clock_cn_midnight(date) + h * 3600 + m * 60;
}

static const char *fmt(int64_t t)
{
	static char buf[4][20];
	static int i;
	return clock_cn_datetime(t, buf[i++ & 3]);
}

static void test_schedule(void **state)
{
	struct cal *cal;
	struct err e;
	assert_int_equal(cal_build(NULL, 0, &cal, &e), 0);
	/* working days at 08:00: Friday before 春节 2024 goes to the make-up Sunday 02-18 */
	assert_string_equal(fmt(ops_next_at(T("2024-02-09", 9, 0), 8 * 60, 0, 1, cal)), "2024-02-18 08:00:00");
	assert_string_equal(fmt(ops_next_at(T("2024-02-09", 7, 59), 8 * 60, 0, 1, cal)), "2024-02-09 08:00:00");
	/* exactly at 08:00 the next one is the following working day */
	assert_string_equal(fmt(ops_next_at(T("2024-02-09", 8, 0), 8 * 60, 0, 1, cal)), "2024-02-18 08:00:00");
	/* without a calendar: Monday to Friday */
	assert_string_equal(fmt(ops_next_at(T("2024-02-09", 9, 0), 8 * 60, 0, 1, NULL)), "2024-02-12 08:00:00");
	/* weekly, Monday 07:30; 2026-11-25 is a Wednesday */
	assert_string_equal(fmt(ops_next_at(T("2026-11-25", 12, 0), 7 * 60 + 30, 1, 0, NULL)), "2026-11-30 07:30:00");
	assert_string_equal(fmt(ops_prev_at(T("2026-11-25", 12, 0), 7 * 60 + 30, 1, 0, NULL)), "2026-11-23 07:30:00");
	/* daily 02:00 */
	assert_string_equal(fmt(ops_next_at(T("2026-11-25", 2, 0), 120, 0, 0, NULL)), "2026-11-26 02:00:00");
	assert_string_equal(fmt(ops_prev_at(T("2026-11-25", 2, 0), 120, 0, 0, NULL)), "2026-11-25 02:00:00");
	/* last working day before the 国庆 2025 holiday */
	assert_string_equal(fmt(ops_prev_at(T("2025-10-05", 12, 0), 480, 0, 1, cal)), "2025-09-30 08:00:00");
	/* every 5 minutes at :02:30, :07:30 ... */
	int64_t t = T("2026-11-25", 10, 0);
	assert_int_equal(ops_next_every(t, 300, 150), t + 150);
	assert_int_equal(ops_next_every(t + 150, 300, 150), t + 450);
	assert_int_equal(ops_next_every(t + 151, 300, 150), t + 450);
	cal_free(cal);
}

static void test_grading(void **state)
{
	const struct ops_item_def *disk = ops_builtin_find("host.disk.data");
	const struct ops_item_def *mem = ops_builtin_find("host.memory");
	assert_non_null(disk);
	assert_non_null(mem);
	assert_int_equal(probe_grade(disk, 79.9, 80, 90), OPS_OK);
	assert_int_equal(probe_grade(disk, 80, 80, 90), OPS_WARN);
	assert_int_equal(probe_grade(disk, 95, 80, 90), OPS_CRIT);
	assert_int_equal(probe_grade(disk, 95, NAN, NAN), OPS_OK);
	assert_int_equal(probe_grade(mem, 50, 15, 5), OPS_OK);
	assert_int_equal(probe_grade(mem, 15, 15, 5), OPS_WARN);
	assert_int_equal(probe_grade(mem, 4, 15, 5), OPS_CRIT);
	/* CRIT > UNKNOWN > WARN > OK */
	assert_int_equal(ops_status_worse(OPS_OK, OPS_WARN), OPS_WARN);
	assert_int_equal(ops_status_worse(OPS_WARN, OPS_UNKNOWN), OPS_UNKNOWN);
	assert_int_equal(ops_status_worse(OPS_UNKNOWN, OPS_CRIT), OPS_CRIT);
	assert_int_equal(ops_status_worse(OPS_CRIT, OPS_UNKNOWN), OPS_CRIT);
	assert_int_equal(ops_status_worse(OPS_CRIT, OPS_OK), OPS_CRIT);
	char text[96];
	ops_threshold_text("host.memory", 15, 5, "%", text, sizeof text);
	assert_string_equal(text, "≤15% 警告，≤5% 严重");
	ops_threshold_text("db.size", NAN, NAN, "MB", text, sizeof text);
	assert_string_equal(text, "—");
}

static void test_config(void **state)
{
	struct ops_conf cf;
	struct err e = {0};
	struct conf *c = conf_new();
	assert_int_equal(ops_conf_load(NULL, "/srv/gg/gonggai.db", &cf, &e), 0);
	assert_string_equal(cf.backup_dir, "/srv/gg/backups");
	assert_int_equal(cf.app_at, 8 * 60);
	assert_int_equal(cf.net_interval, 300);
	assert_int_equal(cf.backup_keep_daily, 7);
	assert_int_equal(cf.nendpoints, 0);
	conf_set(c, "inspect", "endpoints", "province=https://example.gov.cn/api, sms=tcp://10.0.0.1:25");
	conf_set(c, "inspect", "host.disk.data.crit", "none");
	assert_int_equal(ops_conf_load(c, "x.db", &cf, &e), 0);
	assert_int_equal(cf.nendpoints, 2);
	assert_string_equal(cf.endpoints[1].name, "sms");
	assert_true(isnan(ops_threshold(&cf, ops_builtin_find("host.disk.data"), "crit")));
	int n;
	struct ops_item_def *defs = ops_item_defs(&cf, &n);
	assert_string_equal(defs[n - 1].name, "net.sms");
	assert_string_equal(defs[n - 2].name, "net.province.cert");
	free(defs);
	assert_int_equal(ops_only_check(&cf, "host,net.province,db.wal", &e), 0);
	assert_int_equal(ops_only_check(&cf, "host,nothing", &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "nothing"));
	conf_set(c, "inspect", "host.load.warn", "high");
	assert_int_equal(ops_conf_load(c, "x.db", &cf, &e), ERR_INVALID);
	assert_string_equal(e.field, "host.load.warn");
	conf_set(c, "inspect", "host.load.warn", "2");
	conf_set(c, "ops", "backup_time", "25:00");
	assert_int_equal(ops_conf_load(c, "x.db", &cf, &e), ERR_INVALID);
	assert_string_equal(e.field, "backup_time");
	conf_set(c, "ops", "backup_time", "01:15");
	conf_set(c, "inspect", "endpoints", "Bad Name=tcp://x:1");
	assert_int_equal(ops_conf_load(c, "x.db", &cf, &e), ERR_INVALID);
	assert_string_equal(e.field, "endpoints");
	conf_free(c);
}

static void test_leases(void **state)
{
	struct store *st;
	struct err e = {0};
	int64_t a, b, c, now = 1800000000;
	int expired;
	assert_int_equal(store_open(db, 0, &st, &e), 0);
	/* a run that never finished (crashed) */
	assert_int_equal(store_ops_run_claim(st, "backup", "scheduler", now, 600, 1, &a, &expired, &e), 0);
	/* within the lease the same job is refused, others go */
	assert_int_equal(store_ops_run_claim(st, "backup", "scheduler", now + 10, 600, 1, &b, &expired, &e),
			 ERR_CONFLICT);
	assert_int_equal(store_ops_run_claim(st, "inspect.net", "scheduler", now + 10, 600, 1, &b, &expired, &e), 0);
	/* past the lease the crashed run is marked expired and the next one runs */
	assert_int_equal(store_ops_run_claim(st, "backup", "scheduler", now + 601, 600, 1, &c, &expired, &e), 0);
	assert_int_equal(expired, 1);
	json_t *run;
	assert_int_equal(store_ops_run_get(st, a, &run, &e), 0);
	assert_string_equal(json_string_value(json_object_get(run, "state")), "expired");
	assert_string_equal(json_string_value(json_object_get(run, "status")), "CRIT");
	json_decref(run);
	/* inspect.net run b is still within its lease (now + 610) ... */
	assert_int_equal(store_ops_run_get(st, b, &run, &e), 0);
	assert_string_equal(json_string_value(json_object_get(run, "state")), "running");
	json_decref(run);
	/* ... until any later claim finds it past */
	int64_t d;
	assert_int_equal(store_ops_run_claim(st, "cleanup", "cli:x", now + 611, 60, 0, &d, &expired, &e), 0);
	assert_int_equal(expired, 1);   /* b; c leased until now + 1201 */
	assert_int_equal(store_ops_run_get(st, b, &run, &e), 0);
	assert_string_equal(json_string_value(json_object_get(run, "state")), "expired");
	json_decref(run);
	/* the last start ignores expired runs */
	int64_t last;
	assert_int_equal(store_ops_run_last(st, "backup", &last, &e), 0);
	assert_int_equal(last, now + 601);
	assert_int_equal(store_ops_run_finish(st, c, "done", "OK", "ok", NULL, now + 700, &e), 0);
	store_close(st);
}

static void result(struct ops_result *r, const char *item, int status, double v)
{
	memset(r, 0, sizeof *r);
	snprintf(r->item, sizeof r->item, "%s", item);
	r->status = status;
	r->has_value = 1;
	r->value = v;
	r->warn = 80;
	r->crit = NAN;
	snprintf(r->message, sizeof r->message, "m");
}

static void test_state_changes(void **state)
{
	struct store *st;
	struct err e = {0};
	struct ops_result r;
	int64_t run, total;
	int changed;
	json_t *items;
	struct page pg = {1, 50};
	assert_int_equal(store_open(db, 0, &st, &e), 0);
	assert_int_equal(store_ops_run_claim(st, "inspect.manual", "test", 100, 60, 0, &run, NULL, &e), 0);
	result(&r, "t.a", OPS_OK, 1);
	assert_int_equal(store_ops_result_add(st, run, 100, &r, &changed, &e), 0);
	assert_false(changed);   /* a first OK is not a change */
	result(&r, "t.b", OPS_CRIT, 99);
	assert_int_equal(store_ops_result_add(st, run, 100, &r, &changed, &e), 0);
	assert_true(changed);    /* a first CRIT is */
	result(&r, "t.a", OPS_OK, 2);
	assert_int_equal(store_ops_result_add(st, run, 200, &r, &changed, &e), 0);
	assert_false(changed);
	result(&r, "t.a", OPS_WARN, 85);
	assert_int_equal(store_ops_result_add(st, run, 300, &r, &changed, &e), 0);
	assert_true(changed);
	assert_int_equal(store_ops_changes_list(st, "t.a", 0, INT64_MAX, &pg, &items, &total, &e), 0);
	assert_int_equal(total, 1);
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "from_status")), "OK");
	assert_string_equal(json_string_value(json_object_get(json_array_get(items, 0), "to_status")), "WARN");
	json_decref(items);
	assert_int_equal(store_ops_states(st, &items, &e), 0);
	json_t *a = json_array_get(items, 0);
	assert_string_equal(json_string_value(json_object_get(a, "item")), "t.a");
	assert_int_equal(json_integer_value(json_object_get(a, "since")), 300);
	assert_true(json_is_null(json_object_get(a, "crit")));
	json_decref(items);
	double v;
	int64_t at;
	int found;
	assert_int_equal(store_ops_last_value(st, "t.a", 300, &v, &at, &found, &e), 0);
	assert_true(found);
	assert_true(v == 2 && at == 200);
	store_close(st);
}

/* A run with thresholds from the configuration: the disk is "full" when
** its critical threshold is below what it uses. */
static void test_inspect_run(void **state)
{
	struct store *st;
	struct err e = {0};
	struct ops_conf cf;
	struct ops_inspection in;
	struct principal cli;
	struct conf *c = conf_new();
	conf_set(c, "inspect", "host.disk.data.crit", "0.001");
	conf_set(c, "inspect", "db.size.warn", "0.001");
	assert_int_equal(ops_conf_load(c, db, &cf, &e), 0);
	assert_int_equal(store_open(db, 0, &st, &e), 0);
	rbac_cli_principal(&cli);
	struct ops_env env = {.cf = &cf, .st = st, .now = clock_now(NULL)};
	assert_int_equal(ops_inspect(&env, "inspect.manual", &cli, "db.quick_check,db.size", 0, &in, &e), 0);
	assert_int_equal(in.n, 2);
	assert_int_equal(in.status, OPS_WARN);
	assert_int_equal(in.items[1].status, OPS_WARN);
	ops_inspection_free(&in);
	assert_int_equal(ops_inspect(&env, "inspect.manual", &cli, "host.disk", 0, &in, &e), 0);
	assert_int_equal(in.n, 2);
	assert_int_equal(in.items[0].status, OPS_CRIT);
	assert_int_equal(in.status, OPS_CRIT);
	json_t *j = ops_inspection_json(&in);
	json_t *it = json_array_get(json_object_get(j, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(j, "status")), "CRIT");
	assert_string_equal(json_string_value(json_object_get(it, "item")), "host.disk.data");
	assert_int_equal(json_object_size(it), 7);
	assert_true(json_real_value(json_object_get(it, "crit")) == 0.001);
	json_decref(j);
	ops_inspection_free(&in);
	/* the whole set on a fresh database: at least 10 measurements */
	assert_int_equal(ops_inspect(&env, "inspect.manual", &cli, NULL, 0, &in, &e), 0);
	assert_true(in.n >= 10);
	ops_inspection_free(&in);
	assert_int_equal(ops_inspect(&env, "inspect.manual", &cli, "nope", 0, &in, &e), ERR_INVALID);
	store_close(st);
	conf_free(c);
}



/* The next year's holiday notice: nothing to say before mid-November, a
** warning until 15 December, critical from then on; the message says where
** to import it. (The embedded notices end with the year checked here.) */
static void test_calendar_next_year(void **state)
{
	static const struct { const char *day; int status; } cases[] = {
		{"2026-11-01", OPS_OK}, {"2026-11-14", OPS_OK}, {"2026-11-15", OPS_WARN},
		{"2026-12-07", OPS_WARN}, {"2026-12-15", OPS_CRIT}, {"2026-12-31", OPS_CRIT},
	};
	struct store *st;
	struct err e = {0};
	struct ops_conf cf;
	struct ops_inspection in;
	struct principal cli;
	assert_int_equal(ops_conf_load(NULL, db, &cf, &e), 0);
	assert_int_equal(store_open(db, 0, &st, &e), 0);
	rbac_cli_principal(&cli);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct ops_env env = {.cf = &cf, .st = st, .now = T(cases[i].day, 9, 0)};
		assert_int_equal(ops_inspect(&env, "inspect.manual", &cli, "calendar.next_year", 0, &in, &e), 0);
		assert_int_equal(in.n, 1);
		if (in.items[0].status != cases[i].status)
			fail_msg("%s: %d, want %d (%s)", cases[i].day, in.items[0].status, cases[i].status,
				 in.items[0].message);
		if (cases[i].status != OPS_OK)
			assert_non_null(strstr(in.items[0].message, "gonggai cal import"));
		ops_inspection_free(&in);
	}
	store_close(st);
}


/* Values as people read them (the CLI table, the reports; the web's
** fmtValue follows the same rule). */
static void test_value_text(void **state)
{
	char b[64];
	ops_value_text(1197.497211999958, "ms", b, sizeof b);
	assert_string_equal(b, "1197 ms");
	ops_value_text(0.4655, "小时", b, sizeof b);
	assert_string_equal(b, "0.47 小时");
	ops_value_text(19.21, "%", b, sizeof b);
	assert_string_equal(b, "19.2 %");
	ops_value_text(0.5, "", b, sizeof b);
	assert_string_equal(b, "0.5");
	ops_value_text(16000, "ms", b, sizeof b);
	assert_string_equal(b, "16000 ms");
	ops_value_text(2.0, NULL, b, sizeof b);
	assert_string_equal(b, "2");
	ops_value_text(NAN, "ms", b, sizeof b);
	assert_string_equal(b, "-");
}


/* 系统维护: pending security updates counted from the package manager's
** simulation (a fixture here), library minimums, ClamAV signature age from
** the CVD header, days since the last good restore drill. */
static void test_maintenance_items(void **state)
{
	char fixture[200], clam[200], cmd[300], path[260];
	snprintf(fixture, sizeof fixture, "%s/apt.txt", dir);
	FILE *f = fopen(fixture, "w");
	fputs("Inst libssl3 [3.0.11-1~deb12u1] (3.0.15-1~deb12u1 Debian-Security:12/stable-security [amd64])\n"
	      "Inst tzdata [2024a-0+deb12u1] (2025b-0+deb12u1 Debian:12.11/stable [all])\n"
	      "Inst libpam0g [1.5.2-6+deb12u1] (1.5.2-6+deb12u2 Debian-Security:12/stable-security [amd64])\n"
	      "Conf libssl3 (3.0.15-1~deb12u1 Debian-Security:12/stable-security [amd64])\n", f);
	fclose(f);
	snprintf(clam, sizeof clam, "%s/clamav", dir);
	mkdir(clam, 0700);
	snprintf(path, sizeof path, "%s/daily.cvd", clam);
	f = fopen(path, "w");
	fputs("ClamAV-VDB:01 Dec 2026 08-30 +0800:27470:2071546:90:X:X:raynman:1764549000", f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "cat '%s'", fixture);
	struct conf *c = conf_new();
	conf_set(c, "inspect", "updates_command", cmd);
	conf_set(c, "inspect", "clamav_dir", clam);
	conf_set(c, "inspect", "min_versions", "sqlite=3.7.0,libcurl=99.1");
	struct store *st;
	struct err e = {0};
	struct ops_conf cf;
	struct ops_inspection in;
	struct principal cli;
	assert_int_equal(ops_conf_load(c, db, &cf, &e), 0);
	assert_int_equal(store_open(db, 0, &st, &e), 0);
	rbac_cli_principal(&cli);
	struct ops_env env = {.cf = &cf, .st = st, .now = T("2026-12-07", 8, 30)};
	assert_int_equal(ops_inspect(&env, "inspect.manual", &cli, "os.updates,av,lib,db.drill_age", 0, &in, &e), 0);
	assert_int_equal(in.n, 4);
	assert_string_equal(in.items[0].item, "os.updates");
	assert_int_equal(in.items[0].status, OPS_WARN);
	assert_true(in.items[0].value == 2);
	assert_non_null(strstr(in.items[0].message, "libssl3、libpam0g"));
	assert_non_null(strstr(in.items[0].message, "共 3 个可升级"));
	assert_string_equal(in.items[1].item, "av.signatures");
	assert_true(fabs(in.items[1].value - 6.0) < 0.01);   /* 2026-12-01 08:30 +0800 to 12-07 08:30 */
	assert_int_equal(in.items[1].status, OPS_WARN);
	assert_string_equal(in.items[2].item, "lib.versions");
	assert_int_equal(in.items[2].status, OPS_CRIT);
	assert_non_null(strstr(in.items[2].message, "libcurl"));
	assert_null(strstr(in.items[2].message, "低于要求的 3.7.0"));   /* sqlite meets its minimum */
	assert_string_equal(in.items[3].item, "db.drill_age");
	ops_inspection_free(&in);
	/* a drill that passed a week and a half ago */
	int64_t run;
	assert_int_equal(store_ops_run_claim(st, "drill", "cli:test", env.now - 10 * 86400, 60, 1, &run, NULL, &e), 0);
	assert_int_equal(store_ops_run_finish(st, run, "done", "OK", "ok", NULL, env.now - 10 * 86400 + 60, &e), 0);
	conf_set(c, "inspect", "updates_command", "exit 3");
	assert_int_equal(ops_conf_load(c, db, &cf, &e), 0);
	assert_int_equal(ops_inspect(&env, "inspect.manual", &cli, "os.updates,db.drill_age", 0, &in, &e), 0);
	assert_int_equal(in.items[0].status, OPS_UNKNOWN);
	assert_true(fabs(in.items[1].value - (10 - 60.0 / 86400)) < 0.01);
	assert_int_equal(in.items[1].status, OPS_WARN);
	ops_inspection_free(&in);
	snprintf(path, sizeof path, "%s/none", dir);
	conf_set(c, "inspect", "clamav_dir", path);
	assert_int_equal(ops_conf_load(c, db, &cf, &e), 0);
	assert_int_equal(ops_inspect(&env, "inspect.manual", &cli, "av", 0, &in, &e), 0);
	assert_int_equal(in.items[0].status, OPS_UNKNOWN);
	ops_inspection_free(&in);
	store_close(st);
	conf_free(c);
	assert_true(ops_version_cmp("3.40.1", "3.40") > 0);
	assert_true(ops_version_cmp("0.9.75", "0.9.75") == 0);
	assert_true(ops_version_cmp("1.0.18", "1.0.9") > 0);
	assert_true(ops_version_cmp("7.88.1", "10.0") < 0);
}

/* ---- extensions registered from above ------------------------------------------------ */

struct ext_seen {
	int inspections, failures, successes, last_status;
	char failed_job[64], succeeded_job[64];
	int64_t succeeded_run;
};

static void ext_probe_fixed(const struct ops_ext_item *it, struct ops_env *env, struct ops_result *r)
{
	ops_ext_grade(it, r, *(double *)it->ctx, "积压 %.0f 行", *(double *)it->ctx);
}

static void ext_on_inspection(void *ctx, struct ops_env *env, const struct ops_inspection *in)
{
	struct ext_seen *seen = ctx;
	seen->inspections++;
	seen->last_status = in->status;
}

static void ext_on_failed(void *ctx, struct ops_env *env, const char *job, int64_t run_id, const struct err *e)
{
	struct ext_seen *seen = ctx;
	seen->failures++;
	snprintf(seen->failed_job, sizeof seen->failed_job, "%s", job);
}

static void ext_on_succeeded(void *ctx, struct ops_env *env, const char *job, int64_t run_id)
{
	struct ext_seen *seen = ctx;
	seen->successes++;
	seen->succeeded_run = run_id;
	snprintf(seen->succeeded_job, sizeof seen->succeeded_job, "%s", job);
}

static int ext_job_fail(void *ctx, struct ops_env *env, const struct principal *who, int64_t run_id,
			json_t **report, struct err *e)
{
	*report = json_pack("{s:i}", "rows", 7);
	return err_set(e, ERR_INTERNAL, "target", "前置库连接失败");
}

static int ext_job_ok(void *ctx, struct ops_env *env, const struct principal *who, int64_t run_id,
		      json_t **report, struct err *e)
{
	*report = json_pack("{s:s}", "message", "上报 3 行");
	return 0;
}

/* An item, two jobs and an observer of a module above ops: the item is
** selectable by name and group and graded with its own thresholds (the ini
** wins over the default), the observer sees every recorded run, a failing
** job is recorded failed with its message and reported to the observer, a
** succeeding one (and each inspection run) reported as a success. */
static void test_ext(void **state)
{
	struct store *st;
	struct err e = {0};
	struct ops_conf cf;
	struct ops_inspection in;
	struct principal cli;
	struct ext_seen seen = {0};
	double backlog = 120;
	struct ops_ext x = {0};
	ops_ext_add_item(&x, &(struct ops_ext_item){"demo.backlog", "demo", "上报积压", "行", 0, 100, NAN,
						     ext_probe_fixed, &backlog});
	ops_ext_add_observer(&x, &(struct ops_ext_observer){.on_inspection = ext_on_inspection,
							    .on_job_failed = ext_on_failed,
							    .on_job_succeeded = ext_on_succeeded, .ctx = &seen});
	ops_ext_add_job(&x, &(struct ops_ext_job){"exchange.push", 300, 0, 60, ext_job_fail, NULL});
	ops_ext_add_job(&x, &(struct ops_ext_job){"quality.run", 0, 150, 0, ext_job_ok, NULL});
	struct conf *c = conf_new();
	assert_int_equal(ops_conf_load(c, db, &cf, &e), 0);
	cf.ext = &x;
	assert_int_equal(store_open(db, 0, &st, &e), 0);
	rbac_cli_principal(&cli);
	struct ops_env env = {.cf = &cf, .st = st, .now = clock_now(NULL)};
	assert_int_equal(ops_inspect(&env, "inspect.manual", &cli, "demo", 0, &in, &e), 0);
	assert_int_equal(in.n, 1);
	assert_string_equal(in.items[0].item, "demo.backlog");
	assert_int_equal(in.items[0].status, OPS_WARN);
	assert_true(strstr(in.items[0].message, "积压 120 行") != NULL);
	ops_inspection_free(&in);
	assert_int_equal(seen.inspections, 1);
	assert_int_equal(seen.last_status, OPS_WARN);
	conf_set(c, "inspect", "demo.backlog.crit", "110");
	assert_int_equal(ops_inspect(&env, "inspect.manual", &cli, "demo.backlog", 0, &in, &e), 0);
	assert_int_equal(in.items[0].status, OPS_CRIT);
	ops_inspection_free(&in);
	assert_int_equal(seen.inspections, 2);
	assert_int_equal(seen.successes, 2);   /* each recorded inspection run is a success of its job */
	assert_string_equal(seen.succeeded_job, "inspect.manual");

	int64_t run = 0;
	assert_ptr_equal(ops_ext_job_find(&cf, "quality.run"), &x.jobs[1]);
	assert_null(ops_ext_job_find(&cf, "nope"));
	assert_int_equal(ops_ext_run(&env, &x.jobs[0], NULL, 0, &run, &e), ERR_INTERNAL);
	assert_string_equal(e.field, "target");
	assert_int_equal(seen.failures, 1);
	assert_string_equal(seen.failed_job, "exchange.push");
	json_t *r;
	assert_int_equal(store_ops_run_get(st, run, &r, &e), 0);
	assert_string_equal(json_string_value(json_object_get(r, "state")), "failed");
	assert_true(strstr(json_string_value(json_object_get(r, "message")), "前置库连接失败") != NULL);
	json_decref(r);
	assert_int_equal(ops_ext_run(&env, &x.jobs[1], &cli, 0, &run, &e), 0);
	assert_int_equal(store_ops_run_get(st, run, &r, &e), 0);
	assert_string_equal(json_string_value(json_object_get(r, "state")), "done");
	assert_string_equal(json_string_value(json_object_get(r, "message")), "上报 3 行");
	json_decref(r);
	assert_int_equal(seen.failures, 1);
	assert_string_equal(seen.succeeded_job, "quality.run");
	assert_int_equal(seen.succeeded_run, run);
	store_close(st);
	conf_free(c);
}

/* A one-shot SNTP server whose clock runs 2 s ahead of ours. */
static void *fake_ntp(void *arg)
{
	int fd = *(int *)arg;
	unsigned char pkt[48];
	struct sockaddr_in from;
	socklen_t len = sizeof from;
	if (recvfrom(fd, pkt, sizeof pkt, 0, (struct sockaddr *)&from, &len) != 48)
		return NULL;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	double t = ts.tv_sec + ts.tv_nsec / 1e9 + 2.0 + 2208988800.0;
	uint32_t sec = (uint32_t)t, frac = (uint32_t)((t - sec) * 4294967296.0);
	memset(pkt, 0, sizeof pkt);
	pkt[0] = 0x24;   /* version 4, mode 4 (server) */
	pkt[1] = 1;      /* stratum */
	for (int off = 32; off <= 40; off += 8)
		for (int i = 0; i < 4; i++) {
			pkt[off + i] = (unsigned char)(sec >> (24 - 8 * i));
			pkt[off + 4 + i] = (unsigned char)(frac >> (24 - 8 * i));
		}
	sendto(fd, pkt, sizeof pkt, 0, (struct sockaddr *)&from, len);
	return NULL;
}

static void test_clock(void **state)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	assert_int_equal(getsockname(fd, (struct sockaddr *)&a, &len), 0);
	pthread_t t;
	pthread_create(&t, NULL, fake_ntp, &fd);
	char server[64], msg[200];
	double off;
	int timed_out;
	snprintf(server, sizeof server, "127.0.0.1:%d", ntohs(a.sin_port));
	assert_int_equal(ops_ntp_offset(server, 2000, &off, &timed_out, msg, sizeof msg), 0);
	pthread_join(t, NULL);
	close(fd);
	assert_true(off < -1950 && off > -2050);   /* we are 2 s behind */
	/* nobody answers: a timeout (CRIT in the probe) */
	assert_int_equal(ops_ntp_offset(server, 200, &off, &timed_out, msg, sizeof msg), -1);
	assert_true(timed_out);
	/* the clock item through an inspection (the 前置库 is the exchange module's now) */
	struct store *st;
	struct err e = {0};
	struct ops_conf cf;
	struct ops_inspection in;
	struct conf *c = conf_new();
	conf_set(c, "inspect", "ntp_server", server);
	conf_set(c, "inspect", "probe_timeout_ms", "300");
	assert_int_equal(ops_conf_load(c, db, &cf, &e), 0);
	assert_int_equal(store_open(db, 0, &st, &e), 0);
	struct ops_env env = {.cf = &cf, .st = st, .now = clock_now(NULL)};
	assert_int_equal(ops_inspect(&env, "inspect.manual", NULL, "clock", 0, &in, &e), 0);
	assert_int_equal(in.items[0].status, OPS_CRIT);   /* clock.offset: no answer is a timeout */
	ops_inspection_free(&in);
	store_close(st);
	conf_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_schedule),
		cmocka_unit_test(test_grading),
		cmocka_unit_test(test_config),
		cmocka_unit_test(test_leases),
		cmocka_unit_test(test_state_changes),
		cmocka_unit_test(test_inspect_run),
		cmocka_unit_test(test_clock),
		cmocka_unit_test(test_ext),
		cmocka_unit_test(test_maintenance_items),
		cmocka_unit_test(test_value_text),
		cmocka_unit_test(test_calendar_next_year),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
