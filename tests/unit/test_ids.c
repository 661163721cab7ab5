/*
** test_ids.c: identifier checks (ids/ids.h).
**
** Real codes: the two credit codes of the seed (铜川市行政审批服务局 and a
** Xiamen company) and the two examples of GB 11643-1999; the other valid
** codes were computed with an independent implementation of the standards.
** Every one-character mutation of a valid code must be rejected; random
** garbage must never crash a check.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ids/ids.h"

static const char uscc_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";

static void expect(int kind, const char *s, const char *msg)
{
	struct err e;
	err_clear(&e);
	int rc = ids_check(kind, s, &e);
	if (!msg) {
		if (rc != 0)
			fail_msg("%s '%s' should be valid: %s", ids_kind_name(kind), s, e.msg);
		return;
	}
	if (rc != ERR_INVALID)
		fail_msg("%s '%s' should be invalid (%s)", ids_kind_name(kind), s, msg);
	assert_string_equal(e.field, ids_kind_name(kind));
	if (!strstr(e.msg, msg))
		fail_msg("%s '%s': expected '%s' in '%s'", ids_kind_name(kind), s, msg, e.msg);
	assert_null(strchr(e.msg, '\n'));
}

/* ---- credit code --------------------------------------------------------- */

static const char *const valid_uscc[] = {
	"11610200MB29655940",   /* 铜川市行政审批服务局 (seed) */
	"91350200575030446H",   /* 厦门威尔信息技术有限公司 (seed) */
	"31610000MD00000088", "52610202MJ000000XM", "91610204A1B2C3D48A",
	"Y1610222ABCDEFGH59", "N2610203LMNPQRTU3E",
};

static void test_uscc_valid(void **state)
{
	for (size_t i = 0; i < sizeof valid_uscc / sizeof *valid_uscc; i++)
		expect(IDS_USCC, valid_uscc[i], NULL);
	expect(IDS_USCC, "91350200575030446h", NULL);        /* lower case */
	expect(IDS_USCC, "11610200mb29655940", NULL);
	expect(IDS_USCC, "  91350200575030446H\n", NULL);    /* blanks around */
	assert_int_equal(ids_uscc_check_char("91350200575030446"), 'H');
	assert_int_equal(ids_uscc_check_char("11610200MB2965594"), '0');
	assert_int_equal(ids_orgcode_check_char("MB296559"), '4');
	assert_int_equal(ids_orgcode_check_char("57503044"), '6');
	assert_int_equal(ids_orgcode_check_char("MJ000000"), 'X');
	char norm[IDS_MAX];
	assert_int_equal(ids_normalize(" 91350200575030446h ", norm, sizeof norm), 18);
	assert_string_equal(norm, "91350200575030446H");
	assert_int_equal(ids_normalize("0123456789", norm, 5), -1);
	assert_string_equal(norm, "0123");
}

static void test_uscc_rules(void **state)
{
	expect(IDS_USCC, "", "length: expected 18 characters, got 0");
	expect(IDS_USCC, "9135020057503044", "length: expected 18 characters, got 16");
	expect(IDS_USCC, "91350200575030446H1", "length: expected 18 characters, got 19");
	expect(IDS_USCC, "统一社会信用代码", "length: expected 18 characters, got 8");
	expect(IDS_USCC, "9135020057503044 H", "character ' ' at 17 not allowed");
	expect(IDS_USCC, "91350200I75030446H", "character 'I' at 9 not allowed");
	expect(IDS_USCC, "91350200O75030446H", "character 'O' at 9 not allowed");
	expect(IDS_USCC, "9135020057503044SH", "character 'S' at 17 not allowed");
	expect(IDS_USCC, "91350200575030446V", "character 'V' at 18 not allowed");
	expect(IDS_USCC, "Z1350200575030446H", "character 'Z' at 1 not allowed");
	expect(IDS_USCC, "9135020057503044-H", "character '-' at 17 not allowed");
	expect(IDS_USCC, "17350200575030446H", "registration type '17' unknown");
	expect(IDS_USCC, "94350200575030446H", "registration type '94' unknown");
	expect(IDS_USCC, "Y2350200575030446H", "registration type 'Y2' unknown");
	expect(IDS_USCC, "913502A0575030446H", "division segment '3502A0' not 6 digits");
	expect(IDS_USCC, "91350200575030447H", "organisation code check: expected 6 got 7");
	expect(IDS_USCC, "91350200575030446A", "check digit: expected H got A");
	expect(IDS_USCC, "11610200MB29655947", "check digit: expected 0 got 7");
	expect(IDS_USCC, NULL, "length");
}

/* Every one-character substitution of a valid code is caught. */
static void test_uscc_mutations(void **state)
{
	for (size_t v = 0; v < sizeof valid_uscc / sizeof *valid_uscc; v++) {
		char m[19];
		for (int i = 0; i < 18; i++) {
			for (const char *c = uscc_chars; *c; c++) {
				memcpy(m, valid_uscc[v], 19);
				if (m[i] == *c)
					continue;
				m[i] = *c;
				struct err e;
				if (ids_check_uscc(m, &e) != ERR_INVALID)
					fail_msg("mutation %s of %s accepted", m, valid_uscc[v]);
				if (i == 17)
					assert_non_null(strstr(e.msg, "check digit"));
			}
			memcpy(m, valid_uscc[v], 19);
			m[i] = 'I';
			expect(IDS_USCC, m, "not allowed");
		}
		/* neighbouring transpositions change the weighted sum too */
		for (int i = 0; i < 17; i++) {
			memcpy(m, valid_uscc[v], 19);
			if (m[i] == m[i + 1])
				continue;
			char t = m[i];
			m[i] = m[i + 1];
			m[i + 1] = t;
			struct err e;
			assert_int_equal(ids_check_uscc(m, &e), ERR_INVALID);
		}
	}
}

/* ---- ID card ------------------------------------------------------------- */

static const char *const valid_idcard[] = {
	"11010519491231002X",   /* GB 11643-1999 example */
	"440524188001010014",   /* GB 11643-1999 example */
	"610202199003071233", "610204200002294564", "610222198512319998",
};

static void test_idcard(void **state)
{
	for (size_t i = 0; i < sizeof valid_idcard / sizeof *valid_idcard; i++)
		expect(IDS_IDCARD, valid_idcard[i], NULL);
	expect(IDS_IDCARD, "11010519491231002x", NULL);
	expect(IDS_IDCARD, "110105491231002", "length: expected 18 characters, got 15");
	expect(IDS_IDCARD, "1101051949123100XX", "character 'X' at 17 not allowed");
	expect(IDS_IDCARD, "11010519491231002Y", "character 'Y' at 18 not allowed");
	expect(IDS_IDCARD, "99010519491231002X", "province 99 unknown");
	expect(IDS_IDCARD, "610202199002301233", "birth date 19900230 invalid");
	expect(IDS_IDCARD, "610202199013071233", "birth date 19901307 invalid");
	expect(IDS_IDCARD, "610202170003071233", "birth date 17000307 invalid");
	expect(IDS_IDCARD, "610204190002294564", "birth date 19000229 invalid");
	expect(IDS_IDCARD, "610202199003071234", "check digit: expected 3 got 4");
	expect(IDS_IDCARD, "110105194912310021", "check digit: expected X got 1");
	/* every single-digit substitution is caught (mod 11 with weights < 11) */
	for (size_t v = 0; v < sizeof valid_idcard / sizeof *valid_idcard; v++) {
		char m[19];
		for (int i = 0; i < 18; i++) {
			for (char c = '0'; c <= '9' + 1; c++) {
				memcpy(m, valid_idcard[v], 19);
				char r = c > '9' ? 'X' : c;
				if (m[i] == r)
					continue;
				m[i] = r;
				struct err e;
				if (ids_check_idcard(m, &e) != ERR_INVALID)
					fail_msg("mutation %s of %s accepted", m, valid_idcard[v]);
			}
		}
	}
	assert_int_equal(ids_idcard_check_char("11010519491231002"), 'X');
}

/* ---- project code and divisions ----------------------------------------- */

static void test_project_code(void **state)
{
	expect(IDS_PROJECT_CODE, "2020-610202-48-01-000001", NULL);
	expect(IDS_PROJECT_CODE, "2311-610200-04-01-123456", NULL);
	expect(IDS_PROJECT_CODE, " 2020-610204-48-01-000001 ", NULL);
	expect(IDS_PROJECT_CODE, "2020-610299-48-01-000001", "unknown division 610299");
	expect(IDS_PROJECT_CODE, "2020-350200-48-01-000001", "unknown division 350200");
	expect(IDS_PROJECT_CODE, "2020-610202-48-01-00001", "length: expected 24 characters, got 23");
	expect(IDS_PROJECT_CODE, "2020-610202-48-01-0000011", "length");
	expect(IDS_PROJECT_CODE, "2020-610202-48-0A-000001", "shape: expected NNNN-NNNNNN-NN-NN-NNNNNN");
	expect(IDS_PROJECT_CODE, "2020-610202-48-0A-000001", "'A' at 17");
	expect(IDS_PROJECT_CODE, "2020-610202-48001-000001", "shape");
	expect(IDS_PROJECT_CODE, "2020_610202_48_01_000001", "shape");
	expect(IDS_PROJECT_CODE, "20206102024801000001xxxx", "shape");
}

static void test_division(void **state)
{
	static const struct {
		const char *code, *name;
	} known[] = {
		{"610000", "陕西省"}, {"610100", "西安市"}, {"610102", "新城区"},
		{"610118", "鄠邑区"}, {"610124", "周至县"}, {"610200", "铜川市"},
		{"610202", "王益区"}, {"610203", "印台区"}, {"610204", "耀州区"},
		{"610222", "宜君县"}, {"610305", "凤翔区"}, {"610403", "杨陵区"},
		{"610482", "彬州市"}, {"610581", "韩城市"}, {"610582", "华阴市"},
		{"610603", "安塞区"}, {"610681", "子长市"}, {"610703", "南郑区"},
		{"610803", "横山区"}, {"610881", "神木市"}, {"610981", "旬阳市"},
		{"611000", "商洛市"}, {"611026", "柞水县"}, {"110000", "北京市"},
		{"350000", "福建省"}, {"650000", "新疆维吾尔自治区"}, {"820000", "澳门特别行政区"},
	};
	for (size_t i = 0; i < sizeof known / sizeof *known; i++) {
		expect(IDS_DIVISION, known[i].code, NULL);
		const char *n = ids_division_name(known[i].code);
		assert_non_null(n);
		assert_string_equal(n, known[i].name);
	}
	expect(IDS_DIVISION, "610299", "unknown division 610299");
	expect(IDS_DIVISION, "610623", "unknown division 610623");   /* 子长县, now 子长市 */
	expect(IDS_DIVISION, "61020", "length: expected 6 characters, got 5");
	expect(IDS_DIVISION, "61020a", "character 'A' at 6 not allowed");
	assert_null(ids_division_name("999999"));
	assert_null(ids_division_name("6102"));
	assert_string_equal(ids_division_name(" 610202 "), "王益区");
	const struct ids_division *d = ids_division_find("610204");
	assert_non_null(d);
	assert_string_equal(d->parent, "610200");
	assert_string_equal(ids_division_find("610000")->parent, "");

	/* the table: 陕西省, 10 cities, 107 counties, 33 other provinces */
	size_t n = ids_division_count(), cities = 0, counties = 0, provinces = 0;
	assert_int_equal(n, 1 + 10 + 107 + 33);
	for (size_t i = 0; i < n; i++) {
		const struct ids_division *x = ids_division_at(i);
		if (i > 0)
			assert_true(strcmp(ids_division_at(i - 1)->code, x->code) < 0);
		assert_true(x->name[0]);
		if (!x->parent[0]) {
			assert_string_equal(x->code + 2, "0000");
			provinces++;
			continue;
		}
		const struct ids_division *p = ids_division_find(x->parent);
		assert_non_null(p);
		if (strcmp(x->code + 4, "00") == 0) {
			assert_string_equal(x->parent + 2, "0000");
			assert_memory_equal(x->code, x->parent, 2);
			cities++;
		} else {
			assert_memory_equal(x->code, x->parent, 4);
			assert_string_equal(x->parent + 4, "00");
			counties++;
		}
	}
	assert_int_equal(provinces, 34);
	assert_int_equal(cities, 10);
	assert_int_equal(counties, 107);
	assert_null(ids_division_at(n));
}

static void test_kinds(void **state)
{
	assert_int_equal(ids_kind_parse("uscc"), IDS_USCC);
	assert_int_equal(ids_kind_parse("idcard"), IDS_IDCARD);
	assert_int_equal(ids_kind_parse("project-code"), IDS_PROJECT_CODE);
	assert_int_equal(ids_kind_parse("division"), IDS_DIVISION);
	assert_int_equal(ids_kind_parse("USCC"), -1);
	assert_int_equal(ids_kind_parse(""), -1);
	assert_null(ids_kind_name(9));
	struct err e;
	assert_int_equal(ids_check(9, "x", &e), ERR_INVALID);
}

/* ---- robustness ---------------------------------------------------------- */

static void test_fuzz(void **state)
{
	srand(4242);
	char buf[128];
	int valid = 0;
	for (int i = 0; i < 400000; i++) {
		int kind = i % 4;
		size_t n = (size_t)(rand() % (i % 3 == 0 ? 120 : 26));
		for (size_t k = 0; k < n; k++) {
			int r = rand() % 5;
			buf[k] = r == 0 ? (char)(1 + rand() % 255) :
				 r == 1 ? uscc_chars[rand() % 31] :
				 r == 2 ? '-' : (char)('0' + rand() % 10);
		}
		buf[n] = 0;
		struct err e;
		int rc = ids_check(kind, buf, &e);
		assert_true(rc == 0 || rc == ERR_INVALID);
		if (rc == ERR_INVALID)
			assert_true(e.msg[0] && !strchr(e.msg, '\n'));
		valid += rc == 0;
	}
	/* random bodies with a correct check character are accepted */
	for (int i = 0; i < 20000; i++) {
		char c[19];
		c[0] = '9';
		c[1] = '1';
		for (int k = 2; k < 8; k++)
			c[k] = (char)('0' + rand() % 10);
		for (int k = 8; k < 16; k++)
			c[k] = uscc_chars[rand() % 31];
		c[16] = ids_orgcode_check_char(c + 8);
		if (!strchr(uscc_chars, c[16]))
			continue;       /* 'X' is allowed, but guard anyway */
		c[17] = ids_uscc_check_char(c);
		c[18] = 0;
		expect(IDS_USCC, c, NULL);
	}
	char longbuf[4096];
	memset(longbuf, 'A', sizeof longbuf - 1);
	longbuf[sizeof longbuf - 1] = 0;
	expect(IDS_USCC, longbuf, "length: expected 18 characters, got 4095");
	expect(IDS_DIVISION, longbuf, "length");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_uscc_valid),
		cmocka_unit_test(test_uscc_rules),
		cmocka_unit_test(test_uscc_mutations),
		cmocka_unit_test(test_idcard),
		cmocka_unit_test(test_project_code),
		cmocka_unit_test(test_division),
		cmocka_unit_test(test_kinds),
		cmocka_unit_test(test_fuzz),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
