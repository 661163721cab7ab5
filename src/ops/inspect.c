/*
** inspect.c: the inspection items and a run of them (see ops.h, probe.h).
**
** The table below is the catalogue of built-in items with their default
** thresholds; endpoints configured in [inspect] endpoints add net.<name>
** (and net.<name>.cert for https). A run measures the selected items one
** after the other (never in parallel: an inspection must not load the host
** it inspects), then records everything in one transaction.
*/
#include "ops/ops.h"
#include "base/json.h"
#include "ops/probe.h"
#include "org/audit.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NONE NAN

const struct ops_item_def ops_builtin_items[] = {
	{"host.load", "host", "CPU 负载（5 分钟平均，每核）", "", 0, 1.5, 3.0, probe_load, NULL, NULL},
	{"host.memory", "host", "可用内存", "%", 1, 15, 5, probe_memory, NULL, NULL},
	{"host.disk.data", "host", "数据盘使用率", "%", 0, 80, 90, probe_disk_data, NULL, NULL},
	{"host.disk.log", "host", "日志盘使用率", "%", 0, 80, 90, probe_disk_log, NULL, NULL},
	{"host.uptime", "host", "系统运行时间", "小时", 1, 1, NONE, probe_uptime, NULL, NULL},
	{"host.fds", "host", "服务进程文件描述符（占上限）", "%", 0, 70, 90, probe_fds, NULL, NULL},
	{"os.updates", "host", "待安装的操作系统安全更新", "个", 0, 1, NONE, probe_os_updates, NULL, NULL},
	{"av.signatures", "host", "杀毒软件病毒库（ClamAV）更新", "天", 0, 3, 7, probe_av_signatures, NULL, NULL},
	{"app.health", "app", "应用自检 /api/health 响应时间", "ms", 0, 500, 2000, probe_app_health, NULL, NULL},
	{"app.errors", "app", "HTTP 5xx 错误率（自启动以来）", "%", 0, 1, 5, probe_app_errors, NULL, NULL},
	{"app.p99", "app", "HTTP 响应时间 p99（自启动以来）", "ms", 0, 1000, 2500, probe_app_p99, NULL, NULL},
	{"app.threads", "app", "HTTP 工作线程", "", 1, NONE, NONE, probe_app_threads, NULL, NULL},
	{"app.scheduler", "app", "调度器心跳间隔", "秒", 0, 180, 600, probe_app_scheduler, NULL, NULL},
	{"clock.offset", "app", "系统时钟偏差（NTP）", "ms", 0, 1000, 30000, probe_clock, NULL, NULL},
	{"lib.versions", "app", "数据库与运行库版本（低于最低要求的个数）", "个", 0, NONE, 1, probe_lib_versions, NULL, NULL},
	{"calendar.next_year", "app", "次年法定节假日安排", "", 1, NONE, NONE, probe_calendar, NULL, NULL},
	{"db.quick_check", "db", "数据库完整性（quick_check）", "", 0, NONE, 1, probe_db_check, NULL, NULL},
	{"db.size", "db", "数据库文件大小", "MB", 0, NONE, NONE, probe_db_size, NULL, NULL},
	{"db.wal", "db", "WAL 日志大小", "MB", 0, 256, 1024, probe_db_wal, NULL, NULL},
	{"db.freepages", "db", "空闲页占比", "%", 0, 25, NONE, probe_db_free, NULL, NULL},
	{"db.backup_age", "db", "距最近一次成功备份", "小时", 0, 26, 50, probe_db_backup_age, NULL, NULL},
	{"db.drill_age", "db", "距最近一次成功的恢复演练", "天", 0, 8, 31, probe_db_drill_age, NULL, NULL},
	{"db.growth", "db", "数据库增长（距上次巡检）", "MB", 0, 500, 2000, probe_db_growth, NULL, NULL},
	{"cases.stuck", "db", "无人可办的在办件", "件", 0, 1, NONE, probe_cases_stuck, NULL, NULL},
	{"logs.size", "logs", "应用日志大小", "MB", 0, 200, 1000, probe_logs_size, NULL, NULL},
	{"logs.expired", "logs", "超过保留期的日志文件", "个", 0, 1, NONE, probe_logs_expired, NULL, NULL},
	{"tmp.expired", "logs", "超过保留期的临时文件", "个", 0, 1, NONE, probe_tmp_expired, NULL, NULL},
	{NULL},
};

static const struct ops_item_def endpoint_def =
	{"", "net", "接口响应时间", "ms", 0, 1000, 3000, probe_endpoint, NULL, NULL};
static const struct ops_item_def cert_def =
	{"", "net", "接口证书剩余天数", "天", 1, 30, 7, probe_endpoint_cert, NULL, NULL};

/* ---- statuses ----------------------------------------------------------------- */

const char *ops_status_name(int status)
{
	return store_ops_status_text(status);
}

static const struct dict_entry status_names[] = {
	{"OK", "正常"}, {"WARN", "警告"}, {"CRIT", "严重"}, {"UNKNOWN", "未知"}, {NULL, NULL},
};

const struct dict ops_dicts[] = {
	{"ops.status", status_names},
	{NULL, NULL},
};

const char *ops_status_cn(int status)
{
	return status_names[status >= 0 && status <= 3 ? status : 3].label;
}

int ops_status_worse(int a, int b)
{
	static const int rank[] = {0, 1, 3, 2};   /* OK WARN CRIT UNKNOWN */
	return rank[b & 3] > rank[a & 3] ? b : a;
}

/* ---- the item list --------------------------------------------------------------- */

const struct ops_item_def *ops_builtin_find(const char *name)
{
	for (const struct ops_item_def *d = ops_builtin_items; d->name; d++)
		if (strcmp(d->name, name) == 0)
			return d;
	return NULL;
}

/* Names of endpoint items live in a per-array arena after the defs. */
struct ops_item_def *ops_item_defs(const struct ops_conf *cf, int *n)
{
	int nb = 0;
	while (ops_builtin_items[nb].name)
		nb++;
	int nx = cf->ext ? cf->ext->nitems : 0;
	int max = nb + 2 * cf->nendpoints + nx;
	struct ops_item_def *v = malloc(max * sizeof *v + (size_t)2 * cf->nendpoints * 48);
	if (!v) {
		*n = 0;
		return NULL;
	}
	char *names = (char *)(v + max);
	memcpy(v, ops_builtin_items, nb * sizeof *v);
	int k = nb;
	for (int i = 0; i < cf->nendpoints; i++) {
		const struct ops_endpoint *ep = &cf->endpoints[i];
		v[k] = endpoint_def;
		snprintf(names, 48, "net.%s", ep->name);
		v[k].name = names;
		v[k++].target = ep->url;
		names += 48;
		if (strncmp(ep->url, "https://", 8) == 0) {
			v[k] = cert_def;
			snprintf(names, 48, "net.%s.cert", ep->name);
			v[k].name = names;
			v[k++].target = ep->url;
			names += 48;
		}
	}
	for (int i = 0; i < nx; i++)
		v[k++] = ops_ext_def(&cf->ext->items[i]);
	*n = k;
	return v;
}

double ops_threshold(const struct ops_conf *cf, const struct ops_item_def *d, const char *which)
{
	char key[96];
	snprintf(key, sizeof key, "%s.%s", d->name, which);
	const char *v = cf && cf->conf ? conf_get(cf->conf, "inspect", key) : NULL;
	if (v && strcmp(v, "none") == 0)
		return NAN;
	if (v) {
		char *end;
		double x = strtod(v, &end);
		if (end != v && !*end)
			return x;
	}
	return strcmp(which, "warn") == 0 ? d->warn : d->crit;
}

/* ---- grading ---------------------------------------------------------------------- */

int probe_grade(const struct ops_item_def *d, double v, double warn, double crit)
{
	if (d->lower_bad) {
		if (!isnan(crit) && v <= crit)
			return OPS_CRIT;
		if (!isnan(warn) && v <= warn)
			return OPS_WARN;
		return OPS_OK;
	}
	if (!isnan(crit) && v >= crit)
		return OPS_CRIT;
	if (!isnan(warn) && v >= warn)
		return OPS_WARN;
	return OPS_OK;
}

/* A message cut by snprintf may end inside a UTF-8 sequence: drop the
** partial character, so every stored message is valid UTF-8 (JSON). */
static void trim_partial_utf8(char *s)
{
	size_t n = strlen(s), i = n;
	while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80)
		i--;                                  /* continuation bytes */
	if (i == 0 || (unsigned char)s[i - 1] < 0xC0)
		return;                               /* ends on ASCII or complete */
	unsigned char lead = (unsigned char)s[i - 1];
	size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
	if (n - (i - 1) < need)
		s[i - 1] = 0;
}

static void vgrade(const struct ops_item_def *d, struct ops_result *r, double value, const char *fmt, va_list ap)
{
	r->has_value = 1;
	r->value = value;
	r->status = probe_grade(d, value, r->warn, r->crit);
	vsnprintf(r->message, sizeof r->message, fmt, ap);
	trim_partial_utf8(r->message);
}

static void vstatus(struct ops_result *r, int status, const char *fmt, va_list ap)
{
	r->status = status;
	vsnprintf(r->message, sizeof r->message, fmt, ap);
	trim_partial_utf8(r->message);
}

void probe_value(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r,
		 double value, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vgrade(d, r, value, fmt, ap);
	va_end(ap);
}

void probe_status(struct ops_result *r, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vstatus(r, status, fmt, ap);
	va_end(ap);
}

void ops_ext_grade(const struct ops_ext_item *it, struct ops_result *r, double value, const char *fmt, ...)
{
	va_list ap;
	struct ops_item_def d = ops_ext_def(it);
	va_start(ap, fmt);
	vgrade(&d, r, value, fmt, ap);
	va_end(ap);
}

void ops_ext_status(struct ops_result *r, int status, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vstatus(r, status, fmt, ap);
	va_end(ap);
}

void ops_value_text(double v, const char *unit, char *out, size_t cap)
{
	double a = fabs(v);
	if (isnan(v)) {
		snprintf(out, cap, "-");
		return;
	}
	if (a >= 100 || v == (double)(long long)v)
		snprintf(out, cap, "%.0f", v);
	else
		snprintf(out, cap, a >= 10 ? "%.1f" : "%.2f", v);
	char *dot = strchr(out, '.');
	if (dot) {   /* 0.50 -> 0.5, 2.00 -> 2 */
		char *end = out + strlen(out) - 1;
		while (end > dot && *end == '0')
			*end-- = 0;
		if (end == dot)
			*end = 0;
	}
	if (unit && *unit) {
		size_t n = strlen(out);
		snprintf(out + n, cap - n, " %s", unit);
	}
}

/* ---- selection ---------------------------------------------------------------------- */

static int matches_token(const char *t, size_t len, const struct ops_item_def *d)
{
	if (strlen(d->group) == len && strncmp(t, d->group, len) == 0)
		return 1;
	return strncmp(d->name, t, len) == 0 && (d->name[len] == 0 || d->name[len] == '.');
}

static int selected(const char *only, const struct ops_item_def *d)
{
	if (!only || !*only)
		return 1;
	for (const char *p = only; *p;) {
		size_t len = strcspn(p, ",");
		if (len && matches_token(p, len, d))
			return 1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

int ops_only_check(const struct ops_conf *cf, const char *only, struct err *e)
{
	int n;
	struct ops_item_def *defs = ops_item_defs(cf, &n);
	for (const char *p = only ? only : ""; *p;) {
		size_t len = strcspn(p, ",");
		int hit = 0;
		for (int i = 0; i < n && !hit; i++)
			hit = matches_token(p, len, &defs[i]);
		if (!hit && len) {
			free(defs);
			return err_set(e, ERR_INVALID, "only", "没有这个巡检项 (no such item or group): %.*s",
				       (int)len, p);
		}
		p += len;
		if (*p == ',')
			p++;
	}
	free(defs);
	return 0;
}

json_t *ops_items_json(const struct ops_conf *cf)
{
	int n;
	struct ops_item_def *defs = ops_item_defs(cf, &n);
	json_t *arr = json_array();
	for (int i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s,s:s,s:s}", "item", defs[i].name, "group",
						     defs[i].group, "title", defs[i].title, "unit", defs[i].unit));
	free(defs);
	return arr;
}

const char *ops_item_title(const struct ops_conf *cf, const char *item, char *buf, size_t cap)
{
	const struct ops_item_def *d = ops_builtin_find(item);
	if (d)
		snprintf(buf, cap, "%s", d->title);
	else if (strncmp(item, "net.", 4) == 0) {
		size_t len = strlen(item);
		int cert = len > 5 && strcmp(item + len - 5, ".cert") == 0;
		snprintf(buf, cap, "%s %.*s", cert ? cert_def.title : endpoint_def.title,
			 (int)(len - 4 - (cert ? 5 : 0)), item + 4);
	} else
		snprintf(buf, cap, "%s", item);
	return buf;
}

void ops_threshold_text(const char *item, double warn, double crit, const char *unit,
			char *out, size_t cap)
{
	const struct ops_item_def *d = ops_builtin_find(item);
	size_t len = strlen(item);
	int lower = d ? d->lower_bad : (len > 5 && strcmp(item + len - 5, ".cert") == 0);
	const char *op = lower ? "≤" : "≥";
	char w[48] = "", c[48] = "";
	if (!isnan(warn))
		snprintf(w, sizeof w, "%s%g%s 警告", op, warn, unit);
	if (!isnan(crit))
		snprintf(c, sizeof c, "%s%s%g%s 严重", w[0] ? "，" : "", op, crit, unit);
	snprintf(out, cap, "%s%s", w, c);
	if (!out[0])
		snprintf(out, cap, "—");
}

/* ---- triggers ------------------------------------------------------------------------- */

void ops_trigger(const struct principal *who, char *out, size_t cap)
{
	if (!who)
		snprintf(out, cap, "scheduler");
	else if (strncmp(who->username, "system:", 7) == 0)
		snprintf(out, cap, "%s", who->username + 7);
	else if (who->cli)
		snprintf(out, cap, "%s", who->username);
	else
		snprintf(out, cap, "api:%s", who->username);
}

void ops_scheduler_principal(struct principal *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->username, sizeof p->username, "system:scheduler");
	snprintf(p->source, sizeof p->source, "scheduler");
	p->roles = ROLE_OPS;
}

/* ---- a run ------------------------------------------------------------------------------ */

static void measure(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->item, sizeof r->item, "%s", d->name);
	snprintf(r->unit, sizeof r->unit, "%s", d->unit);
	r->warn = ops_threshold(env->cf, d, "warn");
	r->crit = ops_threshold(env->cf, d, "crit");
	r->value = NAN;
	r->status = OPS_UNKNOWN;
	d->fn(env, d, r);
}

static int probe_all(struct ops_env *env, const char *only, struct ops_inspection *out, struct err *e)
{
	int n;
	struct ops_item_def *defs = ops_item_defs(env->cf, &n);
	out->items = calloc(n ? n : 1, sizeof *out->items);
	if (!defs || !out->items) {
		free(defs);
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	}
	out->status = OPS_OK;
	for (int i = 0; i < n; i++) {
		if (!selected(only, &defs[i]))
			continue;
		if (env->stop && *env->stop)
			break;
		measure(env, &defs[i], &out->items[out->n]);
		out->status = ops_status_worse(out->status, out->items[out->n].status);
		out->n++;
	}
	free(defs);
	return 0;
}

static int record(struct ops_env *env, const struct principal *who, const char *only,
		  struct ops_inspection *out, struct err *e)
{
	int counts[4] = {0};
	char msg[160];
	struct store *st = env->st;
	if (store_begin(st, e))
		return e->code;
	for (int i = 0; i < out->n; i++) {
		int changed;
		counts[out->items[i].status & 3]++;
		if (store_ops_result_add(st, out->run_id, env->now, &out->items[i], &changed, e))
			goto fail;
		out->items[i].changed = changed;
		out->changes += changed;
	}
	snprintf(msg, sizeof msg, "%d 项：正常 %d，警告 %d，严重 %d，未知 %d", out->n, counts[0],
		 counts[1], counts[2], counts[3]);
	json_t *details = json_pack("{s:i,s:i,s:s?}", "items", out->n, "changes", out->changes, "only", only);
	char *text = json_text(details);
	int rc = store_ops_run_finish(st, out->run_id, "done", ops_status_name(out->status), msg, text,
				      env->now, e);
	free(text);
	char object[40];
	snprintf(object, sizeof object, "ops_run:%lld", (long long)out->run_id);
	if (rc || (who && audit_write(st, who, env->now, "ops.inspect", object, "success",
				      json_pack("{s:s,s:s?,s:i}", "status", ops_status_name(out->status),
						"only", only, "items", out->n), e))) {
		json_decref(details);
		goto fail;
	}
	json_decref(details);
	return store_commit(st, e);
fail:
	store_rollback(st);
	return e->code;
}

int ops_inspect(struct ops_env *env, const char *job, const struct principal *who,
		const char *only, int64_t run_id, struct ops_inspection *out, struct err *e)
{
	char trigger[80];
	memset(out, 0, sizeof *out);
	if (ops_only_check(env->cf, only, e))
		return e->code;
	ops_trigger(who, trigger, sizeof trigger);
	out->run_id = run_id;
	if (run_id <= 0 && store_ops_run_claim(env->st, job, trigger, env->now, env->cf->lease_inspect,
					       who == NULL, &out->run_id, NULL, e))
		return e->code;
	int rc = probe_all(env, only, out, e);
	if (!rc)
		rc = record(env, who, only, out, e);
	if (rc) {
		struct err e2;
		store_ops_run_finish(env->st, out->run_id, "failed", "UNKNOWN", e->msg, NULL, env->now, &e2);
		ops_ext_job_failed(env, job, out->run_id, e);
		ops_inspection_free(out);   /* nothing of a failed run is the caller's */
		return e->code;
	}
	for (int i = 0; env->cf->ext && i < env->cf->ext->nobservers; i++) {
		const struct ops_ext_observer *o = &env->cf->ext->observers[i];
		if (o->on_inspection)
			o->on_inspection(o->ctx, env, out);
	}
	ops_ext_job_succeeded(env, job, out->run_id);
	return 0;
}

void ops_inspection_free(struct ops_inspection *in)
{
	free(in->items);
	in->items = NULL;
	in->n = 0;
}

static json_t *num_or_null(int has, double v)
{
	return has && !isnan(v) ? json_real(v) : json_null();
}

json_t *ops_result_json(const struct ops_result *r)
{
	return json_pack("{s:s,s:s,s:o,s:s,s:o,s:o,s:s}", "item", r->item, "status",
			 ops_status_name(r->status), "value", num_or_null(r->has_value, r->value),
			 "unit", r->unit, "warn", num_or_null(1, r->warn), "crit", num_or_null(1, r->crit),
			 "message", r->message);
}

json_t *ops_inspection_json(const struct ops_inspection *in)
{
	json_t *items = json_array();
	for (int i = 0; i < in->n; i++)
		json_array_append_new(items, ops_result_json(&in->items[i]));
	return json_pack("{s:I,s:s,s:o}", "run_id", (json_int_t)in->run_id, "status",
			 ops_status_name(in->status), "items", items);
}
