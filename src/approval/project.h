/*
** project.h: construction projects (工程建设项目, domain.md §3) and their
** units — registration, correction, deletion, reading within the data
** scope, and the relation the 办件 lifecycle maintains so department users
** see the projects they handle.
**
** A project follows one approval flow: the flow of its flow type (SPLCLX)
** in the catalogue, or the one named in flow_code when the type has
** several. Identifiers are checked with src/ids: 投资项目代码, the location
** division (铜川市 or one of its districts), 统一社会信用代码 of each unit.
**
** Who may do what:
**   read    leader, ops, sysadmin and the CLI: every project; users of a
**           行政审批服务局 (department code ending in -XSP): the city-level one
**           every project, a district's one the projects in its district;
**           other department users: projects their department registered
**           or handles (project_link_department).
**   create  clerk, head (and the CLI)
**   update  clerk, head of a department that sees the project
**   delete  head of a department that sees the project, while no
**           department handles anything of it (409 otherwise)
** Every change writes an audit row in the same transaction.
**
** Ownership: json_t results belong to the caller; inputs are borrowed.
*/
#ifndef GG_PROJECT_H
#define GG_PROJECT_H

#include <jansson.h>
#include <stdint.h>

#include "approval/catalog.h"
#include "org/rbac.h"
#include "store/store_project.h"

/* What the lifecycle needs of a project. */
struct project {
	int64_t id;
	char code[32];                        /* 投资项目代码                    */
	char gcdm[48];                        /* 工程代码, "" when none          */
	char name[640];
	int flow_type;                        /* SPLCLX                          */
	char flow_code[CATALOG_CODE_MAX + 1]; /* catalog flow it follows         */
	char division[8];                     /* location division code          */
	char created_department[48];
};

/* Read a live project without any scope check (for domain code). */
int project_lookup(struct store *st, int64_t id, struct project *p, struct err *e);
int project_lookup_code(struct store *st, const char *code, struct project *p, struct err *e);
/* 1 when who may read the project. */
int project_visible(struct store *st, const struct principal *who, int64_t id);
/* The lifecycle calls this inside the transaction that opens a case of
** department for the project: from then on that department's users see
** it, and the project can no longer be deleted. Idempotent. */
int project_link_department(struct store *st, int64_t id, const char *department, struct err *e);

/* body: the object of docs/api.md (code, gcdm, name, flow_type, flow_code,
** division, address, investment_wan, land_area_m2, floor_area_m2,
** planned_start, planned_finish, units[]). Errors name the field and the
** rule (ERR_INVALID), a taken code is ERR_CONFLICT. */
int project_create(struct store *st, const struct principal *who, int64_t now, const json_t *body,
		   int64_t *id, struct err *e);
/* Change the fields present in body (units replace all units); the code
** cannot change. */
int project_update(struct store *st, const struct principal *who, int64_t now, int64_t id,
		   const json_t *body, struct err *e);
int project_delete(struct store *st, const struct principal *who, int64_t now, int64_t id, struct err *e);

/* The full project with units (phones in clear), or ERR_NOTFOUND when it
** does not exist or is outside who's scope. */
int project_get(struct store *st, const struct principal *who, int64_t id, json_t **out, struct err *e);
/* A page of projects in who's scope, newest first, units with masked phones;
** *total counted up to STORE_COUNT_CAP, *capped 1 when more match. */
int project_list(struct store *st, const struct principal *who, const struct project_filter *f,
		 const struct page *pg, json_t **items, int64_t *total, int *capped, struct err *e);

/* 1 when who may read projects at all (the route gate). */
int project_may_read(const struct principal *who);

#endif
