/*
** test_import_xlsx.c: the workbook reader of 数据导入 (importer/importer.h
** import_xlsx_parse) on files written by libxlsxwriter, as Excel and WPS
** write them: shared strings, cells Excel leaves out, dates in a built-in,
** a Chinese and a custom format, plain numbers, booleans, formulas' cached
** values, blank rows dropped, only the first sheet read; and what a broken
** upload gets (not a ZIP, a ZIP that is no workbook, a truncated one).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "base/json.h"
#include "importer/importer.h"

/* The bytes of the file at path (malloc'd). */
static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	char *data = malloc(*len + 1);
	assert_int_equal(fread(data, 1, *len, f), *len);
	fclose(f);
	return data;
}

static char *write_book(size_t *len)
{
	char path[] = "/tmp/gg-xlsx-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "项目");
	lxw_worksheet *other = workbook_add_worksheet(wb, "说明");
	lxw_format *ymd = workbook_add_format(wb), *cn = workbook_add_format(wb), *builtin = workbook_add_format(wb);
	format_set_num_format(ymd, "yyyy-mm-dd");
	format_set_num_format(cn, "yyyy\"年\"m\"月\"d\"日\"");
	format_set_num_format_index(builtin, 14);
	lxw_datetime d1 = {2026, 1, 1, 0, 0, 0}, d2 = {2027, 12, 31, 0, 0, 0}, d3 = {2026, 3, 1, 0, 0, 0};

	worksheet_write_string(ws, 0, 0, "XMDM", NULL);
	worksheet_write_string(ws, 0, 1, "项目名称", NULL);
	worksheet_write_string(ws, 0, 3, "NKGSJ", NULL);  /* C1 left empty */
	worksheet_write_string(ws, 0, 4, "ZTZE", NULL);
	worksheet_write_string(ws, 0, 5, "LXDH", NULL);
	worksheet_write_string(ws, 1, 0, "2026-610202-47-01-000101", NULL);
	worksheet_write_string(ws, 1, 1, "导入项目一,含逗号 \"引号\"", NULL);
	worksheet_write_datetime(ws, 1, 3, &d1, ymd);
	worksheet_write_number(ws, 1, 4, 800.5, NULL);
	worksheet_write_number(ws, 1, 5, 13912345678.0, NULL);
	/* row 3 blank: dropped; row 4 */
	worksheet_write_string(ws, 3, 0, "2026-610204-47-01-000102", NULL);
	worksheet_write_string(ws, 3, 1, "项目二", NULL);
	worksheet_write_datetime(ws, 3, 3, &d2, cn);
	worksheet_write_formula_num(ws, 3, 4, "=2+3", NULL, 5);
	worksheet_write_boolean(ws, 3, 5, 1, NULL);
	worksheet_write_datetime(ws, 4, 3, &d3, builtin);
	worksheet_write_string(other, 0, 0, "not read", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
	char *data = slurp(path, len);
	unlink(path);
	return data;
}

static const char *cell(const json_t *rows, size_t r, size_t c)
{
	const json_t *row = json_array_get(rows, r);
	assert_non_null(row);
	const json_t *v = json_array_get(row, c);
	assert_non_null(v);
	return json_string_value(v);
}

static void test_first_sheet_as_rows(void **state)
{
	(void)state;
	size_t len;
	char *data = write_book(&len);
	json_t *rows, *lines;
	struct err e = {0};
	assert_int_equal(import_xlsx_parse(data, len, &rows, &lines, &e), 0);
	assert_int_equal(json_array_size(rows), 4);
	assert_string_equal(cell(rows, 0, 0), "XMDM");
	assert_string_equal(cell(rows, 0, 2), "");            /* the cell Excel left out */
	assert_string_equal(cell(rows, 0, 3), "NKGSJ");
	assert_string_equal(cell(rows, 1, 1), "导入项目一,含逗号 \"引号\"");
	assert_string_equal(cell(rows, 1, 3), "2026-01-01");  /* yyyy-mm-dd */
	assert_string_equal(cell(rows, 1, 4), "800.5");
	assert_string_equal(cell(rows, 1, 5), "13912345678");
	assert_string_equal(cell(rows, 2, 3), "2027-12-31");  /* yyyy"年"m"月"d"日" */
	assert_string_equal(cell(rows, 2, 4), "5");           /* a formula's cached value */
	assert_string_equal(cell(rows, 2, 5), "1");
	assert_string_equal(cell(rows, 3, 3), "2026-03-01");  /* built-in format 14 */
	/* the sheet's own row numbers: the blank third row is gone */
	assert_int_equal(json_integer_value(json_array_get(lines, 0)), 1);
	assert_int_equal(json_integer_value(json_array_get(lines, 2)), 4);
	assert_int_equal(json_integer_value(json_array_get(lines, 3)), 5);
	json_decref(rows);
	json_decref(lines);
	free(data);
}

static void test_broken_files(void **state)
{
	(void)state;
	json_t *rows = NULL;
	struct err e = {0};
	assert_int_equal(import_xlsx_parse("PK\3\4garbage", 11, &rows, NULL, &e), ERR_INVALID);
	assert_string_equal(e.field, "file");
	assert_non_null(strstr(e.msg, "XLSX"));
	assert_null(rows);

	size_t len;
	char *data = write_book(&len);
	e = (struct err){0};
	assert_int_equal(import_xlsx_parse(data, len / 2, &rows, NULL, &e), ERR_INVALID);  /* truncated */
	assert_null(rows);
	free(data);

	/* a ZIP archive that is no workbook: libxlsxwriter's file with its workbook part renamed */
	data = write_book(&len);
	char *p = memmem(data, len, "xl/workbook.xml", 15);
	for (; p; p = memmem(p + 1, len - (size_t)(p + 1 - data), "xl/workbook.xml", 15))
		memcpy(p, "xl/workbook.xmx", 15);
	e = (struct err){0};
	assert_int_equal(import_xlsx_parse(data, len, &rows, NULL, &e), ERR_INVALID);
	assert_non_null(strstr(e.msg, "xl/workbook.xml"));
	free(data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_sheet_as_rows),
		cmocka_unit_test(test_broken_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
