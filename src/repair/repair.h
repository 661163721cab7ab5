/*
** repair.h: 数据修复单 (issue 18). Typed repairs of the approval data under
** the bureau's authorisation, with the exact before -> after shown first,
** applied in one transaction and undone byte for byte; never raw SQL.
**
** Operations (the request object's "op"; the CLI builds the same object):
**   field            correct one field of a project ("project": code), unit
**                    ("unit": id), 办件 ("case": number), status row
**                    ("status": id) or approval document ("document": id):
**                    "field", "value", checked with the field's own rule
**   reassign         a running 办件's handler: "case", "user" (an active
**                    account of the case's department holding the step's role)
**   close_stage      a project's stage that can never complete: "project",
**                    "stage" (1-5); the preview names its completion rule
**   void             a wrongly created 办件 and every row that hangs on it:
**                    "case"; withdrawn from the province (SJYXBS=0) through
**                    the registered repair_hooks.withdraw
**   move_department  机构改革: "from", "to" department codes: the accounts,
**                    the running 办件 and the projects' department links of
**                    "from" move to "to" (catalogue items are versioned and
**                    move by a new catalogue version, not here)
**   merge_projects   a project registered twice: "from" (the duplicate) into
**                    "into": its instances, 办件, stages, progress, units (not
**                    already there by kind and credit code) and department
**                    links move; the duplicate is deleted (deleted_at) and
**                    withdrawn from the province. Refused when both projects
**                    have the same stage or both have progress.
** Every request carries "reason" (>= 2 characters) and may carry "answers"
** ("finding:ID" / "ticket:ID").
**
** Flow: propose (ops or the CLI) computes and stores the row images, the
** preview; approve/reject by a holder of repair_approve who is not the
** proposer (an account, never the bare CLI: the bureau's authorisation has
** a name); apply (ops or the CLI) after approval checks every row still
** equals its before-image, writes the after-images, keeps the statistics
** equal to a recount (stats_case_refresh of every touched 办件, stats_case_
** forget of a voided one), lets the exchange's change queue pick the rows
** up, writes the audit row and answers; undo puts the before-images back
** when every row still equals its after-image, else names the row that
** moved. apply and undo refuse while the audit chain does not verify.
** Every state change has its audit row (repair.propose/approve/reject/apply/
** undo) in the same transaction.
**
** Ownership: json_t results belong to the caller; env and inputs borrowed.
*/
#ifndef GG_REPAIR_H
#define GG_REPAIR_H

#include <jansson.h>
#include <stdint.h>

#include "approval/case.h"
#include "base/dict.h"
#include "org/rbac.h"
#include "store/store.h"

/* What a repair needs from modules above it (registered by the wiring),
** each called inside the repair's transaction; NULL members do nothing.
** withdraw reports a voided 办件 to the province as invalid (kind "case",
** id cases.id); changed tells the exchange that a row it reports was
** corrected (table "cases", "case_status" or "case_documents", its id), so
** the corrected row is sent again (projects and units it notices itself). */
struct repair_hooks {
	int (*withdraw)(void *ctx, struct store *st, const struct principal *who, const char *kind, int64_t id,
			const char *reason, int64_t now, struct err *e);
	int (*changed)(void *ctx, struct store *st, const char *table, int64_t id, struct err *e);
	void *ctx;
};

struct repair_env {
	const struct case_env *cases;        /* calendar and thresholds for the statistics */
	const struct repair_hooks *hooks;    /* may be NULL                                 */
};

/* Propose: *out is the repair as repair_show gives it. dry_run: compute and
** answer the preview, store nothing (status "preview", no id). */
int repair_propose(struct store *st, const struct repair_env *env, const struct principal *who, int64_t now,
		   const json_t *req, int dry_run, json_t **out, struct err *e);
/* approve = 1 approves, 0 rejects; note optional. */
int repair_decide(struct store *st, const struct principal *who, int64_t now, int64_t id, int approve,
		  const char *note, json_t **out, struct err *e);
int repair_apply(struct store *st, const struct repair_env *env, const struct principal *who, int64_t now,
		 int64_t id, json_t **out, struct err *e);
int repair_undo(struct store *st, const struct repair_env *env, const struct principal *who, int64_t now,
		int64_t id, const char *reason, json_t **out, struct err *e);
/* {"id","op","target","params","reason","answers","status","proposed_by","proposed_at","approved_by",
** "decided_by","decided_at","decision_note","applied_by","applied_at","undone_by","undone_at",
** "changes":[{"object","field","before","after"}],"rows"} */
int repair_show(struct store *st, const struct principal *who, int64_t id, json_t **out, struct err *e);
int repair_list(struct store *st, const struct principal *who, const char *status, const struct page *pg,
		json_t **out, struct err *e);

/* The operation that repairs a finding of quality rule `rule` on `object`
** (its object key), pre-filled: {"op",…,"answers":"finding:ID"} without
** "reason" and with "value" left for the engineer where it cannot be known;
** NULL when the rule's defects are not repairable by an operation. */
json_t *repair_for_finding(const char *rule, const char *object_kind, const char *object, int64_t finding_id);

/* Who may: propose/apply/undo — ops and the CLI; decide — repair_approve
** holders (accounts); read — ops, repair_approve, leader, the CLI. */
int repair_may_read(const struct principal *who);

/* Names for the web (GET /api/dict): repair.status, repair.op, repair.field. */
extern const struct dict repair_dicts[];

#endif
