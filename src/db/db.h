/*
** db.h: the application's database as the faces (cli/, http/) see it: open
** one for a command, a pool of them for the server, lay down the first rows
** of a new one, and the facts the faces print. A face holds a struct store *
** only as a handle to pass to the domain modules, and gets here what the
** domain modules are wired with (the case observers); only the domain calls the
** store (scripts/check-layers.sh), so a second store backend is chosen here
** and nowhere above.
**
** Flags are the store's (STORE_CREATE, STORE_READONLY, STORE_SYNC_FULL);
** what db_open returns is the caller's (db_close), as is a pool
** (db_pool_close).
*/
#ifndef GG_DB_H
#define GG_DB_H

#include <stdint.h>

#include "approval/case.h"
#include "base/err.h"
#include "store/store.h"

/* Open path and migrate it (store_open): without STORE_CREATE a missing
** file is ERR_NOTFOUND, with it an existing file is ERR_CONFLICT. */
int db_open(const char *path, int flags, struct store **out, struct err *e);
void db_close(struct store *st);

/* A pool of size connections for the server's worker threads; c (may be
** NULL) gives their [store] cache and memory-map sizes. */
struct conf;
int db_pool_open(const char *path, int size, int flags, const struct conf *c, struct store_pool **out,
		 struct err *e);
struct store *db_pool_get(struct store_pool *p);   /* blocks until one is free */
void db_pool_put(struct store_pool *p, struct store *st);
void db_pool_close(struct store_pool *p);

/* The first rows of a database just created (`init`, `demo`): its key
** moved to key_file when not NULL, the organisation's fixed rows and the
** built-in catalogue, as the command line (audited). */
int db_seed(struct store *st, const char *key_file, int64_t now, struct err *e);

/* Schema version after migrations (highest applied NNNN). */
int db_schema_version(struct store *st);

/* The observers of every 办件 change, for struct case_env.observers: the
** statistics' maintained aggregates (stats_case_observer). Registered here,
** above both, so the lifecycle knows no observer. NULL-terminated, static. */
const case_observer *db_case_observers(void);

/* 0 when the connection answers a query. */
int db_ping(struct store *st, struct err *e);

#endif
