/*
** store_exchange.h: rows of the 前置库 exchange (migration 0012): the source
** records the exchange reports (read as JSON objects whose keys are the
** `source` names of data/exchange/NAME.json), the change queue and high-water
** marks that find what changed, and the bookkeeping of every reported row
** (exchange_rows), of what was inserted into the front DB (exchange_sent)
** and of the runs.
**
** No rules here: exchange/ decides what is due, sent or final. Arrays and
** objects returned through json_t ** belong to the caller.
*/
#ifndef GG_STORE_EXCHANGE_H
#define GG_STORE_EXCHANGE_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/* A value of a source record read without JSON (store_xchg_scan). */
enum { XCHG_NULL, XCHG_INT, XCHG_REAL, XCHG_TEXT };
struct xchg_val {
	int type;
	int64_t i;
	double d;
	const char *s;            /* XCHG_TEXT: valid until the callback returns */
};

/* A page cache fit for a push over millions of rows on this connection,
** and its WAL checkpoints in a thread (*cp, NULL when it could not start)
** until untune, which the caller owes once the push is over. */
int store_xchg_tune(struct store *st, struct store_checkpointer **cp, struct err *e);
void store_xchg_untune(struct store *st, struct store_checkpointer *cp);

/* ---- sources ---------------------------------------------------------------- */
/* The flow version (one object), its stages and its stage items (the item
** version in effect on the flow's effective date). ERR_NOTFOUND: no flow. */
int store_xchg_flow(struct store *st, int64_t flow_id, json_t **flow, json_t **stages, json_t **items,
		    struct err *e);
/* The stage item record of one pinned item version within a flow version. */
int store_xchg_stage_item(struct store *st, int64_t flow_id, int64_t item_version_id, json_t **item,
			  struct err *e);
/* A project with where it stands (NULL flow fields before its first
** application) and deleted_at; *units its units. ERR_NOTFOUND: no project. */
int store_xchg_project(struct store *st, int64_t id, json_t **project, json_t **units, struct err *e);
/* Up to limit rows with id > after, in id order. */
int store_xchg_cases_after(struct store *st, int64_t after, int limit, json_t **rows, struct err *e);
int store_xchg_status_after(struct store *st, int64_t after, int limit, json_t **rows, struct err *e);
int store_xchg_documents_after(struct store *st, int64_t after, int limit, json_t **rows, struct err *e);
/* Uploaded files (case_files) as attachments: title, doc_class (FJFL),
** ext, doc_number (FJID: the file's id). */
int store_xchg_files_after(struct store *st, int64_t after, int limit, json_t **rows, struct err *e);
/* The rows of kind case | status | document | file with id > after (at
** most limit, in id order) as the readers above give them, handed one by
** one to fn without building JSON (n values named names[i]; the id is the
** first). A non-zero return of fn stops the walk and is returned (fn sets
** e). *last is the id of the last row handed, *nrows how many. */
typedef int (*store_xchg_row_fn)(void *arg, int n, const char *const *names, const struct xchg_val *v);
int store_xchg_scan(struct store *st, const char *kind, int64_t after, int limit, store_xchg_row_fn fn, void *arg,
		    int64_t *last, int *nrows, struct err *e);
/* The (flow_id, item_version_id) pairs of the 办件 with id > after. */
int store_xchg_case_items_after(struct store *st, int64_t after, json_t **rows, struct err *e);
/* The flow versions of the projects queued for collection: {flow_id} rows. */
int store_xchg_project_flows(struct store *st, json_t **rows, struct err *e);
int store_xchg_special(struct store *st, int64_t id, json_t **row, struct err *e);
/* What the exchange calls an object: a 办件's number (kind "case") or a
** project's code ("project"). ERR_NOTFOUND when there is none. */
int store_xchg_object(struct store *st, const char *kind, int64_t id, char *out, size_t cap, struct err *e);

/* ---- change queue -------------------------------------------------------------- */
/* Up to limit queued refs of kind (project | special | withdraw) as
** [{kind, ref}]; done() removes one. */
int store_xchg_dirty(struct store *st, const char *kind, int limit, json_t **rows, struct err *e);
int store_xchg_dirty_done(struct store *st, const char *kind, int64_t ref, struct err *e);
/* Queue ref of kind for the next round (idempotent). */
int store_xchg_dirty_add(struct store *st, const char *kind, int64_t ref, struct err *e);
int store_xchg_dirty_count(struct store *st, int64_t *n, struct err *e);
int store_xchg_mark(struct store *st, const char *kind, int64_t *last, struct err *e);
int store_xchg_mark_set(struct store *st, const char *kind, int64_t last, struct err *e);

/* ---- reported rows -------------------------------------------------------------- */
struct xchg_row {
	const char *tbl, *dfsjzj, *object, *department;   /* department NULL: none */
	const char *ptbl, *pkey, *ptbl2, *pkey2;           /* NULL: no parent       */
	const char *content, *hash;
	const char *withdrawn;                              /* NULL: a valid row     */
	int adopted;              /* brought in from the front DB (import spgl): a
				     first put records it as sent and accepted */
};
/* Insert or update the row; it becomes due when its hash differs from the
** version last sent. A withdrawn row is never made valid again; a row
** withdrawn before it was ever sent is simply not sent. */
int store_xchg_put(struct store *st, const struct xchg_row *r, int64_t now, struct err *e);
/* 1 in *yes when our row ref of kind ("project", "case") was brought in
** from a front DB (import_sources, migration 0019). */
int store_xchg_imported(struct store *st, const char *kind, int64_t ref, int *yes, struct err *e);
/* 1 in *yes when anything of kind project or case was brought in. */
int store_xchg_imported_any(struct store *st, int *yes, struct err *e);
/* The rows of table tbl (NULL: of any table) whose DFSJZJ is one of
** keys[0..n) or, for a key ending in ':', starts with it, appended to rows
** as [{id, tbl, dfsjzj, object, department, ptbl, pkey, ptbl2, pkey2,
** content, withdrawn}]. */
int store_xchg_rows_keyed(struct store *st, const char *tbl, const char *const *keys, int n, json_t *rows,
			  struct err *e);
/* What a 办件 has that the exchange may have reported, as [{kind, id}]:
** kind status (case_status), special, document (case_documents), file
** (case_files). */
int store_xchg_case_parts(struct store *st, int64_t case_id, json_t **parts, struct err *e);
/* One row by id (as rows_of); ERR_NOTFOUND when none. */
int store_xchg_row(struct store *st, int64_t id, json_t **row, struct err *e);
/* Mark a row withdrawn (reason) unless it is already, and queue it so the
** next push rewrites its content; *marked 1 when it was marked now. */
int store_xchg_withdraw_mark(struct store *st, int64_t id, const char *reason, int *marked, struct err *e);
/* Due rows of tbl with id > after whose parents are final (3), or sent
** (0 1 3) when !wait_accepted: [{id, dfsjzj, content, hash, lsh}] (lsh: of
** the version sent before, NULL when none). */
int store_xchg_due(struct store *st, const char *tbl, int wait_accepted, int64_t after, int limit,
		   json_t **rows, struct err *e);
/* Record the intent to send rows ids[0..n) of tbl: *batch its id. */
int store_xchg_intent(struct store *st, const char *tbl, const int64_t *ids, int n, int64_t now, int64_t *batch,
		      struct err *e);
/* The batch is settled: remove its intent. */
int store_xchg_batch_done(struct store *st, int64_t batch, struct err *e);
/* The row's version hash went as lsh (the LSH of the version it replaces
** is kept in exchange_sent). */
int store_xchg_sent(struct store *st, int64_t row_id, const char *hash, const char *lsh, int64_t batch,
		    int64_t now, struct err *e);
/* A row of a 0023 intent (rows carried as TSV) the front DB has: inserted
** (or, should it exist, updated) as sent with lsh, SJSCZT 0. */
int store_xchg_put_sent(struct store *st, const struct xchg_row *r, const char *lsh, int64_t now, struct err *e);
/* 1 in *ready when row (tbl, dfsjzj) is sent and current: accepted (3), or
** sent (0 1 3) when !wait_accepted (store_xchg_due's rule for parents). */
int store_xchg_ready(struct store *st, const char *tbl, const char *dfsjzj, int wait_accepted, int *ready,
		     struct err *e);
/* sent_lsh of a row sent in a keyed batch (0026): its LSH is not read back
** but learned by DFSJZJ (a first version is the only front-DB row with its
** key) when its verdict is pulled. */
#define XCHG_LSH_BYKEY "*"
/* content of a row sent at once (0032): not kept, derived again from its
** source when a withdrawal or a refused batch needs it. store_xchg_put
** fills it in; store_xchg_due passes such rows by. */
#define XCHG_CONTENT_SOURCE ""
/* A row new to exchange_rows, collected and sent at once (a keyed batch):
** inserted as sent (sent_lsh '*', SJSCZT 0) in the collecting transaction.
** *id its id; 0 when (tbl, dfsjzj) is there already (nothing written). */
int store_xchg_put_keyed(struct store *st, const struct xchg_row *r, int64_t now, int64_t *id, struct err *e);
/* The intent of a keyed batch: the rows lo..hi of tbl still with sent_lsh '*'. */
int store_xchg_intent_keyed(struct store *st, const char *tbl, int64_t lo, int64_t hi, int64_t now,
			    int64_t *batch, struct err *e);
/* Those rows: [{id, dfsjzj}]. */
int store_xchg_keyed_rows(struct store *st, const char *tbl, int64_t lo, int64_t hi, json_t **rows, struct err *e);
/* Rows lo..hi of tbl with sent_lsh '*' did not reach the front DB: due
** again, as never sent. */
int store_xchg_unsend(struct store *st, const char *tbl, int64_t lo, int64_t hi, int64_t now, struct err *e);
/* The LSH of a row of a keyed batch found in the front DB, with its
** verdict (sjsczt < 0: none, as when a crash is settled); *changed 1 when
** the verdict is new. */
int store_xchg_lsh_learned(struct store *st, int64_t row_id, const char *lsh, int sjsczt, const char *sbyy,
			   int64_t now, int *changed, struct err *e);
/* A row refused before it left (conversion or validation): final 2. */
int store_xchg_refused(struct store *st, int64_t row_id, const char *hash, const char *reason, int64_t now,
		       struct err *e);
/* Open intents: [{batch, tbl, rows, lo, hi}] (rows NULL but for intents_rows,
** lo and hi NULL but for keyed batches), and
** the exchange_rows of one: [{id, dfsjzj, hash}]. */
int store_xchg_batches(struct store *st, json_t **rows, struct err *e);
int store_xchg_batch_rows(struct store *st, int64_t batch, json_t **rows, struct err *e);
/* 1 when lsh was recorded for row_id already (its latest or an earlier version). */
int store_xchg_lsh_known(struct store *st, int64_t row_id, const char *lsh, int *known, struct err *e);
/* Rows of tbl sent and not final (SJSCZT sjsczt: 0 or 1), due again or not
** (due), id > after, in id order: [{id, lsh, dfsjzj}]. */
int store_xchg_open(struct store *st, const char *tbl, int sjsczt, int due, int64_t after, int limit, json_t **rows,
		    struct err *e);
/* Record a verdict (SJSCZT, SBYY) on the latest version sent as lsh; *changed 1 when new. */
int store_xchg_verdict(struct store *st, int64_t row_id, const char *lsh, int sjsczt, const char *sbyy,
		       int64_t now, int *changed, struct err *e);

/* ---- status ----------------------------------------------------------------------- */
/* [{table, pending, sent, accepted, rejected}] of the tables with rows. */
int store_xchg_counts(struct store *st, json_t **rows, struct err *e);
/* Current rejections, oldest first: [{table, dfsjzj, object, department, reason, since}]. */
int store_xchg_rejected(struct store *st, json_t **rows, struct err *e);
/* 1 in *idle when a push has nothing to do: no batch open, nothing queued,
** due or awaiting a verdict, and no row appended past a mark. */
int store_xchg_idle(struct store *st, int *idle, struct err *e);
/* Oldest due_since (0: none) and how many rows are due. */
int store_xchg_backlog(struct store *st, int64_t *oldest, int64_t *n, struct err *e);

/* ---- runs ------------------------------------------------------------------------- */
int store_xchg_run_start(struct store *st, const char *kind, const char *trigger, int64_t now, int64_t *id,
			 struct err *e);
int store_xchg_run_finish(struct store *st, int64_t id, const char *state, int64_t rows, const char *report,
			  const char *message, int64_t now, struct err *e);
/* Started time of the newest finished run of kind (0: none). */
int store_xchg_run_last(struct store *st, const char *kind, int64_t *at, struct err *e);
int store_xchg_runs(struct store *st, const struct page *pg, json_t **items, int64_t *total, struct err *e);

#endif
