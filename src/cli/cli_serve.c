/*
** cli_serve.c: `gonggai serve`: build the shared state (config, database
** pool, sessions, metrics), start the HTTP server and the background
** workers, wait for SIGTERM/SIGINT, then stop accepting, let in-flight
** requests finish, close the database and exit 0.
*/
#include "cli/cli.h"
#include "approval/case.h"
#include "approval/case_files.h"
#include "workday/workday.h"
#include "base/log.h"
#include "http/app.h"
#include "http/metrics.h"
#include "http/router.h"
#include "http/server.h"
#include "archive/archive.h"
#include "cli/cli_ext.h"
#include "http/api_exchange.h"
#include "ops/health.h"
#include "ops/sched.h"
#include "db/db.h"

#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char usage[] =
	"usage: gonggai serve --db PATH [--listen HOST:PORT] [--config FILE] [--web DIR]\n"
	"  Serve the API and the web application. Options override gonggai.ini:\n"
	"  --db PATH        database ([database] path)\n"
	"  --listen H:P     address, default 127.0.0.1:8080 ([server] listen; port 0: any free port)\n"
	"  --config FILE    configuration file, default ./gonggai.ini (optional)\n"
	"  --web DIR        serve the web application from DIR ([server] web_root; for\n"
	"                   development) instead of the copy built into the binary\n"
	"  --threads N      HTTP worker threads, default: number of cores ([server] threads)\n"
	"  Prints 'listening on http://HOST:PORT' when ready; SIGTERM/SIGINT stop it cleanly.\n";

static int parse_args(int argc, char **argv, struct conf *c, const char **config)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"listen", required_argument, NULL, 'l'},
		{"config", required_argument, NULL, 'c'}, {"web", required_argument, NULL, 'w'},
		{"threads", required_argument, NULL, 't'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': conf_set(c, "database", "path", optarg); break;
		case 'l': conf_set(c, "server", "listen", optarg); break;
		case 'c': *config = optarg; break;
		case 'w': conf_set(c, "server", "web_root", optarg); break;
		case 't': conf_set(c, "server", "threads", optarg); break;
		case 'h': fputs(usage, stdout); return 1;
		default: return -1;
		}
	}
	return optind < argc ? -1 : 0;
}

/* Flags first into a scratch conf, then the file, then flags again on top. */
static int load_config(int argc, char **argv, struct conf **out)
{
	const char *config = "gonggai.ini";
	struct conf *flags = conf_new();
	int rc = parse_args(argc, argv, flags, &config);
	conf_free(flags);
	if (rc)
		return rc > 0 ? 0 : cli_usage(usage, NULL);
	struct err e = {0};
	if (conf_load(config, strcmp(config, "gonggai.ini") == 0, out, &e))
		return cli_fail(&e);
	parse_args(argc, argv, *out, &config);
	if (!conf_get(*out, "database", "path"))
		return cli_usage(usage, "serve: --db PATH is required");
	return -1;   /* continue */
}

/* Built-in notices plus the years loaded into the database (they win). */
static int build_calendar(struct app *app, struct err *e)
{
	struct store *st = db_pool_get(app->pool);
	struct cal *cal;
	int rc = cal_build_store(st, &cal, e);
	db_pool_put(app->pool, st);
	return rc ? rc : cal_shared_new(cal, &app->cal, e);
}

static int build_app(struct app *app, const struct conf *c, struct err *e)
{
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	memset(app, 0, sizeof *app);
	app->conf = c;
	app->clock = CLOCK_REAL;
	app->started_at = clock_now(&app->clock);
	if (conf_int_ok(c, "server", "threads", 1, 64, e) || server_conf_load(c, app, e) ||
	    auth_policy_load(c, &app->policy, e) || deadline_conf_load(c, &app->deadlines, e) ||
	    case_files_max_bytes(c, &app->upload_max, e))
		return e->code;
	app->threads = (int)conf_int(c, "server", "threads", cores > 0 ? cores : 2);
	snprintf(app->web_root, sizeof app->web_root, "%s", conf_str(c, "server", "web_root", ""));
	snprintf(app->metrics_allow, sizeof app->metrics_allow, "%s",
		 conf_str(c, "server", "metrics_allow", "127.0.0.1,::1"));
	snprintf(app->trusted_proxies, sizeof app->trusted_proxies, "%s",
		 conf_str(c, "server", "trusted_proxies", ""));
	if (db_pool_open(conf_get(c, "database", "path"), app->threads,
			    strcmp(conf_str(c, "database", "synchronous", "normal"), "full") == 0 ? STORE_SYNC_FULL : 0, c,
			    &app->pool, e))
		return e->code;
	app->sessions = session_table_new(app->policy.idle_minutes * 60,
					  (int)conf_int(c, "security", "session_recheck_seconds", 5));
	app->gate = auth_gate_new((int)conf_int(c, "security", "max_concurrent_hashing", 2));
	app->metrics = metrics_new(router_count());
	app->case_cache = case_cache_new(4096);
	app->health = health_new();
	if (case_writer_start(conf_get(c, "database", "path"),
			      strcmp(conf_str(c, "database", "synchronous", "normal"), "full") == 0 ? STORE_SYNC_FULL : 0,
			      app->pool, &app->case_writer, e))
		return e->code;
	return build_calendar(app, e);
}

/* 运维档案: this start, its version, build, configuration and migrations. */
static int record_start(struct app *app, const struct conf *c, struct err *e)
{
	struct store *st = db_pool_get(app->pool);
	int rc = archive_record_start(st, c, clock_now(&app->clock), e);
	db_pool_put(app->pool, st);
	return rc;
}

/* The case writer first: its queue may still hold calendar references. */
static void free_app(struct app *app)
{
	case_writer_stop(app->case_writer);
	cal_shared_free(app->cal);
	case_cache_free(app->case_cache);
	health_free(app->health);
	metrics_free(app->metrics);
	auth_gate_free(app->gate);
	session_table_free(app->sessions);
	db_pool_close(app->pool);
}

/* What the scheduler sees of the server (ops_host, ops.h). */
static void host_counters(const struct ops_host *h, double *requests, double *errors_5xx, double *p99_seconds)
{
	const struct app *app = h->ctx;
	struct metrics_summary s;
	metrics_summary(app->metrics, &s);
	*requests = (double)s.requests;
	*errors_5xx = (double)s.errors_5xx;
	*p99_seconds = s.p99_seconds;
}

static void sched_metrics(struct app *app, struct buf *o)
{
	ops_sched_metrics(app->ops, clock_now(&app->clock), o);
}

/* The scheduler, once the server listens on port: app->ops, its /metrics lines. */
static int start_sched(struct app *app, struct ops_host *h, struct ops_lock *lk, int port, const struct ops_ext *ext,
		       struct err *e)
{
	*h = (struct ops_host){.conf = app->conf, .clock = &app->clock, .cal = app->cal,
			       .started_at = app->started_at, .threads = app->threads, .counters = host_counters,
			       .ctx = app, .slow_route = metrics_route_hashes};
	if (ops_sched_start(h, lk, port, ext, &app->ops, e))
		return e->code;
	if (app->nhooks < APP_MAX_HOOKS)
		app->hooks[app->nhooks++] = sched_metrics;
	return 0;
}

int cli_serve(int argc, char **argv)
{
	struct conf *c = NULL;
	int rc = load_config(argc, argv, &c);
	if (rc >= 0) {
		conf_free(c);
		return rc;
	}
	struct app app;
	struct server *srv = NULL;
	struct err e = {0};
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);   /* every thread inherits the mask */
	signal(SIGPIPE, SIG_IGN);
	log_setup(conf_get(c, "log", "file"), LOG_INFO);
	struct ops_lock lock;   /* shared: no restore swaps the file while we serve */
	if (ops_lock_shared(conf_get(c, "database", "path"), &lock, &e) || ops_lock_server(&lock, &e)) {
		ops_lock_release(&lock);
		conf_free(c);
		return cli_fail(&e);
	}
	struct cli_ext ext;   /* the modules registered from above */
	if (cli_ext_setup(c, &ext, &e)) {
		ops_lock_release(&lock);
		conf_free(c);
		return cli_fail(&e);
	}
	int built = build_app(&app, c, &e);
	struct ops_conf pw_ops;   /* what the reports' inspection and backup sections read */
	built = built ? built : ops_conf_load(c, conf_get(c, "database", "path"), &pw_ops, &e);
	if (!built)
		cli_ext_paperwork(&ext, &pw_ops);
	app.archive = &ext.archive;
	app.paperwork = &ext.paperwork;
	app.quality_sources = ext.quality.sources;
	app.repair_hooks = &ext.repair;
	if (built || record_start(&app, c, &e) ||
	    server_start(&app, conf_str(c, "server", "listen", "127.0.0.1:8080"), &srv, &e)) {
		free_app(&app);
		cli_ext_free(&ext);
		ops_lock_release(&lock);
		conf_free(c);
		return cli_fail(&e);
	}
	/* background workers (scheduler) start here */
	struct ops_host ops_host;   /* outlives the scheduler */
	if (start_sched(&app, &ops_host, &lock, server_port(srv), &ext.ops, &e)) {
		server_stop(srv);
		free_app(&app);
		cli_ext_free(&ext);
		ops_lock_release(&lock);
		conf_free(c);
		return cli_fail(&e);
	}
	struct desk_sender *sender = NULL;   /* SLA sweep and webhook deliveries, off the request path */
	if (desk_sender_start(conf_get(c, "database", "path"), &ext.desk, &sender, &e))
		log_error("desk", "desk worker not started: %s", e.msg);
	if (app.nhooks < APP_MAX_HOOKS)
		app.hooks[app.nhooks++] = api_exchange_metrics;
	char host[64];
	snprintf(host, sizeof host, "%s", conf_str(c, "server", "listen", "127.0.0.1:8080"));
	*strrchr(host, ':') = 0;
	printf("listening on http://%s:%d\n", host, server_port(srv));
	fflush(stdout);
	log_info("serve", "listening on %s:%d with %d threads", host, server_port(srv), app.threads);
	int sig = 0;
	sigwait(&sigs, &sig);
	log_info("serve", "signal %d: stopping", sig);
	desk_sender_stop(sender);
	ops_sched_stop(app.ops);   /* wakes API requests waiting for a job */
	server_stop(srv);
	ops_sched_free(app.ops);
	app.ops = NULL;
	free_app(&app);
	cli_ext_free(&ext);
	ops_lock_release(&lock);
	conf_free(c);
	log_info("serve", "stopped cleanly");
	return 0;
}
