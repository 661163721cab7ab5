/*
** desk_report.c: the desk's reports. The monthly summary is built once as
** data (desk_monthly_data: tickets by level and category, compliance of each
** SLA clock, mean time to respond and to resolve, the ticket list and the
** month's restore drills) and rendered as HTML here or XLSX in desk_xlsx.c.
** The ticket report (故障处理报告; 重大事件故障报告 with the RCA for level 1)
** is printable HTML. Every render writes the audit row desk.report.
*/
#include "desk/desk.h"
#include "desk/desk_int.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/json.h"
#include "org/audit.h"
#include "ops/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const clock_names[4] = {"response", "resolution", "third_party", "rca"};

static const struct desk_clock *clock_at(const struct desk_sla *s, int i)
{
	const struct desk_clock *c[4] = {&s->response, &s->resolution, &s->third_party, &s->rca};
	return c[i];
}

/* ---- monthly data --------------------------------------------------------------------------- */

struct tally {
	int by_level[4], by_cat[DC_N], open;
	int applicable[4], met[4], breached[4];
	int64_t respond_sum, resolve_sum;
	int responded, resolved;
};

static void count(struct tally *t, const struct desk_ticket *tk, const struct desk_sla *s)
{
	t->by_level[tk->level]++;
	t->by_cat[desk_category_parse(tk->category)]++;
	t->open += strcmp(tk->status, "closed") != 0;
	for (int i = 0; i < 4; i++) {
		const struct desk_clock *c = clock_at(s, i);
		if (!c->applies || (!c->stopped && !c->breached_at))
			continue;
		t->applicable[i]++;
		t->met[i] += c->met == 1;
		t->breached[i] += c->breached_at != 0;
	}
	if (s->response.stopped) {
		t->respond_sum += s->response.elapsed_s;
		t->responded++;
	}
	if (s->resolution.stopped) {
		t->resolve_sum += s->resolution.elapsed_s;
		t->resolved++;
	}
}

static json_t *ticket_row(const struct desk_ticket *t, const struct desk_sla *s)
{
	char at[32];
	return json_pack("{s:I,s:s,s:i,s:s,s:s,s:s,s:s,s:s,s:I,s:o,s:I,s:o}", "id", (json_int_t)t->id,
			 "reported_at", clock_cn_datetime(t->reported_at, at), "level", t->level, "category",
			 desk_label("desk.category", t->category), "status", desk_label("desk.status", t->status),
			 "title", t->title, "source_ref", t->source_ref, "handler", t->handler, "response_min",
			 (json_int_t)(s->response.elapsed_s / 60), "response_met",
			 s->response.met < 0 ? json_null() : json_boolean(s->response.met), "resolution_min",
			 (json_int_t)(s->resolution.elapsed_s / 60), "resolution_met",
			 s->resolution.met < 0 ? json_null() : json_boolean(s->resolution.met));
}

static json_t *tally_json(const struct tally *t)
{
	json_t *lv = json_array(), *cat = json_array(), *clk = json_array();
	for (int l = 1; l <= 3; l++) {
		char code[2] = {(char)('0' + l), 0};
		json_array_append_new(lv, json_pack("{s:i,s:s,s:i}", "level", l, "label",
						    desk_label("desk.level", code), "count", t->by_level[l]));
	}
	for (int k = 0; k < DC_N; k++)
		json_array_append_new(cat, json_pack("{s:s,s:s,s:i}", "category", desk_category_code(k), "label",
						     desk_label("desk.category", desk_category_code(k)), "count",
						     t->by_cat[k]));
	for (int i = 0; i < 4; i++)
		json_array_append_new(clk, json_pack("{s:s,s:s,s:i,s:i,s:i,s:o}", "clock", clock_names[i], "label",
						     desk_label("desk.clock", clock_names[i]), "counted", t->applicable[i],
						     "met", t->met[i], "breached", t->breached[i], "compliance",
						     t->applicable[i] ? json_real(100.0 * t->met[i] / t->applicable[i])
								      : json_null()));
	return json_pack("{s:o,s:o,s:o,s:i,s:o,s:o}", "by_level", lv, "by_category", cat, "clocks", clk, "open",
			 t->open, "mean_respond_min",
			 t->responded ? json_real(t->respond_sum / 60.0 / t->responded) : json_null(),
			 "mean_resolve_min", t->resolved ? json_real(t->resolve_sum / 60.0 / t->resolved) : json_null());
}

int desk_monthly_data(struct store *st, const struct desk_conf *cf, int64_t now, const char *period,
		      json_t **out, struct err *e)
{
	struct ops_period p;
	struct tally tl = {0};
	int64_t *ids;
	int n, rc = 0;
	if (ops_period_parse(NULL, period, &p, e))
		return err_set(e, ERR_INVALID, "period", "月份无效: %s (YYYY-MM)", period);
	struct desk_filter f = {.from = p.from, .to = p.to};
	struct desk_ticket *t = malloc(sizeof *t);
	json_t *rows = json_array(), *drills = NULL;
	if (!t || store_desk_ticket_ids(st, &f, &ids, &n, e)) {
		free(t);
		json_decref(rows);
		return t ? e->code : err_set(e, ERR_INTERNAL, "", "out of memory");
	}
	for (int i = 0; i < n && rc == 0; i++) {
		struct desk_sla s;
		rc = store_desk_ticket_get(st, ids[i], t, e);
		if (rc == 0 && (rc = desk_clocks_of(st, cf, t, now, &s, NULL, e)) == 0) {
			count(&tl, t, &s);
			json_array_append_new(rows, ticket_row(t, &s));
		}
	}
	free(ids);
	free(t);
	json_t *services = NULL;
	char day_from[11], day_to[11];
	if (rc == 0)
		rc = store_ops_runs_between(st, "drill", p.from, p.to, &drills, e);
	if (rc == 0)
		rc = store_desk_month_services(st, p.from, p.to, clock_cn_date(p.from, day_from),
					       clock_cn_date(p.to, day_to), &services, e);
	if (rc) {
		json_decref(rows);
		json_decref(drills);
		return rc;
	}
	*out = tally_json(&tl);
	json_object_set_new(*out, "period", json_string(p.label));
	json_object_set_new(*out, "tickets", json_integer(n));
	json_object_set_new(*out, "items", rows);
	json_object_set_new(*out, "drills", drills);
	json_object_set_new(*out, "services", services);
	return 0;
}

/* ---- HTML --------------------------------------------------------------------------------------- */

static const char css[] =
	"@page{size:A4;margin:15mm 12mm}"
	"body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif;"
	"font-size:10.5pt;color:#111;margin:0 auto;max-width:190mm}"
	"h1{font-size:16pt;text-align:center;margin:4mm 0 1mm}.meta{text-align:center;color:#444}"
	"h2{font-size:12.5pt;border-bottom:1.5px solid #333;margin:6mm 0 2mm;page-break-after:avoid}"
	"table{border-collapse:collapse;width:100%;margin-bottom:3mm}thead{display:table-header-group}"
	"tr{page-break-inside:avoid}th,td{border:1px solid #888;padding:1mm 1.5mm;text-align:left;"
	"vertical-align:top}th{background:#e8eef6}.bad{color:#c00;font-weight:bold}.ok{color:#1a7f37}"
	".pre{white-space:pre-wrap}";

void desk_html_head(struct buf *b, const char *title, const char *meta)
{
	buf_puts(b, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
	buf_html(b, title);
	buf_printf(b, "</title><style>%s</style></head><body><h1>", css);
	buf_html(b, title);
	buf_puts(b, "</h1><div class=\"meta\">");
	buf_html(b, meta);
	buf_puts(b, "</div>");
}

static long long n_of(const json_t *o, const char *k)
{
	return (long long)json_number_value(json_object_get(o, k));
}

/* 需求受理, 技术咨询, 培训, 应急演练, 定期回访 of the month. */
static void services_html(const json_t *s, struct buf *b)
{
	buf_puts(b, "<h2>其他服务</h2><table><thead><tr><th>服务</th><th>本月</th></tr></thead>");
	buf_printf(b, "<tr><td>需求受理</td><td>受理 %lld 项，交付 %lld 项</td></tr>", n_of(s, "requests"),
		   n_of(s, "delivered"));
	buf_printf(b, "<tr><td>技术咨询</td><td>%lld 次，共 %lld 分钟</td></tr>", n_of(s, "consults"),
		   n_of(s, "consult_minutes"));
	buf_printf(b, "<tr><td>培训服务</td><td>%lld 场，%.1f 课时，%lld 人次</td></tr>", n_of(s, "trainings"),
		   json_number_value(json_object_get(s, "training_hours")), n_of(s, "attendances"));
	buf_printf(b, "<tr><td>应急演练</td><td>演练记录 %lld 次，备份恢复演练 %lld 次</td></tr>", n_of(s, "drills"),
		   n_of(s, "restore_drills"));
	buf_printf(b, "<tr><td>定期回访</td><td>%lld 次", n_of(s, "visits"));
	if (n_of(s, "visits"))
		buf_printf(b, "，满意度 响应 %.1f · 质量 %.1f · 态度 %.1f",
			   json_number_value(json_object_get(s, "score_response")),
			   json_number_value(json_object_get(s, "score_quality")),
			   json_number_value(json_object_get(s, "score_attitude")));
	buf_puts(b, "</td></tr></table>");
}

static const char *met_text(const json_t *v)
{
	return json_is_null(v) || !v ? "未结束" : json_is_true(v) ? "达标" : "超时";
}

static void monthly_html(const json_t *d, struct buf *b)
{
	size_t i;
	json_t *r;
	char meta[128];
	snprintf(meta, sizeof meta, "统计期间 %s · 工单 %lld 件", json_string_value(json_object_get(d, "period")),
		 (long long)json_integer_value(json_object_get(d, "tickets")));
	desk_html_head(b, "运维服务台月度报告", meta);
	buf_puts(b, "<h2>按级别</h2><table><thead><tr><th>级别</th><th>工单数</th></tr></thead>");
	json_array_foreach(json_object_get(d, "by_level"), i, r)
		buf_printf(b, "<tr><td>%s</td><td>%lld</td></tr>", json_string_value(json_object_get(r, "label")),
			   (long long)json_integer_value(json_object_get(r, "count")));
	buf_puts(b, "</table><h2>按分类</h2><table><thead><tr><th>分类</th><th>工单数</th></tr></thead>");
	json_array_foreach(json_object_get(d, "by_category"), i, r)
		buf_printf(b, "<tr><td>%s</td><td>%lld</td></tr>", json_string_value(json_object_get(r, "label")),
			   (long long)json_integer_value(json_object_get(r, "count")));
	buf_puts(b, "</table><h2>时限达标率</h2><table><thead><tr><th>时限</th><th>计入</th><th>达标</th>"
		 "<th>超时</th><th>达标率</th></tr></thead>");
	json_array_foreach(json_object_get(d, "clocks"), i, r) {
		json_t *c = json_object_get(r, "compliance");
		buf_printf(b, "<tr><td>%s</td><td>%lld</td><td>%lld</td><td>%lld</td><td>",
			   json_string_value(json_object_get(r, "label")),
			   (long long)json_integer_value(json_object_get(r, "counted")),
			   (long long)json_integer_value(json_object_get(r, "met")),
			   (long long)json_integer_value(json_object_get(r, "breached")));
		if (json_is_number(c))
			buf_printf(b, "%.1f%%", json_number_value(c));
		else
			buf_puts(b, "—");
		buf_puts(b, "</td></tr>");
	}
	json_t *mr = json_object_get(d, "mean_respond_min"), *ms = json_object_get(d, "mean_resolve_min");
	buf_printf(b, "</table><p>平均响应 %.1f 分钟 · 平均解决 %.1f 分钟 · 未关闭 %lld 件</p>",
		   json_number_value(mr), json_number_value(ms), (long long)json_integer_value(json_object_get(d, "open")));
	buf_puts(b, "<h2>工单明细</h2><table><thead><tr><th>编号</th><th>报障时间</th><th>级别</th><th>分类</th>"
		 "<th>标题</th><th>状态</th><th>响应</th><th>解决</th></tr></thead>");
	json_array_foreach(json_object_get(d, "items"), i, r) {
		buf_printf(b, "<tr><td>%lld</td><td>%s</td><td>%lld</td><td>%s</td><td>",
			   (long long)json_integer_value(json_object_get(r, "id")),
			   json_string_value(json_object_get(r, "reported_at")),
			   (long long)json_integer_value(json_object_get(r, "level")),
			   json_string_value(json_object_get(r, "category")));
		buf_html(b, json_string_value(json_object_get(r, "title")));
		buf_printf(b, "</td><td>%s</td><td>%s</td><td>%s</td></tr>", json_string_value(json_object_get(r, "status")),
			   met_text(json_object_get(r, "response_met")), met_text(json_object_get(r, "resolution_met")));
	}
	buf_puts(b, "</table>");
	services_html(json_object_get(d, "services"), b);
	buf_puts(b, "</body></html>\n");
}

static int audited(struct store *st, const struct principal *who, int64_t now, const char *object,
		   const char *kind, struct err *e)
{
	return audit_write(st, who, now, "desk.report", object, "success", json_pack("{s:s}", "report", kind), e);
}

int desk_report_monthly(struct store *st, const struct desk_conf *cf, const struct principal *who,
			int64_t now, const char *period, int format, const char *path, char **body,
			size_t *len, struct err *e)
{
	json_t *d;
	char object[40];
	*body = NULL;
	*len = 0;
	if (!desk_is_ops(who) && !rbac_has(who, ROLE_LEADER))
		return err_set(e, ERR_FORBIDDEN, "", "服务台报告仅限运维人员和领导 (ops or leader)");
	if (desk_monthly_data(st, cf, now, period, &d, e))
		return e->code;
	int rc;
	if (format == DESK_XLSX) {
		rc = desk_monthly_xlsx(d, path, body, len, e);
	} else if (format == DESK_JSON) {
		*body = json_text(d);
		*len = *body ? strlen(*body) : 0;
		rc = *body ? 0 : err_set(e, ERR_INTERNAL, "", "out of memory");
	} else {
		struct buf b = {0};
		monthly_html(d, &b);
		*body = b.data;
		*len = b.len;
		rc = 0;
	}
	json_decref(d);
	snprintf(object, sizeof object, "desk_month:%s", period);
	/* a report rendered is audited like the inspection reports; the figures as JSON are a read */
	if (rc == 0 && format != DESK_JSON &&
	    (rc = audited(st, who, now, object, format == DESK_XLSX ? "monthly.xlsx" : "monthly.html", e))) {
		free(*body);
		*body = NULL;
	}
	return rc;
}
