/*
** bench_bpmn.c: durable 办件 transitions of one parallel stage through the
** API against the in-memory BPMN peer the issue names (issue 21), same run,
** same machine.
**
** gonggai: a database with the catalogue, a city 综合窗口 clerk, per
** department one account with the clerk and reviewer roles and one head
** (separation of duties: who receives does not decide), and
** CLIENTS x PER_CLIENT projects (small social investment flow). `gonggai
** serve` with [database] synchronous = full and its default worker threads;
** CLIENTS threads, each on its own keep-alive connection, take projects in
** turn: the window applies for stage 5 (并行推进) with five items of three
** departments (POST /api/projects/{id}/applications, five 办件 received),
** then each 办件 goes accept -> start_review -> next_step per middle 环节 ->
** approve (POST /api/cases/{id}/actions): 22 transitions per application,
** each one durable transaction with its status row, statistics and audit
** row; the decision issues the 决定书.
**
** Peer: npm bpmn-engine (package.json devDependencies) on Node.js running
** the same process in memory (bench/bpmn_peer.cjs: a parallel gateway into
** five branches of one user task per action), CLIENTS instances in flight.
** Without node or node_modules/bpmn-engine the peer is skipped, said so.
**
** Rounds alternate the API (fresh projects each round) and the peer; the
** medians and their ratio are printed (target: toward 20x). Exits 1 when a
** request or the peer fails.
*/
#include "approval/catalog.h"
#include "approval/project.h"
#include "base/clock.h"
#include "org/org.h"
#include "store/store_int.h"   /* white-box: clears the forced password change */
#include "harness.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#define CLIENTS 32
#define PER_CLIENT 6
#define PASSWORD "Bench-Passw0rd!"
#define PEER "bench/bpmn_peer.cjs"

/* The stage's five items, their departments' accounts and 环节 counts. */
static const struct { const char *code, *user; int steps; } items[] = {
	{"HPSP-002", "b_sthj", 3}, {"SBFA-001", "b_swj", 3}, {"QSXK-001", "b_swj", 4},
	{"DLZY-001", "b_cgj", 4}, {"JZLJ-001", "b_cgj", 3},
};
#define NITEMS 5
/* Each department's head follows its clerk and reviewer in this list. */
static const struct { const char *name, *department; unsigned roles; } accounts[] = {
	{"b_window", "610200-XSP", ROLE_CLERK},
	{"b_sthj", "610200-STHJ", ROLE_CLERK | ROLE_REVIEWER}, {"b_sthj_head", "610200-STHJ", ROLE_HEAD},
	{"b_swj", "610200-SWJ", ROLE_CLERK | ROLE_REVIEWER}, {"b_swj_head", "610200-SWJ", ROLE_HEAD},
	{"b_cgj", "610200-CGJ", ROLE_CLERK | ROLE_REVIEWER}, {"b_cgj_head", "610200-CGJ", ROLE_HEAD},
};
#define NACCOUNTS 7

static int per_application(void)
{
	int n = 0;
	for (int i = 0; i < NITEMS; i++)
		n += items[i].steps + 1;     /* accept, start_review, steps-2 next_step, approve */
	return n;
}

/* ---- setup ---------------------------------------------------------------------- */

static int add_user(struct store *st, int k, struct err *e)
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
	struct user_input in = {.username = accounts[k].name, .password = PASSWORD,
				.department = accounts[k].department, .roles = accounts[k].roles};
	if (org_user_add(st, &pol, NULL, &cli, clock_now(NULL), &in, &id, e) || store_user_by_id(st, id, &u, e))
		return e->code;
	u.must_change = 0;
	return store_user_update(st, &u, e);
}

static int setup(const char *db, int64_t *ids, int n, struct err *e)
{
	struct store *st;
	struct principal cli;
	int64_t now = clock_now(NULL);
	rbac_cli_principal(&cli);
	if (store_open(db, STORE_CREATE, &st, e))
		return e->code;
	int rc = org_seed(st, now, e) || catalog_seed(st, &cli, now, e);
	for (int k = 0; k < NACCOUNTS && !rc; k++)
		rc = add_user(st, k, e);
	for (int i = 0; i < n && !rc; i++) {
		char code[32];
		snprintf(code, sizeof code, "2025-610202-47-01-%06d", i + 1);
		json_t *body = json_pack("{s:s,s:s,s:i,s:s,s:s,s:i,s:i,s:i,s:s,s:s,s:[{s:s,s:s,s:s,s:s,s:s}]}",
			"code", code, "name", "并联基准项目", "flow_type", 4, "division", "610202", "address", "王益区",
			"investment_wan", 1000, "land_area_m2", 1000, "floor_area_m2", 1000, "planned_start",
			"2026-01-01", "planned_finish", "2027-12-31", "units", "kind", "builder", "name",
			"厦门测试建设有限公司", "credit_code", "91350200575030446H", "contact", "李四", "phone", "13800138000");
		rc = project_create(st, &cli, now, body, &ids[i], e);
		json_decref(body);
	}
	store_close(st);
	return rc ? (e->code ? e->code : ERR_INTERNAL) : 0;
}

/* ---- the server ----------------------------------------------------------------- */

/* ---- the clients ---------------------------------------------------------------- */

struct client {
	pthread_t t;
	int port, index, n;
	const int64_t *projects;
	struct curl_slist *(*headers)[NACCOUNTS];
	int failures;
	long transitions;
};

static int account_of(const char *user)
{
	for (int k = 0; k < NACCOUNTS; k++)
		if (strcmp(accounts[k].name, user) == 0)
			return k;
	return 0;
}

/* One POST as account k; *out the parsed answer (NULL unless wanted). */
static int post(CURL *c, struct client *cl, int k, const char *path, const char *body, json_t **out)
{
	char url[160];
	long status = 0;
	struct body got = {0};
	snprintf(url, sizeof url, "http://127.0.0.1:%d%s", cl->port, path);
	curl_easy_setopt(c, CURLOPT_URL, url);
	curl_easy_setopt(c, CURLOPT_HTTPHEADER, (*cl->headers)[k]);
	curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, &got);
	int ok = curl_easy_perform(c) == CURLE_OK && curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status) == CURLE_OK &&
		 status / 100 == 2;
	if (!ok && cl->failures++ == 0)
		fprintf(stderr, "  %s answered %ld: %.300s\n", path, status, got.p ? got.p : "");
	if (ok && out)
		ok = (*out = json_loadb(got.p, got.n, 0, NULL)) != NULL;
	free(got.p);
	return ok ? 0 : -1;
}

/* The window applies for the stage; each department takes its 办件 to the decision. */
static void one_application(CURL *c, struct client *cl, int64_t project)
{
	char path[96], body[256];
	json_t *answer = NULL, *cs;
	size_t i;
	snprintf(path, sizeof path, "/api/projects/%lld/applications", (long long)project);
	snprintf(body, sizeof body, "{\"stage\":5,\"items\":[\"%s\",\"%s\",\"%s\",\"%s\",\"%s\"]}", items[0].code,
		 items[1].code, items[2].code, items[3].code, items[4].code);
	if (post(c, cl, 0, path, body, &answer))
		return;
	json_array_foreach(json_object_get(answer, "cases"), i, cs) {
		const char *code = json_string_value(json_object_get(cs, "item_code"));
		int it = 0;
		while (it < NITEMS - 1 && strcmp(items[it].code, code ? code : "") != 0)
			it++;
		int k = account_of(items[it].user);
		snprintf(path, sizeof path, "/api/cases/%lld/actions",
			 (long long)json_integer_value(json_object_get(cs, "id")));
		for (int s = 0; s <= items[it].steps; s++) {
			const char *a = s == 0 ? "accept" : s == 1 ? "start_review" : s < items[it].steps ? "next_step"
				: "approve";
			snprintf(body, sizeof body, "{\"action\":\"%s\"}", a);
			if (post(c, cl, s == items[it].steps ? k + 1 : k, path, body, NULL))
				break;
			cl->transitions++;
		}
	}
	json_decref(answer);
}

static void *run_client(void *arg)
{
	struct client *cl = arg;
	CURL *c = curl_easy_init();
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, harness_keep);
	for (int i = cl->index; i < cl->n; i += CLIENTS)
		one_application(c, cl, cl->projects[i]);
	curl_easy_cleanup(c);
	return NULL;
}

/* The CPU time (user + system) process pid has used, in ms; -1 unknown. */
static double cpu_ms(pid_t pid)
{
	char path[64], line[1024];
	unsigned long long ut, st;
	snprintf(path, sizeof path, "/proc/%d/stat", (int)pid);
	FILE *f = fopen(path, "r");
	if (!f)
		return -1;
	char *close_paren = fgets(line, sizeof line, f) ? strrchr(line, ')') : NULL;
	fclose(f);
	/* after "pid (comm)": state and fields 4..13, then utime and stime */
	if (!close_paren || sscanf(close_paren + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu",
				   &ut, &st) != 2)
		return -1;
	return (ut + st) * 1000.0 / (double)sysconf(_SC_CLK_TCK);
}

/* Transitions per second of one round over projects[0..n); the server's
** (pid) CPU per transition into *cpu_us. */
static double api_round(int port, pid_t pid, const int64_t *projects, int n,
			struct curl_slist *(*headers)[NACCOUNTS], int *failures, double *cpu_us)
{
	struct client cl[CLIENTS];
	long transitions = 0;
	double t0 = clock_mono_ms(), c0 = cpu_ms(pid);
	for (int i = 0; i < CLIENTS; i++) {
		cl[i] = (struct client){.port = port, .index = i, .n = n, .projects = projects, .headers = headers};
		pthread_create(&cl[i].t, NULL, run_client, &cl[i]);
	}
	for (int i = 0; i < CLIENTS; i++) {
		pthread_join(cl[i].t, NULL);
		*failures += cl[i].failures;
		transitions += cl[i].transitions;
	}
	*cpu_us = transitions ? (cpu_ms(pid) - c0) * 1000.0 / transitions : 0;
	return transitions / ((clock_mono_ms() - t0) / 1000.0);
}

/* ---- the peer ------------------------------------------------------------------- */

/* 1 when node and bpmn-engine are there; else says why the peer is skipped. */
static int peer_ready(void)
{
	if (access("node_modules/bpmn-engine/package.json", R_OK) != 0) {
		printf("P3 peer skipped: node_modules lacks bpmn-engine (run `npm install` at the top of the tree: "
		       "package.json devDependencies)\n");
		return 0;
	}
	if (system("node --version >/dev/null 2>&1") != 0) {
		printf("P3 peer skipped: node (Node.js 20) not found\n");
		return 0;
	}
	return 1;
}

/* Transitions per second of the peer over n instances; -1 on failure. */
static double peer_round(int n)
{
	char cmd[256], line[256] = "";
	double rate = -1;
	snprintf(cmd, sizeof cmd, "node %s %d %d %d,%d,%d,%d,%d", PEER, n, CLIENTS, items[0].steps, items[1].steps,
		 items[2].steps, items[3].steps, items[4].steps);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof line, p))
		if (strncmp(line, "transitions ", 12) == 0)
			sscanf(line, "transitions %*d seconds %*f per_second %lf", &rate);
	return pclose(p) == 0 ? rate : -1;
}

/* ---- main ----------------------------------------------------------------------- */

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

static int login_all(int port, struct curl_slist *headers[NACCOUNTS])
{
	for (int k = 0; k < NACCOUNTS; k++) {
		char token[128], cookie[160];
		if (harness_login(port, accounts[k].name, PASSWORD, token))
			return -1;
		snprintf(cookie, sizeof cookie, "Cookie: gg_session=%s", token);
		headers[k] = curl_slist_append(curl_slist_append(NULL, "Content-Type: application/json"), cookie);
	}
	return 0;
}

int main(void)
{
	char dir[] = "/tmp/gg-bench-bpmn-XXXXXX", db[600], ini[600], cmd[600];
	const char *r = getenv("B_ROUNDS");
	int rounds = r && atoi(r) > 0 ? atoi(r) : 3, n = CLIENTS * PER_CLIENT, port, failures = 0, bad = 0;
	int64_t *projects = calloc((size_t)n * rounds, sizeof *projects);
	double api[rounds], peer[rounds], cpu[rounds];
	struct curl_slist *headers[NACCOUNTS] = {0};
	struct err e = {0};
	pid_t pid;
	if (!projects || !mkdtemp(dir))
		return 1;
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int with_peer = peer_ready();
	printf("P3 %d rounds: %d clients x %d applications of stage 5 with %d items (%d transitions each), "
	       "synchronous=FULL; peer: ", rounds, CLIENTS, PER_CLIENT, NITEMS, per_application());
	if (with_peer)
		printf("bpmn-engine in memory, %d instances in flight\n", CLIENTS);
	else
		printf("skipped\n");
	snprintf(db, sizeof db, "%s/p3.db", dir);
	snprintf(ini, sizeof ini, "%s/bench.ini", dir);
	if (setup(db, projects, n * rounds, &e) ||
	    (sync(), harness_serve(ini, "[database]\nsynchronous = full\n[ops]\nscheduler = off\n", db, &pid, &port))) {
		fprintf(stderr, "setup: %s\n", e.msg[0] ? e.msg : "the server did not start");
		return 1;
	}
	bad = login_all(port, headers);
	for (int i = 0; i < rounds && !bad; i++) {
		api[i] = api_round(port, pid, projects + (size_t)i * n, n, &headers, &failures, &cpu[i]);
		peer[i] = with_peer ? peer_round(n) : 0;
		bad |= failures > 0 || peer[i] < 0;
		if (with_peer)
			printf("  round %d: API %6.0f transitions/s (server CPU %4.0f us each)   bpmn-engine %6.0f/s\n",
			       i + 1, api[i], cpu[i], peer[i]);
		else
			printf("  round %d: API %6.0f transitions/s (server CPU %4.0f us each)\n", i + 1, api[i], cpu[i]);
	}
	harness_stop(pid);
	for (int k = 0; k < NACCOUNTS; k++)
		curl_slist_free_all(headers[k]);
	if (!bad) {
		double a = median(api, rounds), p = with_peer ? median(peer, rounds) : 0;
		printf("P3 API durable transitions     %8.0f/s (median; %.0f applications/s)\n", a, a / per_application());
		printf("P3 server CPU per transition   %8.0f us (median)\n", median(cpu, rounds));
		if (with_peer) {
			printf("P3 bpmn-engine in memory       %8.0f/s (median)\n", p);
			printf("P3 ratio API/bpmn-engine       %.1fx (target: toward 20x)\n", a / p);
		}
	}
	printf("P3 failures %d\n", failures);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	free(projects);
	return bad ? 1 : 0;
}
