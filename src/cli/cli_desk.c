/*
** cli_desk.c: `gonggai desk ticket add|act|show|list`, `desk report
** monthly|ticket` and `desk notify`: the command-line face of desk/desk.h.
** Without --as the command line acts as `cli:<login>` holding every role
** (the audit rows name it, source "cli"); with --as USER it acts as that
** account, so the desk's rules apply exactly as over HTTP.
**
** Output: JSON of the ticket (show, and add/act with --json), the list shape
** {items,total,page,page_size} (list --json) or a table. Sanitizer builds
** (GG_TESTING) take "now" from $GG_NOW (epoch seconds) so tests can move the
** clock; release builds ignore it. Errors: "gonggai: field: message", exit
** 1; usage errors exit 2.
*/
#include "cli/cli.h"
#include "cli/cli_desk.h"
#include "base/clock.h"
#include "base/conf.h"
#include "desk/desk.h"

#include <curl/curl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai desk GROUP SUBCOMMAND --db PATH [--as USER] [--config FILE] [OPTIONS]\n"
	"  ticket add --kind fault --level 1|2|3 --category C --title T [--description D]\n"
	"        [--affected TEXT] [--reported-at ISO] [--caller NAME] [--json]\n"
	"        categories: config bug third_party user_env infrastructure; --reported-at and\n"
	"        --caller (a fault reported by phone) are for ops\n"
	"  ticket act --id N --action A [--note TEXT] [--handler USER] [--reason TEXT]\n"
	"        [--cause T --fix T --prevention T] [--rca TEXT] [--json]\n"
	"        actions: assign respond escalate_third_party third_party_responded pause resume\n"
	"        resolve verify reopen close rca_submit\n"
	"  ticket show --id N [--json]      the ticket with its events and SLA clocks (JSON)\n"
	"  ticket list [--status S|active] [--level N] [--category C] [--q TEXT] [--mine]\n"
	"        [--page N] [--page-size N] [--json]\n"
	"  report monthly --period YYYY-MM --format xlsx|html [-o FILE]   月度服务台报告\n"
	"  report ticket --id N [-o FILE]   故障处理报告 / 重大事件故障报告 (HTML)\n"
	"  notify                           send due webhook deliveries now\n"
	"  request add|act|show|list · consult add|list · article add|update|show|search ·\n"
	"  training add|list · backbone set|list · plan add|list · drill add|list ·\n"
	"  visit add|list|to-request      the other services of 第一条: --data JSON (the object the\n"
	"        API takes, see docs/api.md), --id N, --index K (to-request), --q TEXT, --tag T,\n"
	"        --status S, --mine; answers JSON\n"
	"  --config FILE  gonggai.ini for [desk] (default ./gonggai.ini, optional)\n";

struct args {
	const char *group, *sub, *db, *as, *config, *kind, *category, *title, *description, *affected;
	const char *reported_at, *caller, *action, *note, *handler, *reason, *cause, *fix, *prevention, *rca;
	const char *status, *q, *period, *format, *out, *data, *tag;
	int level, page, page_size, json, mine, index;
	int64_t id;
};

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{"db", 1, NULL, 'd'}, {"as", 1, NULL, 'A'}, {"config", 1, NULL, 'C'}, {"kind", 1, NULL, 'k'},
		{"level", 1, NULL, 'l'}, {"category", 1, NULL, 'c'}, {"title", 1, NULL, 't'},
		{"description", 1, NULL, 'D'}, {"affected", 1, NULL, 'a'}, {"reported-at", 1, NULL, 'r'},
		{"caller", 1, NULL, 'K'}, {"id", 1, NULL, 'i'}, {"action", 1, NULL, 'x'}, {"note", 1, NULL, 'n'},
		{"handler", 1, NULL, 'H'}, {"reason", 1, NULL, 'R'}, {"cause", 1, NULL, 'u'}, {"fix", 1, NULL, 'f'},
		{"prevention", 1, NULL, 'p'}, {"rca", 1, NULL, 'Q'}, {"status", 1, NULL, 's'}, {"q", 1, NULL, 'q'},
		{"period", 1, NULL, 'P'}, {"format", 1, NULL, 'F'}, {"page", 1, NULL, 'g'},
		{"page-size", 1, NULL, 'z'}, {"json", 0, NULL, 'j'}, {"mine", 0, NULL, 'm'}, {"help", 0, NULL, 'h'},
		{"data", 1, NULL, 'J'}, {"tag", 1, NULL, 'T'}, {"index", 1, NULL, 'N'},
		{NULL, 0, NULL, 0},
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
		case 'k': a->kind = optarg; break;
		case 'l': a->level = atoi(optarg); break;
		case 'c': a->category = optarg; break;
		case 't': a->title = optarg; break;
		case 'D': a->description = optarg; break;
		case 'a': a->affected = optarg; break;
		case 'r': a->reported_at = optarg; break;
		case 'K': a->caller = optarg; break;
		case 'i': a->id = strtoll(optarg, NULL, 10); break;
		case 'x': a->action = optarg; break;
		case 'n': a->note = optarg; break;
		case 'H': a->handler = optarg; break;
		case 'R': a->reason = optarg; break;
		case 'u': a->cause = optarg; break;
		case 'f': a->fix = optarg; break;
		case 'p': a->prevention = optarg; break;
		case 'Q': a->rca = optarg; break;
		case 's': a->status = optarg; break;
		case 'q': a->q = optarg; break;
		case 'P': a->period = optarg; break;
		case 'F': a->format = optarg; break;
		case 'g': a->page = atoi(optarg); break;
		case 'z': a->page_size = atoi(optarg); break;
		case 'j': a->json = 1; break;
		case 'm': a->mine = 1; break;
		case 'o': a->out = optarg; break;
		case 'J': a->data = optarg; break;
		case 'T': a->tag = optarg; break;
		case 'N': a->index = atoi(optarg); break;
		case 'h': fputs(usage, stdout); return 1;
		default: return -1;
		}
	}
	if (optind + 1 > argc || optind + 2 < argc)
		return -1;
	a->group = argv[optind];
	a->sub = optind + 1 < argc ? argv[optind + 1] : "";
	if (a->page < 1 || a->page_size < 1 || a->page_size > 200)
		return -1;
	return a->db ? 0 : -1;
}

/* ---- the environment of the command ------------------------------------------------------ */

struct ctx {
	struct store *st;
	struct desk_conf cf;
	struct principal who;
	int64_t now;
};

static int ctx_open(const struct args *a, struct ctx *x, struct err *e)
{
	struct conf *c = NULL;
	memset(x, 0, sizeof *x);
	x->now = cli_now();
	const char *cfg = a->config ? a->config : "gonggai.ini";
	if (conf_load(cfg, a->config == NULL, &c, e) || desk_conf_load(c, &x->cf, e)) {
		conf_free(c);
		return e->code;
	}
	conf_free(c);
	if (store_open(a->db, 0, &x->st, e))
		return e->code;
	if (a->as)
		return desk_principal_for(x->st, a->as, &x->who, e);
	rbac_cli_principal(&x->who);
	return 0;
}

static void print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(s ? s : "null");
	free(s);
	json_decref(j);
}

/* ---- tickets ---------------------------------------------------------------------------------- */

static int show(struct ctx *x, int64_t id, int json, struct err *e)
{
	json_t *out;
	if (desk_ticket_show(x->st, &x->cf, &x->who, x->now, id, &out, e))
		return e->code;
	if (json) {
		print_json(out);
		return 0;
	}
	printf("ticket %lld %s\n", (long long)id, json_string_value(json_object_get(out, "status")));
	json_decref(out);
	return 0;
}

static int ticket_add(struct ctx *x, const struct args *a, struct err *e)
{
	int64_t id;
	if (!a->kind)
		return err_set(e, ERR_INVALID, "kind", "--kind fault is required");
	struct desk_ticket_in in = {.kind = a->kind, .level = a->level, .category = a->category, .title = a->title,
				    .description = a->description, .affected = a->affected,
				    .reported_at = a->reported_at, .caller = a->caller};
	if (desk_ticket_add(x->st, &x->cf, &x->who, x->now, &in, &id, e))
		return e->code;
	return show(x, id, a->json, e);
}

static int ticket_act(struct ctx *x, const struct args *a, struct err *e)
{
	struct desk_act_in in = {.action = a->action, .note = a->note, .handler = a->handler, .reason = a->reason,
				 .cause = a->cause, .fix = a->fix, .prevention = a->prevention, .rca = a->rca};
	if (a->id <= 0)
		return err_set(e, ERR_INVALID, "id", "--id N is required");
	if (desk_ticket_act(x->st, &x->cf, &x->who, x->now, a->id, &in, e))
		return e->code;
	return show(x, a->id, a->json, e);
}

static const char *clock_mark(json_t *c)
{
	if (json_is_null(c) || !c)
		return "-";
	if (json_is_true(json_object_get(c, "breached")))
		return "超时";
	if (json_is_true(json_object_get(c, "warning")))
		return "预警";
	return json_is_true(json_object_get(c, "met")) ? "达标" : "计时";
}

static int ticket_list(struct ctx *x, const struct args *a, struct err *e)
{
	struct page pg = {a->page, a->page_size};
	struct desk_filter f = {.status = a->status, .level = a->level, .category = a->category, .q = a->q};
	json_t *items, *it;
	int64_t total;
	size_t i;
	if (desk_ticket_list(x->st, &x->cf, &x->who, x->now, &f, a->mine, &pg, &items, &total, e))
		return e->code;
	json_t *page = json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page",
				 pg.page, "page_size", pg.page_size);
	if (a->json) {
		print_json(page);
		return 0;
	}
	printf("%-6s %-3s %-15s %-12s %-6s %-6s %s\n", "id", "lvl", "category", "status", "resp", "resol", "title");
	json_array_foreach(items, i, it) {
		json_t *sla = json_object_get(it, "sla");
		printf("%-6lld %-3lld %-15s %-12s %-6s %-6s %s\n", (long long)json_integer_value(json_object_get(it, "id")),
		       (long long)json_integer_value(json_object_get(it, "level")),
		       json_string_value(json_object_get(it, "category")), json_string_value(json_object_get(it, "status")),
		       clock_mark(json_object_get(sla, "response")), clock_mark(json_object_get(sla, "resolution")),
		       json_string_value(json_object_get(it, "title")));
	}
	printf("total %lld\n", (long long)total);
	json_decref(page);
	return 0;
}

/* ---- reports and notifications ---------------------------------------------------------------- */

static int write_out(const char *path, const char *body, size_t len, struct err *e)
{
	FILE *f = path ? fopen(path, "wb") : stdout;
	if (!f)
		return err_set(e, ERR_INTERNAL, "o", "cannot write %s", path);
	fwrite(body, 1, len, f);
	if (f != stdout && fclose(f))
		return err_set(e, ERR_INTERNAL, "o", "cannot write %s", path);
	return 0;
}

static int report(struct ctx *x, const struct args *a, struct err *e)
{
	char *body = NULL;
	size_t len = 0;
	int rc;
	if (strcmp(a->sub, "ticket") == 0) {
		if (a->id <= 0)
			return err_set(e, ERR_INVALID, "id", "--id N is required");
		rc = desk_report_ticket(x->st, &x->cf, &x->who, x->now, a->id, &body, &len, e);
	} else if (strcmp(a->sub, "monthly") == 0) {
		const char *fmt = a->format ? a->format : "html";
		int format = strcmp(fmt, "xlsx") == 0 ? DESK_XLSX : strcmp(fmt, "html") == 0 ? DESK_HTML : 0;
		if (!format)
			return err_set(e, ERR_INVALID, "format", "--format xlsx|html");
		if (format == DESK_XLSX && !a->out)
			return err_set(e, ERR_INVALID, "o", "xlsx needs -o FILE");
		rc = desk_report_monthly(x->st, &x->cf, &x->who, x->now, a->period ? a->period : "", format,
					 format == DESK_XLSX ? a->out : NULL, &body, &len, e);
	} else
		return err_set(e, ERR_INVALID, "", "report monthly | report ticket");
	if (rc == 0 && body)
		rc = write_out(a->out, body, len, e);
	free(body);
	return rc;
}

static int run(struct ctx *x, const struct args *a, struct err *e)
{
	struct cli_desk_svc svc = {a->group, a->sub, a->data, a->q, a->tag, a->status, a->id, a->index, a->mine,
				   a->page, a->page_size};
	int handled, rc = cli_desk_service(x->st, &x->who, x->now, &svc, &handled, e);
	if (handled)
		return rc;
	if (strcmp(a->group, "ticket") == 0) {
		if (strcmp(a->sub, "add") == 0)
			return ticket_add(x, a, e);
		if (strcmp(a->sub, "act") == 0)
			return ticket_act(x, a, e);
		if (strcmp(a->sub, "show") == 0)
			return a->id > 0 ? show(x, a->id, 1, e) : err_set(e, ERR_INVALID, "id", "--id N is required");
		if (strcmp(a->sub, "list") == 0)
			return ticket_list(x, a, e);
	} else if (strcmp(a->group, "report") == 0) {
		return report(x, a, e);
	} else if (strcmp(a->group, "notify") == 0) {
		int sent, failed;
		curl_global_init(CURL_GLOBAL_DEFAULT);
		if (desk_notify_flush(x->st, &x->cf, x->now, &sent, &failed, e))
			return e->code;
		printf("sent %d, given up %d\n", sent, failed);
		return 0;
	}
	return err_set(e, ERR_INVALID, "", "unknown subcommand '%s %s'", a->group, a->sub);
}

int cli_desk(int argc, char **argv)
{
	struct args a;
	struct ctx x;
	struct err e = {0};
	int rc = parse(argc, argv, &a);
	if (rc)
		return rc > 0 ? 0 : cli_usage(usage, "desk: a subcommand and --db PATH are required");
	if (ctx_open(&a, &x, &e) || run(&x, &a, &e)) {
		store_close(x.st);
		return e.code == ERR_INVALID && !e.field[0] ? cli_usage(usage, "%s", e.msg) : cli_fail(&e);
	}
	store_close(x.st);
	return 0;
}
