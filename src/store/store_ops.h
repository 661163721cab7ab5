/*
** store_ops.h: rows of the built-in operations (migration 0005): job runs
** with their leases, inspection results, the current state of each item and
** its changes, backup records, the scheduler heartbeat, and the queries the
** inspection reports are built from.
**
** Single records come back as plain structs; listings as jansson arrays of
** objects (caller owns them, json_decref). Strings inside structs are copies.
** Statuses are the text codes "OK" "WARN" "CRIT" "UNKNOWN".
*/
#ifndef GG_STORE_OPS_H
#define GG_STORE_OPS_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/* ---- runs ----------------------------------------------------------------- */

/* Start a run of job: in one transaction, every 'running' row whose lease
** has passed becomes 'expired' (*expired counts them, may be NULL); then,
** when exclusive and a run of the same job is still within its lease,
** ERR_CONFLICT naming it; else a new 'running' row leased until now + lease. */
int store_ops_run_claim(struct store *st, const char *job, const char *trigger, int64_t now,
			int lease, int exclusive, int64_t *run_id, int *expired, struct err *e);
/* Close a run: state done|failed|interrupted, status, message, details (JSON
** text or NULL). */
int store_ops_run_finish(struct store *st, int64_t run_id, const char *state, const char *status,
			 const char *message, const char *details, int64_t now, struct err *e);
/* Push the lease of a long run forward. */
int store_ops_run_renew(struct store *st, int64_t run_id, int64_t until, struct err *e);
/* Close every 'running' row as 'interrupted' with message (after a restore
** nothing in the restored file is running). */
int store_ops_runs_interrupt(struct store *st, int64_t now, const char *message, struct err *e);
/* One run as an object (details parsed); ERR_NOTFOUND when absent. */
int store_ops_run_get(struct store *st, int64_t id, json_t **out, struct err *e);
/* Runs newest first; job NULL for all, or a prefix ending in '.' ("inspect."). */
int store_ops_run_list(struct store *st, const char *job, const struct page *pg,
		       json_t **items, int64_t *total, struct err *e);
/* Start time of the newest run of job that did not expire (0 when none). */
int store_ops_run_last(struct store *st, const char *job, int64_t *started_at, struct err *e);
/* End time of the newest run of job that finished done with status OK (0
** when none). */
int store_ops_run_last_ok(struct store *st, const char *job, int64_t *finished_at, struct err *e);
/* Runs of job started in [from, to), oldest first. */
int store_ops_runs_between(struct store *st, const char *job, int64_t from, int64_t to,
			   json_t **items, struct err *e);

/* ---- inspection results ----------------------------------------------------- */

struct ops_result {
	char item[64];            /* "host.disk.data"                        */
	int status;               /* enum ops_status (Nagios code 0..3)      */
	int has_value;
	double value;
	char unit[12];
	double warn, crit;        /* NAN when the item has no such threshold */
	char message[640];        /* Chinese, with the English gist           */
	int changed;              /* set when stored: the status changed      */
};

/* Status code <-> text. */
const char *store_ops_status_text(int status);
int store_ops_status_code(const char *text);

/* Store r as a result of run_id, update the item's current state and, when
** the status differs from the previous one (or the first observation is not
** OK), add a state change; *changed set accordingly. Inside a transaction. */
int store_ops_result_add(struct store *st, int64_t run_id, int64_t at, const struct ops_result *r,
			 int *changed, struct err *e);
/* Results of one run in id order. */
int store_ops_results_of_run(struct store *st, int64_t run_id, json_t **items, struct err *e);
/* Results of item (NULL: all) in [from, to), newest first, paged. */
int store_ops_results_list(struct store *st, const char *item, int64_t from, int64_t to,
			   const struct page *pg, json_t **items, int64_t *total, struct err *e);
/* The newest value of item before `before` (*found 0 when none). */
int store_ops_last_value(struct store *st, const char *item, int64_t before, double *value,
			 int64_t *at, int *found, struct err *e);

/* Current state of every item, by item name. */
int store_ops_states(struct store *st, json_t **items, struct err *e);
/* State changes of item (NULL: all) in [from, to), newest first, paged. */
int store_ops_changes_list(struct store *st, const char *item, int64_t from, int64_t to,
			   const struct page *pg, json_t **items, int64_t *total, struct err *e);

/* ---- backups ---------------------------------------------------------------- */

struct ops_backup_rec {
	int64_t id, run_id, created_at, size_bytes, removed_at;
	char path[512];
	char sha256[65];
	char integrity[200];
	double copy_ms, check_ms;
};

int store_ops_backup_add(struct store *st, struct ops_backup_rec *b, struct err *e);
/* The newest record of path (ERR_NOTFOUND when none). */
int store_ops_backup_by_path(struct store *st, const char *path, struct ops_backup_rec *b,
			     struct err *e);
/* The newest backup that passed its integrity check and was not removed. */
int store_ops_backup_newest(struct store *st, struct ops_backup_rec *b, struct err *e);
/* Every good, not removed backup, newest first: *v (malloc'd, caller frees). */
int store_ops_backups_present(struct store *st, struct ops_backup_rec **v, int *n, struct err *e);
int store_ops_backup_removed(struct store *st, int64_t id, int64_t now, const char *reason,
			     struct err *e);
/* Newest first, paged. */
int store_ops_backup_list(struct store *st, const struct page *pg, json_t **items, int64_t *total,
			  struct err *e);
/* Backups made in [from, to), oldest first. */
int store_ops_backups_between(struct store *st, int64_t from, int64_t to, json_t **items,
			      struct err *e);

/* ---- heartbeat, housekeeping, facts ----------------------------------------- */

int store_ops_heartbeat_put(struct store *st, const char *name, int64_t at, int pid,
			    int64_t started_at, struct err *e);
/* *at 0 when the heartbeat was never written. */
int store_ops_heartbeat_get(struct store *st, const char *name, int64_t *at, int *pid,
			    struct err *e);
/* Delete inspection results, state changes and inspection runs older than
** before (never backups, their runs, or anything outside the ops tables). */
int store_ops_prune(struct store *st, int64_t before, int64_t *deleted, struct err *e);
/* When the database was created (first migration applied), 0 when unknown. */
int store_ops_created_at(struct store *st, int64_t *at, struct err *e);
/* {"table": rows, ...} for every table of the schema. */
int store_ops_table_counts(struct store *st, json_t **out, struct err *e);
/* PRAGMA quick_check (full = integrity_check): "ok" or the first problem;
** *problems counts the lines that were not "ok". */
int store_ops_check(struct store *st, int full, char *first, size_t cap, int *problems,
		    struct err *e);
/* page_count, freelist_count and page_size. */
int store_ops_pages(struct store *st, int64_t *pages, int64_t *free_pages, int64_t *page_size,
		    struct err *e);

/* ---- reports ------------------------------------------------------------------ */

/* Per item over [from, to): checks, ok, warn, crit, unknown, avg and max value. */
int store_ops_item_summary(struct store *st, int64_t from, int64_t to, json_t **items,
			   struct err *e);
/* Daily (Asia/Shanghai) average and maximum of item over [from, to):
** [{day, avg, max, n}], oldest first. */
int store_ops_item_daily(struct store *st, const char *item, int64_t from, int64_t to,
			 json_t **items, struct err *e);
/* Every result in [from, to), oldest first (item, at, status, value, ...). */
int store_ops_results_between(struct store *st, int64_t from, int64_t to, json_t **items,
			      struct err *e);

#endif
