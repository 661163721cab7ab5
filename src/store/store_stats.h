/*
** store_stats.h: the SQL of statistics (migrations 0006, 0007, 0021, 0029):
** the per-case facts the aggregates count (stats_case), adding to the
** maintained cells (stats_day and its month rollup stats_month, stats_wd and
** stats_month_wd, stats_live; stats_month_joint keeps itself by triggers)
** and reading them back for check, and the
** report queries (period sums by grouping, the histogram of working days, joint
** acceptances and whole projects over the lifecycle's rows).
**
** No rules here: stats/stats_live.c decides what a case's facts are (with
** the deadline function), stats/stats_query.c builds reports. Results come
** back through callbacks or caller-owned structs; nothing is allocated that
** the caller must free unless said.
*/
#ifndef GG_STORE_STATS_H
#define GG_STORE_STATS_H

#include <jansson.h>
#include <stdint.h>

#include "store/stats_schema.h"
#include "store/store.h"
#include "store/store_case.h"

/* stats_case outcome codes. */
enum stats_outcome {
	SO_RUNNING = 0, SO_APPROVED = 1, SO_APPROVED_TOL = 2, SO_DENIED = 3, SO_REFUSED = 4,
	SO_CANCELLED = 5, SO_WITHDRAWN = 6, SO_REVOKED = 7,
};

/* One row of stats_case. Days 0 and the *_opt values -1 mean SQL NULL. */
struct stats_snap {
	int64_t case_id;
	char district[16];
	char department[48];
	char item[40];
	int stage, flow_type, status, outcome, light;
	int32_t recv_day, acc_day, fin_day;
	int late, supp, special, parallel, inst_first;
	int wd, nd, lim, paused;          /* -1 unless concluded              */
	int32_t next_check;               /* 0: never                          */
};

/* The keys of a rollup cell: a day and the five groupings. */
struct stats_key {
	int32_t day;
	char district[16];
	char department[48];
	char item[40];
	int stage, flow_type;
};

/* ---- maintenance ------------------------------------------------------------- */

/* The stored row of case_id into *s; *found 0 when there is none. */
int store_stats_case_get(struct store *st, int64_t case_id, struct stats_snap *s, int *found,
			 struct err *e);
/* Insert or replace the row (no aggregate is touched). */
int store_stats_case_put(struct store *st, const struct stats_snap *s, struct err *e);
/* Delete the row of a case that no longer exists (no aggregate is touched). */
int store_stats_case_del(struct store *st, int64_t case_id, struct err *e);
/* Add v (every SC_* but the joint ones) to the stats_day cell k and to its
** month's stats_month cell (migration 0021), creating them. */
int store_stats_day_add(struct store *st, const struct stats_key *k, const int64_t *v, struct err *e);
/* Add n to the histogram cell (k, wd) and its month's (stats_month_wd) / to
** the dashboard cell. */
int store_stats_wd_add(struct store *st, const struct stats_key *k, int wd, int64_t n, struct err *e);
int store_stats_live_add(struct store *st, const char *district, const char *department, int status,
			 int light, int64_t n, struct err *e);
/* Every maintained row of stats_day, stats_wd, stats_live, stats_month and
** stats_month_wd (k->day: the month's 1st) through the callbacks (any may
** be NULL); a callback's non-zero stops and is returned. */
struct stats_rows_fns {
	int (*day)(void *arg, const struct stats_key *k, const int64_t *v);
	int (*wd)(void *arg, const struct stats_key *k, int wd, int64_t n);
	int (*live)(void *arg, const char *district, const char *department, int status, int light, int64_t n);
	int (*month)(void *arg, const struct stats_key *k, const int64_t *v);
	int (*month_wd)(void *arg, const struct stats_key *k, int wd, int64_t n);
};
int store_stats_rows(struct store *st, const struct stats_rows_fns *fns, void *arg, struct err *e);

/* Facts about a case that its struct does not carry: whether it had a 补正
** or a 特别程序, its instance's size, whether it is the instance's first
** case, and its promised limit. */
struct stats_case_extra {
	int supp, special, ncases, inst_first, limit;
};
int store_stats_case_extra(struct store *st, int64_t case_id, struct stats_case_extra *x, struct err *e);

/* Every case in id order with what its counted facts need, for rebuild and
** check: the row's columns into c (those of struct case_rec but the joined
** display names), the extra facts into x. fn stops the scan by returning
** non-zero (returned). */
struct stats_scan_row {
	struct case_rec c;
	struct stats_case_extra x;
};
int store_stats_scan(struct store *st, int (*fn)(void *arg, const struct stats_scan_row *r), void *arg,
		     struct err *e);

/* Up to max case ids whose light may have changed by day today
** (next_check <= today), in id order; *n how many. */
int store_stats_due(struct store *st, int32_t today, int64_t *ids, int max, int *n, struct err *e);
/* Number of cases in the lifecycle and in stats_case. */
int store_stats_counts(struct store *st, int64_t *cases, int64_t *snaps, struct err *e);

struct stats_meta {
	int32_t lights_day;
	int64_t lights_at, rebuilt_at;
};
int store_stats_meta_get(struct store *st, struct stats_meta *m, struct err *e);
int store_stats_meta_put(struct store *st, const struct stats_meta *m, struct err *e);

/* A large page cache (on) for rebuild and check, whose one transaction
** touches every case, or the default again (off). */
int store_stats_bulk(struct store *st, int on, struct err *e);
/* Empty stats_case and every aggregate (rebuild, inside its transaction). */
int store_stats_clear(struct store *st, struct err *e);
/* The joint acceptances by month (stats_month_joint, migration 0029; kept by
** triggers on case_instances with every writer): write them from the
** instances into the emptied table (rebuild), or compare the table with that
** recount (check): diff[0] stays 0 when equal, else names the first cell
** that differs. */
int store_stats_joint_recount(struct store *st, struct err *e);
int store_stats_joint_check(struct store *st, char *diff, size_t n, struct err *e);

/* ---- reports ---------------------------------------------------------------------- */

/* Filter of a report: inclusive days, optional department or district
** scope (NULL: the whole city). The sums and the histogram read the day
** rows of [from, head_to] and [tail_from, to] and the month rollups of
** [month_from, month_to] (1st-of-month day numbers); stats_period_months
** (stats.h) splits a range so, an empty part has its bounds crossed. The
** joint acceptances read the same parts (their edge days from the
** instances); whole projects (store_stats_projects) read the days they are
** given, stats/stats_projects.c splits the range. */
struct stats_range {
	int32_t from, to;
	int32_t head_to, month_from, month_to, tail_from;
	const char *department;
	const char *district;
};

/* Every rollup row of the range (day rows and month rows, see struct
** stats_range) with its key of grouping g (SG_COUNT: key ""), in no
** particular order and not summed: a key comes back once per row, and the
** caller adds them up (stats/stats_query.c). fn gets each key and the
** row's counts v[SC_COUNT] (joint and histogram counts 0). */
typedef int (*stats_row_fn)(void *arg, const char *key, const int64_t *v);
int store_stats_sums(struct store *st, const struct stats_range *r, int g, stats_row_fn fn, void *arg,
		     struct err *e);
/* Every histogram row (key, wd, n) of the range the same way: not summed,
** in no particular order. */
typedef int (*stats_hist_fn)(void *arg, const char *key, int64_t wd, int64_t n);
int store_stats_hist(struct store *st, const struct stats_range *r, int g, stats_hist_fn fn, void *arg,
		     struct err *e);
/* Joint acceptances (54Y instances) closed in the range, by the keys of each
** instance's first case: fn(key, joint, passed) — for a grouping once per
** instance closed on the range's edge days (1, passed 0 or 1) and once per
** month cell of its whole months (stats_month_joint), the caller adds them
** up per key; for SG_COUNT once with the counts. */
typedef int (*stats_joint_fn)(void *arg, const char *key, int64_t joint, int64_t passed);
int store_stats_joint(struct store *st, const struct stats_range *r, int g, stats_joint_fn fn, void *arg,
		      struct err *e);
/* Projects whose last stage finished in [from, to] (a department's scope:
** the projects it handled something of): fn(flow_type, started_at,
** finished_at, district), in no particular order. */
typedef int (*stats_project_fn)(void *arg, int flow_type, int64_t started_at, int64_t finished_at,
				const char *district);
int store_stats_projects(struct store *st, const struct stats_range *r, stats_project_fn fn, void *arg,
			 struct err *e);
/* Whole projects by month of finishing (migration 0029): stats_month_project
** holds, per month (its 1st's day number), district ('' for the whole city)
** and flow type, the projects by elapsed working days (wd); a month counts
** only while stats_month_project_done marks it, and triggers on
** case_progress drop the mark when a finished project of the month changes.
** The months marked in [month_from, month_to], ascending, up to max into
** months (*n how many): */
int store_stats_project_done(struct store *st, int32_t month_from, int32_t month_to, int32_t *months, int max,
			     int *n, struct err *e);
/* … the cells of the marked months in [month_from, month_to] of one
** district ('' for the whole city; NULL: every row) through fn: */
typedef int (*stats_project_cell_fn)(void *arg, int32_t month, const char *district, int flow_type, int64_t wd,
				     int64_t n);
int store_stats_project_months(struct store *st, int32_t month_from, int32_t month_to, const char *district,
			       stats_project_cell_fn fn, void *arg, struct err *e);
/* … the earliest finished_at of any project (0: none); filling a month:
** clear its cells and mark, put its cells, then mark it (in the caller's
** transaction). */
int store_stats_project_first(struct store *st, int64_t *finished_at, struct err *e);
int store_stats_project_month_clear(struct store *st, int32_t month, struct err *e);
int store_stats_project_month_put(struct store *st, int32_t month, const char *district, int flow_type, int64_t wd,
				  int64_t n, struct err *e);
int store_stats_project_month_done(struct store *st, int32_t month, int64_t now, struct err *e);
/* Display name of a key of grouping g (districts, departments, the latest
** name of an item code); "" when unknown. Stages and flow types are named
** by stats.h. */
int store_stats_name(struct store *st, int g, const char *key, char *name, size_t n, struct err *e);

/* The dashboard cells (n != 0) through fn, for one department or district
** when set. */
typedef int (*stats_live_fn)(void *arg, const char *district, const char *department, int status, int light,
			     int64_t n);
int store_stats_live(struct store *st, const char *department, const char *district, stats_live_fn fn,
		     void *arg, struct err *e);
/* The same cells by a naive GROUP BY over every case row (the benchmark's
** baseline), lights from the rows' due/warn copies at day today. */
int store_stats_live_scan(struct store *st, const char *department, const char *district, int32_t today,
			  stats_live_fn fn, void *arg, struct err *e);

#endif
