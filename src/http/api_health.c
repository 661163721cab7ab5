/*
** api_health.c: GET /api/health, the liveness and database probe used by
** load balancers, the self-inspection and the benchmarks. No login. 200
** {"status":"ok"} when the database answers and takes writes (ops/health.h:
** a write probe at most every few seconds), else 503 "degraded" with the
** reason in "db" (and Retry-After when it is locked).
*/
#include "http/http.h"
#include "base/clock.h"
#include "ops/health.h"
#include "db/db.h"

static int health(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct err e2;
	err_clear(&e2);
	int db_ok = db_ping(r->st, &e2) == 0 &&
		(!r->app->health || health_db(r->app->health, r->st, clock_mono_ms(), r->now, &e2) == 0);
	w->status = db_ok ? 200 : 503;
	if (e2.code == ERR_BUSY)
		w->retry_after = HEALTH_PROBE_S;
	w->json = json_pack("{s:s,s:s,s:s}", "status", db_ok ? "ok" : "degraded",
			    "version", GG_VERSION, "db", db_ok ? "ok" : e2.msg);
	return 0;
}

const struct route api_health_routes[] = {
	{"GET", "/api/health", health, 0, R_PUBLIC},
	{NULL},
};
