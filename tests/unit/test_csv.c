/*
** test_csv.c: CSV cells are RFC 4180 and never a formula in a spreadsheet
** (OWASP CSV injection): text cells starting with = + - @ tab CR get a ',
** numbers the program formatted stay numbers; the statistics report's CSV
** goes through the same cell writer (a department named "=cmd" comes out
** guarded).
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "base/csv.h"

static void expect_cell(const char *in, int text, const char *out)
{
	struct buf b = {0};
	csv_cell(&b, in, text);
	buf_puts(&b, "");
	assert_string_equal(b.data ? b.data : "", out);
	buf_free(&b);
}

static void expect(const char *in, const char *out)
{
	expect_cell(in, 1, out);
}

static void test_plain_and_quoted(void **state)
{
	expect("印台区", "印台区");
	expect("", "");
	expect("a,b", "\"a,b\"");
	expect("say \"hi\"", "\"say \"\"hi\"\"\"");
	expect("two\nlines", "\"two\nlines\"");
}

static void test_formulas_defused(void **state)
{
	expect("=HYPERLINK(\"http://x\",\"y\")", "\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\"");
	expect("=1+2", "'=1+2");
	expect("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0");
	expect("-2+3", "'-2+3");
	expect("@SUM(A1)", "'@SUM(A1)");
	expect("\tx", "'\tx");
	expect("\rx", "\"'\rx\"");
	expect("+8613912345678", "'+8613912345678");
}

static void test_numbers_stay_numbers(void **state)
{
	expect_cell("-3", 0, "-3");
	expect_cell("-12.5%", 0, "-12.5%");
	expect_cell("75.0%", 0, "75.0%");
	expect_cell(NULL, 1, "");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_plain_and_quoted),
		cmocka_unit_test(test_formulas_defused),
		cmocka_unit_test(test_numbers_stay_numbers),
	};
	return cmocka_run_group_tests_name("csv", tests, NULL, NULL);
}
