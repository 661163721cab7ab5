/*
** report_xlsx.c: the inspection report as an XLSX workbook (libxlsxwriter),
** one sheet per section of report.h. Each sheet has a merged title row and a
** bold header row, both frozen, an autofilter over the table and column
** widths sized for Chinese text (a CJK character is two width units).
*/
#include "ops/report.h"
#include "base/clock.h"

#include <stdio.h>
#include <string.h>
#include <xlsxwriter.h>

enum col_kind { C_TEXT, C_NUM, C_TIME, C_MB, C_BOOL };

struct col {
	const char *head;
	const char *key;
	double width;
	int kind;
};

struct fmts {
	lxw_format *title, *head, *cell, *num;
};

static void cell(lxw_worksheet *ws, const struct fmts *f, int row, int c, const struct col *col, json_t *v)
{
	char t[24];
	switch (col->kind) {
	case C_NUM:
		if (json_is_number(v))
			worksheet_write_number(ws, row, c, json_number_value(v), f->num);
		else
			worksheet_write_string(ws, row, c, "—", f->cell);
		break;
	case C_MB:
		worksheet_write_number(ws, row, c, json_number_value(v) / 1048576.0, f->num);
		break;
	case C_TIME:
		if (json_is_integer(v) && json_integer_value(v) > 0)
			worksheet_write_string(ws, row, c, clock_cn_datetime(json_integer_value(v), t), f->cell);
		else
			worksheet_write_string(ws, row, c, "", f->cell);
		break;
	case C_BOOL:
		worksheet_write_string(ws, row, c, json_is_true(v) ? "是" : "否", f->cell);
		break;
	default:
		worksheet_write_string(ws, row, c, json_is_string(v) ? json_string_value(v) : "", f->cell);
	}
}

static void table(lxw_workbook *wb, const struct fmts *f, const char *name, const char *title,
		  const struct col *cols, int ncols, json_t *rows)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	size_t i;
	json_t *r;
	worksheet_merge_range(ws, 0, 0, 0, ncols - 1, title, f->title);
	worksheet_set_row(ws, 0, 24, NULL);
	for (int c = 0; c < ncols; c++) {
		worksheet_set_column(ws, c, c, cols[c].width, NULL);
		worksheet_write_string(ws, 1, c, cols[c].head, f->head);
	}
	json_array_foreach(rows, i, r)
		for (int c = 0; c < ncols; c++)
			cell(ws, f, (int)i + 2, c, &cols[c], json_object_get(r, cols[c].key));
	worksheet_freeze_panes(ws, 2, 0);
	worksheet_autofilter(ws, 1, 0, 1 + (int)json_array_size(rows), ncols - 1);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);   /* A4 */
	worksheet_repeat_rows(ws, 1, 1);
	worksheet_fit_to_pages(ws, 1, 0);
}

static json_t *summary_rows(const json_t *d)
{
	static const char *const keys[] = {"runs", "checks", "items", "ok", "warn", "crit", "unknown",
					   "backups", "backups_ok", "drills", "drills_ok"};
	static const char *const names[] = {"巡检次数", "检查项次", "巡检项数", "正常", "警告", "严重", "未知",
					    "备份次数", "备份成功", "恢复演练次数", "恢复演练通过"};
	json_t *s = json_object_get(d, "summary");
	json_t *rows = json_pack("[{s:s,s:O},{s:s,s:O},{s:s,s:O}]", "k", "报告期", "v", json_object_get(d, "period"),
				 "k", "生成时间", "v", json_object_get(d, "generated_at"), "k", "生成人", "v",
				 json_object_get(d, "generated_by"));
	for (int i = 0; i < 11; i++) {
		char v[32];
		snprintf(v, sizeof v, "%lld", (long long)json_integer_value(json_object_get(s, keys[i])));
		json_array_append_new(rows, json_pack("{s:s,s:s}", "k", names[i], "v", v));
	}
	return rows;
}

static void sheets(lxw_workbook *wb, const struct fmts *f, const json_t *d)
{
	static const struct col sum[] = {{"项目", "k", 18, C_TEXT}, {"内容", "v", 40, C_TEXT}};
	static const struct col rec[] = {
		{"时间", "time", 26, C_TEXT}, {"巡检项", "item", 20, C_TEXT}, {"名称", "title", 30, C_TEXT},
		{"结果", "result", 8, C_TEXT}, {"数值", "value", 10, C_NUM}, {"单位", "unit", 6, C_TEXT},
		{"阈值", "threshold", 26, C_TEXT}, {"说明", "message", 60, C_TEXT}, {"处理情况", "handling", 30, C_TEXT}};
	static const struct col bak[] = {
		{"时间", "created_at", 20, C_TIME}, {"文件", "path", 60, C_TEXT}, {"大小(MB)", "size_bytes", 10, C_MB},
		{"SHA-256", "sha256", 68, C_TEXT}, {"完整性", "integrity", 12, C_TEXT},
		{"复制(ms)", "copy_ms", 10, C_NUM}, {"检查(ms)", "check_ms", 10, C_NUM},
		{"清理时间", "removed_at", 20, C_TIME}};
	static const struct col dri[] = {
		{"时间", "started_at", 20, C_TIME}, {"结果", "status", 8, C_TEXT}, {"发起", "trigger", 18, C_TEXT},
		{"说明", "message", 80, C_TEXT}};
	static const struct col av[] = {
		{"巡检项", "item", 22, C_TEXT}, {"名称", "title", 30, C_TEXT}, {"检查次数", "checks", 10, C_NUM},
		{"不可用次数", "down", 12, C_NUM}, {"可用率(%)", "availability", 12, C_NUM},
		{"平均(ms)", "avg_ms", 10, C_NUM}, {"最大(ms)", "max_ms", 10, C_NUM}};
	static const struct col tr[] = {
		{"日期", "day", 12, C_TEXT}, {"数据库(MB)", "db_mb", 12, C_NUM}, {"增长(MB)", "growth_mb", 10, C_NUM},
		{"每核负载(最大)", "load", 16, C_NUM}, {"p99(ms，最大)", "p99_ms", 12, C_NUM},
		{"5xx(%)", "errors_pct", 10, C_NUM}};
	const char *title = json_string_value(json_object_get(d, "title"));
	char t[240];
	json_t *srows = summary_rows(d);
	snprintf(t, sizeof t, "%s（%s）", title, json_string_value(json_object_get(d, "period")));
	table(wb, f, "概况", t, sum, 2, srows);
	json_decref(srows);
	table(wb, f, "巡检记录表", "巡检记录表", rec, 9, json_object_get(d, "records"));
	table(wb, f, "异常及处理", "异常项及处理情况", rec, 9, json_object_get(d, "failures"));
	table(wb, f, "备份记录", "备份记录", bak, 8, json_object_get(d, "backups"));
	table(wb, f, "恢复演练", "恢复演练记录", dri, 4, json_object_get(d, "drills"));
	table(wb, f, "接口可用率", "接口与服务可用率", av, 7, json_object_get(d, "availability"));
	table(wb, f, "趋势", "数据库大小与负载趋势", tr, 6, json_object_get(d, "trend"));
}

int ops_report_xlsx(const json_t *data, const char *path, struct err *e)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return err_set(e, ERR_INTERNAL, "report", "cannot create %s", path);
	struct fmts f = {workbook_add_format(wb), workbook_add_format(wb), workbook_add_format(wb),
			 workbook_add_format(wb)};
	format_set_bold(f.title);
	format_set_font_size(f.title, 14);
	format_set_align(f.title, LXW_ALIGN_CENTER);
	format_set_bold(f.head);
	format_set_bg_color(f.head, 0xDDEBF7);
	format_set_border(f.head, LXW_BORDER_THIN);
	format_set_text_wrap(f.cell);
	format_set_align(f.cell, LXW_ALIGN_VERTICAL_TOP);
	format_set_border(f.cell, LXW_BORDER_THIN);
	format_set_num_format(f.num, "0.0#");
	format_set_border(f.num, LXW_BORDER_THIN);
	format_set_align(f.num, LXW_ALIGN_VERTICAL_TOP);
	workbook_set_properties(wb, &(lxw_doc_properties){.title = (char *)json_string_value(
								  json_object_get(data, "title")),
							  .author = "gonggai"});
	sheets(wb, &f, data);
	lxw_error rc = workbook_close(wb);
	if (rc != LXW_NO_ERROR)
		return err_set(e, ERR_INTERNAL, "report", "cannot write %s: %s", path, lxw_strerror(rc));
	return 0;
}
