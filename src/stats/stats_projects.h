/*
** stats_projects.h: whole projects (全流程) in period reports, counted by
** elapsed working days (issue 21, migration 0029).
**
** A report's whole projects are those whose last stage finished in the
** period, by flow type, with the histogram of their elapsed working days
** (the project clock, approval/case.h's case_project_span). The days at the
** period's edges, the months not marked and any department's scope are
** read project by project; the whole months marked in
** stats_month_project_done come from the month rollup stats_month_project
** (by district, '' for the whole city). The working days need the calendar,
** so no trigger can keep the rollup: a change to a finished project drops
** its month's mark in the writing transaction (0029's triggers) and the
** month is read project by project again until stats_projects_fill
** recounts it — the daily pass (stats_lights), `stats rebuild` and this
** function's callers. stats_projects_check recounts every marked month.
**
** The environment (calendar) is borrowed; nothing returned needs freeing.
*/
#ifndef GG_STATS_PROJECTS_H
#define GG_STATS_PROJECTS_H

#include <stdint.h>

#include "approval/case.h"
#include "base/err.h"
#include "stats/stats.h"
#include "store/store.h"
#include "store/store_stats.h"

/* The flow rows of range rg into flows (one per flow type with projects or a
** target, ascending; at most STATS_MAX_FLOWS), *n how many. */
#define STATS_MAX_FLOWS 10
int stats_projects_rows(struct store *st, const struct case_env *env, const struct stats_range *rg, int64_t now,
			struct stats_flow_row *flows, int *n, struct err *e);

/* Recount and mark every month before now's month that has finished
** projects and no mark; own_txn: one short transaction per month (else in
** the caller's). *filled (may be NULL) how many months. */
int stats_projects_fill(struct store *st, const struct case_env *env, int64_t now, int own_txn, int *filled,
			struct err *e);

/* The same when the month before now's has no mark (a new month, a database
** just migrated): cheap otherwise, for every report (stats_lights_if_stale). */
int stats_projects_catch_up(struct store *st, const struct case_env *env, int64_t now, struct err *e);

/* Compare every marked month with a recount: diff[0] stays 0 when equal,
** else names the first cell that differs. */
int stats_projects_check(struct store *st, const struct case_env *env, int64_t now, char *diff, size_t n,
			 struct err *e);

#endif
