/*
** api_audit.c: GET /api/audit, for the auditor alone (not the sysadmin nor
** the secadmin: 三员分立). Filters: user, action (a code or a group
** "case.*"), object, outcome, from, to (epoch seconds or YYYY-MM-DD,
** Asia/Shanghai days); paging by page number or after= the last id of the
** page before (org/audit.h audit_list; reading is itself audited).
*/
#include "http/http.h"
#include "org/audit.h"

#include <stdint.h>

static int list_audit(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	struct audit_query q = {
		.user = http_query(r, "user"), .action = http_query(r, "action"),
		.object = http_query(r, "object"), .outcome = http_query(r, "outcome"),
		.continued = r->page_force > 1,   /* GET /api/export: counted and audited on its first page */
	};
	struct audit_list_result res;
	if (http_page(r, &pg, e) || http_query_time(r, "from", 0, &q.from, e) ||
	    http_query_time(r, "to", INT64_MAX, &q.to, e) ||
	    http_query_int(r, "after", 0, 0, INT64_MAX, &q.after, e))
		return e->code;
	if (audit_list(r->st, &r->me, r->now, &q, &pg, &res, e))
		return e->code;
	w->json = http_list(res.items, res.total, &pg);
	json_object_set_new(w->json, "total_capped", json_boolean(res.capped));
	json_object_set_new(w->json, "next_after", res.next_after ? json_integer(res.next_after) : json_null());
	return 0;
}

const struct route api_audit_routes[] = {
	{"GET", "/api/audit", list_audit, ROLE_AUDITOR, 0},
	{NULL},
};
