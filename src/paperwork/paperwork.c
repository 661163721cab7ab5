/*
** paperwork.c: names, periods and the document builder of the O&M reports
** (paperwork.h). The builder only arranges what the providers give.
*/
#include "paperwork/paperwork.h"
#include "base/clock.h"
#include "org/audit.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_DAYS 400

static const struct dict_entry kinds[] = {
	{"monthly", "月度运维报告"}, {"annual", "年度运维总结报告"}, {NULL, NULL}};

/* The service rows of the contract's 第一条, in its order. */
static const struct dict_entry services[] = {
	{"consult", "技术咨询"},   {"fault", "故障处理"},     {"inspection", "日常巡检"},
	{"maintenance", "系统维护"}, {"data_repair", "数据异常修复"}, {"documents", "文档管理"},
	{"request", "需求受理"},   {"adjustment", "业务调整"}, {"data_service", "数据服务"},
	{"operation", "业务运营"}, {"training", "培训服务"},   {"drill", "应急演练"},
	{"visit", "定期回访"},     {"results", "工作成效"},   {NULL, NULL}};

/* Which providers evidence each service row (same order as services). */
static const char *const evidence[][3] = {
	{"desk.consults"}, {"desk.tickets", "desk.reports"}, {"ops.inspections"}, {"ops.backups", "archive"},
	{"quality", "repair"}, {"archive", "desk.reports"}, {"desk.requests"}, {"archive"}, {"exchange", "quality"},
	{"exchange", "quality"}, {"desk.trainings"}, {"desk.drills", "ops.backups"}, {"desk.visits"},
	{"ops.inspections", "desk.tickets", "quality"}};

const struct dict pw_dicts[] = {
	{"paperwork.kind", kinds}, {"paperwork.service", services}, {NULL, NULL}};

void pw_add(struct pw_providers *ps, const struct pw_provider *p)
{
	assert(ps->n < PW_MAX_PROVIDERS);
	ps->p[ps->n++] = *p;
}

int pw_kind_parse(const char *s, int *kind, struct err *e)
{
	if (s && strcmp(s, "monthly") == 0)
		*kind = PW_MONTHLY;
	else if (s && strcmp(s, "annual") == 0)
		*kind = PW_ANNUAL;
	else
		return err_set(e, ERR_INVALID, "kind", "报告类别应为 monthly 或 annual (unknown kind): %s",
			       s ? s : "");
	return 0;
}

int pw_format_parse(const char *s, int *format, struct err *e)
{
	if (s && strcmp(s, "xlsx") == 0)
		*format = PW_XLSX;
	else if (s && strcmp(s, "html") == 0)
		*format = PW_HTML;
	else if (s && strcmp(s, "json") == 0)
		*format = PW_JSON;
	else
		return err_set(e, ERR_INVALID, "format", "格式应为 xlsx、html 或 json (unknown format): %s",
			       s ? s : "");
	return 0;
}

int pw_period_parse(const char *from, const char *to, int64_t *f, int64_t *t, struct err *e)
{
	if (!from || !*from || (*f = clock_cn_midnight(from)) < 0)
		return err_set(e, ERR_INVALID, "from", "起始日期应为 YYYY-MM-DD (from is a day): %s", from ? from : "");
	if (!to || !*to || (*t = clock_cn_midnight(to)) < 0)
		return err_set(e, ERR_INVALID, "to", "结束日期应为 YYYY-MM-DD (to is a day): %s", to ? to : "");
	*t += 86400;   /* the whole last day */
	if (*f >= *t)
		return err_set(e, ERR_INVALID, "from", "起始日期不能晚于结束日期 (from after to)");
	if (*t - *f > (int64_t)MAX_DAYS * 86400)
		return err_set(e, ERR_INVALID, "to", "报告期不能超过 %d 天 (period too long)", MAX_DAYS);
	return 0;
}

/* The start of the month after the one t lies in (Asia/Shanghai). */
static int64_t next_month(int64_t t)
{
	char d[16], n[16];
	int y, m;
	clock_cn_date(t, d);
	if (sscanf(d, "%d-%d", &y, &m) != 2)
		return t + 31 * 86400;
	if (++m > 12) {
		m = 1;
		y++;
	}
	snprintf(n, sizeof n, "%04d-%02d-01", y, m);
	return clock_cn_midnight(n);
}

static int fill(struct store *st, const struct pw_provider *p, int64_t from, int64_t to, json_t **out,
		struct err *e)
{
	json_t *s = NULL;
	if (p->fill(p->ctx, st, from, to, &s, e)) {
		assert(e->code);
		return e->code;
	}
	if (!json_is_object(s)) {
		json_decref(s);
		return err_set(e, ERR_INTERNAL, p->id, "report section %s is not an object", p->id);
	}
	json_object_set_new(s, "id", json_string(p->id));
	json_object_set_new(s, "title", json_string(p->title));
	*out = s;
	return 0;
}

static json_t *tables_of(json_t *s)
{
	json_t *t = json_object_get(s, "tables");
	if (!json_is_array(t)) {
		t = json_array();
		json_object_set_new(s, "tables", t);
	}
	return t;
}

/* The key of the trend column headed label, added when new. */
static const char *column(json_t *cols, json_t *label)
{
	json_t *c;
	size_t i;
	json_array_foreach(cols, i, c)
		if (json_equal(json_object_get(c, "head"), label))
			return json_string_value(json_object_get(c, "key"));
	json_array_append_new(cols, json_pack("{s:o,s:O}", "key", json_sprintf("v%zu", i), "head", label));
	return json_string_value(json_object_get(json_array_get(cols, i), "key"));
}

/* The 月度趋势 table of provider p: one row per month, one column per
** numeric summary value. */
static int trend(struct store *st, const struct pw_provider *p, int64_t from, int64_t to, json_t *section,
		 struct err *e)
{
	json_t *cols = json_pack("[{s:s,s:s}]", "key", "month", "head", "月份");
	json_t *rows = json_array();
	for (int64_t m = from; m < to;) {
		int64_t end = next_month(m);
		json_t *s, *row, *v;
		size_t i;
		char d[16];
		if (end > to || end <= m)
			end = to;
		if (fill(st, p, m, end, &s, e)) {
			json_decref(cols);
			json_decref(rows);
			return e->code;
		}
		clock_cn_date(m, d);
		d[7] = 0;
		row = json_pack("{s:s}", "month", d);
		json_array_foreach(json_object_get(s, "summary"), i, v)
			if (json_is_number(json_object_get(v, "value")))
				json_object_set(row, column(cols, json_object_get(v, "label")), json_object_get(v, "value"));
		json_array_append_new(rows, row);
		json_decref(s);
		m = end;
	}
	json_array_append_new(tables_of(section),
			      json_pack("{s:s,s:o,s:o}", "title", "月度趋势", "columns", cols, "rows", rows));
	return 0;
}

static json_t *find_section(json_t *sections, const char *id)
{
	size_t i;
	json_t *s;
	json_array_foreach(sections, i, s)
		if (strcmp(json_string_value(json_object_get(s, "id")), id) == 0)
			return s;
	return NULL;
}

/* Service row i of 第一条: the figures of its providers and up to ten
** example rows of each one's first table. */
static json_t *service_section(json_t *sections, int i)
{
	json_t *summary = json_array(), *tables = json_array(), *notes = json_array();
	for (int k = 0; k < 3 && evidence[i][k]; k++) {
		json_t *s = find_section(sections, evidence[i][k]), *v, *t;
		size_t j;
		if (!s) {
			json_array_append_new(notes, json_sprintf("数据来源 %s 尚未接入本系统，本项无记录。",
								  evidence[i][k]));
			continue;
		}
		json_array_foreach(json_object_get(s, "summary"), j, v)
			json_array_append(summary, v);
		t = json_array_get(json_object_get(s, "tables"), 0);
		if (t && strcmp(json_string_value(json_object_get(t, "title")), "月度趋势") != 0) {
			json_t *rows = json_array(), *r;
			json_array_foreach(json_object_get(t, "rows"), j, r) {
				if (j >= 10)
					break;
				json_array_append(rows, r);
			}
			json_array_append_new(tables, json_pack("{s:s+,s:O,s:o}", "title", "示例：",
								json_string_value(json_object_get(t, "title")),
								"columns", json_object_get(t, "columns"), "rows", rows));
		}
	}
	char id[48];
	snprintf(id, sizeof id, "service.%s", services[i].code);
	return json_pack("{s:s,s:s+,s:o,s:o,s:o}", "id", id, "title", "服务内容：", services[i].label, "summary",
			 summary, "tables", tables, "notes", notes);
}

static int sections(struct store *st, const struct pw_providers *ps, int kind, int64_t from, int64_t to,
		    json_t *out, struct err *e)
{
	for (int i = 0; i < ps->n; i++) {
		json_t *s;
		if (fill(st, &ps->p[i], from, to, &s, e))
			return e->code;
		json_array_append_new(out, s);
		if (kind == PW_ANNUAL && trend(st, &ps->p[i], from, to, s, e))
			return e->code;
	}
	if (kind == PW_ANNUAL) {
		json_t *svc = json_array();
		for (int i = 0; services[i].code; i++)
			json_array_append_new(svc, service_section(out, i));
		json_array_extend(out, svc);
		json_decref(svc);
	}
	return 0;
}

int pw_build(struct store *st, const struct pw_providers *ps, const struct principal *who, int kind,
	     int64_t from, int64_t to, int64_t now, json_t **doc, struct err *e)
{
	char f[16], t[16], g[32];
	if (!rbac_has(who, ROLE_OPS | ROLE_LEADER))
		return err_set(e, ERR_FORBIDDEN, "report", "只有运维人员和领导可以生成运维报告 (ops and leaders only)");
	assert(kind == PW_MONTHLY || kind == PW_ANNUAL);
	json_t *secs = json_array();
	if (sections(st, ps, kind, from, to, secs, e)) {
		json_decref(secs);
		return e->code;
	}
	clock_cn_date(from, f);
	clock_cn_date(to - 1, t);
	*doc = json_pack("{s:s,s:s,s:s+++,s:s,s:s,s:s,s:s,s:o}", "kind", kind == PW_ANNUAL ? "annual" : "monthly",
			 "title", dict_label(kinds, kind == PW_ANNUAL ? "annual" : "monthly"), "period", f, " 至 ", t,
			 "", "from", f, "to", t, "generated_at", clock_cn_datetime(now, g), "generated_by",
			 who->username, "sections", secs);
	return 0;
}

int pw_write(const json_t *doc, int format, const char *path, char **body, size_t *len, struct err *e)
{
	if (format == PW_XLSX)
		return pw_xlsx(doc, path, e);
	char *text = NULL;
	size_t n = 0;
	if (format == PW_HTML) {
		if (pw_html(doc, &text, &n, e))
			return e->code;
	} else {
		text = json_dumps(doc, JSON_INDENT(1));
		n = text ? strlen(text) : 0;
	}
	if (!path) {
		*body = text;
		*len = n;
		return 0;
	}
	FILE *fp = fopen(path, "wb");
	int ok = fp && fwrite(text, 1, n, fp) == n;
	if (fp && fclose(fp))
		ok = 0;
	free(text);
	return ok ? 0 : err_set(e, ERR_INTERNAL, "output", "cannot write %s", path);
}

int pw_render(struct store *st, const struct pw_providers *ps, const struct principal *who, int kind,
	      int64_t from, int64_t to, int64_t now, int format, const char *path, char **body, size_t *len,
	      struct err *e)
{
	json_t *doc;
	if (format == PW_XLSX && !path)
		return err_set(e, ERR_INVALID, "output", "XLSX 需要输出文件 (xlsx needs a file)");
	if (body)
		*body = NULL;
	if (pw_build(st, ps, who, kind, from, to, now, &doc, e))
		return e->code;
	int rc = pw_write(doc, format, path, body, len, e);
	if (!rc) {
		static const char *const fmts[] = {"", "xlsx", "html", "json"};
		rc = audit_write(st, who, now, "paperwork.report",
				 kind == PW_ANNUAL ? "report:annual" : "report:monthly", "success",
				 json_pack("{s:O,s:O,s:s,s:s?}", "from", json_object_get(doc, "from"), "to",
					   json_object_get(doc, "to"), "format", fmts[format], "file", path),
				 e);
	}
	json_decref(doc);
	if (rc && body) {
		free(*body);
		*body = NULL;
	}
	return rc;
}
