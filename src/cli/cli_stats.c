/*
** cli_stats.c: `gonggai stats`, the command-line face of statistics
** (stats/stats_query.h, stats/stats_live.h).
**   gonggai stats --db PATH [--period P] [--from D] [--to D] [--group G]
**                 [--format table|json|csv|xlsx] [-o FILE]   a period report
**   gonggai stats overview --db PATH                          the dashboard (JSON)
**   gonggai stats refresh --db PATH                           the light pass (cron)
**   gonggai stats rebuild --db PATH                           recompute every aggregate
**   gonggai stats check --db PATH                             exit 0 equal, 1 + first difference
** The command line reads city-wide unless --department/--district narrows
** it. Sanitizer builds (GG_TESTING) take "now" from $GG_NOW (epoch seconds)
** so tests can run at any instant; release builds use the real clock.
** Owns the store and calendar it opens.
*/
#include "cli/cli.h"
#include "base/clock.h"
#include "base/conf.h"
#include "workday/workday.h"
#include "stats/stats_live.h"
#include "stats/stats_query.h"
#include "db/db.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai stats [SUBCOMMAND] --db PATH [OPTIONS]\n"
	"  (report)  [--period day|month|quarter|year|range] [--from DATE] [--to DATE]\n"
	"            [--group district|department|item|stage|flow-type] [--format table|json|csv|xlsx]\n"
	"            [-o FILE] [--department CODE | --district CODE]\n"
	"            default: the current year to date, grouped by district, as a table.\n"
	"            --from: a date, or YYYY-MM (month), YYYY-Qn (quarter), YYYY (year);\n"
	"            xlsx needs -o and holds a summary sheet and one sheet per grouping.\n"
	"  overview  the dashboard: current counts by district, department, status and light (JSON)\n"
	"  refresh   move the lights that crossed into yellow or red, and recount the months of whole\n"
	"            projects a change has marked off (daily; recorded as a job run)\n"
	"  rebuild   recompute every aggregate from the raw 办件 rows (holds the write lock)\n"
	"  check     refresh the lights, then compare every aggregate with a full recount:\n"
	"            exit 0 when equal, exit 1 and the first difference otherwise\n"
	"  --config FILE  gonggai.ini for the [cases] thresholds (default ./gonggai.ini, optional)\n";

struct args {
	const char *sub, *db, *config, *period, *from, *to, *group, *format, *out, *department, *district;
};

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"config", required_argument, NULL, 'c'},
		{"period", required_argument, NULL, 'p'}, {"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'}, {"group", required_argument, NULL, 'g'},
		{"format", required_argument, NULL, 'F'}, {"output", required_argument, NULL, 'o'},
		{"department", required_argument, NULL, 'D'}, {"district", required_argument, NULL, 'T'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int c;
	memset(a, 0, sizeof *a);
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->db = optarg; break;
		case 'c': a->config = optarg; break;
		case 'p': a->period = optarg; break;
		case 'f': a->from = optarg; break;
		case 't': a->to = optarg; break;
		case 'g': a->group = optarg; break;
		case 'F': a->format = optarg; break;
		case 'o': a->out = optarg; break;
		case 'D': a->department = optarg; break;
		case 'T': a->district = optarg; break;
		case 'h': return 1;
		default: return -1;
		}
	}
	if (optind < argc)
		a->sub = argv[optind++];
	return optind < argc ? -1 : 0;
}

/* ---- the environment ------------------------------------------------------------------ */

struct ctx {
	struct store *st;
	struct cal *cal;
	struct case_env env;
	int64_t now;
	char trigger[80];
};

static int ctx_open(const struct args *a, struct ctx *x, struct err *e)
{
	struct conf *c = NULL;
	struct principal cli;
	memset(x, 0, sizeof *x);
	x->now = cli_now();
	rbac_cli_principal(&cli);
	snprintf(x->trigger, sizeof x->trigger, "%s", cli.username);
	const char *cfg = a->config ? a->config : "gonggai.ini";
	if (conf_load(cfg, a->config == NULL, &c, e) || deadline_conf_load(c, &x->env.dl, e)) {
		conf_free(c);
		return e->code;
	}
	conf_free(c);
	if (db_open(a->db, 0, &x->st, e) || cal_build_store(x->st, &x->cal, e))
		return e->code;
	x->env.cal = x->cal;
	x->env.observers = db_case_observers();
	return 0;
}

static void ctx_close(struct ctx *x)
{
	cal_free(x->cal);
	db_close(x->st);
}

/* ---- report ------------------------------------------------------------------------------ */

static int write_file(const char *path, const char *data, size_t len, struct err *e)
{
	FILE *f = path ? fopen(path, "wb") : stdout;
	if (!f)
		return err_set(e, ERR_INVALID, "output", "无法写入 %s", path);
	int ok = fwrite(data, 1, len, f) == len;
	if (path)
		ok = (fclose(f) == 0) && ok;
	return ok ? 0 : err_set(e, ERR_INTERNAL, "output", "写入失败: %s", path ? path : "stdout");
}

static int do_report(struct ctx *x, const struct args *a, int format, int group, struct err *e)
{
	struct stats_request q = {.now = x->now, .scope = {a->department, a->district}};
	struct stats_report r;
	if (stats_period_parse(a->period, a->from, a->to, deadline_day(x->now), &q.period, e))
		return e->code;
	q.groups[q.ngroups++] = group;
	for (int g = 0; format == 3 && g < SG_COUNT; g++)   /* xlsx: every grouping */
		if (g != group)
			q.groups[q.ngroups++] = g;
	if (stats_lights_if_stale(x->st, &x->env, x->now, x->trigger, e) ||
	    stats_report_build(x->st, &x->env, &q, &r, e))
		return e->code;
	int rc = 0;
	struct buf b = {0};
	if (format == 3) {
		rc = stats_report_xlsx(&r, a->out, e);
	} else {
		if (format == 0) {
			stats_report_table(&r, 0, &b);
		} else if (format == 2) {
			stats_report_csv(&r, 0, &b);
		} else {
			json_t *j = stats_report_json(&r);
			char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
			buf_puts(&b, s ? s : "null");
			buf_puts(&b, "\n");
			free(s);
			json_decref(j);
		}
		rc = write_file(a->out, b.data ? b.data : "", b.len, e);
	}
	buf_free(&b);
	stats_report_free(&r);
	return rc;
}

/* ---- maintenance ----------------------------------------------------------------------- */

static int do_overview(struct ctx *x, const struct args *a, struct err *e)
{
	struct stats_scope sc = {a->department, a->district};
	json_t *o;
	if (stats_lights_if_stale(x->st, &x->env, x->now, x->trigger, e) ||
	    stats_overview(x->st, &sc, x->now, &o, e))
		return e->code;
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(s ? s : "null");
	free(s);
	json_decref(o);
	return 0;
}

static int do_maintain(struct ctx *x, const char *sub, struct err *e)
{
	if (strcmp(sub, "refresh") == 0) {
		struct stats_pass p;
		if (stats_lights(x->st, &x->env, x->now, x->trigger, &p, e))
			return e->code;
		printf("lights refreshed: %lld cases examined, %lld changed; %d months of whole projects recounted "
		       "(run %lld)\n", (long long)p.examined, (long long)p.changed, p.months, (long long)p.run_id);
		return 0;
	}
	if (strcmp(sub, "rebuild") == 0) {
		struct stats_rebuild_result r;
		if (stats_rebuild(x->st, &x->env, x->now, &r, e))
			return e->code;
		printf("rebuilt statistics of %lld cases in %.0f ms\n", (long long)r.cases, r.ms);
		return 0;
	}
	struct stats_check_result c;
	if (stats_check(x->st, &x->env, x->now, x->trigger, &c, e))
		return e->code;
	if (!c.equal) {
		printf("DIFFERENT: %s\n", c.diff);
		return 1;
	}
	printf("equal: %lld cases, every aggregate matches a full recount (lights: %lld examined, %lld changed)\n",
	       (long long)c.cases, (long long)c.pass.examined, (long long)c.pass.changed);
	return 0;
}

int cli_stats(int argc, char **argv)
{
	static const char *const formats[] = {"table", "json", "csv", "xlsx"};
	static const char *const subs[] = {"overview", "refresh", "rebuild", "check"};
	struct args a;
	struct ctx x;
	struct err e;
	int format = 0, group = SG_DISTRICT, rc = parse(argc, argv, &a);
	if (rc > 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (rc < 0 || !a.db)
		return cli_usage(usage, rc < 0 ? "stats: unexpected arguments" : "stats: --db is required");
	int sub = -1;
	for (int i = 0; a.sub && i < 4; i++)
		if (strcmp(a.sub, subs[i]) == 0)
			sub = i;
	if (a.sub && sub < 0)
		return cli_usage(usage, "stats: unknown subcommand '%s'", a.sub);
	for (format = 0; a.format && format < 4 && strcmp(a.format, formats[format]); format++)
		;
	if (format == 4)
		return cli_usage(usage, "stats: --format is table, json, csv or xlsx");
	if (a.group && (group = stats_group_parse(a.group)) < 0)
		return cli_usage(usage, "stats: --group is district, department, item, stage or flow-type");
	if (format == 3 && !a.out)
		return cli_usage(usage, "stats: --format xlsx needs -o FILE");
	if (a.department && a.district)
		return cli_usage(usage, "stats: give --department or --district, not both");
	err_clear(&e);
	if (ctx_open(&a, &x, &e)) {
		ctx_close(&x);
		return cli_fail(&e);
	}
	if (sub < 0)
		rc = do_report(&x, &a, format, group, &e);
	else if (sub == 0)
		rc = do_overview(&x, &a, &e);
	else
		rc = do_maintain(&x, a.sub, &e);
	ctx_close(&x);
	if (rc < 0)
		return e.code == ERR_INVALID && (!strcmp(e.field, "period") || !strcmp(e.field, "from") ||
						 !strcmp(e.field, "to")) ? (cli_fail(&e), 2) : cli_fail(&e);
	return rc;
}
