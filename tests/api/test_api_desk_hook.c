/*
** test_api_desk_hook.c: the desk wired into a running server: an
** inspection run through the API that finds an endpoint down (a closed
** loopback port) opens one ticket for its item however often it repeats,
** and the desk worker of `serve` delivers the ticket's event to the
** configured webhook — a small HTTP listener on 127.0.0.1 in this test. A
** backup that cannot be written opens a job ticket; the next backup that
** succeeds notes its recovery on that ticket, which stays open.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "apitest.h"

static struct apitest T;
static struct client *OPS;

struct listener {
	int fd, port, stop;
	pthread_t thread;
	pthread_mutex_t mu;
	char bodies[32768];     /* every body received, one per line */
};
static struct listener L;
static char Blocked[64];        /* a file where the backups' parent directory should be */

/* Read one request, keep its body, answer 200. */
static void serve_conn(int c)
{
	char buf[16384];
	size_t got = 0;
	for (;;) {
		ssize_t n = read(c, buf + got, sizeof buf - 1 - got);
		if (n <= 0)
			break;
		got += n;
		buf[got] = 0;
		char *end = strstr(buf, "\r\n\r\n"), *cl = strcasestr(buf, "Content-Length:");
		if (end && cl && got - (end + 4 - buf) >= (size_t)atoi(cl + 15))
			break;
	}
	buf[got] = 0;
	char *end = strstr(buf, "\r\n\r\n");
	pthread_mutex_lock(&L.mu);
	size_t used = strlen(L.bodies);
	snprintf(L.bodies + used, sizeof L.bodies - used, "%s\n", end ? end + 4 : "");
	pthread_mutex_unlock(&L.mu);
	dprintf(c, "HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
	close(c);
}

static void *listen_main(void *arg)
{
	while (!__atomic_load_n(&L.stop, __ATOMIC_ACQUIRE)) {
		struct pollfd p = {L.fd, POLLIN, 0};
		if (poll(&p, 1, 200) > 0) {
			int c = accept(L.fd, NULL, NULL);
			if (c >= 0)
				serve_conn(c);
		}
	}
	return NULL;
}

static int port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t len = sizeof a;
	return getsockname(fd, (struct sockaddr *)&a, &len) ? -1 : ntohs(a.sin_port);
}

static int loopback_socket(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	return fd >= 0 && bind(fd, (struct sockaddr *)&a, sizeof a) == 0 ? fd : -1;
}

static int setup(void **state)
{
	char ini[512];
	int closed = loopback_socket();
	L.fd = loopback_socket();
	if (closed < 0 || L.fd < 0 || listen(L.fd, 8))
		return -1;
	int closed_port = port_of(closed);
	close(closed);
	L.port = port_of(L.fd);
	pthread_mutex_init(&L.mu, NULL);
	if (pthread_create(&L.thread, NULL, listen_main, NULL))
		return -1;
	snprintf(Blocked, sizeof Blocked, "/tmp/h-desk-hook-XXXXXX");
	int bf = mkstemp(Blocked);
	if (bf < 0)
		return -1;
	close(bf);
	/* catch-up jobs an hour away: a backup the scheduler catches up would
	** answer the test's own backups 409 (already running) */
	snprintf(ini, sizeof ini, "[desk]\ninterval_s = 1\nwebhook_url = http://127.0.0.1:%d/hook\n"
		 "[ops]\ncatchup_delay_seconds = 3600\nbackup_dir = %s/backups\n[inspect]\nendpoints = "
		 "closed=tcp://127.0.0.1:%d\nprobe_timeout_ms = 2000\n", L.port, Blocked, closed_port);
	if (apitest_start(&T, ini) != 0 || apitest_user(&T, "ops1", "ops", NULL) != 0)
		return -1;
	OPS = client_new(&T);
	return client_login(OPS, "ops1", APITEST_PASSWORD) == 200 ? 0 : -1;
}

static int teardown(void **state)
{
	client_free(OPS);
	apitest_stop(&T);
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", Blocked);
	if (system(cmd) != 0)
		return -1;
	__atomic_store_n(&L.stop, 1, __ATOMIC_RELEASE);
	pthread_join(L.thread, NULL);
	close(L.fd);
	return 0;
}

static int received(const char *needle)
{
	pthread_mutex_lock(&L.mu);
	int found = strstr(L.bodies, needle) != NULL;
	pthread_mutex_unlock(&L.mu);
	return found;
}

static void test_inspection_ticket_and_webhook(void **state)
{
	json_t *r = NULL;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(client_req(OPS, "POST", "/api/inspections/run", "{\"only\":\"net.closed\",\"wait\":true}",
					    NULL, &r), 200);
		json_decref(r);
	}
	assert_int_equal(client_req(OPS, "GET", "/api/desk/tickets?q=net.closed", NULL, NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r, "total")), 1);
	json_t *t = json_array_get(json_object_get(r, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(t, "source_ref")), "net.closed");
	assert_string_equal(json_string_value(json_object_get(t, "source")), "inspection");
	assert_int_equal(json_integer_value(json_object_get(t, "level")), 2);
	json_decref(r);

	/* the desk worker delivers the event; wait for it (bounded), no timing asserted */
	for (int i = 0; i < 600 && !received("\"source_ref\":\"net.closed\""); i++)
		usleep(100 * 1000);
	assert_true(received("\"event\":\"created\""));
	assert_true(received("\"source_ref\":\"net.closed\""));
}

/* A backup that cannot be written (its directory's parent is a file) is a failed
** job: a level-1 ticket for job.backup, one however often it fails. */
static void test_failed_job_ticket(void **state)
{
	json_t *r = NULL;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(client_req(OPS, "POST", "/api/backups", "{\"wait\":true}", NULL, &r), 200);
		assert_string_equal(json_string_value(json_object_get(r, "state")), "failed");
		json_decref(r);
	}
	assert_int_equal(client_req(OPS, "GET", "/api/desk/tickets?q=job.backup", NULL, NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r, "total")), 1);
	json_t *t = json_array_get(json_object_get(r, "items"), 0);
	assert_string_equal(json_string_value(json_object_get(t, "source")), "job");
	assert_int_equal(json_integer_value(json_object_get(t, "level")), 1);
	char path[64];
	snprintf(path, sizeof path, "/api/desk/tickets/%lld", (long long)json_integer_value(json_object_get(t, "id")));
	json_decref(r);
	assert_int_equal(client_req(OPS, "GET", path, NULL, NULL, &r), 200);
	assert_true(json_array_size(json_object_get(r, "events")) >= 2);   /* each failure noted */
	/* level 1: an RCA clock, not started before the resolve */
	assert_true(json_is_null(json_object_get(json_object_get(json_object_get(r, "sla"), "rca"), "started")));
	json_decref(r);
}

/* The parent of the backup directory is a directory again: the next backup
** succeeds and its run is noted once on the job's ticket, which stays open
** for a person to resolve and close. */
static void test_recovered_job_noted(void **state)
{
	json_t *r = NULL;
	char path[64], note[64];
	int64_t run = 0;
	assert_int_equal(unlink(Blocked), 0);
	for (int i = 0; i < 2; i++) {
		assert_int_equal(client_req(OPS, "POST", "/api/backups", "{\"wait\":true}", NULL, &r), 200);
		assert_string_equal(json_string_value(json_object_get(r, "state")), "done");
		if (!run)
			run = json_integer_value(json_object_get(r, "id"));
		json_decref(r);
	}
	assert_int_equal(client_req(OPS, "GET", "/api/desk/tickets?q=job.backup", NULL, NULL, &r), 200);
	assert_int_equal(json_integer_value(json_object_get(r, "total")), 1);
	snprintf(path, sizeof path, "/api/desk/tickets/%lld",
		 (long long)json_integer_value(json_object_get(json_array_get(json_object_get(r, "items"), 0), "id")));
	json_decref(r);
	assert_int_equal(client_req(OPS, "GET", path, NULL, NULL, &r), 200);
	assert_string_equal(json_string_value(json_object_get(r, "status")), "open");
	json_t *ev = json_object_get(r, "events");
	size_t n = json_array_size(ev), recovered = 0;
	for (size_t i = 0; i < n; i++)
		recovered += strcmp(json_string_value(json_object_get(json_array_get(ev, i), "action")), "job_recovered") == 0;
	assert_int_equal(recovered, 1);   /* the second success is no news */
	json_t *last = json_array_get(ev, n - 1);
	assert_string_equal(json_string_value(json_object_get(last, "action")), "job_recovered");
	snprintf(note, sizeof note, "作业已恢复成功, run %lld", (long long)run);
	assert_string_equal(json_string_value(json_object_get(last, "note")), note);
	json_decref(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inspection_ticket_and_webhook),
		cmocka_unit_test(test_failed_job_ticket),
		cmocka_unit_test(test_recovered_job_noted),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
