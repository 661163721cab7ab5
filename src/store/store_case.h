/*
** store_case.h: rows of the 办件 lifecycle (migration 0004): parallel
** instances, cases, their status history, supplements, special procedures,
** 容缺 materials, numbered documents, and where each project stands.
**
** No rules here: approval/case.c decides, this file reads and writes. A
** case comes back as struct case_rec (plain storage, with the display names
** joined in); histories and sub-lists as jansson arrays the caller owns.
** Day columns are calendar day numbers (Asia/Shanghai), 0 for none.
*/
#ifndef GG_STORE_CASE_H
#define GG_STORE_CASE_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/cal.h"
#include "store/store.h"
#include "store/store_search.h"

struct case_rec {
	int64_t id;
	char number[48];                  /* SPSXSLBM                         */
	int64_t instance_id, project_id, item_version_id;
	char item_code[40];
	int stage;
	char side_line[8];
	int flow_type;
	char department[48];
	char district[16];
	int status, open, accepted, step, nsteps;
	char step_name[96];
	char step_role[16];
	int64_t handler_id;               /* 0: the department's pool         */
	int pre_supplements, tolerance_ok, limit;
	int64_t received_at, accepted_at, final_at;   /* 0: none              */
	int32_t receipt_day, receipt_end;
	int receipt_late;
	int tolerance_days;
	int64_t tolerance_done_at;
	int32_t paused_since;
	int paused_days;
	int32_t due_day, warn_day;
	int64_t updated_at;
	unsigned parts;                   /* CASE_PARTS_*: rare parts it may have (read only) */
	/* joined for display (read only) */
	char instance_number[48];
	char project_code[40];
	char project_name[640];
	char item_name[320];
	char item_version[16];
	char department_name[160];
	char handler_name[64];
};

int store_case_get(struct store *st, int64_t id, struct case_rec *c, struct err *e);
/* The items of stage `stage` of flow version flow_id (main and side lines):
** *codes a JSON array of item codes, *rule its completion rule (LCBSXLX);
** ERR_NOTFOUND when the flow has no such stage. */
int store_case_stage_items(struct store *st, int64_t flow_id, int stage, int *rule, json_t **codes,
			   struct err *e);
/* The milestone flag of the version of item code in effect on date
** (YYYY-MM-DD); 0 when there is none. */
int store_case_item_milestone(struct store *st, const char *code, const char *date, int *milestone,
			      struct err *e);
/* Id of the case with this SPSXSLBM; ERR_NOTFOUND. */
int store_case_by_number(struct store *st, const char *number, int64_t *id, struct err *e);
/* Insert c (c->id set); the joined fields are ignored. */
int store_case_insert(struct store *st, struct case_rec *c, struct err *e);
/* Write every mutable column of c. */
int store_case_update(struct store *st, const struct case_rec *c, struct err *e);

struct case_status_row {
	int64_t case_id;
	int status;
	const char *action;
	int step;
	const char *step_name;
	int64_t at;
	int64_t user_id;                  /* 0: none (CLI, imported)          */
	const char *username, *department, *opinion;
};
int store_case_status_add(struct store *st, const struct case_status_row *r, struct err *e);
/* History oldest first: [{status, status_name?, action, step, step_name,
** at, username, department, opinion}]. */
int store_case_history(struct store *st, int64_t id, json_t **rows, struct err *e);

/* Everything hanging off case c (as store_case_get read it) in one query,
** row by row to fn (kind by kind; within a kind in id order); the
** supplements, special procedures and 容缺 materials only when c->parts
** says the case may have them (a bit per table kept by triggers, 0031):
** CASE_PART_STATUS n = {id, status, step, at, user_id}, s =
** {action, step_name, username, department, opinion, display name}; CASE_PART_SUPPLEMENT
** n = {id, after_acceptance, 0, start_at, end_at or 0}, s = {materials
** (JSON text), note}; CASE_PART_SPECIAL n = {id, type, limit, start_at,
** end_at or 0}, s = {kind, reason, result}; CASE_PART_TOLERANCE n = {id,
** due_day, 0, received_at or 0}, s = {material}; CASE_PART_DOCUMENT n = {id,
** 0, 0, issued_at}, s = {kind, number, issued_by}. Strings live until fn
** returns; a non-zero return stops the walk and is returned. */
enum case_part_kind {
	CASE_PART_STATUS = 1, CASE_PART_SUPPLEMENT, CASE_PART_SPECIAL, CASE_PART_TOLERANCE, CASE_PART_DOCUMENT,
};
struct case_part {
	int kind;
	int64_t n[5];
	const char *s[6];         /* history: s[5] the actor's display name */
};
enum { CASE_PARTS_SUPPLEMENTS = 1, CASE_PARTS_SPECIALS = 2, CASE_PARTS_TOLERANCE = 4 };
int store_case_parts(struct store *st, const struct case_rec *c, int (*fn)(void *arg, const struct case_part *p),
		     void *arg, struct err *e);
/* Savepoints: one action of a batch undone alone (case_writer.c). */
int store_case_savepoint(struct store *st, struct err *e);
void store_case_savepoint_undo(struct store *st);
int store_case_savepoint_release(struct store *st, struct err *e);

/* A read transaction around several reads (one snapshot, one lock); does
** nothing when a transaction is already open. end returns to autocommit. */
int store_case_read_begin(struct store *st, int *began, struct err *e);
void store_case_read_end(struct store *st, int began);

/* Pauses of the clock after acceptance (supplements with after_acceptance
** and every special procedure), as day ranges; end 0 when still open. At
** most max are written, *n is how many there are. */
int store_case_pauses(struct store *st, int64_t id, struct cal_pause *out, size_t max, size_t *n,
		      struct err *e);

/* ---- supplements, special procedures, 容缺, documents ------------------- */
int store_case_supplement_open(struct store *st, int64_t id, int after_acceptance, const char *materials,
			       const char *note, int64_t at, struct err *e);
int store_case_supplement_close(struct store *st, int64_t id, int64_t at, struct err *e);
int store_case_supplements(struct store *st, int64_t id, json_t **rows, struct err *e);

int store_case_special_open(struct store *st, int64_t id, int type, const char *kind, const char *reason,
			    int limit, int64_t at, struct err *e);
int store_case_special_close(struct store *st, int64_t id, int64_t at, const char *result, struct err *e);
int store_case_specials(struct store *st, int64_t id, json_t **rows, struct err *e);

/* received_at 0: not received yet. */
int store_case_tolerance_add(struct store *st, int64_t id, const char *material, int32_t due_day,
			     int64_t received_at, struct err *e);
int store_case_tolerance_done(struct store *st, int64_t id, int64_t at, struct err *e);
int store_case_tolerance(struct store *st, int64_t id, json_t **rows, struct err *e);

/* Next number of (department, kind, year): *seq. */
int store_case_doc_next(struct store *st, const char *department, const char *kind, int year, int *seq,
			struct err *e);
int store_case_doc_add(struct store *st, int64_t id, const char *kind, const char *number, int64_t at,
		       const char *by, struct err *e);
/* Latest document of kind for the case: number and issued_at; ERR_NOTFOUND. */
int store_case_doc_get(struct store *st, int64_t id, const char *kind, char *number, size_t n,
		       int64_t *issued_at, struct err *e);
int store_case_documents(struct store *st, int64_t id, json_t **rows, struct err *e);

/* ---- instances ------------------------------------------------------------ */
struct case_instance {
	int64_t id;
	char number[48];                  /* BLSPSLBM                         */
	int64_t project_id, flow_id;
	int stage;
	char side_line[8];
	int ncases;
	int64_t applied_at;
	char applied_by[64];
	char applied_department[48];
	int64_t closed_at;
	int result;                       /* 0 none, 11, 13                   */
};
/* The next free instance id (inside the write transaction). */
int store_instance_next_id(struct store *st, int64_t *id, struct err *e);
int store_instance_insert(struct store *st, const struct case_instance *in, struct err *e);
int store_instance_get(struct store *st, int64_t id, struct case_instance *in, struct err *e);
int store_instance_close(struct store *st, int64_t id, int64_t at, int result, struct err *e);
/* Counts of the instance's cases: open ones, passed (11 12), all. */
int store_instance_tally(struct store *st, int64_t id, int *open, int *passed, int *all, struct err *e);
/* Cases of an instance: [{id, number, item_code, item_name, department, status}]. */
int store_instance_cases(struct store *st, int64_t id, json_t **rows, struct err *e);

/* ---- project progress ------------------------------------------------------ */
struct case_progress {
	int64_t project_id, flow_id;
	int current_stage;
	int64_t started_at, finished_at;
};
int store_progress_get(struct store *st, int64_t project_id, struct case_progress *p, struct err *e);
int store_progress_put(struct store *st, const struct case_progress *p, struct err *e);
/* Stage row: insert when missing (started now), else leave it. */
int store_stage_start(struct store *st, int64_t project_id, int stage, int limit, int rule, int64_t at,
		      struct err *e);
int store_stage_complete(struct store *st, int64_t project_id, int stage, int64_t at, struct err *e);
/* [{stage, time_limit, completion_rule, started_at, completed_at}] */
int store_stages(struct store *st, int64_t project_id, json_t **rows, struct err *e);
/* Every case of a project: [{id, instance_id, item_code, stage, side_line,
** status}] oldest first. */
int store_project_cases(struct store *st, int64_t project_id, json_t **rows, struct err *e);
/* Instances of a project, oldest first, as objects of struct case_instance. */
int store_project_instances(struct store *st, int64_t project_id, json_t **rows, struct err *e);

/* ---- queries ---------------------------------------------------------------- */
/* Filters of GET /api/cases; NULL / 0 for none. The scope fields restrict
** to what the reader may see (all, a department, a district). */
struct case_filter {
	int all;
	const char *scope_department, *scope_district;
	const char *district, *department, *item, *q;
	int stage, status;                /* status 0: any                    */
	int open;                         /* -1 any, 1 running, 0 final       */
	int light;                        /* enum deadline_light, -1 any      */
	int32_t today;                    /* for light                        */
	int64_t from, to;                 /* received_at range [from, to)     */
	const char *sort;                 /* received | due | number | updated */
	int desc;
	/* 待办: open, the step role in roles_csv, handler NULL or the user */
	const char *todo_roles;           /* "clerk,reviewer" or NULL         */
	int64_t todo_user;
	int64_t done_user;                /* 已办: has a status row by the user */
};
/* Ids of the page in order; *total the rows before paging, counted up to
** STORE_COUNT_CAP (store_search.h), *capped 1 when more match. The WHERE
** has only the filters present, and q goes through the trigram tables, so
** each list reads an index that matches its filter and sort
** (docs/architecture.md "List queries"). */
int store_case_find(struct store *st, const struct case_filter *f, const struct page *pg,
		    int64_t *ids, int *nids, int64_t *total, int *capped, struct err *e);

/* Open 办件 nobody can take now, in groups: those transferred (转办) to an
** account that is disabled or no longer holds the step's role in the case's
** department, and those not assigned whose department has no active
** account with the step's role. Up to max groups, most cases first; *n set;
** *total the stuck cases of every group, *groups how many groups. */
struct case_stuck {
	char department[48], step_role[16];
	char department_name[160];        /* the role is named by rbac_role_name */
	char handler[64];                 /* "" when not assigned            */
	int handler_active;
	int64_t count;
	char example[40];                 /* the lowest case number          */
};
int store_case_stuck(struct store *st, struct case_stuck *out, int max, int *n, int64_t *total, int *groups,
		     struct err *e);

/* ---- bulk (demo) ------------------------------------------------------------- */
/* Fast path for generated history: synchronous OFF, foreign keys off, a
** big page cache, and the secondary indexes of the case and project tables
** dropped (their CREATE statements are kept in *saved, the caller's, freed
** by end) so rows append; end recreates them from *saved, restores the
** settings and runs ANALYZE. */
int store_case_bulk_begin(struct store *st, char **saved, struct err *e);
int store_case_bulk_end(struct store *st, char *saved, struct err *e);
/* Next free case id (inside the write transaction). */
int store_case_next_id(struct store *st, int64_t *id, struct err *e);
/* A finished or open pause in one row (end_at 0: open). */
int store_case_supplement_add(struct store *st, int64_t id, int after_acceptance, const char *materials,
			      const char *note, int64_t start_at, int64_t end_at, struct err *e);
int store_case_special_add(struct store *st, int64_t id, int type, const char *kind, const char *reason,
			   int limit, int64_t start_at, int64_t end_at, const char *result, struct err *e);
/* 1..8 or 32 status rows, or 1..4 documents, in one statement (strings
** are only read during the call). */
int store_case_status_add_many(struct store *st, const struct case_status_row *r, int n, struct err *e);
struct case_doc_row {
	int64_t case_id, at;
	const char *kind, *number, *by;
};
int store_case_doc_add_many(struct store *st, const struct case_doc_row *r, int n, struct err *e);
/* Set a document counter (numbers continue after it). */
int store_case_doc_counter_set(struct store *st, const char *department, const char *kind, int year, int last,
			       struct err *e);

#endif
