/*
** store_quality.h: the SQL of 数据质检 (migration 0014): the passes the
** rule engine makes over the approval data (one statement per table, rows
** handed to a callback in table order), the findings and their events, the
** runs, the rule versions, and the queries of lists, overview and 通报.
**
** No rules here: quality/quality_eval.c decides what a defect is. Strings in
** the row structs handed to callbacks are valid only during the call.
** A callback's non-zero return stops a pass and is returned.
*/
#ifndef GG_STORE_QUALITY_H
#define GG_STORE_QUALITY_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/* ---- passes ------------------------------------------------------------------------------ */

/* One 办件 with whether it has an approval document (case_documents merged
** in id order, not joined). Days are day numbers, 0 when absent. A running
** case (open) comes with everything; a concluded one without what only the
** running need: number and district NULL (store_quality_case_ident when it
** has a defect), accepted, paused_since and the receipt days 0. */
struct qs_case {
	int64_t id, instance_id;
	const char *number, *item_code, *department, *district;
	int status, open, accepted, time_limit, paused_days;
	int64_t received_at, accepted_at, final_at, updated_at;
	int32_t paused_since, receipt_day, receipt_end;
	int approval_doc;             /* an approval or joint document exists   */
};
/* The cases with after < id <= upto, in id order. */
int store_quality_cases(struct store *st, int64_t after, int64_t upto, int (*each)(void *arg, const struct qs_case *c),
			void *arg, struct err *e);

/* What the case pass keeps between runs (migration 0024): the concluded
** cases it found a defect in (suspects), the instances with an item twice
** (dups), under which fingerprint (departments, calendar, rules: the
** caller's text) and by which run, and the cases queued by trigger since
** (a concluded case's row, documents or statistics changed; a case added,
** moved or deleted). */
struct qs_case_state {
	int64_t dirty_upto;           /* now: the last dirty row                  */
	char fingerprint[72];         /* kept; "" when nothing is kept            */
	int64_t run_id;
};
int store_quality_case_state(struct store *st, struct qs_case_state *out, struct err *e);
/* The dirty cases up to dirty_upto and the suspects (dup 0, repeats
** included), then the dup instances (dup 1). */
int store_quality_case_candidates(struct store *st, int64_t dirty_upto, int (*each)(void *arg, int64_t id, int dup),
				  void *arg, struct err *e);
/* One case (nothing when none) / every running case in id order, each with
** everything (number, district and what only the running need). */
int store_quality_case_get(struct store *st, int64_t case_id, int (*each)(void *arg, const struct qs_case *c),
			   void *arg, struct err *e);
int store_quality_open_cases(struct store *st, int (*each)(void *arg, const struct qs_case *c), void *arg,
			     struct err *e);
/* The cases of an instance in id order with their item codes. */
int store_quality_instance_cases(struct store *st, int64_t instance_id,
				 int (*each)(void *arg, int64_t case_id, const char *item_code), void *arg,
				 struct err *e);
/* Dirty rows up to dirty_upto plus suspects: what a run would read again. */
int store_quality_case_pending(struct store *st, int64_t dirty_upto, int64_t *n, struct err *e);
/* Begin a read transaction when none is open (*began 1), so that the reads
** after see one state; end it (when began). */
int store_quality_read_begin(struct store *st, int *began, struct err *e);
int store_quality_read_end(struct store *st, int began, struct err *e);
struct qs_case_marks {
	int all;                      /* every case was read: replace everything      */
	const int64_t *judged;        /* !all: the concluded cases judged again       */
	size_t njudged;
	const int64_t *insts;         /* !all: the instances looked at again          */
	size_t ninsts;
	const int64_t *suspects, *dups;   /* of those: with a defect / an item twice  */
	size_t nsuspects, ndups;
};
/* Keep them (the caller's transaction) if no other run kept its own since
** `read` (*kept 0: nothing written); the dirty rows up to read->dirty_upto go. */
int store_quality_case_marks_put(struct store *st, const struct qs_case_state *read, const char *fingerprint,
				 int64_t run_id, const struct qs_case_marks *m, int *kept, struct err *e);

/* The statistics' 逾期 mark of a case (stats_case.late); *found 0 when the
** case has no statistics row. */
int store_quality_case_late(struct store *st, int64_t case_id, int *late, int *found, struct err *e);

/* Every status row up to id upto in insertion (id) order. */
int store_quality_statuses(struct store *st, int64_t upto,
			   int (*each)(void *arg, int64_t case_id, int status, int64_t at), void *arg, struct err *e);

/* What the status pass keeps between runs (migration 0024): a mark per case
** with a status defect, how far the marks have read (last_id; -1: never,
** read everything), the run that wrote them, and the cases whose rows
** changed in place since (quality_status_dirty, by trigger). Read in this
** order, so that every change after dirty_upto is either a row past upto
** or a dirty row past dirty_upto: the next run's. */
struct qs_status_state {
	int64_t dirty_upto, upto, max_case;   /* now: last dirty row, last status row, last case */
	int64_t last_id, run_id;              /* kept by the last run                      */
};
int store_quality_status_state(struct store *st, struct qs_status_state *out, struct err *e);
/* The case of every status row in (after, upto] and of every dirty row up to
** dirty_upto (repeats included). */
int store_quality_status_touched(struct store *st, int64_t after, int64_t upto, int64_t dirty_upto,
				 int (*each)(void *arg, int64_t case_id), void *arg, struct err *e);
/* Every status row of one case in id order. */
int store_quality_case_statuses(struct store *st, int64_t case_id,
				int (*each)(void *arg, int64_t case_id, int status, int64_t at), void *arg,
				struct err *e);

/* Queue every every-th case to be judged again by the next status and case
** passes, as if it had changed (the benchmark's weeks of work); *n queued. */
int store_quality_requeue(struct store *st, int64_t every, int64_t *n, struct err *e);

#define QS_FIRST 1                    /* flags of a mark */
#define QS_ORDER 2
#define QS_AFTER 4
#define QS_CODE 8
struct qs_status_mark {
	int64_t case_id;
	int flags, first_status, order_status;
	int64_t order_at;
	int after_status, after_final, code;
};
/* The stored marks in case order. */
int store_quality_marks(struct store *st, int (*each)(void *arg, const struct qs_status_mark *m), void *arg,
			struct err *e);
/* Keep what a status pass that read `read` concluded, in the caller's
** transaction: all — it read everything, m are all the marks; else the
** marks of the ncases cases are replaced by m (theirs). The read mark moves
** to read->upto and run_id, the dirty rows up to read->dirty_upto go. *kept
** 0 (nothing written) when another run kept its marks since `read`. */
int store_quality_marks_put(struct store *st, const struct qs_status_state *read, int64_t run_id, int all,
			    const int64_t *cases, size_t ncases, const struct qs_status_mark *m, size_t n, int *kept,
			    struct err *e);
/* The largest case id (0 when none): the size of per-case arrays. */
int store_quality_max_case(struct store *st, int64_t *out, struct err *e);
/* Number, department and district of a case (*found 0 when none). */
int store_quality_case_ident(struct store *st, int64_t case_id, char number[64], char dept[48],
			     char district[16], int *found, struct err *e);

struct qs_project {
	int64_t id;
	const char *code, *name, *division, *address, *planned_start, *planned_finish;
	int flow_type;
	int64_t investment, land_area, floor_area;
};
int store_quality_projects(struct store *st, int (*each)(void *arg, const struct qs_project *p), void *arg,
			   struct err *e);

/* Every unit row in id order (of live and deleted projects alike). */
struct qs_unit {
	int64_t project_id;
	const char *kind, *name, *credit_code, *contact, *phone;
};
int store_quality_units(struct store *st, int (*each)(void *arg, const struct qs_unit *u), void *arg,
			struct err *e);

/* Stages 1-4 applied for and not completed (of any project: the caller
** knows which are live). */
int store_quality_open_stages(struct store *st, int (*each)(void *arg, int64_t project_id, int stage,
							    int64_t started_at),
			      void *arg, struct err *e);

/* Pauses and materials of running cases: kind 'tolerance' (容缺 materials
** not received: text = material, day = due day), 'special' (open 特别程序:
** text = kind, at = start, limit), 'supplement' (open 补正: at = start). */
struct qs_pending {
	const char *kind, *number, *department, *district, *text;
	int64_t case_id, at;
	int32_t day;
	int limit;
};
int store_quality_pending(struct store *st, int (*each)(void *arg, const struct qs_pending *p), void *arg,
			  struct err *e);

/* The catalogue as it stands: the latest version of each item, and the
** stages of the latest version of each flow with their item codes (one
** row per stage item; item_code NULL for a stage without items). */
struct qs_item {
	const char *code, *name, *national_code, *department;
	int promised, legal;
};
int store_quality_items(struct store *st, int (*each)(void *arg, const struct qs_item *it), void *arg,
			struct err *e);
struct qs_stage_item {
	const char *flow, *version, *lead, *item_code;
	int stage, limit;
};
int store_quality_stage_items(struct store *st, int (*each)(void *arg, const struct qs_stage_item *s),
			      void *arg, struct err *e);

/* Departments: code, district, active. */
int store_quality_departments(struct store *st,
			      int (*each)(void *arg, const char *code, const char *district, int active),
			      void *arg, struct err *e);
/* Division of a live project by its code, into div (16 bytes); "" when none. */
int store_quality_project_division(struct store *st, const char *code, char div[16], struct err *e);

/* ---- rule versions -------------------------------------------------------------------------- */

/* The latest stored version of every rule: {"rule","version","doc"(text),
** "created_at","created_by"} in rule order. */
int store_quality_rule_latest(struct store *st, json_t **rows, struct err *e);
/* Every version of one rule, oldest first. */
int store_quality_rule_history(struct store *st, const char *rule, json_t **rows, struct err *e);
/* Append version (latest + 1) of rule; *version gets it. */
int store_quality_rule_add(struct store *st, const char *rule, const char *doc, int64_t at, const char *by,
			   const char *note, int *version, struct err *e);

/* ---- findings ----------------------------------------------------------------------------------- */

/* Every finding (id, rule, object key, status), for the run's diff. */
int store_quality_findings_all(struct store *st,
			       int (*each)(void *arg, int64_t id, const char *rule, const char *key,
					   const char *status),
			       void *arg, struct err *e);

struct qs_finding {
	const char *rule, *severity, *object_kind, *object_key, *object, *department, *district, *message;
	int32_t deadline_day;
};
int store_quality_finding_add(struct store *st, const struct qs_finding *f, int64_t at, int64_t run_id,
			      int64_t *id, struct err *e);
/* fixed -> open again with a new message and deadline. */
int store_quality_finding_reopen(struct store *st, int64_t id, const char *message, int32_t deadline_day,
				 struct err *e);
/* open/overdue -> fixed by run_id. */
int store_quality_finding_fixed(struct store *st, int64_t id, int64_t at, int64_t run_id, struct err *e);
int store_quality_event(struct store *st, int64_t finding_id, int64_t run_id, int64_t at, const char *event,
			const char *username, const char *note, struct err *e);
/* open findings past their deadline (deadline_day < today) -> overdue, with
** an event each; *n the number escalated. */
int store_quality_escalate(struct store *st, int32_t today, int64_t run_id, int64_t at, const char *username,
			   int64_t *n, struct err *e);
/* One finding as the API shows it; NULL *out when none. */
int store_quality_finding_get(struct store *st, int64_t id, json_t **out, struct err *e);
/* open|overdue -> dismissed (ERR_CONFLICT otherwise). */
int store_quality_finding_dismiss(struct store *st, int64_t id, const char *by, const char *reason,
				  struct err *e);
/* The events of a finding, oldest first. */
int store_quality_finding_events(struct store *st, int64_t id, json_t **rows, struct err *e);

/* Filters of a list; NULL: any. Scope: department / district (NULL: all). */
struct qs_filter {
	const char *status, *rule, *department, *district, *object;
	const char *scope_department, *scope_district;
};
int store_quality_findings_list(struct store *st, const struct qs_filter *f, const struct page *pg,
				json_t **items, int64_t *total, struct err *e);
/* Open + overdue findings now. */
int store_quality_open_count(struct store *st, int64_t *n, struct err *e);

/* ---- runs --------------------------------------------------------------------------------------- */

struct qs_run {
	int64_t id, started_at, finished_at, ms;
	const char *trigger, *username, *rule;
	int64_t rules_run, rules_skipped, found, opened, reopened, fixed, escalated, open_after;
};
/* Insert (id 0) or update the run row; id set on insert. */
int store_quality_run_put(struct store *st, struct qs_run *r, struct err *e);
int store_quality_runs(struct store *st, const struct page *pg, json_t **items, int64_t *total, struct err *e);

/* ---- overview and 通报 --------------------------------------------------------------------------- */

/* Open findings (open + overdue) grouped: {"district","department","severity","status","n","department_name"} rows;
** findings opened per week since `since` {"week" (day number of its Monday),"n"}; rejections by
** the province open now per table {"table","n"}. Scope as in qs_filter. */
int store_quality_overview(struct store *st, const char *scope_department, const char *scope_district,
			   int64_t since, json_t **groups, json_t **weeks, json_t **rejected, struct err *e);

/* Per finding, the facts the 通报 of [from, to) counts: {"id","rule","severity","object_kind",
** "object","department","department_name","district","message","found_at","deadline","status_at_end" (the state at `to`:
** open overdue fixed dismissed, NULL when it did not exist yet), "open_at_start" (0/1),
** "new_in" (found or reopened in the period), "fixed_in" (fixed in the period)} for every
** finding that existed before `to` and was not already closed before `from`. Scope as above. */
int store_quality_notice_rows(struct store *st, int64_t from, int64_t to, const char *scope_department,
			      const char *scope_district, json_t **rows, struct err *e);

/* ---- the baseline of the benchmark --------------------------------------------------------------- */

/* Count the defects of one check with its own statement over its table (a
** naive full scan, for comparison with the one-pass engine); ERR_NOTFOUND
** for a check without a baseline statement. today: day number. */
int store_quality_naive(struct store *st, const char *check, int32_t today, int64_t *n, struct err *e);

#endif
