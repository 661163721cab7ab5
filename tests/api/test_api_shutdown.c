/*
** test_api_shutdown.c: waits that end early and shutdown (issue 12, items
** 11 and 12). Another process (the sqlite3 shell) holds the database's
** write lock, so a 办件 action waits in the case writer's queue with its
** connection suspended and other writes queue on the writer gate:
**  - writes behind a held lock get 503 with Retry-After instead of holding
**    every worker;
**  - a client that hangs up while its action waits, then SIGTERM while
**    another client still waits: the waiting client gets its answer, the
**    server exits 0 (no leaked request, no calendar reference left, no
**    abort in MHD_stop_daemon), and both actions are in the database.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "apitest.h"
#include "base/clock.h"

static struct apitest T;

static int setup(void **state)
{
	if (apitest_start(&T, NULL) != 0)
		return -1;
	if (apitest_user(&T, "win1", "clerk", "610200-XSP") || apitest_user(&T, "zr_c", "clerk", "610200-ZRZY"))
		return -1;
	return 0;
}

static int teardown(void **state)
{
	apitest_stop(&T);
	return 0;
}

/* ---- raw requests ------------------------------------------------------------ */

static int dial(void)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(strrchr(T.base, ':') + 1))};
	struct timeval tv = {.tv_sec = 60};
	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	return fd;
}

/* Send a JSON request on a new connection; the socket back, unread. */
static int send_json(const char *method, const char *path, const char *cookie, const char *extra, const char *body)
{
	char req[2048];
	int n = snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n"
			 "Content-Type: application/json\r\nContent-Length: %zu\r\n%s%s%s%s\r\n%s",
			 method, path, strlen(body), cookie ? "Cookie: " : "", cookie ? cookie : "",
			 cookie ? "\r\n" : "", extra ? extra : "", body);
	int fd = dial();
	assert_int_equal(send(fd, req, (size_t)n, MSG_NOSIGNAL), n);
	return fd;
}

/* Read the whole answer and close; its status. */
static int answer(int fd, char *out, size_t cap)
{
	size_t n = 0;
	ssize_t k;
	while (n + 1 < cap && (k = recv(fd, out + n, cap - 1 - n, 0)) > 0)
		n += k;
	out[n] = 0;
	close(fd);
	int st = 0;
	return sscanf(out, "HTTP/1.%*d %d", &st) == 1 ? st : 0;
}

static char R[1 << 16];

/* "gg_session=..." of user. */
static void login(const char *user, char *cookie, size_t cap)
{
	char body[256];
	snprintf(body, sizeof body, "{\"username\":\"%s\",\"password\":\"%s\"}", user, APITEST_PASSWORD);
	assert_int_equal(answer(send_json("POST", "/api/session", NULL, NULL, body), R, sizeof R), 200);
	const char *c = strstr(R, "gg_session=");
	assert_non_null(c);
	snprintf(cookie, cap, "%.*s", (int)strcspn(c, ";\r\n"), c);
}

static const char *body_of(const char *resp)
{
	const char *b = strstr(resp, "\r\n\r\n");
	return b ? b + 4 : "";
}

/* The other process holding the write lock. */
static FILE *hold_lock(void)
{
	char cmd[400];
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' >/dev/null", T.db);
	FILE *f = popen(cmd, "w");
	assert_non_null(f);
	fputs("BEGIN IMMEDIATE;\n", f);
	fflush(f);
	sleep(1);   /* the shell has read the line: the lock is held */
	return f;
}

static void release_lock(FILE *f)
{
	fputs("COMMIT;\n.quit\n", f);
	pclose(f);
}

/* A new project at 自然资源局 with one case, received 2025-09-26; its id. */
static int64_t new_case(const char *clerk_cookie, int n)
{
	char project[1024], now[64], path[96];
	snprintf(project, sizeof project,
		 "{\"code\":\"2025-610202-47-01-00020%d\",\"name\":\"王益区川口社区便民服务中心\",\"flow_type\":4,"
		 "\"division\":\"610202\",\"address\":\"王益区红旗街\",\"investment_wan\":2600,\"land_area_m2\":3000,"
		 "\"floor_area_m2\":4200,\"planned_start\":\"2025-10-01\",\"planned_finish\":\"2026-12-31\","
		 "\"units\":[{\"kind\":\"builder\",\"name\":\"厦门测试建设有限公司\",\"credit_code\":\"91350200575030446H\","
		 "\"contact\":\"李四\",\"phone\":\"13800138000\"}]}", n);
	snprintf(now, sizeof now, "X-GG-Now: %lld\r\n", (long long)clock_cn_midnight("2025-09-26") + 10 * 3600);
	if (answer(send_json("POST", "/api/projects", clerk_cookie, now, project), R, sizeof R) != 201)
		fail_msg("project: %s", R);
	json_t *j = json_loads(body_of(R), 0, NULL);
	snprintf(path, sizeof path, "/api/projects/%lld/applications",
		 (long long)json_integer_value(json_object_get(j, "id")));
	json_decref(j);
	if (answer(send_json("POST", path, clerk_cookie, now, "{\"stage\":1,\"items\":[\"YDGH-001\"]}"), R, sizeof R) != 201)
		fail_msg("apply: %s", R);
	j = json_loads(body_of(R), 0, NULL);
	int64_t id = json_integer_value(json_object_get(json_array_get(json_object_get(j, "cases"), 0), "id"));
	json_decref(j);
	return id;
}

/* ---- issue 14: the web application from the binary ------------------------------- */

/* The server runs without --web: pages and the ECharts module come from the
** copy compiled in (ETag: a content hash, not size-mtime), nothing else of
** the binary's embedded files is served. */
static void test_embedded_web(void **state)
{
	assert_int_equal(answer(send_json("GET", "/", NULL, NULL, ""), R, sizeof R), 200);
	assert_non_null(strstr(R, "<!DOCTYPE html>"));
	static char big[1 << 21];
	assert_int_equal(answer(send_json("GET", "/vendor/echarts/dist/echarts.esm.min.js", NULL, NULL, ""), big,
				sizeof big), 200);
	assert_true(strlen(body_of(big)) > 100000);
	assert_int_equal(answer(send_json("GET", "/app.js", NULL, NULL, ""), R, sizeof R), 200);
	const char *etag = strstr(R, "\r\nETag: \"");
	assert_non_null(etag);
	char line[64];
	snprintf(line, sizeof line, "If-None-Match: %.*s\r\n", (int)strcspn(etag + 8, "\r"), etag + 8);
	assert_null(strchr(line + strlen("If-None-Match: "), '-'));   /* a hash, not size-mtime */
	assert_int_equal(answer(send_json("GET", "/app.js", NULL, line, ""), R, sizeof R), 304);
	assert_int_equal(answer(send_json("GET", "/data/catalog/tongchuan.json", NULL, NULL, ""), R, sizeof R), 404);
	assert_int_equal(answer(send_json("GET", "/web/index.html", NULL, NULL, ""), R, sizeof R), 404);
	assert_int_equal(answer(send_json("GET", "/vendor/echarts/package.json", NULL, NULL, ""), R, sizeof R), 404);
}

/* ---- item 12: writes behind a held lock ----------------------------------------- */

static void test_writes_behind_a_lock(void **state)
{
	char cookie[128];
	login("sysadmin", cookie, sizeof cookie);
	FILE *lock = hold_lock();
	int a = send_json("PATCH", "/api/departments/610200-XSP", cookie, NULL, "{\"active\":true}");
	int b = send_json("PATCH", "/api/departments/610200-ZRZY", cookie, NULL, "{\"active\":true}");
	assert_int_equal(answer(b, R, sizeof R), 503);
	assert_non_null(strstr(R, "\r\nRetry-After: "));
	assert_int_equal(answer(a, R, sizeof R), 503);
	assert_non_null(strstr(R, "\"unavailable\""));
	release_lock(lock);
	assert_int_equal(answer(send_json("PATCH", "/api/departments/610200-XSP", cookie, NULL, "{\"active\":true}"),
				R, sizeof R), 200);
}

/* ---- item 11: a client that hangs up, then SIGTERM ------------------------------ */

/* While the lock is held: a pool write holds the writer gate, one client
** sends an action and hangs up, another sends one and waits; SIGTERM comes
** while both actions wait and the lock is held longer than the server's
** old 10 s grace. The waiting client gets an answer, the server exits 0,
** and what was acknowledged is in the database. */
static void test_abandoned_wait_and_shutdown(void **state)
{
	char clerk[128], zr[128], admin[128], path[96], now[64];
	int64_t id[2];
	login("win1", clerk, sizeof clerk);
	login("zr_c", zr, sizeof zr);
	login("sysadmin", admin, sizeof admin);
	id[0] = new_case(clerk, 1);
	id[1] = new_case(clerk, 2);
	snprintf(now, sizeof now, "X-GG-Now: %lld\r\n", (long long)clock_cn_midnight("2025-09-26") + 11 * 3600);

	FILE *lock = hold_lock();
	int gate = send_json("PATCH", "/api/departments/610200-XSP", admin, NULL, "{\"active\":true}");
	sleep(1);
	snprintf(path, sizeof path, "/api/cases/%lld/actions", (long long)id[0]);
	int gone = send_json("POST", path, zr, now, "{\"action\":\"accept\"}");
	snprintf(path, sizeof path, "/api/cases/%lld/actions", (long long)id[1]);
	int waiting = send_json("POST", path, zr, now, "{\"action\":\"accept\"}");
	struct linger reset = {.l_onoff = 1, .l_linger = 0};
	sleep(1);
	setsockopt(gone, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);   /* hang up hard (RST) */
	close(gone);
	kill(T.pid, SIGTERM);
	sleep(12);
	release_lock(lock);
	int acked = answer(waiting, R, sizeof R);
	assert_true(acked == 200 || acked == 503);
	answer(gate, R, sizeof R);
	int status = 0;
	waitpid(T.pid, &status, 0);
	T.pid = 0;
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	/* an acknowledged action is in the database, a refused one is not */
	char out[1 << 15], args[128];
	snprintf(args, sizeof args, "case show --case %lld", (long long)id[1]);
	assert_int_equal(apitest_cli(&T, args, out, sizeof out), 0);
	json_t *j = json_loads(out, 0, NULL);
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "status"), "code")),
			 acked == 200 ? 3 : 1);   /* 受理 : 已接件 */
	json_decref(j);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_embedded_web),
		cmocka_unit_test(test_writes_behind_a_lock),
		cmocka_unit_test(test_abandoned_wait_and_shutdown),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
