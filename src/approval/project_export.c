/*
** project_export.c: the project list as CSV or XLSX (see project_export.h).
*/
#include "approval/project_export.h"
#include "base/csv.h"
#include "approval/names.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/tmpout.h"
#include "store/store_case.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define PAGE 200

static const struct { const char *title, *key; double width; int number; } columns[] = {
	{"投资项目代码", "code", 26, 0}, {"工程代码", "gcdm", 20, 0}, {"项目名称", "name", 36, 0},
	{"流程类型代码", "flow_type", 10, 1}, {"流程类型", NULL, 18, 0}, {"审批流程", "flow_code", 14, 0},
	{"所在地代码", "division", 10, 0}, {"建设地点", "address", 30, 0}, {"总投资(万元)", "investment_wan", 12, 1},
	{"用地面积(平方米)", "land_area_m2", 12, 1}, {"建筑面积(平方米)", "floor_area_m2", 12, 1},
	{"计划开工", "planned_start", 11, 0}, {"计划竣工", "planned_finish", 11, 0}, {"建设单位", NULL, 30, 0},
	{"登记部门", "created_department", 14, 0}, {"登记人", "created_by", 12, 0}, {"登记时间", NULL, 19, 0},
};
#define NCOLS (sizeof columns / sizeof columns[0])

struct sink {
	int format;
	struct buf csv;
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head;
	int row;
};

static void cell(struct sink *k, int col, const char *s, const json_t *num)
{
	if (k->format == CASE_EXPORT_CSV) {
		char t[32];
		if (col)
			buf_puts(&k->csv, ",");
		if (num)
			snprintf(t, sizeof t, "%lld", (long long)json_integer_value(num));
		csv_cell(&k->csv, num ? t : s, !num);
	} else if (num) {
		worksheet_write_number(k->ws, (lxw_row_t)k->row, (lxw_col_t)col, (double)json_integer_value(num), NULL);
	} else if (s && *s) {
		worksheet_write_string(k->ws, (lxw_row_t)k->row, (lxw_col_t)col, s, k->row ? NULL : k->head);
	}
}

static void end_row(struct sink *k)
{
	if (k->format == CASE_EXPORT_CSV)
		buf_puts(&k->csv, "\r\n");
	k->row++;
}

static const char *builder_of(const json_t *p)
{
	size_t i;
	json_t *u;
	const char *first = "";
	json_array_foreach(json_object_get(p, "units"), i, u) {
		const char *name = json_string_value(json_object_get(u, "name"));
		const char *kind = json_string_value(json_object_get(u, "kind"));
		if (kind && strcmp(kind, "builder") == 0)
			return name ? name : "";
		if (i == 0 && name)
			first = name;
	}
	return first;
}

static void put_row(struct sink *k, const json_t *p)
{
	char type[8], at[24] = "";
	snprintf(type, sizeof type, "%lld", (long long)json_integer_value(json_object_get(p, "flow_type")));
	int64_t created = json_integer_value(json_object_get(p, "created_at"));
	if (created)
		clock_cn_datetime(created, at);
	for (size_t c = 0; c < NCOLS; c++) {
		const json_t *v = columns[c].key ? json_object_get(p, columns[c].key) : NULL;
		if (columns[c].number)
			cell(k, (int)c, NULL, v);
		else if (v)
			cell(k, (int)c, json_string_value(v), NULL);
		else if (strcmp(columns[c].title, "流程类型") == 0)
			cell(k, (int)c, dict_label(approval_flow_type_names, type), NULL);
		else if (strcmp(columns[c].title, "建设单位") == 0)
			cell(k, (int)c, builder_of(p), NULL);
		else
			cell(k, (int)c, at, NULL);
	}
	end_row(k);
}

static int sink_open(struct sink *k, int format, const char *path, struct err *e)
{
	memset(k, 0, sizeof *k);
	k->format = format;
	if (format == CASE_EXPORT_CSV) {
		buf_puts(&k->csv, "\xEF\xBB\xBF");
	} else {
		lxw_workbook_options o = {.constant_memory = LXW_TRUE};
		const char *dir = getenv("TMPDIR");
		o.tmpdir = (char *)(dir && *dir ? dir : "/tmp");
		k->wb = workbook_new_opt(path, &o);
		k->ws = k->wb ? workbook_add_worksheet(k->wb, "项目列表") : NULL;
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
		cell(k, (int)c, columns[c].title, NULL);
	end_row(k);
	return 0;
}

/* Every matching project into k, newest first, in one snapshot. */
static int write_rows(struct store *st, const struct principal *who, const struct project_filter *f, struct sink *k,
		      int64_t *rows, struct err *e)
{
	struct page pg = {1, PAGE};
	json_t *items, *p;
	int64_t total;
	size_t i, n;
	int began, rc;
	*rows = 0;
	if (store_case_read_begin(st, &began, e))
		return e->code;
	do {
		if ((rc = project_list(st, who, f, &pg, &items, &total, e)))
			break;
		n = json_array_size(items);
		json_array_foreach(items, i, p)
			put_row(k, p);
		*rows += (int64_t)n;
		json_decref(items);
		pg.page++;
	} while (n == PAGE);
	store_case_read_end(st, began);
	return rc;
}

struct xlsx_job {
	struct store *st;
	const struct principal *who;
	const struct project_filter *f;
	int64_t *rows;
};

/* The workbook written to path (tmpout_render's writer). */
static int write_xlsx(void *arg, const char *path, struct err *e)
{
	struct xlsx_job *x = arg;
	struct sink k;
	int rc = sink_open(&k, CASE_EXPORT_XLSX, path, e);
	if (!rc)
		rc = write_rows(x->st, x->who, x->f, &k, x->rows, e);
	if (!rc)
		worksheet_autofilter(k.ws, 0, 0, (lxw_row_t)*x->rows, NCOLS - 1);
	if (k.wb) {
		lxw_error err = workbook_close(k.wb);
		if (!rc && err != LXW_NO_ERROR)
			rc = err_set(e, ERR_INTERNAL, "format", "写入工作簿失败: %s", lxw_strerror(err));
	}
	return rc;
}

static int run_xlsx(struct store *st, const struct principal *who, const struct project_filter *f,
		    struct case_export *out, struct err *e)
{
	struct xlsx_job x = {st, who, f, &out->rows};
	return tmpout_render("gonggai-projects", write_xlsx, &x, &out->data, &out->len, e);
}

int project_export_run(struct store *st, const struct principal *who, int64_t now, const struct project_filter *f,
		       int format, struct case_export *out, struct err *e)
{
	char day[CAL_DATE_LEN];
	int rc;
	memset(out, 0, sizeof *out);
	if (format != CASE_EXPORT_CSV && format != CASE_EXPORT_XLSX)
		return err_set(e, ERR_INVALID, "format", "格式应为 csv 或 xlsx (format: csv | xlsx)");
	if (!project_may_read(who))
		return err_set(e, ERR_FORBIDDEN, "", "无权查看项目 (your role does not allow this)");
	if (format == CASE_EXPORT_XLSX) {
		rc = run_xlsx(st, who, f, out, e);
	} else {
		struct sink k;
		sink_open(&k, CASE_EXPORT_CSV, NULL, e);
		rc = write_rows(st, who, f, &k, &out->rows, e);
		out->data = rc ? NULL : k.csv.data;
		out->len = rc ? 0 : k.csv.len;
		if (rc)
			buf_free(&k.csv);
	}
	if (rc)
		return rc;
	clock_cn_date(now, day);
	const char *ext = format == CASE_EXPORT_XLSX ? "xlsx" : "csv";
	snprintf(out->name, sizeof out->name, "项目列表-%s-%lld条.%s", day, (long long)out->rows, ext);
	snprintf(out->ascii_name, sizeof out->ascii_name, "projects-%s-%lld.%s", day, (long long)out->rows, ext);
	return 0;
}
