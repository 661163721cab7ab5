/*
** cli_desk_svc.c: `gonggai desk request|consult|article|training|backbone|
** plan|drill|visit ...`: the other services of 第一条 from the command line.
** Input is --data JSON, the very object the API's POST takes, handed to the
** same desk call; output is the JSON the API answers.
*/
#include "cli/cli_desk.h"
#include "base/json.h"
#include "desk/desk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_json(json_t *j)
{
	char *s = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	puts(s ? s : "null");
	free(s);
	json_decref(j);
}

static int data_of(const struct cli_desk_svc *a, json_t **out, struct err *e)
{
	if (!a->data)
		return err_set(e, ERR_INVALID, "data", "--data JSON is required");
	if (json_parse_object(a->data, strlen(a->data), out, e))
		return err_set(e, ERR_INVALID, "data", "%s", e->msg);
	return 0;
}

static int print_list(int rc, json_t *items, int64_t total, const struct page *pg)
{
	if (rc)
		return rc;
	print_json(json_pack("{s:o,s:I,s:i,s:i}", "items", items, "total", (json_int_t)total, "page", pg->page,
			     "page_size", pg->page_size));
	return 0;
}

/* The writes: every group's add (and act/update/set), by the same calls as the API. */
static int write_op(struct store *st, const struct principal *who, int64_t now, const struct cli_desk_svc *a,
		    const json_t *in, struct err *e)
{
	int64_t id = 0;
	const char *g = a->group, *s = a->sub;
	int rc;
	if (!strcmp(g, "request") && !strcmp(s, "act")) {
		json_t *out;
		if (desk_request_act(st, who, now, a->id, in, e) || desk_request_show(st, who, a->id, &out, e))
			return e->code;
		print_json(out);
		return 0;
	}
	if (!strcmp(g, "backbone") && !strcmp(s, "set"))
		return desk_backbone_set(st, who, now, in, e);
	if (!strcmp(s, "add") && !strcmp(g, "request"))
		rc = desk_request_add(st, who, now, in, &id, e);
	else if (!strcmp(s, "add") && !strcmp(g, "consult"))
		rc = desk_consult_add(st, who, now, in, &id, e);
	else if (!strcmp(g, "article") && (!strcmp(s, "add") || !strcmp(s, "update")))
		rc = desk_article_save(st, who, now, s[0] == 'u' ? a->id : 0, in, &id, e);
	else if (!strcmp(s, "add") && !strcmp(g, "training"))
		rc = desk_training_add(st, who, now, in, &id, e);
	else if (!strcmp(s, "add") && !strcmp(g, "plan"))
		rc = desk_plan_add(st, who, now, in, &id, e);
	else if (!strcmp(s, "add") && !strcmp(g, "drill"))
		rc = desk_drill_add(st, who, now, in, &id, e);
	else if (!strcmp(s, "add") && !strcmp(g, "visit"))
		rc = desk_visit_add(st, who, now, in, &id, e);
	else
		return err_set(e, ERR_INVALID, "", "unknown subcommand '%s %s'", g, s);
	if (rc == 0)
		print_json(json_pack("{s:I}", "id", (json_int_t)id));
	return rc;
}

static int is_write(const struct cli_desk_svc *a)
{
	static const char *const subs[] = {"add", "act", "update", "set", NULL};
	for (int i = 0; subs[i]; i++)
		if (strcmp(a->sub, subs[i]) == 0)
			return 1;
	return 0;
}

static int read_op(struct store *st, const struct principal *who, int64_t now, const struct cli_desk_svc *a,
		   struct err *e)
{
	struct page pg = {a->page, a->page_size};
	json_t *items = NULL, *out;
	int64_t total = 0, id;
	const char *g = a->group, *s = a->sub;
	int rc;
	if (!strcmp(g, "request") && !strcmp(s, "list"))
		rc = desk_request_list(st, who, a->status, a->q, a->mine, &pg, &items, &total, e);
	else if (!strcmp(g, "consult") && !strcmp(s, "list"))
		rc = desk_consult_list(st, who, a->q, &pg, &items, &total, e);
	else if (!strcmp(g, "article") && !strcmp(s, "search"))
		rc = desk_article_search(st, who, a->q, a->tag, &pg, &items, &total, e);
	else if (!strcmp(g, "training") && !strcmp(s, "list"))
		rc = desk_training_list(st, who, &pg, &items, &total, e);
	else if (!strcmp(g, "drill") && !strcmp(s, "list"))
		rc = desk_drill_list(st, who, &pg, &items, &total, e);
	else if (!strcmp(g, "visit") && !strcmp(s, "list"))
		rc = desk_visit_list(st, who, &pg, &items, &total, e);
	else if ((!strcmp(g, "backbone") || !strcmp(g, "plan")) && !strcmp(s, "list")) {
		rc = g[0] == 'b' ? desk_backbone_list(st, who, &items, e) : desk_plan_list(st, who, &items, e);
		total = rc ? 0 : (int64_t)json_array_size(items);
	} else if (!strcmp(s, "show") && (!strcmp(g, "request") || !strcmp(g, "article"))) {
		if (g[0] == 'r' ? desk_request_show(st, who, a->id, &out, e) : desk_article_show(st, who, a->id, &out, e))
			return e->code;
		print_json(out);
		return 0;
	} else if (!strcmp(g, "visit") && !strcmp(s, "to-request")) {
		if (desk_visit_to_request(st, who, now, a->id, a->index, &id, e) || desk_request_show(st, who, id, &out, e))
			return e->code;
		print_json(out);
		return 0;
	} else
		return err_set(e, ERR_INVALID, "", "unknown subcommand '%s %s'", g, s);
	return print_list(rc, items, total, &pg);
}

int cli_desk_service(struct store *st, const struct principal *who, int64_t now, const struct cli_desk_svc *a,
		     int *handled, struct err *e)
{
	static const char *const groups[] = {"request", "consult", "article", "training", "backbone", "plan",
					     "drill", "visit", NULL};
	json_t *in;
	*handled = 0;
	for (int i = 0; groups[i]; i++)
		*handled |= strcmp(a->group, groups[i]) == 0;
	if (!*handled)
		return 0;
	if (!is_write(a))
		return read_op(st, who, now, a, e);
	if (data_of(a, &in, e))
		return e->code;
	int rc = write_op(st, who, now, a, in, e);
	json_decref(in);
	return rc;
}
