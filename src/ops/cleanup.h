/*
** cleanup.h: log and temp-file cleanup (日志清理).
**
** The application log ([log] file) rotates when it is bigger than
** [ops] log_rotate_mb or its first line is older than log_rotate_days: it is
** copied to FILE.YYYYMMDD-HHMMSS and truncated in place (copy-truncate: the
** server keeps its descriptor, opened with O_APPEND, and goes on writing at
** the new end). Rotated logs older than log_keep_days, files in [ops]
** tmp_dir older than tmp_keep_hours and unfinished backup copies (*.part)
** as old are removed; inspection results older than results_keep_days are
** pruned. Nothing else is touched: never the database file, never a backup,
** never an audit row.
**
** ops_cleanup_scan only looks (the logs.* and tmp.* probes and --dry-run use
** it); ops_cleanup acts, records a run (job "cleanup") and writes the audit
** row ops.cleanup.
*/
#ifndef GG_OPS_CLEANUP_H
#define GG_OPS_CLEANUP_H

#include <jansson.h>
#include <stdint.h>

#include "ops/ops.h"

enum ops_cleanup_kind { CLEAN_LOG = 1, CLEAN_TMP = 2, CLEAN_PART = 3 };

struct ops_cleanup_file {
	char path[600];
	int64_t bytes, mtime;
	int kind;
};

struct ops_cleanup_plan {
	struct ops_cleanup_file *files;   /* past retention, to remove          */
	int n;
	int64_t log_bytes;                /* size of the live application log   */
	int64_t log_first;                /* time of its first line, 0: unknown  */
	int rotate;                       /* the live log is due for rotation   */
	char rotate_why[120];
};

/* Look only. The plan is the caller's (ops_cleanup_plan_free). */
int ops_cleanup_scan(const struct ops_conf *cf, int64_t now, struct ops_cleanup_plan *p, struct err *e);
void ops_cleanup_plan_free(struct ops_cleanup_plan *p);

/* Do it (or, dry_run, only report). *report (caller's) is
** {"run_id","dry_run","rotated":{from,to,bytes}|null,"removed":[{path,bytes,kind}],
**  "freed_bytes","pruned_results"}. run_id > 0: an already claimed run. */
int ops_cleanup(struct store *st, const struct ops_conf *cf, const struct principal *who, int64_t now,
		int dry_run, int64_t run_id, json_t **report, struct err *e);

#endif
