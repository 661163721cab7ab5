/*
** api_exchange.c: the 前置库 exchange over HTTP (exchange/exchange.h).
**
**   GET  /api/exchange          status: rows per table and state, current rejections, last push/pull
**   GET  /api/exchange/runs     push and pull runs, newest first (paged)
**   POST /api/exchange/push     {"wait"?}: run the exchange.push job now (ops); 202 with run_id,
**                               200 with the finished run when waited for
**
** And the /metrics lines gonggai_exchange_rows{table,state} (api_exchange_metrics,
** registered by `serve`).
*/
#include "http/api_exchange.h"
#include "exchange/exchange.h"
#include "ops/sched.h"
#include "db/db.h"

#include <stdio.h>
#include <string.h>

#define READ_ROLES (ROLE_OPS | ROLE_SYSADMIN | ROLE_LEADER)
#define WAIT_MS 60000

static int conf_of(struct http_req *r, struct exchange_conf *cf, struct err *e)
{
	return exchange_conf_load(r->app->conf, cf, e);
}

static int status(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct exchange_conf cf;
	if (conf_of(r, &cf, e) || exchange_status(r->st, &cf, &w->json, e))
		return e->code;
	json_object_set_new(w->json, "enabled", json_boolean(cf.target[0] != 0));
	json_object_set_new(w->json, "interval_minutes", json_integer(cf.interval_minutes));
	return 0;
}

static int runs(struct http_req *r, struct http_resp *w, struct err *e)
{
	struct page pg;
	json_t *items;
	int64_t total;
	if (http_page(r, &pg, e) || exchange_runs(r->st, &pg, &items, &total, e))
		return e->code;
	w->json = http_list(items, total, &pg);
	return 0;
}

static int push(struct http_req *r, struct http_resp *w, struct err *e)
{
	static const struct jfield f[] = {{"wait", J_BOOL, 0}, {NULL}};
	struct exchange_conf cf;
	int64_t id;
	if (http_body(r, f, e) || conf_of(r, &cf, e))
		return e->code;
	if (!cf.target[0])
		return err_set(e, ERR_CONFLICT, "target", "未配置前置库（[exchange] target），数据上报未开启");
	if (!r->app->ops)
		return err_set(e, ERR_CONFLICT, "", "运维调度器未运行 (scheduler not running)");
	if (ops_sched_submit_ext(r->app->ops, r->st, "exchange.push", &r->me, r->now, &id, e))
		return e->code;
	if (json_is_true(json_object_get(r->json, "wait")) && ops_sched_wait(r->app->ops, id, WAIT_MS)) {
		struct page pg = {1, 1};
		json_t *items;
		int64_t total;
		if (exchange_runs(r->st, &pg, &items, &total, e))
			return e->code;
		w->json = json_pack("{s:I,s:s,s:O}", "run_id", (json_int_t)id, "state", "done", "exchange",
				    json_array_size(items) ? json_array_get(items, 0) : json_null());
		json_decref(items);
		return 0;
	}
	w->status = 202;
	w->json = json_pack("{s:I,s:s,s:s}", "run_id", (json_int_t)id, "job", "exchange.push", "state", "running");
	return 0;
}

void api_exchange_metrics(struct app *app, struct buf *o)
{
	static const char *const states[] = {"pending", "sent", "accepted", "rejected"};
	struct exchange_conf cf;
	struct err e = {0};
	json_t *st_json, *t;
	size_t i;
	if (exchange_conf_load(app->conf, &cf, &e) || !cf.target[0])
		return;
	struct store *st = db_pool_get(app->pool);
	int rc = exchange_status(st, &cf, &st_json, &e);
	db_pool_put(app->pool, st);
	if (rc)
		return;
	buf_puts(o, "# HELP gonggai_exchange_rows Rows reported to the 前置库 by table and state (pending: due, "
		 "sent: not final, accepted: SJSCZT 3, rejected: SJSCZT 2 not yet corrected).\n"
		 "# TYPE gonggai_exchange_rows gauge\n");
	json_array_foreach(json_object_get(st_json, "tables"), i, t)
		for (int k = 0; k < 4; k++)
			buf_printf(o, "gonggai_exchange_rows{table=\"%s\",state=\"%s\"} %lld\n",
				   json_string_value(json_object_get(t, "table")), states[k],
				   (long long)json_integer_value(json_object_get(t, states[k])));
	json_decref(st_json);
}

const struct route api_exchange_routes[] = {
	{"GET", "/api/exchange", status, READ_ROLES, 0},
	{"GET", "/api/exchange/runs", runs, READ_ROLES, 0},
	{"POST", "/api/exchange/push", push, ROLE_OPS, 0},
	{NULL, NULL, NULL, 0, 0},
};
