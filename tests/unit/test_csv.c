/*
** test_csv.c: CSV cells are RFC 4180 and never a formula in a spreadsheet
** (OWASP CSV injection): = + - @ tab CR at the start get a ', plain numbers
** stay numbers; the statistics CSV goes through the same cell writer.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <string.h>

#include "base/csv.h"

static void expect(const char *in, const char *out)
{
	struct buf b = {0};
	csv_cell(&b, in);
	buf_puts(&b, "");
	assert_string_equal(b.data ? b.data : "", out);
	buf_free(&b);
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
	expect("=1+2", "\"'=1+2\"");
	expect("+cmd|' /C calc'!A0", "\"'+cmd|' /C calc'!A0\"");
	expect("-2+3", "\"'-2+3\"");
	expect("@SUM(A1)", "\"'@SUM(A1)\"");
	expect("\tx", "\"'\tx\"");
	expect("\rx", "\"'\rx\"");
	expect("-", "\"'-\"");
	expect("-1e9", "\"'-1e9\"");
}

static void test_numbers_stay_numbers(void **state)
{
	expect("-3", "-3");
	expect("+1.5", "+1.5");
	expect("-12.5%", "-12.5%");
	expect("75.0%", "75.0%");
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
