/*
** store.c: connections, migrations, transactions, the statement cache and the
** connection pool (see store.h). Depends on sqlite3 and base/embed for the
** compiled-in migration files.
*/
#include "store/store_int.h"
#include "base/conf.h"
#include "base/embed.h"
#include "store/store_key.h"

#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define STMT_CACHE_MIN 256   /* slots; the table doubles when half full */
#define MIGRATION_DIR "src/store/migrations/"

struct stmt_slot {
	const char *sql;
	sqlite3_stmt *stmt;
};

struct store {
	sqlite3 *db;
	char *path;
	int depth;                      /* nesting of store_begin          */
	int failed;                     /* a nested level rolled back      */
	struct stmt_slot *cache;        /* open addressing, keyed by SQL pointer */
	size_t ncache, used;
	pthread_mutex_t *gate;          /* the pool's writer gate, NULL alone  */
	struct store_secret secret;     /* the key file's content: store_key.h */
	struct store_names names;       /* store_int.h; emptied by a rollback */
};

int store_sqlerr(struct store *st, struct err *e, const char *what)
{
	int rc = sqlite3_extended_errcode(st->db);
	const char *m = sqlite3_errmsg(st->db);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return err_set(e, ERR_CONFLICT, "", "%s: %s", what, m);
	return err_set(e, ERR_INTERNAL, "", "database error in %s: %s", what, m);
}

int store_exec(struct store *st, const char *sql, struct err *e)
{
	char *msg = NULL;
	if (sqlite3_exec(st->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		int code = (sqlite3_extended_errcode(st->db) & 0xff) == SQLITE_CONSTRAINT
			? ERR_CONFLICT : ERR_INTERNAL;
		err_set(e, code, "", "database: %s", msg ? msg : "error");
		sqlite3_free(msg);
		return code;
	}
	return 0;
}

static size_t slot_of(const char *sql, size_t n)
{
	return (size_t)(((uintptr_t)sql >> 3) * 0x9E3779B97F4A7C15ull) & (n - 1);
}

/* Double the table; on allocation failure keep the old one (still usable). */
static void cache_grow(struct store *st)
{
	size_t n = st->ncache ? st->ncache * 2 : STMT_CACHE_MIN;
	struct stmt_slot *t = calloc(n, sizeof *t);
	if (!t)
		return;
	for (size_t i = 0; i < st->ncache; i++) {
		if (!st->cache[i].sql)
			continue;
		size_t j = slot_of(st->cache[i].sql, n);
		while (t[j].sql)
			j = (j + 1) & (n - 1);
		t[j] = st->cache[i];
	}
	free(st->cache);
	st->cache = t;
	st->ncache = n;
}

sqlite3_stmt *store_stmt(struct store *st, const char *sql, struct err *e)
{
	if ((st->used + 1) * 2 > st->ncache)
		cache_grow(st);
	if (st->used + 1 >= st->ncache) {
		err_set(e, ERR_INTERNAL, "", "out of memory (statement cache)");
		return NULL;
	}
	size_t i = slot_of(sql, st->ncache);
	while (st->cache[i].sql && st->cache[i].sql != sql)
		i = (i + 1) & (st->ncache - 1);
	struct stmt_slot *s = &st->cache[i];
	if (s->sql) {
#ifdef GG_TESTING
		/* the literal rule (store.h): the text behind a cached pointer
		** never changes, or this would run another statement's plan */
		const char *was = sqlite3_sql(s->stmt);
		assert(strncmp(was, sql, strlen(was)) == 0);
#endif
		sqlite3_reset(s->stmt);
		sqlite3_clear_bindings(s->stmt);
		return s->stmt;
	}
	if (sqlite3_prepare_v3(st->db, sql, -1, SQLITE_PREPARE_PERSISTENT, &s->stmt, NULL) != SQLITE_OK) {
		store_sqlerr(st, e, "prepare");
		s->stmt = NULL;
		return NULL;
	}
	s->sql = sql;
	st->used++;
	return s->stmt;
}

int store_run(struct store *st, const char *sql, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, sql, e);
	if (!s)
		return e ? e->code : ERR_INTERNAL;
	return store_step_done(st, s, e, sql);
}

sqlite3 *store_db(struct store *st) { return st->db; }
struct store_names *store_names(struct store *st) { return &st->names; }
const char *store_path(const struct store *st) { return st->path; }
const struct store_secret *store_secret(struct store *st) { return &st->secret; }
struct store_secret *store_secret_own(struct store *st) { return &st->secret; }

void store_bind_id(sqlite3_stmt *s, int i, int64_t v)
{
	if (v)
		sqlite3_bind_int64(s, i, v);
	else
		sqlite3_bind_null(s, i);
}

void store_bind_text(sqlite3_stmt *s, int i, const char *v)
{
	if (v)
		sqlite3_bind_text(s, i, v, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(s, i);
}

const char *store_col_text(sqlite3_stmt *s, int i)
{
	const unsigned char *t = sqlite3_column_text(s, i);
	return t ? (const char *)t : "";
}

int store_step_done(struct store *st, sqlite3_stmt *s, struct err *e, const char *what)
{
	int rc = sqlite3_step(s);
	if (rc == SQLITE_DONE || rc == SQLITE_ROW) {
		sqlite3_reset(s);
		return 0;
	}
	store_sqlerr(st, e, what);
	sqlite3_reset(s);
	return e ? e->code : ERR_INTERNAL;
}

/* Run a COUNT(*) statement whose parameters are already bound. */
int store_count(struct store *st, sqlite3_stmt *s, int64_t *total, struct err *e)
{
	if (sqlite3_step(s) != SQLITE_ROW) {
		sqlite3_reset(s);
		return store_sqlerr(st, e, "count");
	}
	*total = sqlite3_column_int64(s, 0);
	sqlite3_reset(s);
	return 0;
}

/* Turn every remaining row of s into an object keyed by column name. */
int store_rows_json(struct store *st, sqlite3_stmt *s, json_t **items, struct err *e)
{
	json_t *arr = json_array();
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		json_t *o = json_object();
		int n = sqlite3_column_count(s);
		for (int i = 0; i < n; i++) {
			const char *name = sqlite3_column_name(s, i);
			switch (sqlite3_column_type(s, i)) {
			case SQLITE_INTEGER:
				json_object_set_new(o, name, json_integer(sqlite3_column_int64(s, i)));
				break;
			case SQLITE_FLOAT:
				json_object_set_new(o, name, json_real(sqlite3_column_double(s, i)));
				break;
			case SQLITE_NULL:
				json_object_set_new(o, name, json_null());
				break;
			default:
				json_object_set_new(o, name, json_string(store_col_text(s, i)));
			}
		}
		json_array_append_new(arr, o);
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		json_decref(arr);
		return store_sqlerr(st, e, "list");
	}
	*items = arr;
	return 0;
}

void store_bind_page(sqlite3_stmt *s, int i, const struct page *pg)
{
	sqlite3_bind_int(s, i, pg->page_size);
	sqlite3_bind_int64(s, i + 1, (int64_t)(pg->page - 1) * pg->page_size);
}

/* ---- transactions --------------------------------------------------------- */

/* Writers of one pool queue on the pool's gate before BEGIN IMMEDIATE:
** two connections of this process never meet SQLite's write lock, whose
** busy handler sleeps 1, 2, 5 … ms between tries. Other processes (the CLI)
** still wait in busy_timeout. The gate is waited for STORE_GATE_WAIT_MS at
** most: while another process holds the lock, one connection waits in
** busy_timeout and the others give up (ERR_BUSY) instead of all of them
** blocking behind it. */
static int gate_close(struct store *st, struct err *e)
{
	assert(st->depth == 1);   /* only the outermost begin takes the gate */
	if (!st->gate)
		return 0;
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += STORE_GATE_WAIT_MS / 1000;
	until.tv_nsec += (long)(STORE_GATE_WAIT_MS % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	if (pthread_mutex_timedlock(st->gate, &until) == 0)
		return 0;
	return err_set(e, ERR_BUSY, "", "数据库忙，请稍后重试 (another write has held the database for %d ms)",
		       STORE_GATE_WAIT_MS);
}

static void gate_open(struct store *st)
{
	assert(st->depth == 0);   /* only when the outermost transaction ends */
	if (!st->gate)
		return;
#ifdef GG_TESTING
	assert(pthread_mutex_trylock(st->gate) != 0);   /* held: ours since gate_close */
#endif
	pthread_mutex_unlock(st->gate);
}

int store_begin(struct store *st, struct err *e)
{
	if (st->depth++ > 0)
		return 0;
	st->failed = 0;
	if (gate_close(st, e)) {
		st->depth = 0;
		return e->code;
	}
	int rc = store_run(st, "BEGIN IMMEDIATE", e);
	if (rc) {
		if ((sqlite3_extended_errcode(st->db) & 0xff) == SQLITE_BUSY)
			rc = err_set(e, ERR_BUSY, "", "数据库被其他进程锁定，请稍后重试 (database locked by another process)");
		st->depth = 0;
		gate_open(st);
	}
	return rc;
}

int store_commit(struct store *st, struct err *e)
{
	assert(st->depth > 0);
	if (--st->depth > 0)
		return 0;
	if (st->failed) {
		store_run(st, "ROLLBACK", NULL);
		st->names.n = 0;
		gate_open(st);
		return err_set(e, ERR_INTERNAL, "", "transaction rolled back by a nested failure");
	}
	int rc = store_run(st, "COMMIT", e);
	if (rc) {
		store_run(st, "ROLLBACK", NULL);
		st->names.n = 0;
	}
	gate_open(st);
	return rc;
}

void store_rollback(struct store *st)
{
	assert(st->depth > 0);
	if (--st->depth > 0) {
		st->failed = 1;
		return;
	}
	store_run(st, "ROLLBACK", NULL);
	st->names.n = 0;
	gate_open(st);
}

/* ---- migrations ----------------------------------------------------------- */

int store_schema_version(struct store *st)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT coalesce(max(version),0) FROM schema_version", NULL);
	if (!s || sqlite3_step(s) != SQLITE_ROW)
		return 0;
	int v = sqlite3_column_int(s, 0);
	sqlite3_reset(s);
	return v;
}

static int migration_number(const char *path)
{
	const char *base = path + strlen(MIGRATION_DIR);
	return atoi(base);
}

static int apply_migration(struct store *st, const struct embed_file *f, struct err *e)
{
	int v = migration_number(f->path);
	if (store_begin(st, e))
		return e->code;
	if (store_exec(st, (const char *)f->data, e))
		goto fail;
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO schema_version(version, name, applied_at) "
				     "VALUES (?, ?, strftime('%s','now'))", e);
	if (!s)
		goto fail;
	sqlite3_bind_int(s, 1, v);
	store_bind_text(s, 2, f->path + strlen(MIGRATION_DIR));
	if (store_step_done(st, s, e, "record migration"))
		goto fail;
	return store_commit(st, e);
fail:
	store_rollback(st);
	char what[sizeof e->msg];
	snprintf(what, sizeof what, "%s", e->msg);
	return err_set(e, ERR_INTERNAL, "", "migration %s: %s", f->path, what);
}

static int migration_applied(struct store *st, int v)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT 1 FROM schema_version WHERE version = ?", NULL);
	if (!s)
		return 0;
	sqlite3_bind_int(s, 1, v);
	int found = sqlite3_step(s) == SQLITE_ROW;
	sqlite3_reset(s);
	return found;
}

/* Apply, in order, every compiled-in migration not recorded yet (not only
** those above the highest: a development database may have received a later
** number before an earlier one was written). */
static int migrate(struct store *st, struct err *e)
{
	if (store_exec(st, "CREATE TABLE IF NOT EXISTS schema_version("
		       "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at INTEGER NOT NULL)", e))
		return e->code;
	size_t n = strlen(MIGRATION_DIR);
	for (const struct embed_file *f = embed_files; f->path; f++) {
		if (strncmp(f->path, MIGRATION_DIR, n) != 0 || migration_applied(st, migration_number(f->path)))
			continue;
		if (apply_migration(st, f, e))
			return e->code;
	}
	return 0;
}

/* ---- open/close ----------------------------------------------------------- */

static int configure(struct store *st, int flags, struct err *e)
{
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	if (store_case_functions(st->db) != SQLITE_OK)
		return store_sqlerr(st, e, "SQL functions");
	if (store_exec(st, "PRAGMA foreign_keys=ON", e))
		return e->code;
	if (flags & STORE_READONLY)
		return 0;
	if ((flags & STORE_MEM_TEMP) && store_exec(st, "PRAGMA temp_store=MEMORY", e))
		return e->code;
	if (store_exec(st, "PRAGMA journal_mode=WAL", e))
		return e->code;
	return store_exec(st, (flags & STORE_SYNC_FULL) ? "PRAGMA synchronous=FULL"
			  : "PRAGMA synchronous=NORMAL", e);
}

int store_open(const char *path, int flags, struct store **out, struct err *e)
{
	struct stat sb;
	int exists = stat(path, &sb) == 0;
	*out = NULL;
	if ((flags & STORE_CREATE) && exists)
		return err_set(e, ERR_CONFLICT, "db", "数据库已存在，拒绝覆盖: %s (database exists)", path);
	if (!(flags & STORE_CREATE) && !exists)
		return err_set(e, ERR_NOTFOUND, "db", "数据库不存在: %s (run gonggai init first)", path);
	struct store *st = calloc(1, sizeof *st);
	if (!st)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	st->path = strdup(path);
	int oflags = (flags & STORE_READONLY) ? SQLITE_OPEN_READONLY
		: SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE;
	if (sqlite3_open_v2(path, &st->db, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		err_set(e, ERR_INTERNAL, "db", "cannot open %s: %s", path, sqlite3_errmsg(st->db));
		store_close(st);
		return ERR_INTERNAL;
	}
	if (configure(st, flags, e) || (!(flags & STORE_READONLY) && migrate(st, e)) ||
	    store_key_open(st, !(flags & STORE_READONLY), &st->secret, e)) {
		store_close(st);
		if (flags & STORE_CREATE)
			unlink(path);
		return e->code;
	}
	*out = st;
	return 0;
}

void store_close(struct store *st)
{
	if (!st)
		return;
	for (size_t i = 0; i < st->ncache; i++)
		if (st->cache[i].stmt)
			sqlite3_finalize(st->cache[i].stmt);
	free(st->cache);
	if (st->db)
		sqlite3_close(st->db);
	free(st->path);
	sodium_memzero(&st->secret, sizeof st->secret);
	free(st);
}

const char *store_engine_version(void)
{
	return sqlite3_libversion();
}

int store_ping(struct store *st, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT 1", e);
	if (!s)
		return e->code;
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_ROW ? 0 : store_sqlerr(st, e, "ping");
}

int store_write_probe(struct store *st, int64_t now, int busy_ms, struct err *e)
{
	sqlite3_busy_timeout(st->db, busy_ms);
	int rc = store_begin(st, e);
	sqlite3_busy_timeout(st->db, STORE_BUSY_MS);
	if (rc)
		return rc;
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO health_probe(id, at) VALUES (1, ?) "
				     "ON CONFLICT(id) DO UPDATE SET at = excluded.at", e);
	if (!s) {
		store_rollback(st);
		return e->code;
	}
	sqlite3_bind_int64(s, 1, now);
	if (store_step_done(st, s, e, "health probe")) {
		store_rollback(st);
		return e->code;
	}
	return store_commit(st, e);
}

int store_optimize(struct store *st, struct err *e)
{
	return store_exec(st, "PRAGMA analysis_limit=2000; ANALYZE; PRAGMA analysis_limit=0", e);
}

/* ---- tuning --------------------------------------------------------------- */

int store_tuning_load(const struct conf *c, struct store_tuning *t, struct err *e)
{
	t->cache_mib = STORE_CACHE_MIB;
	t->mmap_mib = STORE_MMAP_MIB;
	if (!c)
		return 0;
	if (conf_int_ok(c, "store", "cache_mib", 1, 65536, e) ||
	    conf_int_ok(c, "store", "mmap_mib", 0, STORE_MMAP_MAX_MIB, e))
		return e->code;
	t->cache_mib = (int)conf_int(c, "store", "cache_mib", STORE_CACHE_MIB);
	t->mmap_mib = (int)conf_int(c, "store", "mmap_mib", STORE_MMAP_MIB);
	return 0;
}

int store_tune(struct store *st, const struct store_tuning *t, struct err *e)
{
	char sql[128];
	/* a negative cache_size is KiB */
	snprintf(sql, sizeof sql, "PRAGMA cache_size=-%lld; PRAGMA mmap_size=%lld", (long long)t->cache_mib * 1024,
		 (long long)t->mmap_mib << 20);
	return store_exec(st, sql, e);
}

/* ---- pool ----------------------------------------------------------------- */

struct store_pool {
	pthread_mutex_t mu;
	pthread_mutex_t gate;           /* one writer of the pool at a time   */
	pthread_cond_t cv;
	int size, nfree;
	struct store **all, **free;
};

int store_pool_open(const char *path, int size, int flags, const struct conf *c, struct store_pool **out,
		    struct err *e)
{
	struct store_tuning t;
	assert(size > 0);
	if (store_tuning_load(c, &t, e))
		return e->code;
	struct store_pool *p = calloc(1, sizeof *p);
	if (!p)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	p->all = calloc(size, sizeof *p->all);
	p->free = calloc(size, sizeof *p->free);
	pthread_mutex_init(&p->mu, NULL);
	pthread_mutex_init(&p->gate, NULL);
	pthread_cond_init(&p->cv, NULL);
	for (int i = 0; i < size; i++) {
		if (store_open(path, flags & ~STORE_CREATE, &p->all[i], e) || store_tune(p->all[i], &t, e)) {
			store_close(p->all[i]);
			p->all[i] = NULL;
			store_pool_close(p);
			return e->code;
		}
		p->all[i]->gate = &p->gate;
		p->free[p->nfree++] = p->all[i];
		p->size++;
	}
	*out = p;
	return 0;
}

struct store *store_pool_get(struct store_pool *p)
{
	pthread_mutex_lock(&p->mu);
	while (p->nfree == 0)
		pthread_cond_wait(&p->cv, &p->mu);
	struct store *st = p->free[--p->nfree];
	pthread_mutex_unlock(&p->mu);
	return st;
}

void store_pool_put(struct store_pool *p, struct store *st)
{
	assert(st->depth == 0);
	pthread_mutex_lock(&p->mu);
	p->free[p->nfree++] = st;
	pthread_cond_signal(&p->cv);
	pthread_mutex_unlock(&p->mu);
}

void store_pool_share_gate(struct store_pool *p, struct store *st)
{
	assert(st->depth == 0);
	st->gate = &p->gate;
}

void store_pool_close(struct store_pool *p)
{
	if (!p)
		return;
	for (int i = 0; i < p->size; i++)
		store_close(p->all[i]);
	pthread_mutex_destroy(&p->mu);
	pthread_mutex_destroy(&p->gate);
	pthread_cond_destroy(&p->cv);
	free(p->all);
	free(p->free);
	free(p);
}
