/*
** store_repair.h: the SQL of 数据修复 (migration 0019): the repair records
** and their row images, and the generic row access the repairs need. A
** repair works on whole rows: it reads a row as a JSON object (column ->
** value, as stored), and writes an after-image over it, inserts it, or
** deletes it. Only the approval data and accounts may be touched: projects,
** project_*, cases, case_* and users (store_repair_table_ok); table and
** column names are checked against the schema itself (PRAGMA table_info),
** never pasted from input.
**
** A row key is a JSON object of the table's primary key column(s) -> value.
** Every json_t returned belongs to the caller.
*/
#ifndef GG_STORE_REPAIR_H
#define GG_STORE_REPAIR_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/* 1 when repairs may change rows of tbl. */
int store_repair_table_ok(const char *tbl);

/* Rows of tbl whose columns equal every member of where (a JSON object
** column -> value; {} for all), in primary-key order, at most limit (0: no
** limit). An unknown table or column is ERR_INVALID naming it. */
int store_repair_select(struct store *st, const char *tbl, const json_t *where, int limit, json_t **rows,
			struct err *e);
/* The key of a whole row of tbl (its primary key columns). */
int store_repair_key(struct store *st, const char *tbl, const json_t *row, json_t **key, struct err *e);
/* The row with this key, *row NULL when there is none. */
int store_repair_row(struct store *st, const char *tbl, const json_t *key, json_t **row, struct err *e);
/* Write one change: before and after both set: UPDATE every column of
** after where key; before NULL: INSERT after; after NULL: DELETE where key.
** A row that is not there to update or delete is ERR_CONFLICT. */
int store_repair_row_write(struct store *st, const char *tbl, const json_t *key, const json_t *before,
			   const json_t *after, struct err *e);
/* The tables with a foreign key to parent: [{"table","column","parent_column"}]. */
int store_repair_refs(struct store *st, const char *parent, json_t **refs, struct err *e);

/* ---- repair records ------------------------------------------------------------------------ */

struct repair_rec {
	const char *op, *target, *params, *reason, *answers, *proposed_by;
	int64_t proposed_by_id, proposed_at;
};
int store_repair_insert(struct store *st, const struct repair_rec *r, int64_t *id, struct err *e);
/* One row image: before/after JSON texts, NULL for none. */
int store_repair_row_insert(struct store *st, int64_t id, int seq, const char *tbl, const char *key,
			    const char *before, const char *after, struct err *e);
/* The repairs row as JSON (params left as text); ERR_NOTFOUND when absent. */
int store_repair_get(struct store *st, int64_t id, json_t **rec, struct err *e);
/* Its row images in seq order: [{"seq","tbl","row_key","before","after"}] (texts). */
int store_repair_rows(struct store *st, int64_t id, json_t **rows, struct err *e);
/* Decisions and their marks. from: the status the record must still have
** (ERR_CONFLICT otherwise). */
int store_repair_decide(struct store *st, int64_t id, const char *from, const char *to, const char *by,
			int64_t by_id, int64_t at, const char *note, struct err *e);
int store_repair_mark_applied(struct store *st, int64_t id, const char *by, int64_t at, struct err *e);
int store_repair_mark_undone(struct store *st, int64_t id, const char *by, int64_t at, const char *reason,
			     struct err *e);
/* Newest first, status NULL for all: {"items","total"}. */
int store_repair_list(struct store *st, const char *status, const struct page *pg, json_t **out, struct err *e);

/* Whether a department code exists (*exists) and is active (*active). */
int store_repair_department(struct store *st, const char *code, int *exists, int *active, struct err *e);

/* Remember that our row ref of kind came from the SPGL table's row lsh. */
int store_import_source_add(struct store *st, const char *tbl, const char *lsh, const char *kind, int64_t ref,
			    int64_t now, struct err *e);
/* 1 in *taken when a case number is in use. */
int store_import_case_taken(struct store *st, const char *number, int *taken, struct err *e);

#endif
