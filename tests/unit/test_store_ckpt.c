/*
** test_store_ckpt.c: the background checkpointer (store_ckpt.c) and the
** in-memory temporary store of the case writer's connection: a deferring
** connection never checkpoints itself, the checkpointer is woken once the
** WAL reaches its size and copies it back, a connection not handed to it is
** left alone, and stop copies the rest into the database file.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "store/store.h"
#include "store/store_int.h"   /* white-box: reads and writes rows directly */

static char dir[64], db[128];

static int setup(void **state)
{
	struct store *st;
	struct err e;
	snprintf(dir, sizeof dir, "/tmp/gg-ckpt-unit-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	snprintf(db, sizeof db, "%s/t.db", dir);
	if (store_open(db, STORE_CREATE, &st, &e) || store_exec(st, "CREATE TABLE t(x BLOB)", &e))
		return -1;
	store_close(st);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

static int pragma_int(struct store *st, const char *sql)
{
	sqlite3_stmt *s;
	int v = -1;
	if (sqlite3_prepare_v2(store_db(st), sql, -1, &s, NULL) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW)
		v = sqlite3_column_int(s, 0);
	sqlite3_finalize(s);
	return v;
}

/* n commits of one 3 KB row each (about one WAL frame per commit and more). */
static void commits(struct store *st, int n)
{
	struct err e;
	for (int i = 0; i < n; i++)
		assert_int_equal(store_exec(st, "INSERT INTO t VALUES (randomblob(3000))", &e), 0);
}

static long wait_runs(struct store_checkpointer *cp, long above)
{
	for (int i = 0; i < 500 && store_checkpointer_runs(cp) <= above; i++)
		usleep(10 * 1000);
	return store_checkpointer_runs(cp);
}

static void test_deferred_connection(void **state)
{
	struct store_checkpointer *cp;
	struct store *w, *other;
	struct err e;
	assert_int_equal(store_checkpointer_start(db, 0, 50, &cp, &e), 0);
	assert_int_equal(store_open(db, STORE_MEM_TEMP, &w, &e), 0);
	assert_int_equal(store_open(db, 0, &other, &e), 0);
	assert_int_equal(pragma_int(w, "PRAGMA temp_store"), 2);        /* MEMORY */
	assert_int_equal(pragma_int(other, "PRAGMA temp_store"), 0);    /* the default */

	/* a connection not handed over keeps SQLite's own checkpoints, and
	** its commits do not wake the checkpointer */
	assert_int_equal(pragma_int(other, "PRAGMA wal_autocheckpoint"), 1000);
	commits(other, 60);
	usleep(50 * 1000);
	assert_int_equal(store_checkpointer_runs(cp), 0);

	assert_int_equal(store_checkpoint_defer(w, cp, &e), 0);
	assert_int_equal(pragma_int(w, "PRAGMA wal_autocheckpoint"), 0);
	commits(w, 10);                           /* the WAL is past 50 frames already */
	long runs = wait_runs(cp, 0);
	assert_true(runs > 0);
	commits(w, 200);
	assert_true(wait_runs(cp, runs) > runs);
	assert_int_equal(pragma_int(w, "SELECT count(*) FROM t"), 270);

	/* stop runs a last checkpoint: with `other` still open (so closing
	** connections checkpoint nothing), every row is in the database file */
	store_close(w);
	store_checkpointer_stop(cp);
	struct stat sb;
	assert_int_equal(stat(db, &sb), 0);
	assert_true(sb.st_size >= 270 * 3000);
	store_close(other);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_deferred_connection),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
