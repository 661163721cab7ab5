/*
** quality_int.h: what the files of src/quality share and nobody else sees:
** the rule set in C form, the checks the engine implements, the hits a pass
** produces, and the scope of a reader.
*/
#ifndef GG_QUALITY_INT_H
#define GG_QUALITY_INT_H

#include "quality/quality.h"
#include "store/store_quality.h"

#include <stddef.h>

/* ---- rules ------------------------------------------------------------------------------------- */

struct q_rule {
	const char *id, *name, *severity, *object, *kind, *check, *message;
	int enabled, version;         /* version 0: as built in                            */
	int chk;                      /* index into q_checks                               */
	const json_t *doc;            /* the rule object (borrowed from the set's list)    */
};

struct q_ruleset {
	json_t *list;                 /* array of rule objects, each with "version"        */
	struct q_rule *v;
	size_t n;
};

/* The rules as they stand (built in, overlaid by stored versions). */
int q_rules_load(struct store *st, struct q_ruleset *rs, struct err *e);
void q_rules_free(struct q_ruleset *rs);
const struct q_rule *q_rule_find(const struct q_ruleset *rs, const char *id);
/* An integer parameter of r (def when absent). */
int q_param_int(const struct q_rule *r, const char *name, int def);
/* 0 when r is a well-formed rule object (any check the engine knows). */
int q_rule_validate(const json_t *r, struct err *e);

/* ---- checks ------------------------------------------------------------------------------------ */

enum q_object { QO_PROJECT, QO_UNIT, QO_CASE, QO_STATUS, QO_ITEM, QO_STAGE, QO_EXCHANGE, QO_COUNT };

struct q_check {
	const char *name;             /* "case_zombie": what a rule's "check" names         */
	int object;                   /* enum q_object                                      */
};
extern const struct q_check q_checks[];   /* ends with {NULL}                            */
extern const char *const q_object_names[QO_COUNT];
int q_check_find(const char *name);
int q_object_find(const char *name);

/* ---- hits: one defect found by a pass ------------------------------------------------------------ */

#define Q_ARGS 6
struct q_hit {
	int rule;                     /* index into the rule set                            */
	int64_t case_id;              /* status hits: the case, resolved after the pass     */
	char key[96];                 /* what makes the defect one (object, or table:key)   */
	char object[64];
	char department[48];
	char district[16];
	char names[Q_ARGS][12];       /* message arguments: {name} -> value                 */
	char values[Q_ARGS][96];
	int nargs;
};

struct q_hits {
	struct q_hit *v;
	size_t n, cap;
};
struct q_hit *q_hit_new(struct q_hits *h, int rule);   /* zeroed; NULL when out of memory */
void q_hit_arg(struct q_hit *h, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* Append a copy of more's hits to h; -1 when out of memory. */
int q_hits_append(struct q_hits *h, const struct q_hits *more);
void q_hits_free(struct q_hits *h);

/* The message of a hit: the rule's template with {object} and the hit's
** arguments, then the rule's params, substituted. Caller frees. */
char *q_message(const struct q_rule *r, const struct q_hit *h);

/* ---- the status pass (quality_status.c) ------------------------------------------------------ */

/* What the status pass read and concluded; the run keeps it with
** store_quality_marks_put in its transaction. */
struct q_status {
	int ran, full;                /* it ran; it read every row                         */
	struct qs_status_state read;  /* what it read (store_quality_status_state)         */
	int64_t *cases;               /* !full: the cases it judged again, in order       */
	size_t ncases;
	struct qs_status_mark *fresh; /* their marks (every mark when full), in case order */
	size_t nfresh;
	struct qs_status_mark *marks; /* every mark now, in case order                     */
	size_t nmarks;
};
/* Every case's status defects as marks: the kept marks with the cases that
** changed judged again, or every row read (rescan, nothing kept yet, or
** more than a quarter of the rows new). q is the caller's (q_status_free). */
int q_status_pass(struct store *st, int rescan, struct q_status *q, struct err *e);
void q_status_free(struct q_status *q);

/* What the case pass read and concluded; the run keeps it with
** store_quality_case_marks_put in its transaction (struct qs_case_marks). */
struct q_cases {
	int ran, all;                 /* it ran; it read every case                        */
	struct qs_case_state read;
	char fingerprint[72];         /* departments, calendar, case rules now            */
	int64_t *judged, *insts;      /* !all: kept and dirty cases, instances looked at   */
	size_t njudged, ninsts;
	int64_t *suspects, *dups;     /* concluded cases with a defect, instances with an item twice */
	size_t nsuspects, ndups;
};
void q_cases_free(struct q_cases *q);

/* Evaluate the enabled rules (active[i] != 0) over the data: every hit into
** out; skipped[i] set for a rule whose source is not registered; status
** (the caller's, q_status_free) what the status pass concluded, ran 0 when
** no status rule is enabled; cases (the caller's, q_cases_free) what the
** case pass concluded. With the same fingerprint as the kept marks the case
** pass reads only the running cases, the kept and the dirty ones. */
int q_evaluate(struct store *st, const struct quality_env *env, const struct q_ruleset *rs, const int *active,
	       int64_t now, struct q_hits *out, int *skipped, struct q_status *status, struct q_cases *cases,
	       struct err *e);

/* ---- scope ------------------------------------------------------------------------------------- */

/* What who may read: both NULL for everything; ERR_FORBIDDEN without any. */
struct q_scope {
	const char *department, *district;
	char win[8];
};
int q_scope_of(const struct principal *who, struct q_scope *sc, struct err *e);

#endif
