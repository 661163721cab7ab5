/*
** cli_report.c: `gonggai report inspection --db PATH --day DATE | --month
** YYYY-MM --format xlsx|html [-o FILE]`: the daily or monthly inspection
** report (ops/report.h); `gonggai report monthly|annual --db PATH --from
** DATE --to DATE --format xlsx|html|json [-o FILE]`: the O&M reports
** (paperwork/paperwork.h); `gonggai report business --db PATH --from DATE
** --to DATE [--format xlsx|html|json] [-o FILE] [--json]`: 营商环境 —
** 办理建筑许可 (business/business.h). Without -o the file is
** KIND-LABEL.FORMAT in the current directory; `-o -` writes HTML or JSON to
** stdout (--json: the JSON document on stdout). Prints the path.
*/
#include "cli/cli.h"
#include "base/clock.h"
#include "business/business.h"
#include "workday/workday.h"
#include "cli/cli_ext.h"
#include "cli/cli_ops.h"
#include "ops/report.h"
#include "db/db.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai report inspection --db PATH (--day YYYY-MM-DD | --month YYYY-MM)\n"
	"                                 [--format xlsx|html] [-o FILE] [--config FILE]\n"
	"  The 日/月巡检报告 with the 巡检记录表 (days in Asia/Shanghai). Default format xlsx,\n"
	"  default file inspection-DATE.FORMAT; -o - writes HTML to stdout.\n"
	"       gonggai report monthly|annual --db PATH --from YYYY-MM-DD --to YYYY-MM-DD\n"
	"                                 [--format xlsx|html|json] [-o FILE] [--config FILE]\n"
	"  The 月度运维报告 / 年度运维总结报告 (annual: monthly trends and one section per\n"
	"  service row of the contract's 第一条). Default file KIND-FROM.FORMAT.\n"
	"       gonggai report business --db PATH --from YYYY-MM-DD --to YYYY-MM-DD\n"
	"                                 [--format xlsx|html|json] [-o FILE] [--json] [--config FILE]\n"
	"  营商环境—办理建筑许可: projects whose 竣工验收 completed in the period, their\n"
	"  procedures, working and natural days and official fees against the 65/90-day\n"
	"  targets, medians per flow type and the slowest projects stage by stage.\n"
	"  Default file business-FROM.FORMAT; --json prints the JSON document instead.\n";

struct args {
	const char *db, *day, *month, *format, *out, *config, *from, *to;
	int json;
};

/* A rendered report: its bytes to stdout, or the name of the file it was written to. Frees body. */
static int emit(int to_stdout, const char *path, char *body, size_t len)
{
	if (to_stdout)
		fwrite(body, 1, len, stdout);
	else
		printf("%s\n", path);
	free(body);
	return 0;
}

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"day", required_argument, NULL, 'D'},
		{"month", required_argument, NULL, 'M'}, {"format", required_argument, NULL, 'f'},
		{"output", required_argument, NULL, 'o'}, {"config", required_argument, NULL, 'c'},
		{"from", required_argument, NULL, 'F'}, {"to", required_argument, NULL, 'T'},
		{"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int ch;
	memset(a, 0, sizeof *a);
	a->format = "xlsx";
	optind = 0;
	while ((ch = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': a->db = optarg; break;
		case 'D': a->day = optarg; break;
		case 'M': a->month = optarg; break;
		case 'f': a->format = optarg; break;
		case 'o': a->out = optarg; break;
		case 'c': a->config = optarg; break;
		case 'F': a->from = optarg; break;
		case 'T': a->to = optarg; break;
		case 'j': a->json = 1; break;
		case 'h': return 1;
		default: return -1;
		}
	}
	return optind < argc ? -1 : 0;
}

static int render(const struct args *a, const struct ops_conf *cf, const struct ops_period *p, int format,
		  struct err *e)
{
	struct store *st;
	struct principal cli;
	char path[600], *body = NULL;
	size_t len = 0;
	int to_stdout = a->out && strcmp(a->out, "-") == 0;
	if (to_stdout && format != OPS_REPORT_HTML)
		return err_set(e, ERR_INVALID, "output", "-o - 只用于 html (stdout is for html only)");
	if (a->out)
		snprintf(path, sizeof path, "%s", a->out);
	else
		snprintf(path, sizeof path, "inspection-%s.%s", p->label, format == OPS_REPORT_XLSX ? "xlsx" : "html");
	if (db_open(cf->db_path, 0, &st, e))
		return e->code;
	rbac_cli_principal(&cli);
	int rc = ops_report_render(st, cf, &cli, clock_now(NULL), p, format, to_stdout ? NULL : path, &body, &len, e);
	db_close(st);
	if (rc)
		return rc;
	return emit(to_stdout, path, body, len);
}

static int paperwork(const struct args *a, const struct ops_conf *cf, const struct conf *c, int kind,
		     int64_t from, int64_t to, int format, struct err *e)
{
	struct store *st;
	struct principal cli;
	struct cli_ext ext;
	char path[600], *body = NULL;
	size_t len = 0;
	int to_stdout = a->out && strcmp(a->out, "-") == 0;
	static const char *const ext_of[] = {"", "xlsx", "html", "json"};
	if (to_stdout && format == PW_XLSX)
		return err_set(e, ERR_INVALID, "output", "-o - 只用于 html 或 json (stdout is for html and json)");
	if (a->out)
		snprintf(path, sizeof path, "%s", a->out);
	else
		snprintf(path, sizeof path, "%s-%s.%s", kind == PW_ANNUAL ? "annual" : "monthly", a->from, ext_of[format]);
	if (cli_ext_setup(c, &ext, e))
		return e->code;
	cli_ext_paperwork(&ext, cf);
	if (db_open(cf->db_path, 0, &st, e)) {
		cli_ext_free(&ext);
		return e->code;
	}
	rbac_cli_principal(&cli);
	int rc = pw_render(st, &ext.paperwork, &cli, kind, from, to, clock_now(NULL), format,
			   to_stdout ? NULL : path, &body, &len, e);
	db_close(st);
	cli_ext_free(&ext);
	if (rc)
		return rc;
	return emit(to_stdout, path, body, len);
}

static int cli_report_om(int argc, char **argv)
{
	struct args a;
	int kind, format;
	int64_t from, to;
	struct err e = {0};
	if (pw_kind_parse(argv[1], &kind, &e) || parse(argc - 1, argv + 1, &a))
		return cli_usage(usage, NULL);
	if (pw_period_parse(a.from, a.to, &from, &to, &e) || pw_format_parse(a.format, &format, &e))
		return cli_usage(usage, "report: %s", e.msg);
	struct conf *c;
	struct ops_conf cf;
	if (cli_ops_load(a.config, a.db, &c, &cf, &e))
		return !strcmp(e.field, "db") ? cli_usage(usage, "report: %s", e.msg) : cli_fail(&e);
	int rc = paperwork(&a, &cf, c, kind, from, to, format, &e);
	conf_free(c);
	return rc ? cli_fail(&e) : 0;
}

static int business(const struct args *a, const struct conf *c, const char *db, int64_t from, int64_t to,
		    int format, struct err *e)
{
	struct store *st;
	struct cal *cal = NULL;
	struct principal cli;
	struct case_env env = {0};
	char path[600], *body = NULL;
	size_t len = 0;
	int to_stdout = a->json || (a->out && strcmp(a->out, "-") == 0);
	static const char *const ext_of[] = {"", "xlsx", "html", "json"};
	if (to_stdout && format == PW_XLSX)
		return err_set(e, ERR_INVALID, "output", "-o - 只用于 html 或 json (stdout is for html and json)");
	snprintf(path, sizeof path, "%s", a->out ? a->out : "");
	if (!a->out)
		snprintf(path, sizeof path, "business-%s.%s", a->from, ext_of[format]);
	if (deadline_conf_load(c, &env.dl, e))
		return e->code;
	if (db_open(db, 0, &st, e))
		return e->code;
	if (cal_build_store(st, &cal, e)) {
		db_close(st);
		return e->code;
	}
	env.cal = cal;
	env.observers = db_case_observers();
	rbac_cli_principal(&cli);
	int rc = biz_render(st, &env, &cli, from, to, clock_now(NULL), format, to_stdout ? NULL : path, &body, &len, e);
	cal_free(cal);
	db_close(st);
	if (rc)
		return rc;
	return emit(to_stdout, path, body, len);
}

static int cli_report_business(int argc, char **argv)
{
	struct args a;
	int format;
	int64_t from, to;
	struct err e = {0};
	if (parse(argc - 1, argv + 1, &a))
		return cli_usage(usage, NULL);
	if (a.json && (a.out || strcmp(a.format, "xlsx") != 0))
		return cli_usage(usage, "report: --json prints the document; it takes neither --format nor -o");
	if (pw_period_parse(a.from, a.to, &from, &to, &e) || pw_format_parse(a.json ? "json" : a.format, &format, &e))
		return cli_usage(usage, "report: %s", e.msg);
	struct conf *c;
	struct ops_conf cf;
	if (cli_ops_load(a.config, a.db, &c, &cf, &e))
		return !strcmp(e.field, "db") ? cli_usage(usage, "report: %s", e.msg) : cli_fail(&e);
	int rc = business(&a, c, cf.db_path, from, to, format, &e);
	conf_free(c);
	return rc ? cli_fail(&e) : 0;
}

int cli_report(int argc, char **argv)
{
	struct args a;
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc >= 2 && (strcmp(argv[1], "monthly") == 0 || strcmp(argv[1], "annual") == 0))
		return cli_report_om(argc, argv);
	if (argc >= 2 && strcmp(argv[1], "business") == 0)
		return cli_report_business(argc, argv);
	if (argc < 2 || strcmp(argv[1], "inspection") != 0)
		return cli_usage(usage, "report: expected 'inspection', 'monthly', 'annual' or 'business'");
	if (parse(argc - 1, argv + 1, &a))
		return cli_usage(usage, NULL);
	struct ops_period p;
	int format;
	struct err e = {0};
	if (ops_period_parse(a.day, a.month, &p, &e) || ops_report_format_parse(a.format, &format, &e))
		return cli_usage(usage, "report: %s", e.msg);
	struct conf *c;
	struct ops_conf cf;
	if (cli_ops_load(a.config, a.db, &c, &cf, &e))
		return !strcmp(e.field, "db") ? cli_usage(usage, "report: %s", e.msg) : cli_fail(&e);
	int rc = render(&a, &cf, &p, format, &e);
	conf_free(c);
	return rc ? cli_fail(&e) : 0;
}
