/*
** sched.h: the scheduler of `gonggai serve`: one thread with its own
** database connection that runs the inspections, the nightly backup, the
** cleanup and the weekly restore drill on their schedules, and the jobs the
** API asks for ("run now"), one at a time.
**
** Default schedule (times Asia/Shanghai, all in [ops], see docs/operations.md):
**   inspect.net   every 5 min, at hh:02:30, hh:07:30, ... (never on the minute)
**   inspect.app   working days 08:00 (before office hours; calendar/cal.h)
**   inspect.host  weekly, Monday 07:30
**   backup        daily 02:00, followed at once by inspect.db
**   cleanup       daily 03:30, followed at once by inspect.logs
**   drill         weekly, Sunday 04:30
** A calendar job whose last occurrence was missed (server down at the time,
** fresh install) is caught up shortly after start, the jobs spaced
** [ops] catchup_delay_seconds apart so they do not fire at once.
**
** Every run is an ops_runs row with a lease (store_ops.h): a run that
** crashed is marked expired by the next claim and never blocks later runs.
** Failures are logged at ERROR and recorded, never skipped silently.
**
** The scheduler also writes a heartbeat row every minute (app.scheduler),
** publishes the server's address in the lock file (ops/lock.h) and adds
** gonggai_inspection_status{item} and friends to /metrics (app->hooks).
**
** Threads: ops_sched_submit and ops_sched_wait are called from HTTP worker
** threads; everything else of the scheduler runs on its own thread.
*/
#ifndef GG_OPS_SCHED_H
#define GG_OPS_SCHED_H

#include <stdint.h>

#include "ops/lock.h"
#include "ops/ops.h"

struct buf;
struct cal;
struct ops_sched;

enum ops_job { OPS_JOB_INSPECT = 1, OPS_JOB_BACKUP, OPS_JOB_DRILL, OPS_JOB_CLEANUP, OPS_JOB_EXT };

/* Start after the HTTP server listens on port: lk is the shared lock serve
** took before opening the database (the scheduler publishes into it); ext
** (may be NULL) the items, jobs and observers registered from above, owned
** by the caller until ops_sched_free, as is host. The caller hands *out to
** the HTTP handlers and adds ops_sched_metrics to /metrics. Free *out with
** ops_sched_free. */
int ops_sched_start(const struct ops_host *host, struct ops_lock *lk, int port, const struct ops_ext *ext,
		    struct ops_sched **out, struct err *e);
/* The scheduler's lines of /metrics (inspection states, last backup, last
** tick) at now, from its last snapshot. */
void ops_sched_metrics(struct ops_sched *s, int64_t now, struct buf *o);
/* Interrupt the running job at its next step, wake handlers waiting for a
** run, join the thread. ops_sched_metrics keeps answering (from the last
** snapshot) until ops_sched_free, which must come after the HTTP server has
** stopped. NULL is fine for both. */
void ops_sched_stop(struct ops_sched *s);
void ops_sched_free(struct ops_sched *s);

/* The configuration the scheduler runs with (read-only). */
const struct ops_conf *ops_sched_conf(const struct ops_sched *s);

/* Queue a job for a run already claimed by the caller (run_id). only: the
** inspection selection (may be NULL); dry_run for cleanup. ERR_CONFLICT when
** the queue is full, ERR_INTERNAL when stopping. */
int ops_sched_submit(struct ops_sched *s, int job, int64_t run_id, const struct principal *who,
		     const char *only, int dry_run, struct err *e);
/* Start a built-in job (OPS_JOB_*, run name `name`) for who: claim the run
** on st (the caller's connection; backups, drills and cleanups are
** exclusive, ERR_CONFLICT while one runs), queue it, and close it as failed
** when the queue refuses it. *run_id set on success. */
int ops_sched_run(struct ops_sched *s, struct store *st, int job, const char *name, const struct principal *who,
		  int64_t now, const char *only, int dry_run, int64_t *run_id, struct err *e);
/* Claim a run of the registered job `name` on st (the caller's connection)
** as who and queue it: *run_id set. ERR_NOTFOUND for an unknown job,
** ERR_CONFLICT when one is running or the queue is full. */
int ops_sched_submit_ext(struct ops_sched *s, struct store *st, const char *name, const struct principal *who,
			 int64_t now, int64_t *run_id, struct err *e);
/* Wait up to timeout_ms for run_id to finish: 1 finished, 0 not yet. */
int ops_sched_wait(struct ops_sched *s, int64_t run_id, int timeout_ms);

/* ---- schedule arithmetic (pure, for the tests) ------------------------------------ */

/* The first instant strictly after t at minute-of-day `minute` (Asia/Shanghai)
** on an allowed day: weekday w (1 Mon .. 7 Sun), or any day when w is 0; with
** working = 1 only working days of cal (every Mon-Fri when cal is NULL). */
int64_t ops_next_at(int64_t t, int minute, int weekday, int working, const struct cal *cal);
/* The last such instant at or before t (0 when none within 400 days). */
int64_t ops_prev_at(int64_t t, int minute, int weekday, int working, const struct cal *cal);
/* The first instant strictly after t with instant % interval == phase. */
int64_t ops_next_every(int64_t t, int interval, int phase);

#endif
