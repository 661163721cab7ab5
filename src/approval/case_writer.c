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
** straight on to the next batch. With synchronous=FULL the one COMMIT is one
** fsync for the batch; the hot pages (the audit head, the last leaf of each
** table and index) are written once per batch instead of once per action.
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

struct case_writer {
	struct store *st;
	struct store_checkpointer *ckpt;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work;
	struct job *head, *tail;
	int stop;
};

/* Run one batch in one transaction; fill each job's rc and e. */
static void run_batch(struct case_writer *w, struct job **jobs, int n)
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
		return;
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
		return;
	}
	for (int i = 0; i < n; i++)
		if (!*jobs[i]->rc && !jobs[i]->app)
			case_cache_invalidate(jobs[i]->env->cache, jobs[i]->id);
}

static void *writer_main(void *arg)
{
	struct case_writer *w = arg;
	struct job *batch[WRITER_BATCH];
	pthread_mutex_lock(&w->mu);
	for (;;) {
		while (!w->head && !w->stop)
			pthread_cond_wait(&w->work, &w->mu);
		if (!w->head && w->stop)
			break;
		int n = 0;
		while (w->head && n < WRITER_BATCH) {
			batch[n++] = w->head;
			w->head = w->head->next;
		}
		if (!w->head)
			w->tail = NULL;
		pthread_mutex_unlock(&w->mu);
		run_batch(w, batch, n);
		for (int i = 0; i < n; i++) {
			batch[i]->done(batch[i]->token);
			free(batch[i]);
		}
		pthread_mutex_lock(&w->mu);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int case_writer_start(const char *path, int flags, struct store_pool *pool, struct case_writer **out,
		      struct err *e)
{
	struct case_writer *w = calloc(1, sizeof *w);
	if (!w)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	int sync = flags & STORE_SYNC_FULL;
	if (store_checkpointer_start(path, sync, CHECKPOINT_PAGES, &w->ckpt, e)) {
		free(w);
		return e->code;
	}
	if (store_open(path, sync | STORE_MEM_TEMP, &w->st, e) || store_checkpoint_defer(w->st, w->ckpt, e)) {
		store_close(w->st);
		store_checkpointer_stop(w->ckpt);
		free(w);
		return e->code;
	}
	if (pool)
		store_pool_share_gate(pool, w->st);
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
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
	pthread_mutex_destroy(&w->mu);
	pthread_cond_destroy(&w->work);
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
