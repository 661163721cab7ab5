/*
** cli_archive.c: `gonggai archive list|export` — the 运维档案 (archive/
** archive.h) from the command line, with the same filter, limits and
** events as GET /api/archive.
*/
#include "cli/cli.h"
#include "archive/archive.h"
#include "base/clock.h"
#include "cli/cli_ext.h"
#include "db/db.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai archive list   --db PATH [--from DATE] [--to DATE] [--kind KIND] [--page N]\n"
	"                              [--page-size N] [--json] [--config FILE]\n"
	"       gonggai archive export --db PATH [--from DATE] [--to DATE] [--kind KIND] -o FILE.xlsx\n"
	"  运维档案: every maintenance event, newest first. DATE is YYYY-MM-DD (Asia/Shanghai), --to\n"
	"  inclusive; default the last 31 days, at most 400. KIND: software config catalog calendar\n"
	"  org backup incident request repair system.\n";

struct args {
	const char *db, *from, *to, *kind, *out, *config;
	int json, page, page_size;
};

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'},     {"from", required_argument, NULL, 'F'},
		{"to", required_argument, NULL, 'T'},     {"kind", required_argument, NULL, 'k'},
		{"output", required_argument, NULL, 'o'}, {"config", required_argument, NULL, 'c'},
		{"page", required_argument, NULL, 'p'},   {"page-size", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'},         {NULL, 0, NULL, 0},
	};
	int ch;
	memset(a, 0, sizeof *a);
	a->page = 1;
	a->page_size = 50;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': a->db = optarg; break;
		case 'F': a->from = optarg; break;
		case 'T': a->to = optarg; break;
		case 'k': a->kind = optarg; break;
		case 'o': a->out = optarg; break;
		case 'c': a->config = optarg; break;
		case 'p': a->page = atoi(optarg); break;
		case 's': a->page_size = atoi(optarg); break;
		case 'j': a->json = 1; break;
		default: return -1;
		}
	}
	return optind < argc || a->page < 1 || a->page_size < 1 || a->page_size > 200 ? -1 : 0;
}

static void print_table(json_t *items, int64_t total)
{
	size_t i;
	json_t *ev;
	json_array_foreach(items, i, ev)
		printf("%s  %-10s %s：%s%s%s\n", json_string_value(json_object_get(ev, "at")),
		       json_string_value(json_object_get(ev, "kind_label")), json_string_value(json_object_get(ev, "title")),
		       json_string_value(json_object_get(ev, "detail")), *json_string_value(json_object_get(ev, "actor")) ? "  — " : "",
		       json_string_value(json_object_get(ev, "actor")));
	printf("共 %lld 条\n", (long long)total);
}

static int run(const struct args *a, int export, const struct archive_sources *src, struct err *e)
{
	struct store *st;
	struct principal cli;
	struct archive_filter f;
	if (archive_filter_parse(a->from, a->to, a->kind, &f, e) || db_open(a->db, 0, &st, e))
		return e->code;
	rbac_cli_principal(&cli);
	int rc;
	if (export) {
		rc = archive_xlsx(st, src, &cli, &f, clock_now(NULL), a->out, e);
		if (!rc)
			printf("%s\n", a->out);
	} else {
		json_t *items;
		int64_t total;
		struct page pg = {a->page, a->page_size};
		rc = archive_list(st, src, &cli, &f, clock_now(NULL), &pg, &items, &total, e);
		if (!rc && a->json) {
			json_t *o = json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page",
					      pg.page, "page_size", pg.page_size);
			json_dumpf(o, stdout, JSON_COMPACT);
			fputc('\n', stdout);
			json_decref(o);
		} else if (!rc) {
			print_table(items, total);
			json_decref(items);
		}
	}
	db_close(st);
	return rc;
}

int cli_archive(int argc, char **argv)
{
	struct args a;
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	int export = argc >= 2 && strcmp(argv[1], "export") == 0;
	if (argc < 2 || (!export && strcmp(argv[1], "list") != 0))
		return cli_usage(usage, "archive: expected 'list' or 'export'");
	if (parse(argc - 1, argv + 1, &a))
		return cli_usage(usage, NULL);
	if (!a.db)
		return cli_usage(usage, "archive: --db PATH is required");
	if (export && !a.out)
		return cli_usage(usage, "archive export: -o FILE.xlsx is required");
	struct conf *c;
	struct err e = {0};
	struct cli_ext ext;
	if (conf_load(a.config ? a.config : "gonggai.ini", a.config == NULL, &c, &e))
		return cli_fail(&e);
	int rc = cli_ext_setup(c, &ext, &e);
	if (!rc) {
		rc = run(&a, export, &ext.archive, &e);
		cli_ext_free(&ext);
	}
	conf_free(c);
	if (rc == ERR_INVALID)
		return cli_usage(usage, "archive: %s: %s", e.field, e.msg);
	return rc ? cli_fail(&e) : 0;
}
