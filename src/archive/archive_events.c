/*
** archive_events.c: the events of the 运维档案 for a range, gathered from
** each record and turned into {at, kind, title, detail, actor, ref} (see
** archive.h). Organisation and account changes are summarised per day.
*/
#include "archive/archive_int.h"
#include "base/buf.h"
#include "base/clock.h"
#include "store/store_archive.h"
#include "store/store_ops.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Audit actions that are maintenance events, by kind. */
static const struct {
	const char *action, *kind, *title;
} audit_titles[] = {
	{"catalog.import", "catalog", "导入审批事项目录"},
	{"catalog.item.version", "catalog", "事项新版本"},
	{"catalog.flow.version", "catalog", "流程新版本"},
	{"calendar.import", "calendar", "导入法定节假日安排"},
	{"system.init", "system", "系统初始化"},
	{"demo.import", "system", "导入演示数据"},
};
static const char *const audit_globs[] = {"catalog.*", "calendar.*", "system.init", "demo.*",
					  "user.*",    "district.*", "department.*", NULL};

/* Organisation and account changes: the verb of each action for the
** per-day summary. */
static const struct dict_entry org_verbs[] = {
	{"user.create", "新增账号"},       {"user.update", "修改账号"},         {"user.enable", "启用账号"},
	{"user.disable", "停用账号"},      {"user.grant", "授予角色"},          {"user.revoke", "收回角色"},
	{"user.password.reset", "重置密码"}, {"user.totp.reset", "重置动态口令"}, {"district.create", "新增区县"},
	{"district.update", "修改区县"},   {"department.create", "新增部门"},   {"department.update", "修改部门"},
	{NULL, NULL},
};

static json_t *event(int64_t at, const char *kind, const char *title, const char *detail, const char *actor,
		     const char *ref)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "at", (json_int_t)at, "kind", kind, "title", title, "detail",
			 detail ? detail : "", "actor", actor ? actor : "", "ref", ref);
}

/* ---- starts ---------------------------------------------------------------------------- */

static void start_events(json_t *row, json_t *out)
{
	const char *v = json_string_value(json_object_get(row, "version")),
		   *b = json_string_value(json_object_get(row, "build")),
		   *pv = json_string_value(json_object_get(row, "prev_version")),
		   *pb = json_string_value(json_object_get(row, "prev_build"));
	int64_t at = json_integer_value(json_object_get(row, "at"));
	char title[160], detail[600], ref[32];
	struct buf mig = {0};
	size_t i;
	json_t *m;
	json_array_foreach(json_object_get(row, "migrations"), i, m)
		buf_printf(&mig, "%s%s", i ? "、" : "", json_string_value(m));
	if (pv && strcmp(pv, v) != 0)
		snprintf(title, sizeof title, "软件升级 %s → %s", pv, v);
	else if (pb && strcmp(pb, b) != 0)
		snprintf(title, sizeof title, "更换程序构建 %.8s → %.8s", pb, b);
	else
		snprintf(title, sizeof title, pv ? "服务启动" : "首次启动");
	snprintf(detail, sizeof detail, "gonggai %s，构建 %s，进程 %lld%s%s", v, b,
		 (long long)json_integer_value(json_object_get(row, "pid")), mig.len ? "；应用数据库迁移 " : "",
		 mig.len ? mig.data : "");
	snprintf(ref, sizeof ref, "start:%lld", (long long)json_integer_value(json_object_get(row, "id")));
	json_array_append_new(out, event(at, "software", title, detail, "system:serve", ref));
	free(mig.data);
	json_t *changed = json_object_get(row, "changed_keys");
	if (!json_array_size(changed))
		return;
	struct buf keys = {0};
	json_array_foreach(changed, i, m)
		buf_printf(&keys, "%s%s", i ? "、" : "", json_string_value(m));
	snprintf(title, sizeof title, "配置变更 %zu 项", json_array_size(changed));
	json_array_append_new(out, event(at, "config", title, keys.data, "system:serve", ref));
	free(keys.data);
}

/* ---- audit rows ---------------------------------------------------------------------------- */

struct org_day {
	char day[11];
	int64_t last_at, first_id;
	int counts[16];
	struct buf actors;
};

static void org_flush(struct org_day *d, json_t *out)
{
	struct buf detail = {0};
	int total = 0;
	for (int k = 0; org_verbs[k].code; k++)
		if (d->counts[k]) {
			buf_printf(&detail, "%s%s %d", detail.len ? "，" : "", org_verbs[k].label, d->counts[k]);
			total += d->counts[k];
		}
	if (total) {
		char title[64], ref[40];
		snprintf(title, sizeof title, "组织与账号变更 %d 项", total);
		snprintf(ref, sizeof ref, "audit:%lld", (long long)d->first_id);
		json_array_append_new(out, event(d->last_at, "org", title, detail.data, d->actors.data, ref));
	}
	free(detail.data);
	free(d->actors.data);
	memset(d, 0, sizeof *d);
}

static int org_verb(const char *action)
{
	for (int k = 0; org_verbs[k].code; k++)
		if (strcmp(org_verbs[k].code, action) == 0)
			return k;
	return -1;
}

/* Rows come newest first: one summary per Asia/Shanghai day. */
static void org_row(struct org_day *d, json_t *row, int k, json_t *out)
{
	char day[11];
	int64_t at = json_integer_value(json_object_get(row, "at"));
	const char *who = json_string_value(json_object_get(row, "username"));
	clock_cn_date(at, day);
	if (d->day[0] && strcmp(d->day, day) != 0)
		org_flush(d, out);
	if (!d->day[0]) {
		snprintf(d->day, sizeof d->day, "%s", day);
		d->last_at = at;
	}
	d->first_id = json_integer_value(json_object_get(row, "id"));
	d->counts[k]++;
	if (who && !(d->actors.data && strstr(d->actors.data, who)))
		buf_printf(&d->actors, "%s%s", d->actors.len ? "、" : "", who);
}

static void audit_event(json_t *row, json_t *out)
{
	const char *action = json_string_value(json_object_get(row, "action"));
	for (size_t i = 0; i < sizeof audit_titles / sizeof audit_titles[0]; i++) {
		if (strcmp(audit_titles[i].action, action) != 0)
			continue;
		char title[160], ref[40];
		int ok = strcmp(json_string_value(json_object_get(row, "outcome")), "success") == 0;
		snprintf(title, sizeof title, "%s%s", audit_titles[i].title, ok ? "" : "（失败）");
		snprintf(ref, sizeof ref, "audit:%lld", (long long)json_integer_value(json_object_get(row, "id")));
		json_array_append_new(out, event(json_integer_value(json_object_get(row, "at")), audit_titles[i].kind,
						 title, json_string_value(json_object_get(row, "object")),
						 json_string_value(json_object_get(row, "username")), ref));
		return;
	}
}

static int audit_events(struct store *st, int64_t from, int64_t to, json_t *out, struct err *e)
{
	json_t *rows, *row;
	size_t i;
	struct org_day day = {0};
	if (store_archive_audit(st, from, to, audit_globs, &rows, e))
		return e->code;
	json_array_foreach(rows, i, row) {
		int k = org_verb(json_string_value(json_object_get(row, "action")));
		if (k >= 0)
			org_row(&day, row, k, out);
		else
			audit_event(row, out);
	}
	org_flush(&day, out);
	json_decref(rows);
	return 0;
}

/* ---- ops runs ------------------------------------------------------------------------------- */

static int run_events(struct store *st, int64_t from, int64_t to, json_t *out, struct err *e)
{
	static const char *const jobs[][2] = {{"backup", "备份"}, {"restore", "从备份恢复"}, {"drill", "恢复演练"}};
	for (size_t j = 0; j < 3; j++) {
		json_t *rows, *row;
		size_t i;
		if (store_ops_runs_between(st, jobs[j][0], from, to, &rows, e))
			return e->code;
		json_array_foreach(rows, i, row) {
			const char *state = json_string_value(json_object_get(row, "state"));
			char title[80], ref[40];
			snprintf(title, sizeof title, "%s%s", jobs[j][1],
				 strcmp(state, "done") == 0 ? "完成" : strcmp(state, "running") == 0 ? "进行中" : "失败");
			snprintf(ref, sizeof ref, "ops_run:%lld", (long long)json_integer_value(json_object_get(row, "id")));
			json_array_append_new(out, event(json_integer_value(json_object_get(row, "started_at")), "backup",
							 title, json_string_value(json_object_get(row, "message")),
							 json_string_value(json_object_get(row, "trigger")), ref));
		}
		json_decref(rows);
	}
	return 0;
}

/* ---- all of them ------------------------------------------------------------------------------ */

static int newest_first(const void *a, const void *b)
{
	json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
	int64_t ax = json_integer_value(json_object_get(x, "at")), ay = json_integer_value(json_object_get(y, "at"));
	if (ax != ay)
		return ax < ay ? 1 : -1;
	return strcmp(json_string_value(json_object_get(y, "ref")), json_string_value(json_object_get(x, "ref")));
}

int archive_gather(struct store *st, const struct archive_sources *src, const struct archive_filter *f,
		   json_t **events, struct err *e)
{
	json_t *all = json_array(), *starts, *row;
	size_t i;
	int rc = store_archive_starts(st, f->from, f->to, &starts, e);
	if (!rc) {
		json_array_foreach(starts, i, row)
			start_events(row, all);
		json_decref(starts);
		rc = audit_events(st, f->from, f->to, all, e);
	}
	if (!rc)
		rc = run_events(st, f->from, f->to, all, e);
	for (int k = 0; !rc && src && k < src->n; k++)
		if (!f->kind || strcmp(f->kind, src->s[k].kind) == 0)
			rc = src->s[k].list(src->s[k].ctx, st, f->from, f->to, all, e);
	if (rc) {
		json_decref(all);
		return e->code;
	}
	/* sort, keeping the kind asked for */
	size_t n = json_array_size(all), m = 0;
	json_t **v = calloc(n ? n : 1, sizeof *v);
	json_array_foreach(all, i, row)
		if (!f->kind || strcmp(f->kind, json_string_value(json_object_get(row, "kind"))) == 0)
			v[m++] = json_incref(row);
	qsort(v, m, sizeof *v, newest_first);
	json_decref(all);
	*events = json_array();
	for (i = 0; i < m; i++)
		json_array_append_new(*events, v[i]);
	free(v);
	return 0;
}
