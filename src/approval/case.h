/*
** case.h: the 办件 lifecycle (issue 5): stage applications opening a
** parallel instance, actions on a case, stage and project progress, the
** reads of the API (detail, lists, 待办/已办, project timeline) and the
** numbered documents.
**
** THE ONE PATH OF A CHANGE. Every status change of every case — the
** receive that opens it, and each action after — goes through one static
** function in case.c, case_record(), inside the caller's transaction. It
** recomputes the clock copies (deadline.h) of the case row, writes the
** row, the status history row and the audit row, and calls each observer
** of env->observers with the case before and after, so statistics can keep
** aggregates in the same transaction (issue 7). The observers are
** registered from above: this module knows none of them. The demo generator
** is the only writer that bypasses it (bulk history, audited as one
** imported batch); aggregates are rebuilt after a demo run.
**
** Who may act: a user of the case's department holding the role of the
** current step (撤销 needs the department head; a case transferred to one
** user waits for that user). The command line acts as `cli` with every
** role, or as an account (case_principal_for). Reads follow rbac_can_see:
** others' cases are 404.
**
** Ownership: json_t results belong to the caller. struct case_env is
** borrowed and must outlive the call.
*/
#ifndef GG_CASE_H
#define GG_CASE_H

#include <jansson.h>
#include <stdint.h>

#include "approval/case_fsm.h"
#include "approval/deadline.h"
#include "base/buf.h"
#include "calendar/cal.h"
#include "org/rbac.h"
#include "store/store.h"
#include "store/store_case.h"

/* ---- observers ------------------------------------------------------------- */

/* A case as statistics see it. Before a case exists, status is 0. */
struct case_snap {
	int64_t id, instance_id, project_id;
	int status;                   /* BLZT                                  */
	int accepted;
	int stage;
	const char *side_line;        /* "" or "54Y" ...                       */
	int flow_type;
	const char *department, *district, *item_code;
	int64_t received_at, accepted_at, final_at;   /* 0: none               */
	struct deadline clock;        /* deadline_case at `now`                */
};
/* Called by case_record with the case before and after every change, in the
** change's transaction; an error rolls the change back. */
typedef int (*case_observer)(struct store *st, const struct case_snap *before,
			     const struct case_snap *after, int64_t now, struct err *e);

/* What every lifecycle call needs beyond the store. */
struct case_cache;

struct case_env {
	const struct cal *cal;
	struct deadline_conf dl;
	struct case_cache *cache;     /* rendered details (case_cache.c), may be NULL */
	const char *public_url;       /* [server] public_url: the QR codes' address, may be NULL */
	/* The observers of every change, NULL-terminated, in call order: what
	** the wiring registers (db_case_observers(): statistics). A call that
	** records a change without them fails (ERR_INTERNAL) rather than let
	** the aggregates drift; a reader may leave them NULL. */
	const case_observer *observers;
};

/* A cache of rendered case details for the server, validated against the
** case on every read (see case_cache.c); NULL when out of memory. */
struct case_cache *case_cache_new(size_t slots);
void case_cache_free(struct case_cache *c);

/* ---- applications ------------------------------------------------------------ */

#define CASE_APPLY_MAX 64         /* items of one application (400 beyond) */
struct case_application {
	int stage;                    /* 1-5                                   */
	const char *side_line;        /* NULL/"" for the main line, "54Y" ...  */
	const char *const *items;     /* item codes                            */
	size_t nitems;
	const char *opinion;          /* 收件意见, may be NULL                  */
	const json_t *materials;      /* {item code: [material names handed in]}:
				       * the checklists ticked at 收件; NULL: none */
};

/* Open a parallel instance for project with one case per item, each
** received (status 1) through case_record. Rules (409 naming what is
** missing unless said otherwise): the project exists and who sees it (404);
** the stage exists in the project's flow (400) and, for stages 1-4, every
** earlier stage is complete; the items belong to the stage's main line (and
** its side lines other than 54Y) or to the one side line asked for (400);
** every milestone item of that line is in the list or already running or
** passed; no item already running or passed; every prerequisite passed
** (11 or 12). *out = {"instance": {...}, "cases": [...]}. */
int case_apply(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
	       int64_t project_id, const struct case_application *app, json_t **out, struct err *e);

/* ---- actions --------------------------------------------------------------------- */

struct case_input {
	int action;                   /* enum case_action                      */
	const char *opinion;          /* required for refuse, deny, return, withdraw, revoke */
	const json_t *materials;      /* array of names: supplement (required), approve_tolerance */
	int materials_days;           /* 容缺 term, 0: [cases] tolerance_days    */
	int special_type;             /* 1 延长审批, 2 其他                     */
	const char *special_kind;     /* hearing tender auction inspection testing quarantine appraisal expert extension other */
	int special_limit;            /* working days, 1..365                  */
	const char *reason;           /* special_start (required)              */
	const char *result;           /* special_end                           */
	const char *to_user;          /* transfer (required), next_step (optional): username */
	int tolerance;                /* accept: 容缺受理 of missing materials  */
};

/* Apply one action to case id in one transaction. Errors: 404 unknown or
** not visible, 403 not the department/step role/assigned handler, 409 the
** state does not allow it (message names state and allowed actions), 400
** missing or bad arguments. *out (may be NULL) = the case as case_get. */
int case_act(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
	     int64_t id, const struct case_input *in, json_t **out, struct err *e);

/* ---- group commit ----------------------------------------------------------------------
** The server hands actions and stage applications to one writer thread
** (case_writer.c) that runs every one waiting at that moment in ONE
** transaction, each under a savepoint (a refused one is undone alone), and
** commits once: one fsync (the documents issued are pages of the database,
** migration 0030) and one write of each hot page for the whole batch. Each is answered only after that
** commit, so it is as durable as with synchronous=FULL alone. The writer
** owns its own connection. */
struct case_writer;
/* path: the database; flags: STORE_SYNC_FULL or 0; pool: the server's pool,
** whose writer gate the writer shares (may be NULL). */
int case_writer_start(const char *path, int flags, struct store_pool *pool, struct case_writer **out,
		      struct err *e);
void case_writer_stop(struct case_writer *w);
/* As case_act without the answer, and without waiting: queue the action and
** return at once (nonzero only when out of memory). After its batch commits
** the writer sets *rc (and e when *rc != 0) to the action's own outcome and
** calls done(token) on the writer thread, so done must not block (the HTTP
** server resumes a suspended request). env, who, in, rc and e belong to the
** submitter and must stay valid until done is called. Read the case
** afterwards on any connection: the commit is visible to every new read. */
int case_writer_submit(struct case_writer *w, const struct case_env *env, const struct principal *who,
		       int64_t now, int64_t id, const struct case_input *in, int *rc, struct err *e,
		       void (*done)(void *token), void *token);
/* The same for a stage application (case_apply): queued, run in a batch
** under its savepoint, answered after the commit; *out (set to NULL here)
** receives case_apply's answer when *rc is 0 and belongs to the submitter
** then. app and what it points to stay valid until done is called. */
int case_writer_submit_apply(struct case_writer *w, const struct case_env *env, const struct principal *who,
			     int64_t now, int64_t project_id, const struct case_application *app, json_t **out,
			     int *rc, struct err *e, void (*done)(void *token), void *token);

/* Who may take the case over: the active accounts of its department holding
** the current step's role (next: the next step's role, 409 at the last
** step), for 转办 and 提交下一环节 (whose to_user names one of them).
** *out = {"role", "department", "users": [{username, display_name}]}. */
int case_handlers(struct store *st, const struct case_env *env, const struct principal *who, int64_t id, int next,
		  json_t **out, struct err *e);

/* 容缺 materials received (not a status change; audited). */
int case_materials_received(struct store *st, const struct case_env *env, const struct principal *who,
			    int64_t now, int64_t id, struct err *e);

/* ---- reads ----------------------------------------------------------------------- */

/* The case with its clock, history, pauses, documents. ERR_NOTFOUND when
** missing or not visible to who. On a 409, case_conflict_json gives the
** body naming the state and the allowed actions. */
int case_get(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
	     int64_t id, json_t **out, struct err *e);
json_t *case_conflict_json(struct store *st, int64_t id, const struct err *e);
/* The same detail as JSON text into out (the caller frees out->data): the
** fast path of GET /api/cases/{id}. */
int case_get_text(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		  int64_t id, struct buf *out, struct err *e);

/* The case id of arg: a positive number under 16 digits is the id itself,
** anything else its 办件编号 (SPSXSLBM); ERR_NOTFOUND, ERR_INVALID when empty. */
int case_id_of(struct store *st, const char *arg, int64_t *id, struct err *e);

/* The clock of a stored case (the one place that gathers its facts). */
int case_clock(struct store *st, const struct case_env *env, const struct case_rec *c, int64_t now,
	       struct deadline *out, struct err *e);

struct case_query {
	const char *district, *department, *item, *q, *sort;
	int stage, status, light, desc;   /* status/stage 0 any, light -1 any */
	const char *from, *to;            /* YYYY-MM-DD, received date, inclusive */
};
/* Lists: *total counts the matching cases up to STORE_COUNT_CAP; *capped is
** 1 when more match (the page itself is exact at any depth). */
int case_list(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
	      const struct case_query *q, const struct page *pg, json_t **items, int64_t *total, int *capped,
	      struct err *e);
/* The light, sort and order of a list as the faces take them (each may be
** NULL): light green|yellow|red, sort received|due|number|updated, order
** asc|desc (default: ascending by due date, else newest first). ERR_INVALID
** naming the field. */
int case_query_parse(struct case_query *q, const char *light, const char *sort, const char *order,
		     struct err *e);
/* 待办: open cases of who's department at a step of one of who's roles,
** not transferred to someone else, with light (enum deadline_light, -1
** any). counts (may be NULL) receives the whole 待办 by light, whatever the
** filter: [LIGHT_GREEN..LIGHT_RED], and [LIGHT_NONE] the cases without a
** processing clock yet (received, not accepted). 已办: cases who acted on. */
int case_todo(struct store *st, const struct case_env *env, const struct principal *who, int64_t now, int light,
	      const struct page *pg, json_t **items, int64_t *total, int *capped, int64_t counts[4], struct err *e);
int case_done(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
	      const struct page *pg, json_t **items, int64_t *total, int *capped, struct err *e);
/* {"none","green","yellow","red"} of case_todo's counts (new reference). */
json_t *case_todo_counts_json(const int64_t counts[4]);
/* Texts of a case (opinions, reasons, results) hold at most CASE_TEXT_MAX
** characters (UTF-8 code points): 0 or ERR_INVALID naming field. */
#define CASE_TEXT_MAX 2000
int case_check_text(const char *s, const char *field, struct err *e);

/* Stages (with their clocks), instances and cases with their histories:
** the cases who may read (case_get's check) in full, the others of each
** instance only as a count (hidden_cases). */
int case_timeline(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		  int64_t project_id, json_t **out, struct err *e);

/* ---- documents --------------------------------------------------------------------- */
/* kind: acceptance 受理通知书, refusal 不予受理决定书, supplement 一次性补正告知书,
** approval 准予许可决定书, denial 不予许可决定书, joint 联合验收意见书, receipt 收件回执,
** special 特别程序告知书, tolerance 容缺受理告知书. Printable A4 HTML into out
** (caller frees out->data): the bytes issued when kept, else rendered from
** the facts. 404 when the case has no such document. */
int case_document(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		  int64_t id, const char *kind, struct buf *out, struct err *e);

/* ---- the project clock (project_clock.c; docs/api.md "Project clock") ----------------- */
/* The province's target for a whole project of this flow type in working
** days: 90 for 1 and 2, 65 for 3, 0 (none) for the others. */
int case_project_target(int flow_type);
/* Working days from the first application (started, not counted) to the
** completion of stage 4 (finished; 0 while running: to now), against
** case_project_target. The page, the reports and the exports all use it. */
int case_project_span(const struct case_env *env, int flow_type, int64_t started, int64_t finished, int64_t now,
		      struct deadline_span *out, struct err *e);

/* ---- demo history ------------------------------------------------------------------- */
struct case_demo_account {
	int64_t id;
	char username[96], display_name[32], roles[16], department[48];
};
struct case_demo_accounts {
	struct case_demo_account *a;
	size_t n;
};
/* Create the demo accounts (demo_accounts.c): a clerk, a reviewer and a
** head for every department, leader, ops, catalog and the administrators,
** all with password (already changed). out is freed with
** case_demo_accounts_free, also after a failure. */
int case_demo_accounts(struct store *st, const char *password, int64_t now, struct case_demo_accounts *out,
		       struct err *e);
/* The account of department with role, NULL when none (as may be NULL). */
const struct case_demo_account *case_demo_account_for(const struct case_demo_accounts *as, const char *department,
						      const char *role);
void case_demo_accounts_free(struct case_demo_accounts *as);

struct case_demo_conf {
	int projects;                 /* projects to generate                  */
	uint64_t seed;
	int32_t as_of;                /* day: nothing happens after it, nor after now */
	const struct case_demo_accounts *accounts;   /* who acts in the history;
						      * NULL: names only, no account */
};
struct case_demo_stats {
	int64_t projects, finished_projects, instances, cases, running, status_rows, batches;
	double rows_seconds, index_seconds;   /* generating the rows; indexes and ANALYZE */
};
/* Generate the history of cf->projects projects into st (case_demo.c):
** deterministic for (seed, as_of, catalogue), consistent with every rule
** of the lifecycle, written in bulk with one audit row per batch marked
** imported. now: the audit time and the latest instant of the history. */
int case_demo(struct store *st, const struct case_env *env, const struct principal *who,
	      const struct case_demo_conf *cf, int64_t now, struct case_demo_stats *out, struct err *e);

/* Principal for an account acting from the command line (--as USER). */
int case_principal_for(struct store *st, const char *username, struct principal *p, struct err *e);

#endif
