/*
** store_search.c: the search box of the lists (see store_search.h).
*/
#include "store/store_int.h"
#include "store/store_search.h"
#include "store/store.h"

#include <assert.h>
#include <string.h>

/* Byte offsets of q's characters (UTF-8 lead bytes), at most max. */
static int char_starts(const char *q, int *at, int max)
{
	int n = 0;
	for (int i = 0; q[i] && n < max; i++)
		if (((unsigned char)q[i] & 0xC0) != 0x80)
			at[n++] = i;
	return n;
}

int store_search_indexed(const char *q)
{
	int at[3];
	return char_starts(q, at, 3) == 3;
}

void store_search_terms(const char *q, struct buf *out)
{
	int at[STORE_SEARCH_MAX + 1], n = char_starts(q, at, STORE_SEARCH_MAX + 1), len = (int)strlen(q);
	if (n > STORE_SEARCH_MAX)
		n = STORE_SEARCH_MAX;            /* the API caps q far below */
	at[n] = len;
	/* A number's first six digits are a division code (XZQHDM) that every
	** number of the city shares: a trigram inside them matches millions of
	** rows and narrows nothing (at 10 M 办件 it doubled a 14-digit prefix's
	** search). A string of nine digits or more is looked up by trigrams
	** that reach past its sixth. */
	int first = n >= 9 && strspn(q, "0123456789") == (size_t)len ? 4 : 0;
	/* up to four trigrams, from the end back by three characters */
	for (int k = 0, c = n - 3; k < 4 && c >= first; k++, c -= 3) {
		buf_puts(out, k ? " AND \"" : "\"");
		for (int i = at[c]; i < at[c + 3] && i < len; i++) {
			if (q[i] == '"')
				buf_puts(out, "\"");   /* doubled inside an FTS5 string */
			buf_append(out, q + i, 1);
		}
		buf_puts(out, "\"");
	}
}

int store_search_ids(struct store *st, const char *fts_table, const char *q, const char *terms, struct buf *ids,
		     int64_t *n, struct err *e)
{
	/* literals: the statement cache keys on the text's address */
	static const char *const sql[2][2] = {
		{"SELECT rowid FROM projects_fts WHERE projects_fts MATCH ?1 AND (instr(name, ?2) > 0 OR instr(code, ?2) > 0)",
		 "SELECT rowid FROM projects_fts WHERE projects_fts MATCH ?1"},
		{"SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?1 AND instr(number, ?2) > 0",
		 "SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?1"},
	};
	int cases = strcmp(fts_table, "cases_fts") == 0, at[4];
	assert(cases || strcmp(fts_table, "projects_fts") == 0);
	/* a query of three characters is its own one trigram: nothing to check */
	sqlite3_stmt *s = store_stmt(st, sql[cases][char_starts(q, at, 4) == 3], e);
	if (!s)
		return e->code;
	sqlite3_bind_text(s, 1, terms, -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(s) > 1)
		sqlite3_bind_text(s, 2, q, -1, SQLITE_STATIC);
	int rc;
	*n = 0;
	buf_puts(ids, "[");
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if ((*n)++)
			buf_puts(ids, ",");
		buf_int(ids, sqlite3_column_int64(s, 0));
	}
	buf_puts(ids, "]");
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? 0 : store_sqlerr(st, e, "search");
}
