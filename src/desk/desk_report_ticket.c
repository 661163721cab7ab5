/*
** desk_report_ticket.c: 故障处理报告 of one ticket (重大事件故障报告 for
** level 1, with its RCA): the facts, each SLA clock met or missed, the
** timeline of events, cause, fix and prevention; printable HTML from the
** same JSON as `desk ticket show`.
*/
#include "desk/desk.h"
#include "desk/desk_int.h"
#include "base/buf.h"
#include "org/audit.h"

#include <stdio.h>
#include <stdlib.h>

static const char *s_of(const json_t *o, const char *k)
{
	const char *v = json_string_value(json_object_get(o, k));
	return v ? v : "";
}

static void row(struct buf *b, const char *label, const char *value)
{
	buf_printf(b, "<tr><th style=\"width:28mm\">%s</th><td class=\"pre\">", label);
	buf_html(b, value);
	buf_puts(b, "</td></tr>");
}

static void clocks(struct buf *b, const json_t *sla)
{
	static const char *const names[] = {"response", "resolution", "third_party", "rca"};
	buf_puts(b, "<h2>时限</h2><table><thead><tr><th>时限</th><th>目标(分钟)</th><th>开始</th><th>到期</th>"
		 "<th>用时(分钟)</th><th>结果</th></tr></thead>");
	for (int i = 0; i < 4; i++) {
		const json_t *c = json_object_get(sla, names[i]);
		if (json_is_null(c))
			continue;
		const json_t *met = json_object_get(c, "met");
		int breached = json_is_true(json_object_get(c, "breached"));
		buf_printf(b, "<tr><td>%s</td><td>%lld</td><td>%s</td><td>%s</td><td>%lld</td><td class=\"%s\">%s",
			   desk_label("desk.clock", names[i]), (long long)json_integer_value(json_object_get(c, "target_minutes")),
			   s_of(c, "started"), s_of(c, "due"), (long long)json_integer_value(json_object_get(c, "elapsed_minutes")),
			   breached ? "bad" : "ok", json_is_null(met) ? (breached ? "已超时(未结束)" : "计时中")
								  : json_is_true(met) ? "达标" : "超时");
		if (breached)
			buf_printf(b, "，超时于 %s", s_of(c, "breached_at"));
		buf_puts(b, "</td></tr>");
	}
	buf_puts(b, "</table>");
}

static void timeline(struct buf *b, const json_t *events)
{
	size_t i;
	const json_t *ev;
	buf_puts(b, "<h2>处理经过</h2><table><thead><tr><th>时间</th><th>事件</th><th>操作人</th><th>说明</th>"
		 "</tr></thead>");
	json_array_foreach(events, i, ev) {
		buf_printf(b, "<tr><td>%s</td><td>%s</td><td>", s_of(ev, "at_iso"), s_of(ev, "label"));
		buf_html(b, s_of(ev, "actor"));
		buf_puts(b, "</td><td class=\"pre\">");
		buf_html(b, s_of(ev, "note"));
		buf_puts(b, "</td></tr>");
	}
	buf_puts(b, "</table>");
}

static void render(const json_t *t, struct buf *b)
{
	int major = json_integer_value(json_object_get(t, "level")) == 1;
	char meta[160];
	snprintf(meta, sizeof meta, "工单 %lld · %s · %s", (long long)json_integer_value(json_object_get(t, "id")),
		 s_of(t, "level_label"), s_of(t, "status_label"));
	desk_html_head(b, major ? "重大事件故障报告" : "故障处理报告", meta);
	buf_puts(b, "<h2>基本情况</h2><table>");
	row(b, "标题", s_of(t, "title"));
	row(b, "分类", s_of(t, "category_label"));
	row(b, "报障人", s_of(t, "reporter"));
	row(b, "报障时间", s_of(t, "reported_at"));
	row(b, "处理人", s_of(t, "handler"));
	row(b, "巡检项/任务", s_of(t, "source_ref"));
	row(b, "影响范围", s_of(t, "affected"));
	row(b, "故障描述", s_of(t, "description"));
	buf_puts(b, "</table>");
	clocks(b, json_object_get(t, "sla"));
	timeline(b, json_object_get(t, "events"));
	buf_puts(b, "<h2>原因与处理</h2><table>");
	row(b, "故障原因", s_of(t, "cause"));
	row(b, "处理措施", s_of(t, "fix"));
	row(b, "预防措施", s_of(t, "prevention"));
	buf_puts(b, "</table>");
	if (major) {
		buf_puts(b, "<h2>根本原因与处理对策报告</h2><table>");
		row(b, "RCA", json_string_length(json_object_get(t, "rca")) ? s_of(t, "rca") : "（未提交）");
		buf_puts(b, "</table>");
	}
	buf_puts(b, "<p style=\"margin-top:10mm\">运维负责人（签字）：__________　　日期：__________</p></body></html>\n");
}

int desk_report_ticket(struct store *st, const struct desk_conf *cf, const struct principal *who, int64_t now,
		       int64_t id, char **body, size_t *len, struct err *e)
{
	json_t *t;
	struct buf b = {0};
	char object[40];
	*body = NULL;
	if (desk_ticket_show(st, cf, who, now, id, &t, e))
		return e->code;
	render(t, &b);
	json_decref(t);
	snprintf(object, sizeof object, "desk_ticket:%lld", (long long)id);
	if (audit_write(st, who, now, "desk.report", object, "success", json_pack("{s:s}", "report", "ticket"), e)) {
		buf_free(&b);
		return e->code;
	}
	*body = b.data;
	*len = b.len;
	return 0;
}
