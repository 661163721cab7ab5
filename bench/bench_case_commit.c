/*
** bench_case_commit.c: P2 of issue 5 — durable 办件 transitions per second
** through the HTTP API against a raw single-row SQLite commit, same run,
** same disk.
**
** Setup (in process, through the domain functions): a database with the
** catalogue, a clerk, a reviewer and a head of 自然资源和规划局, and
** CLIENTS x PER_CLIENT projects each with one received 建设用地规划许可证核发
** case. Then `gonggai serve` (GG_BENCH_BIN, default ./gonggai) with
** [database] synchronous = full and the default worker threads (the
** server's case writer commits the actions waiting at once in one
** transaction: group commit, approval/case_writer.c), and CLIENTS threads, each with its own
** keep-alive connection, take their cases through accept → start_review →
** next_step → approve (4 transitions, each one transaction with its status
** row and audit row). The same again with synchronous = normal. Baseline:
** one connection committing single-row INSERTs in WAL mode with the same
** synchronous setting.
** Prints absolutes and ratios; exits 1 when FULL is below 0.4x the raw
** commit rate or any request fails.
*/
#include "approval/case.h"
#include "approval/catalog.h"
#include "approval/project.h"
#include "base/clock.h"
#include "db/db.h"
#include "workday/workday.h"
#include "org/org.h"
#include "store/store_int.h"   /* white-box: reads and writes rows directly */
#include "harness.h"

#include <curl/curl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CLIENTS 32
#define PER_CLIENT 25
#define PASSWORD "Bench-Passw0rd!"

/* Server worker threads: B_THREADS, else the default of `gonggai serve` (one
** per core). A request waiting for the group commit does not hold its
** worker (http.h, w->later), so all 32 can join one batch with 2 workers. */
static const char *threads(void)
{
	const char *t = getenv("B_THREADS");
	return t && *t ? t : NULL;
}

/* ---- setup ---------------------------------------------------------------------- */

static int add_user(struct store *st, const char *name, const char *role, struct err *e)
{
	struct auth_policy pol;
	struct principal cli;
	struct user u;
	int64_t id;
	rbac_cli_principal(&cli);
	if (auth_policy_load(NULL, &pol, e))
		return e->code;
	pol.opslimit = 1;                 /* the benchmark measures transitions, not logins */
	pol.memlimit = 8192 * 1024;
	struct user_input in = {.username = name, .password = PASSWORD, .department = "610200-ZRZY",
				.roles = rbac_role_bit(role)};
	if (org_user_add(st, &pol, NULL, &cli, clock_now(NULL), &in, &id, e) || store_user_by_id(st, id, &u, e))
		return e->code;
	u.must_change = 0;
	return store_user_update(st, &u, e);
}

static int setup(const char *db, int64_t *ids, int n, struct err *e)
{
	struct store *st;
	struct cal *cal = NULL;
	struct principal cli;
	int64_t now = clock_now(NULL);
	rbac_cli_principal(&cli);
	if (store_open(db, STORE_CREATE, &st, e))
		return e->code;
	int rc = org_seed(st, now, e) || catalog_seed(st, &cli, now, e) || add_user(st, "b_clerk", "clerk", e) ||
		add_user(st, "b_reviewer", "reviewer", e) || add_user(st, "b_head", "head", e) ||
		cal_build_store(st, &cal, e);
	struct case_env env = {.cal = cal, .dl = DEADLINE_CONF_DEFAULT, .observers = db_case_observers()};
	const char *items[] = {"YDGH-001"};
	struct case_application app = {.stage = 1, .items = items, .nitems = 1};
	for (int i = 0; i < n && !rc; i++) {
		char code[32];
		int64_t pid;
		json_t *out;
		snprintf(code, sizeof code, "2025-610202-47-01-%06d", i + 1);
		json_t *body = json_pack("{s:s,s:s,s:i,s:s,s:s,s:i,s:i,s:i,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:s}]}",
			"code", code, "name", "基准测试项目", "flow_type", 4, "division", "610202", "address", "王益区",
			"investment_wan", 1000, "land_area_m2", 1000, "floor_area_m2", 1000, "planned_start",
			"2026-01-01", "planned_finish", "2027-12-31", "units", "kind", "builder", "name",
			"厦门测试建设有限公司", "credit_code", "91350200575030446H", "contact", "李四", "phone", "13800138000");
		rc = project_create(st, &cli, now, body, &pid, e) || case_apply(st, &env, &cli, now, pid, &app, &out, e);
		json_decref(body);
		if (!rc) {
			ids[i] = json_integer_value(json_object_get(json_array_get(json_object_get(out, "cases"), 0), "id"));
			json_decref(out);
		}
	}
	cal_free(cal);
	store_close(st);
	return rc ? (e->code ? e->code : ERR_INTERNAL) : 0;
}

/* ---- the server ----------------------------------------------------------------- */

static int start_server(const char *dir, const char *db, const char *sync, pid_t *pid, int *port)
{
	char ini[512], text[128];
	snprintf(ini, sizeof ini, "%s/bench-%s.ini", dir, sync);
	int n = snprintf(text, sizeof text, "[database]\nsynchronous = %s\n", sync);
	if (threads())
		snprintf(text + n, sizeof text - n, "[server]\nthreads = %s\n", threads());
	return harness_serve(ini, text, db, pid, port);
}

/* ---- the clients ---------------------------------------------------------------- */

struct client {
	pthread_t t;
	int port, index;
	const int64_t *ids;
	int n;
	char (*tokens)[128];
	int failures;
};

static const struct { const char *action; int role; } steps[] = {
	{"accept", 0}, {"start_review", 1}, {"next_step", 1}, {"approve", 2},
};

static void *run_client(void *arg)
{
	struct client *cl = arg;
	CURL *c = curl_easy_init();
	char url[128], cookie[3][160];
	struct curl_slist *h[3];
	for (int r = 0; r < 3; r++) {
		snprintf(cookie[r], sizeof cookie[r], "Cookie: gg_session=%s", cl->tokens[r]);
		h[r] = curl_slist_append(curl_slist_append(NULL, "Content-Type: application/json"), cookie[r]);
	}
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, harness_sink);
	for (int i = cl->index; i < cl->n; i += CLIENTS)
		for (size_t s = 0; s < sizeof steps / sizeof steps[0]; s++) {
			char body[64];
			long status = 0;
			snprintf(url, sizeof url, "http://127.0.0.1:%d/api/cases/%lld/actions", cl->port, (long long)cl->ids[i]);
			snprintf(body, sizeof body, "{\"action\":\"%s\"}", steps[s].action);
			curl_easy_setopt(c, CURLOPT_URL, url);
			curl_easy_setopt(c, CURLOPT_HTTPHEADER, h[steps[s].role]);
			curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
			if (curl_easy_perform(c) != CURLE_OK ||
			    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) != CURLE_OK || status != 200)
				cl->failures++;
		}
	for (int r = 0; r < 3; r++)
		curl_slist_free_all(h[r]);
	curl_easy_cleanup(c);
	return NULL;
}

/* Transitions per second of one round: the clients take cases ids[0..n) through
** the four steps. */
static double api_round(int port, const int64_t *ids, int n, char (*tokens)[128], int *failures)
{
	struct client cl[CLIENTS];
	double t0 = clock_mono_ms();
	for (int i = 0; i < CLIENTS; i++) {
		cl[i] = (struct client){.port = port, .index = i, .ids = ids, .n = n, .tokens = tokens};
		pthread_create(&cl[i].t, NULL, run_client, &cl[i]);
	}
	for (int i = 0; i < CLIENTS; i++) {
		pthread_join(cl[i].t, NULL);
		*failures += cl[i].failures;
	}
	return n * 4 / ((clock_mono_ms() - t0) / 1000.0);
}

/* ---- the baseline ---------------------------------------------------------------- */

/* Single-row commits per second on one connection for about a second. */
static double raw_rate(const char *dir, const char *sync)
{
	char db[512], pragma[160];
	sqlite3 *h;
	sqlite3_stmt *s;
	snprintf(db, sizeof db, "%s/raw-%s.db", dir, sync);
	if (sqlite3_open(db, &h) != SQLITE_OK)
		return -1;
	snprintf(pragma, sizeof pragma, "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; CREATE TABLE IF NOT EXISTS t(x)",
		 sync);
	sqlite3_exec(h, pragma, NULL, NULL, NULL);
	sqlite3_prepare_v2(h, "INSERT INTO t VALUES (?)", -1, &s, NULL);
	int n = 0;
	double t0 = clock_mono_ms(), t;
	do {
		sqlite3_bind_int(s, 1, n++);
		sqlite3_step(s);
		sqlite3_reset(s);
	} while ((t = clock_mono_ms()) - t0 < 1000);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n / ((t - t0) / 1000.0);
}

/* ---- one synchronous mode --------------------------------------------------------- */

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

struct result {
	double raw, api, ratio;          /* medians over the rounds */
	int failures;
};

/* Rounds alternate a second of raw commits with one API round on fresh cases,
** so both see the same state of the machine; medians are reported. */
static int run_mode(const char *dir, const char *sync_mode, int rounds, struct result *out)
{
	char db[512], tokens[3][128];
	int n = CLIENTS * PER_CLIENT, port;
	int64_t *ids = calloc((size_t)n * rounds, sizeof *ids);
	double raw[rounds], api[rounds], ratio[rounds];
	pid_t pid;
	struct err e = {0};
	snprintf(db, sizeof db, "%s/p2-%s.db", dir, sync_mode);
	*out = (struct result){0};
	if (!ids || setup(db, ids, n * rounds, &e)) {
		fprintf(stderr, "setup: %s\n", e.msg);
		free(ids);
		return -1;
	}
	sync();   /* the setup's dirty pages must not be written back during the rounds */
	if (start_server(dir, db, sync_mode, &pid, &port)) {
		free(ids);
		return -1;
	}
	int rc = harness_login(port, "b_clerk", PASSWORD, tokens[0]) ||
		 harness_login(port, "b_reviewer", PASSWORD, tokens[1]) ||
		 harness_login(port, "b_head", PASSWORD, tokens[2]);
	for (int r = 0; r < rounds && !rc; r++) {
		raw[r] = raw_rate(dir, sync_mode);
		api[r] = api_round(port, ids + (size_t)r * n, n, tokens, &out->failures);
		ratio[r] = api[r] / raw[r];
		printf("  %-6s round %d: raw %6.0f/s  API %5.0f/s  %.2fx\n", sync_mode, r + 1, raw[r], api[r], ratio[r]);
	}
	if (!rc) {
		out->raw = median(raw, rounds);
		out->api = median(api, rounds);
		out->ratio = median(ratio, rounds);
	}
	harness_stop(pid);
	free(ids);
	return rc ? -1 : 0;
}

int main(void)
{
	char dir[] = "/tmp/gg-bench-case-XXXXXX", cmd[600];
	const char *r = getenv("B_ROUNDS");
	int rounds = r && atoi(r) > 0 ? atoi(r) : 5;
	struct result full, normal;
	if (!mkdtemp(dir))
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	printf("P2 %d rounds of %d clients x %d cases (accept -> start_review -> next_step -> approve), "
	       "%s server threads\n", rounds, CLIENTS, PER_CLIENT, threads() ? threads() : "default");
	int bad = run_mode(dir, "full", rounds, &full) | run_mode(dir, "normal", rounds, &normal);
	printf("P2 raw single-row commit   FULL %8.0f/s   NORMAL %8.0f/s   (medians)\n", full.raw, normal.raw);
	printf("P2 API transitions         FULL %8.0f/s   NORMAL %8.0f/s   failures %d/%d\n", full.api,
	       normal.api, full.failures, normal.failures);
	printf("P2 ratio API/raw FULL      %.2fx median of rounds (target >= 0.40x) %s\n", full.ratio,
	       full.ratio >= 0.4 ? "met" : "MISSED");
	printf("P2 ratio API/raw NORMAL    %.2fx\n", normal.ratio);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return !bad && full.ratio >= 0.4 && !full.failures && !normal.failures ? 0 : 1;
}
