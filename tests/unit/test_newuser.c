/*
** test_newuser.c: small pieces of issue 14 (what a new user hit): CSV cells
** of the 办件 export neutralise formulas (OWASP) and quote as RFC 4180
** wants; the command line's table cells are padded by display width (CJK
** takes two columns); the approval dictionaries give words, not codes, and
** the catalogue's names come from them.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "approval/case_export.h"
#include "approval/case_fsm.h"
#include "approval/catalog_doc.h"
#include "approval/names.h"
#include "base/buf.h"
#include "base/csv.h"
#include "cli/cli.h"

static char *cell(const char *s, int text)
{
	static char out[256];
	struct buf b = {0};
	csv_cell(&b, s, text);
	buf_puts(&b, "");
	snprintf(out, sizeof out, "%s", b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static void test_csv_injection(void **state)
{
	assert_string_equal(cell("=HYPERLINK(\"x\")", 1), "\"'=HYPERLINK(\"\"x\"\")\"");
	assert_string_equal(cell("+1", 1), "'+1");
	assert_string_equal(cell("-2+3", 1), "'-2+3");
	assert_string_equal(cell("@SUM(A1)", 1), "'@SUM(A1)");
	assert_string_equal(cell("\tx", 1), "'\tx");
	assert_string_equal(cell("\rx", 1), "\"'\rx\"");
	assert_string_equal(cell("王益区,红旗街", 1), "\"王益区,红旗街\"");
	assert_string_equal(cell("正常", 1), "正常");
	assert_string_equal(cell("-3", 0), "-3");     /* numbers we wrote ourselves */
	assert_string_equal(cell("", 1), "");
}

static void test_display_width(void **state)
{
	char *p = NULL;
	size_t n = 0;
	assert_int_equal(cli_width("abc"), 3);
	assert_int_equal(cli_width("办结(通过)"), 10);
	assert_int_equal(cli_width("部门开始办理"), 12);
	assert_int_equal(cli_width("（全角）"), 8);
	FILE *f = open_memstream(&p, &n);
	cli_cell(f, "受理", 8);
	cli_cell(f, "x", 3);
	fclose(f);
	assert_string_equal(p, "受理     x   ");
	free(p);
}

static void test_dictionaries(void **state)
{
	const struct dict *status = NULL, *filter = NULL;
	for (const struct dict *d = approval_dicts; d->name; d++) {
		if (strcmp(d->name, "approval.case_status") == 0)
			status = d;
		if (strcmp(d->name, "approval.case_status_filter") == 0)
			filter = d;
	}
	assert_non_null(status);
	assert_non_null(filter);
	/* every BLZT code has a word, and the word is not an event */
	for (int s = 1; s <= CASE_STATUS_MAX; s++) {
		char code[4];
		snprintf(code, sizeof code, "%d", s);
		const char *l = dict_label(status->entries, code);
		assert_non_null(l);
		assert_null(strstr(l, "开始"));
		assert_false(l[0] >= '0' && l[0] <= '9');
	}
	/* the filter offers one 不予受理, not 不受理 and 不予受理 */
	int refusals = 0;
	for (const struct dict_entry *e = filter->entries; e->code; e++)
		refusals += strstr(e->label, "受理") && strchr("45", e->code[0]) && !e->code[1];
	assert_int_equal(refusals, 1);
	assert_string_equal(catalog_side_line_name("54Y"), "联合验收");
	assert_string_equal(catalog_stage_name(4), "竣工验收");
	assert_string_equal(catalog_flow_type_name(3), "一般社会投资类");
	assert_null(catalog_stage_name(6));
	assert_string_equal(case_action_label(CASE_A_NEXT_STEP), "提交下一环节");
	assert_string_equal(approval_status_label(6), "补正中");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_csv_injection),
		cmocka_unit_test(test_display_width),
		cmocka_unit_test(test_dictionaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
