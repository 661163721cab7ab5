/*
** stats_query.h: what the API and the CLI ask of statistics — a period
** report (stats_report.h) and the dashboard overview.
**
** A report sums the rollups over the period for each grouping asked (the
** month rollups for its whole months, the day rows for the days around
** them; the totals row from the first grouping's rows), adds the
** histogram-derived values (P90, longest, shortest), the joint acceptances
** and the whole-project figures (both by their month rollups of 0029 for
** the whole months, from the lifecycle's rows through covering indexes for
** the rest: stats_projects.h), and the totals of the previous period and of
** the same period last year. The dashboard reads
** the maintained current counts only; it never scans the cases.
**
** Scope: a department code limits everything to that department (a
** department head), a district code to that district (an account tied to a
** district only); both NULL is the whole city (leaders, the CLI), as
** rbac_can_see reads. stats_scope decides it from the principal.
**
** Ownership: the report is the caller's (stats_report_free); json_t results
** belong to the caller. The environment is borrowed.
*/
#ifndef GG_STATS_QUERY_H
#define GG_STATS_QUERY_H

#include <jansson.h>
#include <stdint.h>

#include "approval/case.h"
#include "org/rbac.h"
#include "stats/stats_report.h"
#include "store/store.h"

struct stats_request {
	struct stats_period period;
	int groups[SG_COUNT];         /* groupings, one section each          */
	int ngroups;
	struct stats_scope {
		const char *department;   /* NULL: not limited to a department    */
		const char *district;     /* NULL: not limited to a district      */
	} scope;
	int64_t now;
	int days_only;                /* sum day rows only, no month rollup (the
					 benchmark's baseline, the tests' oracle) */
};

/* The scope of who: nothing for city-wide readers (leader, the CLI), else
** the account's department, else its district; an account with neither:
** ERR_FORBIDDEN. The strings point into who. */
int stats_scope_of(const struct principal *who, struct stats_scope *scope, struct err *e);

int stats_report_build(struct store *st, const struct case_env *env, const struct stats_request *q,
		       struct stats_report *r, struct err *e);

/* {"as_of","lights_as_of","scope","department","total","running",
**  "lights":{"green","yellow","red","none"},"status":[{code,name,n}],
**  "districts":[{code,name,total,running,green,yellow,red,concluded,...}],
**  "departments":[… same, plus district],
**  "today":{"received","accepted","concluded","overdue_done"}}. */
int stats_overview(struct store *st, const struct stats_scope *scope, int64_t now, json_t **out,
		   struct err *e);

/* The same overview computed by a GROUP BY over every case row (the
** benchmark's baseline); lights from the rows' due/warn copies. */
int stats_overview_scan(struct store *st, const struct stats_scope *scope, int64_t now, json_t **out,
			struct err *e);

#endif
