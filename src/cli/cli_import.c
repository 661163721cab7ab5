/*
** cli_import.c: `gonggai import`, bringing records in from elsewhere
** (importer/importer.h).
**   projects --file FILE.xlsx|FILE.csv [--dry-run] [--json]   a spreadsheet of projects and units
**   spgl --source CONNINFO [--mapping NAME] [--xzqhdm CODE] [--dry-run] [--json]
**                              the SPGL history in a front DB (read by the exchange module)
** The command line acts as the CLI principal (audited as cli:<login>). On
** errors in the file every one is printed (row, column, rule), nothing is
** written and the exit status is 1.
*/
#include "cli/cli.h"
#include "base/clock.h"
#include "approval/case.h"
#include "base/json.h"
#include "workday/workday.h"
#include "exchange/exchange.h"
#include "importer/importer.h"
#include "db/db.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai import SOURCE --db PATH [OPTIONS]\n"
	"  projects --file FILE.xlsx|FILE.csv [--dry-run] [--json]\n"
	"      projects and their units from a spreadsheet (the first sheet of an .xlsx workbook, or CSV in\n"
	"      UTF-8; told by content): a header row, one row per unit, the project's columns repeated;\n"
	"      columns by name (XMDM XMMC SPLCLX JSDDXZQH JSDD ZTZE YDMJ JZMJ NKGSJ NJCSJ DWMC DWTYSHXYDM DWLX\n"
	"      LXR LXDH, or 项目代码 项目名称 …). The dry run checks every row and writes nothing; the real run\n"
	"      is all or nothing.\n"
	"  spgl --source CONNINFO [--mapping spgl-2019|FILE] [--xzqhdm 610200] [--dry-run] [--json]\n"
	"      a city's history from the SPGL tables of a front DB (or a copy): projects, units, 办件 with their\n"
	"      status history, special procedures and approval documents; valid rows only (SJYXBS=1, the latest\n"
	"      per business key); items matched by SPSXBM and version. The dry run lists what would be created\n"
	"      and every row that fails (table, LSH, column, rule); the real run is all or nothing.\n"
	"  --config FILE  gonggai.ini ([cases] thresholds; default ./gonggai.ini, optional)\n";

struct args {
	const char *sub, *db, *file, *source, *mapping, *xzqhdm, *config;
	int json, dry_run;
};

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"file", required_argument, NULL, 'f'},
		{"source", required_argument, NULL, 's'}, {"mapping", required_argument, NULL, 'm'},
		{"xzqhdm", required_argument, NULL, 'x'}, {"config", required_argument, NULL, 'c'},
		{"json", no_argument, NULL, 'j'}, {"dry-run", no_argument, NULL, 'y'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int c;
	memset(a, 0, sizeof *a);
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->db = optarg; break;
		case 'f': a->file = optarg; break;
		case 's': a->source = optarg; break;
		case 'm': a->mapping = optarg; break;
		case 'x': a->xzqhdm = optarg; break;
		case 'c': a->config = optarg; break;
		case 'j': a->json = 1; break;
		case 'y': a->dry_run = 1; break;
		case 'h': return 1;
		default: return -1;
		}
	}
	if (optind < argc)
		a->sub = argv[optind++];
	return optind < argc || !a->sub ? -1 : 0;
}

static int read_file(const char *path, char **text, size_t *len, struct err *e)
{
	FILE *f = fopen(path, "rb");
	struct { char *data; size_t len, cap; } b = {0};
	char chunk[65536];
	size_t n;
	if (!f)
		return err_set(e, ERR_INVALID, "file", "无法读取 %s", path);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		char *grown = realloc(b.data, b.len + n + 1);
		if (!grown) {
			free(b.data);
			fclose(f);
			return err_set(e, ERR_INTERNAL, "file", "out of memory");
		}
		b.data = grown;
		memcpy(b.data + b.len, chunk, n);
		b.len += n;
	}
	fclose(f);
	*text = b.data ? b.data : calloc(1, 1);
	*len = b.len;
	return 0;
}

/* ---- spgl ---------------------------------------------------------------------------------------- */

struct history {
	const char *conninfo, *mapping, *xzqhdm;
};

/* The importer's row source: the exchange reads the front DB. */
static int history_read(void *ctx, import_row_fn each, void *arg, struct err *e)
{
	const struct history *h = ctx;
	return exchange_history(h->conninfo, h->mapping, h->xzqhdm, each, arg, e);
}

static void print_spgl(const json_t *r, int as_json)
{
	json_t *it;
	const char *k;
	size_t i;
	if (as_json) {
		char *s = json_dumps(r, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s ? s : "null");
		free(s);
		return;
	}
	int dry = json_is_true(json_object_get(r, "dry_run"));
	printf("%s:", dry ? "试导入（未写入）" : "导入");
	json_object_foreach(json_object_get(r, dry ? "would_create" : "created"), k, it)
		printf(" %s %lld/%lld", k, (long long)json_integer_value(it),
		       (long long)json_get_int(json_object_get(r, "read"), k, 0));
	printf("\n");
	json_array_foreach(json_object_get(r, "errors"), i, it)
		printf("  %s LSH=%s  %-10s %s\n", json_get_str(it, "table", ""), json_get_str(it, "lsh", ""),
		       json_get_str(it, "field", ""), json_get_str(it, "message", ""));
}

static int do_spgl(const struct args *a, struct err *e)
{
	struct conf *c = NULL;
	struct store *st = NULL;
	struct cal *cal = NULL;
	struct case_env env;
	memset(&env, 0, sizeof env);
	struct principal who;
	struct history h = {a->source, a->mapping, a->xzqhdm};
	struct import_spgl_source src = {history_read, &h};
	json_t *report = NULL;
	const char *cfg = a->config ? a->config : "gonggai.ini";
	rbac_cli_principal(&who);
	int rc = conf_load(cfg, a->config == NULL, &c, e);
	if (!rc)
		rc = deadline_conf_load(c, &env.dl, e);
	conf_free(c);
	if (!rc && !(rc = db_open(a->db, 0, &st, e)) && !(rc = cal_build_store(st, &cal, e))) {
		env.cal = cal;
		env.observers = db_case_observers();
		rc = import_spgl(st, &env, &who, clock_now(NULL), &src, a->dry_run, &report, e);
	}
	if (report)
		print_spgl(report, a->json);
	json_decref(report);
	cal_free(cal);
	db_close(st);
	return rc;
}

static void print_report(const json_t *r, int as_json)
{
	json_t *it;
	size_t i;
	if (as_json) {
		char *s = json_dumps(r, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s ? s : "null");
		free(s);
		return;
	}
	printf("%s: %lld 行, %lld 个项目, %lld 个单位\n", json_is_true(json_object_get(r, "dry_run")) ? "试导入" : "导入",
	       (long long)json_get_int(r, "rows", 0), (long long)json_get_int(r, "projects", 0),
	       (long long)json_get_int(r, "units", 0));
	json_array_foreach(json_object_get(r, "errors"), i, it)
		printf("  第 %lld 行  %-20s %s\n", (long long)json_get_int(it, "row", 0), json_get_str(it, "field", ""),
		       json_get_str(it, "message", ""));
	json_array_foreach(json_object_get(r, "created"), i, it)
		printf("  已创建 %s\n", json_string_value(it));
}

int cli_import(int argc, char **argv)
{
	struct args a;
	struct err e = {0};
	struct store *st = NULL;
	struct principal who;
	json_t *report = NULL;
	char *text = NULL;
	size_t len = 0;
	int p = parse(argc, argv, &a);
	if (p > 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (p || !a.db)
		return cli_usage(usage, "import: SOURCE and --db are required");
	if (strcmp(a.sub, "spgl") == 0) {
		if (!a.source)
			return cli_usage(usage, "import spgl: --source CONNINFO is required");
		return do_spgl(&a, &e) ? cli_fail(&e) : 0;
	}
	if (strcmp(a.sub, "projects") != 0)
		return cli_usage(usage, "import: unknown source '%s'", a.sub);
	if (!a.file)
		return cli_usage(usage, "import projects: --file is required");
	rbac_cli_principal(&who);
	int rc = read_file(a.file, &text, &len, &e);
	if (!rc)
		rc = db_open(a.db, 0, &st, &e);
	if (!rc)
		rc = import_projects(st, &who, clock_now(NULL), text, len, a.dry_run, &report, &e);
	if (report)
		print_report(report, a.json);
	json_decref(report);
	free(text);
	db_close(st);
	return rc ? cli_fail(&e) : 0;
}
