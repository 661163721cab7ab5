/*
** sched.c: the scheduler thread of `gonggai serve` (see sched.h).
**
** State shared with HTTP threads (the request queue, the finished-run ring,
** the metrics snapshot, the stop flag) is guarded by `mu`; `cv` wakes the
** scheduler on a new request or stop, `done_cv` wakes handlers waiting for a
** run. Everything else (the schedule, the connection) belongs to the thread.
** Like probe_app.c this file knows the HTTP server (struct app, metrics).
*/
#include "ops/sched.h"
#include "base/clock.h"
#include "base/log.h"
#include "calendar/cal_admin.h"
#include "http/app.h"
#include "ops/backup.h"
#include "ops/cleanup.h"

#include <assert.h>
#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define QUEUE_MAX 16
#define DONE_RING 64
#define SNAP_MAX 128
#define HEARTBEAT_S 60
#define SNAPSHOT_S 30

enum { J_NET, J_APP, J_HOST, J_BACKUP, J_CLEANUP, J_DRILL, NJOBS };
static const char *const job_names[NJOBS] = {"inspect.net", "inspect.app", "inspect.host", "backup",
					     "cleanup", "drill"};

struct request {
	int job;                  /* enum ops_job, or OPS_JOB_EXT with ext set */
	char ext[64];
	int64_t run_id;
	struct principal who;
	char only[256];
	int dry_run;
};

struct snap_item {
	char item[64];
	int status;
	int64_t last_at;
};

struct ops_sched {
	struct app *app;
	struct ops_conf cf;
	struct store *st;
	struct ops_server srv;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv, done_cv;
	volatile int stop;
	struct request queue[QUEUE_MAX];
	int qhead, qlen;
	int64_t done[DONE_RING];
	int ndone;
	struct snap_item snap[SNAP_MAX];
	int nsnap;
	int64_t last_backup, last_tick;
	int64_t next[NJOBS];
	int64_t ext_next[OPS_EXT_MAX];   /* next run of each cf.ext job */
};

/* ---- schedule arithmetic ------------------------------------------------------------ */

#define CN_OFFSET (8 * 3600)

static int day_allowed(int64_t day, int weekday, int working, const struct cal *cal)
{
	int wd = (int)(((day + 3) % 7 + 7) % 7) + 1;   /* 1970-01-01 was a Thursday */
	if (weekday && wd != weekday)
		return 0;
	if (!working)
		return 1;
	struct cal_dayinfo di;
	struct err e;
	if (cal && cal_day(cal, (int32_t)day, &di, &e) == 0)
		return di.workday;
	return wd <= 5;
}

int64_t ops_next_at(int64_t t, int minute, int weekday, int working, const struct cal *cal)
{
	int64_t day = (t + CN_OFFSET) / 86400;
	for (int i = 0; i < 400; i++, day++) {
		int64_t at = day * 86400 - CN_OFFSET + minute * 60;
		if (at > t && day_allowed(day, weekday, working, cal))
			return at;
	}
	return t + 86400;
}

int64_t ops_prev_at(int64_t t, int minute, int weekday, int working, const struct cal *cal)
{
	int64_t day = (t + CN_OFFSET) / 86400;
	for (int i = 0; i < 400; i++, day--) {
		int64_t at = day * 86400 - CN_OFFSET + minute * 60;
		if (at <= t && day_allowed(day, weekday, working, cal))
			return at;
	}
	return 0;
}

int64_t ops_next_every(int64_t t, int interval, int phase)
{
	int64_t at = t - ((t - phase) % interval + interval) % interval;
	return at > t ? at : at + interval;
}

/* minute, weekday, working of calendar job j */
static void job_when(const struct ops_conf *cf, int j, int *minute, int *weekday, int *working)
{
	*weekday = 0;
	*working = 0;
	switch (j) {
	case J_APP: *minute = cf->app_at; *working = 1; break;
	case J_HOST: *minute = cf->host_at; *weekday = cf->host_weekday; break;
	case J_BACKUP: *minute = cf->backup_at; break;
	case J_CLEANUP: *minute = cf->cleanup_at; break;
	default: *minute = cf->drill_at; *weekday = cf->drill_weekday; break;
	}
}

static int64_t next_of(struct ops_sched *s, int j, int64_t now)
{
	int minute, weekday, working;
	if (j == J_NET)
		return ops_next_every(now, s->cf.net_interval, s->cf.net_interval / 2);
	job_when(&s->cf, j, &minute, &weekday, &working);
	const struct cal *cal = s->app->cal ? cal_shared_get(s->app->cal) : NULL;
	int64_t at = ops_next_at(now, minute, weekday, working, cal);
	if (cal)
		cal_shared_put(s->app->cal, cal);
	return at;
}

static int64_t ext_next_of(struct ops_sched *s, const struct ops_ext_job *j, int64_t now)
{
	if (j->interval_s > 0)
		return ops_next_every(now, j->interval_s, j->interval_s / 3);
	const struct cal *cal = s->app->cal ? cal_shared_get(s->app->cal) : NULL;
	int64_t at = ops_next_at(now, j->at_minute, 0, 0, cal);
	if (cal)
		cal_shared_put(s->app->cal, cal);
	return at;
}

/* Jobs of modules above: interval jobs start one interval after start, a
** daily job whose last occurrence has no run is caught up after k. */
static void plan_ext(struct ops_sched *s, int64_t now, int k)
{
	for (int i = 0; s->cf.ext && i < s->cf.ext->njobs; i++) {
		const struct ops_ext_job *j = &s->cf.ext->jobs[i];
		int64_t last = 0;
		struct err e;
		int64_t prev = j->interval_s > 0 ? 0 : ops_prev_at(now, j->at_minute, 0, 0, NULL);
		store_ops_run_last(s->st, j->name, &last, &e);
		s->ext_next[i] = prev && last < prev ? now + (int64_t)s->cf.catchup_delay * k++ : ext_next_of(s, j, now);
	}
}

/* At start: a job whose last occurrence has no run yet is due soon. */
static void plan(struct ops_sched *s, int64_t now)
{
	int k = 1;
	s->next[J_NET] = next_of(s, J_NET, now);
	for (int j = J_APP; j < NJOBS; j++) {
		int minute, weekday, working;
		int64_t last = 0;
		struct err e;
		job_when(&s->cf, j, &minute, &weekday, &working);
		const struct cal *cal = s->app->cal ? cal_shared_get(s->app->cal) : NULL;
		int64_t prev = ops_prev_at(now, minute, weekday, working, cal);
		if (cal)
			cal_shared_put(s->app->cal, cal);
		store_ops_run_last(s->st, job_names[j], &last, &e);
		s->next[j] = prev && last < prev ? now + (int64_t)s->cf.catchup_delay * k++ : next_of(s, j, now);
	}
	plan_ext(s, now, k);
}

/* ---- metrics --------------------------------------------------------------------------- */

static void refresh_snapshot(struct ops_sched *s)
{
	json_t *items, *it;
	size_t i;
	struct err e;
	struct ops_backup_rec b;
	int64_t last_backup = store_ops_backup_newest(s->st, &b, &e) == 0 ? b.created_at : 0;
	if (store_ops_states(s->st, &items, &e)) {
		log_error("ops", "metrics snapshot: %s", e.msg);
		return;
	}
	pthread_mutex_lock(&s->mu);
	s->nsnap = 0;
	json_array_foreach(items, i, it) {
		if (s->nsnap == SNAP_MAX)
			break;
		struct snap_item *si = &s->snap[s->nsnap++];
		snprintf(si->item, sizeof si->item, "%s", json_string_value(json_object_get(it, "item")));
		si->status = store_ops_status_code(json_string_value(json_object_get(it, "status")));
		si->last_at = json_integer_value(json_object_get(it, "last_at"));
	}
	s->last_backup = last_backup;
	pthread_mutex_unlock(&s->mu);
	json_decref(items);
}

static void metrics_hook_fn(struct app *app, struct buf *o)
{
	struct ops_sched *s = app->ops;
	int64_t now = clock_now(&app->clock);
	if (!s)
		return;
	pthread_mutex_lock(&s->mu);
	buf_puts(o, "# HELP gonggai_inspection_status Latest inspection result per item "
		 "(Nagios codes: 0 OK, 1 WARN, 2 CRIT, 3 UNKNOWN).\n# TYPE gonggai_inspection_status gauge\n");
	for (int i = 0; i < s->nsnap; i++)
		if (now - s->snap[i].last_at <= 8 * 86400)   /* items gone from the configuration fade out */
			buf_printf(o, "gonggai_inspection_status{item=\"%s\"} %d\n", s->snap[i].item, s->snap[i].status);
	buf_puts(o, "# HELP gonggai_inspection_last_run_timestamp_seconds When each item was last measured.\n"
		 "# TYPE gonggai_inspection_last_run_timestamp_seconds gauge\n");
	for (int i = 0; i < s->nsnap; i++)
		if (now - s->snap[i].last_at <= 8 * 86400)
			buf_printf(o, "gonggai_inspection_last_run_timestamp_seconds{item=\"%s\"} %lld\n",
				   s->snap[i].item, (long long)s->snap[i].last_at);
	buf_printf(o, "# HELP gonggai_backup_last_success_timestamp_seconds Newest backup that passed its "
		   "integrity check (0: none).\n# TYPE gonggai_backup_last_success_timestamp_seconds gauge\n"
		   "gonggai_backup_last_success_timestamp_seconds %lld\n", (long long)s->last_backup);
	buf_printf(o, "# HELP gonggai_scheduler_last_tick_timestamp_seconds Last heartbeat of the ops "
		   "scheduler.\n# TYPE gonggai_scheduler_last_tick_timestamp_seconds gauge\n"
		   "gonggai_scheduler_last_tick_timestamp_seconds %lld\n", (long long)s->last_tick);
	pthread_mutex_unlock(&s->mu);
}

/* ---- running jobs ------------------------------------------------------------------------- */

static void env_of(struct ops_sched *s, struct ops_env *env)
{
	*env = (struct ops_env){.cf = &s->cf, .st = s->st, .now = clock_now(&s->app->clock), .app = s->app,
				.srv = s->srv, .stop = &s->stop};
}

static void inspect(struct ops_sched *s, const char *job, const struct principal *who, const char *only,
		    int64_t run_id)
{
	struct ops_env env;
	struct ops_inspection in;
	struct err e = {0};
	env_of(s, &env);
	if (ops_inspect(&env, job, who, only, run_id, &in, &e)) {
		if (e.code == ERR_CONFLICT)
			log_warn("ops", "%s skipped: %s", job, e.msg);
		else
			log_error("ops", "%s failed: %s", job, e.msg);
		return;
	}
	for (int i = 0; i < in.n; i++)   /* state changes only: a CRIT endpoint does not flood the log */
		if (in.items[i].changed)
			log_msg(in.items[i].status == OPS_OK ? LOG_INFO : LOG_WARN, "ops", "%s now %s: %s",
				in.items[i].item, ops_status_name(in.items[i].status), in.items[i].message);
	log_info("ops", "%s run %lld: %s (%d items, %d changed)", job, (long long)in.run_id,
		 ops_status_name(in.status), in.n, in.changes);
	ops_inspection_free(&in);
}

static void other_job(struct ops_sched *s, int job, const struct principal *who, int64_t run_id, int dry_run)
{
	struct err e = {0};
	int64_t now = clock_now(&s->app->clock);
	json_t *report = NULL;
	int rc;
	if (job == OPS_JOB_BACKUP) {
		struct ops_backup_out out;
		rc = ops_backup(s->st, &s->cf, who, now, NULL, run_id, &s->stop, &out, &e);
		if (!rc) {
			log_info("ops", "backup %s (%lld bytes, copy %.0f ms, check %.0f ms, %d removed)", out.rec.path,
				 (long long)out.rec.size_bytes, out.rec.copy_ms, out.rec.check_ms, out.removed);
			run_id = out.run_id;
		}
	} else if (job == OPS_JOB_DRILL) {
		rc = ops_drill(s->st, &s->cf, who, now, run_id, &report, &e);
	} else {
		rc = ops_cleanup(s->st, &s->cf, who, now, dry_run, run_id, &report, &e);
	}
	if (!rc && json_integer_value(json_object_get(report, "run_id")) > 0)
		run_id = json_integer_value(json_object_get(report, "run_id"));
	json_decref(report);
	const char *name = job == OPS_JOB_BACKUP ? "backup" : job == OPS_JOB_DRILL ? "drill" : "cleanup";
	struct ops_env env;
	env_of(s, &env);
	if (rc && e.code == ERR_CONFLICT) {
		log_warn("ops", "%s skipped: %s", name, e.msg);
	} else if (rc) {
		log_error("ops", "%s failed: %s", name, e.msg);
		ops_ext_job_failed(&env, name, run_id, &e);
	} else {
		log_info("ops", "%s done", name);
		if (!dry_run)   /* a dry run proves nothing about the job */
			ops_ext_job_succeeded(&env, name, run_id);
	}
}

static void ext_job(struct ops_sched *s, const struct ops_ext_job *j, const struct principal *who, int64_t run_id)
{
	struct ops_env env;
	struct err e = {0};
	env_of(s, &env);
	if (ops_ext_run(&env, j, who, run_id, NULL, &e) && e.code == ERR_CONFLICT)
		log_warn("ops", "%s skipped: %s", j->name, e.msg);   /* failures are logged by ops_ext_run */
}

static void finished(struct ops_sched *s, int64_t run_id)
{
	refresh_snapshot(s);
	pthread_mutex_lock(&s->mu);
	s->done[s->ndone++ % DONE_RING] = run_id;
	pthread_cond_broadcast(&s->done_cv);
	pthread_mutex_unlock(&s->mu);
}

static void run_request(struct ops_sched *s, const struct request *rq)
{
	const struct ops_ext_job *j = rq->job == OPS_JOB_EXT ? ops_ext_job_find(&s->cf, rq->ext) : NULL;
	assert(rq->job != OPS_JOB_EXT || j);   /* ops_sched_submit_ext checked the name */
	if (rq->job == OPS_JOB_INSPECT)
		inspect(s, "inspect.manual", &rq->who, rq->only[0] ? rq->only : NULL, rq->run_id);
	else if (j)
		ext_job(s, j, &rq->who, rq->run_id);
	else
		other_job(s, rq->job, &rq->who, rq->run_id, rq->dry_run);
	finished(s, rq->run_id);
}

static void run_scheduled(struct ops_sched *s, int j)
{
	static const char *const groups[] = {"net", "app", "host"};
	if (j <= J_HOST) {
		inspect(s, job_names[j], NULL, groups[j], 0);
	} else if (j == J_BACKUP) {
		other_job(s, OPS_JOB_BACKUP, NULL, 0, 0);
		if (!s->stop)
			inspect(s, "inspect.db", NULL, "db", 0);
	} else if (j == J_CLEANUP) {
		other_job(s, OPS_JOB_CLEANUP, NULL, 0, 0);
		if (!s->stop)
			inspect(s, "inspect.logs", NULL, "logs", 0);
	} else {
		other_job(s, OPS_JOB_DRILL, NULL, 0, 0);
	}
	finished(s, 0);
}

/* ---- the thread ------------------------------------------------------------------------------ */

static void heartbeat(struct ops_sched *s, int64_t now)
{
	struct err e;
	if (store_ops_heartbeat_put(s->st, "scheduler", now, (int)getpid(), s->app->started_at, &e))
		log_error("ops", "heartbeat: %s", e.msg);
	pthread_mutex_lock(&s->mu);
	s->last_tick = now;
	pthread_mutex_unlock(&s->mu);
}

/* Pop a request (under mu); 1 when one was taken. */
static int pop(struct ops_sched *s, struct request *rq)
{
	if (!s->qlen)
		return 0;
	*rq = s->queue[s->qhead];
	s->qhead = (s->qhead + 1) % QUEUE_MAX;
	s->qlen--;
	return 1;
}

static int64_t earliest(struct ops_sched *s, int64_t now)
{
	int64_t t = s->last_tick + HEARTBEAT_S;
	for (int j = 0; s->cf.scheduler && j < NJOBS; j++)
		if (s->next[j] < t)
			t = s->next[j];
	for (int i = 0; s->cf.scheduler && s->cf.ext && i < s->cf.ext->njobs; i++)
		if (s->ext_next[i] < t)
			t = s->ext_next[i];
	return t > now ? t : now;
}

static void sleep_until(struct ops_sched *s, int64_t wake, int64_t now)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += wake - now > SNAPSHOT_S ? SNAPSHOT_S : wake - now;
	pthread_mutex_lock(&s->mu);
	if (!s->stop && !s->qlen)
		pthread_cond_timedwait(&s->cv, &s->mu, &ts);
	pthread_mutex_unlock(&s->mu);
}

static void *loop(void *arg)
{
	struct ops_sched *s = arg;
	struct request rq;
	plan(s, clock_now(&s->app->clock));
	refresh_snapshot(s);
	while (!s->stop) {
		int64_t now = clock_now(&s->app->clock);
		if (now - s->last_tick >= HEARTBEAT_S)
			heartbeat(s, now);
		pthread_mutex_lock(&s->mu);
		int got = pop(s, &rq);
		pthread_mutex_unlock(&s->mu);
		if (got) {
			run_request(s, &rq);
			continue;
		}
		for (int j = 0; s->cf.scheduler && j < NJOBS && !s->stop; j++)
			if (now >= s->next[j]) {
				run_scheduled(s, j);
				s->next[j] = next_of(s, j, clock_now(&s->app->clock));
			}
		for (int i = 0; s->cf.scheduler && s->cf.ext && i < s->cf.ext->njobs && !s->stop; i++)
			if (now >= s->ext_next[i]) {
				ext_job(s, &s->cf.ext->jobs[i], NULL, 0);
				finished(s, 0);
				s->ext_next[i] = ext_next_of(s, &s->cf.ext->jobs[i], clock_now(&s->app->clock));
			}
		now = clock_now(&s->app->clock);
		sleep_until(s, earliest(s, now), now);
		refresh_snapshot(s);
	}
	return NULL;
}

/* ---- start, stop, requests ----------------------------------------------------------------------- */

static void server_url(const char *listen, int port, char *out, size_t cap)
{
	char host[64];
	snprintf(host, sizeof host, "%s", listen);
	char *colon = strrchr(host, ':');
	if (colon)
		*colon = 0;
	if (!host[0] || strcmp(host, "0.0.0.0") == 0 || strcmp(host, "[::]") == 0 || strcmp(host, "::") == 0)
		snprintf(host, sizeof host, "127.0.0.1");
	snprintf(out, cap, "http://%s:%d", host, port);
}

static int init(struct ops_sched *s, struct app *app, struct ops_lock *lk, int port, const struct ops_ext *ext,
		struct err *e)
{
	const char *db = conf_get(app->conf, "database", "path");
	if (ops_conf_load(app->conf, db, &s->cf, e))
		return e->code;
	s->cf.ext = ext;
	s->app = app;
	s->srv = (struct ops_server){.running = 1, .pid = (int)getpid(), .threads = app->threads,
				     .started_at = app->started_at};
	server_url(conf_str(app->conf, "server", "listen", "127.0.0.1:8080"), port, s->srv.url, sizeof s->srv.url);
	if (ops_lock_publish(lk, &s->srv, e))
		return e->code;
	int sync = strcmp(conf_str(app->conf, "database", "synchronous", "normal"), "full") == 0;
	return store_open(db, sync ? STORE_SYNC_FULL : 0, &s->st, e);
}

int ops_sched_start(struct app *app, struct ops_lock *lk, int port, const struct ops_ext *ext,
		    struct ops_sched **out, struct err *e)
{
	struct ops_sched *s = calloc(1, sizeof *s);
	if (!s)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	pthread_condattr_t ca;
	pthread_condattr_init(&ca);
	pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, &ca);
	pthread_cond_init(&s->done_cv, &ca);
	pthread_condattr_destroy(&ca);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (init(s, app, lk, port, ext, e) || pthread_create(&s->thread, NULL, loop, s) != 0) {
		if (!e->code)
			err_set(e, ERR_INTERNAL, "", "cannot start the scheduler thread");
		store_close(s->st);
		free(s);
		return e->code;
	}
	app->ops = s;
	if (app->nhooks < APP_MAX_HOOKS)
		app->hooks[app->nhooks++] = metrics_hook_fn;
	log_info("ops", "scheduler started (%s); backups in %s", s->cf.scheduler ? "on" : "off: manual jobs only",
		 s->cf.backup_dir);
	*out = s;
	return 0;
}

void ops_sched_stop(struct ops_sched *s)
{
	if (!s || !s->st)
		return;
	pthread_mutex_lock(&s->mu);
	s->stop = 1;
	pthread_cond_broadcast(&s->cv);
	pthread_cond_broadcast(&s->done_cv);
	pthread_mutex_unlock(&s->mu);
	pthread_join(s->thread, NULL);
	store_close(s->st);
	s->st = NULL;
}

void ops_sched_free(struct ops_sched *s)
{
	if (!s)
		return;
	ops_sched_stop(s);
	if (s->app->ops == s)
		s->app->ops = NULL;
	pthread_mutex_destroy(&s->mu);
	pthread_cond_destroy(&s->cv);
	pthread_cond_destroy(&s->done_cv);
	free(s);
}

const struct ops_conf *ops_sched_conf(const struct ops_sched *s)
{
	return &s->cf;
}

/* Queue rq (under mu); ERR_INTERNAL when stopping, ERR_CONFLICT when full. */
static int enqueue(struct ops_sched *s, const struct request *rq, struct err *e)
{
	pthread_mutex_lock(&s->mu);
	int rc = 0;
	if (s->stop)
		rc = err_set(e, ERR_INTERNAL, "", "服务正在停止 (stopping)");
	else if (s->qlen == QUEUE_MAX)
		rc = err_set(e, ERR_CONFLICT, "", "运维任务队列已满，请稍后再试 (queue full)");
	else {
		s->queue[(s->qhead + s->qlen++) % QUEUE_MAX] = *rq;
		pthread_cond_signal(&s->cv);
	}
	pthread_mutex_unlock(&s->mu);
	return rc;
}

int ops_sched_submit(struct ops_sched *s, int job, int64_t run_id, const struct principal *who,
		     const char *only, int dry_run, struct err *e)
{
	struct request rq = {.job = job, .run_id = run_id, .who = *who, .dry_run = dry_run};
	snprintf(rq.only, sizeof rq.only, "%s", only ? only : "");
	return enqueue(s, &rq, e);
}

int ops_sched_submit_ext(struct ops_sched *s, struct store *st, const char *name, const struct principal *who,
			 int64_t now, int64_t *run_id, struct err *e)
{
	char trigger[80];
	const struct ops_ext_job *j = ops_ext_job_find(&s->cf, name);
	if (!j)
		return err_set(e, ERR_NOTFOUND, "job", "没有这个运维任务 (no such job): %s", name ? name : "");
	ops_trigger(who, trigger, sizeof trigger);
	if (store_ops_run_claim(st, j->name, trigger, now, j->lease_s > 0 ? j->lease_s : s->cf.lease_backup, 1,
				run_id, NULL, e))
		return e->code;
	struct request rq = {.job = OPS_JOB_EXT, .run_id = *run_id, .who = *who};
	snprintf(rq.ext, sizeof rq.ext, "%s", j->name);
	int rc = enqueue(s, &rq, e);
	if (rc) {
		struct err e2;
		store_ops_run_finish(st, *run_id, "failed", "UNKNOWN", e->msg, NULL, now, &e2);
	}
	return rc;
}

static int is_done(struct ops_sched *s, int64_t run_id)
{
	int n = s->ndone < DONE_RING ? s->ndone : DONE_RING;
	for (int i = 0; i < n; i++)
		if (s->done[i] == run_id)
			return 1;
	return 0;
}

int ops_sched_wait(struct ops_sched *s, int64_t run_id, int timeout_ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000;
	if (ts.tv_nsec >= 1000000000) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000;
	}
	pthread_mutex_lock(&s->mu);
	int rc = 0;
	while (!(rc = is_done(s, run_id)) && !s->stop)
		if (pthread_cond_timedwait(&s->done_cv, &s->mu, &ts) == ETIMEDOUT)
			break;
	rc = is_done(s, run_id);
	pthread_mutex_unlock(&s->mu);
	return rc;
}
