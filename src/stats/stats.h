/*
** stats.h: the arithmetic of statistics, pure (数据统计分析, domain.md §11).
**
** Every number a report shows is either a count kept in struct stats_counts
** or a value derived from those counts by stats_values(); nothing else in
** the program divides one count by another. A rate whose denominator is 0 is
** null (STATS_NULL, a NaN), never 0 and never 100 %.
**
** Which date puts a 办件 into a period is part of each count's definition
** (docs/api.md, section 统计): received date for 接件 and for the cohort
** counts, accepted date for 受理, decision date for 不予受理 and 办结 … The
** store sums the counts over per-day rollups; this module only knows counts.
**
** Also here: report periods (day, month, quarter, year, range) in Asia/
** Shanghai days with the previous period (环比) and the same period last
** year (同比), the grouping keys, the names of stages and flow types, and the
** province's whole-project targets.
**
** No I/O, no allocation, no global mutable state.
*/
#ifndef GG_STATS_H
#define GG_STATS_H

#include <math.h>
#include <stddef.h>
#include <stdint.h>

#include "base/dict.h"
#include "base/err.h"
#include "store/stats_schema.h"

#define STATS_NULL NAN
#define stats_is_null(x) isnan(x)

/* ---- counts ---------------------------------------------------------------- */

struct stats_counts {
	int64_t n[SC_COUNT];
	/* From the histogram of working days used by the concluded 办件
	** (stats_hist_feed); -1 when there is none. */
	int64_t hist_n;       /* 办件 fed so far                                  */
	int64_t wd_min, wd_max, wd_p90;
};

/* Column names of the counts, as the rollup tables and JSON spell them. */
const char *stats_count_key(int i);

void stats_counts_zero(struct stats_counts *c);
/* dst += src, histogram-derived values excluded (see stats_hist_*). */
void stats_counts_add(struct stats_counts *dst, const struct stats_counts *src);

/* Feed the histogram of working days used, in ascending wd order, after
** c->n[SC_CONCLUDED] is known: min, max and P90 (nearest rank: the smallest
** value with at least 90 % of the 办件 at or below it). */
void stats_hist_feed(struct stats_counts *c, int64_t wd, int64_t n);

/* ---- derived values: every rate in one place ------------------------------ */

enum stats_value_kind {
	SV_COUNT = 0,         /* integer                                          */
	SV_RATE,              /* share 0..1, shown as a percentage                */
	SV_DAYS,              /* average days, one decimal                        */
	SV_RATIO,             /* plain ratio, two decimals                        */
};

/* One column of every report: counts first, then derived values. */
struct stats_column {
	const char *key;      /* JSON and CSV key: "received", "accept_rate"     */
	const char *name;     /* Chinese heading: "接件数", "受理率"              */
	int kind;             /* enum stats_value_kind                           */
	int brief;            /* shown by the terminal table                     */
};

size_t stats_column_count(void);
const struct stats_column *stats_column(size_t i);
/* Index of the column with key, -1 when none. */
int stats_column_find(const char *key);

/* Every column's value for c into out[stats_column_count()]; null rates and
** averages are STATS_NULL. */
void stats_values(const struct stats_counts *c, double *out);

/* Relative change (cur - base) / base; null when base is 0 or either is null. */
double stats_change(double cur, double base);
/* Difference cur - base (for rates: percentage points / 100); null if either is. */
double stats_diff(double cur, double base);

/* ---- periods --------------------------------------------------------------- */

enum stats_period_kind { SP_DAY = 0, SP_MONTH, SP_QUARTER, SP_YEAR, SP_RANGE };

/* Inclusive Asia/Shanghai days (cal day numbers). partial: the period was
** cut at today ("to date"); comparisons are cut at the same day of the
** month (clamped to the month's end). */
struct stats_period {
	int kind;
	int32_t from, to;
	int partial;
};

#define STATS_MAX_RANGE_DAYS 3700   /* about ten years */

/* Parse a period. kind: "day" "month" "quarter" "year" "range" or NULL.
** from: for day a date; month "YYYY-MM" or a date in it; quarter "YYYY-Qn"
** or a date; year "YYYY" or a date; range a date (to required too). Missing
** from: the period containing today. No kind and no dates: the current year
** to date; no kind with from and to: range. A period containing today ends
** today (partial). ERR_INVALID names the field ("period", "from", "to"). */
int stats_period_parse(const char *kind, const char *from, const char *to, int32_t today,
		       struct stats_period *p, struct err *e);
/* The previous period of the same kind (环比): the month before, cut at the
** same day of month when p is partial; for a range, the same number of days
** just before. */
void stats_period_previous(const struct stats_period *p, struct stats_period *out);
/* The same period one year earlier (同比); 02-29 becomes 02-28. */
void stats_period_last_year(const struct stats_period *p, struct stats_period *out);
const char *stats_period_kind_name(int kind);
/* The whole calendar months inside the days [from, to], for the sums that
** read month rollups: [*month_from, *month_to] (each the day number of a
** month's 1st; *month_from > *month_to when there is none), and the days
** around them, read from the day rows: [from, *head_to] and [*tail_from, to]
** (empty when the bound passes the other). */
void stats_period_months(int32_t from, int32_t to, int32_t *head_to, int32_t *month_from, int32_t *month_to,
			 int32_t *tail_from);
/* The 1st of the month of day. */
int32_t stats_month_of(int32_t day);
/* Chinese label: "2025年3月", "2025年第1季度", "2025年", "2025-03-01至2025-03-31",
** with "(截至MM-DD)" when partial. */
void stats_period_label(const struct stats_period *p, char *buf, size_t n);

/* ---- whole projects ---------------------------------------------------------- */

/* Whole-project elapsed working days of the projects that completed their
** last stage in the period, per flow type, against the province's target. */
struct stats_flow_row {
	int flow_type;
	int target;                   /* working days; 0 when none               */
	int64_t projects;             /* completed in the period                 */
	int64_t within;               /* … within the target (when there is one) */
	int64_t elapsed_sum;          /* Σ elapsed working days                  */
	int64_t elapsed_max;          /* -1 when none                            */
	int64_t elapsed_p90;          /* nearest rank, -1 when none              */
	int64_t fed;                  /* projects fed so far (stats_flow_feed)   */
};

/* Start a row for flow type t with projects completed (known in advance). */
void stats_flow_init(struct stats_flow_row *f, int t, int64_t projects);
/* Feed n projects of elapsed working days, ascending: sum, max, P90, within. */
void stats_flow_feed(struct stats_flow_row *f, int64_t elapsed, int64_t n);
/* Average elapsed and the share within the target (null without target). */
void stats_flow_values(const struct stats_flow_row *f, double *avg_elapsed, double *within_rate);

/* ---- groupings, names, targets --------------------------------------------- */


/* "district" "department" "item" "stage" "flow-type". */
const char *stats_group_name(int g);
/* "区县" "部门" "事项" "阶段" "项目类型". */
const char *stats_group_label(int g);
/* -1 when unknown. */
int stats_group_parse(const char *s);

/* National stage names (1..5); "" for others. */
const char *stats_stage_name(int stage);
/* Flow type (SPLCLX 1..10) names; "" for others. */
const char *stats_flow_type_name(int t);
/* The province's whole-project limit in working days (省办发〔2021〕18号):
** 90 for government investment (1, 2), 65 for general social investment
** (3); 0 (none) for the others. */
int stats_flow_type_target(int t);

/* Light of a running 办件 as the aggregates store it. */
enum stats_light { SL_NONE = 0, SL_GREEN = 1, SL_YELLOW = 2, SL_RED = 3 };
const char *stats_light_name(int light);   /* "none" "green" "yellow" "red" */
int stats_light_parse(const char *s);      /* -1 when unknown               */

/* stats.group and stats.period: the words of groupings and period kinds. */
extern const struct dict stats_dicts[];

#endif
