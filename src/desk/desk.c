/*
** desk.c: fault tickets (see desk.h): reporting, the actions of the state
** machine with their required fields, who may see and do what, and the
** event/audit/outbox rows every change writes in its transaction.
*/
#include "desk/desk.h"
#include "desk/desk_int.h"
#include "base/clock.h"
#include "base/json.h"
#include "org/audit.h"
#include "org/org.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* ---- who ---------------------------------------------------------------------------- */

int desk_is_ops(const struct principal *who)
{
	return who->cli || rbac_has(who, ROLE_OPS);
}

static int reads_all(const struct principal *who)
{
	return desk_is_ops(who) || rbac_has(who, ROLE_LEADER);
}

static int may_see(const struct principal *who, const struct desk_ticket *t)
{
	return reads_all(who) || (who->user_id > 0 && t->reporter_id == who->user_id);
}

/* Actions the reporter of a ticket may take on it without the ops role. */
static int reporter_may(int action)
{
	return action == DA_VERIFY || action == DA_REOPEN;
}

static int may_act(const struct principal *who, const struct desk_ticket *t, int action)
{
	if (desk_is_ops(who))
		return 1;
	return who->user_id > 0 && t->reporter_id == who->user_id && reporter_may(action);
}

int desk_principal_for(struct store *st, const char *username, struct principal *p, struct err *e)
{
	struct user u;
	if (org_user_by_name(st, username, &u, e))
		return err_set(e, ERR_INVALID, "as", "账号不存在: %s", username);
	if (!u.active)
		return err_set(e, ERR_FORBIDDEN, "as", "账号已停用: %s", username);
	org_principal(&u, p);
	snprintf(p->source, sizeof p->source, "cli");
	return 0;
}

void desk_system_principal(struct principal *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->username, sizeof p->username, "system:desk");
	snprintf(p->source, sizeof p->source, "system");
	p->roles = ROLE_OPS;
}

/* ---- time ----------------------------------------------------------------------------- */

int desk_parse_time(const char *s, const char *field, int64_t *out, struct err *e)
{
	int y, mo, d, h = 0, mi = 0, sec = 0, n = 0, oh = 8, om = 0;
	char sign = '+';
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		goto bad;
	const char *p = s + n;
	if (*p == 'T' || *p == ' ') {
		int m = 0;
		if (sscanf(p + 1, "%2d:%2d%n", &h, &mi, &m) != 2)
			goto bad;
		p += 1 + m;
		if (*p == ':' && sscanf(p + 1, "%2d%n", &sec, &m) == 1)
			p += 1 + m;
	}
	if (*p == 'Z') {
		oh = 0;
		p++;
	} else if ((*p == '+' || *p == '-') && sscanf(p + 1, "%2d:%2d", &oh, &om) == 2) {
		sign = *p;
		p += 6;
	}
	if (*p || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		goto bad;
	struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi,
			.tm_sec = sec};
	int64_t off = (oh * 3600 + om * 60) * (sign == '-' ? -1 : 1);
	*out = (int64_t)timegm(&tm) - off;
	return 0;
bad:
	return err_set(e, ERR_INVALID, field, "时间格式应为 YYYY-MM-DDTHH:MM[:SS][+08:00], got \"%s\"", s);
}

/* ---- rows every change writes ------------------------------------------------------------- */

static int outbox(struct store *st, const struct desk_conf *cf, const struct desk_ticket *t, int64_t now,
		  const char *event, const char *actor, const char *note, struct err *e)
{
	char at[32];
	if (!cf->webhook_url[0])
		return 0;
	json_t *body = json_pack("{s:s,s:s,s:s,s:s,s:{s:I,s:s,s:i,s:s,s:s,s:s,s:s?,s:s}}", "event", event,
				 "at", clock_cn_iso(now, at), "actor", actor, "note", note ? note : "", "ticket",
				 "id", (json_int_t)t->id, "title", t->title, "level", t->level, "category",
				 t->category, "status", t->status, "handler", t->handler, "source_ref",
				 t->source_ref[0] ? t->source_ref : NULL, "reporter", t->reporter);
	char *text = json_text(body);
	json_decref(body);
	int rc = text ? store_desk_outbox_add(st, now, text, e) : err_set(e, ERR_INTERNAL, "", "out of memory");
	free(text);
	return rc;
}

int desk_record(struct store *st, const struct desk_conf *cf, const struct principal *who, int64_t at,
		int64_t now, const struct desk_ticket *t, const char *event, const char *note, json_t *details,
		struct err *e)
{
	char object[40], *text = details ? json_text(details) : NULL;
	snprintf(object, sizeof object, "desk_ticket:%lld", (long long)t->id);
	int rc = store_desk_event_add(st, t->id, at, event, who->username, note, text, e);
	free(text);
	if (rc == 0)
		rc = outbox(st, cf, t, at, event, who->username, note, e);
	char action[64];
	snprintf(action, sizeof action, "desk.ticket.%s", event);
	json_t *ad = json_pack("{s:s,s:s?}", "status", t->status, "note", note && *note ? note : NULL);
	if (details)
		json_object_update(ad, details);
	json_decref(details);
	if (rc)
		json_decref(ad);
	return rc ? rc : audit_write(st, who, now, action, object, "success", ad, e);
}

/* ---- reporting ------------------------------------------------------------------------------ */

int desk_text_ok(const char *v, const char *field, size_t max, int required, struct err *e)
{
	if (required && (!v || !*v))
		return err_set(e, ERR_INVALID, field, "必填 (required)");
	if (v && strlen(v) > max)
		return err_set(e, ERR_INVALID, field, "过长 (at most %zu bytes)", max);
	return 0;
}

int desk_links_ok(const json_t *links, char *out, size_t cap, struct err *e)
{
	static const char *const types[] = {"inspection", "backup", "exchange", "case", "run", NULL};
	size_t i;
	const json_t *l;
	if (!links)
		return 0;
	if (!json_is_array(links))
		return err_set(e, ERR_INVALID, "links", "must be an array of {type, ref}");
	json_array_foreach(links, i, l) {
		const char *ty = json_string_value(json_object_get(l, "type"));
		int ok = 0;
		for (int k = 0; types[k] && ty; k++)
			ok |= strcmp(types[k], ty) == 0;
		if (!ok || !json_is_string(json_object_get(l, "ref")) || json_object_size(l) != 2)
			return err_set(e, ERR_INVALID, "links",
				       "每项为 {type: inspection|backup|exchange|case|run, ref: 文本}");
	}
	char *t = json_text(links);
	int too_long = !t || strlen(t) >= cap;
	if (!too_long)
		snprintf(out, cap, "%s", t);
	free(t);
	return too_long ? err_set(e, ERR_INVALID, "links", "too many links") : 0;
}

static int ticket_fill(const struct desk_ticket_in *in, const struct principal *who, int64_t now,
		       struct desk_ticket *t, struct err *e)
{
	memset(t, 0, sizeof *t);
	if (in->kind && strcmp(in->kind, "fault"))
		return err_set(e, ERR_INVALID, "kind", "工单类型只能是 fault (fault only)");
	if (in->level < 1 || in->level > 3)
		return err_set(e, ERR_INVALID, "level", "故障级别为 1、2 或 3");
	if (desk_category_parse(in->category) < 0)
		return err_set(e, ERR_INVALID, "category",
			       "分类为 config、bug、third_party、user_env 或 infrastructure");
	if (desk_text_ok(in->title, "title", 200, 1, e) || desk_text_ok(in->description, "description", 3900, 0, e) ||
	    desk_text_ok(in->affected, "affected", 990, 0, e) || desk_text_ok(in->caller, "caller", 90, 0, e) ||
	    desk_links_ok(in->links, t->links, sizeof t->links, e))
		return e->code;
	if ((in->reported_at || in->caller) && !desk_is_ops(who))
		return err_set(e, ERR_FORBIDDEN, in->reported_at ? "reported_at" : "caller",
			       "只有运维人员可以代录电话报障 (ops only)");
	t->reported_at = now;
	if (in->reported_at && desk_parse_time(in->reported_at, "reported_at", &t->reported_at, e))
		return e->code;
	if (t->reported_at > now || t->reported_at < now - 7 * 86400)
		return err_set(e, ERR_INVALID, "reported_at", "报障时间须在过去 7 天内且不晚于现在");
	snprintf(t->kind, sizeof t->kind, "fault");
	t->level = in->level;
	snprintf(t->category, sizeof t->category, "%s", in->category);
	snprintf(t->title, sizeof t->title, "%s", in->title);
	snprintf(t->description, sizeof t->description, "%s", in->description ? in->description : "");
	snprintf(t->affected, sizeof t->affected, "%s", in->affected ? in->affected : "");
	snprintf(t->status, sizeof t->status, "open");
	snprintf(t->source, sizeof t->source, "person");
	t->reporter_id = in->caller ? 0 : who->user_id;
	snprintf(t->reporter, sizeof t->reporter, "%s", in->caller ? in->caller : who->username);
	snprintf(t->created_by, sizeof t->created_by, "%s", who->username);
	t->created_at = t->updated_at = now;
	return 0;
}

int desk_ticket_add(struct store *st, const struct desk_conf *cf, const struct principal *who, int64_t now,
		    const struct desk_ticket_in *in, int64_t *id, struct err *e)
{
	struct desk_ticket t;
	if (who->user_id <= 0 && !who->cli)
		return err_set(e, ERR_AUTH, "", "请先登录");
	if (ticket_fill(in, who, now, &t, e))
		return e->code;
	if (store_begin(st, e))
		return e->code;
	if (store_desk_ticket_insert(st, &t, id, e))
		goto fail;
	t.id = *id;
	json_t *d = json_pack("{s:i,s:s,s:s,s:I}", "level", t.level, "category", t.category, "reporter",
			      t.reporter, "reported_at", (json_int_t)t.reported_at);
	if (desk_record(st, cf, who, now, now, &t, "created", in->description, d, e))
		goto fail;
	return store_commit(st, e);
fail:
	store_rollback(st);
	return e->code;
}

/* ---- actions --------------------------------------------------------------------------------- */

static int act_assign(struct store *st, const struct desk_act_in *in, struct desk_ticket *t, json_t *d,
		      struct err *e)
{
	struct user u;
	if (!in->handler || !*in->handler)
		return err_set(e, ERR_INVALID, "handler", "指派须指定处理人 (required)");
	if (org_user_by_name(st, in->handler, &u, e) || !u.active)
		return err_set(e, ERR_INVALID, "handler", "账号不存在或已停用: %s", in->handler);
	if (!(rbac_parse_roles(u.roles) & ROLE_OPS))
		return err_set(e, ERR_INVALID, "handler", "处理人须为运维人员 (ops role): %s", in->handler);
	t->handler_id = u.id;
	snprintf(t->handler, sizeof t->handler, "%s", u.username);
	json_object_set_new(d, "handler", json_string(u.username));
	return 0;
}

static int act_resolve(const struct desk_act_in *in, struct desk_ticket *t, json_t *d, struct err *e)
{
	if (desk_text_ok(in->cause, "cause", 1900, 1, e) || desk_text_ok(in->fix, "fix", 1900, 1, e) ||
	    desk_text_ok(in->prevention, "prevention", 1900, 1, e))
		return e->code;
	snprintf(t->cause, sizeof t->cause, "%s", in->cause);
	snprintf(t->fix, sizeof t->fix, "%s", in->fix);
	snprintf(t->prevention, sizeof t->prevention, "%s", in->prevention);
	json_object_set_new(d, "cause", json_string(in->cause));
	json_object_set_new(d, "fix", json_string(in->fix));
	json_object_set_new(d, "prevention", json_string(in->prevention));
	return 0;
}

static int act_rca(const struct desk_act_in *in, struct desk_ticket *t, struct err *e)
{
	if (t->level != 1)
		return err_set(e, ERR_CONFLICT, "action", "只有一级故障需要提交RCA报告 (level 1 only)");
	if (t->rca[0])
		return err_set(e, ERR_CONFLICT, "action", "RCA报告已提交 (already submitted)");
	if (desk_text_ok(in->rca, "rca", 7900, 1, e))
		return e->code;
	snprintf(t->rca, sizeof t->rca, "%s", in->rca);
	return 0;
}

/* The fields an action needs, checked and applied to t; details get them. */
static int act_fields(struct store *st, const struct principal *who, int action, const struct desk_act_in *in,
		      struct desk_ticket *t, json_t *d, struct err *e)
{
	switch (action) {
	case DA_ASSIGN:
		return act_assign(st, in, t, d, e);
	case DA_RESPOND:
		if (!t->handler[0] && who->user_id > 0) {
			t->handler_id = who->user_id;
			snprintf(t->handler, sizeof t->handler, "%s", who->username);
		}
		return 0;
	case DA_PAUSE:
		if (desk_text_ok(in->reason, "reason", 900, 1, e))
			return e->code;
		json_object_set_new(d, "reason", json_string(in->reason));
		return 0;
	case DA_RESOLVE:
		return act_resolve(in, t, d, e);
	case DA_RCA:
		return act_rca(in, t, e);
	default:
		return 0;
	}
}

static int act_check(const struct principal *who, const struct desk_ticket *t, const struct desk_act_in *in,
		     int *action, int *to, struct err *e)
{
	*action = desk_action_parse(in->action);
	if (*action < 0)
		return err_set(e, ERR_INVALID, "action", "未知操作: %s", in->action ? in->action : "");
	if (!may_see(who, t))
		return err_set(e, ERR_NOTFOUND, "id", "工单不存在 (no ticket %lld)", (long long)t->id);
	if (!may_act(who, t, *action))
		return err_set(e, ERR_FORBIDDEN, "action", "无权执行 %s (ops only)", in->action);
	int from = desk_status_parse(t->status);
	*to = desk_next_status(from, *action);
	if (*to < 0)
		return err_set(e, ERR_CONFLICT, "action", "工单状态为「%s」，不能执行「%s」",
			       desk_label("desk.status", t->status), desk_label("desk.action", in->action));
	return desk_text_ok(in->note, "note", 1900, 0, e);
}

int desk_ticket_act(struct store *st, const struct desk_conf *cf, const struct principal *who, int64_t now,
		    int64_t id, const struct desk_act_in *in, struct err *e)
{
	struct desk_ticket *t = malloc(sizeof *t);
	int action = -1, to = -1;
	json_t *d = json_object();
	if (!t || !d) {
		free(t);
		json_decref(d);
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	}
	if (store_begin(st, e))
		goto out;
	if (store_desk_ticket_get(st, id, t, e) || act_check(who, t, in, &action, &to, e) ||
	    act_fields(st, who, action, in, t, d, e))
		goto fail;
	snprintf(t->status, sizeof t->status, "%s", desk_status_code(to));
	t->updated_at = now;
	const char *note = action == DA_PAUSE ? in->reason : in->note;
	json_t *dd = d;
	d = NULL;
	if (store_desk_ticket_update(st, t, e) ||
	    desk_record(st, cf, who, now, now, t, in->action, note, dd, e) || store_commit(st, e))
		goto fail;
	free(t);
	return 0;
fail:
	store_rollback(st);
out:
	json_decref(d);
	free(t);
	return e->code;
}
