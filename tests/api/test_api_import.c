/*
** test_api_import.c: POST /api/import/projects over real HTTP (数据导入,
** importer/importer.h): only ops; a CSV dry run names the row, field and
** rule and writes nothing; the same projects from an .xlsx workbook sent as
** content_base64 are created all at once; both or neither of content and
** content_base64, and bytes that are not Base64, are 400 naming the field.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "apitest.h"

static struct apitest T;

static const char *Head[] = {"XMDM", "XMMC", "SPLCLX", "JSDDXZQH", "JSDD", "ZTZE", "YDMJ", "JZMJ",
			     "NKGSJ", "NJCSJ", "DWMC", "DWTYSHXYDM", "DWLX", "LXR", "LXDH", NULL};

static int setup(void **state)
{
	(void)state;
	if (apitest_start(&T, NULL) != 0)
		return -1;
	return apitest_user(&T, "ops1", "ops", NULL) || apitest_user(&T, "win1", "clerk", "610200-XSP");
}

static int teardown(void **state)
{
	(void)state;
	apitest_stop(&T);
	return 0;
}

/* A workbook of one project (code) with dates as date cells, as Base64 in a JSON body. */
static char *xlsx_body(const char *code, int dry_run)
{
	char path[] = "/tmp/gg-apixlsx-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	lxw_workbook *wb = workbook_new(path);
	lxw_worksheet *ws = workbook_add_worksheet(wb, NULL);
	lxw_format *date = workbook_add_format(wb);
	format_set_num_format(date, "yyyy/m/d");
	lxw_datetime start = {2026, 7, 1, 0, 0, 0}, finish = {2028, 6, 30, 0, 0, 0};
	for (int c = 0; Head[c]; c++)
		worksheet_write_string(ws, 0, (lxw_col_t)c, Head[c], NULL);
	worksheet_write_string(ws, 1, 0, code, NULL);
	worksheet_write_string(ws, 1, 1, "工作簿导入项目", NULL);
	worksheet_write_number(ws, 1, 2, 4, NULL);
	worksheet_write_number(ws, 1, 3, 610202, NULL);
	worksheet_write_string(ws, 1, 4, "铜川市王益区", NULL);
	worksheet_write_number(ws, 1, 5, 300, NULL);
	worksheet_write_number(ws, 1, 6, 1000, NULL);
	worksheet_write_number(ws, 1, 7, 2000, NULL);
	worksheet_write_datetime(ws, 1, 8, &start, date);
	worksheet_write_datetime(ws, 1, 9, &finish, date);
	worksheet_write_string(ws, 1, 10, "铜川市某建设公司", NULL);
	worksheet_write_string(ws, 1, 11, "11610200MB29655940", NULL);
	worksheet_write_number(ws, 1, 12, 1, NULL);
	worksheet_write_string(ws, 1, 13, "王五", NULL);
	worksheet_write_string(ws, 1, 14, "13912345678", NULL);
	assert_int_equal(workbook_close(wb), LXW_NO_ERROR);

	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	unsigned char bytes[65536];
	size_t n = fread(bytes, 1, sizeof bytes, f);
	fclose(f);
	unlink(path);
	assert_true(n > 0 && n < sizeof bytes);
	size_t cap = sodium_base64_encoded_len(n, sodium_base64_VARIANT_ORIGINAL);
	char *b64 = malloc(cap), *body = malloc(cap + 64);
	sodium_bin2base64(b64, cap, bytes, n, sodium_base64_VARIANT_ORIGINAL);
	snprintf(body, cap + 64, "{\"content_base64\":\"%s\",\"dry_run\":%s}", b64, dry_run ? "true" : "false");
	free(b64);
	return body;
}

static void test_import(void **state)
{
	(void)state;
	struct client *ops = client_new(&T), *win = client_new(&T);
	json_t *r = NULL;
	assert_int_equal(client_login(ops, "ops1", APITEST_PASSWORD), 200);
	assert_int_equal(client_login(win, "win1", APITEST_PASSWORD), 200);
	const char *csv = "{\"dry_run\":true,\"content\":\"XMDM,XMMC\\n2026-610202-47-01-000201,x\\n\"}";
	assert_int_equal(client_do(win, "POST", "/api/import/projects", csv), 403);

	/* a CSV without the needed columns: the dry run answers 200 with the errors */
	assert_int_equal(client_req(ops, "POST", "/api/import/projects", csv, NULL, &r), 200);
	assert_true(json_array_size(json_object_get(r, "errors")) > 0);
	json_decref(r);

	/* neither, both, not Base64 */
	assert_int_equal(client_req(ops, "POST", "/api/import/projects", "{\"dry_run\":true}", NULL, &r), 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "error"), "field")), "content");
	json_decref(r);
	assert_int_equal(client_do(ops, "POST", "/api/import/projects",
				   "{\"content\":\"a\",\"content_base64\":\"YQ==\",\"dry_run\":true}"), 400);
	assert_int_equal(client_req(ops, "POST", "/api/import/projects", "{\"content_base64\":\"@@@\"}", NULL, &r), 400);
	assert_string_equal(json_string_value(json_object_get(json_object_get(r, "error"), "field")),
			    "content_base64");
	json_decref(r);

	/* the workbook: a clean dry run, then the import */
	char *body = xlsx_body("2026-610202-47-01-000201", 1);
	assert_int_equal(client_req(ops, "POST", "/api/import/projects", body, NULL, &r), 200);
	assert_int_equal(json_array_size(json_object_get(r, "errors")), 0);
	assert_int_equal(json_integer_value(json_object_get(r, "projects")), 1);
	json_decref(r);
	free(body);
	body = xlsx_body("2026-610202-47-01-000201", 0);
	assert_int_equal(client_req(ops, "POST", "/api/import/projects", body, NULL, &r), 200);
	assert_string_equal(json_string_value(json_array_get(json_object_get(r, "created"), 0)),
			    "2026-610202-47-01-000201");
	json_decref(r);
	free(body);
	assert_int_equal(client_req(ops, "GET", "/api/projects?q=2026-610202-47-01-000201", NULL, NULL, &r), 200);
	json_decref(r);
	char out[4096];
	assert_int_equal(apitest_cli(&T, "project show --code 2026-610202-47-01-000201 --json", out, sizeof out), 0);
	assert_non_null(strstr(out, "2026-07-01"));
	assert_non_null(strstr(out, "2028-06-30"));
	client_free(ops);
	client_free(win);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_import),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
