/*
** paperwork_xlsx.c: a report document (paperwork.h) as an XLSX workbook,
** one sheet per section: the merged title row, the summary as rows of
** 指标 | 数值 | 单位 (numbers stay numbers), then each table with its title
** and a bold header row, then the notes. A4 landscape, fit to page width.
*/
#include "paperwork/paperwork.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xlsxwriter.h>

struct fmts {
	lxw_format *title, *sub, *head, *cell, *num;
};

static void value(lxw_worksheet *ws, const struct fmts *f, int row, int col, json_t *v)
{
	if (json_is_number(v))
		worksheet_write_number(ws, row, col, json_number_value(v), f->num);
	else if (json_is_string(v))
		worksheet_write_string(ws, row, col, json_string_value(v), f->cell);
	else if (json_is_boolean(v))
		worksheet_write_string(ws, row, col, json_is_true(v) ? "是" : "否", f->cell);
	else if (v && !json_is_null(v)) {
		char *s = json_dumps(v, JSON_COMPACT | JSON_ENCODE_ANY);
		worksheet_write_string(ws, row, col, s ? s : "", f->cell);
		free(s);
	} else
		worksheet_write_blank(ws, row, col, f->cell);
}

static int table(lxw_worksheet *ws, const struct fmts *f, int row, json_t *t)
{
	json_t *cols = json_object_get(t, "columns"), *c, *r;
	size_t i, j;
	worksheet_write_string(ws, row++, 0, json_string_value(json_object_get(t, "title")), f->sub);
	json_array_foreach(cols, j, c)
		worksheet_write_string(ws, row, (lxw_col_t)j, json_string_value(json_object_get(c, "head")), f->head);
	row++;
	json_array_foreach(json_object_get(t, "rows"), i, r) {
		json_array_foreach(cols, j, c)
			value(ws, f, row, (lxw_col_t)j, json_object_get(r, json_string_value(json_object_get(c, "key"))));
		row++;
	}
	if (!json_array_size(json_object_get(t, "rows")))
		worksheet_write_string(ws, row++, 0, "无", f->cell);
	return row + 1;
}

/* A sheet name: "NN title", at most 31 characters, none of []:*?/\ . */
static void sheet_name(char *out, size_t cap, size_t n, const char *title)
{
	char t[96];
	size_t k = 0, chars = 0;
	for (const unsigned char *p = (const unsigned char *)title; *p && k + 4 < sizeof t && chars < 26; chars++) {
		size_t len = *p < 0x80 ? 1 : *p < 0xe0 ? 2 : *p < 0xf0 ? 3 : 4;
		if (len == 1 && strchr("[]:*?/\\'", *p)) {
			t[k++] = '_';
			p++;
			continue;
		}
		for (size_t b = 0; b < len && p[b]; b++)
			t[k++] = (char)p[b];
		p += len;
	}
	t[k] = 0;
	snprintf(out, cap, "%02zu %s", n, t);
}

static void section(lxw_workbook *wb, const struct fmts *f, size_t n, json_t *s)
{
	char name[128];
	json_t *v;
	size_t i;
	const char *title = json_string_value(json_object_get(s, "title"));
	sheet_name(name, sizeof name, n, title ? title : "");
	lxw_worksheet *ws = workbook_add_worksheet(wb, name);
	int row = 2;
	worksheet_merge_range(ws, 0, 0, 0, 5, title ? title : "", f->title);
	worksheet_set_column(ws, 0, 0, 28, NULL);
	worksheet_set_column(ws, 1, 9, 16, NULL);
	if (json_array_size(json_object_get(s, "summary"))) {
		worksheet_write_string(ws, row, 0, "指标", f->head);
		worksheet_write_string(ws, row, 1, "数值", f->head);
		worksheet_write_string(ws, row++, 2, "单位", f->head);
	}
	json_array_foreach(json_object_get(s, "summary"), i, v) {
		value(ws, f, row, 0, json_object_get(v, "label"));
		value(ws, f, row, 1, json_object_get(v, "value"));
		value(ws, f, row++, 2, json_object_get(v, "unit"));
	}
	row++;
	json_array_foreach(json_object_get(s, "tables"), i, v)
		row = table(ws, f, row, v);
	json_array_foreach(json_object_get(s, "notes"), i, v)
		worksheet_write_string(ws, row++, 0, json_string_value(v), NULL);
	worksheet_set_landscape(ws);
	worksheet_set_paper(ws, 9);   /* A4 */
	worksheet_fit_to_pages(ws, 1, 0);
}

static void cover(lxw_workbook *wb, const struct fmts *f, const json_t *doc)
{
	static const char *const keys[] = {"title", "period", "generated_at", "generated_by"};
	static const char *const heads[] = {"报告", "报告期", "生成时间", "生成人"};
	lxw_worksheet *ws = workbook_add_worksheet(wb, "00 封面");
	worksheet_set_column(ws, 0, 0, 14, NULL);
	worksheet_set_column(ws, 1, 1, 48, NULL);
	worksheet_merge_range(ws, 0, 0, 0, 1, json_string_value(json_object_get(doc, "title")), f->title);
	for (int i = 0; i < 4; i++) {
		worksheet_write_string(ws, i + 2, 0, heads[i], f->head);
		value(ws, f, i + 2, 1, json_object_get(doc, keys[i]));
	}
}

int pw_xlsx(const json_t *doc, const char *path, struct err *e)
{
	lxw_workbook *wb = workbook_new(path);
	json_t *s;
	size_t i;
	if (!wb)
		return err_set(e, ERR_INTERNAL, "output", "cannot create %s", path);
	struct fmts f = {workbook_add_format(wb), workbook_add_format(wb), workbook_add_format(wb),
			 workbook_add_format(wb), workbook_add_format(wb)};
	format_set_bold(f.title);
	format_set_font_size(f.title, 14);
	format_set_align(f.title, LXW_ALIGN_CENTER);
	format_set_bold(f.sub);
	format_set_bold(f.head);
	format_set_bg_color(f.head, 0xDDEBF7);
	format_set_border(f.head, LXW_BORDER_THIN);
	format_set_text_wrap(f.cell);
	format_set_align(f.cell, LXW_ALIGN_VERTICAL_TOP);
	format_set_border(f.cell, LXW_BORDER_THIN);
	format_set_num_format(f.num, "0.##");
	format_set_border(f.num, LXW_BORDER_THIN);
	workbook_set_properties(wb, &(lxw_doc_properties){
		.title = (char *)json_string_value(json_object_get(doc, "title")), .author = "gonggai"});
	cover(wb, &f, doc);
	json_array_foreach(json_object_get(doc, "sections"), i, s)
		section(wb, &f, i + 1, s);
	lxw_error rc = workbook_close(wb);
	if (rc != LXW_NO_ERROR)
		return err_set(e, ERR_INTERNAL, "output", "cannot write %s: %s", path, lxw_strerror(rc));
	return 0;
}
