/*
** desk_xlsx.c: the desk's monthly summary as an XLSX workbook
** (libxlsxwriter): sheets 概况, 按级别, 按分类, 时限达标, 工单明细, 应急演练,
** each with a bold frozen header row and column widths for Chinese text.
*/
#include "desk/desk.h"
#include "desk/desk_int.h"
#include "base/clock.h"
#include "base/tmpout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

struct col {
	const char *head, *key;
	double width;
};

struct fmts {
	lxw_format *head, *cell, *num;
};

static void cell(lxw_worksheet *ws, const struct fmts *f, int row, int c, const json_t *v)
{
	if (json_is_number(v))
		worksheet_write_number(ws, row, c, json_number_value(v), f->num);
	else if (json_is_boolean(v))
		worksheet_write_string(ws, row, c, json_is_true(v) ? "达标" : "超时", f->cell);
	else if (json_is_string(v))
		worksheet_write_string(ws, row, c, json_string_value(v), f->cell);
	else
		worksheet_write_string(ws, row, c, json_is_null(v) ? "—" : "", f->cell);
}

static void sheet(lxw_workbook *wb, const struct fmts *f, const char *name, const struct col *cols, int n,
		  const json_t *rows)
{
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	size_t i;
	const json_t *r;
	for (int c = 0; c < n; c++) {
		worksheet_set_column(ws, c, c, cols[c].width, NULL);
		worksheet_write_string(ws, 0, c, cols[c].head, f->head);
	}
	json_array_foreach(rows, i, r)
		for (int c = 0; c < n; c++)
			cell(ws, f, (int)i + 1, c, json_object_get(r, cols[c].key));
	worksheet_freeze_panes(ws, 1, 0);
	worksheet_set_paper(ws, 9);
}

static json_t *summary(const json_t *d)
{
	static const char *const keys[][2] = {
		{"requests", "需求受理"}, {"delivered", "需求交付"}, {"consults", "技术咨询(次)"},
		{"consult_minutes", "技术咨询(分钟)"}, {"trainings", "培训(场)"}, {"training_hours", "培训(课时)"},
		{"attendances", "培训(人次)"}, {"drills", "应急演练(记录)"}, {"restore_drills", "备份恢复演练"},
		{"visits", "定期回访"}, {"score_response", "满意度-响应"}, {"score_quality", "满意度-质量"},
		{"score_attitude", "满意度-态度"},
	};
	const json_t *s = json_object_get(d, "services");
	json_t *rows = json_pack("[{s:s,s:O},{s:s,s:O},{s:s,s:O},{s:s,s:O},{s:s,s:O}]", "k", "统计月份", "v",
				 json_object_get(d, "period"), "k", "工单总数", "v", json_object_get(d, "tickets"), "k",
				 "未关闭", "v", json_object_get(d, "open"), "k", "平均响应(分钟)", "v",
				 json_object_get(d, "mean_respond_min"), "k", "平均解决(分钟)", "v",
				 json_object_get(d, "mean_resolve_min"));
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		json_t *v = json_object_get(s, keys[i][0]);
		json_array_append_new(rows, json_pack("{s:s,s:O}", "k", keys[i][1], "v", v ? v : json_null()));
	}
	return rows;
}

static void drill_rows(const json_t *drills, json_t *out)
{
	size_t i;
	const json_t *r;
	char t[24];
	json_array_foreach(drills, i, r)
		json_array_append_new(out, json_pack("{s:s,s:s,s:s,s:O,s:O}", "plan", "数据库备份恢复", "at",
						     clock_cn_datetime(json_integer_value(json_object_get(r, "started_at")), t),
						     "state", json_string_value(json_object_get(r, "state")) ?: "", "status",
						     json_object_get(r, "status"), "message", json_object_get(r, "message")));
}

static void sheets(lxw_workbook *wb, const struct fmts *f, const json_t *d)
{
	static const struct col sum[] = {{"项目", "k", 22}, {"数值", "v", 16}};
	static const struct col lvl[] = {{"级别", "label", 34}, {"工单数", "count", 10}};
	static const struct col cat[] = {{"分类", "label", 16}, {"代码", "category", 16}, {"工单数", "count", 10}};
	static const struct col clk[] = {{"时限", "label", 18}, {"计入", "counted", 8}, {"达标", "met", 8},
					 {"超时", "breached", 8}, {"达标率(%)", "compliance", 12}};
	static const struct col tk[] = {{"编号", "id", 8}, {"报障时间", "reported_at", 20}, {"级别", "level", 6},
					{"分类", "category", 12}, {"标题", "title", 40}, {"巡检项/任务", "source_ref", 18},
					{"状态", "status", 12}, {"处理人", "handler", 12}, {"响应(分钟)", "response_min", 12},
					{"响应", "response_met", 8}, {"解决(分钟)", "resolution_min", 12},
					{"解决", "resolution_met", 8}};
	static const struct col dr[] = {{"预案", "plan", 16}, {"时间", "at", 20}, {"状态", "state", 10},
					{"结果", "status", 8}, {"说明", "message", 60}};
	json_t *s = summary(d), *drills = json_array();
	drill_rows(json_object_get(d, "drills"), drills);
	sheet(wb, f, "概况", sum, 2, s);
	sheet(wb, f, "按级别", lvl, 2, json_object_get(d, "by_level"));
	sheet(wb, f, "按分类", cat, 3, json_object_get(d, "by_category"));
	sheet(wb, f, "时限达标", clk, 5, json_object_get(d, "clocks"));
	sheet(wb, f, "工单明细", tk, 12, json_object_get(d, "items"));
	sheet(wb, f, "应急演练", dr, 5, drills);
	json_decref(s);
	json_decref(drills);
}

static int write_book(const json_t *d, const char *path, struct err *e)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return err_set(e, ERR_INTERNAL, "o", "cannot create %s", path);
	struct fmts f = {workbook_add_format(wb), workbook_add_format(wb), workbook_add_format(wb)};
	format_set_bold(f.head);
	format_set_bg_color(f.head, 0xDDEBF7);
	format_set_border(f.head, LXW_BORDER_THIN);
	format_set_text_wrap(f.cell);
	format_set_border(f.cell, LXW_BORDER_THIN);
	format_set_num_format(f.num, "0.#");
	format_set_border(f.num, LXW_BORDER_THIN);
	workbook_set_properties(wb, &(lxw_doc_properties){.title = "运维服务台月度报告", .author = "gonggai"});
	sheets(wb, &f, d);
	lxw_error rc = workbook_close(wb);
	if (rc != LXW_NO_ERROR)
		return err_set(e, ERR_INTERNAL, "o", "cannot write %s: %s", path, lxw_strerror(rc));
	return 0;
}

/* write_book for tmpout_render. */
static int write_to(void *arg, const char *path, struct err *e)
{
	return write_book(arg, path, e);
}

int desk_monthly_xlsx(const json_t *d, const char *path, char **body, size_t *len, struct err *e)
{
	if (path)
		return write_book(d, path, e);
	return tmpout_render("gonggai-desk", write_to, (void *)d, body, len, e);
}
