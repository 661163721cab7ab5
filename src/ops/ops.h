/*
** ops.h: built-in operations, part one: configuration and inspections.
**
** The O&M contract's 日常巡检 becomes a set of inspection items in the
** Zabbix/Nagios mould: each measures one thing and answers OK, WARN, CRIT or
** UNKNOWN (the Nagios codes 0..3) with a value, its unit, the thresholds in
** force and a message in Chinese. UNKNOWN means the check itself could not
** run; a timeout is CRIT. Items belong to groups that run on their own
** schedules (sched.h): host (weekly), app (working days 08:00), db (daily
** after the nightly backup), logs (daily after cleanup), net (every 5 min).
**
** ops_inspect runs a selection of items, then stores the run, every result,
** the item states and state changes in one transaction (store_ops.h).
**
** Configuration: [ops] (schedules, directories, retention) and [inspect]
** (thresholds as `<item>.warn` / `<item>.crit`, endpoints, probe settings)
** of gonggai.ini; every key has a default that suits a fresh install
** (docs/operations.md lists them). struct ops_conf is filled once and then
** only read.
**
** Ownership: ops_inspect fills a caller-owned struct ops_inspection whose
** results array is freed with ops_inspection_free (on failure ops_inspect
** has freed it already).
*/
#ifndef GG_OPS_H
#define GG_OPS_H

#include <jansson.h>
#include <stdint.h>

#include "base/conf.h"
#include "base/dict.h"
#include "base/err.h"
#include "org/rbac.h"
#include "store/store_ops.h"

struct app;

enum ops_status { OPS_OK = 0, OPS_WARN = 1, OPS_CRIT = 2, OPS_UNKNOWN = 3 };

/* ops.status (OK WARN CRIT UNKNOWN → 正常 警告 严重 未知) for GET /api/dict. */
extern const struct dict ops_dicts[];

/* "OK" "WARN" "CRIT" "UNKNOWN". */
const char *ops_status_name(int status);
/* 正常 警告 严重 未知 */
const char *ops_status_cn(int status);
/* The worse of a and b: CRIT > UNKNOWN > WARN > OK (a real fault outranks
** a check that could not tell). */
int ops_status_worse(int a, int b);

/* ---- configuration ---------------------------------------------------------- */

#define OPS_MAX_ENDPOINTS 16

struct ops_endpoint {
	char name[32];            /* item net.<name>: [a-z0-9_-]               */
	char url[256];            /* tcp://host:port, http://..., https://...  */
};

struct ops_ext;

/* Defaults of [inspect] updates_command and min_versions (Debian 12's). */
#define OPS_UPDATES_COMMAND "LC_ALL=C apt-get -s -o Debug::NoLocking=1 upgrade 2>/dev/null"
#define OPS_MIN_VERSIONS "sqlite=3.40.0,libmicrohttpd=0.9.75,jansson=2.14,libsodium=1.0.18,libcurl=7.88.0"

struct ops_conf {
	const struct conf *conf;  /* for [inspect] thresholds; may be NULL       */
	const struct ops_ext *ext;/* items, jobs, observers of modules above ops;
				     NULL: none (set by the caller after load)  */
	char db_path[512];
	char backup_dir[512];     /* [ops] backup_dir, default <db dir>/backups   */
	char tmp_dir[512];        /* [ops] tmp_dir, default <db dir>/tmp          */
	char log_file[512];       /* [log] file ("" when logging to stderr)       */
	int scheduler;            /* [ops] scheduler = on|off                      */
	int backup_keep_daily, backup_keep_monthly;
	int app_at, host_at, backup_at, cleanup_at, drill_at;   /* minutes of day */
	int host_weekday, drill_weekday;                        /* 1 Mon .. 7 Sun */
	int net_interval;         /* seconds                                       */
	int catchup_delay;        /* seconds between catch-up runs after start     */
	int lease_inspect, lease_backup;                        /* seconds        */
	int probe_timeout_ms;
	char app_url[256];        /* [inspect] app_url: base URL of the server     */
	char ntp_server[128];     /* [inspect] ntp_server ("" : kernel state only) */
	char ca_file[512];        /* [inspect] ca_file for HTTPS probes            */
	char updates_command[256];/* [inspect] updates_command: apt-get simulation */
	char min_versions[512];   /* [inspect] min_versions "sqlite=3.40.0,…"      */
	char clamav_dir[256];     /* [inspect] clamav_dir                          */
	struct ops_endpoint endpoints[OPS_MAX_ENDPOINTS];
	int nendpoints;
	int64_t log_rotate_bytes;
	int log_rotate_days, log_keep_days, tmp_keep_hours, results_keep_days;
};

/* Read and validate the configuration for the database at db_path (c may be
** NULL: all defaults). ERR_INVALID names the malformed key. */
int ops_conf_load(const struct conf *c, const char *db_path, struct ops_conf *out, struct err *e);

/* ---- the running server, as the command line sees it ----------------------------- */

struct ops_server {
	int running;              /* a `gonggai serve` holds the database          */
	int pid;
	int threads;              /* its HTTP worker threads                        */
	char url[256];            /* "http://127.0.0.1:8080"                        */
	int64_t started_at;
};

/* ---- inspections ---------------------------------------------------------------- */

/* What a probe may use. app is the running server when inspecting from
** inside `serve` (NULL from the command line, which reads srv instead). */
struct ops_env {
	const struct ops_conf *cf;
	struct store *st;
	int64_t now;
	struct app *app;
	struct ops_server srv;
	const volatile int *stop; /* non-zero: give up between items (may be NULL) */
};

struct ops_inspection {
	int64_t run_id;
	int status;               /* worst of the results                       */
	struct ops_result *items;
	int n;
	int changes;              /* items whose status changed in this run      */
};

/* 0 when every name in the comma-separated list `only` is an item, an item
** prefix ("host.disk") or a group ("net"); else ERR_INVALID naming it. */
int ops_only_check(const struct ops_conf *cf, const char *only, struct err *e);

/* Names of the built-in items and of the configured endpoint items, in run
** order, as a JSON array of {item, group, title, unit}. */
json_t *ops_items_json(const struct ops_conf *cf);

/* Run the items selected by `only` (NULL: all) as job (e.g. "inspect.manual",
** "inspect.net"), on behalf of who (trigger "scheduler" when who is NULL;
** manual runs are audited as ops.inspect). The run is claimed with a lease
** (store_ops_run_claim). With run_id > 0 an already claimed run is used. */
int ops_inspect(struct ops_env *env, const char *job, const struct principal *who,
		const char *only, int64_t run_id, struct ops_inspection *out, struct err *e);
void ops_inspection_free(struct ops_inspection *in);

/* {"run_id":N,"status":"OK","items":[{"item","status","value","unit","warn",
** "crit","message"}, ...]} (the shape of `gonggai inspect --json`). */
json_t *ops_inspection_json(const struct ops_inspection *in);
json_t *ops_result_json(const struct ops_result *r);

/* ---- extensions registered from above ------------------------------------------------ */
/*
** Domain modules above ops (exchange, quality, desk …) add inspection items,
** scheduled jobs and observers without ops including them: the wiring at
** the top (src/cli/cli_ext.c, used by `serve` and the CLI verbs) fills a
** struct ops_ext and points ops_conf.ext at it. The ext and every ctx in it
** belong to the wiring and outlive the conf that points at them.
*/
struct ops_ext_item;
typedef void (*ops_ext_probe_fn)(const struct ops_ext_item *it, struct ops_env *env, struct ops_result *r);

struct ops_ext_item {
	const char *name;         /* "exchange.backlog"                                 */
	const char *group;        /* a group of its own ("exchange") or host app db logs net */
	const char *title;        /* 中文名称                                             */
	const char *unit;
	int lower_bad;            /* 1: a value below the threshold is bad              */
	double warn, crit;        /* defaults (NAN: none); [inspect] <name>.warn/.crit win */
	ops_ext_probe_fn probe;   /* r arrives UNKNOWN with item, unit, warn, crit set   */
	void *ctx;
};

/* A job run by the scheduler of `serve` on its schedule and on demand, with
** an ops_runs row (leased, exclusive) like the backups: the scheduler claims
** the run, calls run, closes the run as done or failed, logs a failure at
** ERROR and tells the observers' on_job_failed (on_job_succeeded when it
** succeeded). */
struct ops_ext_job {
	const char *name;         /* ops_runs job name, "exchange.push"                 */
	int interval_s;           /* > 0: every interval_s seconds                      */
	int at_minute;            /* interval_s == 0: daily at this minute (Asia/Shanghai) */
	int lease_s;              /* 0: [ops] lease of the backups                      */
	/* *report (may stay NULL) is stored as the run's details; the run's
	** message is the report's "message" string when there is one. */
	int (*run)(void *ctx, struct ops_env *env, const struct principal *who, int64_t run_id,
		   json_t **report, struct err *e);
	void *ctx;
};

struct ops_ext_observer {
	/* After every recorded inspection run (scheduled, manual, CLI). */
	void (*on_inspection)(void *ctx, struct ops_env *env, const struct ops_inspection *in);
	/* After a failed scheduled or requested job (backup, drill, cleanup, ext jobs). */
	void (*on_job_failed)(void *ctx, struct ops_env *env, const char *job, int64_t run_id, const struct err *e);
	/* After a job of the same kinds (and an inspection run, by its job name)
	** that succeeded: run_id is its ops_runs row. Called on every success;
	** the observer decides whether it is news. */
	void (*on_job_succeeded)(void *ctx, struct ops_env *env, const char *job, int64_t run_id);
	void *ctx;
};

#define OPS_EXT_MAX 16
struct ops_ext {
	struct ops_ext_item items[OPS_EXT_MAX];
	int nitems;
	struct ops_ext_job jobs[OPS_EXT_MAX];
	int njobs;
	struct ops_ext_observer observers[OPS_EXT_MAX];
	int nobservers;
};

/* Add to x (asserts on capacity and on a duplicate name: a wiring mistake). */
void ops_ext_add_item(struct ops_ext *x, const struct ops_ext_item *it);
void ops_ext_add_job(struct ops_ext *x, const struct ops_ext_job *j);
void ops_ext_add_observer(struct ops_ext *x, const struct ops_ext_observer *o);
/* The job called name in cf's ext, NULL when none. */
const struct ops_ext_job *ops_ext_job_find(const struct ops_conf *cf, const char *name);

/* Grade value against r's thresholds in the direction of it and set the
** message; ops_ext_status sets status and message without a value. */
void ops_ext_grade(const struct ops_ext_item *it, struct ops_result *r, double value, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
void ops_ext_status(struct ops_result *r, int status, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* Run job j once as who (NULL: the scheduler): claim a run unless run_id > 0,
** call it, close the run, tell the observers on failure. *run_out (may be
** NULL) gets the run id. The result is the job's. */
int ops_ext_run(struct ops_env *env, const struct ops_ext_job *j, const struct principal *who, int64_t run_id,
		int64_t *run_out, struct err *e);
/* Tell every observer of cf that job failed (used by the scheduler for the
** built-in jobs too). */
void ops_ext_job_failed(struct ops_env *env, const char *job, int64_t run_id, const struct err *e);
/* Tell every observer of cf that job succeeded (run run_id). */
void ops_ext_job_succeeded(struct ops_env *env, const char *job, int64_t run_id);

/* Compare dotted versions numerically ("3.40.1" > "3.40"): <0, 0, >0. */
int ops_version_cmp(const char *a, const char *b);

/* A measured value as people read it: whole numbers from 100 up, one
** decimal from 10, two below (trailing zeros dropped), then " unit":
** "0.48", "19.2 %", "1197 ms", "0.1 小时". "-" for NAN. */
void ops_value_text(double v, const char *unit, char *out, size_t cap);

/* The trigger text of a principal: "scheduler", "cli:<login>", "api:<user>". */
void ops_trigger(const struct principal *who, char *out, size_t cap);

/* Create dir (and its parents) and put its absolute path into abs. */
int ops_mkdir(const char *dir, char *abs, size_t cap, struct err *e);

/* The principal of the scheduler's own actions ("system:scheduler"). */
void ops_scheduler_principal(struct principal *p);

/* Title (Chinese) of an item, "" when unknown; endpoint items get theirs. */
const char *ops_item_title(const struct ops_conf *cf, const char *item, char *buf, size_t cap);
/* Threshold text for reports: "≥80 警告, ≥90 严重" (direction of the item). */
void ops_threshold_text(const char *item, double warn, double crit, const char *unit,
			char *out, size_t cap);

#endif
