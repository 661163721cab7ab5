/*
** paperwork_html.c: a report document (paperwork.h) as one self-contained
** HTML page printable on A4: one numbered heading per section, the summary
** as a two-column table, every table with its header repeated on each
** printed page and rows never split, the notes, and the signature lines.
** No script, no external resource.
*/
#include "paperwork/paperwork.h"
#include "base/buf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char css[] =
	"@page{size:A4;margin:15mm 12mm}"
	"body{font-family:'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif;"
	"font-size:10.5pt;color:#111;margin:0 auto;max-width:190mm}"
	"h1{font-size:16pt;text-align:center;margin:4mm 0 1mm}"
	".meta{text-align:center;color:#444;margin-bottom:5mm}"
	"h2{font-size:12.5pt;border-bottom:1.5px solid #333;padding-bottom:1mm;margin:6mm 0 2mm;"
	"page-break-after:avoid}h3{font-size:11pt;margin:3mm 0 1mm;page-break-after:avoid}"
	"table{border-collapse:collapse;width:100%;margin-bottom:3mm}"
	"thead{display:table-header-group}tr{page-break-inside:avoid}"
	"th,td{border:1px solid #888;padding:1mm 1.5mm;vertical-align:top;text-align:left}"
	"th{background:#e8eef6}td.n{text-align:right;white-space:nowrap}"
	".note{font-size:9.5pt;color:#333}.sign{margin-top:10mm;display:flex;justify-content:space-between}"
	"@media print{body{max-width:none}}";

static void value(struct buf *b, json_t *v)
{
	if (json_is_integer(v))
		buf_printf(b, "<td class=n>%lld</td>", (long long)json_integer_value(v));
	else if (json_is_real(v))
		buf_printf(b, "<td class=n>%.2f</td>", json_real_value(v));
	else if (json_is_boolean(v))
		buf_puts(b, json_is_true(v) ? "<td>是</td>" : "<td>否</td>");
	else if (json_is_string(v)) {
		buf_puts(b, "<td>");
		buf_html(b, json_string_value(v));
		buf_puts(b, "</td>");
	} else
		buf_puts(b, "<td></td>");
}

static void summary(struct buf *b, json_t *rows)
{
	json_t *r;
	size_t i;
	if (!json_array_size(rows))
		return;
	buf_puts(b, "<table><thead><tr><th style=width:50%>指标</th><th>数值</th><th style=width:15%>单位"
		    "</th></tr></thead><tbody>");
	json_array_foreach(rows, i, r) {
		buf_puts(b, "<tr>");
		value(b, json_object_get(r, "label"));
		value(b, json_object_get(r, "value"));
		value(b, json_object_get(r, "unit"));
		buf_puts(b, "</tr>");
	}
	buf_puts(b, "</tbody></table>");
}

static void table(struct buf *b, json_t *t)
{
	json_t *cols = json_object_get(t, "columns"), *c, *r;
	size_t i, j;
	buf_puts(b, "<h3>");
	buf_html(b, json_string_value(json_object_get(t, "title")));
	buf_puts(b, "</h3>");
	if (!json_array_size(json_object_get(t, "rows"))) {
		buf_puts(b, "<p>无</p>");
		return;
	}
	buf_puts(b, "<table><thead><tr>");
	json_array_foreach(cols, j, c) {
		buf_puts(b, "<th>");
		buf_html(b, json_string_value(json_object_get(c, "head")));
		buf_puts(b, "</th>");
	}
	buf_puts(b, "</tr></thead><tbody>");
	json_array_foreach(json_object_get(t, "rows"), i, r) {
		buf_puts(b, "<tr>");
		json_array_foreach(cols, j, c)
			value(b, json_object_get(r, json_string_value(json_object_get(c, "key"))));
		buf_puts(b, "</tr>");
	}
	buf_puts(b, "</tbody></table>");
}

static void section(struct buf *b, size_t n, json_t *s)
{
	json_t *v;
	size_t i;
	buf_printf(b, "<section id=\"s-%zu\"><h2>%zu. ", n, n);
	buf_html(b, json_string_value(json_object_get(s, "title")));
	buf_puts(b, "</h2>");
	summary(b, json_object_get(s, "summary"));
	json_array_foreach(json_object_get(s, "tables"), i, v)
		table(b, v);
	json_array_foreach(json_object_get(s, "notes"), i, v) {
		buf_puts(b, "<p class=note>");
		buf_html(b, json_string_value(v));
		buf_puts(b, "</p>");
	}
	buf_puts(b, "</section>");
}

int pw_html(const json_t *doc, char **body, size_t *len, struct err *e)
{
	struct buf b = {0};
	json_t *s;
	size_t i;
	(void)e;
	buf_puts(&b, "<!doctype html><html lang=zh-CN><head><meta charset=utf-8><title>");
	buf_html(&b, json_string_value(json_object_get(doc, "title")));
	buf_printf(&b, "</title><style>%s</style></head><body><h1>", css);
	buf_html(&b, json_string_value(json_object_get(doc, "title")));
	buf_puts(&b, "</h1><p class=meta>报告期：");
	buf_html(&b, json_string_value(json_object_get(doc, "period")));
	buf_puts(&b, "　生成时间：");
	buf_html(&b, json_string_value(json_object_get(doc, "generated_at")));
	buf_puts(&b, "　生成人：");
	buf_html(&b, json_string_value(json_object_get(doc, "generated_by")));
	buf_puts(&b, "</p>");
	json_array_foreach(json_object_get(doc, "sections"), i, s)
		section(&b, i + 1, s);
	buf_puts(&b, "<div class=sign><span>运维单位（盖章）：＿＿＿＿＿＿</span><span>使用单位确认：＿＿＿＿＿＿</span>"
		     "<span>日期：＿＿＿＿＿＿</span></div></body></html>\n");
	*body = b.data;
	*len = b.len;
	return 0;
}
