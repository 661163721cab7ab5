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

/* THE ONE PATH of a case change (see case.h): inside the caller's
** transaction, recompute the clock copies of `after`, insert (before->status
** == 0) or update the row, append the status history row, call the
** observers with before/after, write the audit row "case.<action>" with
** details (stolen, may be NULL). before_clock is the clock of `before` at
** now (ignored for a new case). */
int case_record(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		const struct case_rec *before, const struct deadline *before_clock, struct case_rec *after,
		int action, const char *opinion, json_t *details, struct err *e);

/* Facts of a case for deadline_case; pauses go into buf (CASE_MAX_PAUSES). */
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

/* Issue the next numbered document of kind for case c. */
int case_doc_issue(struct store *st, const struct principal *who, int64_t now, const struct case_rec *c,
		   const char *kind, struct err *e);

/* "YYYY-MM-DD" of the day of instant t (Asia/Shanghai). */
void case_date(int64_t t, char out[CAL_DATE_LEN]);
/* ISO instant or JSON null for 0. */
json_t *case_time_json(int64_t t);
/* 1 when who may read case c. */
int case_visible(const struct principal *who, const struct case_rec *c);

#endif
