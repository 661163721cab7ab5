/*
** store_ckpt.c: background WAL checkpoints (see store.h).
**
** SQLite's automatic checkpoint runs inside the COMMIT that pushes the WAL
** past 1000 pages: that commit copies the pages back into the database file
** and syncs it, and every request waiting on that writer waits too. A
** connection handed to store_checkpoint_defer() turns the automatic
** checkpoint off and, from its WAL hook, wakes this thread instead, which
** runs a PASSIVE checkpoint on its own connection (PASSIVE never blocks the
** writer; the WAL restarts from its beginning at the first write after a
** checkpoint that copied everything).
*/
#include "store/store_int.h"

#include <assert.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct store_checkpointer {
	struct store *st;
	pthread_t thread;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int pages;                     /* wake at this many frames in the WAL */
	int wanted, stop;
	long runs;
};

static void *ckpt_main(void *arg)
{
	struct store_checkpointer *cp = arg;
	pthread_mutex_lock(&cp->mu);
	for (;;) {
		while (!cp->wanted && !cp->stop)
			pthread_cond_wait(&cp->cv, &cp->mu);
		if (cp->stop)
			break;
		cp->wanted = 0;
		pthread_mutex_unlock(&cp->mu);
		/* busy (another checkpoint under way) is fine: the next wake retries */
		sqlite3_wal_checkpoint_v2(store_db(cp->st), NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
		pthread_mutex_lock(&cp->mu);
		cp->runs++;
	}
	pthread_mutex_unlock(&cp->mu);
	return NULL;
}

int store_checkpointer_start(const char *path, int flags, int pages, struct store_checkpointer **out,
			     struct err *e)
{
	assert(pages > 0);
	struct store_checkpointer *cp = calloc(1, sizeof *cp);
	if (!cp)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (store_open(path, flags & STORE_SYNC_FULL, &cp->st, e)) {
		free(cp);
		return e->code;
	}
	cp->pages = pages;
	pthread_mutex_init(&cp->mu, NULL);
	pthread_cond_init(&cp->cv, NULL);
	if (pthread_create(&cp->thread, NULL, ckpt_main, cp) != 0) {
		store_close(cp->st);
		free(cp);
		return err_set(e, ERR_INTERNAL, "", "cannot start the checkpoint thread");
	}
	*out = cp;
	return 0;
}

/* The last checkpoint runs here, after every deferring connection is closed,
** so a clean stop leaves the WAL copied back. */
void store_checkpointer_stop(struct store_checkpointer *cp)
{
	if (!cp)
		return;
	pthread_mutex_lock(&cp->mu);
	cp->stop = 1;
	pthread_cond_signal(&cp->cv);
	pthread_mutex_unlock(&cp->mu);
	pthread_join(cp->thread, NULL);
	sqlite3_wal_checkpoint_v2(store_db(cp->st), NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
	pthread_mutex_destroy(&cp->mu);
	pthread_cond_destroy(&cp->cv);
	store_close(cp->st);
	free(cp);
}

long store_checkpointer_runs(struct store_checkpointer *cp)
{
	pthread_mutex_lock(&cp->mu);
	long n = cp->runs;
	pthread_mutex_unlock(&cp->mu);
	return n;
}

/* WAL hook: runs after each commit of the deferring connection, outside its
** locks. Waking the thread is a flag and a signal; no I/O here. */
static int on_commit(void *arg, sqlite3 *db, const char *name, int frames)
{
	struct store_checkpointer *cp = arg;
	if (frames < cp->pages)
		return SQLITE_OK;
	pthread_mutex_lock(&cp->mu);
	cp->wanted = 1;
	pthread_cond_signal(&cp->cv);
	pthread_mutex_unlock(&cp->mu);
	return SQLITE_OK;
}

int store_checkpoint_defer(struct store *st, struct store_checkpointer *cp, struct err *e)
{
	if (store_exec(st, "PRAGMA wal_autocheckpoint=0", e))
		return e->code;
	sqlite3_wal_hook(store_db(st), on_commit, cp);
	return 0;
}

int store_wal_sync(struct store *st, struct err *e)
{
	char wal[4096];
	if ((size_t)snprintf(wal, sizeof wal, "%s-wal", store_path(st)) >= sizeof wal)
		return err_set(e, ERR_INTERNAL, "", "path too long");
	int fd = open(wal, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(e, ERR_INTERNAL, "", "cannot open %s: %s", wal, strerror(errno));
	int rc = fdatasync(fd);
	int saved = errno;
	close(fd);
	return rc ? err_set(e, ERR_INTERNAL, "", "fdatasync %s: %s", wal, strerror(saved)) : 0;
}
