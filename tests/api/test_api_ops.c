/*
** test_api_ops.c: built-in operations over real HTTP: who may read and run
** what, "run now" (queued and waited for), an unreachable endpoint on a
** closed loopback port showing CRIT in the status, the state changes and
** /metrics (checked by promtool), the scheduler catching up its missed jobs
** after start, backups, drill and cleanup through the API, report
** downloads, restore refused while the server holds the database, and the
** audit rows all of it leaves.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "apitest.h"

static struct apitest T;
static struct client *OPS, *SYS;

/* A loopback port nobody listens on. */
static int closed_port(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t len = sizeof a;
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof a) || getsockname(fd, (struct sockaddr *)&a, &len))
		return 9;
	close(fd);
	return ntohs(a.sin_port);
}

static int setup(void **state)
{
	char ini[512];
	snprintf(ini, sizeof ini, "[ops]\ncatchup_delay_seconds = 1\n[inspect]\nendpoints = closed=tcp://127.0.0.1:%d\n"
		 "probe_timeout_ms = 2000\n", closed_port());
	if (apitest_start(&T, ini) != 0 || apitest_user(&T, "ops1", "ops", NULL) != 0 ||
	    apitest_user(&T, "clerk1", "clerk", "610202-XSP") != 0)
		return -1;
	OPS = client_new(&T);
	SYS = client_new(&T);
	if (client_login(OPS, "ops1", APITEST_PASSWORD) != 200 || client_login(SYS, "sysadmin", APITEST_PASSWORD) != 200)
		return -1;
	return 0;
}

static int teardown(void **state)
{
	client_free(OPS);
	client_free(SYS);
	apitest_stop(&T);
	return 0;
}

static const char *str(json_t *j, const char *k)
{
	return json_string_value(json_object_get(j, k));
}

/* The item object named item in an array of results, or NULL. */
static json_t *find_item(json_t *arr, const char *item)
{
	size_t i;
	json_t *it;
	json_array_foreach(arr, i, it)
		if (str(it, "item") && strcmp(str(it, "item"), item) == 0)
			return it;
	return NULL;
}

static void test_roles(void **state)
{
	struct client *clk = client_new(&T), *aud = client_new(&T);
	assert_int_equal(client_login(clk, "clerk1", APITEST_PASSWORD), 200);
	assert_int_equal(client_login(aud, "auditor", APITEST_PASSWORD), 200);
	assert_int_equal(client_do(clk, "GET", "/api/inspections", NULL), 403);
	assert_int_equal(client_do(aud, "GET", "/api/backups", NULL), 403);
	assert_int_equal(client_do(clk, "POST", "/api/inspections/run", "{}"), 403);
	/* the system administrator reads but does not run */
	assert_int_equal(client_do(SYS, "GET", "/api/inspections", NULL), 200);
	assert_int_equal(client_do(SYS, "GET", "/api/backups", NULL), 200);
	assert_int_equal(client_do(SYS, "POST", "/api/inspections/run", "{}"), 403);
	assert_int_equal(client_do(SYS, "POST", "/api/backups", "{}"), 403);
	struct client *anon = client_new(&T);
	assert_int_equal(client_do(anon, "GET", "/api/inspections", NULL), 401);
	assert_int_equal(client_do(anon, "GET", "/api/dict", NULL), 401);
	client_free(anon);
	/* names come from the server's dictionary, for any signed-in account */
	json_t *d;
	assert_int_equal(client_req(clk, "GET", "/api/dict", NULL, NULL, &d), 200);
	json_t *st = json_object_get(d, "ops.status");
	assert_int_equal(json_array_size(st), 4);
	assert_string_equal(json_string_value(json_object_get(json_array_get(st, 2), "code")), "CRIT");
	assert_string_equal(json_string_value(json_object_get(json_array_get(st, 2), "label")), "严重");
	json_decref(d);
	client_free(clk);
	client_free(aud);
}


/* 运维档案: ops, leaders and the system administrator read it; the start of
** this server is in it; the filter is checked; the export is a workbook. */
static void test_archive(void **state)
{
	struct client *clk = client_new(&T);
	json_t *r;
	assert_int_equal(client_login(clk, "clerk1", APITEST_PASSWORD), 200);
	assert_int_equal(client_do(clk, "GET", "/api/archive", NULL), 403);
	assert_int_equal(client_req(OPS, "GET", "/api/archive?kind=software", NULL, NULL, &r), 200);
	assert_true(json_integer_value(json_object_get(r, "total")) >= 1);
	json_t *first = json_array_get(json_object_get(r, "items"), 0);
	assert_string_equal(str(first, "kind"), "software");
	assert_string_equal(str(first, "actor"), "system:serve");
	json_decref(r);
	assert_int_equal(client_do(SYS, "GET", "/api/archive", NULL), 200);
	assert_int_equal(client_req(OPS, "GET", "/api/archive?kind=nope", NULL, NULL, &r), 400);
	assert_string_equal(str(json_object_get(r, "error"), "field"), "kind");
	json_decref(r);
	assert_int_equal(client_do(OPS, "GET", "/api/archive?from=2020-01-01&to=2026-01-01", NULL), 400);
	assert_int_equal(client_do(OPS, "GET", "/api/archive/export", NULL), 200);
	assert_memory_equal(client_body(OPS), "PK", 2);
	assert_int_equal(client_req(clk, "GET", "/api/dict", NULL, NULL, &r), 200);
	assert_int_equal(json_array_size(json_object_get(r, "archive.kind")), 10);
	json_decref(r);
	client_free(clk);
}

static void test_run_now(void **state)
{
	json_t *j;
	assert_int_equal(client_req(OPS, "POST", "/api/inspections/run",
				    "{\"only\":\"net,db.quick_check\",\"wait\":true}", NULL, &j), 200);
	assert_string_equal(str(j, "state"), "done");
	assert_string_equal(str(j, "status"), "CRIT");
	json_t *closed = find_item(json_object_get(j, "items"), "net.closed");
	assert_non_null(closed);
	assert_string_equal(str(closed, "status"), "CRIT");
	assert_non_null(strstr(str(closed, "message"), "不可达"));
	assert_string_equal(str(find_item(json_object_get(j, "items"), "db.quick_check"), "status"), "OK");
	assert_null(find_item(json_object_get(j, "items"), "exchange.db"));   /* now exchange.target, its own group */
	json_decref(j);
	/* without waiting: 202 and the run to look at */
	assert_int_equal(client_req(OPS, "POST", "/api/inspections/run", "{\"only\":\"app\"}", NULL, &j), 202);
	json_int_t id = json_integer_value(json_object_get(j, "run_id"));
	assert_true(id > 0);
	json_decref(j);
	char path[64];
	snprintf(path, sizeof path, "/api/inspections/runs/%lld", (long long)id);
	int done = 0;
	for (int i = 0; i < 100 && !done; i++) {
		assert_int_equal(client_req(OPS, "GET", path, NULL, NULL, &j), 200);
		done = strcmp(str(j, "state"), "done") == 0;
		if (done)
			assert_string_equal(str(find_item(json_object_get(j, "items"), "app.health"), "status"), "OK");
		json_decref(j);
		if (!done)
			usleep(100 * 1000);
	}
	assert_true(done);
	/* bad requests */
	assert_int_equal(client_req(OPS, "POST", "/api/inspections/run", "{\"only\":\"nothing.here\"}", NULL, &j), 400);
	assert_string_equal(str(json_object_get(j, "error"), "field"), "only");
	json_decref(j);
	assert_int_equal(client_do(OPS, "POST", "/api/inspections/run", "{\"when\":1}"), 400);
	assert_int_equal(client_do(OPS, "GET", "/api/inspections/runs/999999", NULL), 404);
}

static void test_status_and_metrics(void **state)
{
	json_t *j;
	assert_int_equal(client_req(OPS, "GET", "/api/inspections", NULL, NULL, &j), 200);
	assert_string_equal(str(j, "status"), "CRIT");
	json_t *closed = find_item(json_object_get(j, "items"), "net.closed");
	assert_string_equal(str(closed, "status"), "CRIT");
	assert_string_equal(str(closed, "title"), "接口响应时间 closed");
	assert_non_null(find_item(json_object_get(j, "changes"), "net.closed"));
	assert_true(json_array_size(json_object_get(j, "catalog")) >= 20);
	json_decref(j);
	assert_int_equal(client_req(OPS, "GET", "/api/inspections/changes?item=net.closed", NULL, NULL, &j), 200);
	assert_true(json_integer_value(json_object_get(j, "total")) >= 1);
	assert_string_equal(str(json_array_get(json_object_get(j, "items"), 0), "to_status"), "CRIT");
	json_decref(j);
	assert_int_equal(client_req(OPS, "GET", "/api/inspections/results?item=net.closed&page_size=5", NULL, NULL, &j), 200);
	assert_true(json_integer_value(json_object_get(j, "total")) >= 1);
	json_decref(j);
	/* /metrics: the per-item gauge, and the whole text passes promtool */
	assert_int_equal(client_do(OPS, "GET", "/metrics", NULL), 200);
	const char *m = client_body(OPS);
	assert_non_null(strstr(m, "gonggai_inspection_status{item=\"net.closed\"} 2\n"));
	assert_non_null(strstr(m, "gonggai_scheduler_last_tick_timestamp_seconds "));
	char path[320], cmd[400];
	snprintf(path, sizeof path, "%s/metrics.txt", T.dir);
	FILE *f = fopen(path, "w");
	fputs(m, f);
	fclose(f);
	snprintf(cmd, sizeof cmd, "promtool check metrics < '%s' >/dev/null 2>&1", path);
	assert_int_equal(system(cmd), 0);
}

/* Wait until a run of job finished; returns its object (caller decrefs). */
static json_t *wait_job(const char *job, int seconds)
{
	char path[80];
	snprintf(path, sizeof path, "/api/ops/runs?job=%s", job);
	for (int i = 0; i < seconds * 10; i++) {
		json_t *j, *r;
		assert_int_equal(client_req(OPS, "GET", path, NULL, NULL, &j), 200);
		r = json_array_get(json_object_get(j, "items"), 0);
		if (r && strcmp(str(r, "state"), "running") != 0) {
			json_incref(r);
			json_decref(j);
			return r;
		}
		json_decref(j);
		usleep(100 * 1000);
	}
	return NULL;
}

static void test_scheduler_catches_up(void **state)
{
	static const char *const jobs[] = {"inspect.host", "inspect.app", "backup", "inspect.db", "cleanup",
					   "inspect.logs", "drill"};
	for (int i = 0; i < 7; i++) {
		json_t *r = wait_job(jobs[i], 60);
		if (!r)
			fail_msg("no finished run of %s", jobs[i]);
		assert_string_equal(str(r, "trigger"), "scheduler");
		if (strcmp(jobs[i], "backup") == 0 || strcmp(jobs[i], "drill") == 0)
			assert_string_equal(str(r, "status"), "OK");
		json_decref(r);
	}
}

static void test_jobs(void **state)
{
	json_t *j;
	assert_int_equal(client_req(OPS, "POST", "/api/backups", "{\"wait\":true}", NULL, &j), 200);
	assert_string_equal(str(j, "state"), "done");
	assert_string_equal(str(j, "trigger"), "api:ops1");
	assert_int_equal(strlen(str(json_object_get(j, "details"), "sha256")), 64);
	json_decref(j);
	assert_int_equal(client_req(OPS, "GET", "/api/backups", NULL, NULL, &j), 200);
	assert_true(json_integer_value(json_object_get(j, "total")) >= 1);
	assert_string_equal(str(json_array_get(json_object_get(j, "items"), 0), "integrity"), "ok");
	json_decref(j);
	assert_int_equal(client_req(OPS, "POST", "/api/backups/drill", "{\"wait\":true}", NULL, &j), 200);
	assert_string_equal(str(j, "status"), "OK");
	assert_true(json_is_true(json_object_get(json_object_get(j, "details"), "ok")));
	json_decref(j);
	assert_int_equal(client_req(OPS, "POST", "/api/cleanup", "{\"dry_run\":true,\"wait\":true}", NULL, &j), 200);
	assert_string_equal(str(j, "state"), "done");
	assert_true(json_is_true(json_object_get(json_object_get(j, "details"), "dry_run")));
	json_decref(j);
	assert_int_equal(client_do(OPS, "POST", "/api/cleanup", "{\"dry_run\":\"yes\"}"), 400);
}

static void test_reports(void **state)
{
	char today[16], path[96];
	time_t now = time(NULL) + 8 * 3600;
	strftime(today, sizeof today, "%Y-%m-%d", gmtime(&now));
	snprintf(path, sizeof path, "/api/reports/inspection?day=%s&format=html", today);
	assert_int_equal(client_do(SYS, "GET", path, NULL), 200);
	assert_non_null(strstr(client_body(SYS), "巡检记录表"));
	assert_non_null(strstr(client_body(SYS), "net.closed"));
	snprintf(path, sizeof path, "/api/reports/inspection?month=%.7s&format=xlsx", today);
	assert_int_equal(client_do(OPS, "GET", path, NULL), 200);
	assert_memory_equal(client_body(OPS), "PK", 2);
	assert_int_equal(client_do(OPS, "GET", "/api/reports/inspection?day=2026-02-30", NULL), 400);
	assert_int_equal(client_do(OPS, "GET", "/api/reports/inspection?day=2026-02-03&format=pdf", NULL), 400);
}

static void test_restore_refused_and_audit(void **state)
{
	json_t *j;
	char args[700], err[600] = "", errpath[320];
	assert_int_equal(client_req(OPS, "GET", "/api/backups", NULL, NULL, &j), 200);
	snprintf(args, sizeof args, "restore '%s'", str(json_array_get(json_object_get(j, "items"), 0), "path"));
	json_decref(j);
	assert_int_equal(apitest_cli(&T, args, NULL, 0), 1);
	snprintf(errpath, sizeof errpath, "%s/cli.err", T.dir);
	FILE *f = fopen(errpath, "r");
	assert_non_null(f);
	size_t n = fread(err, 1, sizeof err - 1, f);
	err[n] = 0;
	fclose(f);
	assert_non_null(strstr(err, "pid"));
	/* the server still answers from its database */
	assert_int_equal(client_do(OPS, "GET", "/api/inspections", NULL), 200);
	struct client *aud = client_new(&T);
	assert_int_equal(client_login(aud, "auditor", APITEST_PASSWORD), 200);
	static const char *const actions[] = {"ops.inspect", "ops.backup", "ops.drill", "ops.cleanup", "ops.report"};
	for (int i = 0; i < 5; i++) {
		char path[80];
		snprintf(path, sizeof path, "/api/audit?action=%s", actions[i]);
		assert_int_equal(client_req(aud, "GET", path, NULL, NULL, &j), 200);
		if (json_integer_value(json_object_get(j, "total")) < 1)
			fail_msg("no audit row %s", actions[i]);
		json_decref(j);
	}
	client_free(aud);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roles),
		cmocka_unit_test(test_archive),
		cmocka_unit_test(test_run_now),
		cmocka_unit_test(test_status_and_metrics),
		cmocka_unit_test(test_scheduler_catches_up),
		cmocka_unit_test(test_jobs),
		cmocka_unit_test(test_reports),
		cmocka_unit_test(test_restore_refused_and_audit),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
