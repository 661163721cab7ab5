/*
** stats_xlsx.c: a report as an XLSX workbook through libxlsxwriter (see
** stats_report.h). Sheet 汇总 holds the period, the scope, every total with
** the previous period (环比) and last year (同比), and the whole-project
** figures per flow type; then one sheet per grouping with a frozen header,
** a totals row and number formats (counts #,##0, rates 0.0%, days 0.0).
** Null values are empty cells, never 0.
**
** libxlsxwriter 1.1 writes to a file only; stats_report_xlsx_mem goes
** through a temporary file in $TMPDIR (or /tmp) removed before returning.
*/
#include "stats/stats_report.h"
#include "base/tmpout.h"
#include "base/clock.h"
#include "calendar/cal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

struct fmts {
	lxw_format *title, *head, *text, *bold, *kinds[4], *tkinds[4], *ttext;
};

static lxw_format *numfmt(lxw_workbook *wb, const char *f, int total)
{
	lxw_format *x = workbook_add_format(wb);
	format_set_num_format(x, f);
	format_set_border(x, LXW_BORDER_THIN);
	if (total) {
		format_set_bold(x);
		format_set_bg_color(x, 0xF2F2F2);
	}
	return x;
}

static void make_formats(lxw_workbook *wb, struct fmts *f)
{
	static const char *const nf[4] = {"#,##0", "0.0%", "0.0", "0.00"};
	f->title = workbook_add_format(wb);
	format_set_bold(f->title);
	format_set_font_size(f->title, 14);
	f->head = workbook_add_format(wb);
	format_set_bold(f->head);
	format_set_text_wrap(f->head);
	format_set_align(f->head, LXW_ALIGN_CENTER);
	format_set_align(f->head, LXW_ALIGN_VERTICAL_CENTER);
	format_set_bg_color(f->head, 0xDDEBF7);
	format_set_border(f->head, LXW_BORDER_THIN);
	f->text = workbook_add_format(wb);
	format_set_border(f->text, LXW_BORDER_THIN);
	f->ttext = workbook_add_format(wb);
	format_set_border(f->ttext, LXW_BORDER_THIN);
	format_set_bold(f->ttext);
	format_set_bg_color(f->ttext, 0xF2F2F2);
	f->bold = workbook_add_format(wb);
	format_set_bold(f->bold);
	for (int k = 0; k < 4; k++) {
		f->kinds[k] = numfmt(wb, nf[k], 0);
		f->tkinds[k] = numfmt(wb, nf[k], 1);
	}
}

static void cell(lxw_worksheet *ws, int row, int col, double v, lxw_format *fmt)
{
	if (stats_is_null(v))
		worksheet_write_blank(ws, row, col, fmt);
	else
		worksheet_write_number(ws, row, col, v, fmt);
}

/* ---- one sheet per grouping ------------------------------------------------ */

static void section_row(lxw_worksheet *ws, int row, const struct stats_row *r, const struct fmts *f,
			int total)
{
	size_t nc = stats_column_count();
	double v[nc];
	stats_values(&r->c, v);
	worksheet_write_string(ws, row, 0, r->key, total ? f->ttext : f->text);
	worksheet_write_string(ws, row, 1, r->name, total ? f->ttext : f->text);
	for (size_t i = 0; i < nc; i++)
		cell(ws, row, 2 + (int)i, v[i], (total ? f->tkinds : f->kinds)[stats_column(i)->kind]);
}

static void section_sheet(lxw_workbook *wb, const struct stats_section *sec, const struct fmts *f)
{
	char name[32];
	snprintf(name, sizeof name, "按%s", stats_group_label(sec->group));
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	char code[32];
	snprintf(code, sizeof code, "%s代码", stats_group_label(sec->group));
	worksheet_set_row(ws, 0, 36, NULL);
	worksheet_write_string(ws, 0, 0, code, f->head);
	worksheet_write_string(ws, 0, 1, stats_group_label(sec->group), f->head);
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, sec->group == SG_ITEM ? 40 : 22, NULL);
	for (size_t i = 0; i < stats_column_count(); i++) {
		worksheet_write_string(ws, 0, 2 + (int)i, stats_column(i)->name, f->head);
		worksheet_set_column(ws, 2 + (int)i, 2 + (int)i, 11, NULL);
	}
	for (size_t i = 0; i < sec->nrows; i++)
		section_row(ws, 1 + (int)i, &sec->rows[i], f, 0);
	section_row(ws, 1 + (int)sec->nrows, &sec->total, f, 1);
	worksheet_freeze_panes(ws, 1, 2);
	worksheet_autofilter(ws, 0, 0, (lxw_row_t)sec->nrows, 1 + (lxw_col_t)stats_column_count());
}

/* ---- summary ------------------------------------------------------------------ */

static int summary_head(lxw_worksheet *ws, const struct stats_report *r, const struct fmts *f)
{
	char label[96], a[CAL_DATE_LEN], b[CAL_DATE_LEN], line[256], iso[32];
	worksheet_write_string(ws, 0, 0, "工程建设项目审批统计报表", f->title);
	const struct {
		const char *what;
		const struct stats_period *p;
	} ps[] = {{"统计周期", &r->period}, {"上期(环比)", &r->previous}, {"上年同期(同比)", &r->last_year}};
	int row = 2;
	for (size_t i = 0; i < 3; i++, row++) {
		stats_period_label(ps[i].p, label, sizeof label);
		cal_date_format(ps[i].p->from, a);
		cal_date_format(ps[i].p->to, b);
		snprintf(line, sizeof line, "%s (%s 至 %s)", label, a, b);
		worksheet_write_string(ws, row, 0, ps[i].what, f->bold);
		worksheet_write_string(ws, row, 1, line, NULL);
	}
	worksheet_write_string(ws, row, 0, "统计范围", f->bold);
	worksheet_write_string(ws, row++, 1, r->scope, NULL);
	clock_cn_datetime(r->generated_at, iso);
	worksheet_write_string(ws, row, 0, "生成时间", f->bold);
	worksheet_write_string(ws, row++, 1, iso, NULL);
	worksheet_write_string(ws, row++, 0, "口径说明: 各指标定义见 docs/api.md「统计」; 比率分母为 0 时留空。", NULL);
	return row + 1;
}

static int summary_totals(lxw_worksheet *ws, int row, const struct stats_report *r, const struct fmts *f)
{
	static const char *const heads[] = {"指标", "本期", "上期", "环比", "上年同期", "同比"};
	size_t nc = stats_column_count();
	double cur[nc], prev[nc], ly[nc];
	const struct stats_counts *c = r->nsections ? &r->sections[0].total.c : &r->prev_total;
	stats_values(c, cur);
	stats_values(&r->prev_total, prev);
	stats_values(&r->ly_total, ly);
	for (int i = 0; i < 6; i++)
		worksheet_write_string(ws, row, i, heads[i], f->head);
	int head_row = row++;
	for (size_t i = 0; i < nc; i++, row++) {
		int kind = stats_column(i)->kind;
		lxw_format *nf = f->kinds[kind];
		worksheet_write_string(ws, row, 0, stats_column(i)->name, f->text);
		cell(ws, row, 1, cur[i], nf);
		cell(ws, row, 2, prev[i], nf);
		/* rates compare as a difference in points, the rest relatively */
		cell(ws, row, 3, kind == SV_RATE ? stats_diff(cur[i], prev[i]) : stats_change(cur[i], prev[i]),
		     f->kinds[SV_RATE]);
		cell(ws, row, 4, ly[i], nf);
		cell(ws, row, 5, kind == SV_RATE ? stats_diff(cur[i], ly[i]) : stats_change(cur[i], ly[i]),
		     f->kinds[SV_RATE]);
	}
	worksheet_freeze_panes(ws, head_row + 1, 1);
	return row + 1;
}

static void summary_flows(lxw_worksheet *ws, int row, const struct stats_report *r, const struct fmts *f)
{
	static const char *const heads[] = {"项目类型", "省定目标(工作日)", "完成项目数", "目标内项目数",
					    "目标内比例", "平均用时(工作日)", "P90用时(工作日)", "最长用时(工作日)"};
	worksheet_write_string(ws, row++, 0, "全流程审批用时 (按项目类型, 本期完成全部阶段的项目)", f->bold);
	for (int i = 0; i < 8; i++)
		worksheet_write_string(ws, row, i, heads[i], f->head);
	row++;
	for (size_t i = 0; i < r->nflows; i++, row++) {
		const struct stats_flow_row *fl = &r->flows[i];
		double avg, within;
		stats_flow_values(fl, &avg, &within);
		worksheet_write_string(ws, row, 0, stats_flow_type_name(fl->flow_type), f->text);
		cell(ws, row, 1, fl->target ? fl->target : STATS_NULL, f->kinds[SV_COUNT]);
		cell(ws, row, 2, (double)fl->projects, f->kinds[SV_COUNT]);
		cell(ws, row, 3, fl->target ? (double)fl->within : STATS_NULL, f->kinds[SV_COUNT]);
		cell(ws, row, 4, within, f->kinds[SV_RATE]);
		cell(ws, row, 5, avg, f->kinds[SV_DAYS]);
		cell(ws, row, 6, fl->elapsed_p90 < 0 ? STATS_NULL : (double)fl->elapsed_p90, f->kinds[SV_COUNT]);
		cell(ws, row, 7, fl->elapsed_max < 0 ? STATS_NULL : (double)fl->elapsed_max, f->kinds[SV_COUNT]);
	}
}

int stats_report_xlsx(const struct stats_report *r, const char *path, struct err *e)
{
	lxw_workbook *wb = workbook_new(path);
	if (!wb)
		return err_set(e, ERR_INTERNAL, "output", "无法创建工作簿: %s", path);
	struct fmts f;
	make_formats(wb, &f);
	lxw_doc_properties props = {.title = "工程建设项目审批统计报表", .author = "gonggai"};
	workbook_set_properties(wb, &props);
	lxw_worksheet *sum = workbook_add_worksheet(wb, "汇总");
	worksheet_set_column(sum, 0, 0, 26, NULL);
	worksheet_set_column(sum, 1, 7, 16, NULL);
	int row = summary_head(sum, r, &f);
	row = summary_totals(sum, row, r, &f);
	summary_flows(sum, row, r, &f);
	for (size_t s = 0; s < r->nsections; s++)
		section_sheet(wb, &r->sections[s], &f);
	lxw_error rc = workbook_close(wb);
	if (rc != LXW_NO_ERROR)
		return err_set(e, ERR_INTERNAL, "output", "写入工作簿失败: %s: %s", path, lxw_strerror(rc));
	return 0;
}

static int write_report(void *arg, const char *path, struct err *e)
{
	return stats_report_xlsx(arg, path, e);
}

int stats_report_xlsx_mem(const struct stats_report *r, char **data, size_t *len, struct err *e)
{
	return tmpout_render("gonggai-stats", write_report, (void *)r, data, len, e);
}
