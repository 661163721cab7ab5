/*
** exchange.h: the 前置库 exchange (issue 15). Reports the catalogue versions
** in use, projects, their units, 办件, status changes, special procedures
** and approval documents to the province's front DB (PostgreSQL, through
** libpq) in the national SPGL tables, and reads the province's verdicts
** (SJSCZT, SBYY) back. docs/operations.md "前置库 exchange" is the manual.
**
** Rules this module owns:
** - The front DB is the province's: it is only read (information_schema, our
**   rows' SJSCZT/SBYY, our rows' LSH after a crash) and inserted into. No DDL,
**   no UPDATE, no DELETE. Columns are matched by name, case-insensitively, and
**   values converted to each column's actual type; LSH is never sent.
** - The mapping is data (data/exchange/<name>.json, or a file path): per
**   table its name, columns, their source, type and code list.
** - A changed source row goes as a new row with the same DFSJZJ; a row that
**   must no longer count as a new row with SJYXBS=0 and SJWXYY; parents go
**   first, and wait for their parent's latest row to be accepted (3), or only
**   sent with wait_for_parent = sent. A rejected row waits for its source to
**   change.
** - Exactly once: every batch is one front-DB transaction; the batch is
**   recorded in SQLite before it is sent and settled after; a batch left open
**   by a crash is settled from the front DB (our DFSJZJ with an LSH we never
**   saw) under a session advisory lock that outlives the crashed session.
**
** Nothing here parses argv or HTTP; cli_exchange.c and api_exchange.c call it.
*/
#ifndef GG_EXCHANGE_H
#define GG_EXCHANGE_H

#include <jansson.h>
#include <stdint.h>

#include "base/conf.h"
#include "base/dict.h"
#include "base/err.h"
#include "org/rbac.h"
#include "store/store.h"

struct exchange_conf {
	char target[1024];          /* libpq conninfo or URI; "" = exchange off    */
	char mapping[256];          /* spgl-2019 (built in) or a JSON file path     */
	char xzqhdm[8];             /* the city's division, 610200                  */
	int interval_minutes;       /* scheduler period, 5                          */
	int batch_rows;             /* rows per front-DB transaction, 1000          */
	int wait_accepted;          /* wait_for_parent = accepted (1) | sent (0)    */
};

/* Names the web shows: exchange.table (SPGL table -> 中文名), exchange.state
** (pending sent accepted rejected), exchange.run_kind, exchange.run_state,
** exchange.trigger. */
extern const struct dict exchange_dicts[];

/* [exchange] of gonggai.ini with defaults; bad values name the key. */
int exchange_conf_load(const struct conf *c, struct exchange_conf *cf, struct err *e);

/* Read the target's columns and compare them with the mapping without
** writing: *report = {"mapping","tables":[{"table","present","problems":[
** {"column","severity":"error"|"warning","message"}]}],"errors","warnings"}.
** Returns 0 when the check ran (errors are in the report); a connection or
** mapping failure is an error in e. */
int exchange_check(const struct exchange_conf *cf, json_t **report, struct err *e);

/* One round: settle open batches, pull verdicts, collect what changed, send
** everything due. *report = {"tables":[{"table","sent","refused"}],
** "verdicts","collected","rows"}. trigger: cli | schedule | http. A schema
** error (a missing table or column, a type that cannot hold our value)
** fails naming the table and column. */
int exchange_push(struct store *st, const struct exchange_conf *cf, const struct principal *who, const char *trigger,
		  int64_t now, json_t **report, struct err *e);
/* Only the verdicts: *report = {"verdicts","accepted","rejected"}. Runs are
** recorded (exchange_runs) and, when they sent or learned something or
** failed, audited as exchange.push / exchange.pull by who. */
int exchange_pull(struct store *st, const struct exchange_conf *cf, const struct principal *who, const char *trigger,
		  int64_t now, json_t **report, struct err *e);

/* The status document of `gonggai exchange status --json` / GET /api/exchange:
** {"tables":[{"table","pending","sent","accepted","rejected"}...],"rejected":[...],
**  "last_push","last_pull"} (every table of the mapping, upper case). */
int exchange_status(struct store *st, const struct exchange_conf *cf, json_t **out, struct err *e);

/* Run history, newest first (http_list shape is the caller's). */
int exchange_runs(struct store *st, const struct page *pg, json_t **items, int64_t *total, struct err *e);

/* The current (unsuperseded) rejections, oldest first. each() is called per
** row; department may be NULL; since is when the verdict was learned (epoch
** seconds). A non-zero return of each() stops the walk and is returned. */
typedef int (*exchange_rejection_fn)(void *arg, const char *table, const char *dfsjzj, const char *object,
				     const char *department, const char *reason, int64_t since);
int exchange_rejections(struct store *st, exchange_rejection_fn each, void *arg, struct err *e);

/* Withdraw what was reported of an object that must no longer count: kind
** "case" (id = cases.id: the 办件 row and its status, special procedure,
** document and attachment rows) or "project" (id = projects.id: the project
** and its units). Rows already sent go again as new rows with SJYXBS=0 and
** SJWXYY = reason at the next push; rows never sent are not sent. Runs in
** the caller's transaction when there is one, with an audit row
** exchange.withdraw by who. */
int exchange_withdraw(struct store *st, const struct principal *who, const char *kind, int64_t id,
		      const char *reason, int64_t now, struct err *e);

/* A city's history in a front DB (or a copy of it), for `gonggai import
** spgl` (importer.h): the rows that count — SJYXBS = 1 and the latest row
** of each business key (the mapping's "key"; a key whose latest row is a
** withdrawal does not count) — of the mapped tables of projects, units,
** 办件, status details, special procedures and approval documents, of
** division xzqhdm (NULL or "": every division), parents first. Columns are
** found by name (case-insensitively) like a push finds them. each() gets
** the table's source kind and a record of the mapping's source names with
** the values turned back into ours (codes as integers, dates "YYYY-MM-DD",
** times epoch seconds read as Asia/Shanghai, versions "1.0", amounts as
** numbers), plus "$table", "$lsh" and "$dfsjzj". Reads only. */
typedef int (*exchange_row_fn)(void *arg, const char *source, const json_t *rec, struct err *e);
int exchange_history(const char *conninfo, const char *mapping, const char *xzqhdm, exchange_row_fn each, void *arg,
		     struct err *e);

/* A row the exchange reports by its id, corrected in place (数据修复):
** table "cases", "case_status" or "case_documents" and the row's id. The
** next round collects it again and sends it when its content changed. In
** the caller's transaction. (Projects, units and special procedures are
** noticed by trigger.) */
int exchange_touch(struct store *st, const char *table, int64_t id, struct err *e);

/* Rows due (oldest due_since, 0 when none) for the backlog inspection. */
int exchange_backlog(struct store *st, int64_t *oldest, int64_t *n, struct err *e);

/* Current rejections learned at least `days` working days before now
** (*n), and the age in working days of the oldest rejection (*oldest, 0
** when none). */
struct cal;
int exchange_rejected_aged(struct store *st, const struct cal *cal, int64_t now, int days, int64_t *n, int *oldest,
			   struct err *e);

#endif
