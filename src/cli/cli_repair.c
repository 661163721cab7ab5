/*
** cli_repair.c: `gonggai repair`, the command-line face of 数据修复
** (repair/repair.h). It builds the same request object the API receives and
** calls the domain; nothing here decides anything.
**   propose   a typed operation; --dry-run shows the preview and stores nothing
**   approve / reject --id N [--note T]   (an account holding repair_approve, --as)
**   apply --id N / undo --id N --reason T / show --id N / list [--status S]
** --as USER acts as that account; without it the command line acts as the
** CLI principal (ops), which may propose, apply and undo but never approve.
** Sanitizer builds take "now" from $GG_NOW like cli_stats.c. Owns the store
** and calendar it opens.
*/
#include "cli/cli.h"
#include "base/clock.h"
#include "base/json.h"
#include "workday/workday.h"
#include "cli/cli_ext.h"
#include "repair/repair.h"
#include "db/db.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai repair SUBCOMMAND --db PATH [--as USER] [OPTIONS]\n"
	"  propose  (--project CODE | --case NUMBER | --unit ID | --status ID | --document ID)\n"
	"           --field NAME --value V --reason TEXT      correct one field (its own rule applies)\n"
	"  propose  --op reassign --case NUMBER --user LOGIN --reason TEXT      改派 a running 办件\n"
	"  propose  --op close_stage --project CODE --stage N --reason TEXT     a stage that can never complete\n"
	"  propose  --op void --case NUMBER --reason TEXT                       作废 (reported as invalid)\n"
	"  propose  --op move_department --from CODE --to CODE --reason TEXT   机构改革: accounts, running\n"
	"           办件 and project links of FROM move to TO\n"
	"  propose  --op merge_projects --from CODE --into CODE --reason TEXT  a project registered twice\n"
	"           [--answers finding:N|ticket:N] [--dry-run]   (dry run: the preview, nothing stored)\n"
	"  approve | reject --id N [--note TEXT]    an account holding repair_approve, not the proposer\n"
	"  apply --id N                             after approval, in one transaction\n"
	"  undo --id N --reason TEXT                restore the before-images (refused if a row moved since)\n"
	"  show --id N | list [--status proposed|approved|rejected|applied|undone]\n"
	"  --as USER  act as that account   --json  print JSON   --config FILE  gonggai.ini ([cases])\n";

struct args {
	const char *sub, *db, *config, *as, *id, *note, *status;
	json_t *req;
	int json, dry_run;
};

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"config", required_argument, NULL, 'c'},
		{"as", required_argument, NULL, 'a'}, {"id", required_argument, NULL, 'i'},
		{"note", required_argument, NULL, 'n'}, {"status", required_argument, NULL, 's'},
		{"json", no_argument, NULL, 'j'}, {"dry-run", no_argument, NULL, 'y'},
		{"op", required_argument, NULL, 'o'}, {"project", required_argument, NULL, 'P'},
		{"case", required_argument, NULL, 'C'}, {"unit", required_argument, NULL, 'U'},
		{"status-row", required_argument, NULL, 'S'}, {"document", required_argument, NULL, 'D'},
		{"field", required_argument, NULL, 'f'}, {"value", required_argument, NULL, 'v'},
		{"reason", required_argument, NULL, 'r'}, {"answers", required_argument, NULL, 'A'},
		{"user", required_argument, NULL, 'u'}, {"stage", required_argument, NULL, 'g'},
		{"from", required_argument, NULL, 'F'}, {"to", required_argument, NULL, 'T'},
		{"into", required_argument, NULL, 'I'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	static const char *const names[128] = {
		['o'] = "op", ['P'] = "project", ['C'] = "case", ['f'] = "field", ['v'] = "value", ['r'] = "reason",
		['A'] = "answers", ['u'] = "user", ['F'] = "from", ['T'] = "to", ['I'] = "into",
	};
	int c;
	memset(a, 0, sizeof *a);
	a->req = json_object();
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->db = optarg; break;
		case 'c': a->config = optarg; break;
		case 'a': a->as = optarg; break;
		case 'i': a->id = optarg; break;
		case 'n': a->note = optarg; break;
		case 's': a->status = optarg; break;
		case 'j': a->json = 1; break;
		case 'y': a->dry_run = 1; break;
		case 'U': case 'S': case 'D': case 'g': {
			char *end;
			long long n = strtoll(optarg, &end, 10);
			if (*end || !*optarg)
				return -1;
			json_object_set_new(a->req, c == 'U' ? "unit" : c == 'S' ? "status" : c == 'D' ? "document" : "stage",
					    json_integer(n));
			break;
		}
		case 'h': return 1;
		default:
			if (c <= 0 || c >= 128 || !names[c])
				return -1;
			json_object_set_new(a->req, names[c], json_string(optarg));
		}
	}
	if (optind < argc)
		a->sub = argv[optind++];
	return optind < argc || !a->sub ? -1 : 0;
}

struct ctx {
	struct store *st;
	struct cal *cal;
	struct case_env cases;
	struct repair_hooks hooks;
	struct repair_env env;
	struct principal who;
	int64_t now;
};

static int ctx_open(const struct args *a, struct ctx *x, struct err *e)
{
	struct conf *c = NULL;
	memset(x, 0, sizeof *x);
	x->now = cli_now();
	const char *cfg = a->config ? a->config : "gonggai.ini";
	int rc = conf_load(cfg, a->config == NULL, &c, e);
	if (!rc)
		rc = deadline_conf_load(c, &x->cases.dl, e);
	conf_free(c);
	if (rc || db_open(a->db, 0, &x->st, e) || cal_build_store(x->st, &x->cal, e))
		return e->code;
	x->cases.cal = x->cal;
	x->cases.observers = db_case_observers();
	cli_ext_repair_hooks(&x->hooks);
	x->env = (struct repair_env){&x->cases, &x->hooks};
	if (a->as)
		return case_principal_for(x->st, a->as, &x->who, e);
	rbac_cli_principal(&x->who);
	return 0;
}

static void ctx_close(struct ctx *x)
{
	cal_free(x->cal);
	db_close(x->st);
}

static void print_value(const json_t *v)
{
	char *s = json_dumps(v, JSON_ENCODE_ANY | JSON_COMPACT);
	printf("%s", s ? s : "null");
	free(s);
}

static void print_repair(const json_t *o, int as_json)
{
	json_t *c;
	size_t i;
	if (as_json) {
		char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(s ? s : "null");
		free(s);
		return;
	}
	printf("修复单 #%lld  %s  %s  状态 %s  提出 %s  批准 %s  %lld 行\n", (long long)json_get_int(o, "id", 0),
	       json_get_str(o, "op", ""), json_get_str(o, "target", ""), json_get_str(o, "status", ""),
	       json_get_str(o, "proposed_by", "-"), json_get_str(o, "approved_by", "-"),
	       (long long)json_get_int(o, "rows", 0));
	json_array_foreach(json_object_get(o, "changes"), i, c) {
		printf("  %-40s %-16s ", json_get_str(c, "object", ""), json_get_str(c, "field", ""));
		print_value(json_object_get(c, "before"));
		printf(" -> ");
		print_value(json_object_get(c, "after"));
		printf("\n");
	}
}

static int id_of(const struct args *a, int64_t *id, struct err *e)
{
	char *end;
	*id = a->id ? strtoll(a->id, &end, 10) : 0;
	if (!a->id || *end || *id <= 0)
		return err_set(e, ERR_INVALID, "id", "--id 应为修复单编号（正整数）");
	return 0;
}

static int do_propose(struct ctx *x, const struct args *a, json_t **out, struct err *e)
{
	json_t *op = json_object_get(a->req, "op");
	if (!op)
		json_object_set_new(a->req, "op", json_string(json_object_get(a->req, "field") ? "field"
							      : json_object_get(a->req, "user") ? "reassign" : ""));
	else
		for (char *p = (char *)json_string_value(op); *p; p++)
			if (*p == '-')
				*p = '_';
	return repair_propose(x->st, &x->env, &x->who, x->now, a->req, a->dry_run, out, e);
}

static int dispatch(struct ctx *x, const struct args *a, json_t **out, struct err *e)
{
	int64_t id = 0;
	if (strcmp(a->sub, "propose") == 0)
		return do_propose(x, a, out, e);
	if (strcmp(a->sub, "list") == 0) {
		struct page pg = {1, PAGE_SIZE_MAX};
		return repair_list(x->st, &x->who, a->status, &pg, out, e);
	}
	if (id_of(a, &id, e))
		return e->code;
	if (strcmp(a->sub, "approve") == 0 || strcmp(a->sub, "reject") == 0)
		return repair_decide(x->st, &x->who, x->now, id, a->sub[1] == 'p', a->note, out, e);
	if (strcmp(a->sub, "apply") == 0)
		return repair_apply(x->st, &x->env, &x->who, x->now, id, out, e);
	if (strcmp(a->sub, "undo") == 0)
		return repair_undo(x->st, &x->env, &x->who, x->now, id, json_get_str(a->req, "reason", NULL), out, e);
	if (strcmp(a->sub, "show") == 0)
		return repair_show(x->st, &x->who, id, out, e);
	return err_set(e, ERR_INVALID, "subcommand", "未知子命令: %s", a->sub);
}

int cli_repair(int argc, char **argv)
{
	struct args a;
	struct ctx x;
	struct err e = {0};
	json_t *out = NULL, *it;
	size_t i;
	int p = parse(argc, argv, &a);
	if (p) {
		json_decref(a.req);
		if (p > 0) {
			fputs(usage, stdout);
			return 0;
		}
		return cli_usage(usage, "repair: bad arguments");
	}
	if (!a.db) {
		json_decref(a.req);
		return cli_usage(usage, "repair: --db is required");
	}
	int rc = ctx_open(&a, &x, &e);
	if (!rc)
		rc = dispatch(&x, &a, &out, &e);
	if (!rc && strcmp(a.sub, "list") == 0 && !a.json) {
		json_array_foreach(json_object_get(out, "items"), i, it)
			printf("%-6lld %-9s %-16s %-40s %s\n", (long long)json_get_int(it, "id", 0),
			       json_get_str(it, "status", ""), json_get_str(it, "op", ""), json_get_str(it, "target", ""),
			       json_get_str(it, "reason", ""));
	} else if (!rc) {
		print_repair(out, a.json);
	}
	json_decref(out);
	json_decref(a.req);
	ctx_close(&x);
	return rc ? cli_fail(&e) : 0;
}
