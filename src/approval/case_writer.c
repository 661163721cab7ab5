/*
** case_writer.c: group commit of 办件 actions for the server (see case.h).
**
** Request threads queue a job and sleep on its condition; the writer thread
** takes every job waiting (up to WRITER_BATCH), opens one transaction, runs
** each job's case_act_locked under a savepoint — undoing it alone when it is
** refused (409/403/400 happen before any write) — and commits. Then every
** job of the batch is answered. A failed COMMIT fails every job that had
** succeeded. With synchronous=FULL the one COMMIT is one fsync for the
** batch; the hot pages (the audit head, the last leaf of each table and
** index) are written once per batch instead of once per action.
**
** The job's pointers (environment, principal, input) belong to the waiting
** request thread and stay valid until the job is answered. The writer has
** its own connection so a request never waits for a pool connection while
** holding one.
*/
#include "approval/case_int.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define WRITER_BATCH 64

struct job {
	const struct case_env *env;
	const struct principal *who;
	int64_t now, id;
	const struct case_input *in;
	struct err *e;
	struct buf *out;              /* the case after the action, or NULL */
	int rc, done;
	struct job *next;
};

struct case_writer {
	struct store *st;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t work, answered;
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
			j->rc = rc;
			continue;
		}
		if ((j->rc = store_case_savepoint(w->st, j->e)))
			continue;
		j->rc = case_act_locked(w->st, j->env, j->who, j->now, j->id, j->in, j->e);
		if (j->rc)
			store_case_savepoint_undo(w->st);
		else if ((j->rc = store_case_savepoint_release(w->st, j->e)))
			store_case_savepoint_undo(w->st);
	}
	if (rc)
		return;
	if ((rc = store_commit(w->st, &e)) != 0) {
		for (int i = 0; i < n; i++)
			if (!jobs[i]->rc) {
				jobs[i]->rc = rc;
				*jobs[i]->e = e;
			}
		return;
	}
	for (int i = 0; i < n; i++)
		if (!jobs[i]->rc)
			case_cache_invalidate(jobs[i]->env->cache, jobs[i]->id);
	/* the answers, read on this connection: its pages are the fresh ones */
	for (int i = 0; i < n; i++)
		if (!jobs[i]->rc && jobs[i]->out)
			jobs[i]->rc = case_get_text(w->st, jobs[i]->env, jobs[i]->who, jobs[i]->now, jobs[i]->id,
						    jobs[i]->out, jobs[i]->e);
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
		pthread_mutex_lock(&w->mu);
		for (int i = 0; i < n; i++)
			batch[i]->done = 1;
		pthread_cond_broadcast(&w->answered);
	}
	pthread_mutex_unlock(&w->mu);
	return NULL;
}

int case_writer_start(const char *path, int flags, struct case_writer **out, struct err *e)
{
	struct case_writer *w = calloc(1, sizeof *w);
	if (!w)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (store_open(path, flags & STORE_SYNC_FULL, &w->st, e)) {
		free(w);
		return e->code;
	}
	pthread_mutex_init(&w->mu, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->answered, NULL);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		store_close(w->st);
		free(w);
		return err_set(e, ERR_INTERNAL, "", "cannot start the case writer thread");
	}
	*out = w;
	return 0;
}

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
	pthread_cond_destroy(&w->answered);
	store_close(w->st);
	free(w);
}

int case_writer_act(struct case_writer *w, const struct case_env *env, const struct principal *who, int64_t now,
		    int64_t id, const struct case_input *in, struct buf *out, struct err *e)
{
	struct job j = {.env = env, .who = who, .now = now, .id = id, .in = in, .e = e, .out = out};
	pthread_mutex_lock(&w->mu);
	if (w->tail)
		w->tail->next = &j;
	else
		w->head = &j;
	w->tail = &j;
	pthread_cond_signal(&w->work);
	while (!j.done)
		pthread_cond_wait(&w->answered, &w->mu);
	pthread_mutex_unlock(&w->mu);
	return j.rc;
}
