/*
** cli_exchange.c: `gonggai exchange check|push|pull|status|withdraw`, the
** 前置库 exchange by hand (the scheduler runs push while [exchange] target
** is set). Flags override [exchange] of gonggai.ini key by key.
*/
#include "cli/cli.h"
#include "base/clock.h"
#include "base/conf.h"
#include "cli/cli_ext.h"
#include "exchange/exchange.h"
#include "org/rbac.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai exchange check|push|pull|status --db PATH [--config FILE] [--target CONNINFO]\n"
	"                        [--mapping NAME|FILE] [--xzqhdm CODE] [--batch-rows N]\n"
	"                        [--wait-for-parent accepted|sent] [--interval-minutes N] [--json]\n"
	"       gonggai exchange withdraw case|project ID --reason TEXT --db PATH\n"
	"  The 前置库 exchange with the province's front DB (PostgreSQL, libpq conninfo or URI).\n"
	"  check     compare the front DB's columns with the mapping, write nothing (exit 1 on errors)\n"
	"  push      pull verdicts, collect what changed, send everything due; rows sent per table\n"
	"  pull      read SJSCZT/SBYY of the rows sent and not yet final\n"
	"            (push and pull: when verdicts came back, 数据质检 runs at once, as after the scheduler's push)\n"
	"  status    rows pending/sent/accepted/rejected per table and the current rejections\n"
	"  withdraw  report a 办件 or project as no longer valid (SJYXBS=0) at the next push\n"
	"  Defaults from [exchange] in gonggai.ini (docs/operations.md). Exit 0 done, 1 failed, 2 usage.\n";

struct args {
	const char *verb, *db, *config, *reason;
	const char *keys[6], *vals[6];
	int nkeys, json;
	int64_t id;
	const char *kind;
};

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"config", required_argument, NULL, 'c'},
		{"target", required_argument, NULL, 1}, {"mapping", required_argument, NULL, 2},
		{"xzqhdm", required_argument, NULL, 3}, {"interval-minutes", required_argument, NULL, 4},
		{"batch-rows", required_argument, NULL, 5}, {"wait-for-parent", required_argument, NULL, 6},
		{"json", no_argument, NULL, 'j'}, {"reason", required_argument, NULL, 'r'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	static const char *const keys[] = {"", "target", "mapping", "xzqhdm", "interval_minutes", "batch_rows",
					   "wait_for_parent"};
	int ch;
	memset(a, 0, sizeof *a);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		if (ch >= 1 && ch <= 6) {
			a->keys[a->nkeys] = keys[ch];
			a->vals[a->nkeys++] = optarg;
			continue;
		}
		switch (ch) {
		case 'd': a->db = optarg; break;
		case 'c': a->config = optarg; break;
		case 'j': a->json = 1; break;
		case 'r': a->reason = optarg; break;
		case 'h': return 1;
		default: return -1;
		}
	}
	if (optind >= argc)
		return -1;
	a->verb = argv[optind++];
	if (strcmp(a->verb, "withdraw") == 0) {
		if (argc - optind != 2)
			return -1;
		a->kind = argv[optind];
		a->id = atoll(argv[optind + 1]);
		return a->id > 0 ? 0 : -1;
	}
	return optind < argc ? -1 : 0;
}

static void print_json(json_t *j)
{
	json_dumpf(j, stdout, JSON_COMPACT);
	fputc('\n', stdout);
}

static void print_check(const json_t *r)
{
	size_t i, k;
	json_t *t, *p;
	json_array_foreach(json_object_get(r, "tables"), i, t) {
		printf("%-24s %s\n", json_string_value(json_object_get(t, "table")),
		       json_is_true(json_object_get(t, "present")) ? "present" : "MISSING");
		json_array_foreach(json_object_get(t, "problems"), k, p)
			printf("  %-7s %s\n", json_string_value(json_object_get(p, "severity")),
			       json_string_value(json_object_get(p, "message")));
	}
	printf("mapping %s: %lld error(s), %lld warning(s)\n", json_string_value(json_object_get(r, "mapping")),
	       (long long)json_integer_value(json_object_get(r, "errors")),
	       (long long)json_integer_value(json_object_get(r, "warnings")));
}

static void print_push(const json_t *r)
{
	size_t i;
	json_t *t;
	json_array_foreach(json_object_get(r, "tables"), i, t)
		printf("%-24s sent %6lld  refused %lld\n", json_string_value(json_object_get(t, "table")),
		       (long long)json_integer_value(json_object_get(t, "sent")),
		       (long long)json_integer_value(json_object_get(t, "refused")));
	printf("rows sent %lld, verdicts read %lld, rows collected %lld\n",
	       (long long)json_integer_value(json_object_get(r, "rows")),
	       (long long)json_integer_value(json_object_get(r, "verdicts")),
	       (long long)json_integer_value(json_object_get(r, "collected")));
	if (json_object_get(r, "quality"))
		printf("%s\n", json_string_value(json_object_get(json_object_get(r, "quality"), "message")));
}

static void print_status(const json_t *r)
{
	size_t i;
	json_t *t;
	printf("%-24s %8s %8s %8s %8s\n", "TABLE", "PENDING", "SENT", "ACCEPTED", "REJECTED");
	json_array_foreach(json_object_get(r, "tables"), i, t)
		printf("%-24s %8lld %8lld %8lld %8lld\n", json_string_value(json_object_get(t, "table")),
		       (long long)json_integer_value(json_object_get(t, "pending")),
		       (long long)json_integer_value(json_object_get(t, "sent")),
		       (long long)json_integer_value(json_object_get(t, "accepted")),
		       (long long)json_integer_value(json_object_get(t, "rejected")));
	json_array_foreach(json_object_get(r, "rejected"), i, t)
		printf("rejected %s %s %s: %s\n", json_string_value(json_object_get(t, "table")),
		       json_string_value(json_object_get(t, "object")), json_string_value(json_object_get(t, "since")),
		       json_string_value(json_object_get(t, "reason")));
	printf("last push %s, last pull %s\n", json_string_value(json_object_get(r, "last_push")) ?
	       json_string_value(json_object_get(r, "last_push")) : "never",
	       json_string_value(json_object_get(r, "last_pull")) ? json_string_value(json_object_get(r, "last_pull"))
	       : "never");
}

static int needs_target(const struct args *a)
{
	return strcmp(a->verb, "status") != 0 && strcmp(a->verb, "withdraw") != 0;
}

/* When the province's verdicts came back, 数据质检 runs at once, as after
** the scheduler's push (cli_ext_exchange.c): its rejections become findings
** and corrected rows close theirs. Its summary joins out as "quality"; a
** failed run is reported on stderr and the exchange's result stands. */
static void quality_after(struct store *st, const struct conf *c, const struct principal *who, int64_t now,
			  json_t *out)
{
	struct cli_ext x;
	struct err qe = {0};
	json_t *q = NULL;
	if (json_integer_value(json_object_get(out, "verdicts")) <= 0)
		return;
	if (cli_ext_setup(c, &x, &qe)) {
		fprintf(stderr, "gonggai: 数据质检 not run: %s: %s\n", qe.field, qe.msg);
		return;
	}
	struct ops_env env = {.st = st, .now = now};
	if (cli_ext_quality_job(&x.quality, &env, who, 0, &q, &qe))
		fprintf(stderr, "gonggai: 数据质检 after the pull failed: %s\n", qe.msg);
	else
		json_object_set_new(out, "quality", json_pack("{s:O}", "message", json_object_get(q, "message")));
	json_decref(q);
	cli_ext_free(&x);
}

static int run(const struct args *a, const struct conf *c, const struct exchange_conf *cf, const char *db,
	       struct err *e)
{
	struct store *st = NULL;
	json_t *out = NULL;
	int64_t now = clock_now(NULL);
	int rc;
	if (needs_target(a) && !cf->target[0])
		return err_set(e, ERR_INVALID, "target", "no front DB: set [exchange] target or --target");
	if (strcmp(a->verb, "check") == 0) {
		if ((rc = exchange_check(cf, &out, e)))
			return rc;
		a->json ? print_json(out) : print_check(out);
		rc = json_integer_value(json_object_get(out, "errors")) ? 1 : 0;
		json_decref(out);
		return rc;
	}
	struct principal who;
	rbac_cli_principal(&who);
	if (store_open(db, 0, &st, e))
		return e->code;
	int round = strcmp(a->verb, "push") == 0 || strcmp(a->verb, "pull") == 0;
	if (round) {
		rc = strcmp(a->verb, "push") == 0 ? exchange_push(st, cf, &who, "cli", now, &out, e)
						  : exchange_pull(st, cf, &who, "cli", now, &out, e);
		if (!rc)
			quality_after(st, c, &who, now, out);
	} else if (strcmp(a->verb, "withdraw") == 0) {
		rc = exchange_withdraw(st, &who, a->kind, a->id, a->reason ? a->reason : "", now, e);
		out = rc ? NULL : json_pack("{s:s,s:I}", "withdrawn", a->kind, "id", (json_int_t)a->id);
	} else
		rc = exchange_status(st, cf, &out, e);
	store_close(st);
	if (rc)
		return rc;
	if (a->json || strcmp(a->verb, "withdraw") == 0 || strcmp(a->verb, "pull") == 0)
		print_json(out);
	else
		strcmp(a->verb, "push") == 0 ? print_push(out) : print_status(out);
	json_decref(out);
	return 0;
}

int cli_exchange(int argc, char **argv)
{
	struct args a;
	struct conf *c = NULL;
	struct exchange_conf cf;
	struct err e = {0};
	int p = parse(argc, argv, &a);
	if (p > 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (p < 0)
		return cli_usage(usage, NULL);
	static const char *const verbs[] = {"check", "push", "pull", "status", "withdraw", NULL};
	int known = 0;
	for (int i = 0; verbs[i]; i++)
		known |= strcmp(verbs[i], a.verb) == 0;
	if (!known)
		return cli_usage(usage, "unknown action '%s'", a.verb);
	if (conf_load(a.config ? a.config : "gonggai.ini", a.config == NULL, &c, &e))
		return cli_fail(&e);
	for (int i = 0; i < a.nkeys; i++)
		conf_set(c, "exchange", a.keys[i], a.vals[i]);
	if (a.db)
		conf_set(c, "database", "path", a.db);
	const char *db = conf_get(c, "database", "path");
	int rc;
	if (strcmp(a.verb, "check") != 0 && (!db || !*db))
		rc = cli_usage(usage, "--db PATH is required (or [database] path in gonggai.ini)");
	else if (exchange_conf_load(c, &cf, &e))
		rc = cli_usage(usage, "%s: %s", e.field, e.msg);
	else {
		rc = run(&a, c, &cf, db, &e);
		if (rc < 0)
			rc = cli_fail(&e);
	}
	conf_free(c);
	return rc;
}
