/*
** cli_project.c: `gonggai project add|list|show|update|delete`, the command
** line face of approval/project.h. Fields come from flags or from a JSON
** body (--json FILE, - for stdin) shaped as for POST /api/projects; flags
** override the file. The command line sees every project and is audited
** as cli:<login>.
*/
#include "cli/cli.h"
#include "approval/project.h"
#include "base/clock.h"
#include "db/db.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai project SUBCOMMAND --db PATH [OPTIONS]\n"
	"  add [--file FILE] FIELDS          register a project (prints it as JSON)\n"
	"  list [--q TEXT] [--flow-type N] [--division CODE] [--page N] [--page-size N] [--json]\n"
	"  show (--id N | --code CODE)\n"
	"  update (--id N | --code CODE) [--file FILE] FIELDS   change the fields given\n"
	"  delete (--id N | --code CODE)\n"
	"FIELDS: --code 投资项目代码  --gcdm 工程代码  --name NAME  --flow-type 1-10  --flow-code CODE\n"
	"        --division CODE  --address TEXT  --investment 万元  --land-area m²  --floor-area m²\n"
	"        --start YYYY-MM-DD  --finish YYYY-MM-DD\n"
	"        --unit KIND,NAME,统一社会信用代码,CONTACT,PHONE   (repeatable; replaces all units)\n"
	"        KIND: builder agent survey design construction supervision other\n"
	"--file FILE: the fields as a JSON object, as for POST /api/projects (- for stdin);\n"
	"        flags override it. list --json prints the JSON page instead of a table.\n";

struct proj_args {
	const char *db, *json, *q, *division_filter;
	int64_t id;
	int as_json, page, page_size, flow_type_filter;
	json_t *body;       /* fields from flags */
};

static void set_int(json_t *body, const char *k, const char *v)
{
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (errno || *end || end == v)
		json_object_set_new(body, k, json_string(v));   /* the domain names the field */
	else
		json_object_set_new(body, k, json_integer(x));
}

/* "KIND,NAME,USCC,CONTACT,PHONE" appended to body.units. */
static int add_unit(json_t *body, const char *v)
{
	static const char *const keys[] = {"kind", "name", "credit_code", "contact", "phone"};
	char buf[512], *save = NULL, *t = NULL;
	json_t *u = json_object(), *units = json_object_get(body, "units");
	snprintf(buf, sizeof buf, "%s", v);
	t = strtok_r(buf, ",", &save);
	for (int i = 0; i < 5; i++, t = strtok_r(NULL, ",", &save)) {
		if (!t) {
			json_decref(u);
			return -1;
		}
		json_object_set_new(u, keys[i], json_string(t));
	}
	if (!units) {
		units = json_array();
		json_object_set_new(body, "units", units);
	}
	json_array_append_new(units, u);
	return t ? -1 : 0;
}

static int field_flag(struct proj_args *a, int c, const char *v)
{
	static const struct { int c; const char *key; int integer; } map[] = {
		{'c', "code", 0}, {'g', "gcdm", 0}, {'n', "name", 0}, {'t', "flow_type", 1},
		{'f', "flow_code", 0}, {'v', "division", 0}, {'a', "address", 0}, {'I', "investment_wan", 1},
		{'L', "land_area_m2", 1}, {'F', "floor_area_m2", 1}, {'s', "planned_start", 0},
		{'S', "planned_finish", 0},
	};
	for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
		if (map[i].c == c) {
			if (map[i].integer)
				set_int(a->body, map[i].key, v);
			else
				json_object_set_new(a->body, map[i].key, json_string(v));
			return 0;
		}
	return c == 'u' ? add_unit(a->body, v) : -1;
}

static int parse(int argc, char **argv, struct proj_args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'},
		{"file", required_argument, NULL, 'J'},
		{"id", required_argument, NULL, 'i'}, {"code", required_argument, NULL, 'c'},
		{"gcdm", required_argument, NULL, 'g'}, {"name", required_argument, NULL, 'n'},
		{"flow-type", required_argument, NULL, 't'}, {"flow-code", required_argument, NULL, 'f'},
		{"division", required_argument, NULL, 'v'}, {"address", required_argument, NULL, 'a'},
		{"investment", required_argument, NULL, 'I'}, {"land-area", required_argument, NULL, 'L'},
		{"floor-area", required_argument, NULL, 'F'}, {"start", required_argument, NULL, 's'},
		{"finish", required_argument, NULL, 'S'}, {"unit", required_argument, NULL, 'u'},
		{"q", required_argument, NULL, 'q'}, {"page", required_argument, NULL, 'p'},
		{"page-size", required_argument, NULL, 'P'}, {"help", no_argument, NULL, 'h'},
		{NULL, 0, NULL, 0},
	};
	int c;
	optind = 1;   /* argv[0] is the subcommand */
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->db = optarg; break;
		case 'j': a->as_json = 1; break;
		case 'J': a->json = optarg; break;
		case 'i': a->id = atoll(optarg); if (a->id <= 0) return -1; break;
		case 'q': a->q = optarg; break;
		case 'p': a->page = atoi(optarg); if (a->page < 1) return -1; break;
		case 'P': a->page_size = atoi(optarg); if (a->page_size < 1 || a->page_size > PAGE_SIZE_MAX) return -1; break;
		case 'h': return 1;
		case '?': return -1;
		default:
			if (field_flag(a, c, optarg))
				return -1;
		}
	}
	return optind < argc ? -1 : 0;
}

/* The body: --file's object with the flags laid over it. */
static int body_of(const struct proj_args *a, json_t **out, struct err *e)
{
	json_error_t je;
	const char *k;
	json_t *v;
	*out = NULL;
	if (!a->json) {
		*out = json_incref(a->body);
		return 0;
	}
	FILE *f = strcmp(a->json, "-") == 0 ? stdin : fopen(a->json, "rb");
	if (!f)
		return err_set(e, ERR_INVALID, "file", "无法打开 %s", a->json);
	*out = json_loadf(f, JSON_REJECT_DUPLICATES, &je);
	if (f != stdin)
		fclose(f);
	if (!json_is_object(*out)) {
		json_decref(*out);
		*out = NULL;
		return err_set(e, ERR_INVALID, "file", "%s: 必须是 JSON 对象（%s）", a->json, je.text);
	}
	json_object_foreach(a->body, k, v)
		json_object_set(*out, k, v);
	return 0;
}

static void print_json(const json_t *v)
{
	char *s = json_dumps(v, JSON_INDENT(2));
	if (s)
		puts(s);
	free(s);
}

/* --id, or --code looked up. */
static int target(struct store *st, const struct proj_args *a, int64_t *id, struct err *e)
{
	struct project p;
	const char *code = json_string_value(json_object_get(a->body, "code"));
	if (a->id) {
		*id = a->id;
		return 0;
	}
	if (!code)
		return err_set(e, ERR_INVALID, "id", "需要 --id 或 --code");
	if (project_lookup_code(st, code, &p, e))
		return e->code;
	*id = p.id;
	return 0;
}

static int do_list(struct store *st, const struct principal *cli, const struct proj_args *a, struct err *e)
{
	struct project_filter f = {0};
	struct page pg = {a->page ? a->page : 1, a->page_size ? a->page_size : 50};
	json_t *items, *it;
	int64_t total;
	size_t i;
	f.q = a->q;
	f.flow_type = (int)json_integer_value(json_object_get(a->body, "flow_type"));
	f.division = json_string_value(json_object_get(a->body, "division"));
	int capped;
	if (project_list(st, cli, &f, &pg, &items, &total, &capped, e))
		return e->code;
	if (a->as_json) {
		json_t *page = json_pack("{s:o,s:I,s:b,s:i,s:i}", "items", items, "total", (json_int_t)total,
					 "total_capped", capped, "page", pg.page, "page_size", pg.page_size);
		print_json(page);
		json_decref(page);
		return 0;
	}
	printf("%-6s %-26s %-4s %-8s %s\n", "id", "code", "type", "division", "name");
	json_array_foreach(items, i, it)
		printf("%-6lld %-26s %-4lld %-8s %s\n", (long long)json_integer_value(json_object_get(it, "id")),
		       json_string_value(json_object_get(it, "code")),
		       (long long)json_integer_value(json_object_get(it, "flow_type")),
		       json_string_value(json_object_get(it, "division")), json_string_value(json_object_get(it, "name")));
	printf("%s%lld project(s), page %d\n", capped ? "more than " : "", (long long)total, pg.page);
	json_decref(items);
	return 0;
}

static int show(struct store *st, const struct principal *cli, int64_t id, struct err *e)
{
	json_t *p;
	if (project_get(st, cli, id, &p, e))
		return e->code;
	print_json(p);
	json_decref(p);
	return 0;
}

static int run(struct store *st, const char *sub, const struct proj_args *a, struct err *e)
{
	struct principal cli;
	int64_t now = clock_now(NULL), id = 0;
	json_t *body = NULL;
	int rc;
	rbac_cli_principal(&cli);
	if (strcmp(sub, "list") == 0)
		return do_list(st, &cli, a, e);
	if (strcmp(sub, "add") == 0) {
		if (body_of(a, &body, e))
			return e->code;
		rc = project_create(st, &cli, now, body, &id, e);
	} else {
		if (target(st, a, &id, e))
			return e->code;
		if (strcmp(sub, "show") == 0)
			return show(st, &cli, id, e);
		if (strcmp(sub, "delete") == 0) {
			rc = project_delete(st, &cli, now, id, e);
			if (!rc)
				printf("已删除项目 %lld\n", (long long)id);
			return rc;
		}
		if (body_of(a, &body, e))
			return e->code;
		rc = project_update(st, &cli, now, id, body, e);
	}
	json_decref(body);
	return rc ? rc : show(st, &cli, id, e);
}

int cli_project(int argc, char **argv)
{
	static const char *const subs[] = {"add", "list", "show", "update", "delete", NULL};
	struct proj_args a = {0};
	struct err e = {0};
	struct store *st;
	const char *sub = argc > 1 ? argv[1] : NULL;
	int known = 0, p, rc;
	if (!sub || strcmp(sub, "--help") == 0 || strcmp(sub, "-h") == 0) {
		fputs(usage, sub ? stdout : stderr);
		return sub ? 0 : 2;
	}
	for (const char *const *s = subs; *s; s++)
		known |= strcmp(*s, sub) == 0;
	if (!known)
		return cli_usage(usage, "project: unknown subcommand '%s'", sub);
	a.body = json_object();
	p = parse(argc - 1, argv + 1, &a);
	if (p != 0 || !a.db) {
		json_decref(a.body);
		if (p > 0) {
			fputs(usage, stdout);
			return 0;
		}
		return cli_usage(usage, p < 0 ? "project %s: bad option or argument" : "project %s: --db PATH is required",
				 sub);
	}
	if (db_open(a.db, strcmp(sub, "list") == 0 || strcmp(sub, "show") == 0 ? STORE_READONLY : 0, &st, &e)) {
		json_decref(a.body);
		return cli_fail(&e);
	}
	rc = run(st, sub, &a, &e);
	db_close(st);
	json_decref(a.body);
	return rc ? cli_fail(&e) : 0;
}
