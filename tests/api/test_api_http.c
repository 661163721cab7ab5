/*
** test_api_http.c: the HTTP layer against hostile input (issue 12): request
** targets curl cannot send, bytes that are not UTF-8, a test clock near
** INT64_MAX, symbolic links and node_modules under the web root, the
** security headers, connections per address and slow clients, refused
** encodings, thousands of query parameters, and a health check that writes.
** Raw requests go over plain sockets; the server runs on its own web root
** (a temporary directory) with small limits.
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
#include <sys/stat.h>
#include <sys/time.h>
#include <poll.h>
#include <unistd.h>

#include "apitest.h"

static struct apitest T;
static char ROOT[256];      /* ROOT/web and ROOT/node_modules */
static char OUTSIDE[300];   /* a file outside the web root    */

static void put(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int make_root(void)
{
	char p[512];
	snprintf(ROOT, sizeof ROOT, "/tmp/gg-httpweb-XXXXXX");
	if (!mkdtemp(ROOT))
		return -1;
	snprintf(p, sizeof p, "mkdir -p '%s/web/css' '%s/node_modules/echarts/dist'", ROOT, ROOT);
	if (system(p) != 0)
		return -1;
	snprintf(p, sizeof p, "%s/web/index.html", ROOT);
	put(p, "<!DOCTYPE html><title>index</title>\n");
	snprintf(p, sizeof p, "%s/web/app.js", ROOT);
	put(p, "export const app = 1;\n");
	snprintf(p, sizeof p, "%s/node_modules/echarts/dist/echarts.esm.min.js", ROOT);
	put(p, "export const echarts = 1;\n");
	snprintf(p, sizeof p, "%s/node_modules/echarts/package.json", ROOT);
	put(p, "{\"name\":\"echarts\"}\n");
	snprintf(OUTSIDE, sizeof OUTSIDE, "%s/secret.js", ROOT);
	put(OUTSIDE, "TOP-SECRET-CONTENT\n");
	/* links out of web/: a file and a directory */
	snprintf(p, sizeof p, "%s/web/leak.js", ROOT);
	if (symlink(OUTSIDE, p) != 0)
		return -1;
	snprintf(p, sizeof p, "%s/web/up", ROOT);
	return symlink(ROOT, p);
}

static int setup(void **state)
{
	char ini[1024];
	if (make_root())
		return -1;
	snprintf(ini, sizeof ini, "[server]\nweb_root = %s/web\nper_ip_connections = 8\ntimeout_seconds = 3\n"
		 "connection_memory_kib = 256\n", ROOT);
	return apitest_start(&T, ini);
}

static int teardown(void **state)
{
	char cmd[300];
	int rc = apitest_stop(&T);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", ROOT);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", ROOT);
	return rc;
}

/* ---- raw requests ------------------------------------------------------------ */

static int port(void)
{
	return atoi(strrchr(T.base, ':') + 1);
}

/* A connection to the server from the loopback address src. */
static int dial(const char *src)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET};
	struct timeval tv = {.tv_sec = 30};
	assert_true(fd >= 0);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	inet_pton(AF_INET, src, &a.sin_addr);
	assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof a), 0);
	a.sin_port = htons((uint16_t)port());
	inet_pton(AF_INET, "127.0.0.1", &a.sin_addr);
	assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
	return fd;
}

static void send_all(int fd, const char *text, size_t n)
{
	while (n > 0) {
		ssize_t k = send(fd, text, n, MSG_NOSIGNAL);
		if (k <= 0)
			return;   /* the server may close early: what it answered counts */
		text += k;
		n -= k;
	}
}

/* Everything the server sends until it closes (or 30 s of silence). */
static size_t read_all(int fd, char *out, size_t cap)
{
	size_t n = 0;
	ssize_t k;
	while (n + 1 < cap && (k = recv(fd, out + n, cap - 1 - n, 0)) > 0)
		n += k;
	out[n] = 0;
	return n;
}

static int status_of(const char *resp)
{
	int st = 0;
	return sscanf(resp, "HTTP/1.%*d %d", &st) == 1 ? st : 0;
}

/* Send head (request line and headers, CRLF separated, without the blank
** line), "Connection: close" added; the response in out, its status back. */
static int raw(const char *head, char *out, size_t cap)
{
	size_t n = strlen(head) + 64;
	char *req = malloc(n);
	snprintf(req, n, "%s\r\nHost: t\r\nConnection: close\r\n\r\n", head);
	int fd = dial("127.0.0.1");
	send_all(fd, req, strlen(req));
	read_all(fd, out, cap);
	close(fd);
	free(req);
	return status_of(out);
}

static const char *body_of(const char *resp)
{
	const char *b = strstr(resp, "\r\n\r\n");
	return b ? b + 4 : "";
}

/* The JSON error code of a raw response. */
static void assert_error(const char *resp, const char *code)
{
	json_t *j = json_loads(body_of(resp), 0, NULL);
	const char *c = json_string_value(json_object_get(json_object_get(j, "error"), "code"));
	if (!c || strcmp(c, code) != 0)
		fail_msg("expected error %s in: %s", code, resp);
	json_decref(j);
}

static char R[1 << 16];

static void assert_alive(void)
{
	assert_int_equal(raw("GET /api/health HTTP/1.1", R, sizeof R), 200);
}

/* ---- item 1: request targets ------------------------------------------------- */

static void test_targets_without_slash(void **state)
{
	static const char *const heads[] = {
		"GET * HTTP/1.1", "GET ?a=b HTTP/1.1", "GET abc.js HTTP/1.1", "OPTIONS * HTTP/1.1",
		"POST * HTTP/1.1\r\nContent-Type: application/json\r\nContent-Length: 2", "GET api/health HTTP/1.1",
	};
	for (size_t i = 0; i < sizeof heads / sizeof heads[0]; i++) {
		if (raw(heads[i], R, sizeof R) != 400)
			fail_msg("%s: %s", heads[i], R);
		assert_error(R, "invalid");
		assert_alive();
	}
	assert_int_equal(raw("HEAD * HTTP/1.1", R, sizeof R), 400);
	assert_alive();
}

/* %ff in a path or a query: an answer with a JSON body, never an empty one. */
static void test_bytes_not_utf8(void **state)
{
	struct client *c = client_new(&T);
	json_t *j = NULL;
	assert_int_equal(client_login(c, "sysadmin", APITEST_PASSWORD), 200);
	assert_int_equal(client_req(c, "GET", "/api/users/%ff", NULL, NULL, &j), 404);
	assert_non_null(j);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "code")), "not_found");
	json_decref(j);
	assert_int_equal(client_req(c, "GET", "/api/audit?user=%ff%fe", NULL, NULL, &j), 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")), "user");
	json_decref(j);
	assert_int_equal(client_req(c, "GET", "/api/audit?user=a%01b", NULL, NULL, &j), 400);
	json_decref(j);
	client_free(c);
	assert_int_equal(raw("GET /api/no%ffsuch HTTP/1.1", R, sizeof R), 404);
	assert_error(R, "not_found");
	assert_alive();
}

/* The test build's clock header near INT64_MAX: 400, no overflow. */
static void test_test_clock_bounds(void **state)
{
	static const char *const bad[] = {"9223372036854775807", "9223372036854775000", "-1", "12x", "99999999999999999999"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char head[160];
		snprintf(head, sizeof head, "GET /api/me/todo HTTP/1.1\r\nX-GG-Now: %s", bad[i]);
		if (raw(head, R, sizeof R) != 400)
			fail_msg("X-GG-Now %s: %s", bad[i], R);
		assert_non_null(strstr(R, "X-GG-Now"));
	}
	assert_alive();
}

/* ---- item 13: static files, headers ---------------------------------------- */

static void test_static_files(void **state)
{
	static const char *const refused[] = {
		"/leak.js", "/up/secret.js", "/vendor/echarts/package.json", "/vendor/../secret.js",
		"/%2e%2e/secret.js", "/..%2fsecret.js", "/.hidden.js", "/vendor/echarts/dist/../package.json",
		"/up/node_modules/echarts/package.json",
	};
	char head[300];
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		snprintf(head, sizeof head, "GET %s HTTP/1.1", refused[i]);
		if (raw(head, R, sizeof R) != 404)
			fail_msg("%s served: %s", refused[i], R);
		assert_null(strstr(R, "TOP-SECRET-CONTENT"));
		assert_error(R, "not_found");
	}
	assert_int_equal(raw("GET /vendor/echarts/dist/echarts.esm.min.js HTTP/1.1", R, sizeof R), 200);
	assert_non_null(strstr(R, "export const echarts"));
	assert_int_equal(raw("GET /app.js HTTP/1.1", R, sizeof R), 200);
	assert_int_equal(raw("GET /cases/12 HTTP/1.1", R, sizeof R), 200);   /* the single-page app routes itself */
	assert_non_null(strstr(R, "<title>index</title>"));
}

static void assert_security_headers(const char *resp)
{
	if (!strstr(resp, "\r\nContent-Security-Policy: default-src 'self'") ||
	    !strstr(resp, "\r\nX-Frame-Options: DENY\r\n") || !strstr(resp, "\r\nX-Content-Type-Options: nosniff\r\n"))
		fail_msg("security headers missing: %s", resp);
}

static void test_security_headers(void **state)
{
	assert_int_equal(raw("GET / HTTP/1.1", R, sizeof R), 200);
	assert_security_headers(R);
	assert_int_equal(raw("GET /api/health HTTP/1.1", R, sizeof R), 200);
	assert_security_headers(R);
	assert_int_equal(raw("GET /api/users HTTP/1.1", R, sizeof R), 401);
	assert_security_headers(R);
	assert_int_equal(raw("GET * HTTP/1.1", R, sizeof R), 400);
	assert_security_headers(R);
}

/* ---- item 7: slow clients, refused encodings, parameters ---------------------- */

static void test_encodings_and_parameters(void **state)
{
	/* a body that cannot be delimited: refused at once, not held open */
	assert_int_equal(raw("POST /api/session HTTP/1.1\r\nContent-Type: application/json\r\n"
			     "Transfer-Encoding: gzip", R, sizeof R), 400);
	assert_non_null(strstr(R, "Transfer-Encoding"));
	/* 3,000 query parameters: 400 at once (they fit in 256 KiB of connection memory) */
	size_t cap = 3000 * 12 + 64;
	char *head = malloc(cap);
	size_t n = (size_t)snprintf(head, cap, "GET /api/health?");
	for (int i = 0; i < 3000; i++)
		n += (size_t)snprintf(head + n, cap - n, "%sa%d=b", i ? "&" : "", i);
	snprintf(head + n, cap - n, " HTTP/1.1");
	assert_int_equal(raw(head, R, sizeof R), 400);
	assert_error(R, "invalid");
	free(head);
	assert_alive();
}

/* Eight connections from one address trickle their headers: a ninth from
** that address is turned away, another address is served at once, and the
** silent ones are closed after timeout_seconds. */
static void test_slow_clients(void **state)
{
	int slow[8];
	for (int i = 0; i < 8; i++) {
		slow[i] = dial("127.0.0.1");
		send_all(slow[i], "GET /api/health HTTP/1.1\r\nHost: t\r\n", 35);
	}
	int extra = dial("127.0.0.1");
	send_all(extra, "GET /api/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 56);
	read_all(extra, R, sizeof R);
	if (status_of(R) != 0) {
		/* the server's two threads accept in parallel, so the one it
		** counted ninth may be a slow one: that one is hung up at once */
		int turned_away = -1;
		for (int i = 0; i < 8 && turned_away < 0; i++) {
			struct pollfd p = {.fd = slow[i], .events = POLLIN};
			char c;
			if (poll(&p, 1, 200) == 1 && recv(slow[i], &c, 1, 0) <= 0)
				turned_away = i;
		}
		assert_true(turned_away >= 0);
	}
	close(extra);

	int other = dial("127.0.0.2");
	send_all(other, "GET /api/health HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", 56);
	read_all(other, R, sizeof R);
	assert_int_equal(status_of(R), 200);
	close(other);

	for (int i = 0; i < 8; i++) {   /* the server hangs up on each */
		char buf[64];
		assert_true(recv(slow[i], buf, sizeof buf, 0) <= 0);
		close(slow[i]);
	}
	assert_alive();
}

/* ---- item 12: health writes -------------------------------------------------- */

static void test_health_when_locked(void **state)
{
	char cmd[400];
	snprintf(cmd, sizeof cmd, "sqlite3 '%s' >/dev/null", T.db);
	FILE *lock = popen(cmd, "w");
	assert_non_null(lock);
	fputs("BEGIN IMMEDIATE;\nSELECT 1;\n", lock);
	fflush(lock);
	/* the holder has the lock once it has answered; ask until health sees it */
	int st = 0;
	for (int i = 0; i < 30 && st != 503; i++) {
		st = raw("GET /api/health HTTP/1.1", R, sizeof R);
		if (st != 503)
			sleep(1);
	}
	assert_int_equal(st, 503);
	assert_non_null(strstr(R, "\"degraded\""));
	assert_non_null(strstr(R, "\r\nRetry-After: "));
	fputs("COMMIT;\n.quit\n", lock);
	pclose(lock);
	for (int i = 0; i < 30 && st != 200; i++) {
		sleep(1);
		st = raw("GET /api/health HTTP/1.1", R, sizeof R);
	}
	assert_int_equal(st, 200);
	assert_non_null(strstr(R, "\"ok\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_targets_without_slash),
		cmocka_unit_test(test_bytes_not_utf8),
		cmocka_unit_test(test_test_clock_bounds),
		cmocka_unit_test(test_static_files),
		cmocka_unit_test(test_security_headers),
		cmocka_unit_test(test_encodings_and_parameters),
		cmocka_unit_test(test_slow_clients),
		cmocka_unit_test(test_health_when_locked),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
