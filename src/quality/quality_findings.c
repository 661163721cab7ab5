/*
** quality_findings.c: reading findings (lists, one with its history, the
** overview) within the reader's scope, and a leader's dismissal.
*/
#include "quality/quality_int.h"
#include "base/clock.h"
#include "base/json.h"
#include "org/audit.h"

#include <string.h>

static const char *const statuses[] = {"open", "fixed", "overdue", "dismissed", NULL};

int quality_findings(struct store *st, const struct principal *who, const struct quality_filter *f,
		     const struct page *pg, json_t **out, struct err *e)
{
	struct q_scope sc;
	json_t *items;
	int64_t total;
	int ok = !f->status;
	for (int i = 0; !ok && statuses[i]; i++)
		ok = strcmp(statuses[i], f->status) == 0;
	if (!ok)
		return err_set(e, ERR_INVALID, "status", "状态应为 open、fixed、overdue 或 dismissed: %s", f->status);
	if (q_scope_of(who, &sc, e))
		return e->code;
	struct qs_filter q = {f->status, f->rule, f->department, f->district, f->object, sc.department, sc.district};
	if (store_quality_findings_list(st, &q, pg, &items, &total, e))
		return e->code;
	*out = json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total);
	return 0;
}

/* The finding id when who may read it (ERR_NOTFOUND otherwise). */
static int visible(struct store *st, const struct principal *who, int64_t id, json_t **row, struct err *e)
{
	struct q_scope sc;
	if (q_scope_of(who, &sc, e) || store_quality_finding_get(st, id, row, e))
		return e->code;
	const char *dept = json_get_str(*row, "department", NULL), *dist = json_get_str(*row, "district", "");
	int ok = *row && (!sc.department || (dept && strcmp(dept, sc.department) == 0)) &&
		(!sc.district || strcmp(dist, sc.district) == 0);
	if (!ok) {
		json_decref(*row);
		*row = NULL;
		return err_set(e, ERR_NOTFOUND, "id", "问题不存在: %lld", (long long)id);
	}
	return 0;
}

int quality_finding(struct store *st, const struct principal *who, int64_t id, json_t **out, struct err *e)
{
	json_t *row, *events;
	struct q_ruleset rs;
	if (visible(st, who, id, &row, e))
		return e->code;
	if (store_quality_finding_events(st, id, &events, e) || q_rules_load(st, &rs, e)) {
		json_decref(row);
		return e->code;
	}
	const struct q_rule *r = q_rule_find(&rs, json_get_str(row, "rule", ""));
	if (r) {
		json_object_set_new(row, "rule_name", json_string(r->name));
		json_object_set(row, "fix", json_object_get(r->doc, "fix"));
		json_object_set(row, "basis", json_object_get(r->doc, "basis"));
		json_object_set_new(row, "kind", json_string(r->kind));
	}
	json_object_set_new(row, "events", events);
	q_rules_free(&rs);
	*out = row;
	return 0;
}

int quality_dismiss(struct store *st, const struct principal *who, int64_t now, int64_t id, const char *reason,
		    struct err *e)
{
	json_t *row;
	if (!who->cli && !rbac_has(who, ROLE_LEADER))
		return err_set(e, ERR_FORBIDDEN, "", "只有局领导可以核销质检问题");
	if (!reason || strlen(reason) < 4)
		return err_set(e, ERR_INVALID, "reason", "核销须写明理由（至少 2 个汉字）");
	if (strlen(reason) > 500)
		return err_set(e, ERR_INVALID, "reason", "理由不超过 500 字节");
	if (visible(st, who, id, &row, e))
		return e->code;
	json_decref(row);
	char obj[40];
	snprintf(obj, sizeof obj, "quality_finding:%lld", (long long)id);
	int rc = store_begin(st, e);
	rc = rc ? rc
		: store_quality_finding_dismiss(st, id, who->username, reason, e) ||
			  store_quality_event(st, id, 0, now, "dismissed", who->username, reason, e) ||
			  audit_write(st, who, now, "quality.dismiss", obj, "success", json_pack("{s:s}", "reason", reason), e) ||
			  store_commit(st, e);
	if (rc) {
		store_rollback(st);
		return e->code ? e->code : ERR_INTERNAL;
	}
	return 0;
}

int quality_overview(struct store *st, const struct principal *who, int64_t now, json_t **out, struct err *e)
{
	struct q_scope sc;
	json_t *groups, *weeks, *rejected, *runs;
	int64_t total, open = 0, overdue = 0;
	size_t i;
	json_t *g;
	if (q_scope_of(who, &sc, e) ||
	    store_quality_overview(st, sc.department, sc.district, now - 12 * 7 * 86400, &groups, &weeks, &rejected, e))
		return e->code;
	json_array_foreach(groups, i, g) {
		if (strcmp(json_get_str(g, "status", ""), "open") == 0)
			open += json_get_int(g, "n", 0);
		else
			overdue += json_get_int(g, "n", 0);
	}
	if (store_quality_runs(st, &(struct page){1, 1}, &runs, &total, e)) {
		json_decref(groups);
		json_decref(weeks);
		json_decref(rejected);
		return e->code;
	}
	*out = json_pack("{s:I,s:I,s:o,s:o,s:o,s:O}", "open", (json_int_t)open, "overdue", (json_int_t)overdue,
			 "by_group", groups, "weeks", weeks, "rejected", rejected, "last_run",
			 json_array_size(runs) ? json_array_get(runs, 0) : json_null());
	json_decref(runs);
	return 0;
}
