/*
** cli_quality.c: `gonggai quality`, the command-line face of 数据质检
** (quality/quality.h).
**   run       run every enabled rule (or --rule ID) and record the run
**   findings  list findings (--status --rule --department --district)
**   show      one finding with its history (--id)
**   dismiss   a leader's dismissal (--id --reason), audited
**   rules     list the rules; rules export [-o FILE]; rules import FILE
**   rule      change one rule: --id ID [--enable|--disable] [--severity S]
**             [--param NAME=VALUE]... [--note TEXT]
**   notice    the 通报 of a month (--period YYYY-MM --format xlsx|html|json [-o FILE])
**   runs      the recorded runs
** The command line reads city-wide and acts as the CLI principal (every
** role). No source of the province's rejections is registered here: the
** exchange rules are reported as skipped. Sanitizer builds take "now" from
** $GG_NOW (epoch seconds), like cli_stats.c. Owns the store and calendar it
** opens.
*/
#include "cli/cli.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "calendar/cal_admin.h"
#include "quality/quality.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai quality SUBCOMMAND --db PATH [OPTIONS]\n"
	"  run       [--rule ID] [--json]    run every enabled rule (or one), record the run\n"
	"  findings  [--status open|fixed|overdue|dismissed] [--rule ID] [--department CODE]\n"
	"            [--district CODE] [--page N] [--page-size N] [--json]\n"
	"  show      --id N                  one finding with its history (JSON)\n"
	"  dismiss   --id N --reason TEXT    dismiss an open finding (a leader's decision, audited)\n"
	"  rules     [export [-o FILE] | import FILE]   list, export or import the rule catalogue\n"
	"  rule      --id ID [--enable|--disable] [--severity error|warn] [--param NAME=VALUE]... [--note TEXT]\n"
	"  notice    --period YYYY-MM [--format xlsx|html|json] [-o FILE]   the monthly 通报\n"
	"  runs      [--page N]              the recorded runs (JSON)\n"
	"  --config FILE  gonggai.ini for [quality] (default ./gonggai.ini, optional)\n";

#define MAX_PARAMS 8

struct args {
	const char *sub, *sub2, *file, *db, *config, *rule, *status, *department, *district, *id, *reason, *severity;
	const char *note, *period, *format, *out;
	const char *params[MAX_PARAMS];
	int nparams, json, enable, page, page_size;
};

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"config", required_argument, NULL, 'c'},
		{"rule", required_argument, NULL, 'r'}, {"status", required_argument, NULL, 's'},
		{"department", required_argument, NULL, 'D'}, {"district", required_argument, NULL, 'T'},
		{"id", required_argument, NULL, 'i'}, {"reason", required_argument, NULL, 'R'},
		{"severity", required_argument, NULL, 'S'}, {"param", required_argument, NULL, 'P'},
		{"note", required_argument, NULL, 'n'}, {"period", required_argument, NULL, 'p'},
		{"format", required_argument, NULL, 'F'}, {"output", required_argument, NULL, 'o'},
		{"json", no_argument, NULL, 'j'}, {"enable", no_argument, NULL, 'E'}, {"disable", no_argument, NULL, 'X'},
		{"page", required_argument, NULL, 'g'}, {"page-size", required_argument, NULL, 'z'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int c;
	memset(a, 0, sizeof *a);
	a->page = 1;
	a->page_size = 100;
	optind = 0;
	while ((c = getopt_long(argc, argv, "o:h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->db = optarg; break;
		case 'c': a->config = optarg; break;
		case 'r': a->rule = optarg; break;
		case 's': a->status = optarg; break;
		case 'D': a->department = optarg; break;
		case 'T': a->district = optarg; break;
		case 'i': a->id = optarg; break;
		case 'R': a->reason = optarg; break;
		case 'S': a->severity = optarg; break;
		case 'P':
			if (a->nparams == MAX_PARAMS)
				return -1;
			a->params[a->nparams++] = optarg;
			break;
		case 'n': a->note = optarg; break;
		case 'p': a->period = optarg; break;
		case 'F': a->format = optarg; break;
		case 'o': a->out = optarg; break;
		case 'j': a->json = 1; break;
		case 'E': a->enable = 1; break;
		case 'X': a->enable = -1; break;
		case 'g': a->page = atoi(optarg); break;
		case 'z': a->page_size = atoi(optarg); break;
		case 'h': return 1;
		default: return -1;
		}
	}
	if (optind < argc)
		a->sub = argv[optind++];
	if (optind < argc)
		a->sub2 = argv[optind++];
	if (optind < argc)
		a->file = argv[optind++];
	return optind < argc || a->page < 1 || a->page_size < 1 || a->page_size > 10000 ? -1 : 0;
}

/* ---- the environment --------------------------------------------------------------------------- */

struct ctx {
	struct store *st;
	struct cal *cal;
	struct quality_env env;
	struct principal who;
	int64_t now;
};

static int ctx_open(const struct args *a, struct ctx *x, struct err *e)
{
	struct conf *c = NULL;
	memset(x, 0, sizeof *x);
	x->now = cli_now();
	x->env.threads = 2;
	rbac_cli_principal(&x->who);
	const char *cfg = a->config ? a->config : "gonggai.ini";
	if (conf_load(cfg, a->config == NULL, &c, e) || quality_conf_load(c, &x->env.conf, e)) {
		conf_free(c);
		return e->code;
	}
	conf_free(c);
	if (store_open(a->db, 0, &x->st, e) || cal_build_store(x->st, &x->cal, e))
		return e->code;
	x->env.cal = x->cal;
	return 0;
}

static void ctx_close(struct ctx *x)
{
	cal_free(x->cal);
	store_close(x->st);
}

static void print_json(const json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(s ? s : "null");
	free(s);
}

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

/* ---- subcommands ----------------------------------------------------------------------------------- */

static int do_run(struct ctx *x, const struct args *a, struct err *e)
{
	json_t *r;
	if (quality_run(x->st, &x->env, &x->who, x->now, "cli", a->rule, &r, e))
		return e->code;
	if (a->json) {
		print_json(r);
	} else {
		json_t *run = json_object_get(r, "run"), *rule;
		size_t i;
		printf("质检运行 #%lld: %lld 项规则, 发现 %lld 个问题 (新增 %lld, 复发 %lld), 整改完成 %lld, "
		       "转逾期 %lld, 未整改共 %lld, 用时 %lld ms\n",
		       (long long)json_get_int(run, "id", 0), (long long)json_get_int(run, "rules_run", 0),
		       (long long)json_get_int(run, "found", 0), (long long)json_get_int(run, "opened", 0),
		       (long long)json_get_int(run, "reopened", 0), (long long)json_get_int(run, "fixed", 0),
		       (long long)json_get_int(run, "escalated", 0), (long long)json_get_int(run, "open", 0),
		       (long long)json_get_int(run, "ms", 0));
		json_array_foreach(json_object_get(r, "rules"), i, rule)
			printf("  %-24s %-5s %8lld  %s%s\n", json_get_str(rule, "id", ""), json_get_str(rule, "severity", ""),
			       (long long)json_get_int(rule, "findings", 0), json_get_str(rule, "name", ""),
			       json_object_get(rule, "skipped") ? " (跳过: 数据来源未接入)" : "");
	}
	json_decref(r);
	return 0;
}

static int do_findings(struct ctx *x, const struct args *a, struct err *e)
{
	struct quality_filter f = {a->status, a->rule, a->department, a->district, NULL};
	struct page pg = {a->page, a->page_size};
	json_t *o, *it;
	size_t i;
	if (quality_findings(x->st, &x->who, &f, &pg, &o, e))
		return e->code;
	if (a->json) {
		print_json(o);
	} else {
		json_array_foreach(json_object_get(o, "items"), i, it)
			printf("%-8lld %-9s %-22s %-26s %-14s %s  %s\n", (long long)json_get_int(it, "id", 0),
			       json_get_str(it, "status", ""), json_get_str(it, "rule", ""), json_get_str(it, "object", ""),
			       json_get_str(it, "department", "-"), json_get_str(it, "deadline", ""),
			       json_get_str(it, "message", ""));
		printf("共 %lld 条\n", (long long)json_get_int(o, "total", 0));
	}
	json_decref(o);
	return 0;
}

static int id_of(const struct args *a, int64_t *id, struct err *e)
{
	char *end;
	*id = a->id ? strtoll(a->id, &end, 10) : 0;
	if (!a->id || *end || *id <= 0)
		return err_set(e, ERR_INVALID, "id", "--id 应为问题编号（正整数）");
	return 0;
}

static int do_show(struct ctx *x, const struct args *a, struct err *e)
{
	int64_t id;
	json_t *o;
	if (id_of(a, &id, e) || quality_finding(x->st, &x->who, id, &o, e))
		return e->code;
	print_json(o);
	json_decref(o);
	return 0;
}

static int do_dismiss(struct ctx *x, const struct args *a, struct err *e)
{
	int64_t id;
	if (id_of(a, &id, e) || quality_dismiss(x->st, &x->who, x->now, id, a->reason, e))
		return e->code;
	printf("问题 %lld 已核销\n", (long long)id);
	return 0;
}

static int do_import(struct ctx *x, const char *path, struct err *e)
{
	json_error_t je;
	int n = 0;
	if (!path)
		return err_set(e, ERR_INVALID, "file", "rules import 需要规则文件路径");
	json_t *doc = json_load_file(path, JSON_REJECT_DUPLICATES, &je);
	if (!doc)
		return err_set(e, ERR_INVALID, "file", "%s:%d: %s", path, je.line, je.text);
	int rc = quality_rules_import(x->st, &x->who, x->now, doc, &n, e);
	json_decref(doc);
	if (!rc)
		printf("导入完成: %d 条规则有新版本\n", n);
	return rc;
}

static int do_export(struct ctx *x, const struct args *a, struct err *e)
{
	json_t *o;
	struct buf b = {0};
	if (quality_rules_export(x->st, &o, e))
		return e->code;
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(o);
	if (!s)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	buf_puts(&b, s);
	buf_puts(&b, "\n");
	free(s);
	int rc = write_file(a->out, b.data, b.len, e);
	buf_free(&b);
	return rc;
}

static int do_rules(struct ctx *x, const struct args *a, struct err *e)
{
	json_t *o, *r;
	size_t i;
	if (a->sub2 && strcmp(a->sub2, "import") == 0)
		return do_import(x, a->file, e);
	if (a->sub2 && strcmp(a->sub2, "export") == 0)
		return do_export(x, a, e);
	if (a->sub2)
		return err_set(e, ERR_INVALID, "rules", "rules 之后应为 export 或 import: %s", a->sub2);
	if (quality_rules(x->st, &o, e))
		return e->code;
	if (a->json)
		print_json(o);
	else
		json_array_foreach(o, i, r)
			printf("%-24s %-5s %-8s %-9s v%-3lld %s\n", json_get_str(r, "id", ""), json_get_str(r, "severity", ""),
			       json_get_str(r, "object", ""), json_is_true(json_object_get(r, "enabled")) ? "enabled" : "disabled",
			       (long long)json_get_int(r, "version", 0), json_get_str(r, "name", ""));
	json_decref(o);
	return 0;
}

/* --param NAME=VALUE: an integer, or a comma list of texts for list parameters. */
static int param_value(const char *v, json_t **out)
{
	char *end;
	long long n = strtoll(v, &end, 10);
	if (*v && !*end) {
		*out = json_integer(n);
		return 0;
	}
	*out = json_array();
	const char *p = v;
	while (*p || p == v) {
		const char *c = strchr(p, ',');
		size_t len = c ? (size_t)(c - p) : strlen(p);
		json_array_append_new(*out, json_stringn(p, len));
		if (!c)
			break;
		p = c + 1;
	}
	return 0;
}

static int do_rule(struct ctx *x, const struct args *a, struct err *e)
{
	json_t *patch = json_object(), *params = json_object(), *o;
	if (!a->id) {
		json_decref(patch);
		json_decref(params);
		return err_set(e, ERR_INVALID, "id", "rule 需要 --id 规则编号");
	}
	if (a->enable)
		json_object_set_new(patch, "enabled", json_boolean(a->enable > 0));
	if (a->severity)
		json_object_set_new(patch, "severity", json_string(a->severity));
	if (a->note)
		json_object_set_new(patch, "note", json_string(a->note));
	for (int i = 0; i < a->nparams; i++) {
		const char *eq = strchr(a->params[i], '=');
		json_t *v;
		if (!eq || eq == a->params[i]) {
			json_decref(patch);
			json_decref(params);
			return err_set(e, ERR_INVALID, "param", "--param 应为 NAME=VALUE: %s", a->params[i]);
		}
		param_value(eq + 1, &v);
		char name[64];
		snprintf(name, sizeof name, "%.*s", (int)(eq - a->params[i]), a->params[i]);
		json_object_set_new(params, name, v);
	}
	if (json_object_size(params))
		json_object_set(patch, "params", params);
	json_decref(params);
	int rc = quality_rule_update(x->st, &x->who, x->now, a->id, patch, &o, e);
	json_decref(patch);
	if (rc)
		return rc;
	print_json(o);
	json_decref(o);
	return 0;
}

static int do_runs(struct ctx *x, const struct args *a, struct err *e)
{
	json_t *o;
	struct page pg = {a->page, a->page_size};
	if (quality_runs(x->st, &x->who, &pg, &o, e))
		return e->code;
	print_json(o);
	json_decref(o);
	return 0;
}

static int do_notice(struct ctx *x, const struct args *a, struct err *e)
{
	const char *fmt = a->format ? a->format : "xlsx";
	json_t *n;
	char *data = NULL;
	size_t len = 0;
	if (strcmp(fmt, "xlsx") && strcmp(fmt, "html") && strcmp(fmt, "json"))
		return err_set(e, ERR_INVALID, "format", "--format 应为 xlsx、html 或 json");
	if (!strcmp(fmt, "xlsx") && !a->out)
		return err_set(e, ERR_INVALID, "output", "--format xlsx 需要 -o FILE");
	if (quality_notice(x->st, &x->env, &x->who, x->now, a->period, &n, e))
		return e->code;
	int rc = 0;
	if (!strcmp(fmt, "xlsx"))
		rc = quality_notice_xlsx(n, &data, &len, e);
	else if (!strcmp(fmt, "html"))
		rc = quality_notice_html(n, &data, e);
	else
		data = json_dumps(n, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	json_decref(n);
	if (!rc && !data)
		rc = err_set(e, ERR_INTERNAL, "", "out of memory");
	if (!rc)
		rc = write_file(a->out, data, len ? len : strlen(data), e);
	free(data);
	return rc;
}

static const struct {
	const char *name;
	int (*fn)(struct ctx *x, const struct args *a, struct err *e);
} subs[] = {
	{"run", do_run}, {"findings", do_findings}, {"show", do_show}, {"dismiss", do_dismiss},
	{"rules", do_rules}, {"rule", do_rule}, {"notice", do_notice}, {"runs", do_runs},
};

int cli_quality(int argc, char **argv)
{
	struct args a;
	struct ctx x;
	struct err e;
	int rc = parse(argc, argv, &a), sub = -1;
	if (rc > 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (rc < 0 || !a.db || !a.sub)
		return cli_usage(usage, rc < 0 ? "quality: unexpected arguments" : "quality: SUBCOMMAND and --db are required");
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++)
		if (strcmp(subs[i].name, a.sub) == 0)
			sub = (int)i;
	if (sub < 0)
		return cli_usage(usage, "quality: unknown subcommand '%s'", a.sub);
	err_clear(&e);
	if (ctx_open(&a, &x, &e)) {
		ctx_close(&x);
		return cli_fail(&e);
	}
	rc = subs[sub].fn(&x, &a, &e);
	ctx_close(&x);
	if (!rc)
		return 0;
	/* a malformed option value is a usage error; bad data is a failure */
	static const char *const usage_fields[] = {"id", "period", "status", "format", "output", "param", "rules"};
	for (size_t i = 0; e.code == ERR_INVALID && strcmp(a.sub, "rules") && i < 7; i++)
		if (strcmp(e.field, usage_fields[i]) == 0) {
			cli_fail(&e);
			return 2;
		}
	return cli_fail(&e);
}
