/*
** test_metrics.c: the latency summary the app.p99 inspection grades leaves
** out the routes that hash passwords (slow by design), and counts them in
** the request totals.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "http/metrics.h"
#include "http/router.h"

static int route_of(const char *method, const char *pattern)
{
	for (int i = 0; i < router_count(); i++)
		if (strcmp(router_method(i), method) == 0 && strcmp(router_pattern(i), pattern) == 0)
			return i;
	fail_msg("no route %s %s", method, pattern);
	return -1;
}

static void test_p99_without_password_hashing(void **state)
{
	struct metrics *m = metrics_new(router_count());
	struct metrics_summary s;
	int login = route_of("POST", "/api/session"), cases = route_of("GET", "/api/cases");
	assert_true(metrics_route_hashes("POST", "/api/session"));
	assert_true(metrics_route_hashes("POST", "/api/me/password"));
	assert_false(metrics_route_hashes("GET", "/api/cases"));
	for (int i = 0; i < 50; i++) {
		metrics_observe(m, login, 200, 1.5);
		metrics_observe(m, cases, 200, 0.0008);
	}
	metrics_summary(m, &s);
	assert_int_equal(s.requests, 100);
	assert_true(s.p99_seconds <= 0.001);
	metrics_observe(m, cases, 500, 0.3);
	metrics_summary(m, &s);
	assert_int_equal(s.errors_5xx, 1);
	assert_true(s.p99_seconds >= 0.25 && s.p99_seconds <= 0.5);
	metrics_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_p99_without_password_hashing),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
