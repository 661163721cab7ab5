/*
** store_catalog.h: rows of the approval catalogue (migration 0003). Items
** and flows are stored one row per version and never changed; both kinds
** share these functions, selected by enum catalog_kind.
**
** A version comes back as a JSON object (caller owns it, json_decref):
**   {"id": 12, "code": "SGXK-001", "version": "1.1", "effective_from":
**    "2025-01-01", "created_at": 1700000000, "created_by": "cli:root",
**    "doc": { the version as in the catalogue document }}
** Nothing here validates: approval/catalog.c checks a version against the
** whole catalogue before it calls store_catalog_insert, inside one
** transaction.
*/
#ifndef GG_STORE_CATALOG_H
#define GG_STORE_CATALOG_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

enum catalog_kind { CATALOG_ITEMS = 0, CATALOG_FLOWS = 1 };

/* Every stored version of a kind as document objects, ordered by code,
** then version. */
int store_catalog_docs(struct store *st, int kind, json_t **docs, struct err *e);

/* Insert one version (a validated, canonical document object); flows also
** get their catalog_stages and catalog_stage_items rows. A clash on (code,
** version) or (code, effective_from) is ERR_CONFLICT. */
int store_catalog_insert(struct store *st, int kind, const json_t *doc, int64_t now,
			 const char *by, int64_t *id, struct err *e);

/* One version, as the row object above; ERR_NOTFOUND when there is none. */
int store_catalog_by_id(struct store *st, int kind, int64_t id, json_t **row, struct err *e);
int store_catalog_version(struct store *st, int kind, const char *code, const char *version,
			  json_t **row, struct err *e);
/* The version of code in effect on date (YYYY-MM-DD): the one with the
** latest effective_from <= date. */
int store_catalog_at(struct store *st, int kind, const char *code, const char *date,
		     json_t **row, struct err *e);

/* History of code, oldest first: rows without "doc". ERR_NOTFOUND when the
** code has no version. */
int store_catalog_versions(struct store *st, int kind, const char *code, json_t **rows, struct err *e);

/* Versions in effect on date, one per code, ordered by code. Filters may be
** NULL/0: department (items), flow_type (flows), q (substring of code or
** name). Rows carry summary columns (no doc) and "versions", the count. */
struct catalog_filter {
	const char *date;
	const char *department;
	int flow_type;
	const char *q;
};
int store_catalog_list(struct store *st, int kind, const struct catalog_filter *f,
		       const struct page *pg, json_t **items, int64_t *total, struct err *e);

/* Codes of the flows of a type with a version in effect on date. */
int store_catalog_flow_codes(struct store *st, int flow_type, const char *date, json_t **codes,
			     struct err *e);

/* The catalogue's name ("" before the first import) and setting it. */
int store_catalog_name(struct store *st, char *out, size_t n, struct err *e);
int store_catalog_set_name(struct store *st, const char *name, int64_t now, struct err *e);

#endif
