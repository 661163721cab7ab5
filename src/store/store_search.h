/*
** store_search.h: the search box of the lists (store files only) through
** the trigram full-text tables of migration 0020, and the cap of a list's
** count. How a list is built: store_list.h.
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

#include "base/buf.h"
#include "base/err.h"

struct store;

/* Lists count at most this many rows; a larger result reports this number
** and says so (docs/api.md "Totals"). */
#define STORE_COUNT_CAP 10000

/* 1 when q can be looked up in a trigram table (three characters or more). */
int store_search_indexed(const char *q);
/* The FTS5 query that narrows a search for q: up to four of its trigrams,
** from its end (the rarer part of a code or a number), ANDed; none inside
** the first six characters of a string of nine digits or more (a division
** code, shared by every number). Every row
** containing q matches it; store_search_ids keeps those that contain q.
** The caller frees out (buf_free). */
#define STORE_SEARCH_MAX 200               /* characters of q looked at */
void store_search_terms(const char *q, struct buf *out);
/* The rowids of fts_table (cases_fts, projects_fts) whose text contains q
** (terms: store_search_terms of q), as a JSON array into ids (for
** `IN (SELECT value FROM json_each(?))`), *n how many. */
int store_search_ids(struct store *st, const char *fts_table, const char *q, const char *terms, struct buf *ids,
		     int64_t *n, struct err *e);

#endif
