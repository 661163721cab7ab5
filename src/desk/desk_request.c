/*
** desk_request.c: 需求受理 — a request for a change (new function,
** interface change, data import, field or view, logo ...) from intake
** through feasibility assessment with an estimate in person-days, the reply,
** the decision (accepted and scheduled, or rejected with the reason) to
** delivery, which may name the exchange runs that carried it. The table
** below says which action is allowed from which status.
*/
#include "desk/desk.h"
#include "desk/desk_int.h"
#include "base/clock.h"
#include "base/json.h"
#include "org/audit.h"

#include <assert.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum rq_status { RS_RECEIVED, RS_ASSESSED, RS_REPLIED, RS_ACCEPTED, RS_SCHEDULED, RS_REJECTED, RS_DELIVERED, RS_N };
enum rq_action { RA_ASSESS, RA_REPLY, RA_ACCEPT, RA_SCHEDULE, RA_REJECT, RA_DELIVER, RA_N };

static const struct dict_entry rq_statuses[] = {
	{"received", "已受理"}, {"assessed", "已评估"}, {"replied", "已答复"}, {"accepted", "已采纳"},
	{"scheduled", "已排期"}, {"rejected", "不予采纳"}, {"delivered", "已交付"}, {NULL, NULL},
};
static const struct dict_entry rq_actions[] = {
	{"assess", "可行性评估"}, {"reply", "答复"}, {"accept", "采纳"}, {"schedule", "排期"},
	{"reject", "不予采纳"}, {"deliver", "交付"}, {NULL, NULL},
};
static const struct dict_entry rq_kinds[] = {
	{"new_function", "新增功能"}, {"interface_change", "接口变更"}, {"data_import", "数据导入"},
	{"field_change", "字段/视图调整"}, {"logo", "标识更换"}, {"other", "其他"}, {NULL, NULL},
};
static const struct dict_entry channels[] = {
	{"phone", "电话"}, {"wechat", "微信"}, {"qq", "QQ"}, {"onsite", "现场"}, {"remote", "远程"}, {NULL, NULL},
};

const struct dict desk_service_dicts[] = {
	{"desk.request_status", rq_statuses}, {"desk.request_action", rq_actions},
	{"desk.request_kind", rq_kinds}, {"desk.channel", channels}, {NULL, NULL},
};

#define X (-1)
/* next[from][action] */
static const signed char next[RS_N][RA_N] = {
	/*              assess       reply       accept       schedule      reject       deliver */
	[RS_RECEIVED]  = {RS_ASSESSED, X, X, X, RS_REJECTED, X},
	[RS_ASSESSED]  = {RS_ASSESSED, RS_REPLIED, X, X, RS_REJECTED, X},
	[RS_REPLIED]   = {X, RS_REPLIED, RS_ACCEPTED, X, RS_REJECTED, X},
	[RS_ACCEPTED]  = {X, X, X, RS_SCHEDULED, RS_REJECTED, RS_DELIVERED},
	[RS_SCHEDULED] = {X, X, X, RS_SCHEDULED, X, RS_DELIVERED},
	[RS_REJECTED]  = {X, X, X, X, X, X},
	[RS_DELIVERED] = {X, X, X, X, X, X},
};
#undef X

static int code_of(const struct dict_entry *d, const char *code)
{
	for (int i = 0; d[i].code && code; i++)
		if (strcmp(d[i].code, code) == 0)
			return i;
	return -1;
}

int desk_channel_ok(const char *code)
{
	return code_of(channels, code) >= 0;
}

static int audit(struct store *st, const struct principal *who, int64_t now, const char *action, int64_t id,
		 json_t *details, struct err *e)
{
	char object[40];
	snprintf(object, sizeof object, "desk_request:%lld", (long long)id);
	return audit_write(st, who, now, action, object, "success", details, e);
}

static int fill_request(const struct principal *who, int64_t now, const json_t *in, struct desk_request *r,
			struct err *e)
{
	static const struct jfield f[] = {
		{"kind", J_STRING, 1}, {"title", J_STRING, 1}, {"description", J_STRING, 0}, {"unit", J_STRING, 0},
		{"requester", J_STRING, 0}, {"links", J_ARRAY, 0}, {NULL},
	};
	const char *kind = json_get_str(in, "kind", NULL), *requester = json_get_str(in, "requester", NULL);
	memset(r, 0, sizeof *r);
	if (json_check(in, f, e))
		return e->code;
	if (code_of(rq_kinds, kind) < 0)
		return err_set(e, ERR_INVALID, "kind", "需求类型为 new_function、interface_change、data_import、"
			       "field_change、logo 或 other");
	if (desk_text_ok(json_get_str(in, "title", NULL), "title", 200, 1, e) ||
	    desk_text_ok(json_get_str(in, "description", NULL), "description", 3900, 0, e) ||
	    desk_text_ok(json_get_str(in, "unit", NULL), "unit", 120, 0, e) ||
	    desk_text_ok(requester, "requester", 90, 0, e) ||
	    desk_links_ok(json_object_get(in, "links"), r->links, sizeof r->links, e))
		return e->code;
	if (requester && !desk_is_ops(who))
		return err_set(e, ERR_FORBIDDEN, "requester", "只有运维人员可以代录需求 (ops only)");
	snprintf(r->kind, sizeof r->kind, "%s", kind);
	snprintf(r->title, sizeof r->title, "%s", json_get_str(in, "title", ""));
	snprintf(r->description, sizeof r->description, "%s", json_get_str(in, "description", ""));
	snprintf(r->unit, sizeof r->unit, "%s", json_get_str(in, "unit", who->department));
	snprintf(r->status, sizeof r->status, "received");
	r->requester_id = requester ? 0 : who->user_id;
	snprintf(r->requester, sizeof r->requester, "%s", requester ? requester : who->username);
	r->estimate_days = NAN;
	r->created_at = r->updated_at = now;
	return 0;
}

/* Insert r with its first event and audit row (inside the caller's transaction). */
int desk_request_insert(struct store *st, const struct principal *who, int64_t now, struct desk_request *r,
			int64_t *id, struct err *e)
{
	if (store_desk_request_insert(st, r, id, e) ||
	    store_desk_request_event_add(st, *id, now, "received", who->username, r->title, e))
		return e->code;
	return audit(st, who, now, "desk.request.add", *id,
		     json_pack("{s:s,s:s,s:s}", "kind", r->kind, "title", r->title, "requester", r->requester), e);
}

int desk_request_add(struct store *st, const struct principal *who, int64_t now, const json_t *in, int64_t *id,
		     struct err *e)
{
	struct desk_request *r = malloc(sizeof *r);
	if (!r)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	int rc = who->user_id > 0 || who->cli ? fill_request(who, now, in, r, e) : err_set(e, ERR_AUTH, "", "请先登录");
	if (rc == 0 && (rc = store_begin(st, e)) == 0) {
		rc = desk_request_insert(st, who, now, r, id, e);
		if (rc == 0)
			rc = store_commit(st, e);
		if (rc)
			store_rollback(st);
	}
	free(r);
	return rc;
}

/* The fields of action a, checked and applied to r; *note gets the event's text. */
static int apply(int a, const json_t *in, struct desk_request *r, int64_t now, const char **note, struct err *e)
{
	const char *text;
	switch (a) {
	case RA_ASSESS: {
		json_t *d = json_object_get(in, "estimate_days");
		text = json_get_str(in, "feasibility", NULL);
		if (desk_text_ok(text, "feasibility", 1900, 1, e))
			return e->code;
		if (!json_is_number(d) || json_number_value(d) < 0 || json_number_value(d) > 10000)
			return err_set(e, ERR_INVALID, "estimate_days", "工作量评估（人天）须为 0 到 10000 的数");
		snprintf(r->feasibility, sizeof r->feasibility, "%s", text);
		r->estimate_days = json_number_value(d);
		*note = text;
		return 0;
	}
	case RA_REPLY:
		text = json_get_str(in, "reply", NULL);
		if (desk_text_ok(text, "reply", 1900, 1, e))
			return e->code;
		snprintf(r->reply, sizeof r->reply, "%s", text);
		*note = text;
		return 0;
	case RA_SCHEDULE:
		text = json_get_str(in, "scheduled_for", NULL);
		if (!text || clock_cn_midnight(text) < 0)
			return err_set(e, ERR_INVALID, "scheduled_for", "排期日期格式为 YYYY-MM-DD");
		snprintf(r->scheduled_for, sizeof r->scheduled_for, "%s", text);
		*note = text;
		return 0;
	case RA_REJECT:
		text = json_get_str(in, "reason", NULL);
		if (desk_text_ok(text, "reason", 900, 1, e))
			return e->code;
		snprintf(r->reason, sizeof r->reason, "%s", text);
		*note = text;
		return 0;
	case RA_DELIVER:
		r->delivered_at = now;
		return json_object_get(in, "links") ? desk_links_ok(json_object_get(in, "links"), r->links,
								     sizeof r->links, e) : 0;
	default:
		return 0;
	}
}

static int act_check(const struct principal *who, const json_t *in, const struct desk_request *r, int *a, int *to,
		     struct err *e)
{
	static const struct jfield f[] = {
		{"action", J_STRING, 1}, {"note", J_STRING, 0}, {"feasibility", J_STRING, 0},
		{"estimate_days", J_NUMBER, 0}, {"reply", J_STRING, 0}, {"reason", J_STRING, 0},
		{"scheduled_for", J_STRING, 0}, {"links", J_ARRAY, 0}, {NULL},
	};
	if (json_check(in, f, e))
		return e->code;
	if (!desk_is_ops(who))
		return err_set(e, ERR_FORBIDDEN, "action", "需求由运维人员处理 (ops only)");
	*a = code_of(rq_actions, json_get_str(in, "action", NULL));
	if (*a < 0)
		return err_set(e, ERR_INVALID, "action", "未知操作: %s", json_get_str(in, "action", ""));
	int from = code_of(rq_statuses, r->status);
	assert(from >= 0);
	*to = next[from][*a];
	if (*to < 0)
		return err_set(e, ERR_CONFLICT, "action", "需求状态为「%s」，不能执行「%s」", rq_statuses[from].label,
			       rq_actions[*a].label);
	return desk_text_ok(json_get_str(in, "note", NULL), "note", 1900, 0, e);
}

int desk_request_act(struct store *st, const struct principal *who, int64_t now, int64_t id, const json_t *in,
		     struct err *e)
{
	struct desk_request *r = malloc(sizeof *r);
	int a = -1, to = -1;
	const char *note = NULL;
	if (!r)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (store_begin(st, e)) {
		free(r);
		return e->code;
	}
	if (store_desk_request_get(st, id, r, e) || act_check(who, in, r, &a, &to, e) || apply(a, in, r, now, &note, e))
		goto fail;
	snprintf(r->status, sizeof r->status, "%s", rq_statuses[to].code);
	r->updated_at = now;
	if (json_get_str(in, "note", NULL))
		note = json_get_str(in, "note", NULL);
	char action[40];
	snprintf(action, sizeof action, "desk.request.%s", rq_actions[a].code);
	if (store_desk_request_update(st, r, e) ||
	    store_desk_request_event_add(st, id, now, rq_actions[a].code, who->username, note, e) ||
	    audit(st, who, now, action, id, json_pack("{s:s,s:s?}", "status", r->status, "note", note), e) ||
	    store_commit(st, e))
		goto fail;
	free(r);
	return 0;
fail:
	store_rollback(st);
	free(r);
	return e->code;
}

static int may_read(const struct principal *who, const struct desk_request *r)
{
	return desk_is_ops(who) || rbac_has(who, ROLE_LEADER) || (who->user_id > 0 && r->requester_id == who->user_id);
}

int desk_request_show(struct store *st, const struct principal *who, int64_t id, json_t **out, struct err *e)
{
	struct desk_request *r = malloc(sizeof *r);
	json_t *events;
	if (!r)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (store_desk_request_get(st, id, r, e) || !may_read(who, r) || store_desk_request_events(st, id, &events, e)) {
		int rc = e->code ? e->code : err_set(e, ERR_NOTFOUND, "id", "需求不存在 (no request %lld)", (long long)id);
		free(r);
		return rc;
	}
	json_t *links = json_loads(r->links, 0, NULL);
	*out = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:I,s:o,s:I,s:I,s:I,s:o}",
			 "id", (json_int_t)r->id, "kind", r->kind, "kind_label", rq_kinds[code_of(rq_kinds, r->kind)].label,
			 "title", r->title, "description", r->description, "status", r->status, "status_label",
			 rq_statuses[code_of(rq_statuses, r->status)].label, "requester", r->requester, "unit", r->unit,
			 "estimate_days", isnan(r->estimate_days) ? json_null() : json_real(r->estimate_days),
			 "feasibility", r->feasibility, "reply", r->reply, "reason", r->reason, "delivered_at",
			 (json_int_t)r->delivered_at, "scheduled_for", r->scheduled_for[0] ? json_string(r->scheduled_for)
										: json_null(),
			 "visit_id", (json_int_t)r->visit_id, "created_at", (json_int_t)r->created_at, "updated_at",
			 (json_int_t)r->updated_at, "links", links ? links : json_array());
	json_t *acts = json_array();
	int from = code_of(rq_statuses, r->status);
	for (int a = 0; a < RA_N && desk_is_ops(who); a++)
		if (next[from][a] >= 0)
			json_array_append_new(acts, json_string(rq_actions[a].code));
	json_object_set_new(*out, "events", events);
	json_object_set_new(*out, "actions", acts);
	free(r);
	return 0;
}

int desk_request_list(struct store *st, const struct principal *who, const char *status, const char *q, int mine,
		      const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	int64_t requester = 0;
	if (status && code_of(rq_statuses, status) < 0)
		return err_set(e, ERR_INVALID, "status", "未知状态: %s", status);
	if (mine || !(desk_is_ops(who) || rbac_has(who, ROLE_LEADER))) {
		if (who->user_id <= 0 && !who->cli)
			return err_set(e, ERR_AUTH, "", "请先登录");
		requester = who->user_id;
	}
	return store_desk_request_list(st, status, requester, q, pg, items, total, e);
}
