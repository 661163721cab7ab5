/*
** quality.h: 数据质检 and 整改 (issue 16, docs/quality.md). The system finds
** the defects of its own approval data the way the province audits them,
** tells each department what is wrong with which record and by when, proves
** the rectification by not finding the defect again, and prints the 通报.
**
** Rules are data (data/quality/rules.json, compiled in; stored versions from
** imports and edits overlay it, the latest version of each rule wins). A
** rule names one of the checks the engine implements (quality_eval.c) and
** carries its parameters, severity, message template, fix hint and basis.
**
** A run (quality_run) evaluates every enabled rule in one pass per table
** (two lanes on two connections side by side; the concluded cases and the
** status rows read only where they changed since the last run, see
** quality_eval.c and quality_status.c), then diffs what it found against
** the stored findings in one transaction and writes only the changes: new
** findings (open, with a deadline in working days by severity), fixed ones
** (open/overdue and not found: closed by this run), reopened ones (fixed
** and found again), and escalations (open past the deadline -> overdue). A
** finding is (rule, object): found again it is the same finding. dismissed
** is a leader's decision with a reason (quality_dismiss), audited.
**
** The province's rejections come from the exchange module through struct
** quality_sources, registered by the wiring above; rules whose source is not
** registered are reported as skipped and their findings left as they are.
**
** Who may: run and read all — leader, ops and the CLI; department heads and
** reviewers read their department's findings (a 综合窗口 its division, the
** city window all: org/rbac.h); edit rules — leader, catalog, sysadmin,
** CLI; dismiss — leader, CLI.
**
** Ownership: json_t results belong to the caller; inputs are borrowed.
*/
#ifndef GG_QUALITY_H
#define GG_QUALITY_H

#include <jansson.h>
#include <stdint.h>

#include "base/conf.h"
#include "base/dict.h"
#include "calendar/cal.h"
#include "org/rbac.h"
#include "store/store.h"

#define QUALITY_RULES_PATH "data/quality/rules.json"

/* [quality] in gonggai.ini. */
struct quality_conf {
	int error_days;               /* error_days = 5: working days to rectify an error        */
	int warn_days;                /* warn_days = 10: ... a warning                            */
	int notice_days;              /* notice_days = 10: the 通报's deadline for the rest        */
	int run_at;                   /* run_at = 150: minute of the day of the nightly run (02:30) */
};
#define QUALITY_CONF_DEFAULT ((struct quality_conf){5, 10, 10, 150})
int quality_conf_load(const struct conf *c, struct quality_conf *out, struct err *e);

/* The province's rejections, from the exchange module (registered above).
** rejections() calls each() once per row the province rejected and that is
** not corrected yet: its table, our key (DFSJZJ), the object (project code
** or 办件 number), the department (may be NULL or ""), the reason (SBYY,
** verbatim) and when it was rejected. A non-zero return of each() stops
** it and is returned. */
typedef int (*quality_rejection_fn)(void *arg, const char *table, const char *dfsjzj, const char *object,
				    const char *department, const char *reason, int64_t since);
struct quality_sources {
	int (*rejections)(void *ctx, struct store *st, quality_rejection_fn each, void *arg, struct err *e);
	void *ctx;
};

struct quality_env {
	const struct cal *cal;
	struct quality_conf conf;
	const struct quality_sources *sources;   /* NULL: none registered */
	int threads;                  /* 2: a second lane on its own connection; 1: one by one */
	int rescan;                   /* 1: read every status row again (the marks rebuilt)     */
};

/* ---- rules ------------------------------------------------------------------------------ */

/* Every rule as it stands: [{"id","name","severity","object","kind","check","params","message","fix",
** "basis","enabled","version"(0: built in)}], in file order. */
int quality_rules(struct store *st, json_t **out, struct err *e);
/* The rule catalogue as a document ({"format","format_version","name","rules"}), for export. */
int quality_rules_export(struct store *st, json_t **doc, struct err *e);
/* Merge doc's rules: each differing from the current one becomes a new version; all or nothing,
** one audit row. Unknown ids, checks or bad fields are ERR_INVALID naming the rule and field.
** *changed (may be NULL): versions written. */
int quality_rules_import(struct store *st, const struct principal *who, int64_t now, const json_t *doc,
			 int *changed, struct err *e);
/* Change one rule: patch may hold "enabled", "severity", "params" (merged key by key; each must
** already exist with the same type), "note". A new version; *out the rule as it stands now. */
int quality_rule_update(struct store *st, const struct principal *who, int64_t now, const char *id,
			const json_t *patch, json_t **out, struct err *e);
/* {"id","versions":[{"version","doc","created_at","created_by","note"}]} (stored versions). */
int quality_rule_history(struct store *st, const char *id, json_t **out, struct err *e);
int quality_may_edit_rules(const struct principal *who);

/* ---- runs ---------------------------------------------------------------------------------- */

/* Run every enabled rule (rule NULL) or one, record the run, and answer
** {"run":{"id","started_at","finished_at","ms","trigger","rule","found","opened","reopened","fixed",
** "escalated","open"},"rules":[{"id","name","severity","findings","skipped"?}]} (every enabled rule
** listed; findings = defects this run found). trigger: cli | api | schedule | exchange.
** Call it outside a transaction: it reads on a second connection (env->threads > 1) and
** writes its changes in one transaction of its own (the exchange wiring calls it after a
** pull has committed). */
int quality_run(struct store *st, const struct quality_env *env, const struct principal *who, int64_t now,
		const char *trigger, const char *rule, json_t **report, struct err *e);
int quality_may_run(const struct principal *who);
/* Recorded runs, newest first: {"items","total"}. */
int quality_runs(struct store *st, const struct principal *who, const struct page *pg, json_t **out,
		 struct err *e);

/* ---- findings -------------------------------------------------------------------------------- */

struct quality_filter {
	const char *status;           /* open fixed overdue dismissed, or NULL */
	const char *rule, *department, *district, *object;
};
/* {"items":[{"id","rule","severity","object_kind","object","department","district","message",
** "status","found_at","deadline","fixed_at",...}],"total"} within who's scope. */
int quality_findings(struct store *st, const struct principal *who, const struct quality_filter *f,
		     const struct page *pg, json_t **out, struct err *e);
/* One finding with "rule_name", "fix" and its "events"; ERR_NOTFOUND outside who's scope. */
int quality_finding(struct store *st, const struct principal *who, int64_t id, json_t **out, struct err *e);
/* A leader dismisses an open or overdue finding with a reason (audited). */
int quality_dismiss(struct store *st, const struct principal *who, int64_t now, int64_t id, const char *reason,
		    struct err *e);
/* The overview: {"by_group":[…],"weeks":[…],"rejected":[…],"open","overdue","last_run"} in scope. */
int quality_overview(struct store *st, const struct principal *who, int64_t now, json_t **out, struct err *e);

/* ---- 通报 ----------------------------------------------------------------------------------------- */

/* The 通报 of a month ("YYYY-MM"): per district and department the counts by rule and severity, the
** province's rejections, overdue, fixed in the month, the rectification rate, the oldest open finding
** and the deadline for the rest. As JSON, or rendered (quality_notice_xlsx/html). */
int quality_notice(struct store *st, const struct quality_env *env, const struct principal *who, int64_t now,
		   const char *period, json_t **out, struct err *e);
/* Render a notice (quality_notice's JSON) as XLSX into a malloc'd buffer, or HTML text. */
int quality_notice_xlsx(const json_t *notice, char **data, size_t *len, struct err *e);
int quality_notice_html(const json_t *notice, char **html, struct err *e);

/* Names for the web (GET /api/dict): quality.status, quality.severity, quality.object,
** quality.kind, quality.event. */
extern const struct dict quality_dicts[];

#endif
