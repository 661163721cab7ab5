/*
** cli_catalog.c: `gonggai catalog export|import|validate|versions|diff|show`,
** the command-line face of approval/catalog.h. Export writes the whole
** catalogue as one JSON document on stdout (UTF-8, Chinese unescaped, the
** canonical form of docs/catalog.md); import merges a file all or nothing.
** The command line acts with every role and is audited as cli:<login>.
*/
#include "cli/cli.h"
#include "approval/catalog.h"
#include "base/clock.h"
#include "db/db.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai catalog SUBCOMMAND [OPTIONS]\n"
	"  export --db PATH                    the whole catalogue as JSON on stdout\n"
	"  import --db PATH FILE.json          merge FILE into the catalogue (all or nothing; - for stdin)\n"
	"  validate FILE.json                  check a file against every rule, no database needed\n"
	"  versions --db PATH (--item CODE | --flow CODE)\n"
	"                                      version history with the fields each version changed\n"
	"  diff --db PATH (--item CODE | --flow CODE) --from V --to V\n"
	"                                      field-by-field differences between two versions\n"
	"  show --db PATH (--item CODE | --flow CODE) [--date YYYY-MM-DD | --version V]\n"
	"                                      one version (default: the one in effect today)\n"
	"The format is described in docs/catalog.md.\n";

struct cat_args {
	const char *db, *item, *flow, *from, *to, *date, *version, *file;
};

static int parse(int argc, char **argv, struct cat_args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"item", required_argument, NULL, 'i'},
		{"flow", required_argument, NULL, 'f'}, {"from", required_argument, NULL, 'F'},
		{"to", required_argument, NULL, 'T'}, {"date", required_argument, NULL, 'D'},
		{"version", required_argument, NULL, 'v'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	memset(a, 0, sizeof *a);
	optind = 1;   /* argv[0] is the subcommand */
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->db = optarg; break;
		case 'i': a->item = optarg; break;
		case 'f': a->flow = optarg; break;
		case 'F': a->from = optarg; break;
		case 'T': a->to = optarg; break;
		case 'D': a->date = optarg; break;
		case 'v': a->version = optarg; break;
		case 'h': return 1;
		default: return -1;
		}
	}
	if (optind < argc)
		a->file = argv[optind++];
	return optind < argc ? -1 : 0;
}

/* Read a whole JSON file ("-" for stdin). */
static int read_doc(const char *path, json_t **doc, struct err *e)
{
	json_error_t je;
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_INVALID, "file", "无法打开 %s", path);
	*doc = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	if (f != stdin)
		fclose(f);
	if (!*doc)
		return err_set(e, ERR_INVALID, "file", "%s: JSON 格式错误（第 %d 行第 %d 列：%s）", path, je.line,
			       je.column, je.text);
	return 0;
}

static int print_json(const json_t *v)
{
	char *s = catalog_dump(v);
	if (!s)
		return 1;
	fputs(s, stdout);
	free(s);
	return 0;
}

static int do_import(struct store *st, const struct cat_args *a, struct err *e)
{
	struct principal cli;
	struct catalog_import_stats s;
	json_t *doc;
	rbac_cli_principal(&cli);
	if (read_doc(a->file, &doc, e))
		return e->code;
	int rc = catalog_import(st, &cli, clock_now(NULL), doc, &s, e);
	json_decref(doc);
	if (!rc)
		printf("已导入 %s：新增事项版本 %d 个、流程版本 %d 个；已存在且相同的事项版本 %d 个、流程版本 %d 个\n",
		       a->file, s.items_added, s.flows_added, s.items_same, s.flows_same);
	return rc;
}

static int do_show(struct store *st, int kind, const char *code, const struct cat_args *a, struct err *e)
{
	char today[16];
	json_t *row;
	if (catalog_get(st, kind, code, a->version, a->date ? a->date : clock_cn_date(clock_now(NULL), today), &row,
			e))
		return e->code;
	print_json(row);
	json_decref(row);
	return 0;
}

/* Subcommands that need the database. */
static int run_db(const char *sub, const struct cat_args *a, struct err *e)
{
	int kind = a->flow ? CATALOG_FLOWS : CATALOG_ITEMS;
	const char *code = a->flow ? a->flow : a->item;
	int writes = strcmp(sub, "import") == 0;
	struct store *st;
	json_t *out = NULL;
	int rc;
	if (db_open(a->db, writes ? 0 : STORE_READONLY, &st, e))
		return e->code;
	if (writes)
		rc = do_import(st, a, e);
	else if (strcmp(sub, "export") == 0)
		rc = catalog_export(st, &out, e);
	else if (strcmp(sub, "versions") == 0)
		rc = catalog_history(st, kind, code, &out, e);
	else if (strcmp(sub, "diff") == 0)
		rc = catalog_version_diff(st, kind, code, a->from, a->to, &out, e);
	else
		rc = do_show(st, kind, code, a, e);
	db_close(st);
	if (!rc && out)
		print_json(out);
	json_decref(out);
	return rc;
}

static int do_validate(const struct cat_args *a, struct err *e)
{
	json_t *doc;
	if (read_doc(a->file, &doc, e))
		return e->code;
	int rc = catalog_validate(doc, NULL, e);
	if (!rc)
		printf("%s: 目录有效（%zu 个流程版本，%zu 个事项版本）\n", a->file,
		       json_array_size(json_object_get(doc, "flows")), json_array_size(json_object_get(doc, "items")));
	json_decref(doc);
	return rc;
}

int cli_catalog(int argc, char **argv)
{
	static const char *const subs[] = {"export", "import", "validate", "versions", "diff", "show", NULL};
	struct cat_args a;
	struct err e = {0};
	const char *sub = argc > 1 ? argv[1] : NULL;
	int p, known = 0;
	if (!sub || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		fputs(usage, sub ? stdout : stderr);
		return sub ? 0 : 2;
	}
	for (const char *const *s = subs; *s; s++)
		known |= strcmp(*s, sub) == 0;
	if (!known)
		return cli_usage(usage, "catalog: unknown subcommand '%s'", sub);
	p = parse(argc - 1, argv + 1, &a);
	if (p > 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (p < 0)
		return cli_usage(usage, NULL);
	if (strcmp(sub, "validate") == 0)
		return a.file && !a.db ? (do_validate(&a, &e) ? cli_fail(&e) : 0)
			: cli_usage(usage, "catalog validate: FILE.json is required (no --db)");
	if (!a.db)
		return cli_usage(usage, "catalog %s: --db PATH is required", sub);
	if ((strcmp(sub, "import") == 0) != (a.file != NULL))
		return cli_usage(usage, "catalog %s: %s", sub, a.file ? "takes no file" : "FILE.json is required");
	if (strcmp(sub, "export") != 0 && strcmp(sub, "import") != 0 && !a.item == !a.flow)
		return cli_usage(usage, "catalog %s: give exactly one of --item CODE or --flow CODE", sub);
	if (strcmp(sub, "diff") == 0 && (!a.from || !a.to))
		return cli_usage(usage, "catalog diff: --from and --to are required");
	return run_db(sub, &a, &e) ? cli_fail(&e) : 0;
}
