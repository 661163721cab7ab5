/*
** test_api_calendar.c: the calendar over real HTTP: reading years, loading a
** notice (sysadmin only, validated with the line number, audited), the
** loaded year winning over the built-in one at once in the running server,
** and the same database answering the command line.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apitest.h"

static struct apitest T;

static int setup(void **state)
{
	if (apitest_start(&T, NULL) != 0)
		return -1;
	return apitest_user(&T, "calclerk", "clerk", "610202-XSP");
}

static int teardown(void **state)
{
	apitest_stop(&T);
	return 0;
}

static const char *str(json_t *j, const char *k)
{
	return json_string_value(json_object_get(j, k));
}

static json_int_t num(json_t *j, const char *k)
{
	return json_integer_value(json_object_get(j, k));
}

static const char *err_msg(json_t *j)
{
	return json_string_value(json_object_get(json_object_get(j, "error"), "message"));
}

/* {"csv": text} */
static char *csv_body(const char *text)
{
	json_t *o = json_pack("{s:s}", "csv", text);
	char *s = json_dumps(o, JSON_COMPACT);
	json_decref(o);
	return s;
}

static void test_read(void **state)
{
	struct client *c = client_new(&T);
	json_t *j;
	assert_int_equal(client_login(c, "calclerk", APITEST_PASSWORD), 200);
	assert_int_equal(client_req(c, "GET", "/api/calendar", NULL, NULL, &j), 200);
	json_t *items = json_object_get(j, "items");
	assert_true(json_array_size(items) >= 4);
	assert_int_equal(num(json_array_get(items, 0), "year"), 2023);
	assert_string_equal(str(json_array_get(items, 0), "source"), "builtin");
	json_decref(j);

	assert_int_equal(client_req(c, "GET", "/api/calendar/2024", NULL, NULL, &j), 200);
	assert_string_equal(str(j, "source"), "builtin");
	assert_int_equal(num(j, "workdays"), 251);
	assert_false(json_is_true(json_object_get(j, "provisional")));
	json_t *days = json_object_get(j, "days");
	assert_int_equal(json_array_size(days), 36);
	assert_string_equal(str(json_array_get(days, 0), "date"), "2024-01-01");
	assert_string_equal(str(json_array_get(days, 0), "name"), "元旦");
	assert_string_equal(str(json_array_get(days, 1), "kind"), "workday");
	json_decref(j);

	assert_int_equal(client_req(c, "GET", "/api/calendar/2031", NULL, NULL, &j), 200);
	assert_true(json_is_true(json_object_get(j, "provisional")));
	assert_string_equal(str(j, "source"), "none");
	json_decref(j);
	assert_int_equal(client_do(c, "GET", "/api/calendar/1999", NULL), 400);
	assert_int_equal(client_do(c, "GET", "/api/calendar/20x4", NULL), 400);
	client_free(c);
	/* not logged in */
	c = client_new(&T);
	assert_int_equal(client_do(c, "GET", "/api/calendar/2024", NULL), 401);
	client_free(c);
}

static void test_only_sysadmin_loads(void **state)
{
	char *body = csv_body("date,kind,name\n2029-01-01,holiday,元旦\n");
	const char *who[] = {"calclerk", "secadmin", "auditor"};
	for (size_t i = 0; i < 3; i++) {
		struct client *c = client_new(&T);
		assert_int_equal(client_login(c, who[i], APITEST_PASSWORD), 200);
		assert_int_equal(client_do(c, "PUT", "/api/calendar/2029", body), 403);
		client_free(c);
	}
	free(body);
}

static void test_load(void **state)
{
	struct client *c = client_new(&T);
	json_t *j;
	assert_int_equal(client_login(c, "sysadmin", APITEST_PASSWORD), 200);

	/* a bad file is rejected whole, naming the line */
	char *bad = csv_body("date,kind,name\n2027-01-01,holiday,元旦\n2027-01-01,holiday,元旦\n");
	assert_int_equal(client_req(c, "PUT", "/api/calendar/2027", bad, NULL, &j), 400);
	assert_non_null(strstr(err_msg(j), "line 3"));
	json_decref(j);
	free(bad);
	bad = csv_body("date,kind,name\n2027-01-04,workday,x\n");
	assert_int_equal(client_req(c, "PUT", "/api/calendar/2027", bad, NULL, &j), 400);
	assert_non_null(strstr(err_msg(j), "line 2: workday 2027-01-04 falls on a weekday"));
	json_decref(j);
	free(bad);
	assert_int_equal(client_do(c, "PUT", "/api/calendar/2027", "{}"), 400);
	assert_int_equal(client_do(c, "PUT", "/api/calendar/2027", "{\"csv\":1}"), 400);
	assert_int_equal(client_req(c, "PUT", "/api/calendar/2027", "date,kind,name", "text/csv", NULL), 415);
	assert_int_equal(client_req(c, "GET", "/api/calendar/2027", NULL, NULL, &j), 200);
	assert_string_equal(str(j, "source"), "none");
	json_decref(j);

	/* a new year, then a replacement of a built-in one */
	char *y27 = csv_body("date,kind,name\n2027-01-01,holiday,元旦\n"
			     "2027-02-06,workday,春节调休\n2027-02-08,holiday,春节\n");
	assert_int_equal(client_req(c, "PUT", "/api/calendar/2027", y27, NULL, &j), 200);
	assert_int_equal(num(j, "rows"), 3);
	assert_string_equal(str(j, "replaced"), "none");
	assert_int_equal(strlen(str(j, "sha256")), 64);
	json_decref(j);
	free(y27);
	assert_int_equal(client_req(c, "GET", "/api/calendar/2027", NULL, NULL, &j), 200);
	assert_string_equal(str(j, "source"), "loaded");
	assert_false(json_is_true(json_object_get(j, "provisional")));
	assert_int_equal(json_array_size(json_object_get(j, "days")), 3);
	json_decref(j);

	char *y24 = csv_body("date,kind,name\n2024-10-08,holiday,国庆节\n");
	assert_int_equal(client_req(c, "PUT", "/api/calendar/2024", y24, NULL, &j), 200);
	assert_string_equal(str(j, "replaced"), "builtin");
	json_decref(j);
	assert_int_equal(client_req(c, "PUT", "/api/calendar/2024", y24, NULL, &j), 200);
	assert_string_equal(str(j, "replaced"), "loaded");
	json_decref(j);
	free(y24);
	assert_int_equal(client_req(c, "GET", "/api/calendar/2024", NULL, NULL, &j), 200);
	assert_string_equal(str(j, "source"), "loaded");
	assert_int_equal(json_array_size(json_object_get(j, "days")), 1);
	assert_int_equal(num(j, "workdays"), 262 - 1);
	json_decref(j);

	assert_int_equal(client_req(c, "GET", "/api/calendar", NULL, NULL, &j), 200);
	json_t *items = json_object_get(j, "items"), *it;
	size_t i;
	int seen = 0;
	json_array_foreach(items, i, it) {
		if (num(it, "year") == 2027) {
			seen = 1;
			assert_string_equal(str(it, "source"), "loaded");
			assert_int_equal(num(it, "rows"), 3);
			assert_string_equal(str(it, "loaded_by"), "sysadmin");
		}
	}
	assert_true(seen);
	json_decref(j);
	client_free(c);

	/* the command line reads the same database */
	char out[256];
	assert_int_equal(apitest_cli(&T, "cal day 2027-02-06", out, sizeof out), 0);
	assert_string_equal(out, "workday 春节调休\n");
	assert_int_equal(apitest_cli(&T, "cal day 2024-02-12", out, sizeof out), 0);
	assert_string_equal(out, "workday\n");
}

static void test_audited(void **state)
{
	struct client *c = client_new(&T);
	json_t *j;
	assert_int_equal(client_login(c, "auditor", APITEST_PASSWORD), 200);
	assert_int_equal(client_req(c, "GET", "/api/audit?action=calendar.import", NULL, NULL, &j), 200);
	assert_int_equal(num(j, "total"), 3);
	/* newest first: the second load of 2024 */
	json_t *last = json_array_get(json_object_get(j, "items"), 0);
	assert_non_null(last);
	assert_string_equal(str(last, "username"), "sysadmin");
	assert_string_equal(str(last, "object"), "calendar:2024");
	assert_string_equal(str(last, "outcome"), "success");
	json_t *d = json_loads(str(last, "details"), 0, NULL);
	assert_non_null(d);
	assert_int_equal(num(d, "rows"), 1);
	assert_string_equal(str(d, "replaced"), "loaded");
	assert_int_equal(strlen(str(d, "sha256")), 64);
	json_decref(d);
	json_decref(j);
	client_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read),
		cmocka_unit_test(test_only_sysadmin_loads),
		cmocka_unit_test(test_load),
		cmocka_unit_test(test_audited),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
