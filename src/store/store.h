/*
** store.h: the database. SQLite today (WAL, foreign keys, busy timeout,
** prepared statements cached per connection); the only module that knows
** SQL. Domain modules call the store_* functions declared in the store_*.h
** headers with plain C structs and never see a statement, so a PostgreSQL
** backend can replace these files without touching them.
**
** The interface knows no SQLite: a struct store is an opaque handle, and
** what the store_*.c files share (statements, binds, the SQLite handle) is in
** store_int.h, which only src/store includes (scripts/check-layers.sh).
**
** A struct store is one connection, used by one thread at a time. The HTTP
** server keeps a pool (store_pool_*) with one connection per worker; the CLI
** and the scheduler open their own.
**
** Schema: migrations are the files src/store/migrations/NNNN_name.sql,
** compiled into the binary, applied in order inside one transaction each and
** recorded in schema_version. Other engineers add files with the next number.
*/
#ifndef GG_STORE_H
#define GG_STORE_H

#include <stdint.h>
#include <jansson.h>

#include "base/err.h"

struct store;

enum store_open_flags {
	STORE_CREATE = 1,      /* create the file; fail when it exists       */
	STORE_READONLY = 2,
	STORE_SYNC_FULL = 4,   /* synchronous=FULL instead of NORMAL         */
	STORE_MEM_TEMP = 8,    /* temp_store=MEMORY: savepoint journals and
				  temporary tables never touch the disk (for
				  a writer of short batches, not for sorts of
				  millions of rows)                          */
};

/* Open path and migrate it to the current schema (unless READONLY).
** Without STORE_CREATE a missing file is ERR_NOTFOUND; with it an existing
** file is ERR_CONFLICT. On success *out is owned by the caller (store_close). */
int store_open(const char *path, int flags, struct store **out, struct err *e);
void store_close(struct store *st);
const char *store_path(const struct store *st);

#define STORE_BUSY_MS 10000       /* busy_timeout: another process's lock  */
#define STORE_GATE_WAIT_MS 2000   /* the pool's writer gate (store.c)     */

/* Transactions. begin() takes the write lock at once (BEGIN IMMEDIATE) so
** writers queue on busy_timeout instead of failing on upgrade. Nested calls
** are counted: only the outermost commit/rollback reaches SQLite.
** ERR_BUSY when the pool's writer gate is not free within
** STORE_GATE_WAIT_MS or another process holds the lock past STORE_BUSY_MS. */
int store_begin(struct store *st, struct err *e);
int store_commit(struct store *st, struct err *e);
void store_rollback(struct store *st);

/* Refresh the planner's statistics (ANALYZE over a sample of each index:
** well under a second at 1 M 办件): after the demo, after imports and by the
** nightly cleanup, so the list queries keep their indexes. */
int store_optimize(struct store *st, struct err *e);

/* Schema version after migrations (highest applied NNNN). */
int store_schema_version(struct store *st);

/* Version of the database engine linked in ("3.40.1"). */
const char *store_engine_version(void);

/* Quick health probe ("SELECT 1"); 0 when the connection answers. */
int store_ping(struct store *st, struct err *e);
/* A real write (one row of health_probe, in a transaction): 0 when the
** database takes it; waits busy_ms at most for another process's lock.
** ERR_BUSY when locked, ERR_INTERNAL when read-only or the disk is full. */
int store_write_probe(struct store *st, int64_t now, int busy_ms, struct err *e);

/* ---- the database as a file (store_backup.c) ---------------------------- */
/* Copy src into a new file dest_path (replaced when it exists) as one
** snapshot while other connections keep writing: a self-contained database
** (no WAL), not yet synced to disk. Stops with ERR_INTERNAL when *stop
** (may be NULL) becomes true. */
int store_backup_to(struct store *src, const char *dest_path, const volatile int *stop, struct err *e);
/* Make long statements on st give up when *stop becomes true. */
void store_interrupt_on(struct store *st, const volatile int *stop);
/* Fold path's WAL back into the file, when it opens (best effort). */
void store_checkpoint_file(const char *path);

/* Paging of every list endpoint. */
#define PAGE_SIZE_MAX 200   /* the largest page any list gives, API or CLI */
struct page {
	int page;        /* 1-based */
	int page_size;   /* 1..PAGE_SIZE_MAX */
};

/* ---- pool --------------------------------------------------------------- */
struct store_pool;
struct conf;
/* size connections, each tuned from [store] of c (store_tuning_load). */
int store_pool_open(const char *path, int size, int flags, const struct conf *c, struct store_pool **out,
		    struct err *e);
struct store *store_pool_get(struct store_pool *p);   /* blocks until free */
void store_pool_put(struct store_pool *p, struct store *st);
void store_pool_close(struct store_pool *p);
/* Let st, a connection of this process outside the pool (the case writer),
** queue on the pool's writer gate like the pool's own connections, instead
** of sleeping in SQLite's busy handler (1, 2, 5 ... ms) while one of them
** writes. p must outlive st. */
void store_pool_share_gate(struct store_pool *p, struct store *st);

/* Memory of each connection ([store] of gonggai.ini, docs/operations.md):
** cache_mib of SQLite page cache, and the first mmap_mib of the file read
** through a shared memory map instead of copied into that cache (SQLite's
** build caps the map at STORE_MMAP_MAX_MIB). */
struct store_tuning {
	int cache_mib, mmap_mib;
};
#define STORE_CACHE_MIB 64
#define STORE_MMAP_MIB 2047
#define STORE_MMAP_MAX_MIB 2047
struct conf;
/* [store] cache_mib (1..65536) and mmap_mib (0..STORE_MMAP_MAX_MIB) with
** their defaults; e names a malformed key. */
int store_tuning_load(const struct conf *c, struct store_tuning *t, struct err *e);
int store_tune(struct store *st, const struct store_tuning *t, struct err *e);

/* ---- background checkpoints (store_ckpt.c) ------------------------------ */
/* A thread with its own connection that copies the WAL back into the
** database (PASSIVE checkpoint) when a connection handed to it has grown the
** WAL to `pages` frames, so that connection's COMMIT never pays for the
** copy and its fsync. The checkpointer must outlive every connection
** deferring to it; stop() runs a last checkpoint. */
struct store_checkpointer;
int store_checkpointer_start(const char *path, int flags, int pages, struct store_checkpointer **out,
			     struct err *e);
void store_checkpointer_stop(struct store_checkpointer *cp);
long store_checkpointer_runs(struct store_checkpointer *cp);  /* wakes served so far */
/* Turn st's automatic checkpoint off and wake cp after its commits instead. */
int store_checkpoint_defer(struct store *st, struct store_checkpointer *cp, struct err *e);
/* Flush the WAL file of st's database to disk (fdatasync): every commit
** st made before the call is then durable, as synchronous=FULL would have
** made it at its COMMIT. For a connection opened without STORE_SYNC_FULL
** that syncs a group of commits once, outside the write lock (case_writer). */
int store_wal_sync(struct store *st, struct err *e);

#endif
