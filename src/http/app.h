/*
** app.h: the running server's shared state, built by `gonggai serve` before
** the HTTP threads start and torn down after they stop. Handlers read it;
** the parts that change at run time (sessions, metrics, calendar) carry
** their own locks.
*/
#ifndef GG_APP_H
#define GG_APP_H

#include <stdint.h>

#include "base/buf.h"
#include "base/clock.h"
#include "base/conf.h"
#include "approval/deadline.h"
#include "org/auth.h"
#include "org/session.h"
#include "store/store.h"

struct metrics;
struct app;
struct cal_shared;
struct ops_sched;
struct db_health;
struct quality_sources;
struct archive_sources;
struct pw_providers;
struct repair_hooks;

/* A module that adds lines to /metrics registers one of these. */
typedef void (*metrics_hook)(struct app *app, struct buf *out);

#define APP_MAX_HOOKS 8

/* [server] limits of the HTTP server (server_conf_load, server.h). */
struct http_limits {
	int max_connections;   /* all clients together                         */
	int per_ip;            /* open connections from one address, 0: no cap */
	int timeout_s;         /* a connection silent this long is closed      */
	int conn_memory_kib;   /* per connection: request line, headers, query */
};

struct app {
	const struct conf *conf;
	struct clock clock;
	struct store_pool *pool;
	struct session_table *sessions;
	struct auth_policy policy;
	struct auth_gate *gate;
	struct metrics *metrics;
	struct cal_shared *cal;         /* working days: workday/workday.h  */
	struct deadline_conf deadlines; /* [cases] thresholds: approval/deadline.h */
	struct case_cache *case_cache;  /* rendered case details: approval/case_cache.c */
	struct case_writer *case_writer;  /* group commit of case actions: approval/case_writer.c */
	struct ops_sched *ops;         /* scheduler: ops/sched.h, NULL when off */
	struct db_health *health;      /* write probe: ops/health.h         */
	const struct quality_sources *quality_sources;  /* the province's rejections for 数据质检
				       (quality/quality.h), set by the wiring; NULL: none */
	const struct repair_hooks *repair_hooks;  /* 数据修复: the exchange's withdrawal (repair/repair.h), NULL: none */
	const struct archive_sources *archive;   /* 运维档案 sources of modules above: archive/archive.h */
	const struct pw_providers *paperwork;    /* sections of the O&M reports: paperwork/paperwork.h */
	int64_t started_at;
	int64_t upload_max;            /* bytes of an R_RAW_BODY request ([files] max_mb) */
	int threads;
	char web_root[512];            /* web application on disk; "": the
					  copy in the binary (http/static.h) */
	char metrics_allow[512];       /* addresses allowed to read /metrics */
	char trusted_proxies[512];     /* peers whose X-Forwarded-For counts */
	struct http_limits limits;
	int secure_cookies;            /* [server] secure_cookies: the session
					  cookie carries Secure (TLS in front) */
	metrics_hook hooks[APP_MAX_HOOKS];
	int nhooks;
};

#endif
