/*
** test_exchange.c: the exchange's pure parts without a front DB: both
** built-in mappings load and cover every source, a row's content and hash,
** the conversion of content values to each kind of target column (lengths
** in characters, integer ranges, numeric scale, dates and timestamps, code
** lists, required fields), the compatibility verdicts of `check`, and the
** [exchange] configuration.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <string.h>

#include "exchange/xchg_int.h"

static struct xcol col(const char *name, enum xtype type, enum pgkind kind, int len, int prec, int scale)
{
	struct xcol c = {.name = name, .source = "x", .type = type, .present = 1, .kind = kind, .len = len,
			 .tprec = prec, .tscale = scale};
	snprintf(c.tname, sizeof c.tname, "%s", name);
	snprintf(c.tdesc, sizeof c.tdesc, "%s", kind == PK_INT ? "integer" : "numeric");
	return c;
}

/* The text c gets for v, or NULL with the reason in why. */
static char *conv(const struct xcol *c, json_t *v, char *why)
{
	char *out = NULL;
	why[0] = 0;
	int rc = xmap_value(c, v, &out, why, 300);
	json_decref(v);
	if (rc)
		assert_null(out);
	return out;
}

static void expect(const struct xcol *c, json_t *v, const char *want)
{
	char why[300];
	char *got = conv(c, v, why);
	if (!got)
		fail_msg("%s: refused: %s", c->name, why);
	assert_string_equal(got, want);
	free(got);
}

static void refuse(const struct xcol *c, json_t *v, const char *reason_part)
{
	char why[300];
	char *got = conv(c, v, why);
	if (got)
		fail_msg("%s: took '%s'", c->name, got);
	if (!strstr(why, reason_part))
		fail_msg("%s: reason '%s' lacks '%s'", c->name, why, reason_part);
}

static void test_mappings_load(void **state)
{
	static const char *const names[] = {"spgl-2019", "spgl-3.0-attachments"};
	static const char *const sources[] = {"flow", "stage", "stage_item", "project", "unit", "case", "status",
					      "special", "document", "attachment"};
	struct err e = {0};
	for (size_t k = 0; k < 2; k++) {
		struct xmap *m;
		assert_int_equal(xmap_load(names[k], &m, &e), 0);
		assert_int_equal(m->ntables, 10);
		for (size_t i = 0; i < sizeof sources / sizeof sources[0]; i++)
			assert_non_null(xmap_table_of(m, sources[i]));
		assert_string_equal(xmap_table_of(m, "attachment")->table, k ? "SPGL_XMSQCLJQTFJXXB" : "SPGL_XMQTFJXXB");
		/* the standard columns come first in every table */
		assert_string_equal(xmap_table_of(m, "case")->cols[0].name, "DFSJZJ");
		xmap_free(m);
	}
	struct xmap *m = NULL;
	assert_int_equal(xmap_load("spgl-1999", &m, &e), ERR_INVALID);
	assert_string_equal(e.field, "mapping");
	assert_int_equal(xmap_load("/nonexistent/mapping.json", &m, &e), ERR_INVALID);
}

static void test_content_and_hash(void **state)
{
	struct err e = {0};
	struct xmap *m;
	char h1[33], h2[33], h3[33];
	assert_int_equal(xmap_load("spgl-2019", &m, &e), 0);
	const struct xtable *t = xmap_table_of(m, "status");
	json_t *rec = json_pack("{s:s,s:s,s:s,s:s,s:i,s:n,s:I}", "gcdm", "G1", "case_number", "N1", "department_name",
				"住建局", "handler", "zhang", "status", 3, "opinion", "at", (json_int_t)1700000000);
	json_t *c = xmap_content(t, rec, "status:7", "610200", NULL);
	assert_string_equal(json_string_value(json_object_get(c, "DFSJZJ")), "status:7");
	assert_string_equal(json_string_value(json_object_get(c, "XZQHDM")), "610200");
	assert_int_equal(json_integer_value(json_object_get(c, "SJYXBS")), 1);
	assert_true(json_is_null(json_object_get(c, "SJWXYY")));
	assert_int_equal(json_integer_value(json_object_get(c, "SJSCZT")), 0);
	assert_null(json_object_get(c, "SCSJ"));                /* written at send time, not part of the content */
	assert_string_equal(json_string_value(json_object_get(c, "BLSJ")), "2023-11-15 06:13:20");  /* Asia/Shanghai */
	xmap_hash(c, h1);
	json_t *w = xmap_content(t, rec, "status:7", "610200", "修复作废");
	assert_int_equal(json_integer_value(json_object_get(w, "SJYXBS")), 0);
	assert_string_equal(json_string_value(json_object_get(w, "SJWXYY")), "修复作废");
	xmap_hash(w, h2);
	json_t *c2 = xmap_content(t, rec, "status:7", "610200", NULL);
	xmap_hash(c2, h3);
	assert_string_not_equal(h1, h2);
	assert_string_equal(h1, h3);
	json_decref(c);
	json_decref(c2);
	json_decref(w);
	json_decref(rec);
	xmap_free(m);
}

/* The content text written without jansson is jansson's compact dump of
** xmap_content, byte for byte (rows hashed before and after compare). */
static void same_text(const struct xtable *t, json_t *rec, const char *withdrawn)
{
	json_t *c = xmap_content(t, rec, "k:1", "610200", withdrawn);
	char *want = json_dumps(c, JSON_COMPACT);
	struct buf got = {0};
	assert_int_equal(xmap_row_json(t, rec, &(struct xrow_ctx){.dfsjzj = "k:1", .xzqhdm = "610200",
								   .withdrawn = withdrawn}, &got, NULL, NULL, 0), 0);
	assert_string_equal(got.data, want);
	buf_free(&got);
	free(want);
	json_decref(c);
	json_decref(rec);
}

static void test_content_text(void **state)
{
	struct err e = {0};
	struct xmap *m;
	assert_int_equal(xmap_load("spgl-2019", &m, &e), 0);
	same_text(xmap_table_of(m, "project"), json_pack("{s:s,s:s,s:f,s:f,s:f,s:i,s:s,s:I,s:n,s:s,s:i}",
		"project_code", "P-1", "project_name", "引号\"反斜杠\\换行\n制表\t\x01\x1f/\u2028", "investment_wan",
		1234.5678, "land_area", 1e-5, "floor_area", 100.0, "flow_type", 2, "planned_start", "2024-01-02",
		"applied_at", (json_int_t)1700000000, "address", "scale", "", "flow_version", 3), NULL);
	same_text(xmap_table_of(m, "project"), json_pack("{s:f,s:f,s:s}", "investment_wan", 1e21, "land_area", -0.1,
		"planned_start", "2024-01-02 08:00:00"), "项目已删除");
	same_text(xmap_table_of(m, "status"), json_pack("{s:s,s:i,s:I,s:s}", "case_number", "N1", "status", 3, "at",
		(json_int_t)-1, "opinion", "同意"), NULL);
	same_text(xmap_table_of(m, "attachment"), json_pack("{s:s,s:i,s:s,s:i}", "title", "申请书.pdf", "doc_class", 1,
		"ext", "pdf", "doc_number", 17), NULL);
	xmap_free(m);
}

/* The COPY line of a row: the present columns' texts in column order, \N
** for NULL, backslash escapes; a value that does not fit gives the reason. */
static void test_copy_line(void **state)
{
	struct err e = {0};
	struct xmap *m;
	assert_int_equal(xmap_load("spgl-2019", &m, &e), 0);
	struct xtable *t = xmap_table_of(m, "status");
	for (int i = 0; i < t->ncols; i++) {
		struct xcol *c = &t->cols[i];
		int is_text = c->type == XT_TEXT;
		c->present = strcmp(c->name, "SJWXYY") != 0;
		c->kind = strcmp(c->name, "SJYXBS") == 0 ? PK_BOOL : is_text ? PK_CHAR : c->type == XT_TIMESTAMP ?
			PK_TIMESTAMPTZ : PK_INT;
	}
	const char *names[] = {"gcdm", "case_number", "department_name", "handler", "status", "opinion", "at"};
	struct xchg_val v[] = {{.type = XCHG_TEXT, .s = "G\\1"}, {.type = XCHG_TEXT, .s = "N1"},
			       {.type = XCHG_TEXT, .s = "住建局"}, {.type = XCHG_TEXT, .s = "a\tb"},
			       {.type = XCHG_INT, .i = 3}, {.type = XCHG_TEXT, .s = "同意\n盖章"},
			       {.type = XCHG_INT, .i = 1700000000}};
	struct xrec rec = {.n = 7, .names = names, .v = v};
	struct buf content = {0}, copy = {0};
	char why[300] = "";
	struct xrow_ctx x = {.dfsjzj = "status:7", .xzqhdm = "610200", .now_text = "2024-05-06 07:08:09"};
	assert_int_equal(xmap_row(t, &rec, &x, &content, &copy, why, sizeof why), 0);
	/* DFSJZJ XZQHDM SJYXBS (boolean: 1) SJSCZT SCSJ (+08) GCDM SPSXSLBM BLCS BLR BLZT BLYJ BLSJ */
	assert_string_equal(copy.data, "status:7\t610200\t1\t0\t2024-05-06 07:08:09+08\tG\\\\1\tN1\t住建局\ta\\tb\t3\t"
			    "同意\\n盖章\t2023-11-15 06:13:20+08\n");
	buf_free(&content);
	buf_free(&copy);
	v[4] = (struct xchg_val){.type = XCHG_INT, .i = 99};          /* outside BLZT's code list */
	assert_int_equal(xmap_row(t, &rec, &x, &content, &copy, why, sizeof why), -1);
	assert_string_equal(why, "BLZT的值不在代码项之中！");
	assert_non_null(strstr(content.data, "\"BLZT\":99"));        /* the content is whole anyway */
	buf_free(&content);
	buf_free(&copy);
	xmap_free(m);
}

/* The intent of a batch collected and sent at once: lines of fields in
** COPY's escaping, read back by xchg_blob_next. */
static void test_blob(void **state)
{
	struct buf b = {0};
	const char *row[9] = {"status:1", "N1", NULL, "SPGL_XMSPSXBLXXB", "case:1", NULL, NULL, "{\"A\":\"x\\ty\\n\"}",
			      "abc"};
	for (int k = 0; k < 2; k++)
		for (int i = 0; i < 9; i++) {
			xmap_copy_field(&b, row[i]);
			buf_append(&b, i < 8 ? "\t" : "\n", 1);
		}
	char *p = b.data, *f[9];
	for (int k = 0; k < 2; k++) {
		assert_int_equal(xchg_blob_next(&p, f), 1);
		for (int i = 0; i < 9; i++)
			if (row[i])
				assert_string_equal(f[i], row[i]);
			else
				assert_null(f[i]);
	}
	assert_int_equal(xchg_blob_next(&p, f), 0);
	buf_free(&b);
}

static void test_conversion(void **state)
{
	struct xcol name = col("XMMC", XT_TEXT, PK_CHAR, 4, 0, 0);
	expect(&name, json_string("铜川新区"), "铜川新区");          /* four characters, twelve bytes */
	refuse(&name, json_string("铜川市新区"), "超长");
	name.required = 1;
	refuse(&name, json_null(), "数据不完整：XMMC不能为空");
	struct xcol code = col("BLZT", XT_CODE, PK_INT, 0, 16, 0);
	code.codes = json_pack("[i,i,i]", 1, 3, 11);
	expect(&code, json_integer(11), "11");
	refuse(&code, json_integer(16), "BLZT的值不在代码项之中！");
	json_decref((json_t *)code.codes);
	struct xcol small = col("SPJDSX", XT_CODE, PK_INT, 0, 16, 0);
	refuse(&small, json_integer(40000), "不能存入");
	struct xcol ver = col("SPLCBBH", XT_VERSION, PK_NUMERIC, 0, 4, 1);
	expect(&ver, json_string("1.1"), "1.1");
	struct xcol vtext = col("SPLCBBH", XT_VERSION, PK_CHAR, 10, 0, 0);
	expect(&vtext, json_string("2.0"), "2.0");
	struct xcol vint = col("SPLCBBH", XT_VERSION, PK_INT, 0, 32, 0);
	expect(&vint, json_string("2.0"), "2");
	refuse(&vint, json_string("1.1"), "不能存入");
	struct xcol money = col("ZTZE", XT_DECIMAL, PK_NUMERIC, 0, 6, 2);
	expect(&money, json_integer(1234), "1234.00");
	refuse(&money, json_integer(12345), "超出");
	struct xcol n10 = col("SPSXBLSX", XT_CODE, PK_NUMERIC, 0, 10, 0);   /* integers without printf */
	expect(&n10, json_integer(0), "0");
	expect(&n10, json_integer(-42), "-42");
	expect(&n10, json_integer(9999999999LL), "9999999999");
	refuse(&n10, json_integer(10000000000LL), "超出");
	struct xcol n1 = col("SJYXBS", XT_CODE, PK_NUMERIC, 0, 1, 0);
	expect(&n1, json_integer(1), "1");
	refuse(&n1, json_integer(10), "超出");
	struct xcol any = col("ZTZE", XT_DECIMAL, PK_NUMERIC, 0, 0, 0);
	expect(&any, json_integer(1234567890), "1234567890");
	expect(&any, json_integer(12345678901LL), "1.23456789e+10");
	struct xcol i4 = col("BLZT", XT_CODE, PK_INT, 0, 32, 0);
	expect(&i4, json_integer(-2147483647LL), "-2147483647");
	refuse(&i4, json_integer(2147483648LL), "不能存入");
	struct xcol d = col("NKGSJ", XT_DATE, PK_DATE, 0, 0, 0);
	expect(&d, json_string("2027-03-04"), "2027-03-04");
	refuse(&d, json_string("2027-02-30"), "不是日期");
	struct xcol ts = col("BLSJ", XT_TIMESTAMP, PK_TIMESTAMP, 0, 0, 0);
	expect(&ts, json_string("2026-12-07 13:20:30"), "2026-12-07 13:20:30");
	expect(&ts, json_string("2026-12-07"), "2026-12-07 00:00:00");
	ts.kind = PK_TIMESTAMPTZ;
	expect(&ts, json_string("2026-12-07 13:20:30"), "2026-12-07 13:20:30+08");
	ts.kind = PK_DATE;
	expect(&ts, json_string("2026-12-07 13:20:30"), "2026-12-07");
	struct xcol opt = col("BLYJ", XT_TEXT, PK_CHAR, 0, 0, 0);
	char why[300];
	assert_null(conv(&opt, json_null(), why));               /* NULL goes as NULL */
	assert_string_equal(why, "");
}

static void test_compare(void **state)
{
	struct xcol cols[4] = {
		col("NKGSJ", XT_DATE, PK_INT, 0, 32, 0),
		col("XMMC", XT_TEXT, PK_CHAR, 100, 0, 0),
		col("JSDD", XT_TEXT, PK_CHAR, 0, 0, 0),
		col("BLYJ", XT_TEXT, PK_CHAR, 0, 0, 0),
	};
	cols[1].max = 300;
	cols[2].present = 0;
	cols[2].required = 1;
	cols[3].present = 0;
	struct xtable t = {.table = "SPGL_XMJBXXB", .cols = cols, .ncols = 4, .present = 1, .has_lsh = 1,
			   .key_indexed = 1};
	json_t *p = json_array();
	int errors = 0, warnings = 0;
	xmap_compare(&t, p, &errors, &warnings);
	assert_int_equal(errors, 2);       /* a date in an integer column; a required column missing */
	assert_int_equal(warnings, 2);     /* varchar(100) for up to 300 characters; BLYJ missing */
	char *text = json_dumps(p, 0);
	assert_non_null(strstr(text, "SPGL_XMJBXXB 缺少列 JSDD"));
	free(text);
	json_decref(p);
	t.key_indexed = 0;                 /* no index on DFSJZJ: INSERT rather than COPY, a warning */
	p = json_array();
	errors = warnings = 0;
	xmap_compare(&t, p, &errors, &warnings);
	assert_int_equal(warnings, 3);
	json_decref(p);
	/* a boolean column takes a 0/1 code list, nothing else */
	struct xcol flag = col("SJYXBS", XT_CODE, PK_BOOL, 0, 0, 0);
	json_t *codes = json_pack("[i,i]", 0, 1);
	flag.codes = codes;
	struct xtable tb = {.table = "SPGL_XMDWXXB", .cols = &flag, .ncols = 1, .present = 1, .has_lsh = 1,
			    .key_indexed = 1};
	p = json_array();
	errors = warnings = 0;
	xmap_compare(&tb, p, &errors, &warnings);
	assert_int_equal(errors + warnings, 0);
	expect(&flag, json_integer(1), "1");
	refuse(&flag, json_integer(2), "不在代码项之中");
	json_array_append_new(codes, json_integer(2));
	xmap_compare(&tb, p, &errors, &warnings);
	assert_int_equal(errors, 1);
	json_decref(codes);
	json_decref(p);
	t.present = 0;
	p = json_array();
	errors = warnings = 0;
	xmap_compare(&t, p, &errors, &warnings);
	assert_int_equal(errors, 1);
	json_decref(p);
}

static void test_conf(void **state)
{
	struct conf *c = conf_new();
	struct exchange_conf cf;
	struct err e = {0};
	assert_int_equal(exchange_conf_load(c, &cf, &e), 0);
	assert_string_equal(cf.target, "");
	assert_string_equal(cf.mapping, "spgl-2019");
	assert_string_equal(cf.xzqhdm, "610200");
	assert_int_equal(cf.interval_minutes, 5);
	assert_int_equal(cf.batch_rows, 1000);
	assert_int_equal(cf.wait_accepted, 1);
	conf_set(c, "exchange", "wait_for_parent", "later");
	assert_int_equal(exchange_conf_load(c, &cf, &e), ERR_INVALID);
	assert_string_equal(e.field, "exchange.wait_for_parent");
	conf_set(c, "exchange", "wait_for_parent", "sent");
	conf_set(c, "exchange", "xzqhdm", "6102");
	assert_int_equal(exchange_conf_load(c, &cf, &e), ERR_INVALID);
	conf_set(c, "exchange", "xzqhdm", "610202");
	conf_set(c, "exchange", "batch_rows", "0");
	assert_int_equal(exchange_conf_load(c, &cf, &e), ERR_INVALID);
	conf_set(c, "exchange", "batch_rows", "50");
	assert_int_equal(exchange_conf_load(c, &cf, &e), 0);
	assert_int_equal(cf.wait_accepted, 0);
	assert_int_equal(cf.batch_rows, 50);
	conf_free(c);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_mappings_load),
		cmocka_unit_test(test_content_and_hash),
		cmocka_unit_test(test_content_text),
		cmocka_unit_test(test_copy_line),
		cmocka_unit_test(test_blob),
		cmocka_unit_test(test_conversion),
		cmocka_unit_test(test_compare),
		cmocka_unit_test(test_conf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
