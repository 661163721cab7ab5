/*
** catalog_doc.h: the approval catalogue as a JSON document — validation,
** canonical order and field-by-field diff (domain.md §2, docs/catalog.md).
**
** The catalogue is flows (审批流程) → stages (审批阶段, national numbers 1-5)
** with side lines (辅线 51/52/53/54C/54Y) inside a stage → items (审批事项).
** Items live once, at the top of the document, and stages refer to them by
** code, so one item is shared by every flow that lists it. Both items and
** flows are versioned: one JSON object per version, keyed by (code,
** version), each with the date it takes effect. A version is never edited;
** a change is a new version.
**
** This module is pure: it reads jansson values it is handed and writes
** nothing but what it returns. Existence of department codes is checked
** through an optional hook so the same rules run on a file (CLI, tests) and
** against the organisation in the database (import, API).
**
** Ownership: json_t values passed in are borrowed and never modified except
** by catalog_sort, which reorders the arrays of the document it is given.
** catalog_diff returns a new reference the caller releases with json_decref.
*/
#ifndef GG_CATALOG_DOC_H
#define GG_CATALOG_DOC_H

#include <jansson.h>

#include "base/err.h"

#define CATALOG_FORMAT "gonggai-catalog"
#define CATALOG_FORMAT_VERSION 1

#define CATALOG_STAGE_PARALLEL 5     /* 并行推进: limit 0, no side lines   */
#define CATALOG_STAGE_LIMIT_MAX 50   /* working days, stages 1-4           */
#define CATALOG_ITEM_LIMIT_MAX 365   /* working days, sanity bound         */
#define CATALOG_CODE_MAX 32          /* bytes of an item or flow code      */
#define CATALOG_VERSION_MAX 16       /* bytes of "major.minor" and NUL     */
#define CATALOG_FEE_MAX 100000000LL /* fen (¥1,000,000) of one item's fee  */
#define CATALOG_OPEN_UNTIL "9999-12-31"

/* Checks that need the outside world. Any member may be NULL: skipped. */
struct catalog_hooks {
	/* 1 when a department with this code exists. */
	int (*department_exists)(void *ctx, const char *code);
	void *ctx;
};

/* Validate a whole document: every per-version rule of each item and flow,
** uniqueness of (code, version), versions rising with their effective
** dates, and the rules that tie flows to items (references, item in effect
** on the flow's date, item limit ≤ stage limit, prerequisites inside the
** flow, in the same or an earlier stage, and acyclic, a milestone item in
** every stage 1-4). The first violation found fills e: code ERR_INVALID,
** field like "items[SGXK-001].promised_limit" or
** "flows[TC-SHTZ-YB].stages[3].limit", message in Chinese. */
int catalog_validate(const json_t *doc, const struct catalog_hooks *h, struct err *e);

/* Validate one item version alone (shape, types, ranges, materials, steps).
** Fields are named "items[CODE].field". */
int catalog_validate_item(const json_t *item, const struct catalog_hooks *h, struct err *e);

/* Validate one flow version alone (shape, stages, side lines), not its
** references to items. Fields are named "flows[CODE]...". */
int catalog_validate_flow(const json_t *flow, const struct catalog_hooks *h, struct err *e);

/* Field-by-field differences from one version of an item (or flow) to
** another: a JSON array of {"field": "...", "from": v, "to": v}, in the
** order of the fields, "from" null when added, "to" null when removed.
** Materials are matched by name, stages by number, side lines by code,
** steps by position; arrays of codes compare as whole values. */
json_t *catalog_diff(const json_t *from, const json_t *to);

/* Put a document in canonical order: items and flows by code, then by
** version. Stage, material and step order are meaningful and kept. */
void catalog_sort(json_t *doc);

/* A new document with the same content in canonical form: keys of every
** object in the order of docs/catalog.md, items and flows sorted as by
** catalog_sort. doc must have passed catalog_validate. Caller owns it. */
json_t *catalog_canonical(const json_t *doc);
/* The same for one item version or one flow version (validated). */
json_t *catalog_canonical_item(const json_t *item);
json_t *catalog_canonical_flow(const json_t *flow);

/* ---- reading a validated flow version (borrowed pointers into it) -------- */

/* The stage with this national number, or NULL. */
const json_t *catalog_flow_stage(const json_t *flow, int number);
/* Where the flow puts an item: 0 with *stage set and *side_line the side
** line code or "" for the main line; -1 when the flow does not list it. */
int catalog_flow_item_place(const json_t *flow, const char *item_code, int *stage,
			    const char **side_line);
/* Every item code of a stage, main line first, then each side line, into a
** new array of {"code":..., "side_line":...}. Caller owns it. */
json_t *catalog_stage_items(const json_t *stage);

/* Parse "major.minor" (1-4 digits each). 0 on success. */
int catalog_version_parse(const char *s, int *major, int *minor);
/* <0, 0, >0 like strcmp, numerically ("1.10" > "1.9"). Both must parse. */
int catalog_version_cmp(const char *a, const char *b);
/* The version after v: minor + 1 ("1.9" → "1.10"); out has
** CATALOG_VERSION_MAX bytes. 0 on success. */
int catalog_version_next(const char *v, char *out);

/* Names of the national codes, NULL when unknown. */
const char *catalog_flow_type_name(int flow_type);      /* SPLCLX 1-10 */
const char *catalog_stage_name(int number);              /* 1-5 */
const char *catalog_side_line_name(const char *code);    /* 51 ... 54Y */
/* 1 when s is a well-formed item or flow code. */
int catalog_code_ok(const char *s);

#endif
