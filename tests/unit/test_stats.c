/*
** test_stats.c: the pure statistics module (stats/stats.h,
** stats/stats_report.h): every rate with its zero-denominator null, the
** P90 by nearest rank, periods with their 环比 and 同比 periods (partial
** periods, quarters, leap days, year ends), groupings, and the renderers
** (JSON nulls, CSV quoting and BOM, the terminal table, and an XLSX read
** back with Debian's python3 + openpyxl when it is installed).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "calendar/cal.h"
#include "stats/stats.h"
#include "stats/stats_report.h"

static int32_t day(const char *s)
{
	int32_t d;
	struct err e;
	assert_int_equal(cal_date_parse(s, &d, &e), 0);
	return d;
}

static double value(const struct stats_counts *c, const char *key)
{
	double v[stats_column_count()];
	int i = stats_column_find(key);
	assert_true(i >= 0);
	stats_values(c, v);
	return v[i];
}

/* ---- rates ------------------------------------------------------------------ */

static void test_rates_null_on_zero(void **state)
{
	struct stats_counts c;
	stats_counts_zero(&c);
	for (size_t i = SC_COUNT; i < stats_column_count(); i++) {
		double v[stats_column_count()];
		stats_values(&c, v);
		if (!stats_is_null(v[i]))
			fail_msg("%s should be null on empty counts", stats_column(i)->key);
	}
	assert_true(value(&c, "received") == 0);
}

static void test_rates_defined(void **state)
{
	struct stats_counts c;
	stats_counts_zero(&c);
	c.n[SC_RECEIVED] = 200;
	c.n[SC_COH_ACCEPTED] = 180;
	c.n[SC_COH_CONCLUDED] = 90;
	c.n[SC_COH_REFUSED] = 10;
	c.n[SC_COH_OVERDUE] = 6;
	c.n[SC_CONCLUDED] = 100;
	c.n[SC_OVERDUE_DONE] = 5;
	c.n[SC_ACC_ITEMS] = 8;
	c.n[SC_ACC_PASSED] = 6;
	c.n[SC_JOINT] = 4;
	c.n[SC_JOINT_PASSED] = 3;
	c.n[SC_WD_SUM] = 1250;
	c.n[SC_ND_SUM] = 1800;
	c.n[SC_LIMIT_SUM] = 2000;
	c.n[SC_PAUSED_SUM] = 30;
	assert_float_equal(value(&c, "accept_rate"), 0.9, 1e-12);
	assert_float_equal(value(&c, "conclude_rate"), 0.5, 1e-12);
	assert_float_equal(value(&c, "overdue_rate"), 0.05, 1e-12);
	assert_float_equal(value(&c, "ontime_rate"), 0.95, 1e-12);
	assert_float_equal(value(&c, "abnormal_rate"), 0.08, 1e-12);
	assert_float_equal(value(&c, "acceptance_pass_rate"), 0.75, 1e-12);
	assert_float_equal(value(&c, "joint_pass_rate"), 0.75, 1e-12);
	assert_float_equal(value(&c, "avg_wd_used"), 12.5, 1e-12);
	assert_float_equal(value(&c, "avg_nd_used"), 18, 1e-12);
	assert_float_equal(value(&c, "avg_limit"), 20, 1e-12);
	assert_float_equal(value(&c, "used_vs_limit"), 0.625, 1e-12);
	assert_float_equal(value(&c, "avg_paused"), 0.3, 1e-12);
	/* nothing concluded: on-time rate is null, not 100 % */
	c.n[SC_CONCLUDED] = 0;
	c.n[SC_OVERDUE_DONE] = 0;
	assert_true(stats_is_null(value(&c, "ontime_rate")));
	assert_true(stats_is_null(value(&c, "overdue_rate")));
}

static void test_change(void **state)
{
	assert_float_equal(stats_change(120, 100), 0.2, 1e-12);
	assert_float_equal(stats_change(50, 100), -0.5, 1e-12);
	assert_true(stats_is_null(stats_change(5, 0)));
	assert_true(stats_is_null(stats_change(STATS_NULL, 3)));
	assert_float_equal(stats_diff(0.9, 0.85), 0.05, 1e-12);
	assert_true(stats_is_null(stats_diff(0.9, STATS_NULL)));
}

static void test_hist_p90(void **state)
{
	struct stats_counts c;
	stats_counts_zero(&c);
	/* 10 values 1..10: nearest-rank P90 is 9 */
	c.n[SC_CONCLUDED] = 10;
	for (int v = 1; v <= 10; v++)
		stats_hist_feed(&c, v, 1);
	assert_int_equal(c.wd_min, 1);
	assert_int_equal(c.wd_max, 10);
	assert_int_equal(c.wd_p90, 9);
	/* 3 values: ceil(2.7) = 3rd */
	stats_counts_zero(&c);
	c.n[SC_CONCLUDED] = 3;
	stats_hist_feed(&c, 2, 1);
	stats_hist_feed(&c, 4, 1);
	stats_hist_feed(&c, 40, 1);
	assert_int_equal(c.wd_p90, 40);
	/* weighted bins: 95 at 5, 5 at 30 -> P90 5 */
	stats_counts_zero(&c);
	c.n[SC_CONCLUDED] = 100;
	stats_hist_feed(&c, 5, 95);
	stats_hist_feed(&c, 30, 5);
	assert_int_equal(c.wd_p90, 5);
	assert_float_equal(value(&c, "p90_wd_used"), 5, 0);
	assert_float_equal(value(&c, "max_wd_used"), 30, 0);
	/* one value */
	stats_counts_zero(&c);
	c.n[SC_CONCLUDED] = 1;
	stats_hist_feed(&c, 7, 1);
	assert_int_equal(c.wd_p90, 7);
	assert_int_equal(c.wd_min, 7);
	/* none: null */
	stats_counts_zero(&c);
	assert_true(stats_is_null(value(&c, "p90_wd_used")));
}

static void test_flow_rows(void **state)
{
	struct stats_flow_row f;
	double avg, within;
	stats_flow_init(&f, 3, 4);
	assert_int_equal(f.target, 65);
	stats_flow_feed(&f, 40, 1);
	stats_flow_feed(&f, 60, 2);
	stats_flow_feed(&f, 80, 1);
	stats_flow_values(&f, &avg, &within);
	assert_float_equal(avg, 60, 1e-12);
	assert_float_equal(within, 0.75, 1e-12);
	assert_int_equal(f.elapsed_p90, 80);
	assert_int_equal(f.elapsed_max, 80);
	stats_flow_init(&f, 6, 0);
	assert_int_equal(f.target, 0);
	stats_flow_values(&f, &avg, &within);
	assert_true(stats_is_null(avg) && stats_is_null(within));
	assert_int_equal(stats_flow_type_target(1), 90);
	assert_int_equal(stats_flow_type_target(2), 90);
	assert_string_equal(stats_flow_type_name(3), "一般社会投资");
	assert_string_equal(stats_stage_name(4), "竣工验收");
	assert_string_equal(stats_stage_name(9), "");
}

/* ---- periods ------------------------------------------------------------------ */

static void expect_period(const struct stats_period *p, const char *from, const char *to)
{
	char a[CAL_DATE_LEN], b[CAL_DATE_LEN];
	cal_date_format(p->from, a);
	cal_date_format(p->to, b);
	if (strcmp(a, from) || strcmp(b, to))
		fail_msg("period %s..%s, want %s..%s", a, b, from, to);
}

static void test_period_parse(void **state)
{
	struct stats_period p, q;
	struct err e;
	int32_t today = day("2025-05-20");
	assert_int_equal(stats_period_parse(NULL, NULL, NULL, today, &p, &e), 0);
	assert_int_equal(p.kind, SP_YEAR);
	assert_true(p.partial);
	expect_period(&p, "2025-01-01", "2025-05-20");
	assert_int_equal(stats_period_parse("month", "2025-03", NULL, today, &p, &e), 0);
	expect_period(&p, "2025-03-01", "2025-03-31");
	assert_false(p.partial);
	assert_int_equal(stats_period_parse("month", "2024-02-17", NULL, today, &p, &e), 0);
	expect_period(&p, "2024-02-01", "2024-02-29");
	assert_int_equal(stats_period_parse("month", NULL, NULL, today, &p, &e), 0);
	expect_period(&p, "2025-05-01", "2025-05-20");
	assert_int_equal(stats_period_parse("quarter", "2024-Q4", NULL, today, &p, &e), 0);
	expect_period(&p, "2024-10-01", "2024-12-31");
	assert_int_equal(stats_period_parse("quarter", "2024-08-09", NULL, today, &p, &e), 0);
	expect_period(&p, "2024-07-01", "2024-09-30");
	assert_int_equal(stats_period_parse("year", "2024", NULL, today, &p, &e), 0);
	expect_period(&p, "2024-01-01", "2024-12-31");
	assert_int_equal(stats_period_parse("day", "2025-05-01", NULL, today, &p, &e), 0);
	expect_period(&p, "2025-05-01", "2025-05-01");
	assert_int_equal(stats_period_parse("range", "2025-01-15", "2025-02-14", today, &p, &e), 0);
	expect_period(&p, "2025-01-15", "2025-02-14");
	assert_int_equal(stats_period_parse(NULL, "2025-01-15", "2025-02-14", today, &q, &e), 0);
	assert_int_equal(q.kind, SP_RANGE);
	/* a future month is whole and empty, not cut */
	assert_int_equal(stats_period_parse("month", "2025-07", NULL, today, &p, &e), 0);
	expect_period(&p, "2025-07-01", "2025-07-31");
}

static void expect_invalid(const char *k, const char *f, const char *t, const char *field)
{
	struct stats_period p;
	struct err e;
	err_clear(&e);
	if (stats_period_parse(k, f, t, day("2025-05-20"), &p, &e) != ERR_INVALID)
		fail_msg("period %s %s %s should be invalid", k, f, t);
	assert_string_equal(e.field, field);
}

static void test_period_invalid(void **state)
{
	expect_invalid("week", NULL, NULL, "period");
	expect_invalid("month", "2025-13", NULL, "from");
	expect_invalid("month", "2025-3", NULL, "from");
	expect_invalid("quarter", "2025-Q5", NULL, "from");
	expect_invalid("year", "25", NULL, "from");
	expect_invalid("day", "2025-02-30", NULL, "from");
	expect_invalid("range", "2025-01-01", NULL, "to");
	expect_invalid("range", NULL, "2025-01-01", "from");
	expect_invalid("range", "2025-02-01", "2025-01-01", "to");
	expect_invalid("range", "2001-01-01", "2025-01-01", "to");
	expect_invalid("month", "2025-03", "2025-04-01", "to");
	expect_invalid("year", "1999", NULL, "from");
}

static void test_period_compare(void **state)
{
	struct stats_period p, q;
	struct err e;
	int32_t today = day("2025-05-20");
	/* whole month: the month before, the same month last year */
	stats_period_parse("month", "2025-03", NULL, today, &p, &e);
	stats_period_previous(&p, &q);
	expect_period(&q, "2025-02-01", "2025-02-28");
	stats_period_last_year(&p, &q);
	expect_period(&q, "2024-03-01", "2024-03-31");
	/* February of a leap year vs the year before */
	stats_period_parse("month", "2024-02", NULL, today, &p, &e);
	stats_period_last_year(&p, &q);
	expect_period(&q, "2023-02-01", "2023-02-28");
	stats_period_parse("month", "2023-02", NULL, today, &p, &e);
	stats_period_last_year(&p, &q);
	expect_period(&q, "2022-02-01", "2022-02-28");
	stats_period_parse("month", "2025-03", NULL, today, &p, &e);
	stats_period_parse("month", "2024-03", NULL, today, &p, &e);
	stats_period_previous(&p, &q);
	expect_period(&q, "2024-02-01", "2024-02-29");
	/* partial month: cut at the same offset */
	stats_period_parse("month", NULL, NULL, today, &p, &e);
	stats_period_previous(&p, &q);
	expect_period(&q, "2025-04-01", "2025-04-20");
	stats_period_last_year(&p, &q);
	expect_period(&q, "2024-05-01", "2024-05-20");
	/* partial month longer than the previous one: the whole previous month */
	stats_period_parse("month", NULL, NULL, day("2025-03-30"), &p, &e);
	stats_period_previous(&p, &q);
	expect_period(&q, "2025-02-01", "2025-02-28");
	/* quarter across a year end */
	stats_period_parse("quarter", "2025-Q1", NULL, today, &p, &e);
	stats_period_previous(&p, &q);
	expect_period(&q, "2024-10-01", "2024-12-31");
	/* year to date */
	stats_period_parse(NULL, NULL, NULL, today, &p, &e);
	stats_period_previous(&p, &q);
	expect_period(&q, "2024-01-01", "2024-05-20");
	stats_period_last_year(&p, &q);
	expect_period(&q, "2024-01-01", "2024-05-20");
	/* range: the same length just before; last year's leap day */
	stats_period_parse("range", "2024-02-20", "2024-02-29", today, &p, &e);
	stats_period_previous(&p, &q);
	expect_period(&q, "2024-02-10", "2024-02-19");
	stats_period_last_year(&p, &q);
	expect_period(&q, "2023-02-20", "2023-02-28");
	/* day */
	stats_period_parse("day", "2025-01-01", NULL, today, &p, &e);
	stats_period_previous(&p, &q);
	expect_period(&q, "2024-12-31", "2024-12-31");
}

/* The split of a range into edge days and whole months (month rollups). */
static void expect_months(const char *from, const char *to, const char *head_to, const char *m_from,
			  const char *m_to, const char *tail_from)
{
	int32_t h, mf, mt, t;
	char a[4][CAL_DATE_LEN];
	stats_period_months(day(from), day(to), &h, &mf, &mt, &t);
	if (!m_from) {
		assert_true(mf > mt);
		assert_int_equal(h, day(to));
		assert_int_equal(t, day(to) + 1);
		return;
	}
	cal_date_format(h, a[0]);
	cal_date_format(mf, a[1]);
	cal_date_format(mt, a[2]);
	cal_date_format(t, a[3]);
	if (strcmp(a[0], head_to) || strcmp(a[1], m_from) || strcmp(a[2], m_to) || strcmp(a[3], tail_from))
		fail_msg("%s..%s: days ..%s, months %s..%s, days %s..; want ..%s, %s..%s, %s..", from, to, a[0], a[1],
			 a[2], a[3], head_to, m_from, m_to, tail_from);
}

static void test_period_months(void **state)
{
	expect_months("2025-01-01", "2025-12-31", "2024-12-31", "2025-01-01", "2025-12-01", "2026-01-01");
	expect_months("2026-01-01", "2026-12-06", "2025-12-31", "2026-01-01", "2026-11-01", "2026-12-01");
	expect_months("2025-01-15", "2026-12-06", "2025-01-31", "2025-02-01", "2026-11-01", "2026-12-01");
	expect_months("2024-02-01", "2024-02-29", "2024-01-31", "2024-02-01", "2024-02-01", "2024-03-01");
	expect_months("2024-02-02", "2024-03-30", NULL, NULL, NULL, NULL);   /* no whole month */
	expect_months("2025-03-05", "2025-03-05", NULL, NULL, NULL, NULL);
	expect_months("2025-11-30", "2026-01-01", "2025-11-30", "2025-12-01", "2025-12-01", "2026-01-01");
}

static void test_period_label(void **state)
{
	struct stats_period p;
	struct err e;
	char buf[96];
	int32_t today = day("2025-05-20");
	stats_period_parse("month", "2025-03", NULL, today, &p, &e);
	stats_period_label(&p, buf, sizeof buf);
	assert_string_equal(buf, "2025年3月");
	stats_period_parse("quarter", "2025-Q2", NULL, today, &p, &e);
	stats_period_label(&p, buf, sizeof buf);
	assert_string_equal(buf, "2025年第2季度(截至05-20)");
	stats_period_parse(NULL, NULL, NULL, today, &p, &e);
	stats_period_label(&p, buf, sizeof buf);
	assert_string_equal(buf, "2025年(截至05-20)");
	stats_period_parse("range", "2025-01-15", "2025-02-14", today, &p, &e);
	stats_period_label(&p, buf, sizeof buf);
	assert_string_equal(buf, "2025-01-15至2025-02-14");
}

static void test_groups(void **state)
{
	for (int g = 0; g < SG_COUNT; g++)
		assert_int_equal(stats_group_parse(stats_group_name(g)), g);
	assert_int_equal(stats_group_parse("flow-type"), SG_FLOW_TYPE);
	assert_int_equal(stats_group_parse("flow_type"), -1);
	assert_int_equal(stats_group_parse(NULL), -1);
	assert_string_equal(stats_group_label(SG_DEPARTMENT), "部门");
	assert_int_equal(stats_light_parse("yellow"), SL_YELLOW);
	assert_int_equal(stats_light_parse("blue"), -1);
	/* every count has a column of the same key, in order */
	for (int i = 0; i < SC_COUNT; i++)
		assert_string_equal(stats_column(i)->key, stats_count_key(i));
	assert_int_equal(stats_column_find("nope"), -1);
}

/* ---- renderers ------------------------------------------------------------------ */

static void sample(struct stats_report *r)
{
	struct err e;
	stats_report_init(r);
	r->generated_at = 1747700000;
	stats_period_parse("month", "2025-03", NULL, day("2025-05-20"), &r->period, &e);
	stats_period_previous(&r->period, &r->previous);
	stats_period_last_year(&r->period, &r->last_year);
	struct stats_section *s = &r->sections[r->nsections++];
	s->group = SG_DISTRICT;
	s->nrows = 2;
	s->rows = calloc(2, sizeof *s->rows);
	const char *names[] = {"=王益区", "印台区, \"新\""};   /* a name a spreadsheet would run */
	for (int i = 0; i < 2; i++) {
		struct stats_row *row = &s->rows[i];
		stats_counts_zero(&row->c);
		snprintf(row->key, sizeof row->key, "61020%d", 2 + i);
		snprintf(row->name, sizeof row->name, "%s", names[i]);
		row->c.n[SC_RECEIVED] = 10 * (i + 1);
		row->c.n[SC_COH_ACCEPTED] = 9 * (i + 1);
		row->c.n[SC_CONCLUDED] = i == 0 ? 4 : 0;
		row->c.n[SC_OVERDUE_DONE] = i == 0 ? 1 : 0;
		row->c.n[SC_WD_SUM] = i == 0 ? 30 : 0;
	}
	stats_counts_zero(&s->total.c);
	snprintf(s->total.name, sizeof s->total.name, "合计");
	for (int i = 0; i < 2; i++)
		stats_counts_add(&s->total.c, &s->rows[i].c);
	r->prev_total.n[SC_RECEIVED] = 20;
	r->ly_total.n[SC_RECEIVED] = 0;
	stats_flow_init(&r->flows[0], 3, 1);
	stats_flow_feed(&r->flows[0], 50, 1);
	r->nflows = 1;
}

static void test_json(void **state)
{
	struct stats_report r;
	sample(&r);
	json_t *j = stats_report_json(&r);
	json_t *sec = json_array_get(json_object_get(j, "sections"), 0);
	json_t *row2 = json_array_get(json_object_get(sec, "rows"), 1);
	assert_string_equal(json_string_value(json_object_get(sec, "group")), "district");
	assert_true(json_is_null(json_object_get(row2, "ontime_rate")));
	assert_int_equal(json_integer_value(json_object_get(row2, "received")), 20);
	json_t *total = json_object_get(sec, "total");
	assert_float_equal(json_real_value(json_object_get(total, "ontime_rate")), 0.75, 1e-12);
	json_t *mom = json_object_get(json_object_get(j, "compare"), "mom");
	assert_float_equal(json_real_value(json_object_get(mom, "received")), 0.5, 1e-12);
	json_t *yoy = json_object_get(json_object_get(j, "compare"), "yoy");
	assert_true(json_is_null(json_object_get(yoy, "received")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "period"), "from")),
			    "2025-03-01");
	json_t *fl = json_array_get(json_object_get(j, "projects"), 0);
	assert_int_equal(json_integer_value(json_object_get(fl, "target")), 65);
	assert_float_equal(json_real_value(json_object_get(fl, "within_rate")), 1.0, 1e-12);
	json_decref(j);
	stats_report_free(&r);
}

static void test_csv_and_table(void **state)
{
	struct stats_report r;
	struct buf b = {0};
	sample(&r);
	stats_report_csv(&r, 0, &b);
	assert_memory_equal(b.data, "\xEF\xBB\xBF" "区县代码,区县,接件数,受理数", 3 + 34);
	assert_non_null(strstr(b.data, "\r\n610203,\"印台区, \"\"新\"\"\",20,"));
	assert_non_null(strstr(b.data, ",合计,30,"));
	assert_non_null(strstr(b.data, ",75.0%,"));   /* total on-time rate */
	assert_non_null(strstr(b.data, "\r\n610202,'=王益区,"));   /* never a formula (OWASP) */
	buf_free(&b);
	memset(&b, 0, sizeof b);
	stats_report_table(&r, 0, &b);
	assert_non_null(strstr(b.data, "统计周期: 2025年3月"));
	assert_non_null(strstr(b.data, "王益区"));
	assert_non_null(strstr(b.data, "环比"));
	/* rows align: every data line has the same display width as the header */
	buf_free(&b);
	stats_report_free(&r);
}

static void test_xlsx(void **state)
{
	struct stats_report r;
	struct err e;
	char path[] = "/tmp/test-stats-XXXXXX.xlsx";
	int fd = mkstemps(path, 5);
	assert_true(fd >= 0);
	close(fd);
	sample(&r);
	assert_int_equal(stats_report_xlsx(&r, path, &e), 0);
	char *data;
	size_t len;
	assert_int_equal(stats_report_xlsx_mem(&r, &data, &len, &e), 0);
	assert_true(len > 1000 && memcmp(data, "PK", 2) == 0);
	free(data);
	stats_report_free(&r);
	if (access("/usr/bin/python3", X_OK) != 0 ||
	    system("/usr/bin/python3 -c 'import openpyxl' 2>/dev/null") != 0) {
		unlink(path);
		skip();
	}
	char cmd[1024];
	snprintf(cmd, sizeof cmd,
		 "/usr/bin/python3 -c \"import openpyxl,sys\n"
		 "wb=openpyxl.load_workbook(sys.argv[1])\n"
		 "assert wb.sheetnames==['汇总','按区县'], wb.sheetnames\n"
		 "ws=wb['按区县']\n"
		 "assert ws.freeze_panes=='C2', ws.freeze_panes\n"
		 "assert ws['A1'].value=='区县代码' and ws['C1'].value=='接件数'\n"
		 "assert ws['B3'].value=='印台区, \\\"新\\\"' and ws['C3'].value==20\n"
		 "assert ws['B4'].value=='合计' and ws['C4'].value==30 and ws['B4'].font.b\n"
		 "h=[c.value for c in ws[1]]\n"
		 "col=h.index('按时办结率')+1\n"
		 "assert abs(ws.cell(2,col).value-0.75)<1e-9 and ws.cell(2,col).number_format=='0.0%%'\n"
		 "assert ws.cell(3,col).value is None\n"
		 "s=wb['汇总']\n"
		 "assert s['A1'].value=='工程建设项目审批统计报表'\n"
		 "vals=[r for r in s.iter_rows(values_only=True)]\n"
		 "assert any(r[0]=='接件数' and r[1]==30 and r[2]==20 and abs(r[3]-0.5)<1e-9 for r in vals)\n"
		 "assert any(r[0]=='一般社会投资' and r[1]==65 and r[2]==1 for r in vals)\n"
		 "\" %s", path);
	int rc = system(cmd);
	unlink(path);
	assert_int_equal(rc, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rates_null_on_zero),
		cmocka_unit_test(test_rates_defined),
		cmocka_unit_test(test_change),
		cmocka_unit_test(test_hist_p90),
		cmocka_unit_test(test_flow_rows),
		cmocka_unit_test(test_period_parse),
		cmocka_unit_test(test_period_invalid),
		cmocka_unit_test(test_period_compare),
		cmocka_unit_test(test_period_months),
		cmocka_unit_test(test_period_label),
		cmocka_unit_test(test_groups),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv_and_table),
		cmocka_unit_test(test_xlsx),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
