/*
** desk_read.c: reading tickets: one ticket with its log, clocks and the
** actions open to the reader; lists with each ticket's clocks; the counts of
** the 工作台 badge.
*/
#include "desk/desk.h"
#include "desk/desk_int.h"
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int desk_clocks_of(struct store *st, const struct desk_conf *cf, const struct desk_ticket *t, int64_t now,
		   struct desk_sla *sla, json_t **events, struct err *e)
{
	json_t *ev;
	if (store_desk_events(st, t->id, &ev, e))
		return e->code;
	desk_sla(cf, t, ev, now, sla);
	if (events)
		*events = ev;
	else
		json_decref(ev);
	return 0;
}

static json_t *iso(int64_t t)
{
	char buf[32];
	return t ? json_string(clock_cn_iso(t, buf)) : json_null();
}

static json_t *allowed_actions(const struct principal *who, const struct desk_ticket *t)
{
	json_t *out = json_array();
	int from = desk_status_parse(t->status);
	for (int a = 0; a < DA_N; a++) {
		if (desk_next_status(from, a) < 0 || (a == DA_RCA && (t->level != 1 || t->rca[0])))
			continue;
		if (desk_is_ops(who) || (who->user_id > 0 && who->user_id == t->reporter_id &&
					 (a == DA_VERIFY || a == DA_REOPEN)))
			json_array_append_new(out, json_string(desk_action_code(a)));
	}
	return out;
}

static json_t *ticket_json(const struct desk_ticket *t)
{
	json_t *links = json_loads(t->links[0] ? t->links : "[]", 0, NULL);
	return json_pack("{s:I,s:s,s:s,s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:o,s:o,s:s,s:s,s:s,s:s,s:s?,s:s?,"
			 "s:o,s:s,s:s,s:s,s:s}",
			 "id", (json_int_t)t->id, "kind", t->kind, "title", t->title, "description", t->description,
			 "level", t->level, "level_label", desk_label("desk.level", t->level == 1 ? "1" :
								      t->level == 2 ? "2" : "3"),
			 "category", t->category, "category_label", desk_label("desk.category", t->category),
			 "status", t->status, "status_label", desk_label("desk.status", t->status), "reporter",
			 t->reporter, "reported_at", iso(t->reported_at), "created_at", iso(t->created_at),
			 "updated_at", iso(t->updated_at), "created_by", t->created_by, "handler", t->handler,
			 "affected", t->affected, "source", t->source, "source_ref",
			 t->source_ref[0] ? t->source_ref : NULL, "item",
			 strcmp(t->source, "inspection") == 0 ? t->source_ref : NULL, "links",
			 links ? links : json_array(), "cause", t->cause, "fix", t->fix, "prevention", t->prevention,
			 "rca", t->rca);
}

static void label_events(json_t *events)
{
	size_t i;
	json_t *ev;
	char buf[32];
	json_array_foreach(events, i, ev) {
		const char *a = json_string_value(json_object_get(ev, "action"));
		json_object_set_new(ev, "label", json_string(desk_label("desk.event", a)));
		json_object_set_new(ev, "at_iso", json_string(clock_cn_iso(
			json_integer_value(json_object_get(ev, "at")), buf)));
	}
}

int desk_ticket_show(struct store *st, const struct desk_conf *cf, const struct principal *who, int64_t now,
		     int64_t id, json_t **out, struct err *e)
{
	struct desk_ticket *t = malloc(sizeof *t);
	struct desk_sla sla;
	json_t *events;
	if (!t)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (store_desk_ticket_get(st, id, t, e) || desk_clocks_of(st, cf, t, now, &sla, &events, e)) {
		free(t);
		return e->code;
	}
	if (!(desk_is_ops(who) || rbac_has(who, ROLE_LEADER) || (who->user_id > 0 && t->reporter_id == who->user_id))) {
		json_decref(events);
		free(t);
		return err_set(e, ERR_NOTFOUND, "id", "工单不存在 (no ticket %lld)", (long long)id);
	}
	label_events(events);
	*out = ticket_json(t);
	json_object_set_new(*out, "sla", desk_sla_json(&sla));
	json_object_set_new(*out, "events", events);
	json_object_set_new(*out, "actions", allowed_actions(who, t));
	free(t);
	return 0;
}

/* The row of a listing as the struct desk_sla needs. */
static void row_ticket(const json_t *row, struct desk_ticket *t)
{
	memset(t, 0, sizeof *t);
	t->id = json_integer_value(json_object_get(row, "id"));
	t->level = (int)json_integer_value(json_object_get(row, "level"));
	t->reported_at = json_integer_value(json_object_get(row, "reported_at"));
	snprintf(t->category, sizeof t->category, "%s", json_string_value(json_object_get(row, "category")));
	snprintf(t->status, sizeof t->status, "%s", json_string_value(json_object_get(row, "status")));
}

int desk_ticket_list(struct store *st, const struct desk_conf *cf, const struct principal *who, int64_t now,
		     const struct desk_filter *f, int mine, const struct page *pg, json_t **items,
		     int64_t *total, struct err *e)
{
	struct desk_filter g = *f;
	struct desk_ticket *t;
	size_t i;
	json_t *row;
	if (mine || !(desk_is_ops(who) || rbac_has(who, ROLE_LEADER))) {
		if (who->user_id <= 0 && !who->cli)
			return err_set(e, ERR_AUTH, "", "请先登录");
		g.reporter_id = who->cli && !mine ? 0 : who->user_id;
	}
	if (f->status && strcmp(f->status, "active") && desk_status_parse(f->status) < 0)
		return err_set(e, ERR_INVALID, "status", "未知状态: %s", f->status);
	if (f->category && desk_category_parse(f->category) < 0)
		return err_set(e, ERR_INVALID, "category", "未知分类: %s", f->category);
	if (store_desk_ticket_list(st, &g, pg, items, total, e))
		return e->code;
	if (!(t = malloc(sizeof *t))) {
		json_decref(*items);
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	}
	json_array_foreach(*items, i, row) {
		struct desk_sla sla;
		row_ticket(row, t);
		if (desk_clocks_of(st, cf, t, now, &sla, NULL, e)) {
			free(t);
			json_decref(*items);
			return e->code;
		}
		json_object_set_new(row, "reported_at", iso(t->reported_at));
		json_object_set_new(row, "status_label", json_string(desk_label("desk.status", t->status)));
		json_object_set_new(row, "sla", desk_sla_json(&sla));
	}
	free(t);
	return 0;
}

static int any_clock(const struct desk_sla *s, int warning)
{
	const struct desk_clock *c[] = {&s->response, &s->resolution, &s->third_party, &s->rca};
	for (int i = 0; i < 4; i++)
		if (c[i]->applies && (warning ? c[i]->warning : c[i]->breached_at != 0))
			return 1;
	return 0;
}

int desk_badge(struct store *st, const struct desk_conf *cf, const struct principal *who, int64_t now,
	       json_t **out, struct err *e)
{
	struct desk_filter f = {.status = "active"};
	int64_t *ids;
	int n, warn = 0, breach = 0, mine = 0, seen = 0, rc = 0;
	struct desk_ticket *t = malloc(sizeof *t);
	if (!t)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (store_desk_ticket_ids(st, &f, &ids, &n, e)) {
		free(t);
		return e->code;
	}
	for (int i = 0; i < n; i++) {
		struct desk_sla sla;
		rc = store_desk_ticket_get(st, ids[i], t, e);
		if (rc || (rc = desk_clocks_of(st, cf, t, now, &sla, NULL, e)))
			break;
		int own = who->user_id > 0 && (t->handler_id == who->user_id || t->reporter_id == who->user_id);
		if (!own && !(desk_is_ops(who) || rbac_has(who, ROLE_LEADER)))
			continue;
		seen++;
		mine += own;
		warn += any_clock(&sla, 1);
		breach += any_clock(&sla, 0) && strcmp(t->status, "resolved") && strcmp(t->status, "verified");
	}
	free(ids);
	free(t);
	if (rc)
		return rc;
	*out = json_pack("{s:i,s:i,s:i,s:i}", "open", seen, "warning", warn, "breached", breach, "mine", mine);
	return 0;
}

/* ---- the 运维档案 ------------------------------------------------------------------- */

int desk_archive_incidents(void *ctx, struct store *st, int64_t from, int64_t to, json_t *out, struct err *e)
{
	json_t *rows, *r;
	size_t i;
	if (store_desk_archive_tickets(st, from, to, &rows, e))
		return e->code;
	json_array_foreach(rows, i, r) {
		char title[320], detail[600], ref[40];
		char lvl[2] = {(char)('0' + json_integer_value(json_object_get(r, "level"))), 0};
		const char *src = json_string_value(json_object_get(r, "source_ref"));
		const char *cause = json_string_value(json_object_get(r, "cause"));
		long long id = json_integer_value(json_object_get(r, "id"));
		snprintf(title, sizeof title, "故障工单 %lld：%s", id, json_string_value(json_object_get(r, "title")));
		snprintf(detail, sizeof detail, "%s · %s · %s%s%s%s%s", desk_label("desk.level", lvl),
			 desk_label("desk.category", json_string_value(json_object_get(r, "category"))),
			 desk_label("desk.status", json_string_value(json_object_get(r, "status"))), *src ? " · " : "", src,
			 *cause ? " · 原因：" : "", cause);
		snprintf(ref, sizeof ref, "desk_ticket:%lld", id);
		json_array_append_new(out, json_pack("{s:O,s:s,s:s,s:s,s:O,s:s}", "at", json_object_get(r, "reported_at"),
						     "kind", "incident", "title", title, "detail", detail, "actor",
						     json_object_get(r, "reporter"), "ref", ref));
	}
	json_decref(rows);
	return 0;
}

int desk_archive_requests(void *ctx, struct store *st, int64_t from, int64_t to, json_t *out, struct err *e)
{
	json_t *rows, *r;
	size_t i;
	if (store_desk_archive_requests(st, from, to, &rows, e))
		return e->code;
	json_array_foreach(rows, i, r) {
		char title[320], detail[200], ref[40];
		long long id = json_integer_value(json_object_get(r, "id"));
		snprintf(title, sizeof title, "需求 %lld：%s", id, json_string_value(json_object_get(r, "title")));
		const char *unit = json_string_value(json_object_get(r, "unit"));
		snprintf(detail, sizeof detail, "%s · %s%s%s",
			 desk_label("desk.request_kind", json_string_value(json_object_get(r, "kind"))),
			 desk_label("desk.request_status", json_string_value(json_object_get(r, "status"))),
			 *unit ? " · " : "", unit);
		snprintf(ref, sizeof ref, "desk_request:%lld", id);
		json_array_append_new(out, json_pack("{s:O,s:s,s:s,s:s,s:O,s:s}", "at", json_object_get(r, "created_at"),
						     "kind", "request", "title", title, "detail", detail, "actor",
						     json_object_get(r, "requester"), "ref", ref));
	}
	json_decref(rows);
	return 0;
}
