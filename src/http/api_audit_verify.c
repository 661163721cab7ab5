/*
** api_audit_verify.c: POST /api/audit/verify, for the auditor: walks the
** audit hash chain with the same function as `gonggai audit verify`
** (org/audit.h) and answers {"ok","records","bad_id","reason"}. The check
** is itself recorded (audit.verify, outcome success or failure).
*/
#include "http/http.h"
#include "org/audit.h"

static int verify(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct audit_verdict v;
	if (audit_verify(r->st, &v, e))
		return e->code;
	if (audit_write(r->st, &r->me, r->now, "audit.verify", "audit_log", v.bad_id ? "failure" : "success",
			json_pack("{s:I,s:I}", "records", (json_int_t)v.records, "bad_id", (json_int_t)v.bad_id), e))
		return e->code;
	w->json = json_pack("{s:b,s:I,s:o,s:s}", "ok", !v.bad_id, "records", (json_int_t)v.records,
			    "bad_id", v.bad_id ? json_integer(v.bad_id) : json_null(), "reason", v.reason);
	return 0;
}

const struct route api_audit_verify_routes[] = {
	{"POST", "/api/audit/verify", verify, ROLE_AUDITOR, 0},
	{NULL},
};
