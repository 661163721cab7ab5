/*
** test_deadline.c: the one deadline function (approval/deadline.h).
**
** Expected dates are worked out by hand from the official schedules in
** domain.md §4 (each test says how), not from the calendar module, so a
** wrong calendar and a wrong deadline rule both show. Covered: the
** acceptance day not counted, holidays and make-up days, year ends, pauses
** (closed, open, over holidays, overlapping, before acceptance), the light
** thresholds and their configuration, on_time, the §32 receipt clock, 容缺
** materials, stage spans, years without a notice, Asia/Shanghai day edges.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <string.h>

#include "approval/case_fsm.h"
#include "approval/deadline.h"
#include "base/clock.h"
#include "base/conf.h"

static struct cal *C;
static struct deadline_conf CF;

static int32_t D(const char *s)
{
	int32_t d;
	struct err e;
	if (cal_date_parse(s, &d, &e) != 0)
		fail_msg("bad test date %s", s);
	return d;
}

/* An instant on date s at hour h, Asia/Shanghai. */
static int64_t T(const char *s, int h)
{
	return clock_cn_midnight(s) + h * 3600;
}

static const char *S(int32_t d)
{
	static char buf[8][CAL_DATE_LEN];
	static int k;
	k = (k + 1) % 8;
	if (d == DEADLINE_NONE)
		return "none";
	cal_date_format(d, buf[k]);
	return buf[k];
}

static int setup(void **state)
{
	struct err e;
	CF = DEADLINE_CONF_DEFAULT;
	return cal_build(NULL, 0, &C, &e);
}

static int teardown(void **state)
{
	cal_free(C);
	return 0;
}

static struct deadline run(const struct deadline_facts *f, int64_t now)
{
	struct deadline d;
	struct err e;
	if (deadline_case(C, &CF, f, now, &d, &e) != 0)
		fail_msg("deadline_case: %s", e.msg);
	return d;
}

static struct deadline_facts accepted(int status, const char *day, int limit)
{
	return (struct deadline_facts){.status = status, .limit = limit, .accepted_day = D(day),
				       .receipt_day = D(day), .receipt_end = D(day)};
}

static void test_plain_week(void **state)
{
	/* 5 days accepted Monday 2024-03-04, no holidays: due Monday 03-11 */
	struct deadline_facts f = accepted(CASE_PROCESSING, "2024-03-04", 5);
	struct deadline d = run(&f, T("2024-03-04", 10));
	assert_string_equal(S(d.due_day), "2024-03-11");
	assert_int_equal(d.workdays_used, 0);
	assert_int_equal(d.workdays_left, 5);
	assert_int_equal(d.light, LIGHT_GREEN);
	assert_int_equal(d.on_time, -1);
	d = run(&f, T("2024-03-08", 23));      /* Friday: 4 used, 1 left */
	assert_int_equal(d.workdays_used, 4);
	assert_int_equal(d.workdays_left, 1);
	assert_int_equal(d.light, LIGHT_YELLOW);
	d = run(&f, T("2024-03-10", 12));      /* Sunday: still 1 left */
	assert_int_equal(d.workdays_left, 1);
	d = run(&f, T("2024-03-11", 23));      /* the due day itself: 0 left, not red */
	assert_int_equal(d.workdays_left, 0);
	assert_int_equal(d.light, LIGHT_YELLOW);
	d = run(&f, T("2024-03-12", 0));       /* the due day has ended: red */
	assert_int_equal(d.workdays_left, -1);
	assert_int_equal(d.light, LIGHT_RED);
	assert_int_equal(d.workdays_used, 6);
}

/* Due on a Friday: the weekend after it is red, as the lists' day rule says,
** though no working day has passed yet (left 0). */
static void test_red_on_the_weekend_after(void **state)
{
	/* 5 days accepted Friday 2025-02-28: due Friday 03-07 */
	struct deadline_facts f = accepted(CASE_PROCESSING, "2025-02-28", 5);
	struct deadline d = run(&f, T("2025-03-07", 18));
	assert_string_equal(S(d.due_day), "2025-03-07");
	assert_int_equal(d.light, LIGHT_YELLOW);
	d = run(&f, T("2025-03-08", 10));      /* Saturday */
	assert_int_equal(d.workdays_left, 0);
	assert_int_equal(d.light, LIGHT_RED);
	d = run(&f, T("2025-03-09", 10));      /* Sunday */
	assert_int_equal(d.light, LIGHT_RED);
	d = run(&f, T("2025-03-10", 10));      /* Monday */
	assert_int_equal(d.workdays_left, -1);
	assert_int_equal(d.light, LIGHT_RED);
}

static void test_holidays(void **state)
{
	/* 2024 National Day: 10-01..07 off, Sunday 09-29 and Saturday 10-12
	** worked. Accepted Friday 09-27, 5 days: 09-29, 09-30, 10-08, 10-09,
	** 10-10 */
	struct deadline_facts f = accepted(CASE_PROCESSING, "2024-09-27", 5);
	struct deadline d = run(&f, T("2024-09-27", 9));
	assert_string_equal(S(d.due_day), "2024-10-10");
	d = run(&f, T("2024-10-07", 9));       /* last day of the holiday */
	assert_int_equal(d.workdays_used, 2);
	assert_int_equal(d.workdays_left, 3);
	/* 2025 Spring Festival: 01-28..02-04 off, Sunday 01-26 worked.
	** Accepted Friday 01-24, 3 days: 01-26, 01-27, 02-05 */
	f = accepted(CASE_PROCESSING, "2025-01-24", 3);
	assert_string_equal(S(run(&f, T("2025-01-24", 9)).due_day), "2025-02-05");
	/* accepted on a holiday (a Saturday make-up day counts as a working
	** day; a holiday does not): accepted 2024-10-03, 1 day: 10-08 */
	f = accepted(CASE_PROCESSING, "2024-10-03", 1);
	assert_string_equal(S(run(&f, T("2024-10-03", 9)).due_day), "2024-10-08");
	/* limit 0 (即办件) accepted on a holiday: the next working day */
	f = accepted(CASE_PROCESSING, "2024-10-03", 0);
	assert_string_equal(S(run(&f, T("2024-10-03", 9)).due_day), "2024-10-08");
}

static void test_year_end(void **state)
{
	/* Friday 2024-12-27, 5 days: 12-30, 12-31, (01-01 off), 01-02, 01-03,
	** (weekend) 01-06 */
	struct deadline_facts f = accepted(CASE_PROCESSING, "2024-12-27", 5);
	struct deadline d = run(&f, T("2025-01-01", 12));
	assert_string_equal(S(d.due_day), "2025-01-06");
	assert_int_equal(d.workdays_used, 2);
	assert_int_equal(d.workdays_left, 3);
	/* 2023 notice: 2022-12-31..2023-01-02 off. Accepted Friday 2022-12-30,
	** 1 day: 2023-01-03 */
	f = accepted(CASE_PROCESSING, "2022-12-30", 1);
	assert_string_equal(S(run(&f, T("2022-12-30", 12)).due_day), "2023-01-03");
	/* year 2027 has no notice: Monday-Friday, flagged provisional */
	f = accepted(CASE_PROCESSING, "2026-12-30", 5);
	d = run(&f, T("2026-12-30", 12));
	assert_int_equal(d.provisional, 2027);
	f = accepted(CASE_PROCESSING, "2025-03-03", 5);
	assert_int_equal(run(&f, T("2025-03-03", 12)).provisional, 0);
}

static void test_pause_over_holiday(void **state)
{
	/* Accepted Monday 2024-09-23, 10 days; supplement from Friday 09-27 to
	** Wednesday 10-09: paused (09-27, 10-09] = 09-29, 09-30, 10-08, 10-09 = 4.
	** add(09-23, 14): 24 25 26 27 29 30 | 10-08 09 10 11 12(Sat, worked)
	** 14 15 16 → 2024-10-16 */
	struct cal_pause p[] = {{D("2024-09-27"), D("2024-10-09")}};
	struct deadline_facts f = accepted(CASE_PROCESSING, "2024-09-23", 10);
	f.pauses = p;
	f.npauses = 1;
	struct deadline d = run(&f, T("2024-10-10", 9));
	assert_int_equal(d.paused_workdays, 4);
	assert_string_equal(S(d.due_day), "2024-10-16");
	assert_int_equal(d.workdays_used, 5);   /* 24 25 26 27 | 10-10 */
	assert_int_equal(d.workdays_left, 5);   /* 11 12 14 15 16 */
	/* without the pause: 2024-10-11 */
	f.npauses = 0;
	assert_string_equal(S(run(&f, T("2024-10-10", 9)).due_day), "2024-10-11");
}

static void test_open_pause_freezes(void **state)
{
	/* Accepted Monday 2024-03-04, 10 days; special procedure since Friday
	** 03-08, still open. Left is frozen at its value on 03-08 (6) while the
	** due date moves day by day. */
	struct cal_pause p[] = {{D("2024-03-08"), DEADLINE_NONE}};
	struct deadline_facts f = accepted(CASE_SPECIAL_START, "2024-03-04", 10);
	f.pauses = p;
	f.npauses = 1;
	struct deadline d = run(&f, T("2024-03-08", 9));
	assert_int_equal(d.workdays_left, 6);
	assert_string_equal(S(d.due_day), "2024-03-18");
	d = run(&f, T("2024-03-13", 9));
	assert_int_equal(d.paused_workdays, 3);
	assert_string_equal(S(d.due_day), "2024-03-21");
	assert_int_equal(d.workdays_left, 6);
	assert_int_equal(d.workdays_used, 4);
	/* a long pause does not turn a running case red */
	d = run(&f, T("2024-06-28", 9));
	assert_int_equal(d.workdays_left, 6);
	assert_int_equal(d.light, LIGHT_GREEN);
	/* paused while already overdue: stays red, left frozen */
	struct cal_pause q[] = {{D("2024-03-20"), DEADLINE_NONE}};
	f.pauses = q;
	d = run(&f, T("2024-03-20", 9));
	assert_int_equal(d.workdays_left, -2);   /* due 03-18: 19, 20 */
	assert_int_equal(run(&f, T("2024-04-30", 9)).workdays_left, -2);
	assert_int_equal(run(&f, T("2024-04-30", 9)).light, LIGHT_RED);
}

static void test_pauses_overlap_and_before(void **state)
{
	/* a pre-acceptance supplement does not move the processing clock;
	** overlapping pauses count once */
	struct cal_pause p[] = {
		{D("2024-02-26"), D("2024-03-01")},   /* before acceptance */
		{D("2024-03-05"), D("2024-03-08")},   /* 06 07 08 */
		{D("2024-03-07"), D("2024-03-12")},   /* 08 11 12, overlapping: +11 +12 */
	};
	struct deadline_facts f = accepted(CASE_PROCESSING, "2024-03-04", 5);
	f.pauses = p;
	f.npauses = 3;
	struct deadline d = run(&f, T("2024-03-20", 9));
	assert_int_equal(d.paused_workdays, 5);
	/* add(03-04, 10): 05 06 07 08 11 12 13 14 15 18 */
	assert_string_equal(S(d.due_day), "2024-03-18");
	assert_int_equal(d.light, LIGHT_RED);
	/* a pause recorded after the reference day (final earlier) is ignored */
	f.status = CASE_APPROVED;
	f.final_day = D("2024-03-05");
	d = run(&f, T("2024-03-20", 9));
	assert_int_equal(d.paused_workdays, 0);
	assert_int_equal(d.on_time, 1);
}

static void test_light_thresholds(void **state)
{
	/* 20 days: yellow at <= 4 left (20 %); 5 days: yellow at <= 2 (floor) */
	assert_int_equal(deadline_light(&CF, 20, 5), LIGHT_GREEN);
	assert_int_equal(deadline_light(&CF, 20, 4), LIGHT_YELLOW);
	assert_int_equal(deadline_light(&CF, 5, 3), LIGHT_GREEN);
	assert_int_equal(deadline_light(&CF, 5, 2), LIGHT_YELLOW);
	assert_int_equal(deadline_light(&CF, 5, 0), LIGHT_YELLOW);
	assert_int_equal(deadline_light(&CF, 5, -1), LIGHT_RED);
	struct deadline_conf half = {50, 0, 5, 20};
	assert_int_equal(deadline_light(&half, 10, 6), LIGHT_GREEN);
	assert_int_equal(deadline_light(&half, 10, 5), LIGHT_YELLOW);
	assert_int_equal(deadline_light(&half, 1, 0), LIGHT_YELLOW);
	/* warn_day: the first yellow day. 20 days from Monday 2024-03-04 →
	** due 04-01 (04-04..06 Qingming is after); yellow from 4 working days
	** before: 03-26 */
	struct deadline_facts f = accepted(CASE_PROCESSING, "2024-03-04", 20);
	struct deadline d = run(&f, T("2024-03-04", 9));
	assert_string_equal(S(d.due_day), "2024-04-01");
	assert_string_equal(S(d.warn_day), "2024-03-26");
	assert_int_equal(run(&f, T("2024-03-25", 23)).light, LIGHT_GREEN);
	assert_int_equal(run(&f, T("2024-03-26", 0)).light, LIGHT_YELLOW);
	/* configuration */
	struct conf *c = conf_new();
	struct deadline_conf got;
	struct err e;
	conf_set(c, "cases", "warn_percent", "30");
	conf_set(c, "cases", "receipt_days", "7");
	assert_int_equal(deadline_conf_load(c, &got, &e), 0);
	assert_int_equal(got.warn_percent, 30);
	assert_int_equal(got.warn_days, 2);
	assert_int_equal(got.receipt_days, 7);
	conf_set(c, "cases", "warn_percent", "130");
	assert_int_equal(deadline_conf_load(c, &got, &e), ERR_INVALID);
	conf_free(c);
	assert_int_equal(deadline_conf_load(NULL, &got, &e), 0);
	assert_int_equal(got.receipt_days, 5);
}

static void test_finished(void **state)
{
	struct deadline_facts f = accepted(CASE_APPROVED, "2024-03-04", 5);
	f.final_day = D("2024-03-11");            /* on the due day */
	struct deadline d = run(&f, T("2024-06-01", 9));
	assert_int_equal(d.on_time, 1);
	assert_int_equal(d.light, LIGHT_NONE);
	assert_int_equal(d.workdays_used, 5);
	assert_int_equal(d.workdays_left, 0);
	assert_false(d.running);
	f.final_day = D("2024-03-12");
	d = run(&f, T("2024-06-01", 9));
	assert_int_equal(d.on_time, 0);
	assert_int_equal(d.workdays_left, -1);
	f.status = CASE_DENIED;
	assert_int_equal(run(&f, T("2024-06-01", 9)).on_time, 0);
	f.status = CASE_WITHDRAWN;                /* not 办结: not applicable */
	assert_int_equal(run(&f, T("2024-06-01", 9)).on_time, -1);
	/* refused before acceptance: no processing clock at all */
	struct deadline_facts r = {.status = CASE_REFUSED, .limit = 5, .receipt_day = D("2024-03-04"),
				   .receipt_end = D("2024-03-05"), .final_day = D("2024-03-05")};
	d = run(&r, T("2024-06-01", 9));
	assert_int_equal(d.due_day, DEADLINE_NONE);
	assert_int_equal(d.light, LIGHT_NONE);
	assert_int_equal(d.on_time, -1);
	json_t *j = deadline_json(&d);
	assert_true(json_is_null(json_object_get(j, "due_date")));
	assert_true(json_is_null(json_object_get(j, "workdays_left")));
	assert_true(json_is_null(json_object_get(j, "light")));
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "status"), "name")),
			    "不予受理");
	json_decref(j);
}

static void test_receipt_clock(void **state)
{
	/* received Friday 2024-09-27; 5 working days: 09-29 09-30 10-08 10-09
	** 10-10 */
	struct deadline_facts f = {.status = CASE_RECEIVED, .limit = 10, .receipt_day = D("2024-09-27")};
	struct deadline d = run(&f, T("2024-10-10", 17));
	assert_string_equal(S(d.receipt_due), "2024-10-10");
	assert_int_equal(d.receipt_left, 0);
	assert_false(d.receipt_overdue);
	assert_int_equal(d.due_day, DEADLINE_NONE);
	d = run(&f, T("2024-10-11", 8));
	assert_true(d.receipt_overdue);
	assert_int_equal(d.receipt_left, -1);
	/* accepted in time: the flag never rises */
	f.status = CASE_ACCEPTED;
	f.accepted_day = f.receipt_end = D("2024-10-10");
	assert_false(run(&f, T("2024-12-01", 8)).receipt_overdue);
	/* accepted late: flagged for good */
	f.accepted_day = f.receipt_end = D("2024-10-11");
	assert_true(run(&f, T("2024-12-01", 8)).receipt_overdue);
	/* sent for supplement in time, then a new round from the day the
	** materials came back (Monday 2024-11-04 → due 11-11) */
	struct deadline_facts g = {.status = CASE_SUPP_END, .limit = 10, .receipt_day = D("2024-11-04")};
	d = run(&g, T("2024-11-11", 8));
	assert_string_equal(S(d.receipt_due), "2024-11-11");
	assert_false(d.receipt_overdue);
	g.receipt_late_before = 1;                /* the first round ran out */
	assert_true(run(&g, T("2024-11-05", 8)).receipt_overdue);
	/* configurable: 3 days */
	struct deadline_conf saved = CF;
	CF.receipt_days = 3;
	f = (struct deadline_facts){.status = CASE_RECEIVED, .limit = 10, .receipt_day = D("2024-09-27")};
	assert_string_equal(S(run(&f, T("2024-09-27", 8)).receipt_due), "2024-10-08");
	CF = saved;
}

static void test_tolerance(void **state)
{
	/* 容缺 approved Friday 2024-12-27 with 5 days for the materials: due
	** 2025-01-06 (see test_year_end) */
	struct deadline_facts f = accepted(CASE_APPROVED_TOL, "2024-12-20", 10);
	f.final_day = D("2024-12-27");
	f.tolerance_days = 5;
	struct deadline d = run(&f, T("2025-01-06", 20));
	assert_string_equal(S(d.tolerance_due), "2025-01-06");
	assert_false(d.tolerance_overdue);
	assert_true(run(&f, T("2025-01-07", 0)).tolerance_overdue);
	f.tolerance_done = D("2025-01-06");
	assert_false(run(&f, T("2025-03-01", 0)).tolerance_overdue);
	f.tolerance_done = D("2025-01-07");
	assert_true(run(&f, T("2025-03-01", 0)).tolerance_overdue);
	json_t *j = deadline_json(&d);
	assert_string_equal(json_string_value(json_object_get(json_object_get(j, "tolerance"), "due_date")),
			    "2025-01-06");
	json_decref(j);
}

static void test_span(void **state)
{
	struct deadline_span s;
	struct err e;
	/* stage applied Friday 2024-09-27, 5-day limit, on 10-10: 5 elapsed */
	assert_int_equal(deadline_span(C, &CF, D("2024-09-27"), DEADLINE_NONE, 5, T("2024-10-10", 9),
				       &s, &e), 0);
	assert_int_equal(s.elapsed, 5);
	assert_int_equal(s.left, 0);
	assert_int_equal(s.light, LIGHT_YELLOW);
	assert_int_equal(s.on_time, -1);
	assert_int_equal(deadline_span(C, &CF, D("2024-09-27"), D("2024-10-11"), 5, T("2024-12-10", 9),
				       &s, &e), 0);
	assert_int_equal(s.elapsed, 6);
	assert_int_equal(s.on_time, 0);
	assert_int_equal(s.light, LIGHT_NONE);
	/* no limit (并行推进) */
	assert_int_equal(deadline_span(C, &CF, D("2024-09-27"), DEADLINE_NONE, 0, T("2024-10-10", 9),
				       &s, &e), 0);
	assert_int_equal(s.light, LIGHT_NONE);
	json_t *j = deadline_span_json(&s);
	assert_true(json_is_null(json_object_get(j, "limit")));
	json_decref(j);
	/* outside the calendar's range */
	assert_int_equal(deadline_span(C, &CF, D("1999-01-01"), DEADLINE_NONE, 5, T("2024-10-10", 9),
				       &s, &e), ERR_INVALID);
}

static void test_day_edges(void **state)
{
	/* 23:59:59 Shanghai is still that day; midnight is the next */
	assert_string_equal(S(deadline_day(T("2024-03-04", 0) + 86399)), "2024-03-04");
	assert_string_equal(S(deadline_day(T("2024-03-05", 0))), "2024-03-05");
	assert_string_equal(S(deadline_day(T("2024-01-01", 0) - 1)), "2023-12-31");
	struct deadline_facts f = accepted(CASE_PROCESSING, "2024-03-04", 5);
	f.limit = -1;
	struct deadline d;
	struct err e;
	assert_int_equal(deadline_case(C, &CF, &f, T("2024-03-04", 9), &d, &e), ERR_INVALID);
	assert_int_equal(deadline_light_parse("red"), LIGHT_RED);
	assert_int_equal(deadline_light_parse("blue"), -1);
	assert_null(deadline_light_name(LIGHT_NONE));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_week),
		cmocka_unit_test(test_red_on_the_weekend_after),
		cmocka_unit_test(test_holidays),
		cmocka_unit_test(test_year_end),
		cmocka_unit_test(test_pause_over_holiday),
		cmocka_unit_test(test_open_pause_freezes),
		cmocka_unit_test(test_pauses_overlap_and_before),
		cmocka_unit_test(test_light_thresholds),
		cmocka_unit_test(test_finished),
		cmocka_unit_test(test_receipt_clock),
		cmocka_unit_test(test_tolerance),
		cmocka_unit_test(test_span),
		cmocka_unit_test(test_day_edges),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
