/*
** test_api_export.c: GET /api/export over real HTTP — a list of the API
** (here the project list, 205 projects: more than one page of 200) written
** whole by the server as CSV and XLSX with the page's columns: dictionary
** labels, times in Asia/Shanghai, arrays joined, numbers as numbers; the
** list's own role gate and filters apply; bad src, format, name and columns
** are 400 naming the field; a path that is no list is 400.
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
	(void)state;
	return apitest_start(&T, NULL) != 0 || apitest_user(&T, "boss", "leader", NULL) ||
	       apitest_user(&T, "xsp1", "clerk", "610200-XSP") || apitest_user(&T, "aud1", "auditor", NULL);
}

static int teardown(void **state)
{
	(void)state;
	apitest_stop(&T);
	return 0;
}

/* [{"key":"code","title":"代码"},{"key":"flow_type","title":"类型","dict":"approval.flow_type"},
    {"key":"investment_wan","title":"投资"},{"key":"created_at","title":"登记","type":"time"}] */
#define COLS "%5B%7B%22key%22%3A%22code%22%2C%22title%22%3A%22%E4%BB%A3%E7%A0%81%22%7D%2C" \
	"%7B%22key%22%3A%22flow_type%22%2C%22title%22%3A%22%E7%B1%BB%E5%9E%8B%22%2C%22dict%22%3A%22approval.flow_type%22%7D%2C" \
	"%7B%22key%22%3A%22investment_wan%22%2C%22title%22%3A%22%E6%8A%95%E8%B5%84%22%7D%2C" \
	"%7B%22key%22%3A%22created_at%22%2C%22title%22%3A%22%E7%99%BB%E8%AE%B0%22%2C%22type%22%3A%22time%22%7D%5D"

static int lines(const char *s)
{
	int n = 0;
	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void create(struct client *c, int i)
{
	char b[1024];
	snprintf(b, sizeof b,
		 "{\"code\":\"2026-610202-47-01-%06d\",\"name\":\"导出项目%d\",\"flow_type\":%d,\"division\":\"610202\","
		 "\"address\":\"铜川市王益区\",\"investment_wan\":%d,\"land_area_m2\":100,\"floor_area_m2\":200,"
		 "\"planned_start\":\"2026-10-01\",\"planned_finish\":\"2027-06-30\",\"units\":[{\"kind\":\"builder\","
		 "\"name\":\"铜川市某公司\",\"credit_code\":\"11610200MB29655940\",\"contact\":\"王五\","
		 "\"phone\":\"13912345678\"}]}", i + 1, i, i < 5 ? 1 : 4, 1000 + i);
	int s = client_req(c, "POST", "/api/projects", b, NULL, NULL);
	if (s != 201)
		fail_msg("create %d: %d %s", i, s, client_body(c));
}

static void test_export(void **state)
{
	(void)state;
	struct client *clerk = client_new(&T), *boss = client_new(&T), *sys = client_new(&T);
	json_t *j = NULL;
	assert_int_equal(client_login(clerk, "xsp1", APITEST_PASSWORD), 200);
	assert_int_equal(client_login(boss, "boss", APITEST_PASSWORD), 200);
	assert_int_equal(client_login(sys, "sysadmin", APITEST_PASSWORD), 200);
	for (int i = 0; i < 205; i++)
		create(clerk, i);

	/* every project, across two pages of the list, in the page's columns */
	assert_int_equal(client_req(boss, "GET", "/api/export?src=/api/projects&format=csv&name=%E9%A1%B9%E7%9B%AE&columns="
				    COLS, NULL, NULL, NULL), 200);
	const char *csv = client_body(boss);
	assert_non_null(strstr(csv, "\xEF\xBB\xBF代码,类型,投资,登记\r\n"));
	assert_int_equal(lines(csv), 1 + 205);
	assert_non_null(strstr(csv, "2026-610202-47-01-000001,政府投资房屋建筑类,1000,20"));  /* a label, a number, a time */
	assert_non_null(strstr(csv, "2026-610202-47-01-000205,"));

	/* the list's own filters */
	assert_int_equal(client_req(boss, "GET", "/api/export?src=/api/projects&flow_type=1&format=csv&name=x&columns="
				    COLS, NULL, NULL, NULL), 200);
	assert_int_equal(lines(client_body(boss)), 1 + 5);

	/* XLSX: a workbook */
	assert_int_equal(client_req(boss, "GET", "/api/export?src=/api/projects&format=xlsx&name=x&columns=" COLS,
				    NULL, NULL, NULL), 200);
	assert_memory_equal(client_body(boss), "PK", 2);

	/* the list's permissions: the system administrator handles no approval data */
	int s = client_req(sys, "GET", "/api/export?src=/api/projects&format=csv&name=x&columns=" COLS, NULL, NULL, &j);
	assert_true(s == 403);
	json_decref(j);

	/* errors name the field */
	static const struct { const char *query, *field; } bad[] = {
		{"src=/etc/passwd&format=csv&name=x&columns=" COLS, "src"},
		{"src=/api/nothing&format=csv&name=x&columns=" COLS, "src"},
		{"src=/api/health&format=csv&name=x&columns=" COLS, "src"},
		{"src=/api/projects&format=pdf&name=x&columns=" COLS, "format"},
		{"src=/api/projects&format=csv&name=a%2Fb&columns=" COLS, "name"},
		{"src=/api/projects&format=csv&name=x&columns=%5B%5D", "columns"},
		{"src=/api/projects&format=csv&name=x&columns=%5B%7B%22key%22%3A%22a%22%2C%22title%22%3A%22b%22%2C"
		 "%22type%22%3A%22x%22%7D%5D", "columns"},
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		char path[1024];
		snprintf(path, sizeof path, "/api/export?%s", bad[i].query);
		s = client_req(boss, "GET", path, NULL, NULL, &j);
		if (s != 400 && s != 404)
			fail_msg("%s: %d %s", bad[i].query, s, client_body(boss));
		assert_string_equal(json_string_value(json_object_get(json_object_get(j, "error"), "field")),
				    bad[i].field);
		json_decref(j);
	}
	/* the audit log (over 200 records by now) goes on by after= and is audited once per export */
	struct client *aud = client_new(&T);
	assert_int_equal(client_login(aud, "aud1", APITEST_PASSWORD), 200);
	assert_int_equal(client_req(aud, "GET", "/api/audit?action=audit.read", NULL, NULL, &j), 200);
	json_int_t reads = json_integer_value(json_object_get(j, "total"));
	json_decref(j);
	assert_int_equal(client_req(aud, "GET", "/api/export?src=/api/audit&format=csv&name=a&columns="
				    "%5B%7B%22key%22%3A%22id%22%2C%22title%22%3A%22id%22%7D%5D", NULL, NULL, NULL), 200);
	const char *p = strstr(client_body(aud), "\r\n") + 2;
	long first = strtol(p, NULL, 10), expect = first, rows = 0;
	for (; *p; p = strstr(p, "\r\n") + 2, rows++, expect--)
		if (strtol(p, NULL, 10) != expect)
			fail_msg("row %ld: id %ld, want %ld (every record once, newest first)", rows, strtol(p, NULL, 10), expect);
	assert_true(rows > 205 && expect == 0);
	assert_int_equal(client_req(aud, "GET", "/api/audit?action=audit.read", NULL, NULL, &j), 200);
	assert_int_equal(json_integer_value(json_object_get(j, "total")), reads + 2);   /* the count above, the export */
	json_decref(j);
	client_free(aud);
	client_free(clerk);
	client_free(boss);
	client_free(sys);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_export),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
