/*
** case_writer.c: group commit of 办件 actions and stage applications for
** the server (see case.h).
**
** Request handlers queue a job and give their worker thread back; the writer
** thread takes every job waiting (up to WRITER_BATCH), opens one
** transaction, runs each job's case_act_locked under a savepoint — undoing
** it alone when it is refused (409/403/400 happen before any write) — and
** commits. Then every job of the batch is answered through its callback. A
** failed COMMIT fails every job that had succeeded. The documents a batch
** issues are rows of the same transaction (case_doc.c), so the COMMIT's
** fsync is the batch's only flush. The requests render
** their answers on their own connections, in parallel, so the writer goes
** straight on to the next batch. With synchronous=FULL the batch is one
** fsync (below); the hot pages (the audit head, the last leaf of each
** table and index) are written once per batch instead of once per action.
**
** Under synchronous=FULL the writer's connection commits without its own
** fsync (synchronous=NORMAL), and a syncer thread flushes the WAL once for
** every batch committed since its last flush (store_wal_sync) and only then
** answers them, while the writer already runs the next batch: a request is
** answered only when its commit is on disk, as with FULL, but the writer
** no longer sits idle through each fsync. Other connections may read a
** batch's rows during those milliseconds before its flush (a crash then
** loses rows someone saw but no request was told were done).
**
** The writer's connection keeps savepoint journals in memory (a batch of
** savepoints would otherwise create and delete a temporary file) and leaves
** WAL checkpoints to a checkpointer thread of its own (store_ckpt.c), so no
** batch's COMMIT copies the WAL back into the database. It queues on the
** server pool's writer gate, so a batch waits exactly as long as another
** writer of the server holds the lock, not SQLite's busy-handler sleeps.
*/
#include "approval/case_int.h"

#include <assert.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define WRITER_BATCH 64
#define CHECKPOINT_PAGES 1000         /* SQLite's own autocheckpoint size */

/* One queued action, or an application when app is set (id: the project);
** the pointers are the submitter's (case.h). */
struct job {
	const struct case_env *env;
	const struct principal *who;
	int64_t now, id;
	const struct case_input *in;
	const struct case_application *app;
	json_t **out;                 /* the application's answer */
	int *rc;
	struct err *e;
	void (*done)(void *token);
	void *token;
	struct job *next;
};

/* A batch run, waiting for its answers. */
struct batch {
	int n, committed;             /* committed: some job's rows are in the WAL */
	struct job *jobs[WRITER_BATCH];
	struct batch *next;
};

struct case_writer {
	struct store *st;
	struct store_checkpointer *ckpt;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work;
	struct job *head, *tail;
	int stop;
	/* synchronous=FULL: batches committed, waiting for the WAL's flush */
	int full;
	pthread_t syncer;
	pthread_mutex_t smu;
	pthread_cond_t swork;
	struct batch *shead, *stail;
	int sstop;
};

/* Run one batch in one transaction; fill each job's rc and e. 1 when
** something was committed. */
static int run_batch(struct case_writer *w, struct job **jobs, int n)
{
	struct err e;
	int rc = store_begin(w->st, &e);
	for (int i = 0; i < n; i++) {
		struct job *j = jobs[i];
		if (rc) {
			*j->e = e;
			*j->rc = rc;
			continue;
		}
		if ((*j->rc = store_case_savepoint(w->st, j->e)))
			continue;
		*j->rc = j->app ? case_apply_locked(w->st, j->env, j->who, j->now, j->id, j->app, j->out, j->e)
			: case_act_locked(w->st, j->env, j->who, j->now, j->id, j->in, j->e);
		if (!*j->rc && (*j->rc = store_case_savepoint_release(w->st, j->e)) && j->app) {
			json_decref(*j->out);
			*j->out = NULL;
		}
		if (*j->rc)
			store_case_savepoint_undo(w->st);
	}
	if (rc)
		return 0;
	if ((rc = store_commit(w->st, &e)) != 0) {
		for (int i = 0; i < n; i++)
			if (!*jobs[i]->rc) {
				*jobs[i]->rc = rc;
				*jobs[i]->e = e;
				if (jobs[i]->app) {
					json_decref(*jobs[i]->out);
					*jobs[i]->out = NULL;
				}
			}
		return 0;
	}
	int committed = 0;
	for (int i = 0; i < n; i++) {
		committed |= !*jobs[i]->rc;
		if (!*jobs[i]->rc && !jobs[i]->app)
			case_cache_invalidate(jobs[i]->env->cache, jobs[i]->id);
	}
	return committed;
}

/* Answer every job of b and free it. */
static void answer(struct batch *b)
{
	for (int i = 0; i < b->n; i++) {
		b->jobs[i]->done(b->jobs[i]->token);
		free(b->jobs[i]);
	}
	free(b);
}

/* Jobs committed but whose flush failed: not known to be durable. */
static void not_durable(struct job **jobs, int n, const struct err *e)
{
	for (int i = 0; i < n; i++)
		if (!*jobs[i]->rc) {
			*jobs[i]->rc = e->code;
			*jobs[i]->e = *e;
			if (jobs[i]->app) {
				json_decref(*jobs[i]->out);
				*jobs[i]->out = NULL;
			}
		}
}

/* Out of memory for a batch: job j run, flushed and answered alone. */
static void run_alone(struct case_writer *w, struct job *j)
{
	struct err e;
	if (run_batch(w, &j, 1) && w->full && store_wal_sync(w->st, &e))
		not_durable(&j, 1, &e);
	j->done(j->token);
	free(j);
}

/* Under synchronous=FULL: take every batch committed so far, flush the WAL
** once for them all, then answer them, while the writer runs the next. */
static void *syncer_main(void *arg)
{
	struct case_writer *w = arg;
	pthread_mutex_lock(&w->smu);
	for (;;) {
		while (!w->shead && !w->sstop)
			pthread_cond_wait(&w->swork, &w->smu);
		if (!w->shead)
			break;
		struct batch *b = w->shead, *next;
		w->shead = w->stail = NULL;
		pthread_mutex_unlock(&w->smu);
		int committed = 0;
		struct err e;
		for (struct batch *x = b; x; x = x->next)
			committed |= x->committed;
		int rc = committed ? store_wal_sync(w->st, &e) : 0;
		for (; b; b = next) {
			next = b->next;
			if (rc)
				not_durable(b->jobs, b->n, &e);
			answer(b);
		}
		pthread_mutex_lock(&w->smu);
	}
	pthread_mutex_unlock(&w->smu);
	return NULL;
}

/* Hand batch b to be answered: at once, or after the WAL's flush. */
static void finish(struct case_writer *w, struct batch *b)
{
	if (!w->full) {
		answer(b);
		return;
	}
	pthread_mutex_lock(&w->smu);
	if (w->stail)
		w->stail->next = b;
	else
		w->shead = b;
	w->stail = b;
	pthread_cond_signal(&w->swork);
	pthread_mutex_unlock(&w->smu);
}

static void *writer_main(void *arg)
{
	struct case_writer *w = arg;
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->head && !w->stop)
			pthread_cond_wait(&w->work, &w->mu);
		if (!w->head && w->stop)
			break;
		struct batch *b = malloc(sizeof *b);
		if (!b) {
			struct job *j = w->head;
			if (!(w->head = j->next))
				w->tail = NULL;
			pthread_mutex_unlock(&w->mu);
			run_alone(w, j);
			pthread_mutex_lock(&w->mu);
			continue;
		}
		b->n = 0;
		b->next = NULL;
		while (w->head && b->n < WRITER_BATCH) {
			b->jobs[b->n++] = w->head;
			w->head = w->head->next;
		}
		if (!w->head)
			w->tail = NULL;
		pthread_mutex_unlock(&w->mu);
		b->committed = run_batch(w, b->jobs, b->n);
		finish(w, b);
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

/* The syncer answers every batch handed to it, then ends. */
static void stop_syncer(struct case_writer *w)
{
	pthread_mutex_lock(&w->smu);
	w->sstop = 1;
	pthread_cond_signal(&w->swork);
	pthread_mutex_unlock(&w->smu);
	pthread_join(w->syncer, NULL);
}

int case_writer_start(const char *path, int flags, struct store_pool *pool, struct case_writer **out,
		      struct err *e)
{
	struct case_writer *w = calloc(1, sizeof *w);
	if (!w)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	int sync = flags & STORE_SYNC_FULL;
	w->full = sync != 0;
	if (store_checkpointer_start(path, sync, CHECKPOINT_PAGES, &w->ckpt, e)) {
		free(w);
		return e->code;
	}
	/* FULL: the syncer flushes the WAL for the commits (store_wal_sync) */
	if (store_open(path, STORE_MEM_TEMP, &w->st, e) || store_checkpoint_defer(w->st, w->ckpt, e)) {
		store_close(w->st);
		store_checkpointer_stop(w->ckpt);
		free(w);
		return e->code;
	}
	if (pool)
		store_pool_share_gate(pool, w->st);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_mutex_init(&w->smu, NULL);
	pthread_cond_init(&w->swork, NULL);
	int syncer = w->full && pthread_create(&w->syncer, NULL, syncer_main, w) == 0;
	if (syncer != w->full || pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		if (syncer)
			stop_syncer(w);
		store_close(w->st);
		store_checkpointer_stop(w->ckpt);
		free(w);
		return err_set(e, ERR_INTERNAL, "", "cannot start the case writer thread");
	}
	*out = w;
	return 0;
}

/* Jobs still queued are run and answered before the thread ends. */
void case_writer_stop(struct case_writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->mu);
	w->stop = 1;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	pthread_join(w->thread, NULL);
	if (w->full)
		stop_syncer(w);
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->work);
	pthread_mutex_destroy(&w->smu);
	pthread_cond_destroy(&w->swork);
	store_close(w->st);
	store_checkpointer_stop(w->ckpt);
	free(w);
}

static int enqueue(struct case_writer *w, const struct job *job, struct err *e)
{
	assert(job->done);
	struct job *j = malloc(sizeof *j);
	if (!j)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	*j = *job;
	pthread_mutex_lock(&w->mu);
	if (w->tail)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	pthread_cond_signal(&w->work);
	pthread_mutex_unlock(&w->mu);
	return 0;
}

int case_writer_submit(struct case_writer *w, const struct case_env *env, const struct principal *who,
		       int64_t now, int64_t id, const struct case_input *in, int *rc, struct err *e,
		       void (*done)(void *token), void *token)
{
	struct job j = {.env = env, .who = who, .now = now, .id = id, .in = in, .rc = rc, .e = e, .done = done,
			.token = token};
	return enqueue(w, &j, e);
}

int case_writer_submit_apply(struct case_writer *w, const struct case_env *env, const struct principal *who,
			     int64_t now, int64_t project_id, const struct case_application *app, json_t **out,
			     int *rc, struct err *e, void (*done)(void *token), void *token)
{
	struct job j = {.env = env, .who = who, .now = now, .id = project_id, .app = app, .out = out, .rc = rc,
			.e = e, .done = done, .token = token};
	*out = NULL;
	return enqueue(w, &j, e);
}
