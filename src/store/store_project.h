/*
** store_project.h: rows of projects (工程建设项目), their units and the
** departments that handle them (migration 0003). No validation here:
** approval/project.c checks everything before it writes.
**
** Rows come back as JSON objects (caller owns them, json_decref) with the
** column names of the API: id, code, gcdm, name, flow_type, flow_code,
** division, address, investment_wan, land_area_m2, floor_area_m2,
** planned_start, planned_finish, created_department, created_by,
** created_at, updated_at; units as {id, kind, name, credit_code, contact,
** phone}. Deleted projects are invisible to every function but insert's
** uniqueness check (a code is never reused).
*/
#ifndef GG_STORE_PROJECT_H
#define GG_STORE_PROJECT_H

#include <jansson.h>
#include <stdint.h>

#include "store/store.h"

/* Insert (id 0) or update (id > 0) the project described by p, an object
** with the keys above (strings and integers; created_* only on insert).
** A duplicate code is ERR_CONFLICT. On insert *id is set. */
int store_project_save(struct store *st, const json_t *p, int64_t now, int64_t *id, struct err *e);
/* Replace the units of a project by units (array of unit objects). */
int store_project_units_set(struct store *st, int64_t id, const json_t *units, struct err *e);
/* Mark deleted. */
int store_project_delete(struct store *st, int64_t id, int64_t now, struct err *e);

int store_project_get(struct store *st, int64_t id, json_t **row, struct err *e);
int store_project_by_code(struct store *st, const char *code, json_t **row, struct err *e);
/* 1 when a project (even a deleted one) has this code. */
int store_project_code_taken(struct store *st, const char *code);
int store_project_units(struct store *st, int64_t id, json_t **units, struct err *e);

/* Who sees what: all, or projects in district (when non-NULL), or projects
** created by or linked to department (when non-NULL). */
struct project_scope {
	int all;
	const char *district;
	const char *department;
};
struct project_filter {
	const char *q;            /* substring of name or code */
	int flow_type;            /* 0: any */
	const char *division;
};
/* Newest first; *total counted up to STORE_COUNT_CAP, *capped 1 when more. */
int store_project_list(struct store *st, const struct project_scope *sc, const struct project_filter *f,
		       const struct page *pg, json_t **items, int64_t *total, int *capped, struct err *e);
int store_project_visible(struct store *st, int64_t id, const struct project_scope *sc);

/* Data scope relation: department handles something of project (idempotent). */
int store_project_link(struct store *st, int64_t id, const char *department, struct err *e);
/* Number of departments linked to the project. */
int store_project_links(struct store *st, int64_t id, int64_t *n, struct err *e);
/* Stage applications (case instances) of project id. */
int store_project_applications(struct store *st, int64_t id, int64_t *n, struct err *e);

#endif
