/*
** store_int.h: what the store_*.c files share and nothing else sees: cached
** prepared statements, bind and column helpers, the SQLite handle. Included
** only under src/store (scripts/check-layers.sh); a second backend has its
** own.
*/
#ifndef GG_STORE_INT_H
#define GG_STORE_INT_H

#include <sqlite3.h>

#include "store/store.h"

/* A cached prepared statement for sql (which must be a string literal or
** otherwise live forever: the cache is keyed by pointer and grows as new
** statements appear), reset and with bindings cleared. NULL on error with e
** filled. */
sqlite3_stmt *store_stmt(struct store *st, const char *sql, struct err *e);
sqlite3 *store_db(struct store *st);
/* Map the last SQLite error to e (constraint -> ERR_CONFLICT, else INTERNAL). */
int store_sqlerr(struct store *st, struct err *e, const char *what);
/* Run one or more statements without results (parsed every time). */
int store_exec(struct store *st, const char *sql, struct err *e);
/* Run one statement without results through the statement cache (sql as
** for store_stmt): for the BEGIN/COMMIT/SAVEPOINT of hot paths. */
int store_run(struct store *st, const char *sql, struct err *e);
/* Bind helpers: text NULL, and an id 0, bind SQL NULL. */
void store_bind_text(sqlite3_stmt *s, int i, const char *v);
void store_bind_id(sqlite3_stmt *s, int i, int64_t v);
const char *store_col_text(sqlite3_stmt *s, int i); /* "" for NULL */
/* The connection's key (store_key.h), writable: for store_key.c. */
struct store_secret *store_secret_own(struct store *st);
/* Step a statement expected to finish (no rows): 0 or error in e. */
int store_step_done(struct store *st, sqlite3_stmt *s, struct err *e, const char *what);

/* Small integer ids of names a store file keeps in a table of its own (the
** exchange's SPGL table names, store_exchange.c), as this connection has
** looked them up. Forgotten when a transaction rolls back: an id created in
** it is gone with it, and SQLite may give the number to another name. */
#define STORE_NAMES_MAX 32
struct store_names {
	int n;
	int64_t id[STORE_NAMES_MAX];
	char name[STORE_NAMES_MAX][64];
};
struct store_names *store_names(struct store *st);

/* SQL functions of a connection written in C (store_case.c: case_light,
** the traffic-light rule): registered by store_open. SQLITE_OK or the error. */
int store_case_functions(sqlite3 *db);

/* Step a bound COUNT(*) statement into *total. */
int store_count(struct store *st, sqlite3_stmt *s, int64_t *total, struct err *e);
/* Every remaining row of s as a JSON object keyed by column name (integers,
** reals, strings, null); *items owned by the caller. */
int store_rows_json(struct store *st, sqlite3_stmt *s, json_t **items, struct err *e);
/* Bind LIMIT ?i OFFSET ?i+1 for pg. */
void store_bind_page(sqlite3_stmt *s, int i, const struct page *pg);

#endif
