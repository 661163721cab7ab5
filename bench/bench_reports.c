/*
** bench_reports.c: the audit log and the period reports at province scale
** (issue 21), every figure against the full-scan query in the same run.
**
** Data, built once and reused (GG_BENCH_CACHE, default var/bench/):
**   - demo-1m.db: `gonggai demo --projects 90000 --seed 3` (about 1 M
**     办件; GG_BENCH_REPORTS_PROJECTS to change), in process;
**   - its audit log grown to GG_BENCH_AUDIT_ROWS records (default 5.3 M,
**     one per status record of the demo) through audit_write_many, so the
**     chain stays intact (`gonggai audit verify`): the demo's accounts at
**     work over four years — 办件 actions by the department staff, logins
**     (3 % failed), logouts, projects, the ops jobs, the auditor's reads.
** Then `gonggai serve` (GG_BENCH_BIN, default ./gonggai) on it, the auditor
** and the leader logged in, and each request of the table below timed
** through HTTP (median and p99 of 15 runs after one warm-up) against the
** 200 ms target (XLSX 1 s) and against the same query as it was before
** 0021, run in this process on the same file: the audit list with
** `?n IS NULL OR …` filters ordered by id and counted exactly
** (store_audit_list_scan), the reports summing day rows only
** (stats_request.days_only). The new answers must equal the old ones: the
** report's sections and comparisons, the audit page's ids.
** GG_BENCH_REPORTS_PART=audit|stats runs one half (the old audit queries
** take minutes). GG_BENCH_REPORTS_DB=PATH uses that database as it is
** (e.g. bench_endpoints.sh's 10 M demo, with GG_BENCH_AUDIT_ROWS=0 and
** GG_BENCH_REPORTS_PART=stats) instead of building or reusing demo-1m.db. Exits 1 when a target is missed or an answer differs.
*/
#include "approval/case.h"
#include "base/clock.h"
#include "workday/workday.h"
#include "cli/cli.h"
#include "db/db.h"
#include "org/audit.h"
#include "stats/stats_query.h"
#include "store/store_org.h"
#include "store/store_stats.h"
#include "harness.h"

#include <curl/curl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define PASSWORD "Demo-Passw0rd!"
#define RUNS 15

static const char *env_or(const char *k, const char *def)
{
	const char *v = getenv(k);
	return v && *v ? v : def;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* ---- the audit log: four years of a city's staff at work ---------------------------------- */

static uint64_t Rng = 0x9e3779b97f4a7c15ull;

static uint64_t rnd(void)
{
	Rng ^= Rng << 13;
	Rng ^= Rng >> 7;
	Rng ^= Rng << 17;
	return Rng;
}

static int pick(int n)
{
	return (int)(rnd() % (uint64_t)n);
}

/* Actions with their weights (per 10 000 records). */
static const struct {
	const char *action;
	int weight;
	char object;          /* c case, p project, u user, s session, o ops, a audit */
} Mix[] = {
	{"case.receive", 1500, 'c'}, {"case.accept", 1450, 'c'}, {"case.start_review", 1400, 'c'},
	{"case.next_step", 1500, 'c'}, {"case.approve", 1150, 'c'}, {"case.materials", 350, 'c'},
	{"case.file_upload", 300, 'c'}, {"case.supplement", 200, 'c'}, {"case.supplement_done", 190, 'c'},
	{"case.return", 60, 'c'}, {"case.refuse", 40, 'c'}, {"case.deny", 25, 'c'}, {"case.transfer", 30, 'c'},
	{"case.withdraw", 15, 'c'}, {"case.special_start", 20, 'c'}, {"case.special_end", 20, 'c'},
	{"case.stage_complete", 100, 'c'}, {"session.login", 700, 's'}, {"session.logout", 420, 's'},
	{"project.create", 120, 'p'}, {"project.update", 60, 'p'}, {"audit.read", 30, 'a'},
	{"user.password.change", 8, 'u'}, {"user.update", 3, 'u'}, {"user.create", 1, 'u'},
	{"ops.inspect", 4, 'o'}, {"ops.backup", 3, 'o'}, {"stats.lights", 1, 'o'},
};

struct gen {
	char (*users)[48];
	int nusers;
	int64_t at;
	char obj[64], det[128], src[24];
};

static const char *gen_user(struct gen *g, char kind)
{
	if (kind == 'a')
		return "demo_auditor";
	if (kind == 'o')
		return "system";
	int i = pick(g->nusers);
	if (pick(4) == 0)             /* a few busy windows do a quarter of the work */
		i = i % 8;
	return g->users[i];
}

static void gen_one(struct gen *g, struct audit_entry *x)
{
	int w = pick(10000), i = 0, acc = Mix[0].weight;
	while (acc <= w && i + 1 < (int)(sizeof Mix / sizeof Mix[0]))
		acc += Mix[++i].weight;
	g->at += 3 + pick(40);    /* about 5.3 M records in four years */
	memset(x, 0, sizeof *x);
	x->at = g->at;
	x->action = Mix[i].action;
	x->username = gen_user(g, Mix[i].object);
	x->user_id = 100 + (int64_t)(x->username[0] * 7 + strlen(x->username));
	snprintf(g->src, sizeof g->src, "10.%d.%d.%d", 20 + pick(8), pick(256), 1 + pick(254));
	x->source = g->src;
	x->outcome = "success";
	g->det[0] = 0;
	switch (Mix[i].object) {
	case 'c':
		snprintf(g->obj, sizeof g->obj, "case:%d", 1 + pick(990000));
		snprintf(g->det, sizeof g->det, "{\"from\":%d,\"to\":%d}", 1 + pick(8), 2 + pick(10));
		break;
	case 'p':
		snprintf(g->obj, sizeof g->obj, "project:2026-6102%02d-%02d-01-%06d", 1 + pick(30), 10 + pick(80),
			 1 + pick(90000));
		break;
	case 's':
		snprintf(g->obj, sizeof g->obj, "user:%s", x->username);
		if (strcmp(x->action, "session.login") == 0 && pick(100) < 3) {
			x->outcome = "failure";
			snprintf(g->det, sizeof g->det, "{\"reason\":\"bad password\"}");
		}
		break;
	case 'u':
		snprintf(g->obj, sizeof g->obj, "user:%d", 1 + pick(90));
		break;
	case 'a':
		snprintf(g->obj, sizeof g->obj, "audit_log");
		snprintf(g->det, sizeof g->det, "{\"page\":%d}", 1 + pick(5));
		break;
	default:
		snprintf(g->obj, sizeof g->obj, "%s", "job");
	}
	x->object = g->obj;
	x->details = g->det[0] ? g->det : NULL;
}

/* The demo's accounts that act on 办件 and log in. */
static int demo_users(struct gen *g)
{
	static const char *const depts[] = {"cgj", "daj", "fgw", "jtj", "rfb", "slj", "wlj", "xfj", "zjj",
					    "zrzy", "sthj", "yjj", "xzsp", "610203_xsp", "610204_xsp",
					    "610222_xsp", "610202_zrzy", "610222_zrzy"};
	static const char *const roles[] = {"clerk", "reviewer", "head"};
	size_t n = sizeof depts / sizeof depts[0];
	g->users = calloc(n * 3 + 2, sizeof *g->users);
	if (!g->users)
		return -1;
	for (size_t d = 0; d < n; d++)
		for (int r = 0; r < 3; r++)
			snprintf(g->users[g->nusers++], sizeof g->users[0], "demo_%s_%s", depts[d], roles[r]);
	snprintf(g->users[g->nusers++], sizeof g->users[0], "demo_leader");
	snprintf(g->users[g->nusers++], sizeof g->users[0], "demo_catalog");
	return 0;
}

static int grow_audit(struct store *st, int64_t want)
{
	int64_t have;
	char hash[65];
	struct err e;
	struct gen g = {0};
	enum { BATCH = 20000 };
	struct audit_entry *v = calloc(BATCH, sizeof *v);
	char (*objs)[64] = calloc(BATCH, 64), (*dets)[128] = calloc(BATCH, 128), (*srcs)[24] = calloc(BATCH, 24);
	int rc = !v || !objs || !dets || !srcs || demo_users(&g) || store_audit_head(st, &have, hash, &e);
	if (!rc && have < want) {
		printf("growing the audit log from %lld to %lld records\n", (long long)have, (long long)want);
		fflush(stdout);
	}
	g.at = clock_now(NULL) - 4 * 365 * 86400LL;
	Rng ^= (uint64_t)have;
	double t0 = clock_mono_ms();
	store_stats_bulk(st, 1, &e);
	while (!rc && have < want) {
		int n = want - have < BATCH ? (int)(want - have) : BATCH;
		for (int i = 0; i < n; i++) {
			gen_one(&g, &v[i]);
			v[i].object = memcpy(objs[i], g.obj, 64);
			v[i].source = memcpy(srcs[i], g.src, 24);
			if (v[i].details)
				v[i].details = memcpy(dets[i], g.det, 128);
		}
		if ((rc = audit_write_many(st, v, (size_t)n, &e)))
			fprintf(stderr, "bench_reports: audit: %s\n", e.msg);
		have += n;
	}
	store_stats_bulk(st, 0, &e);
	if (!rc && have >= want && clock_mono_ms() - t0 > 1000 && (rc = store_audit_analyze(st, &e)))
		fprintf(stderr, "bench_reports: analyze: %s\n", e.msg);
	if (!rc && clock_mono_ms() - t0 > 1000)
		printf("  audit log grown in %.0f s\n", (clock_mono_ms() - t0) / 1000);
	free(v);
	free(objs);
	free(dets);
	free(srcs);
	free(g.users);
	return rc;
}

/* ---- the database ---------------------------------------------------------------------------- */

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

/* The demo at path, unless its marker says an earlier run finished it (the
** database records where its key file is, so it is built in place). */
static int build_db(const char *path)
{
	char ready[620], key[620], projects[32];
	struct stat sb;
	snprintf(ready, sizeof ready, "%s.ready", path);
	if (stat(ready, &sb) == 0)
		return 0;
	snprintf(key, sizeof key, "%s.key", path);
	unlink(path);
	unlink(key);
	snprintf(projects, sizeof projects, "%s", env_or("GG_BENCH_REPORTS_PROJECTS", "90000"));
	printf("building %s: gonggai demo --projects %s --seed 3 (a few minutes, once)\n", path, projects);
	double t0 = clock_mono_ms();
	char *demo[] = {"demo", "--db", (char *)path, "--projects", projects, "--seed", "3", NULL};
	if (quiet_verb(cli_demo, 7, demo)) {
		fprintf(stderr, "bench_reports: the demo database could not be built\n");
		return -1;
	}
	printf("  demo built in %.0f s\n", (clock_mono_ms() - t0) / 1000);
	FILE *f = fopen(ready, "w");
	return f && fclose(f) == 0 ? 0 : -1;
}

/* ---- the server and its clients --------------------------------------------------------------- */

static pid_t Server;
static int Port;
static char Auditor[128], Leader[128];

static int start_server(const char *dir, const char *db)
{
	char ini[600];
	snprintf(ini, sizeof ini, "%s/bench-reports.ini", dir);
	/* as bench_endpoints.sh: no scheduled jobs (a catch-up backup of the demo would run), its cache and map */
	return harness_serve(ini, "[security]\nadmin_totp = off\n[ops]\nscheduler = off\n[store]\ncache_mib = 256\n"
			     "mmap_mib = 2047\n", db, &Server, &Port);
}

/* GET path as token's session: the body into *out (may be NULL), the time in ms. */
static double get(const char *token, const char *path, struct body *out)
{
	char url[600], cookie[160];
	struct body b = {0};
	long code = 0;
	CURL *c = curl_easy_init();
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", Port, path);
	snprintf(cookie, sizeof cookie, "gg_session=%s", token);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_COOKIE, cookie);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, harness_keep);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &b);
	double t0 = clock_mono_ms();
	int ok = curl_easy_perform(c) == CURLE_OK;
	double ms = clock_mono_ms() - t0;
	curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &code);
	curl_easy_cleanup(c);
	if (!ok || code != 200) {
		fprintf(stderr, "bench_reports: GET %s: %ld %.300s\n", path, code, b.p ? b.p : "");
		free(b.p);
		return -1;
	}
	if (out)
		*out = b;
	else
		free(b.p);
	return ms;
}

/* Median and p99 (the worst of RUNS) of path after one warm-up; the last body into *out. */
static int timed_get(const char *token, const char *path, double *p50, double *p99, struct body *out)
{
	double t[RUNS];
	struct body b = {0};
	if (get(token, path, NULL) < 0)
		return -1;
	for (int i = 0; i < RUNS; i++) {
		free(b.p);
		b.p = NULL;
		if ((t[i] = get(token, path, &b)) < 0)
			return -1;
	}
	qsort(t, RUNS, sizeof t[0], cmp_d);
	*p50 = t[RUNS / 2];
	*p99 = t[RUNS - 1];
	if (out)
		*out = b;
	else
		free(b.p);
	return 0;
}

/* ---- the requests ------------------------------------------------------------------------------ */

static struct store *St;
static struct case_env Env;
static int Fail;

static void verdict(const char *what, double p50, double p99, double base, double target)
{
	int met = p50 <= target && p99 <= 2.5 * target;
	printf("%-62s p50 %8.1f ms  p99 %8.1f ms  %s  baseline %9.1f ms  %7.0fx\n", what, p50, p99,
	       met ? "met   " : "MISSED", base, p50 > 0 ? base / p50 : 0);
	if (!met)
		Fail = 1;
}

/* The ids of a list body's items, in order, as text. */
static void ids_of(json_t *items, char *out, size_t n)
{
	size_t len = 0, i;
	json_t *it;
	out[0] = 0;
	json_array_foreach(items, i, it)
		len += (size_t)snprintf(out + len, len < n ? n - len : 0, "%lld,",
					(long long)json_integer_value(json_object_get(it, "id")));
}

struct audit_case {
	const char *label, *query;      /* the HTTP query string          */
	const char *user, *action, *object, *outcome;
	const char *from, *to;          /* YYYY-MM-DD or NULL             */
	int page, compare;              /* compare the page's ids         */
};

static int64_t day_epoch(const char *d, int end)
{
	int32_t day;
	if (!d || cal_date_parse(d, &day, NULL))
		return end ? INT64_MAX : 0;
	return ((int64_t)day + end) * 86400 - 8 * 3600;
}

static int audit_one(const struct audit_case *c)
{
	char path[400], a[4096], b[4096];
	double p50, p99;
	struct body body = {0};
	json_t *items = NULL;
	int64_t total;
	struct err e;
	snprintf(path, sizeof path, "/api/audit%s%s", c->query[0] ? "?" : "", c->query);
	if (timed_get(Auditor, path, &p50, &p99, &body))
		return -1;
	struct page pg = {c->page ? c->page : 1, 20};
	double t0 = clock_mono_ms();
	if (store_audit_list_scan(St, c->user, c->action, c->object, c->outcome, day_epoch(c->from, 0),
				  day_epoch(c->to, 1), &pg, &items, &total, &e)) {
		fprintf(stderr, "bench_reports: baseline %s: %s\n", c->label, e.msg);
		free(body.p);
		return -1;
	}
	double base = clock_mono_ms() - t0;
	json_t *got = json_loads(body.p, 0, NULL);
	ids_of(json_object_get(got, "items"), a, sizeof a);
	ids_of(items, b, sizeof b);
	char what[200];
	snprintf(what, sizeof what, "GET %s", path);
	verdict(what, p50, p99, base, 200);
	if (c->compare && strcmp(a, b) != 0) {
		printf("!! %s: page differs from the baseline's\n   new  %.200s\n   base %.200s\n", c->label, a, b);
		Fail = 1;
	}
	json_decref(got);
	json_decref(items);
	free(body.p);
	return 0;
}

struct stats_case {
	const char *query, *period, *from, *to, *group;
	int xlsx;
};

static double cpu_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

/* The report built and rendered like the server does, in this process:
** from the rollups, or (days_only) the old way from day rows only. The
** wall time in ms; *cpu the CPU time (what the load of other processes on
** this machine does not inflate). */
static double build_report(const struct stats_case *c, int days_only, json_t **json, double *cpu)
{
	struct stats_request q = {.now = clock_now(NULL), .days_only = days_only};
	struct stats_report r;
	struct err e;
	int g = stats_group_parse(c->group ? c->group : "district");
	q.groups[q.ngroups++] = g;
	for (int k = 0; c->xlsx && k < SG_COUNT; k++)
		if (k != g)
			q.groups[q.ngroups++] = k;
	double t0 = clock_mono_ms(), c0 = cpu_ms();
	if (stats_period_parse(c->period, c->from, c->to, deadline_day(q.now), &q.period, &e) ||
	    stats_report_build(St, &Env, &q, &r, &e)) {
		fprintf(stderr, "bench_reports: %s: %s\n", c->query, e.msg);
		return -1;
	}
	char *data = NULL;
	size_t len;
	if (c->xlsx) {
		if (stats_report_xlsx_mem(&r, &data, &len, &e))
			fprintf(stderr, "bench_reports: xlsx: %s\n", e.msg);
		free(data);
	}
	*json = stats_report_json(&r);
	stats_report_free(&r);
	*cpu = cpu_ms() - c0;
	return clock_mono_ms() - t0;
}

static int same_report(json_t *a, json_t *b)
{
	static const char *const keys[] = {"period", "previous", "last_year", "sections", "compare", "projects"};
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		if (!json_equal(json_object_get(a, keys[i]), json_object_get(b, keys[i])))
			return 0;
	return 1;
}

static int stats_one(const struct stats_case *c)
{
	char path[300];
	double p50, p99, cpu_new = 1e9, cpu_old;
	struct body body = {0};
	json_t *base_json = NULL, *j;
	snprintf(path, sizeof path, "/api/stats?%s", c->query);
	if (timed_get(Leader, path, &p50, &p99, &body))
		return -1;
	for (int i = 0; i < 3; i++) {     /* the least CPU of three in-process builds */
		double cpu;
		if (build_report(c, 0, &j, &cpu) < 0)
			return -1;
		json_decref(j);
		cpu_new = cpu < cpu_new ? cpu : cpu_new;
	}
	double base = build_report(c, 1, &base_json, &cpu_old);
	if (base < 0)
		return -1;
	verdict(path, p50, p99, base, c->xlsx ? 1000 : 200);
	printf("    in process: CPU %.1f ms from the rollups, %.1f ms from day rows (%.1fx)\n", cpu_new, cpu_old,
	       cpu_old / cpu_new);
	if (!c->xlsx) {
		json_t *got = json_loads(body.p, 0, NULL);
		if (!got || !same_report(got, base_json)) {
			printf("!! %s: the report differs from the day rows' sums\n", path);
			Fail = 1;
		}
		json_decref(got);
	}
	json_decref(base_json);
	free(body.p);
	return 0;
}

/* Every grouping of the period from the rollups and from day rows only: the same report. */
static int rollups_equal(const char *period, const char *from, const char *to)
{
	json_t *j[2] = {NULL, NULL};
	struct err e;
	for (int k = 0; k < 2; k++) {
		struct stats_request q = {.now = clock_now(NULL), .days_only = k, .ngroups = SG_COUNT};
		struct stats_report r;
		for (int g = 0; g < SG_COUNT; g++)
			q.groups[g] = g;
		if (stats_period_parse(period, from, to, deadline_day(q.now), &q.period, &e) ||
		    stats_report_build(St, &Env, &q, &r, &e)) {
			fprintf(stderr, "bench_reports: %s %s: %s\n", period, from, e.msg);
			return -1;
		}
		j[k] = stats_report_json(&r);
		stats_report_free(&r);
	}
	int same = same_report(j[0], j[1]);
	printf("%s %s%s%s, every grouping: rollups %s day rows\n", period, from, to ? "..." : "", to ? to : "",
	       same ? "==" : "!= (WRONG)");
	if (!same)
		Fail = 1;
	json_decref(j[0]);
	json_decref(j[1]);
	return 0;
}

/* The machine's load average (other processes inflate wall times). */
static void load_line(const char *what)
{
	double l[3];
	if (getloadavg(l, 3) == 3)
		printf("%s: load average %.2f %.2f %.2f on %ld cores\n", what, l[0], l[1], l[2], sysconf(_SC_NPROCESSORS_ONLN));
}

static const struct audit_case Audits[] = {
	{"first page", "", .compare = 0},
	{"page 1000", "page=1000", .page = 1000, .compare = 0},
	{"one user", "user=demo_cgj_clerk", "demo_cgj_clerk", .compare = 1},
	{"one user, page 1000", "user=demo_cgj_clerk&page=1000", "demo_cgj_clerk", .page = 1000, .compare = 1},
	{"an action", "action=case.accept", .action = "case.accept", .compare = 1},
	{"a large group", "action=case.*", .action = "case.*", .compare = 1},
	{"a small group", "action=user.*", .action = "user.*"},
	{"failed logins", "action=session.login&outcome=failure", .action = "session.login", .outcome = "failure",
	 .compare = 1},
	{"failures", "outcome=failure", .outcome = "failure", .compare = 1},
	{"one object", "object=case:123456", .object = "case:123456", .compare = 1},
	{"a month", "from=2024-03-01&to=2024-03-31", .from = "2024-03-01", .to = "2024-03-31", .compare = 1},
	{"a month, page 100", "from=2024-03-01&to=2024-03-31&page=100", .from = "2024-03-01", .to = "2024-03-31",
	 .page = 100, .compare = 1},
	{"user and action", "user=demo_610222_zrzy_head&action=session.login", "demo_610222_zrzy_head",
	 "session.login", .compare = 1},
	{"user and group", "user=demo_610222_zrzy_head&action=user.*", "demo_610222_zrzy_head", "user.*",
	 .compare = 1},
	{"user and half a year", "user=demo_cgj_clerk&from=2025-01-01&to=2025-06-30", "demo_cgj_clerk",
	 .from = "2025-01-01", .to = "2025-06-30", .compare = 1},
};

static const struct stats_case Reports[] = {
	{"period=year&from=2026&group=item", "year", "2026", NULL, "item", 0},
	{"period=range&from=2025-01-01&to=2026-12-06&group=district", "range", "2025-01-01", "2026-12-06", "district", 0},
	{"period=quarter&from=2026-Q3&group=department", "quarter", "2026-Q3", NULL, "department", 0},
	{"period=month&from=2026-11&group=stage", "month", "2026-11", NULL, "stage", 0},
	{"period=year&from=2025&group=flow-type", "year", "2025", NULL, "flow-type", 0},
	{"period=year&from=2026&format=xlsx", "year", "2026", NULL, "district", 1},
};

/* Page 1000 by after= (keyset) against the same page by OFFSET in the old query. */
static int audit_keyset(void)
{
	struct body b = {0};
	if (get(Auditor, "/api/audit?page=999", &b) < 0)
		return -1;
	json_t *j = json_loads(b.p, 0, NULL);
	long long after = (long long)json_integer_value(json_object_get(j, "next_after"));
	json_decref(j);
	free(b.p);
	char q[64];
	snprintf(q, sizeof q, "after=%lld", after);
	struct audit_case c = {"after= (keyset, page 1000)", q, .page = 1000};
	return audit_one(&c);
}

int main(void)
{
	char db[600];
	struct err e;
	struct cal *cal = NULL;
	const char *dir = env_or("GG_BENCH_CACHE", "var/bench"), *given = getenv("GG_BENCH_REPORTS_DB");
	snprintf(db, sizeof db, "%s", given && *given ? given : "");
	if (!db[0])
		snprintf(db, sizeof db, "%s/demo-1m.db", dir);
	setvbuf(stdout, NULL, _IOLBF, 0);
	mkdir("var", 0755);
	mkdir(dir, 0755);
	/* a database given is used as it is: never rebuilt */
	if ((!(given && *given) && build_db(db)) || store_open(db, 0, &St, &e) ||
	    grow_audit(St, atoll(env_or("GG_BENCH_AUDIT_ROWS", "5300000"))) || cal_build_store(St, &cal, &e)) {
		fprintf(stderr, "bench_reports: %s\n", db);
		return 1;
	}
	Env = (struct case_env){.cal = cal, .dl = DEADLINE_CONF_DEFAULT, .observers = db_case_observers()};
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = start_server(dir, db) || harness_login(Port, "demo_auditor", PASSWORD, Auditor) ||
		 harness_login(Port, "demo_leader", PASSWORD, Leader) ||
		 get(Leader, "/api/stats/overview", NULL) < 0;   /* the day's light pass, before timing */
	if (!rc) {
		printf("target: p50 <= 200 ms (XLSX 1 s), p99 <= 2.5x that; baseline: the query before 0021, once\n");
		load_line("load before");
		const char *part = env_or("GG_BENCH_REPORTS_PART", "all");   /* all | audit | stats */
		int audit = strcmp(part, "stats") != 0, stats = strcmp(part, "audit") != 0;
		for (size_t i = 0; audit && !rc && i < sizeof Audits / sizeof Audits[0]; i++)
			rc = audit_one(&Audits[i]);
		if (audit && !rc)
			rc = audit_keyset();
		for (size_t i = 0; stats && !rc && i < sizeof Reports / sizeof Reports[0]; i++)
			rc = stats_one(&Reports[i]);
		for (size_t i = 0; stats && !rc && i < sizeof Reports / sizeof Reports[0]; i++)
			rc = rollups_equal(Reports[i].period, Reports[i].from, Reports[i].to);
	}
	load_line("load after");
	harness_stop(Server);
	cal_free(cal);
	store_close(St);
	curl_global_cleanup();
	return rc || Fail;
}
