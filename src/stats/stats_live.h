/*
** stats_live.h: keeping the statistics aggregates true (issue 7).
**
** Every 办件 change passes through approval/case.c's case_record, which
** calls stats_case_observer in the change's transaction: the case's facts
** are recomputed with the one deadline function (approval/deadline.h, via
** the clock case_record just computed) and the difference between what the
** aggregates counted for the case and what they should count is applied to
** the dashboard (stats_live), the per-day rollup (stats_day) and the
** histogram of working days (stats_wd) — see migration 0006.
**
** Lights move with time without any change: each case's row carries the
** day its light may next change (the warning day, the day after the due
** day); stats_lights recomputes the cases whose day has come, in batches of
** short transactions, recorded as a job run with a lease (ops_runs, job
** "stats.lights"), so a crashed pass never blocks the next one. It runs
** daily in `serve` (first stats read of the day, and the CLI `gonggai stats
** refresh` for cron) and on demand. The same pass recounts the months of
** whole projects whose mark a change dropped (stats_projects.h).
**
** stats_rebuild recomputes every case's facts from the raw rows and sums the
** aggregates from them; stats_check refreshes the lights to now, then
** compares every case's stored facts with a recount from the raw rows and
** every maintained aggregate with the sum over those facts, all at the same
** instant inside one transaction. Both also cover the joint acceptances'
** month rollup (stats_month_joint, kept by triggers: store_stats.h), written
** from and compared with a recount of the closed instances, and the whole
** projects' (stats_projects.h): rebuild recounts every month before today's,
** check every marked month.
**
** The environment (calendar, thresholds) is borrowed; nothing returned needs
** freeing.
*/
#ifndef GG_STATS_LIVE_H
#define GG_STATS_LIVE_H

#include <stdint.h>

#include "approval/case.h"
#include "base/err.h"
#include "store/store.h"

/* The observer approval/case.c calls for every change (case.h). */
int stats_case_observer(struct store *st, const struct case_snap *before, const struct case_snap *after,
			int64_t now, struct err *e);

/* Recompute one case from its raw rows at now and apply the difference;
** *changed (may be NULL) 1 when the aggregates moved. In the caller's
** transaction (or its own). */
int stats_case_refresh(struct store *st, const struct case_env *env, int64_t case_id, int64_t now,
		       int *changed, struct err *e);

/* A case that no longer exists (a voided 办件, src/repair): subtract what
** the aggregates counted for it and drop its row. Nothing when not counted. */
int stats_case_forget(struct store *st, int64_t case_id, struct err *e);

struct stats_pass {
	int64_t run_id;               /* ops_runs id, 0 when not recorded        */
	int64_t examined;             /* cases whose light day had come          */
	int64_t changed;              /* … whose counted facts changed           */
	int expired;                  /* abandoned earlier runs marked expired   */
	int months;                   /* whole projects' months recounted (stats_projects.h) */
};

/* The light pass at now (see above). trigger: "scheduler", "cli:<login>",
** "api:<user>". A pass of another process still within its lease: ERR_CONFLICT. */
int stats_lights(struct store *st, const struct case_env *env, int64_t now, const char *trigger,
		 struct stats_pass *out, struct err *e);
/* Run the pass when the last one was before today (cheap check first);
** else recount the whole projects' months when last month has no mark yet
** (stats_projects_catch_up). */
int stats_lights_if_stale(struct store *st, const struct case_env *env, int64_t now, const char *trigger,
			  struct err *e);

struct stats_rebuild_result {
	int64_t cases;                /* cases recomputed                        */
	double ms;
};
/* Recompute everything from the raw rows in one transaction. */
int stats_rebuild(struct store *st, const struct case_env *env, int64_t now, struct stats_rebuild_result *out,
		  struct err *e);

struct stats_check_result {
	int equal;                    /* 1 when every aggregate matched          */
	char diff[1600];              /* the first difference otherwise          */
	int64_t cases;                /* cases recounted                         */
	struct stats_pass pass;       /* the light pass run first                */
};
int stats_check(struct store *st, const struct case_env *env, int64_t now, const char *trigger,
		struct stats_check_result *out, struct err *e);

#endif
