/*
** bench_backup.c: the online backup against the bare SQLite API, and the
** wall time of a full inspection, on a large database.
**
** The database: a fresh gonggai schema plus a synthetic table of 办件-sized
** rows (number, project code, department, status, dates, an opinion text)
** with two indexes, BENCH_BACKUP_ROWS rows (default 1,000,000, about 0.5 GB).
** It is synthetic because `gonggai demo` (the realistic history) is another
** engineer's and not in yet; point BENCH_BACKUP_DB at a demo database to use
** it instead.
**
** Measured, in alternating rounds so cache and disk state favour neither:
**   raw   sqlite3_backup_step(-1) into a new file (SQLite's defaults)
**   ours  ops_backup_copy: one read transaction, 16384-page steps, no journal
**         on the copy, switched to rollback mode, fsync (what `gonggai backup`
**         does before the integrity check)
** Then, once: PRAGMA integrity_check of the copy and its SHA-256 (reported
** apart: not part of the copy phase), the copy again while a writer commits
** small transactions on another connection (the server keeps working), and
** ops_inspect of every item on the large database.
** Target: ours / raw <= 1.2 (median of the rounds); exits 1 when missed.
*/
#include "base/clock.h"
#include "ops/backup.h"
#include "ops/ops.h"
#include "store/store_int.h"   /* white-box: reads and writes rows directly */

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define ROUNDS 5

static double file_mb(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? sb.st_size / 1048576.0 : 0;
}

static int fill(struct store *st, long rows)
{
	struct err e;
	if (store_exec(st, "CREATE TABLE bench_cases(id INTEGER PRIMARY KEY, no TEXT NOT NULL, project TEXT NOT NULL, "
		       "department TEXT NOT NULL, status INTEGER NOT NULL, accepted INTEGER NOT NULL, due INTEGER NOT NULL, "
		       "opinion TEXT NOT NULL)", &e) || store_exec(st, "BEGIN", &e))
		return -1;
	sqlite3_stmt *s;
	sqlite3_prepare_v2(store_db(st), "INSERT INTO bench_cases VALUES (?,?,?,?,?,?,?,?)", -1, &s, NULL);
	static const char *const depts[] = {"610200-ZJJ", "610200-ZRZY", "610202-XSP", "610203-XSP", "610204-ZJJ",
					    "610222-XSP", "610200-FGW", "610200-RF"};
	char no[40], proj[40], op[320];
	unsigned x = 12345;
	for (long i = 1; i <= rows; i++) {
		x = x * 1103515245 + 12345;
		snprintf(no, sizeof no, "SP6102%014ld", 20260000000000L + i);
		snprintf(proj, sizeof proj, "2026-6102%02u-48-01-%06ld", x % 5, i % 999999);
		snprintf(op, sizeof op, "经审查，申请材料齐全，符合法定形式，同意受理。承办人意见：第%ld号，"
			 "依据《行政许可法》第三十二条办理，已一次性告知补正事项。%u", i, x);
		sqlite3_bind_int64(s, 1, i);
		sqlite3_bind_text(s, 2, no, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, proj, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, depts[x % 8], -1, SQLITE_STATIC);
		sqlite3_bind_int(s, 5, (int)(x >> 8) % 15 + 1);
		sqlite3_bind_int64(s, 6, 1672531200 + (int64_t)(x % 100000000));
		sqlite3_bind_int64(s, 7, 1672531200 + (int64_t)(x % 100000000) + 86400 * 20);
		sqlite3_bind_text(s, 8, op, -1, SQLITE_STATIC);
		if (sqlite3_step(s) != SQLITE_DONE)
			return -1;
		sqlite3_reset(s);
	}
	sqlite3_finalize(s);
	return store_exec(st, "COMMIT; CREATE INDEX bench_cases_dept ON bench_cases(department, status);"
			  "CREATE INDEX bench_cases_no ON bench_cases(no); PRAGMA wal_checkpoint(TRUNCATE)", &e);
}

static double raw_backup(struct store *src, const char *dest)
{
	sqlite3 *d;
	unlink(dest);
	double t0 = clock_mono_ms();
	sqlite3_open(dest, &d);
	sqlite3_backup *b = sqlite3_backup_init(d, "main", store_db(src), "main");
	int rc = sqlite3_backup_step(b, -1);
	sqlite3_backup_finish(b);
	sqlite3_close(d);
	double ms = clock_mono_ms() - t0;
	return rc == SQLITE_DONE ? ms : -1;
}

static double ours(struct store *src, const char *dest)
{
	struct err e;
	double ms;
	return ops_backup_copy(src, dest, NULL, &ms, &e) ? -1 : ms;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

struct writer {
	const char *path;
	volatile int stop;
	long commits;
};

static void *write_loop(void *arg)
{
	struct writer *w = arg;
	sqlite3 *db;
	sqlite3_open(w->path, &db);
	sqlite3_busy_timeout(db, 10000);
	sqlite3_exec(db, "CREATE TABLE IF NOT EXISTS bench_writes(id INTEGER PRIMARY KEY, at INTEGER)", 0, 0, 0);
	while (!w->stop)
		if (sqlite3_exec(db, "INSERT INTO bench_writes(at) VALUES (strftime('%s','now'))", 0, 0, 0) == SQLITE_OK)
			w->commits++;
	sqlite3_close(db);
	return NULL;
}

/* The copy once more while another connection keeps committing. */
static void online(struct store *src, const char *db, const char *dest)
{
	struct writer w = {.path = db};
	pthread_t t;
	pthread_create(&t, NULL, write_loop, &w);
	usleep(100 * 1000);
	long before = w.commits;
	double ms = ours(src, dest);
	long during = w.commits - before;
	w.stop = 1;
	pthread_join(t, NULL);
	printf("online: copy %.0f ms while a writer committed %ld transactions (%.0f/s) on another connection\n",
	       ms, during, during / (ms / 1e3));
}

static int setup_db(const char *dir, char *db, size_t cap, struct store **st)
{
	struct err e;
	const char *given = getenv("BENCH_BACKUP_DB");
	long rows = getenv("BENCH_BACKUP_ROWS") ? atol(getenv("BENCH_BACKUP_ROWS")) : 1000000;
	if (given) {
		snprintf(db, cap, "%s", given);
		return store_open(db, 0, st, &e);
	}
	snprintf(db, cap, "%s/big.db", dir);
	double t0 = clock_mono_ms();
	if (store_open(db, STORE_CREATE, st, &e) || fill(*st, rows))
		return -1;
	printf("database: %ld synthetic 办件-sized rows + gonggai schema, %.0f MB, generated in %.1f s "
	       "(synthetic: `gonggai demo` is not in yet)\n", rows, file_mb(db), (clock_mono_ms() - t0) / 1e3);
	return 0;
}

static void inspect_all(struct store *st, const char *db)
{
	struct ops_conf cf;
	struct ops_inspection in;
	struct principal p;
	struct err e;
	ops_conf_load(NULL, db, &cf, &e);
	rbac_cli_principal(&p);
	struct ops_env env = {.cf = &cf, .st = st, .now = clock_now(NULL)};
	double t0 = clock_mono_ms();
	if (ops_inspect(&env, "inspect.manual", &p, NULL, 0, &in, &e)) {
		printf("inspect failed: %s\n", e.msg);
		return;
	}
	printf("full inspection: %d items in %.0f ms (no server running: app probes answer at once)\n", in.n,
	       clock_mono_ms() - t0);
	ops_inspection_free(&in);
}

int main(void)
{
	char dir[] = "/tmp/gg-bench-backup-XXXXXX", db[600], dest[640];
	struct store *st;
	double raw[ROUNDS], our[ROUNDS], ms;
	struct err e;
	if (!mkdtemp(dir) || setup_db(dir, db, sizeof db, &st)) {
		fprintf(stderr, "bench_backup: cannot set up the database\n");
		return 1;
	}
	snprintf(dest, sizeof dest, "%s/copy.db", dir);
	for (int i = 0; i < ROUNDS; i++) {
		raw[i] = raw_backup(st, dest);
		our[i] = ours(st, dest);
		printf("round %d: raw sqlite3_backup_step(-1) %.0f ms, ops_backup_copy %.0f ms\n", i + 1, raw[i], our[i]);
	}
	qsort(raw, ROUNDS, sizeof raw[0], cmp);
	qsort(our, ROUNDS, sizeof our[0], cmp);
	double ratio = our[ROUNDS / 2] / raw[ROUNDS / 2];
	printf("copy phase (median): raw %.0f ms, ours %.0f ms, %.0f MB/s; ratio ours/raw %.2fx (target <= 1.2x)\n",
	       raw[ROUNDS / 2], our[ROUNDS / 2], file_mb(dest) / (our[ROUNDS / 2] / 1e3), ratio);
	char first[200], hex[65];
	ops_integrity_file(dest, first, sizeof first, &ms);
	printf("integrity_check of the copy: %.0f ms (%s), separate from the copy phase\n", ms, first);
	double t0 = clock_mono_ms();
	ops_sha256_file(dest, hex, &e);
	printf("sha256 of the copy: %.0f ms\n", clock_mono_ms() - t0);
	if (!getenv("BENCH_BACKUP_DB"))   /* never write into a database we were given */
		online(st, db, dest);
	inspect_all(st, db);
	store_close(st);
	if (!getenv("BENCH_KEEP")) {
		char cmd[100];
		snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			fprintf(stderr, "could not remove %s\n", dir);
	}
	return ratio <= 1.2 && raw[0] > 0 && our[0] > 0 ? 0 : 1;
}
