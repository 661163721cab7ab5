/*
** report_html.c: the inspection report as one self-contained HTML page
** printable on A4 (@page size A4, table headers repeated on every printed
** page, rows never split, status colours that survive grey printing by also
** being words). No script, no external resource.
*/
#include "ops/report.h"
#include "base/buf.h"
#include "base/clock.h"

#include <stdio.h>
#include <string.h>

static const char css[] =
	"@page{size:A4;margin:15mm 12mm}"
	"body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif;"
	"font-size:10.5pt;color:#111;margin:0 auto;max-width:190mm}"
	"h1{font-size:16pt;text-align:center;margin:4mm 0 1mm}"
	".meta{text-align:center;color:#444;margin-bottom:5mm}"
	"h2{font-size:12.5pt;border-bottom:1.5px solid #333;padding-bottom:1mm;margin:6mm 0 2mm;"
	"page-break-after:avoid}"
	"table{border-collapse:collapse;width:100%;margin-bottom:3mm}"
	"thead{display:table-header-group}tr{page-break-inside:avoid}"
	"th,td{border:1px solid #888;padding:1mm 1.5mm;vertical-align:top;text-align:left}"
	"th{background:#e8eef6}td.n{text-align:right;white-space:nowrap}"
	".OK{color:#1a7f37}.WARN{color:#9a6700;font-weight:bold}.CRIT{color:#c00;font-weight:bold}"
	".UNKNOWN{color:#555;font-weight:bold}.small{font-size:9pt;color:#333}.nw{white-space:nowrap}"
	".sign{margin-top:10mm;display:flex;justify-content:space-between}"
	"@media print{body{max-width:none}}";

static void text(struct buf *b, json_t *v)
{
	buf_html(b, json_is_string(v) ? json_string_value(v) : "");
}

static void num(struct buf *b, json_t *v, const char *fmt)
{
	if (json_is_number(v))
		buf_printf(b, fmt, json_number_value(v));
	else
		buf_puts(b, "—");
}

static void head(struct buf *b, const char *const *cols, int n)
{
	buf_puts(b, "<table><thead><tr>");
	for (int i = 0; i < n; i++)
		buf_printf(b, "<th>%s</th>", cols[i]);
	buf_puts(b, "</tr></thead><tbody>");
}

static void summary(struct buf *b, json_t *s)
{
	static const char *const keys[] = {"runs", "checks", "items", "ok", "warn", "crit", "unknown",
					   "backups", "backups_ok", "drills", "drills_ok"};
	static const char *const names[] = {"巡检次数", "检查项次", "巡检项数", "正常", "警告", "严重", "未知",
					    "备份次数", "备份成功", "恢复演练", "演练通过"};
	buf_puts(b, "<h2>一、概况</h2><table><tbody><tr>");
	for (int i = 0; i < 11; i++)
		buf_printf(b, "<th>%s</th>", names[i]);
	buf_puts(b, "</tr><tr>");
	for (int i = 0; i < 11; i++)
		buf_printf(b, "<td class=n>%lld</td>", (long long)json_integer_value(json_object_get(s, keys[i])));
	buf_puts(b, "</tr></tbody></table>");
}

static void records(struct buf *b, const char *h2, json_t *rows)
{
	static const char *const cols[] = {"时间", "巡检项", "结果", "数值", "阈值", "说明", "处理情况"};
	size_t i;
	json_t *r;
	buf_puts(b, h2);
	if (!json_array_size(rows)) {
		buf_puts(b, "<p>无</p>");
		return;
	}
	buf_puts(b, "<table><colgroup><col style=width:10%><col style=width:17%><col style=width:6%>"
		 "<col style=width:9%><col style=width:14%><col style=width:28%><col style=width:16%></colgroup>"
		 "<thead><tr>");
	for (int c = 0; c < 7; c++)
		buf_printf(b, "<th>%s</th>", cols[c]);
	buf_puts(b, "</tr></thead><tbody>");
	json_array_foreach(rows, i, r) {
		buf_puts(b, "<tr><td>");
		text(b, json_object_get(r, "time"));
		buf_puts(b, "</td><td>");
		text(b, json_object_get(r, "title"));
		buf_puts(b, "<br><span class=small>");
		text(b, json_object_get(r, "item"));
		buf_printf(b, "</span></td><td class=\"%s nw\">", json_string_value(json_object_get(r, "status")));
		text(b, json_object_get(r, "result"));
		buf_puts(b, "</td><td class=n>");
		json_t *v = json_object_get(r, "value");
		if (json_is_number(v)) {
			char vt[64];
			ops_value_text(json_number_value(v), json_string_value(json_object_get(r, "unit")), vt, sizeof vt);
			buf_puts(b, vt);   /* digits and a unit from the item table: nothing to escape */
		} else {
			buf_puts(b, "-");
		}
		buf_puts(b, "</td><td>");
		text(b, json_object_get(r, "threshold"));
		buf_puts(b, "</td><td class=small>");
		text(b, json_object_get(r, "message"));
		buf_puts(b, "</td><td>");
		text(b, json_object_get(r, "handling"));
		buf_puts(b, "</td></tr>");
	}
	buf_puts(b, "</tbody></table>");
}

static void backups(struct buf *b, json_t *rows, json_t *drills)
{
	static const char *const cols[] = {"时间", "文件", "大小(MB)", "SHA-256", "完整性", "保留"};
	static const char *const dcols[] = {"时间", "结果", "说明"};
	size_t i;
	json_t *r;
	char t[20];
	buf_puts(b, "<h2>四、备份记录</h2>");
	if (json_array_size(rows))
		head(b, cols, 6);
	else
		buf_puts(b, "<p>本期无备份</p>");
	json_array_foreach(rows, i, r) {
		const char *path = json_string_value(json_object_get(r, "path"));
		const char *base = path ? strrchr(path, '/') : NULL;
		buf_printf(b, "<tr><td>%s</td><td class=small>", clock_cn_datetime(json_integer_value(json_object_get(r, "created_at")), t));
		buf_html(b, base ? base + 1 : path ? path : "");
		buf_printf(b, "</td><td class=n>%.1f</td><td class=small>%.16s…</td><td>",
			   json_number_value(json_object_get(r, "size_bytes")) / 1048576.0,
			   json_string_value(json_object_get(r, "sha256")));
		text(b, json_object_get(r, "integrity"));
		buf_printf(b, "</td><td>%s</td></tr>", json_is_integer(json_object_get(r, "removed_at")) ? "已按策略清理" : "保留");
	}
	if (json_array_size(rows))
		buf_puts(b, "</tbody></table>");
	if (!json_array_size(drills))
		return;
	head(b, dcols, 3);
	json_array_foreach(drills, i, r) {
		buf_printf(b, "<tr><td>%s</td><td class=%s>%s</td><td>",
			   clock_cn_datetime(json_integer_value(json_object_get(r, "started_at")), t),
			   json_string_value(json_object_get(r, "status")),
			   strcmp(json_string_value(json_object_get(r, "status")), "OK") == 0 ? "通过" : "失败");
		text(b, json_object_get(r, "message"));
		buf_puts(b, "</td></tr>");
	}
	buf_puts(b, "</tbody></table>");
}

static void availability(struct buf *b, json_t *rows)
{
	static const char *const cols[] = {"巡检项", "检查次数", "不可用", "可用率", "平均(ms)", "最大(ms)"};
	size_t i;
	json_t *r;
	buf_puts(b, "<h2>五、接口与服务可用率</h2>");
	if (!json_array_size(rows)) {
		buf_puts(b, "<p>本期无接口检查</p>");
		return;
	}
	head(b, cols, 6);
	json_array_foreach(rows, i, r) {
		buf_puts(b, "<tr><td>");
		text(b, json_object_get(r, "title"));
		buf_printf(b, "</td><td class=n>%lld</td><td class=n>%lld</td><td class=n>%.2f%%</td><td class=n>",
			   (long long)json_integer_value(json_object_get(r, "checks")),
			   (long long)json_integer_value(json_object_get(r, "down")),
			   json_number_value(json_object_get(r, "availability")));
		num(b, json_object_get(r, "avg_ms"), "%.1f");
		buf_puts(b, "</td><td class=n>");
		num(b, json_object_get(r, "max_ms"), "%.1f");
		buf_puts(b, "</td></tr>");
	}
	buf_puts(b, "</tbody></table>");
}

static void trend(struct buf *b, json_t *rows)
{
	static const char *const cols[] = {"日期", "数据库(MB)", "增长(MB)", "每核负载(最大)", "p99(ms，最大)", "5xx(%)"};
	static const char *const keys[] = {"db_mb", "growth_mb", "load", "p99_ms", "errors_pct"};
	static const char *const fmts[] = {"%.1f", "%.1f", "%.2f", "%.0f", "%.2f"};
	size_t i;
	json_t *r;
	buf_puts(b, "<h2>六、数据库大小与负载趋势</h2>");
	if (!json_array_size(rows)) {
		buf_puts(b, "<p>无数据</p>");
		return;
	}
	head(b, cols, 6);
	json_array_foreach(rows, i, r) {
		buf_puts(b, "<tr><td>");
		text(b, json_object_get(r, "day"));
		for (int k = 0; k < 5; k++) {
			buf_puts(b, "</td><td class=n>");
			num(b, json_object_get(r, keys[k]), fmts[k]);
		}
		buf_puts(b, "</td></tr>");
	}
	buf_puts(b, "</tbody></table>");
}

int ops_report_html(const json_t *d, char **body, size_t *len, struct err *e)
{
	struct buf b = {0};
	buf_puts(&b, "<!DOCTYPE html><html lang=zh-CN><head><meta charset=utf-8><title>");
	text(&b, json_object_get(d, "title"));
	buf_printf(&b, "</title><style>%s</style></head><body><h1>", css);
	text(&b, json_object_get(d, "title"));
	buf_puts(&b, "</h1><div class=meta>报告期：");
	text(&b, json_object_get(d, "period"));
	buf_puts(&b, "　生成时间：");
	text(&b, json_object_get(d, "generated_at"));
	buf_puts(&b, "　生成人：");
	text(&b, json_object_get(d, "generated_by"));
	buf_puts(&b, "</div>");
	summary(&b, json_object_get(d, "summary"));
	records(&b, "<h2>二、巡检记录表</h2>", json_object_get(d, "records"));
	records(&b, "<h2>三、异常项及处理情况</h2>", json_object_get(d, "failures"));
	backups(&b, json_object_get(d, "backups"), json_object_get(d, "drills"));
	availability(&b, json_object_get(d, "availability"));
	trend(&b, json_object_get(d, "trend"));
	buf_puts(&b, "<div class=sign><span>巡检人：＿＿＿＿＿＿</span><span>审核人：＿＿＿＿＿＿</span>"
		 "<span>日期：＿＿＿＿＿＿</span></div></body></html>\n");
	if (!b.data)
		return err_set(e, ERR_INTERNAL, "report", "out of memory");
	*body = b.data;
	*len = b.len;
	return 0;
}
