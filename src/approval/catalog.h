/*
** catalog.h: the approval catalogue in the database — import, export, new
** versions of items and flows, history and diff, and the lookups the 办件
** lifecycle uses to pin a case to the item version it started with.
**
** History is append-only: every change is a new version with an effective
** date, checked together with everything already stored (docs/catalog.md
** lists the rules) and written in one transaction with its audit row. Old
** versions are never changed, so a case that pinned catalog_item.id keeps
** its limit, steps and materials whatever is edited later.
**
** Who may change the catalogue: sysadmin, the catalogue administrator role
** `catalog`, and the command line; every logged-in account may read it.
**
** Ownership: struct catalog_item / catalog_flow hold a json_t reference
** (doc) released by catalog_item_release / catalog_flow_release. json_t
** results (json_t **out) belong to the caller. Inputs are borrowed.
*/
#ifndef GG_CATALOG_H
#define GG_CATALOG_H

#include <jansson.h>
#include <stdint.h>

#include "approval/catalog_doc.h"
#include "org/rbac.h"
#include "store/store_catalog.h"

#define CATALOG_SEED_PATH "data/catalog/tongchuan.json"

/* ---- lookups for the lifecycle ------------------------------------------- */

/* One item version: the pinned unit of a case. */
struct catalog_item {
	int64_t id;                          /* item version id (catalog_items.id) */
	char code[CATALOG_CODE_MAX + 1];
	char version[CATALOG_VERSION_MAX];
	char effective_from[11];
	char name[320];
	char department[48];
	int promised_limit, legal_limit;     /* working days                       */
	int milestone, commitment, tolerance;
	int applicant_kind, case_type;
	json_t *doc;                         /* the version as in docs/catalog.md:
					      * materials, steps, prerequisites … */
};

/* One flow version. */
struct catalog_flow {
	int64_t id;                          /* flow version id (catalog_flows.id) */
	char code[CATALOG_CODE_MAX + 1];
	char version[CATALOG_VERSION_MAX];
	char effective_from[11];
	char name[320];
	char division[8];
	int flow_type;
	json_t *doc;                         /* stages, side lines, item codes:
					      * read with catalog_flow_stage etc. */
};

void catalog_item_release(struct catalog_item *it);
void catalog_flow_release(struct catalog_flow *f);

/* Item version by id (what a case stored). ERR_NOTFOUND when unknown. */
int catalog_item_by_id(struct store *st, int64_t id, struct catalog_item *out, struct err *e);
/* The version of item `code` in effect on date (YYYY-MM-DD). */
int catalog_item_at(struct store *st, const char *code, const char *date, struct catalog_item *out,
		    struct err *e);
int catalog_flow_by_id(struct store *st, int64_t id, struct catalog_flow *out, struct err *e);
int catalog_flow_at(struct store *st, const char *code, const char *date, struct catalog_flow *out,
		    struct err *e);
/* The flow code a project of flow_type follows on date, into code
** (CATALOG_CODE_MAX + 1 bytes): the one flow of that type. None, or several
** when want is NULL or not one of them: ERR_INVALID naming field. */
int catalog_flow_for_type(struct store *st, int flow_type, const char *want, const char *date,
			  const char *field, char *code, struct err *e);

/* ---- the whole catalogue ----------------------------------------------------- */

struct catalog_import_stats {
	int items_added, flows_added;        /* new versions written              */
	int items_same, flows_same;          /* versions already stored, identical */
};

/* Merge doc into the stored catalogue: all or nothing, one transaction, one
** audit row. A (code, version) already stored with other content is
** ERR_CONFLICT; a merged catalogue breaking any rule is ERR_INVALID naming
** the field. stats may be NULL. */
int catalog_import(struct store *st, const struct principal *who, int64_t now, const json_t *doc,
		   struct catalog_import_stats *stats, struct err *e);
/* Import the embedded CATALOG_SEED_PATH (gonggai init). */
int catalog_seed(struct store *st, const struct principal *who, int64_t now, struct err *e);
/* The whole stored catalogue as one canonical document. */
int catalog_export(struct store *st, json_t **doc, struct err *e);
/* The document as export prints it: 2-space indent, UTF-8 unescaped, final
** newline. Caller frees. */
char *catalog_dump(const json_t *doc);

/* ---- editing: new versions ---------------------------------------------------- */

/* Store body as a new version of an item (kind CATALOG_ITEMS) or a flow.
** path_code: the code from PUT …/{code} (the code must exist and body's
** "code", when present, must match), or NULL for POST (a new code: 409 if
** it exists). body is the version object of docs/catalog.md where
** "version" may be left out (next minor version) and "effective_from" must
** be today or later (Asia/Shanghai) and later than the current latest.
** An unchanged body is ERR_INVALID. *row gets the stored version (may be
** NULL). */
int catalog_save(struct store *st, const struct principal *who, int64_t now, int kind,
		 const char *path_code, const json_t *body, json_t **row, struct err *e);

/* ---- reading for the API ---------------------------------------------------- */

/* Versions in effect on f->date, one per code (store_catalog_list), with
** the flags milestone, commitment and tolerance as booleans. */
int catalog_list(struct store *st, int kind, const struct catalog_filter *f, const struct page *pg,
		 json_t **items, int64_t *total, struct err *e);
/* One version of code: `version` when not NULL, else the one in effect on
** date (YYYY-MM-DD). ERR_NOTFOUND names what is missing. *row is the
** caller's. */
int catalog_get(struct store *st, int kind, const char *code, const char *version, const char *date,
		json_t **row, struct err *e);
/* The version with this id (links from the history). */
int catalog_get_by_id(struct store *st, int kind, int64_t id, json_t **row, struct err *e);

/* {"code", "kind", "versions":[{id, version, effective_from, name,
** created_at, created_by, "changes": [field names changed from the previous
** version]}]}. */
int catalog_history(struct store *st, int kind, const char *code, json_t **out, struct err *e);
/* {"code", "from", "to", "changes": catalog_diff of the two versions}. */
int catalog_version_diff(struct store *st, int kind, const char *code, const char *from,
			 const char *to, json_t **out, struct err *e);

/* 1 when who may change the catalogue. */
int catalog_may_edit(const struct principal *who);

#endif
