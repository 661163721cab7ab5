/*
** bench_stats.c: statistics at scale (issue 7), all figures from one run.
**
** Data: a demo database (`gonggai demo`, in-process) of GG_BENCH_STATS_PROJECTS
** projects (default 20000, about a minute to build; 700000 gave 5.99 M 办件,
** so 10 M is about 1170000), seed 7, as of 2025-11-20, with its aggregates
** rebuilt. It is kept in build/bench-data/ (or GG_BENCH_STATS_DB) and reused
** by later runs.
**
** Measured, each against its baseline in the same run:
**   1. the dashboard overview from the maintained aggregates vs the naive
**      GROUP BY over every 办件 row (targets: <= 10 ms, >= 500x faster);
**   2. the monthly report by district and by department (both sections,
**      histogram, joint acceptances, whole projects, 环比 and 同比 totals)
**      (target <= 1 s);
**   3. one monthly count by district x department four ways: the per-day
**      rollup, a covering index over the case rows, the plain index the
**      lifecycle has (received_at), and a full scan — the design note's
**      measurement behind choosing rollups (GG_BENCH_STATS_COVERING=0 skips
**      building the covering index);
**   4. the rebuild of every aggregate and `check` (timed once, when built).
** Prints absolutes and ratios; exits 1 when a target is missed or the
** dashboard and the scan disagree on the status counts.
*/
#include "approval/case.h"
#include "base/clock.h"
#include "db/db.h"
#include "workday/workday.h"
#include "cli/cli.h"
#include "stats/stats_live.h"
#include "stats/stats_query.h"
#include "store/store_stats.h"
#include "store/store_int.h"   /* white-box: reads and writes rows directly */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define AS_OF "2025-11-20"
#define MONTH "2025-10"

static struct store *St;
static struct case_env Env;
static int64_t Now;

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Run fn n times (after warm runs); the median and the 99th percentile
** (the worst of fewer than 100 runs), in ms. */
static double timed(int (*fn)(void), int warm, int n, double *worst)
{
	double t[1000];
	for (int i = 0; i < warm; i++)
		if (fn())
			return -1;
	for (int i = 0; i < n && i < 1000; i++) {
		double t0 = clock_mono_ms();
		if (fn())
			return -1;
		t[i] = clock_mono_ms() - t0;
	}
	qsort(t, (size_t)n, sizeof t[0], cmp_d);
	if (worst)
		*worst = t[n >= 100 ? n * 99 / 100 : n - 1];
	return t[n / 2];
}

/* ---- the database ------------------------------------------------------------------------ */

static int quiet_verb(int (*verb)(int, char **), int argc, char **argv)
{
	fflush(stdout);
	FILE *saved = stdout;
	stdout = fopen("/dev/null", "w");
	int rc = verb(argc, argv);
	fclose(stdout);
	stdout = saved;
	return rc;
}

static int build_db(const char *path, const char *projects)
{
	char tmp[600], seed[] = "7";
	snprintf(tmp, sizeof tmp, "%s.part", path);
	unlink(tmp);
	printf("building %s: gonggai demo --projects %s --seed %s --as-of %s\n", path, projects, seed, AS_OF);
	fflush(stdout);
	double t0 = clock_mono_ms();
	char *demo[] = {"demo", "--db", tmp, "--projects", (char *)projects, "--seed", seed, "--as-of", AS_OF, NULL};
	if (quiet_verb(cli_demo, 9, demo)) {
		fprintf(stderr, "bench_stats: the demo database could not be built\n");
		return -1;
	}
	printf("  demo built in %.1f s\n", (clock_mono_ms() - t0) / 1000);
	return rename(tmp, path);
}

static int open_db(const char *path, struct cal **cal)
{
	struct err e;
	if (store_open(path, 0, &St, &e) || cal_build_store(St, cal, &e)) {
		fprintf(stderr, "bench_stats: %s: %s\n", path, e.msg);
		return -1;
	}
	Env.cal = *cal;
	Env.dl = DEADLINE_CONF_DEFAULT;
	Env.observers = db_case_observers();
	return 0;
}

/* Rebuild (when never done, or GG_BENCH_STATS_REBUILD=1) and check, timed. */
static int prepare(void)
{
	struct stats_meta m;
	struct stats_check_result c;
	struct stats_rebuild_result r;
	struct err e;
	int64_t ncases, nsnaps;
	const char *force = getenv("GG_BENCH_STATS_REBUILD");
	if (store_stats_meta_get(St, &m, &e) || store_stats_counts(St, &ncases, &nsnaps, &e))
		return -1;
	printf("database: %lld 办件\n", (long long)ncases);
	/* lights moved to another day (the file was used at another "now"): rebuild */
	if (!m.rebuilt_at || nsnaps != ncases || m.lights_day != deadline_day(Now) || (force && strcmp(force, "0"))) {
		if (stats_rebuild(St, &Env, Now, &r, &e)) {
			fprintf(stderr, "bench_stats: rebuild: %s\n", e.msg);
			return -1;
		}
		printf("stats rebuild: %lld 办件 in %.1f s (%.0f 办件/s)\n", (long long)r.cases, r.ms / 1000,
		       r.cases / (r.ms / 1000));
	}
	double t0 = clock_mono_ms();
	if (stats_check(St, &Env, Now, "bench", &c, &e) || !c.equal) {
		fprintf(stderr, "bench_stats: check: %s\n", c.diff[0] ? c.diff : e.msg);
		return -1;
	}
	double ms = clock_mono_ms() - t0;
	printf("stats check: equal, %lld 办件 recounted in %.1f s (%.0f 办件/s)\n", (long long)c.cases, ms / 1000,
	       c.cases / (ms / 1000));
	return 0;
}

/* ---- 1. the dashboard --------------------------------------------------------------------- */

static json_t *Last;

static int overview_kept(void)
{
	struct stats_scope sc = {NULL, NULL};
	struct err e;
	json_decref(Last);
	return stats_overview(St, &sc, Now, &Last, &e);
}

static int overview_scan(void)
{
	struct stats_scope sc = {NULL, NULL};
	struct err e;
	json_decref(Last);
	return stats_overview_scan(St, &sc, Now, &Last, &e);
}

static int bench_overview(int *fail)
{
	double worst, scan_worst;
	double kept = timed(overview_kept, 5, 201, &worst);
	json_t *a = json_incref(json_object_get(Last, "status"));
	double scan = timed(overview_scan, 1, 3, &scan_worst);
	json_t *b = json_object_get(Last, "status");
	if (kept < 0 || scan < 0)
		return -1;
	printf("dashboard overview (maintained): median %.3f ms, p99 %.3f ms (target <= 10 ms)\n", kept, worst);
	printf("dashboard overview (naive GROUP BY scan): median %.1f ms\n", scan);
	printf("ratio overview scan/maintained: %.0fx (target >= 500x)\n", scan / kept);
	if (!json_equal(a, b)) {
		printf("!! the dashboard and the scan disagree on the status counts\n");
		*fail = 1;
	}
	json_decref(a);
	if (kept > 10 || scan / kept < 500)
		*fail = 1;
	return 0;
}

/* ---- 2. the monthly report ------------------------------------------------------------------ */

static int monthly_report(void)
{
	struct stats_request q = {.now = Now, .groups = {SG_DISTRICT, SG_DEPARTMENT}, .ngroups = 2};
	struct stats_report r;
	struct err e;
	if (stats_period_parse("month", MONTH, NULL, deadline_day(Now), &q.period, &e) ||
	    stats_report_build(St, &Env, &q, &r, &e))
		return -1;
	stats_report_free(&r);
	return 0;
}

static int monthly_xlsx(void)
{
	struct stats_request q = {.now = Now, .groups = {SG_DISTRICT, SG_DEPARTMENT, SG_ITEM, SG_STAGE, SG_FLOW_TYPE},
				  .ngroups = 5};
	struct stats_report r;
	struct err e;
	char *data;
	size_t len;
	if (stats_period_parse("month", MONTH, NULL, deadline_day(Now), &q.period, &e) ||
	    stats_report_build(St, &Env, &q, &r, &e))
		return -1;
	int rc = stats_report_xlsx_mem(&r, &data, &len, &e);
	if (!rc)
		free(data);
	stats_report_free(&r);
	return rc;
}

static int bench_report(int *fail)
{
	double worst;
	double t = timed(monthly_report, 1, 9, &worst);
	double x = timed(monthly_xlsx, 1, 5, NULL);
	if (t < 0 || x < 0)
		return -1;
	printf("monthly report %s by district and department: median %.1f ms, worst %.1f ms (target <= 1000 ms)\n",
	       MONTH, t, worst);
	printf("monthly report as XLSX, all five groupings: median %.1f ms\n", x);
	if (t > 1000)     /* the median: single slow runs are the shared machine's, not the query's */
		*fail = 1;
	return 0;
}

/* ---- 3. one count four ways ------------------------------------------------------------------
** The statement texts live here, not in the store: they are the design
** measurement itself, not a query the program runs. */

static const char *Sql;
static int64_t From, To;      /* the month as days and as epoch seconds */
static int64_t Sum;

static int run_sql(void)
{
	sqlite3_stmt *s;
	Sum = 0;
	if (sqlite3_prepare_v2(store_db(St), Sql, -1, &s, NULL) != SQLITE_OK)
		return -1;
	int days = strstr(Sql, "stats_day") != NULL;
	sqlite3_bind_int64(s, 1, days ? From : From * 86400 - 8 * 3600);
	sqlite3_bind_int64(s, 2, days ? To : (To + 1) * 86400 - 8 * 3600);
	while (sqlite3_step(s) == SQLITE_ROW)
		Sum += sqlite3_column_int64(s, 2);
	return sqlite3_finalize(s) == SQLITE_OK ? 0 : -1;
}

static double way(const char *name, const char *sql, int n, int64_t *sum)
{
	Sql = sql;
	double t = timed(run_sql, 1, n, NULL);
	*sum = Sum;
	printf("  %-34s %10.2f ms  (%lld received)\n", name, t, (long long)Sum);
	return t;
}

static int bench_ways(int *fail)
{
	struct stats_period p;
	struct err e;
	int64_t s1, s2, s3, s4 = -1;
	char *msg = NULL;
	stats_period_parse("month", MONTH, NULL, deadline_day(Now), &p, &e);
	From = p.from;
	To = p.to;
	printf("received in %s by district x department, four ways:\n", MONTH);
	double roll = way("per-day rollup (stats_day)", "SELECT district, department, sum(received) FROM stats_day "
			  "WHERE day BETWEEN ?1 AND ?2 GROUP BY 1, 2", 9, &s1);
	double plain = way("plain index cases(received_at)", "SELECT district_code, department_code, count(*) "
			   "FROM cases INDEXED BY cases_received WHERE received_at >= ?1 AND received_at < ?2 "
			   "GROUP BY 1, 2", 3, &s2);
	double scan = way("full scan of cases", "SELECT district_code, department_code, count(*) FROM cases "
			  "NOT INDEXED WHERE received_at >= ?1 AND received_at < ?2 GROUP BY 1, 2", 3, &s3);
	const char *cov = getenv("GG_BENCH_STATS_COVERING");
	double covering = 0;
	if (!cov || strcmp(cov, "0")) {
		double t0 = clock_mono_ms();
		if (sqlite3_exec(store_db(St), "CREATE INDEX IF NOT EXISTS bench_cover ON cases(received_at, "
				 "district_code, department_code)", NULL, NULL, &msg) != SQLITE_OK) {
			fprintf(stderr, "bench_stats: %s\n", msg);
			sqlite3_free(msg);
			return -1;
		}
		printf("  (covering index built in %.1f s)\n", (clock_mono_ms() - t0) / 1000);
		covering = way("covering index (received_at, keys)", "SELECT district_code, department_code, count(*) "
			       "FROM cases INDEXED BY bench_cover WHERE received_at >= ?1 AND received_at < ?2 "
			       "GROUP BY 1, 2", 5, &s4);
		sqlite3_exec(store_db(St), "DROP INDEX bench_cover", NULL, NULL, NULL);
	}
	printf("ratio plain-index/rollup: %.0fx, scan/rollup: %.0fx", plain / roll, scan / roll);
	if (covering > 0)
		printf(", covering/rollup: %.0fx, plain/covering: %.1fx", covering / roll, plain / covering);
	printf("\n");
	if (s1 != s2 || s2 != s3 || (s4 >= 0 && s4 != s1)) {
		printf("!! the four ways disagree\n");
		*fail = 1;
	}
	return 0;
}

int main(void)
{
	const char *projects = getenv("GG_BENCH_STATS_PROJECTS");
	const char *path = getenv("GG_BENCH_STATS_DB");
	char buf[512];
	struct cal *cal = NULL;
	struct stat sb;
	int fail = 0;
	if (!projects || !*projects)
		projects = "20000";
	if (!path || !*path) {
		mkdir("build", 0755);
		mkdir("build/bench-data", 0755);
		snprintf(buf, sizeof buf, "build/bench-data/stats-%s.db", projects);
		path = buf;
	}
	Now = clock_cn_midnight(AS_OF) + 16 * 3600;
	if (stat(path, &sb) != 0 && build_db(path, projects))
		return 1;
	if (open_db(path, &cal) || prepare() || bench_overview(&fail) || bench_report(&fail) || bench_ways(&fail)) {
		fprintf(stderr, "bench_stats: failed\n");
		fail = 1;
	}
	json_decref(Last);
	cal_free(cal);
	store_close(St);
	return fail;
}
