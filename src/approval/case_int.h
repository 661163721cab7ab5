/*
** case_int.h: internals shared by the files of the 办件 lifecycle (case.c,
** case_read.c, parallel.c, case_doc.c, case_demo.c). Not for other modules:
** they use case.h.
*/
#ifndef GG_CASE_INT_H
#define GG_CASE_INT_H

#include "approval/case.h"
#include "approval/catalog.h"

#define CASE_MAX_PAUSES 64
#define CASE_MAX_LINE 64          /* items of one stage line */

/* The stage `number` of a flow version document, NULL when none. */
const json_t *case_stage_def(const json_t *flow_doc, int number);
/* Item codes of a line of a stage into out: side_line NULL/"" the main line
** with every side line but 54Y, else that side line only. Returns how many. */
int case_line_items(const json_t *stage, const char *side_line, const char **out, int max);
/* Stage number listing item code in the flow, 0 when none. */
int case_stage_of_item(const json_t *flow_doc, const char *code);

/* THE ONE PATH of a case change (see case.h): inside the caller's
** transaction, recompute the clock copies of `after`, insert (before->status
** == 0) or update the row, append the status history row, call the
** observers with before/after, write the audit row "case.<action>" with
** details (stolen, may be NULL). before_clock is the clock of `before` at
** now (ignored for a new case). */
int case_record(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		const struct case_rec *before, const struct deadline *before_clock, struct case_rec *after,
		int action, const char *opinion, json_t *details, struct err *e);

/* case_act's work inside the caller's transaction (the batch writer runs
** several in one, each under a savepoint). */
int case_act_locked(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		    int64_t id, const struct case_input *in, struct err *e);
/* case_apply's checks and rows inside the caller's transaction (the case
** writer's savepoint), without its document flush and commit; *out only on
** success. */
int case_apply_locked(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		      int64_t project_id, const struct case_application *a, json_t **out, struct err *e);

/* Compute the clock of c with the given pauses (after acceptance; end 0
** while open) into *clock and set the copies kept on the row for filtering:
** due_day and warn_day over the closed pauses, paused_days, paused_since.
** case_record and the demo generator both use it. */
int case_copies(const struct case_env *env, struct case_rec *c, const struct cal_pause *pauses, size_t n,
		int64_t now, struct deadline *clock, struct err *e);

/* Facts of a case for deadline_case; pauses go into buf (CASE_MAX_PAUSES);
** st NULL: no pauses are read. */
int case_facts(struct store *st, const struct case_rec *c, struct cal_pause *buf,
	       struct deadline_facts *f, struct err *e);

/* Step name and role of step i of an item version doc ("受理", "clerk"). */
void case_step_of(const json_t *item_doc, int i, char *name, size_t nn, char *role, size_t nr);
int case_nsteps(const json_t *item_doc);

/* After a case became final: close its instance when every case is final
** (54Y: combined result and joint document), complete its stage by the
** LCBSXLX rule and move the project on. */
int case_progress_after(struct store *st, const struct case_env *env, const struct principal *who,
			int64_t now, const struct case_rec *c, struct err *e);

/* What an action needs of the pinned item version (steps, prerequisites),
** read once per version and kept by the server (versions never change). */
#define CASE_MAX_STEPS 20
#define CASE_MAX_PRE 16
struct case_item_facts {
	int64_t id;
	int nsteps;
	char step_name[CASE_MAX_STEPS][96];
	char step_role[CASE_MAX_STEPS][16];
	int npre;
	char pre[CASE_MAX_PRE][40];
};
int case_item_facts(struct store *st, const struct case_env *env, int64_t version_id, struct case_item_facts *out,
		    struct err *e);
int case_cache_item_get(struct case_cache *c, int64_t id, struct case_item_facts *out);
void case_cache_item_put(struct case_cache *c, const struct case_item_facts *f);

/* What a reader's rights over a case depend on; kept with its cached detail
** so that a hit reads nothing from the database. */
struct case_access {
	char department[48], district[16], step_role[16];
	int64_t handler_id;           /* 0: the department's pool             */
	unsigned allowed;             /* case_allowed() of the case's state   */
};
void case_access_of(const struct case_rec *c, struct case_access *out);
/* The actions of a->allowed that who may take now (one bit per enum
** case_action): the department, step role, head-only and 转办 rules of
** case_act, so the answer never offers what would be refused with 403. */
unsigned case_my_actions(const struct principal *who, const struct case_access *a);

/* A rendered detail is kept per (case, day, calendar) (case_cache.c). */
struct case_cache_key {
	int64_t id;
	int32_t day;
	const void *cal;
};
/* Append the kept detail for k to out with the case's access facts (for
** the scope check and my_actions): 1 on a hit. On a miss *gen is the slot's
** generation to hand to case_cache_put with the text read afterwards. */
int case_cache_get(struct case_cache *c, const struct case_cache_key *k, struct buf *out, struct case_access *a,
		   uint64_t *gen);
void case_cache_put(struct case_cache *c, const struct case_cache_key *k, uint64_t gen, const struct case_access *a,
		    const char *text, size_t len);
/* After committing any change of case id. */
void case_cache_invalidate(struct case_cache *c, int64_t id);

/* The mark of a document kind in its number ("受"), NULL when unknown. */
const char *case_doc_mark(const char *kind);
/* Issue the next numbered document of kind for case c (whose row is
** already written in this transaction): number, verification code, the
** rendered page kept in the file store and its hash (case_doc.c). */
int case_doc_issue(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		   const struct case_rec *c, const char *kind, struct err *e);
#define CASE_VERIFY_LEN 26
/* 1 when code has the shape of a verification code. */
int case_verify_code_ok(const char *code);

/* The checklist of case id from the pinned version's materials (item_doc),
** ticking the names in received (checked against the list; field names the
** input in the error) (case_files.c). */
int case_checklist_put(struct store *st, const struct principal *who, int64_t now, int64_t id, const json_t *item_doc,
		       const json_t *received, const char *field, struct err *e);
/* Every name of the array `names` is a material of item_doc (ERR_INVALID
** naming field otherwise). */
int case_material_names_known(const json_t *names, const json_t *item_doc, const char *field, struct err *e);
/* *n = 容缺 materials of case id not yet received. */
int case_tolerance_outstanding(struct store *st, int64_t id, int *n, struct err *e);
/* 补正完成 before 受理: the materials the open supplement asked for are ticked
** as handed in (a case without a checklist keeps none). */
int case_checklist_supplied(struct store *st, const struct principal *who, int64_t now, int64_t id, struct err *e);
/* 受理 against the checklist: 0 when nothing required is missing; else 409
** unless in->tolerance and 容缺 applies (the item allows it and every missing
** material is tolerable): then the missing ones become the 容缺 list with
** its due date, *tolerated = 1 and details gets "tolerance". */
int case_checklist_gate(struct store *st, const struct case_env *env, const struct case_rec *c,
			const struct case_input *in, int64_t now, json_t *details, int *tolerated, struct err *e);

/* "YYYY-MM-DD" of the day of instant t (Asia/Shanghai). */
void case_date(int64_t t, char out[CAL_DATE_LEN]);
/* ISO instant or JSON null for 0. */
json_t *case_time_json(int64_t t);
/* The store filter of a list query in who's data scope (win: storage the
** filter may point to); ERR_INVALID naming from/to for a bad date. */
int case_filter_of(const struct principal *who, const struct case_query *q, int64_t now, struct case_filter *f,
		   char win[7], struct err *e);
/* 1 when who may read case c. */
int case_visible(const struct principal *who, const struct case_rec *c);

#endif
