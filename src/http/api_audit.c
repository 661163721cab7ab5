/*
** api_audit.c: GET /api/audit, for the auditor alone (not the sysadmin nor
** the secadmin: 三员分立). Filters: user, action, from, to (epoch seconds or
** YYYY-MM-DD, Asia/Shanghai days), paging. Reading is itself audited.
*/
#include "http/http.h"
#include "org/audit.h"

#include <stdlib.h>
#include <string.h>

static int list_audit(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	int64_t from, to, total;
	json_t *items;
	if (http_page(r, &pg, e) || http_query_time(r, "from", 0, &from, e) ||
	    http_query_time(r, "to", INT64_MAX, &to, e))
		return e->code;
	if (audit_list(r->st, &r->me, r->now, http_query(r, "user"), http_query(r, "action"), from, to, &pg, &items,
		       &total, e))
		return e->code;
	w->json = http_list(items, total, &pg);
	return 0;
}

const struct route api_audit_routes[] = {
	{"GET", "/api/audit", list_audit, ROLE_AUDITOR, 0},
	{NULL},
};
