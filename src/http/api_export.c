/*
** api_export.c: any list of the API as a file of every row, written by the
** server (issue 20: "Lists export XLSX as well as CSV, produced by the server
** for any size").
**
**   GET /api/export?src=/api/audit&format=csv|xlsx&name=审计日志
**                  &columns=[{"key":"at","title":"时间","type":"time"},
**                            {"key":"status","title":"状态","dict":"desk.status"}, …]
**                  &<the list's own filters>
**
** The list route src is called page after page (200 rows each; after= the
** last record when the list answers next_after, as the audit log does) on this very
** request — same account, same filters (its query is this one's), same role
** gate, same scope, masking and limits, since the list's handler and its
** domain call are the ones the page uses — and every row goes into the file
** with the columns the page shows: key (a field, or "a.b" one level down),
** title, and how to write the value: "time" (epoch seconds as Asia/Shanghai
** date and time), "date" (the same, date only), "dict" (the label of the
** code in GET /api/dict), else as it is (numbers stay numbers, true/false
** 是/否, arrays joined with 、, a record in a list by its name). The file name carries the Asia/Shanghai date
** and the row count (审计日志-2026-12-07-5301条.xlsx), which the page reports.
** CSV cells follow base/csv.h (no formula ever); XLSX is written with
** libxlsxwriter in constant memory. At most EXPORT_MAX_ROWS rows (400
** naming src beyond: narrow the filter).
*/
#include "http/http.h"
#include "base/buf.h"
#include "base/clock.h"
#include "base/csv.h"
#include "base/tmpout.h"
#include "http/router.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

#define EXPORT_COLS_MAX 40
#define EXPORT_PAGE 200
#define EXPORT_MAX_ROWS 1000000

enum col_type { COL_PLAIN, COL_TIME, COL_DATE, COL_DICT };

struct col {
	const char *key, *title, *dict;
	enum col_type type;
};

struct job {
	struct http_req *r;
	const char *src;
	struct col cols[EXPORT_COLS_MAX];
	int ncols;
	int xlsx;
	int64_t rows;
	struct buf csv;
	lxw_worksheet *ws;
	lxw_format *head;
};

/* ---- the request ---------------------------------------------------------------------------- */

static int parse_columns(struct job *j, json_t *cols, struct err *e)
{
	size_t i;
	json_t *c;
	if (!json_is_array(cols) || json_array_size(cols) == 0 || json_array_size(cols) > EXPORT_COLS_MAX)
		return err_set(e, ERR_INVALID, "columns", "columns 应为 1 到 %d 列的 JSON 数组 [{\"key\",\"title\"}]",
			       EXPORT_COLS_MAX);
	json_array_foreach(cols, i, c) {
		struct col *k = &j->cols[i];
		const char *type = json_string_value(json_object_get(c, "type"));
		k->key = json_string_value(json_object_get(c, "key"));
		k->title = json_string_value(json_object_get(c, "title"));
		k->dict = json_string_value(json_object_get(c, "dict"));
		if (!k->key || !*k->key || !k->title)
			return err_set(e, ERR_INVALID, "columns", "第 %zu 列缺少 key 或 title", i + 1);
		k->type = k->dict ? COL_DICT : !type ? COL_PLAIN : strcmp(type, "time") == 0 ? COL_TIME
			: strcmp(type, "date") == 0 ? COL_DATE : (enum col_type)-1;
		if ((int)k->type < 0)
			return err_set(e, ERR_INVALID, "columns", "第 %zu 列的 type 应为 time 或 date", i + 1);
	}
	j->ncols = (int)json_array_size(cols);
	return 0;
}

/* ---- one cell ------------------------------------------------------------------------------- */

static json_t *field(json_t *row, const char *key)
{
	const char *dot = strchr(key, '.');
	if (!dot)
		return json_object_get(row, key);
	char head[64];
	snprintf(head, sizeof head, "%.*s", (int)(dot - key), key);
	return json_object_get(json_object_get(row, head), dot + 1);
}

/* The cell's text into out; *number set when it is a plain number. */
static void cell_text(const struct col *k, json_t *v, struct buf *out, int *number)
{
	char t[32];
	*number = 0;
	if (!v || json_is_null(v))
		return;
	if ((k->type == COL_TIME || k->type == COL_DATE) && json_is_integer(v) && json_integer_value(v) > 0) {
		buf_puts(out, k->type == COL_TIME ? clock_cn_datetime(json_integer_value(v), t)
						  : clock_cn_date(json_integer_value(v), t));
	} else if (k->type == COL_DICT && (json_is_string(v) || json_is_integer(v))) {
		char code[32];
		const char *s = json_is_string(v) ? json_string_value(v) : code;
		if (json_is_integer(v))
			snprintf(code, sizeof code, "%lld", (long long)json_integer_value(v));
		const char *label = api_dict_label(k->dict, s);
		buf_puts(out, label ? label : s);
	} else if (json_is_string(v)) {
		buf_puts(out, json_string_value(v));
	} else if (json_is_integer(v) || json_is_real(v)) {
		json_is_integer(v) ? buf_int(out, json_integer_value(v)) : buf_printf(out, "%g", json_real_value(v));
		*number = 1;
	} else if (json_is_boolean(v)) {
		buf_puts(out, json_is_true(v) ? "是" : "否");
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) {
			int ignored;
			if (i)
				buf_puts(out, "、");
			cell_text(&(struct col){.type = k->type, .dict = k->dict}, x, out, &ignored);
		}
	} else if (json_is_string(json_object_get(v, "name"))) {   /* a record in a list: its name */
		buf_puts(out, json_string_value(json_object_get(v, "name")));
	} else {
		char *s = json_dumps(v, JSON_COMPACT);
		buf_puts(out, s ? s : "");
		free(s);
	}
}

static void put_cell(struct job *j, int c, const char *text, int number)
{
	if (!j->xlsx) {
		if (c)
			buf_puts(&j->csv, ",");
		csv_cell(&j->csv, text, !number);
	} else if (number) {
		worksheet_write_number(j->ws, (lxw_row_t)j->rows + 1, (lxw_col_t)c, strtod(text, NULL), NULL);
	} else if (*text) {
		worksheet_write_string(j->ws, (lxw_row_t)j->rows + 1, (lxw_col_t)c, text, NULL);
	}
}

static void put_row(struct job *j, json_t *row)
{
	struct buf t = {0};
	for (int c = 0; c < j->ncols; c++) {
		int number;
		t.len = 0;
		cell_text(&j->cols[c], field(row, j->cols[c].key), &t, &number);
		buf_append(&t, "", 1);
		put_cell(j, c, t.data, number);
	}
	if (!j->xlsx)
		buf_puts(&j->csv, "\r\n");
	buf_free(&t);
	j->rows++;
}

/* ---- every page of the list ------------------------------------------------------------------ */

static int write_rows(struct job *j, struct err *e)
{
	for (int page = 1;; page++) {
		struct http_resp w = {.status = 200};
		j->r->page_force = page;
		j->r->page_size_force = EXPORT_PAGE;
		int rc = router_call(j->r, j->src, &w, e);
		json_t *items = json_object_get(w.json, "items");
		if (!rc && (!json_is_array(items) || w.body || w.later.finish))
			rc = err_set(e, ERR_INVALID, "src", "%s 不是列表 (no {items,total})", j->src);
		size_t n = rc ? 0 : json_array_size(items);
		for (size_t i = 0; i < n && !rc; i++) {
			if (j->rows >= EXPORT_MAX_ROWS)
				rc = err_set(e, ERR_INVALID, "src", "超过 %d 行，请缩小筛选范围后分批导出", EXPORT_MAX_ROWS);
			else
				put_row(j, json_array_get(items, i));
		}
		json_t *next = json_object_get(w.json, "next_after");   /* a keyset list: go on after it */
		if (json_is_integer(next)) {
			j->r->query_force = "after";
			snprintf(j->r->query_force_val, sizeof j->r->query_force_val, "%lld",
				 (long long)json_integer_value(next));
		} else if (json_object_get(w.json, "next_after")) {
			n = 0;   /* null: that was the last page */
		}
		json_t *total = json_object_get(w.json, "total");   /* unless capped ("total_capped") */
		int all = json_is_integer(total) && !json_is_true(json_object_get(w.json, "total_capped")) &&
			  j->rows >= json_integer_value(total);
		json_decref(w.json);
		if (w.free_body)
			free(w.body);
		if (rc || n < EXPORT_PAGE || all)
			return rc;
	}
}

static void header(struct job *j)
{
	for (int c = 0; c < j->ncols; c++) {
		if (j->xlsx) {
			worksheet_write_string(j->ws, 0, (lxw_col_t)c, j->cols[c].title, j->head);
			worksheet_set_column(j->ws, (lxw_col_t)c, (lxw_col_t)c, 16, NULL);
		} else {
			if (c)
				buf_puts(&j->csv, ",");
			csv_cell(&j->csv, j->cols[c].title, 1);
		}
	}
	if (!j->xlsx)
		buf_puts(&j->csv, "\r\n");
}

static int write_xlsx(void *arg, const char *path, struct err *e)
{
	struct job *j = arg;
	lxw_workbook_options o = {.constant_memory = LXW_TRUE};
	const char *dir = getenv("TMPDIR");
	o.tmpdir = (char *)(dir && *dir ? dir : "/tmp");
	lxw_workbook *wb = workbook_new_opt(path, &o);
	j->ws = wb ? workbook_add_worksheet(wb, NULL) : NULL;
	if (!j->ws) {
		if (wb)
			workbook_close(wb);
		return err_set(e, ERR_INTERNAL, "format", "无法创建工作簿 (libxlsxwriter)");
	}
	j->head = workbook_add_format(wb);
	format_set_bold(j->head);
	header(j);
	worksheet_freeze_panes(j->ws, 1, 0);
	int rc = write_rows(j, e);
	lxw_error x = workbook_close(wb);
	if (!rc && x != LXW_NO_ERROR)
		rc = err_set(e, ERR_INTERNAL, "format", "写入工作簿失败: %s", lxw_strerror(x));
	return rc;
}

/* ---- the route ------------------------------------------------------------------------------ */

static int export(struct http_req *r, struct http_resp *w, struct err *e)
{
	const char *src = http_query(r, "src"), *format = http_query(r, "format"), *name = http_query(r, "name");
	const char *cols = http_query(r, "columns");
	struct job j = {.r = r, .src = src};
	char day[16], file[160], ascii[64];
	if (!src || strncmp(src, "/api/", 5) != 0 || strchr(src, '?') || strcmp(src, "/api/export") == 0)
		return err_set(e, ERR_INVALID, "src", "src 应为本系统的列表地址，如 /api/audit");
	if (!format || (strcmp(format, "csv") != 0 && strcmp(format, "xlsx") != 0))
		return err_set(e, ERR_INVALID, "format", "格式应为 csv 或 xlsx (format: csv | xlsx)");
	if (!name || !*name || strlen(name) > 60 || strpbrk(name, "/\\\"\r\n"))
		return err_set(e, ERR_INVALID, "name", "name 为 1-60 字的文件名（不含 / \\ \"）");
	json_t *spec = cols ? json_loads(cols, 0, NULL) : NULL;
	int rc = parse_columns(&j, spec, e);
	j.xlsx = strcmp(format, "xlsx") == 0;
	if (!rc && j.xlsx) {
		rc = tmpout_render("gonggai-export", write_xlsx, &j, &w->body, &w->body_len, e);
	} else if (!rc) {
		buf_puts(&j.csv, "\xEF\xBB\xBF");  /* BOM: Excel reads UTF-8 */
		header(&j);
		rc = write_rows(&j, e);
		w->body = j.csv.data;
		w->body_len = j.csv.len;
		if (rc)
			buf_free(&j.csv);
	}
	json_decref(spec);  /* after the rows: the columns point into it */
	if (rc) {
		w->body = NULL;
		return rc;
	}
	w->free_body = 1;
	w->content_type = j.xlsx ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
				 : "text/csv; charset=utf-8";
	clock_cn_date(http_now(r), day);
	snprintf(file, sizeof file, "%s-%s-%lld条.%s", name, day, (long long)j.rows, format);
	snprintf(ascii, sizeof ascii, "export-%s-%lld.%s", day, (long long)j.rows, format);
	http_attachment(w, file, ascii);
	return 0;
}

const struct route api_export_routes[] = {
	{"GET", "/api/export", export, 0, 0},
	{NULL},
};
