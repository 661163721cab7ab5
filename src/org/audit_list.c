/*
** audit_list.c: the auditor's list of the audit log (see audit.h): the
** filters checked and turned into the store's (an action group "case.*"
** becomes the group its index answers), the page by number or after a
** record (keyset), the count — exact and free without filters (ids are
** contiguous: the head's id is the number of records), else counted up to
** AUDIT_COUNT_CAP — and the audit.read record of the reading itself.
*/
#include "org/audit.h"
#include "store/store_org.h"

#include <stdint.h>
#include <string.h>

static const char *opt(const char *s)
{
	return s && *s ? s : NULL;
}

/* An action code or a group: lower-case letters, digits, '_' and '.'
** parts, a group ending in ".*". */
static int action_ok(const char *a)
{
	size_t n = strlen(a);
	if (n < 1 || n > 64 || a[0] == '.')
		return 0;
	if (n >= 2 && strcmp(a + n - 2, ".*") == 0)
		n -= 2;
	for (size_t i = 0; i < n; i++)
		if (!((a[i] >= 'a' && a[i] <= 'z') || (a[i] >= '0' && a[i] <= '9') || a[i] == '_' || a[i] == '.'))
			return 0;
	return n > 0;
}

/* The store's filter of q; group and prefix point into buf. */
static int filter_of(struct store *st, const struct audit_query *q, struct store_audit_filter *f, char *buf,
		     size_t n, struct err *e)
{
	const char *action = opt(q->action), *outcome = opt(q->outcome);
	memset(f, 0, sizeof *f);
	f->username = opt(q->user);
	f->object = opt(q->object);
	f->from = q->from;
	f->to = q->to;
	if (action && !action_ok(action))
		return err_set(e, ERR_INVALID, "action", "操作应为操作代码或分组 (如 case.accept、case.*): %s", action);
	if (outcome && strcmp(outcome, "success") && strcmp(outcome, "failure") && strcmp(outcome, "denied"))
		return err_set(e, ERR_INVALID, "outcome", "结果应为 success、failure 或 denied: %s", outcome);
	f->outcome = outcome;
	size_t len = action ? strlen(action) : 0;
	if (len >= 2 && strcmp(action + len - 2, ".*") == 0) {
		snprintf(buf, n, "%.*s", (int)(len - 1), action);       /* "case." */
		if (strchr(buf, '.') == buf + len - 2)
			f->group = buf;
		else
			f->prefix = buf;
	} else {
		f->action = action;
	}
	if (q->after < 0)
		return err_set(e, ERR_INVALID, "after", "after 应为审计记录序号: %lld", (long long)q->after);
	if (q->after) {
		int found;
		if (store_audit_at(st, q->after, &f->after_at, &found, e))
			return e->code;
		if (!found)
			return err_set(e, ERR_INVALID, "after", "没有序号为 %lld 的审计记录", (long long)q->after);
		f->after_id = q->after;
	}
	return 0;
}

static int unfiltered(const struct store_audit_filter *f)
{
	return !f->username && !f->action && !f->group && !f->prefix && !f->object && !f->outcome &&
		f->from <= 0 && f->to == INT64_MAX;
}

/* Records matching f (ignoring the keyset position): exact or capped. */
static int count_of(struct store *st, const struct store_audit_filter *f, struct audit_list_result *out,
		    struct err *e)
{
	struct store_audit_filter all = *f;
	char hash[65];
	all.after_id = all.after_at = 0;
	if (unfiltered(&all))
		return store_audit_head(st, &out->total, hash, e);
	if (store_audit_count(st, &all, AUDIT_COUNT_CAP, &out->total, e))
		return e->code;
	out->capped = out->total >= AUDIT_COUNT_CAP;
	return 0;
}

static int record_read(struct store *st, const struct principal *who, int64_t now, const struct audit_query *q,
		       const struct page *pg, struct err *e)
{
	json_t *d = json_pack("{s:s?,s:s?,s:i}", "user", opt(q->user), "action", opt(q->action), "page", pg->page);
	if (opt(q->object))
		json_object_set_new(d, "object", json_string(q->object));
	if (opt(q->outcome))
		json_object_set_new(d, "outcome", json_string(q->outcome));
	if (q->after)
		json_object_set_new(d, "after", json_integer(q->after));
	return audit_write(st, who, now, "audit.read", "audit_log", "success", d, e);
}

int audit_list(struct store *st, const struct principal *who, int64_t now, const struct audit_query *q,
	       const struct page *pg, struct audit_list_result *out, struct err *e)
{
	struct store_audit_filter f;
	char group[80];
	memset(out, 0, sizeof *out);
	if (filter_of(st, q, &f, group, sizeof group, e))
		return e->code;
	if (q->continued)
		out->capped = 1;
	else if (count_of(st, &f, out, e))
		return e->code;
	int64_t offset = f.after_id ? 0 : (int64_t)(pg->page - 1) * pg->page_size;
	if (store_audit_page(st, &f, offset, pg->page_size, &out->items, e))
		return e->code;
	size_t n = json_array_size(out->items);
	if (n == (size_t)pg->page_size)
		out->next_after = json_integer_value(json_object_get(json_array_get(out->items, n - 1), "id"));
	if (!q->continued && record_read(st, who, now, q, pg, e)) {
		json_decref(out->items);
		out->items = NULL;
		return e->code;
	}
	return 0;
}
