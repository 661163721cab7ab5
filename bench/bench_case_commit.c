/*
** bench_case_commit.c: P2 of issue 5 — durable 办件 transitions per second
** through the HTTP API against a raw single-row SQLite commit, same run,
** same disk.
**
** Setup (in process, through the domain functions): a database with the
** catalogue, a clerk, a reviewer and a head of 自然资源和规划局, and
** CLIENTS x PER_CLIENT projects each with one received 建设用地规划许可证核发
** case. Then `gonggai serve` (GG_BENCH_BIN, default ./gonggai) with
** [database] synchronous = full and [server] threads = 32 (the server's
** case writer commits the actions waiting at once in one transaction: group
** commit, approval/case_writer.c), and CLIENTS threads, each with its own
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
#include "calendar/cal_admin.h"
#include "org/org.h"

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

/* Server worker threads: one per concurrent client, so that the 32 waiting
** requests can join one group commit (B_THREADS overrides; the default of
** `gonggai serve`, one per core, lets at most that many join). */
static const char *threads(void)
{
	const char *t = getenv("B_THREADS");
	return t && *t ? t : "32";
}

static const char *bin(void)
{
	const char *b = getenv("GG_BENCH_BIN");
	return b && *b ? b : "./gonggai";
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
	struct case_env env = {.cal = cal, .dl = DEADLINE_CONF_DEFAULT};
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
	char ini[512], line[256] = "";
	int fds[2];
	snprintf(ini, sizeof ini, "%s/bench-%s.ini", dir, sync);
	FILE *f = fopen(ini, "w");
	if (!f || pipe(fds))
		return -1;
	fprintf(f, "[database]\nsynchronous = %s\n[server]\nthreads = %s\n", sync, threads());
	fclose(f);
	if ((*pid = fork()) == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		execl(bin(), bin(), "serve", "--db", db, "--listen", "127.0.0.1:0", "--config", ini, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	FILE *r = fdopen(fds[0], "r");
	*port = 0;
	if (r && fgets(line, sizeof line, r))
		sscanf(line, "listening on http://127.0.0.1:%d", port);
	if (r)
		fclose(r);
	return *port ? 0 : -1;
}

static size_t sink(char *p, size_t s, size_t n, void *arg)
{
	return s * n;
}

static size_t grab_cookie(char *p, size_t s, size_t n, void *arg)
{
	char *out = arg;
	if (strncasecmp(p, "Set-Cookie: gg_session=", 23) == 0)
		sscanf(p + 23, "%127[^;\r\n]", out);
	return s * n;
}

static int login(int port, const char *user, char *token)
{
	char url[128], body[128];
	CURL *c = curl_easy_init();
	struct curl_slist *h = curl_slist_append(NULL, "Content-Type: application/json");
	snprintf(url, sizeof url, "http://127.0.0.1:%d/api/session", port);
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, PASSWORD);
	token[0] = 0;
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, grab_cookie);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, token);
	int ok = curl_easy_perform(c) == CURLE_OK && token[0];
	curl_slist_free_all(h);
	curl_easy_cleanup(c);
	return ok ? 0 : -1;
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
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, sink);
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

/* Transitions per second through the API with this synchronous mode. */
static double api_rate(const char *dir, const char *sync, int *failures)
{
	char db[512];
	int64_t ids[CLIENTS * PER_CLIENT];
	int n = CLIENTS * PER_CLIENT, port;
	pid_t pid;
	struct err e = {0};
	char tokens[3][128];
	struct client cl[CLIENTS];
	snprintf(db, sizeof db, "%s/p2-%s.db", dir, sync);
	if (setup(db, ids, n, &e)) {
		fprintf(stderr, "setup: %s\n", e.msg);
		return -1;
	}
	if (start_server(dir, db, sync, &pid, &port))
		return -1;
	double rate = -1;
	if (!login(port, "b_clerk", tokens[0]) && !login(port, "b_reviewer", tokens[1]) &&
	    !login(port, "b_head", tokens[2])) {
		double t0 = clock_mono_ms();
		for (int i = 0; i < CLIENTS; i++) {
			cl[i] = (struct client){.port = port, .index = i, .ids = ids, .n = n, .tokens = tokens};
			pthread_create(&cl[i].t, NULL, run_client, &cl[i]);
		}
		*failures = 0;
		for (int i = 0; i < CLIENTS; i++) {
			pthread_join(cl[i].t, NULL);
			*failures += cl[i].failures;
		}
		double secs = (clock_mono_ms() - t0) / 1000.0;
		rate = n * 4 / secs;
	}
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	return rate;
}

/* ---- the baseline ---------------------------------------------------------------- */

static double raw_rate(const char *dir, const char *sync)
{
	char db[512], pragma[128];
	sqlite3 *h;
	sqlite3_stmt *s;
	snprintf(db, sizeof db, "%s/raw-%s.db", dir, sync);
	if (sqlite3_open(db, &h) != SQLITE_OK)
		return -1;
	snprintf(pragma, sizeof pragma, "PRAGMA journal_mode=WAL; PRAGMA synchronous=%s; CREATE TABLE t(x)", sync);
	sqlite3_exec(h, pragma, NULL, NULL, NULL);
	sqlite3_prepare_v2(h, "INSERT INTO t VALUES (?)", -1, &s, NULL);
	int n = 0;
	double t0 = clock_mono_ms(), t;
	do {
		sqlite3_bind_int(s, 1, n++);
		sqlite3_step(s);
		sqlite3_reset(s);
	} while ((t = clock_mono_ms()) - t0 < 2000);
	sqlite3_finalize(s);
	sqlite3_close(h);
	return n / ((t - t0) / 1000.0);
}

int main(void)
{
	char dir[] = "/tmp/gg-bench-case-XXXXXX", cmd[600];
	int fails_full = 0, fails_normal = 0;
	if (!mkdtemp(dir))
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	double raw_full = raw_rate(dir, "full"), raw_normal = raw_rate(dir, "normal");
	double api_full = api_rate(dir, "full", &fails_full), api_normal = api_rate(dir, "normal", &fails_normal);
	printf("P2 raw single-row commit   FULL %8.0f/s   NORMAL %8.0f/s\n", raw_full, raw_normal);
	printf("P2 API transitions (%d clients, %s server threads, accept → start_review → next_step → approve)\n",
	       CLIENTS, threads());
	printf("                           FULL %8.0f/s   NORMAL %8.0f/s   failures %d/%d\n", api_full, api_normal,
	       fails_full, fails_normal);
	double r_full = api_full / raw_full, r_normal = api_normal / raw_normal;
	printf("P2 ratio API/raw FULL      %.2fx (target >= 0.40x) %s\n", r_full, r_full >= 0.4 ? "met" : "MISSED");
	printf("P2 ratio API/raw NORMAL    %.2fx\n", r_normal);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return r_full >= 0.4 && !fails_full && !fails_normal && api_full > 0 ? 0 : 1;
}
