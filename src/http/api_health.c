/*
** api_health.c: GET /api/health, the liveness and database probe used by
** load balancers, the self-inspection and the benchmarks. No login.
*/
#include "http/http.h"

static int health(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct err e2;
	int db_ok = store_ping(r->st, &e2) == 0;
	w->status = db_ok ? 200 : 503;
	w->json = json_pack("{s:s,s:s,s:s}", "status", db_ok ? "ok" : "degraded",
			    "version", GG_VERSION, "db", db_ok ? "ok" : e2.msg);
	return 0;
}

const struct route api_health_routes[] = {
	{"GET", "/api/health", health, 0, R_PUBLIC},
	{NULL},
};
