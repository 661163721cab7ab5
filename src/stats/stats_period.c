/*
** stats_period.c: report periods in Asia/Shanghai days (see stats.h).
**
** A period is an inclusive range of day numbers (calendar/cal.h). A period
** that contains today ends today ("to date", partial) so that it compares
** fairly with the previous period and with last year: both are cut at the
** same day offset from their start.
*/
#include "stats/stats.h"
#include "calendar/cal.h"

#include <stdio.h>
#include <string.h>

static const char *const kind_names[] = {"day", "month", "quarter", "year", "range"};

const char *stats_period_kind_name(int kind)
{
	return kind >= SP_DAY && kind <= SP_RANGE ? kind_names[kind] : "";
}

static int parse_kind(const char *s)
{
	for (int k = SP_DAY; k <= SP_RANGE; k++)
		if (strcmp(s, kind_names[k]) == 0)
			return k;
	return -1;
}

static int32_t month_start(int y, int m)
{
	return cal_date_from_ymd(y, m, 1);
}

/* First day of the month m0 months after (y, m); m0 may be negative. */
static int32_t month_shift(int y, int m, int m0)
{
	int idx = y * 12 + (m - 1) + m0;
	return month_start(idx / 12, idx % 12 + 1);
}

/* The natural period of kind containing day, into [*from, *to]. */
static void natural(int kind, int32_t day, int32_t *from, int32_t *to)
{
	int y, m;
	cal_date_ymd(day, &y, &m, NULL);
	switch (kind) {
	case SP_MONTH:
		*from = month_start(y, m);
		*to = month_shift(y, m, 1) - 1;
		break;
	case SP_QUARTER:
		m = (m - 1) / 3 * 3 + 1;
		*from = month_start(y, m);
		*to = month_shift(y, m, 3) - 1;
		break;
	case SP_YEAR:
		*from = month_start(y, 1);
		*to = month_start(y + 1, 1) - 1;
		break;
	default:
		*from = *to = day;
	}
}

static int in_range(int32_t day)
{
	int y;
	cal_date_ymd(day, &y, NULL, NULL);
	return y >= CAL_FIRST_YEAR && y <= CAL_LAST_YEAR;
}

/* The anchor day of from for kind: a full date, or the shorter forms
** "YYYY-MM" (month), "YYYY-Qn" (quarter), "YYYY" (year). */
static int parse_anchor(int kind, const char *s, int32_t *day, struct err *e)
{
	int y, m, q, n = 0;
	size_t len = strlen(s);
	if (len == 10)
		return cal_date_parse(s, day, NULL) == 0 ? 0
			: err_set(e, ERR_INVALID, "from", "日期格式应为 YYYY-MM-DD: %s", s);
	if (kind == SP_MONTH && len == 7 && sscanf(s, "%4d-%2d%n", &y, &m, &n) == 2 && n == 7 &&
	    m >= 1 && m <= 12 && y >= 1) {
		*day = month_start(y, m);
		return 0;
	}
	if (kind == SP_QUARTER && len == 7 && sscanf(s, "%4d-Q%1d%n", &y, &q, &n) == 2 && n == 7 &&
	    q >= 1 && q <= 4 && y >= 1) {
		*day = month_start(y, (q - 1) * 3 + 1);
		return 0;
	}
	if (kind == SP_YEAR && len == 4 && sscanf(s, "%4d%n", &y, &n) == 1 && n == 4 && y >= 1) {
		*day = month_start(y, 1);
		return 0;
	}
	static const char *const forms[] = {"YYYY-MM-DD", "YYYY-MM 或 YYYY-MM-DD",
					    "YYYY-Qn 或 YYYY-MM-DD", "YYYY 或 YYYY-MM-DD", "YYYY-MM-DD"};
	return err_set(e, ERR_INVALID, "from", "%s 的格式应为 %s: %s", kind_names[kind], forms[kind], s);
}

static int parse_range(const char *from, const char *to, struct stats_period *p, struct err *e)
{
	if (!from || !*from)
		return err_set(e, ERR_INVALID, "from", "自定义区间需要开始日期 from (range needs from)");
	if (!to || !*to)
		return err_set(e, ERR_INVALID, "to", "自定义区间需要结束日期 to (range needs to)");
	if (cal_date_parse(from, &p->from, NULL))
		return err_set(e, ERR_INVALID, "from", "日期格式应为 YYYY-MM-DD: %s", from);
	if (cal_date_parse(to, &p->to, NULL))
		return err_set(e, ERR_INVALID, "to", "日期格式应为 YYYY-MM-DD: %s", to);
	if (p->to < p->from)
		return err_set(e, ERR_INVALID, "to", "结束日期早于开始日期 (to before from)");
	if (p->to - p->from + 1 > STATS_MAX_RANGE_DAYS)
		return err_set(e, ERR_INVALID, "to", "区间不能超过 %d 天 (range too long)",
			       STATS_MAX_RANGE_DAYS);
	p->kind = SP_RANGE;
	return 0;
}

int stats_period_parse(const char *kind, const char *from, const char *to, int32_t today,
		       struct stats_period *p, struct err *e)
{
	memset(p, 0, sizeof *p);
	int k;
	if (kind && *kind) {
		if ((k = parse_kind(kind)) < 0)
			return err_set(e, ERR_INVALID, "period",
				       "统计周期应为 day|month|quarter|year|range: %s", kind);
	} else {
		k = (from && *from && to && *to) ? SP_RANGE : SP_YEAR;
	}
	if (k == SP_RANGE) {
		if (parse_range(from, to, p, e))
			return e->code;
	} else {
		if (to && *to)
			return err_set(e, ERR_INVALID, "to", "只有自定义区间 (range) 使用 to");
		int32_t anchor = today;
		if (from && *from && parse_anchor(k, from, &anchor, e))
			return e->code;
		p->kind = k;
		natural(k, anchor, &p->from, &p->to);
		if (p->from <= today && today < p->to) {
			p->to = today;
			p->partial = 1;
		}
	}
	if (!in_range(p->from) || !in_range(p->to))
		return err_set(e, ERR_INVALID, "from", "日期超出 %d-%d 年的范围", CAL_FIRST_YEAR,
			       CAL_LAST_YEAR);
	return 0;
}

int32_t stats_month_of(int32_t day)
{
	int y, m;
	cal_date_ymd(day, &y, &m, NULL);
	return month_start(y, m);
}

void stats_period_months(int32_t from, int32_t to, int32_t *head_to, int32_t *month_from, int32_t *month_to,
			 int32_t *tail_from)
{
	int y, m, d;
	cal_date_ymd(from, &y, &m, &d);
	int32_t first = d == 1 ? from : month_shift(y, m, 1);       /* 1st of the first whole month */
	cal_date_ymd(to + 1, &y, &m, &d);
	int32_t end = d == 1 ? to + 1 : month_start(y, m);          /* the day after the last one   */
	if (first >= end) {
		*head_to = to;
		*month_from = 1;
		*month_to = 0;
		*tail_from = to + 1;
		return;
	}
	*head_to = first - 1;
	*month_from = first;
	*month_to = stats_month_of(end - 1);
	*tail_from = end;
}

/* day moved by m months, the day of month clamped to the month's end. */
static int32_t shift_day(int32_t day, int m)
{
	int y, mo, d;
	cal_date_ymd(day, &y, &mo, &d);
	int32_t first = month_shift(y, mo, m);
	int32_t last = month_shift(y, mo, m + 1) - 1;
	return first + d - 1 < last ? first + d - 1 : last;
}

void stats_period_previous(const struct stats_period *p, struct stats_period *out)
{
	int y, m;
	*out = *p;
	cal_date_ymd(p->from, &y, &m, NULL);
	if (p->kind == SP_MONTH || p->kind == SP_QUARTER || p->kind == SP_YEAR) {
		int months = p->kind == SP_MONTH ? 1 : p->kind == SP_QUARTER ? 3 : 12;
		out->from = month_shift(y, m, -months);
		out->to = p->from - 1;
		/* a partial period compares with the same stretch: to the same
		** day of month (clamped), never past the previous period's end */
		if (p->partial && shift_day(p->to, -months) < out->to)
			out->to = shift_day(p->to, -months);
		return;
	}
	int32_t len = p->to - p->from + 1;
	out->from = p->from - len;
	out->to = p->from - 1;
}

static int32_t minus_year(int32_t day)
{
	int y, m, d;
	cal_date_ymd(day, &y, &m, &d);
	if (m == 2 && d == 29)
		d = 28;
	return cal_date_from_ymd(y - 1, m, d);
}

void stats_period_last_year(const struct stats_period *p, struct stats_period *out)
{
	*out = *p;
	out->from = minus_year(p->from);
	out->to = minus_year(p->to);
	if (!p->partial && p->kind != SP_RANGE && p->kind != SP_DAY)
		natural(p->kind, out->from, &out->from, &out->to);
}

void stats_period_label(const struct stats_period *p, char *buf, size_t n)
{
	int y, m, d, ty, tm, td;
	char a[CAL_DATE_LEN], b[CAL_DATE_LEN];
	cal_date_ymd(p->from, &y, &m, &d);
	cal_date_ymd(p->to, &ty, &tm, &td);
	cal_date_format(p->from, a);
	cal_date_format(p->to, b);
	int w = 0;
	switch (p->kind) {
	case SP_DAY: w = snprintf(buf, n, "%s", a); break;
	case SP_MONTH: w = snprintf(buf, n, "%d年%d月", y, m); break;
	case SP_QUARTER: w = snprintf(buf, n, "%d年第%d季度", y, (m - 1) / 3 + 1); break;
	case SP_YEAR: w = snprintf(buf, n, "%d年", y); break;
	default: w = snprintf(buf, n, "%s至%s", a, b); break;
	}
	if (p->partial && p->kind != SP_RANGE && w >= 0 && (size_t)w < n)
		snprintf(buf + w, n - w, "(截至%02d-%02d)", tm, td);
}
