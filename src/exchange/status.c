/*
** status.c: [exchange] configuration, the status document, rejections for
** the data-quality module, run history and withdrawals.
*/
#include "exchange/xchg_int.h"

#include "base/clock.h"
#include "calendar/cal.h"
#include "org/audit.h"
#include "org/rbac.h"
#include "store/store_exchange.h"

#include <stdio.h>
#include <string.h>

static const struct dict_entry tables[] = {
	{"SPGL_DFXMSPLCXXB", "地方项目审批流程信息表"}, {"SPGL_DFXMSPLCJDXXB", "审批流程阶段信息表"},
	{"SPGL_DFXMSPLCJDSXXXB", "审批阶段事项信息表"}, {"SPGL_XMJBXXB", "项目基本信息表"},
	{"SPGL_XMDWXXB", "项目单位信息表"}, {"SPGL_XMSPSXBLXXB", "审批事项办理信息表"},
	{"SPGL_XMSPSXBLXXXXB", "审批事项办理详细信息表"}, {"SPGL_XMSPSXBLTBCXXXB", "特别程序信息表"},
	{"SPGL_XMSPSXPFWJXXB", "批复文件信息表"}, {"SPGL_XMQTFJXXB", "其他附件信息表"},
	{"SPGL_XMSQCLJQTFJXXB", "申请材料及其他附件信息表"}, {NULL, NULL},
};
static const struct dict_entry states[] = {
	{"pending", "待上报"}, {"sent", "已上报待反馈"}, {"accepted", "已入库"}, {"rejected", "被退回"}, {NULL, NULL},
};
static const struct dict_entry run_kinds[] = {{"push", "上报"}, {"pull", "读取反馈"}, {NULL, NULL}};
static const struct dict_entry run_states[] = {
	{"running", "运行中"}, {"done", "完成"}, {"failed", "失败"}, {NULL, NULL},
};
static const struct dict_entry triggers[] = {
	{"schedule", "定时"}, {"http", "手动（页面）"}, {"cli", "命令行"}, {NULL, NULL},
};

const struct dict exchange_dicts[] = {
	{"exchange.table", tables}, {"exchange.state", states}, {"exchange.run_kind", run_kinds},
	{"exchange.run_state", run_states}, {"exchange.trigger", triggers}, {NULL, NULL},
};

int exchange_conf_load(const struct conf *c, struct exchange_conf *cf, struct err *e)
{
	const char *wait = conf_str(c, "exchange", "wait_for_parent", "accepted");
	const char *x = conf_str(c, "exchange", "xzqhdm", "610200");
	memset(cf, 0, sizeof *cf);
	if (conf_int_ok(c, "exchange", "interval_minutes", 1, 1440, e) ||
	    conf_int_ok(c, "exchange", "batch_rows", 1, 100000, e))
		return e->code;
	if (strcmp(wait, "accepted") != 0 && strcmp(wait, "sent") != 0)
		return err_set(e, ERR_INVALID, "exchange.wait_for_parent", "must be accepted or sent, not '%s'", wait);
	if (strlen(x) != 6 || strspn(x, "0123456789") != 6)
		return err_set(e, ERR_INVALID, "exchange.xzqhdm", "must be a 6-digit division code, not '%s'", x);
	snprintf(cf->target, sizeof cf->target, "%s", conf_str(c, "exchange", "target", ""));
	snprintf(cf->mapping, sizeof cf->mapping, "%s", conf_str(c, "exchange", "mapping", "spgl-2019"));
	snprintf(cf->xzqhdm, sizeof cf->xzqhdm, "%s", x);
	cf->interval_minutes = (int)conf_int(c, "exchange", "interval_minutes", 5);
	cf->batch_rows = (int)conf_int(c, "exchange", "batch_rows", 1000);
	cf->wait_accepted = strcmp(wait, "accepted") == 0;
	return 0;
}

static json_t *iso_or_null(int64_t t)
{
	char buf[32];
	return t ? json_string(clock_cn_iso(t, buf)) : json_null();
}

/* A zero row for every table of the mapping, then the counts over them. */
static int counts(struct store *st, const struct exchange_conf *cf, json_t **out, struct err *e)
{
	struct xmap *m = NULL;
	json_t *rows, *v, *tables = json_array();
	size_t i;
	if (xmap_load(cf->mapping, &m, e) || store_xchg_counts(st, &rows, e)) {
		xmap_free(m);
		json_decref(tables);
		return e->code;
	}
	for (int k = 0; k < m->ntables; k++) {
		json_t *row = json_pack("{s:s,s:i,s:i,s:i,s:i}", "table", m->tables[k].table, "pending", 0, "sent", 0,
					"accepted", 0, "rejected", 0);
		json_array_foreach(rows, i, v) if (strcmp(json_string_value(json_object_get(v, "table")),
							   m->tables[k].table) == 0)
			json_object_update_existing(row, v);
		json_array_append_new(tables, row);
	}
	json_decref(rows);
	xmap_free(m);
	*out = tables;
	return 0;
}

int exchange_status(struct store *st, const struct exchange_conf *cf, json_t **out, struct err *e)
{
	json_t *tables = NULL, *rejected, *v;
	int64_t push = 0, pull = 0;
	size_t i;
	if (counts(st, cf, &tables, e))
		return e->code;
	if (store_xchg_rejected(st, &rejected, e) || store_xchg_run_last(st, "push", &push, e) ||
	    store_xchg_run_last(st, "pull", &pull, e)) {
		json_decref(tables);
		return e->code;
	}
	json_array_foreach(rejected, i, v)
		json_object_set_new(v, "since", iso_or_null(json_integer_value(json_object_get(v, "since"))));
	/* a push pulls first: the latest of both is when verdicts were last read */
	*out = json_pack("{s:o,s:o,s:o,s:o}", "tables", tables, "rejected", rejected, "last_push", iso_or_null(push),
			 "last_pull", iso_or_null(pull > push ? pull : push));
	return 0;
}

int exchange_runs(struct store *st, const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	json_t *v;
	size_t i;
	if (store_xchg_runs(st, pg, items, total, e))
		return e->code;
	json_array_foreach(*items, i, v) {
		json_t *rep = json_loads(json_string_value(json_object_get(v, "report")) ?
					 json_string_value(json_object_get(v, "report")) : "null", JSON_DECODE_ANY, NULL);
		json_object_set_new(v, "report", rep ? rep : json_null());
	}
	return 0;
}

int exchange_rejections(struct store *st, exchange_rejection_fn each, void *arg, struct err *e)
{
	json_t *rows, *v;
	size_t i;
	int rc = 0;
	if (store_xchg_rejected(st, &rows, e))
		return e->code;
	json_array_foreach(rows, i, v) {
		rc = each(arg, json_string_value(json_object_get(v, "table")),
			  json_string_value(json_object_get(v, "dfsjzj")), json_string_value(json_object_get(v, "object")),
			  json_string_value(json_object_get(v, "department")), json_string_value(json_object_get(v, "reason")),
			  json_integer_value(json_object_get(v, "since")));
		if (rc) {
			if (!e->code)
				err_set(e, rc, "", "rejection callback failed");
			break;
		}
	}
	json_decref(rows);
	return rc;
}

int exchange_touch(struct store *st, const char *table, int64_t id, struct err *e)
{
	static const char *const kinds[][2] = {{"cases", "case"}, {"case_status", "status"}, {"case_documents", "document"}};
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(table, kinds[i][0]) == 0)
			return store_xchg_dirty_add(st, kinds[i][1], id, e);
	return err_set(e, ERR_INVALID, "table", "the exchange reports no rows of %s by id", table);
}

/* The rows reported of a project (its row and its units') or of a 办件 (its
** row, status rows, special procedures, documents as 批复文件 and
** attachments, files), found by their DFSJZJ (harvest.c names them). */
static int rows_of(struct store *st, const char *kind, int64_t id, json_t **rows, struct err *e)
{
	json_t *parts = NULL, *v;
	size_t i;
	char key[64], prefix[64];
	*rows = json_array();
	if (strcmp(kind, "project") == 0) {
		snprintf(key, sizeof key, "project:%lld", (long long)id);
		snprintf(prefix, sizeof prefix, "unit:%lld:", (long long)id);
		if (store_xchg_rows_keyed(st, NULL, (const char *[]){key, prefix}, 2, *rows, e))
			goto fail;
		return 0;
	}
	snprintf(key, sizeof key, "case:%lld", (long long)id);
	if (store_xchg_rows_keyed(st, NULL, (const char *[]){key}, 1, *rows, e) || store_xchg_case_parts(st, id, &parts, e))
		goto fail;
	json_array_foreach(parts, i, v) {
		static const char *const keys[][3] = {{"status", "status", NULL}, {"special", "special", NULL},
						       {"document", "doc", "att"}, {"file", "file", NULL}};
		const char *k = json_string_value(json_object_get(v, "kind"));
		for (size_t j = 0; j < sizeof keys / sizeof keys[0]; j++) {
			if (strcmp(k, keys[j][0]) != 0)
				continue;
			char k1[64], k2[64];
			long long ref = (long long)json_integer_value(json_object_get(v, "id"));
			snprintf(k1, sizeof k1, "%s:%lld", keys[j][1], ref);
			snprintf(k2, sizeof k2, "%s:%lld", keys[j][2] ? keys[j][2] : keys[j][1], ref);
			if (store_xchg_rows_keyed(st, NULL, (const char *[]){k1, k2}, keys[j][2] ? 2 : 1, *rows, e))
				goto fail;
		}
	}
	json_decref(parts);
	return 0;
fail:
	json_decref(parts);
	json_decref(*rows);
	return e->code;
}

int exchange_withdraw(struct store *st, const struct principal *who, const char *kind, int64_t id,
		      const char *reason, int64_t now, struct err *e)
{
	char object[64], obj[80];
	json_t *rows, *v;
	size_t i;
	int rc, n = 0;
	if (!reason || !*reason)
		return err_set(e, ERR_INVALID, "reason", "a withdrawal needs its reason (SJWXYY)");
	if (strcmp(kind, "case") != 0 && strcmp(kind, "project") != 0)
		return err_set(e, ERR_INVALID, "kind", "withdraw case or project, not '%s'", kind);
	if (store_xchg_object(st, kind, id, object, sizeof object, e) || rows_of(st, kind, id, &rows, e))
		return e->code;
	rc = store_begin(st, e);
	json_array_foreach(rows, i, v) {
		int marked = 0;
		if (rc)
			break;
		rc = store_xchg_withdraw_mark(st, json_integer_value(json_object_get(v, "id")), reason, &marked, e);
		n += marked;
	}
	json_decref(rows);
	snprintf(obj, sizeof obj, "%s:%lld", kind, (long long)id);
	if (!rc && n)
		rc = audit_write(st, who, now, "exchange.withdraw", obj, "success",
				 json_pack("{s:s,s:s,s:i}", "object", object, "reason", reason, "rows", n), e);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

int exchange_backlog(struct store *st, int64_t *oldest, int64_t *n, struct err *e)
{
	return store_xchg_backlog(st, oldest, n, e);
}

struct aged {
	const struct cal *cal;
	int32_t today;
	int days, oldest;
	int64_t n;
	struct err *e;
};

static int32_t day_of(int64_t t)
{
	char ymd[16];
	int32_t d = 0;
	struct err e;
	cal_date_parse(clock_cn_date(t, ymd), &d, &e);
	return d;
}

static int aged_one(void *arg, const char *table, const char *dfsjzj, const char *object, const char *department,
		    const char *reason, int64_t since)
{
	struct aged *a = arg;
	int age = 0, prov;
	(void)table, (void)dfsjzj, (void)object, (void)department, (void)reason;
	if (cal_count_workdays(a->cal, day_of(since), a->today, &age, &prov, a->e))
		return a->e->code;
	a->n += age >= a->days;
	if (age > a->oldest)
		a->oldest = age;
	return 0;
}

int exchange_rejected_aged(struct store *st, const struct cal *cal, int64_t now, int days, int64_t *n, int *oldest,
			   struct err *e)
{
	struct aged a = {.cal = cal, .today = day_of(now), .days = days, .e = e};
	if (exchange_rejections(st, aged_one, &a, e))
		return e->code;
	*n = a.n;
	*oldest = a.oldest;
	return 0;
}
