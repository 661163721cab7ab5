/*
** store_backup.c: the database as a file (store.h, "files"): the online
** copy, an interruptible check, folding the WAL back.
**
** Why one read transaction around the whole copy: sqlite3_backup_step
** restarts from the first page whenever another connection writes between
** two steps, so under a busy server a stepwise backup might never finish.
** Holding a read transaction on the source pins one snapshot (WAL readers do
** not block writers), and stepping in chunks still lets `serve` stop it.
*/
#include "store/store_int.h"

#include <unistd.h>

#define STEP_PAGES 16384

/* Step the backup to its end inside the caller's read transaction. */
static int run_steps(sqlite3_backup *b, const volatile int *stop, struct err *e)
{
	for (;;) {
		if (stop && *stop)
			return err_set(e, ERR_INTERNAL, "backup", "备份被中断（服务停止）(interrupted)");
		int rc = sqlite3_backup_step(b, STEP_PAGES);
		if (rc == SQLITE_DONE)
			return 0;
		if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED) {
			usleep(20000);
			continue;
		}
		if (rc != SQLITE_OK)
			return err_set(e, ERR_INTERNAL, "backup", "backup step: %s", sqlite3_errstr(rc));
	}
}

int store_backup_to(struct store *src, const char *dest_path, const volatile int *stop, struct err *e)
{
	sqlite3 *dest = NULL;
	unlink(dest_path);
	if (sqlite3_open_v2(dest_path, &dest, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK) {
		err_set(e, ERR_INTERNAL, "backup", "cannot create %s: %s", dest_path, sqlite3_errmsg(dest));
		sqlite3_close(dest);
		return ERR_INTERNAL;
	}
	/* the copy is rebuilt from scratch on failure: no journal, one fsync at the end */
	sqlite3_exec(dest, "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF", NULL, NULL, NULL);
	int rc = store_exec(src, "BEGIN DEFERRED; SELECT count(*) FROM sqlite_master", e);
	sqlite3_backup *b = rc ? NULL : sqlite3_backup_init(dest, "main", store_db(src), "main");
	if (!rc && !b)
		rc = err_set(e, ERR_INTERNAL, "backup", "backup init: %s", sqlite3_errmsg(dest));
	if (b) {
		rc = run_steps(b, stop, e);
		sqlite3_backup_finish(b);
	}
	store_exec(src, "COMMIT", NULL);
	/* one self-contained file: leave WAL mode (the live database's) */
	if (!rc && sqlite3_exec(dest, "PRAGMA journal_mode=DELETE", NULL, NULL, NULL) != SQLITE_OK)
		rc = err_set(e, ERR_INTERNAL, "backup", "journal mode of the copy: %s", sqlite3_errmsg(dest));
	sqlite3_close(dest);
	return rc;
}

static int stop_requested(void *arg)
{
	const volatile int *stop = arg;
	return stop && *stop;
}

void store_interrupt_on(struct store *st, const volatile int *stop)
{
	sqlite3_progress_handler(store_db(st), 100000, stop_requested, (void *)stop);
}

void store_checkpoint_file(const char *path)
{
	sqlite3 *db = NULL;
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK)
		sqlite3_exec(db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL);
	sqlite3_close(db);
}
