/*
** case_export.c: the 办件 list as CSV or XLSX (see case_export.h). One row
** writer with two sinks; the rows come page by page from the store.
*/
#include "approval/case_export.h"
#include "approval/case_int.h"
#include "approval/catalog_doc.h"
#include "approval/names.h"
#include "base/csv.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/tmpout.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define PAGE 200

static const struct { const char *title; double width; } columns[] = {
	{"办件编号", 26}, {"并联审批实例", 24}, {"项目代码", 26}, {"项目名称", 36}, {"事项编码", 12},
	{"事项名称", 30}, {"办理部门代码", 14}, {"办理部门", 28}, {"区划代码", 10}, {"阶段代码", 8},
	{"阶段", 16}, {"辅线代码", 8}, {"辅线", 10}, {"状态代码(BLZT)", 12}, {"状态", 16}, {"当前环节", 12},
	{"指定办理人", 10}, {"接件时间", 19}, {"受理时间", 19}, {"办结时间", 19}, {"承诺时限(工作日)", 10},
	{"到期日", 11}, {"已用工作日", 8}, {"剩余工作日", 8}, {"暂停工作日", 8}, {"预警", 10},
};
#define NCOLS (sizeof columns / sizeof columns[0])

int case_export_format_parse(const char *s)
{
	if (!s || strcmp(s, "csv") == 0)
		return CASE_EXPORT_CSV;
	return strcmp(s, "xlsx") == 0 ? CASE_EXPORT_XLSX : -1;
}


/* ---- sinks ------------------------------------------------------------------------------ */

struct sink {
	int format;
	struct buf csv;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head;
	int row, col;
};

/* A text cell (text 1) or a number written as text (text 0: no CSV guard). */
static void put(struct sink *k, const char *s, int text)
{
	if (k->format == CASE_EXPORT_CSV) {
		if (k->col)
			buf_puts(&k->csv, ",");
		csv_cell(&k->csv, s, text);
	} else if (s && *s) {
		worksheet_write_string(k->ws, (lxw_row_t)k->row, (lxw_col_t)k->col, s, k->row ? NULL : k->head);
	}
	k->col++;
}

/* A number, or an empty cell when !has. */
static void put_num(struct sink *k, long long v, int has)
{
	char t[24] = "";
	if (k->format == CASE_EXPORT_XLSX && has)
		worksheet_write_number(k->ws, (lxw_row_t)k->row, (lxw_col_t)k->col, (double)v, NULL);
	if (k->format == CASE_EXPORT_XLSX) {
		k->col++;
		return;
	}
	if (has)
		snprintf(t, sizeof t, "%lld", v);
	put(k, t, 0);
}

static void end_row(struct sink *k)
{
	if (k->format == CASE_EXPORT_CSV)
		buf_puts(&k->csv, "\r\n");
	k->row++;
	k->col = 0;
}

static int sink_open(struct sink *k, int format, const char *path, struct err *e)
{
	memset(k, 0, sizeof *k);
	k->format = format;
	if (format == CASE_EXPORT_CSV) {
		buf_puts(&k->csv, "\xEF\xBB\xBF");            /* BOM: Excel reads UTF-8 */
	} else {
		lxw_workbook_options o = {.constant_memory = LXW_TRUE};
		const char *dir = getenv("TMPDIR");
		o.tmpdir = (char *)(dir && *dir ? dir : "/tmp");
		k->wb = workbook_new_opt(path, &o);
		k->ws = k->wb ? workbook_add_worksheet(k->wb, "办件列表") : NULL;
		if (!k->ws)
			return err_set(e, ERR_INTERNAL, "format", "无法创建工作簿 (libxlsxwriter)");
		k->head = workbook_add_format(k->wb);
		format_set_bold(k->head);
		format_set_bg_color(k->head, 0xDDEBF7);
		worksheet_freeze_panes(k->ws, 1, 1);
		for (size_t c = 0; c < NCOLS; c++)
			worksheet_set_column(k->ws, (lxw_col_t)c, (lxw_col_t)c, columns[c].width, NULL);
	}
	for (size_t c = 0; c < NCOLS; c++)
		put(k, columns[c].title, 1);
	end_row(k);
	return 0;
}

/* ---- rows -------------------------------------------------------------------------------- */

static void put_time(struct sink *k, int64_t t)
{
	char s[24] = "";
	if (t)
		clock_cn_datetime(t, s);
	put(k, s, 0);
}

static void put_row(struct sink *k, const struct case_rec *c, const struct deadline *d)
{
	char day[CAL_DATE_LEN] = "";
	const char *side = c->side_line[0] ? catalog_side_line_name(c->side_line) : "";
	const char *light = d->light != LIGHT_NONE && d->running ? dict_label(approval_light_names,
								      deadline_light_name(d->light))
		: d->on_time == 1 ? "按时办结" : d->on_time == 0 ? "逾期办结" : "";
	put(k, c->number, 1);
	put(k, c->instance_number, 1);
	put(k, c->project_code, 1);
	put(k, c->project_name, 1);
	put(k, c->item_code, 1);
	put(k, c->item_name, 1);
	put(k, c->department, 1);
	put(k, c->department_name, 1);
	put(k, c->district, 1);
	put_num(k, c->stage, 1);
	put(k, catalog_stage_name(c->stage), 1);
	put(k, c->side_line, 1);
	put(k, side ? side : "", 1);
	put_num(k, c->status, 1);
	put(k, case_status_name(c->status), 1);
	put(k, c->open ? c->step_name : "", 1);
	put(k, c->handler_id ? c->handler_name : "", 1);
	put_time(k, c->received_at);
	put_time(k, c->accepted_at);
	put_time(k, c->final_at);
	put_num(k, c->limit, 1);
	if (d->due_day != DEADLINE_NONE)
		deadline_date(d->due_day, day);
	put(k, day, 0);
	put_num(k, d->workdays_used, c->accepted);
	put_num(k, d->workdays_left, c->accepted && d->running);
	put_num(k, d->paused_workdays, c->accepted);
	put(k, light ? light : "", 1);
	end_row(k);
}

/* Every matching case into k, in the list's order. */
static int write_rows(struct store *st, const struct case_env *env, int64_t now, struct case_filter *f,
		      struct sink *k, int64_t *rows, struct err *e)
{
	int64_t ids[PAGE], total = 0;
	int n = 0, began, rc;
	*rows = 0;
	if (store_case_read_begin(st, &began, e))
		return e->code;
	struct page p = {1, PAGE};
	do {
		rc = store_case_find(st, f, &p, ids, &n, &total, e);
		for (int i = 0; i < n && !rc; i++) {
			struct case_rec c;
			struct deadline d;
			if ((rc = store_case_get(st, ids[i], &c, e)) || (rc = case_clock(st, env, &c, now, &d, e)))
				break;
			put_row(k, &c, &d);
			(*rows)++;
		}
		p.page++;
	} while (!rc && n == PAGE);
	store_case_read_end(st, began);
	return rc;
}

struct xlsx_job {
	struct store *st;
	const struct case_env *env;
	int64_t now;
	struct case_filter *f;
	int64_t *rows;
};

/* The workbook written to path (tmpout_render's writer). */
static int write_xlsx(void *arg, const char *path, struct err *e)
{
	struct xlsx_job *x = arg;
	struct sink k;
	int rc = sink_open(&k, CASE_EXPORT_XLSX, path, e);
	if (!rc)
		rc = write_rows(x->st, x->env, x->now, x->f, &k, x->rows, e);
	if (!rc)
		worksheet_autofilter(k.ws, 0, 0, (lxw_row_t)*x->rows, NCOLS - 1);
	if (k.wb) {
		lxw_error err = workbook_close(k.wb);
		if (!rc && err != LXW_NO_ERROR)
			rc = err_set(e, ERR_INTERNAL, "format", "写入工作簿失败: %s", lxw_strerror(err));
	}
	return rc;
}

static int run_xlsx(struct store *st, const struct case_env *env, int64_t now, struct case_filter *f,
		    struct case_export *out, struct err *e)
{
	struct xlsx_job x = {st, env, now, f, &out->rows};
	return tmpout_render("gonggai-cases", write_xlsx, &x, &out->data, &out->len, e);
}

int case_export_run(struct store *st, const struct case_env *env, const struct principal *who, int64_t now,
		    const struct case_query *q, int format, struct case_export *out, struct err *e)
{
	struct case_filter f;
	char win[7], day[CAL_DATE_LEN];
	int rc;
	memset(out, 0, sizeof *out);
	if (format != CASE_EXPORT_CSV && format != CASE_EXPORT_XLSX)
		return err_set(e, ERR_INVALID, "format", "格式应为 csv 或 xlsx (format: csv | xlsx)");
	if (case_filter_of(who, q, now, &f, win, e))
		return e->code;
	if (format == CASE_EXPORT_XLSX) {
		rc = run_xlsx(st, env, now, &f, out, e);
	} else {
		struct sink k;
		sink_open(&k, CASE_EXPORT_CSV, NULL, e);
		rc = write_rows(st, env, now, &f, &k, &out->rows, e);
		out->data = k.csv.data;
		out->len = k.csv.len;
		if (rc) {
			buf_free(&k.csv);
			out->data = NULL;
		}
	}
	if (rc)
		return rc;
	/* the day of the people who asked: Asia/Shanghai, not UTC */
	clock_cn_date(now, day);
	const char *ext = format == CASE_EXPORT_XLSX ? "xlsx" : "csv";
	snprintf(out->name, sizeof out->name, "办件列表-%s-%lld条.%s", day, (long long)out->rows, ext);
	snprintf(out->ascii_name, sizeof out->ascii_name, "cases-%s-%lld.%s", day, (long long)out->rows, ext);
	return 0;
}
