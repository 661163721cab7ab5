/*
** store_search.h: the pieces every list query of the store shares (store
** files only): the search box through the trigram full-text tables of
** migration 0020, the capped count of a list, and a WHERE assembled from the
** filters present with what to bind.
**
** Search: a query of three characters or more is narrowed by a few of its
** trigrams in projects_fts / cases_fts (trigram tokenizer, case-sensitive)
** and the candidates are kept when their text contains it, as instr() says:
** exactly the rows the plain instr() scan finds. A shorter query has no
** trigram and is matched with instr() over the rows.
*/
#ifndef GG_STORE_SEARCH_H
#define GG_STORE_SEARCH_H

#include <stdint.h>
#include <sqlite3.h>

#include "base/buf.h"
#include "base/err.h"

struct store;

/* Lists count at most this many rows; a larger result reports this number
** and says so (docs/api.md "Totals"). */
#define STORE_COUNT_CAP 10000

/* Values to bind, in order, for an assembled WHERE. Strings are the
** caller's and must live until the statement is finalised. */
struct store_binds {
	int n;
	struct {
		int kind;              /* 0 text, 1 int64 */
		const char *s;
		int64_t i;
	} v[32];
};
void store_bind_str(struct store_binds *b, const char *s);
void store_bind_i64(struct store_binds *b, int64_t i);

/* Append " WHERE cond" or " AND cond" to w (*n conditions so far). */
void store_where_add(struct buf *w, int *n, const char *cond);

/* 1 when q can be looked up in a trigram table (three characters or more). */
int store_search_indexed(const char *q);
/* The FTS5 query that narrows a search for q: up to four of its trigrams,
** from its end (the rarer part of a code or a number), ANDed. Every row
** containing q matches it; store_search_ids keeps those that contain q.
** The caller frees out (buf_free). */
#define STORE_SEARCH_MAX 200               /* characters of q looked at */
void store_search_terms(const char *q, struct buf *out);
/* The rowids of fts_table (cases_fts, projects_fts) whose text contains q
** (terms: store_search_terms of q), as a JSON array into ids (for
** `IN (SELECT value FROM json_each(?))`), *n how many. */
int store_search_ids(struct store *st, const char *fts_table, const char *q, const char *terms, struct buf *ids,
		     int64_t *n, struct err *e);

/* Prepare sql and bind b; NULL with e set when SQLite refuses it. */
sqlite3_stmt *store_prepare_bound(struct store *st, const char *sql, const struct store_binds *b, const char *what,
				  struct err *e);
/* SELECT count(*) of `FROM ... WHERE ...` (from_where) counting at most
** STORE_COUNT_CAP + 1 rows: *total is the count up to STORE_COUNT_CAP and
** *capped 1 when more rows match. */
int store_count_capped(struct store *st, const char *from_where, const struct store_binds *b, int64_t *total,
		       int *capped, const char *what, struct err *e);

#endif
