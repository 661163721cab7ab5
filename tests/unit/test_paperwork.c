/*
** test_paperwork.c: the report builder with providers of the test — each
** provider's section in order with its id and title; the annual report
** asks every provider month by month for its trend (the months of a
** contract year, the last one cut at the period's end) and adds the 14
** service rows of 第一条 with the figures of the providers that evidence
** them and a note for the ones not registered; a failing provider fails
** the report with its error; periods, kinds and who may; the writers
** produce a workbook and a page with every section.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base/clock.h"
#include "paperwork/paperwork.h"

static char dir[64], db[128];
static struct store *st;

static int setup(void **state)
{
	struct err e;
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/gg-paperwork-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/t.db", dir);
	return store_open(db, STORE_CREATE, &st, &e);
}

static int teardown(void **state)
{
	char cmd[128];
	(void)state;
	store_close(st);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd);
}

/* A provider counting the days of [from, to) and remembering its calls. */
struct days {
	int calls;
	int64_t from[32], to[32];
	int fail;
};

static int days_fill(void *ctx, struct store *s, int64_t from, int64_t to, json_t **out, struct err *e)
{
	struct days *d = ctx;
	(void)s;
	if (d->fail)
		return err_set(e, ERR_INTERNAL, "days", "provider broke");
	if (d->calls < 32) {
		d->from[d->calls] = from;
		d->to[d->calls] = to;
	}
	d->calls++;
	*out = json_pack("{s:[{s:s,s:I,s:s},{s:s,s:s,s:s}],s:[{s:s,s:[{s:s,s:s}],s:[{s:I}]}]}", "summary", "label",
			 "天数", "value", (json_int_t)((to - from) / 86400), "unit", "天", "label", "说明", "value",
			 "文字不进趋势", "unit", "", "tables", "title", "明细", "columns", "key", "n", "head", "天数",
			 "rows", "n", (json_int_t)((to - from) / 86400));
	return 0;
}

static json_t *section(json_t *doc, const char *id)
{
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(doc, "sections"), i, s)
		if (strcmp(json_string_value(json_object_get(s, "id")), id) == 0)
			return s;
	return NULL;
}

static void test_monthly(void **state)
{
	struct days d = {0};
	struct pw_providers ps = {0};
	struct principal cli;
	int64_t from, to;
	json_t *doc;
	struct err e = {0};
	(void)state;
	rbac_cli_principal(&cli);
	pw_add(&ps, &(struct pw_provider){"desk.consults", "技术咨询", days_fill, &d});
	assert_int_equal(pw_period_parse("2024-02-01", "2024-02-29", &from, &to, &e), 0);
	assert_int_equal(pw_build(st, &ps, &cli, PW_MONTHLY, from, to, clock_cn_midnight("2024-03-05"), &doc, &e), 0);
	assert_int_equal(d.calls, 1);
	assert_int_equal(json_array_size(json_object_get(doc, "sections")), 1);
	json_t *s = section(doc, "desk.consults");
	assert_non_null(s);
	assert_string_equal(json_string_value(json_object_get(s, "title")), "技术咨询");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(s, "summary"), 0), "value")),
			 29);
	assert_string_equal(json_string_value(json_object_get(doc, "period")), "2024-02-01 至 2024-02-29");
	assert_string_equal(json_string_value(json_object_get(doc, "title")), "月度运维报告");
	json_decref(doc);
}

static void test_annual(void **state)
{
	struct days d = {0}, t = {0};
	struct pw_providers ps = {0};
	struct principal cli;
	int64_t from, to;
	json_t *doc;
	struct err e = {0};
	(void)state;
	rbac_cli_principal(&cli);
	pw_add(&ps, &(struct pw_provider){"desk.consults", "技术咨询", days_fill, &d});
	pw_add(&ps, &(struct pw_provider){"desk.tickets", "故障处理", days_fill, &t});
	assert_int_equal(pw_period_parse("2023-04-01", "2024-03-20", &from, &to, &e), 0);
	assert_int_equal(pw_build(st, &ps, &cli, PW_ANNUAL, from, to, clock_cn_midnight("2024-04-01"), &doc, &e), 0);
	/* once for the year, once per month; the months meet and the last is cut */
	assert_int_equal(d.calls, 13);
	assert_true(d.from[1] == from && d.to[1] == clock_cn_midnight("2023-05-01"));
	for (int i = 2; i < 13; i++)
		assert_true(d.from[i] == d.to[i - 1]);
	assert_true(d.to[12] == clock_cn_midnight("2024-03-21"));
	json_t *s = section(doc, "desk.consults"), *trend = json_array_get(json_object_get(s, "tables"), 1);
	assert_string_equal(json_string_value(json_object_get(trend, "title")), "月度趋势");
	assert_int_equal(json_array_size(json_object_get(trend, "columns")), 2);   /* 月份, 天数: text is left out */
	json_t *feb = json_array_get(json_object_get(trend, "rows"), 10);
	assert_string_equal(json_string_value(json_object_get(feb, "month")), "2024-02");
	assert_int_equal(json_integer_value(json_object_get(feb, "v1")), 29);
	/* 2 provider sections + 14 service rows */
	assert_int_equal(json_array_size(json_object_get(doc, "sections")), 16);
	json_t *consult = section(doc, "service.consult"), *inspection = section(doc, "service.inspection");
	assert_string_equal(json_string_value(json_object_get(consult, "title")), "服务内容：技术咨询");
	assert_int_equal(json_integer_value(json_object_get(json_array_get(json_object_get(consult, "summary"), 0),
							    "value")),
			 355);
	assert_int_equal(json_array_size(json_object_get(consult, "tables")), 1);   /* examples, not the trend */
	assert_int_equal(json_array_size(json_object_get(consult, "notes")), 0);
	assert_int_equal(json_array_size(json_object_get(inspection, "summary")), 0);
	assert_non_null(strstr(json_string_value(json_array_get(json_object_get(inspection, "notes"), 0)),
			       "ops.inspections"));
	/* the writers */
	char path[160], *html;
	size_t len;
	struct stat sb;
	snprintf(path, sizeof path, "%s/a.xlsx", dir);
	assert_int_equal(pw_xlsx(doc, path, &e), 0);
	assert_int_equal(stat(path, &sb), 0);
	assert_true(sb.st_size > 1000);
	assert_int_equal(pw_html(doc, &html, &len, &e), 0);
	int n = 0;
	for (const char *p = html; (p = strstr(p, "<section")); p++)
		n++;
	assert_int_equal(n, 16);
	assert_non_null(strstr(html, "年度运维总结报告"));
	free(html);
	json_decref(doc);
}

static void test_errors(void **state)
{
	struct days d = {.fail = 1};
	struct pw_providers ps = {0};
	struct principal cli, clerk = {.username = "c", .roles = ROLE_CLERK};
	int64_t from, to;
	int kind, format;
	json_t *doc = NULL;
	struct err e = {0};
	(void)state;
	rbac_cli_principal(&cli);
	pw_add(&ps, &(struct pw_provider){"quality", "数据质量", days_fill, &d});
	assert_int_equal(pw_period_parse("2024-01-01", "2024-01-31", &from, &to, &e), 0);
	assert_int_equal(pw_build(st, &ps, &cli, PW_MONTHLY, from, to, to, &doc, &e), ERR_INTERNAL);
	assert_string_equal(e.msg, "provider broke");
	assert_null(doc);
	assert_int_equal(pw_build(st, &ps, &clerk, PW_MONTHLY, from, to, to, &doc, &e), ERR_FORBIDDEN);
	assert_int_equal(pw_render(st, &ps, &cli, PW_MONTHLY, from, to, to, PW_XLSX, NULL, NULL, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "output");
	assert_int_equal(pw_period_parse("2024-01-01", "2025-03-01", &from, &to, &e), ERR_INVALID);
	assert_string_equal(e.field, "to");
	assert_int_equal(pw_period_parse("2024-02-01", "2024-01-31", &from, &to, &e), ERR_INVALID);
	assert_string_equal(e.field, "from");
	assert_int_equal(pw_period_parse("2024-13-01", "2024-01-31", &from, &to, &e), ERR_INVALID);
	assert_string_equal(e.field, "from");
	assert_int_equal(pw_period_parse("2024-01-01", NULL, &from, &to, &e), ERR_INVALID);
	assert_string_equal(e.field, "to");
	assert_int_equal(pw_kind_parse("weekly", &kind, &e), ERR_INVALID);
	assert_string_equal(e.field, "kind");
	assert_int_equal(pw_format_parse("pdf", &format, &e), ERR_INVALID);
	assert_string_equal(e.field, "format");
	assert_int_equal(pw_kind_parse("annual", &kind, &e), 0);
	assert_int_equal(kind, PW_ANNUAL);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_monthly),
		cmocka_unit_test(test_annual),
		cmocka_unit_test(test_errors),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
