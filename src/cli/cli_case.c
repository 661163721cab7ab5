/*
** cli_case.c: `gonggai case apply|act|show|list|todo|timeline|doc`, the
** command-line face of approval/case.h: everything a clerk, reviewer or
** head does through the API can be scripted. Without --as the command line
** acts as `cli:<login>` holding every role, on behalf of the bureau (said on
** stderr; audited; the state machine still decides what may follow); with
** --as USER it acts as that account, so the department and step-role rules
** apply exactly as over HTTP (the audit row still says the source was the
** command line). todo and done belong to an account: --as is required.
**
** Output: JSON of the case, application or timeline on stdout (one object);
** list/todo print a table unless --json. Errors: "gonggai: field: message",
** exit 1; usage errors exit 2. Owns the store and calendar it opens.
*/
#include "cli/cli.h"
#include "approval/case.h"
#include "approval/case_files.h"
#include "approval/project.h"
#include "base/clock.h"
#include "base/conf.h"
#include "workday/workday.h"
#include "db/db.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai case SUBCOMMAND --db PATH [--as USER] [OPTIONS]\n"
	"  --as USER  act as that account (its department and step roles apply). Without it\n"
	"        apply/act run as the command line on behalf of the bureau with every role,\n"
	"        audited, still bound by the state machine; todo/done require --as.\n"
	"  apply --project ID|CODE --stage N [--side-line 54Y] --items CODE,CODE [--opinion TEXT]\n"
	"        [--received 'CODE=NAME;NAME' ...]  open a stage application (并联审批实例) with one\n"
	"        办件 per item; --received ticks the materials handed in for an item (收件 checklist)\n"
	"  materials --case ID|NUMBER [--tick NAME;NAME]   the checklist; --tick sets what was\n"
	"        handed in (before 受理; names of the item's list, ';'-separated)\n"
	"  upload --case ID|NUMBER --file PATH [--name NAME] [--material NAME]   store a file (PDF,\n"
	"        image, Office, OFD by content; [files] max_mb) against the case or a material\n"
	"  files --case ID|NUMBER           the files of the case (JSON)\n"
	"  act --case ID|NUMBER --action NAME [--opinion TEXT] [--materials A,B] [--materials-days N]\n"
	"        [--type 1|2 --kind KIND --limit N --reason TEXT] [--result TEXT] [--to-user USER]\n"
	"        [--tolerance]  (accept: 容缺受理 of the missing required materials)\n"
	"        actions: accept refuse supplement supplement_done start_review next_step return\n"
	"        transfer special_start special_end approve approve_tolerance deny withdraw revoke\n"
	"        materials_received\n"
	"  show --case ID|NUMBER           the case with its clock, history and documents (JSON)\n"
	"  list [--status N] [--light green|yellow|red] [--department CODE] [--district CODE]\n"
	"       [--item CODE] [--stage N] [--q TEXT] [--sort received|due|number|updated]\n"
	"       [--order asc|desc] [--page N] [--page-size N] [--json]\n"
	"  todo [--light green|yellow|red] | done [--json]\n        待办 (with its counts by light) / 已办 of the --as account\n"
	"  timeline --project ID|CODE      stages, instances and cases of a project (JSON)\n"
	"  doc --case ID|NUMBER --kind KIND [-o FILE]   printable HTML: acceptance refusal\n"
	"        supplement approval denial joint receipt special tolerance\n"
	"  --config FILE  gonggai.ini for the [cases] thresholds (default ./gonggai.ini, optional)\n";

struct args {
	const char *sub, *db, *as, *config, *project, *casearg, *action, *opinion, *items, *side_line;
	const char *materials, *kind, *reason, *result, *to_user, *light, *department, *district, *item;
	const char *q, *out, *tick, *file, *name, *material, *sort, *order;
	const char *received[64];
	int nreceived, tolerance;
	int stage, status, materials_days, type, limit, page, page_size, json;
};

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{"db", 1, NULL, 'd'}, {"as", 1, NULL, 'A'}, {"config", 1, NULL, 'C'}, {"project", 1, NULL, 'p'},
		{"case", 1, NULL, 'c'}, {"action", 1, NULL, 'a'}, {"opinion", 1, NULL, 'O'}, {"items", 1, NULL, 'i'},
		{"side-line", 1, NULL, 'S'}, {"materials", 1, NULL, 'm'}, {"materials-days", 1, NULL, 'M'},
		{"type", 1, NULL, 't'}, {"kind", 1, NULL, 'k'}, {"limit", 1, NULL, 'l'}, {"reason", 1, NULL, 'r'},
		{"result", 1, NULL, 'R'}, {"to-user", 1, NULL, 'u'}, {"stage", 1, NULL, 's'}, {"status", 1, NULL, 'x'},
		{"light", 1, NULL, 'L'}, {"department", 1, NULL, 'D'}, {"district", 1, NULL, 'T'},
		{"item", 1, NULL, 'I'}, {"q", 1, NULL, 'q'}, {"page", 1, NULL, 'P'}, {"page-size", 1, NULL, 'Z'},
		{"json", 0, NULL, 'j'}, {"help", 0, NULL, 'h'}, {"tick", 1, NULL, 'K'}, {"file", 1, NULL, 'F'},
		{"name", 1, NULL, 'N'}, {"material", 1, NULL, 'G'}, {"tolerance", 0, NULL, 'Y'},
		{"received", 1, NULL, 'V'}, {"sort", 1, NULL, 'B'}, {"order", 1, NULL, 'W'}, {NULL, 0, NULL, 0},
	};
	int ch;
	memset(a, 0, sizeof *a);
	a->page = 1;
	a->page_size = 20;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': a->db = optarg; break;
		case 'A': a->as = optarg; break;
		case 'C': a->config = optarg; break;
		case 'p': a->project = optarg; break;
		case 'c': a->casearg = optarg; break;
		case 'a': a->action = optarg; break;
		case 'O': a->opinion = optarg; break;
		case 'i': a->items = optarg; break;
		case 'S': a->side_line = optarg; break;
		case 'm': a->materials = optarg; break;
		case 'M': a->materials_days = atoi(optarg); break;
		case 't': a->type = atoi(optarg); break;
		case 'k': a->kind = optarg; break;
		case 'l': a->limit = atoi(optarg); break;
		case 'r': a->reason = optarg; break;
		case 'R': a->result = optarg; break;
		case 'u': a->to_user = optarg; break;
		case 's': a->stage = atoi(optarg); break;
		case 'x': a->status = atoi(optarg); break;
		case 'L': a->light = optarg; break;
		case 'D': a->department = optarg; break;
		case 'T': a->district = optarg; break;
		case 'I': a->item = optarg; break;
		case 'q': a->q = optarg; break;
		case 'P': a->page = atoi(optarg); break;
		case 'Z': a->page_size = atoi(optarg); break;
		case 'j': a->json = 1; break;
		case 'o': a->out = optarg; break;
		case 'K': a->tick = optarg; break;
		case 'F': a->file = optarg; break;
		case 'N': a->name = optarg; break;
		case 'G': a->material = optarg; break;
		case 'Y': a->tolerance = 1; break;
		case 'B': a->sort = optarg; break;
		case 'W': a->order = optarg; break;
		case 'V':
			if (a->nreceived == 64 || !strchr(optarg, '='))
				return -1;
			a->received[a->nreceived++] = optarg;
			break;
		case 'h': fputs(usage, stdout); return 1;
		default: return -1;
		}
	}
	if (optind + 1 != argc)
		return -1;
	a->sub = argv[optind];
	if (a->page < 1 || a->page_size < 1 || a->page_size > PAGE_SIZE_MAX)
		return -1;
	return a->db ? 0 : -1;
}

/* ---- the environment of the command -------------------------------------------------- */

struct ctx {
	struct store *st;
	struct cal *cal;
	struct case_env env;
	struct principal who;
	int64_t now;
};

static int ctx_open(const struct args *a, struct ctx *x, struct err *e)
{
	struct conf *c = NULL;
	memset(x, 0, sizeof *x);
	x->now = clock_now(NULL);
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

static int case_id(struct ctx *x, const char *arg, int64_t *id, struct err *e)
{
	if (!arg)
		return err_set(e, ERR_INVALID, "case", "--case ID|NUMBER is required");
	return case_id_of(x->st, arg, id, e);
}

static int project_id(struct ctx *x, const char *arg, int64_t *id, struct err *e)
{
	struct project p;
	char *end;
	long long v = arg ? strtoll(arg, &end, 10) : 0;
	if (!arg)
		return err_set(e, ERR_INVALID, "project", "--project ID|CODE is required");
	if (*end == 0 && v > 0) {
		*id = v;
		return 0;
	}
	if (project_lookup_code(x->st, arg, &p, e))
		return e->code;
	*id = p.id;
	return 0;
}

static void print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(s ? s : "null");
	free(s);
	json_decref(j);
}

/* "A,B,C" into a JSON array of strings. */
static json_t *csv_array(const char *csv)
{
	json_t *arr = json_array();
	char buf[4096], *save = NULL;
	snprintf(buf, sizeof buf, "%s", csv ? csv : "");
	for (char *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save))
		json_array_append_new(arr, json_string(t));
	return arr;
}

/* ';'-separated names (material names may hold commas) */
static json_t *names_array(const char *list)
{
	json_t *arr = json_array();
	char *copy = strdup(list ? list : ""), *save = NULL;
	for (char *t = strtok_r(copy, ";", &save); t; t = strtok_r(NULL, ";", &save))
		json_array_append_new(arr, json_string(t));
	free(copy);
	return arr;
}

/* --received CODE=A;B ... as {CODE: [A, B]} */
static json_t *received_json(const struct args *a)
{
	json_t *o = json_object();
	char code[64];
	for (int i = 0; i < a->nreceived; i++) {
		const char *eq = strchr(a->received[i], '=');
		snprintf(code, sizeof code, "%.*s", (int)(eq - a->received[i]), a->received[i]);
		json_object_set_new(o, code, names_array(eq + 1));
	}
	return o;
}

/* ---- subcommands ------------------------------------------------------------------------- */

static int do_apply(struct ctx *x, const struct args *a, struct err *e)
{
	int64_t pid;
	json_t *out, *codes = csv_array(a->items);
	const char *items[CASE_APPLY_MAX];
	size_t n = json_array_size(codes);
	for (size_t i = 0; i < n && i < CASE_APPLY_MAX; i++)   /* case_apply refuses more */
		items[i] = json_string_value(json_array_get(codes, i));
	json_t *received = a->nreceived ? received_json(a) : NULL;
	struct case_application app = {.stage = a->stage, .side_line = a->side_line, .items = items, .nitems = n,
				       .opinion = a->opinion, .materials = received};
	int rc = project_id(x, a->project, &pid, e);
	if (!rc)
		rc = case_apply(x->st, &x->env, &x->who, x->now, pid, &app, &out, e);
	json_decref(codes);
	json_decref(received);
	if (rc)
		return rc;
	print_json(out);
	return 0;
}

static int do_act(struct ctx *x, const struct args *a, struct err *e)
{
	int64_t id;
	json_t *out = NULL, *mat = a->materials ? csv_array(a->materials) : NULL;
	int rc = case_id(x, a->casearg, &id, e);
	if (!rc && a->action && strcmp(a->action, "materials_received") == 0) {
		rc = case_materials_received(x->st, &x->env, &x->who, x->now, id, e);
		if (!rc)
			rc = case_get(x->st, &x->env, &x->who, x->now, id, &out, e);
	} else if (!rc) {
		struct case_input in = {
			.action = case_action_parse(a->action), .opinion = a->opinion, .materials = mat,
			.materials_days = a->materials_days, .special_type = a->type, .special_kind = a->kind,
			.special_limit = a->limit, .reason = a->reason, .result = a->result, .to_user = a->to_user,
			.tolerance = a->tolerance,
		};
		if (in.action < 0 || in.action == CASE_A_RECEIVE)
			rc = err_set(e, ERR_INVALID, "action", "未知操作: %s (unknown action)", a->action ? a->action : "");
		else
			rc = case_act(x->st, &x->env, &x->who, x->now, id, &in, &out, e);
	}
	json_decref(mat);
	if (rc)
		return e->code ? e->code : ERR_INTERNAL;
	print_json(out);
	return 0;
}

/* Columns aligned by display width (status names are Chinese). */
static void print_table(json_t *page)
{
	static const int width[] = {8, 26, 10, 12, 18, 10, 6};
	static const char *const head[] = {"id", "number", "item", "department", "status", "due", "light"};
	size_t i;
	json_t *c;
	char id[24];
	for (int k = 0; k < 7; k++)
		cli_cell(stdout, head[k], width[k]);
	puts("project");
	json_array_foreach(json_object_get(page, "items"), i, c) {
		const char *light = json_string_value(json_object_get(c, "light"));
		const char *due = json_string_value(json_object_get(c, "due_date"));
		const char *cell[] = {
			id, json_string_value(json_object_get(c, "number")),
			json_string_value(json_object_get(json_object_get(c, "item"), "code")),
			json_string_value(json_object_get(json_object_get(c, "department"), "code")),
			json_string_value(json_object_get(json_object_get(c, "status"), "name")),
			due ? due : "-", light ? light : "-",
		};
		snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(c, "id")));
		for (int k = 0; k < 7; k++)
			cli_cell(stdout, cell[k], width[k]);
		puts(json_string_value(json_object_get(json_object_get(c, "project"), "name")));
	}
	printf("total %s%lld\n", json_is_true(json_object_get(page, "total_capped")) ? "more than " : "",
	       (long long)json_integer_value(json_object_get(page, "total")));
}

static int do_list(struct ctx *x, const struct args *a, int which, struct err *e)
{
	struct page pg = {a->page, a->page_size};
	struct case_query q = {.district = a->district, .department = a->department, .item = a->item, .q = a->q,
			       .stage = a->stage, .status = a->status};
	json_t *items;
	int64_t total, n[4];
	int rc, capped;
	if (case_query_parse(&q, a->light, a->sort, a->order, e))
		return e->code;
	if (which == 0)
		rc = case_list(x->st, &x->env, &x->who, x->now, &q, &pg, &items, &total, &capped, e);
	else if (which == 1)
		rc = case_todo(x->st, &x->env, &x->who, x->now, q.light, &pg, &items, &total, &capped, n, e);
	else
		rc = case_done(x->st, &x->env, &x->who, x->now, &pg, &items, &total, &capped, e);
	if (rc)
		return rc;
	json_t *page = json_pack("{s:o,s:I,s:b,s:i,s:i}", "items", items, "total", (json_int_t)total, "total_capped",
				 capped, "page", pg.page, "page_size", pg.page_size);
	if (which == 1) {
		json_object_set_new(page, "counts", case_todo_counts_json(n));
		if (!a->json)
			printf("待办 红灯 %lld  黄灯 %lld  绿灯 %lld  未受理 %lld\n", (long long)n[LIGHT_RED],
			       (long long)n[LIGHT_YELLOW], (long long)n[LIGHT_GREEN], (long long)n[LIGHT_NONE]);
	}
	if (a->json)
		print_json(page);
	else {
		print_table(page);
		json_decref(page);
	}
	return 0;
}

static int do_doc(struct ctx *x, const struct args *a, struct err *e)
{
	int64_t id;
	struct buf b = {0};
	if (case_id(x, a->casearg, &id, e) ||
	    case_document(x->st, &x->env, &x->who, x->now, id, a->kind ? a->kind : "", &b, e))
		return e->code;
	FILE *f = a->out ? fopen(a->out, "w") : stdout;
	if (!f) {
		buf_free(&b);
		return err_set(e, ERR_INTERNAL, "o", "cannot write %s", a->out);
	}
	fwrite(b.data, 1, b.len, f);
	if (f != stdout)
		fclose(f);
	buf_free(&b);
	return 0;
}

static int read_whole(const char *path, struct buf *b, struct err *e)
{
	FILE *f = fopen(path, "rb");
	char chunk[65536];
	size_t n;
	if (!f)
		return err_set(e, ERR_INVALID, "file", "cannot read %s", path);
	*b = (struct buf){0};
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(b, chunk, n);
	fclose(f);
	return 0;
}

static int do_files(struct ctx *x, const struct args *a, struct err *e)
{
	int64_t id, max;
	json_t *out = NULL;
	struct conf *c = NULL;
	if (case_id(x, a->casearg, &id, e))
		return e->code;
	if (strcmp(a->sub, "files") == 0) {
		if (case_files_get(x->st, &x->who, id, &out, e))
			return e->code;
	} else if (strcmp(a->sub, "materials") == 0) {
		json_t *tick = a->tick ? names_array(a->tick) : NULL;
		int rc = tick ? case_materials_tick(x->st, &x->env, &x->who, x->now, id, tick, e) : 0;
		json_decref(tick);
		if (rc || case_materials_get(x->st, &x->who, id, &out, e))
			return e->code;
	} else {
		struct buf b;
		const char *slash = a->file ? strrchr(a->file, '/') : NULL;
		if (!a->file)
			return err_set(e, ERR_INVALID, "", "upload: --file PATH is required");
		if (conf_load(a->config ? a->config : "gonggai.ini", a->config == NULL, &c, e) ||
		    case_files_max_bytes(c, &max, e) || read_whole(a->file, &b, e)) {
			conf_free(c);
			return e->code;
		}
		conf_free(c);
		struct case_upload u = {.name = a->name ? a->name : slash ? slash + 1 : a->file, .material = a->material,
					.data = b.data, .len = b.len, .max_bytes = max};
		int rc = case_file_upload(x->st, &x->env, &x->who, x->now, id, &u, &out, e);
		buf_free(&b);
		if (rc)
			return rc;
	}
	print_json(out);
	return 0;
}

static int run(struct ctx *x, const struct args *a, struct err *e)
{
	int64_t id;
	json_t *out;
	if (strcmp(a->sub, "apply") == 0)
		return do_apply(x, a, e);
	if (strcmp(a->sub, "act") == 0)
		return do_act(x, a, e);
	if (strcmp(a->sub, "show") == 0) {
		if (case_id(x, a->casearg, &id, e) || case_get(x->st, &x->env, &x->who, x->now, id, &out, e))
			return e->code;
		print_json(out);
		return 0;
	}
	if (strcmp(a->sub, "list") == 0 || strcmp(a->sub, "todo") == 0 || strcmp(a->sub, "done") == 0)
		return do_list(x, a, a->sub[0] == 'l' ? 0 : a->sub[0] == 't' ? 1 : 2, e);
	if (strcmp(a->sub, "timeline") == 0) {
		if (project_id(x, a->project, &id, e) || case_timeline(x->st, &x->env, &x->who, x->now, id, &out, e))
			return e->code;
		print_json(out);
		return 0;
	}
	if (strcmp(a->sub, "doc") == 0)
		return do_doc(x, a, e);
	if (strcmp(a->sub, "files") == 0 || strcmp(a->sub, "materials") == 0 || strcmp(a->sub, "upload") == 0)
		return do_files(x, a, e);
	return err_set(e, ERR_INVALID, "", "unknown subcommand '%s'", a->sub);
}

int cli_case(int argc, char **argv)
{
	struct args a;
	struct ctx x;
	struct err e = {0};
	int rc = parse(argc, argv, &a);
	if (rc)
		return rc > 0 ? 0 : cli_usage(usage, "case: a subcommand and --db PATH are required");
	if (!a.as && (strcmp(a.sub, "todo") == 0 || strcmp(a.sub, "done") == 0))
		return cli_usage(usage, "case %s: --as USER is required (待办和已办属于一个账号)", a.sub);
	if (!a.as && (strcmp(a.sub, "act") == 0 || strcmp(a.sub, "apply") == 0))
		fprintf(stderr, "gonggai: case %s without --as: acting as the command line on behalf of the bureau "
			"(every role), audited with source cli; the state machine still applies "
			"(未指定 --as：以审批局命令行身份办理，记入审计日志，状态规则照常检查)\n", a.sub);
	if (ctx_open(&a, &x, &e) || run(&x, &a, &e)) {
		ctx_close(&x);
		return e.code == ERR_INVALID && !e.field[0] ? cli_usage(usage, "%s", e.msg) : cli_fail(&e);
	}
	ctx_close(&x);
	return 0;
}
