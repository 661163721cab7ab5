/*
** test_exchange_binary.c: COPY in PostgreSQL's binary format loads exactly
** what text COPY loads. A throwaway cluster (tests/pg.sh) gets tables with
** every column type the encoder takes (smallint ... text); the same rows
** go into one by text COPY (front_insert with the binary flag off), into
** another by binary COPY (front_insert) and into a third as xmap_row's
** binary tuples (the first upload's keyed batches), and every value read
** back is the same text. A table with a column type the encoder does not
** take (a domain) goes by text; a value without an exact binary form (NaN)
** sends its batch by text; a value the column refuses names the column
** and row as text COPY's errors do.
*/
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchange/xchg_int.h"

#define NCOL 14

static const char *const ddl =
	"CREATE DOMAIN note AS varchar(60);"
	"CREATE TABLE %s (lsh text NOT NULL DEFAULT md5(random()::text), dfsjzj varchar(64) NOT NULL, "
	"a smallint, b integer, c bigint, d numeric(12,3), e numeric, f real, g double precision, h boolean, "
	"i date, j timestamp, k timestamp with time zone, l char(6), m varchar(20), n %s);"
	"CREATE INDEX ON %s (dfsjzj);";

/* The mapping: the same columns in four tables (t_text loads by text). */
static const char *const mapping_cols =
	"[{\"name\":\"A\",\"source\":\"a\",\"type\":\"code\"},{\"name\":\"B\",\"source\":\"b\",\"type\":\"code\"},"
	"{\"name\":\"C\",\"source\":\"c\",\"type\":\"decimal\"},{\"name\":\"D\",\"source\":\"d\",\"type\":\"decimal\"},"
	"{\"name\":\"E\",\"source\":\"e\",\"type\":\"decimal\"},{\"name\":\"F\",\"source\":\"f\",\"type\":\"decimal\"},"
	"{\"name\":\"G\",\"source\":\"g\",\"type\":\"decimal\"},"
	"{\"name\":\"H\",\"source\":\"h\",\"type\":\"code\",\"codes\":[0,1]},"
	"{\"name\":\"I\",\"source\":\"i\",\"type\":\"date\"},{\"name\":\"J\",\"source\":\"j\",\"type\":\"timestamp\"},"
	"{\"name\":\"K\",\"source\":\"k\",\"type\":\"timestamp\"},{\"name\":\"L\",\"source\":\"l\",\"type\":\"text\"},"
	"{\"name\":\"M\",\"source\":\"m\",\"type\":\"text\"},{\"name\":\"N\",\"source\":\"n\",\"type\":\"text\"}]";

/* Rows as records (source key -> value): negative and fractional numbers,
** rounding to the scale, exponents, NULLs, dates around 2000-01-01 and the
** year 1, fractions of seconds, padded and multi-byte text. */
static const char *const rows[] = {
	"{\"a\":1,\"b\":-2,\"c\":1234567890123,\"d\":-12.3456,\"e\":0.1,\"f\":3.14159,\"g\":-2.718281828459045,"
	"\"h\":1,\"i\":\"2024-02-29\",\"j\":\"2024-03-01 08:09:10\",\"k\":\"2024-03-01 08:09:10\",\"l\":\"ab\","
	"\"m\":\"工程建设项目\",\"n\":\"tab\\there, newline\\nand \\\\ backslash\"}",
	"{\"a\":-32767,\"b\":2147483647,\"c\":-1000000000000000001,\"d\":0.0005,\"e\":1e20,\"f\":-0.0,"
	"\"g\":1e-300,\"h\":0,\"i\":\"1999-12-31\",\"j\":\"1999-12-31 23:59:59.5\",\"k\":\"2000-01-01 07:59:59\","
	"\"l\":\"工程建设\",\"m\":\" \",\"n\":\"N\"}",
	"{\"a\":0,\"b\":0,\"c\":0,\"d\":999999999.9994,\"e\":-123456789.123456789,\"f\":16777217,"
	"\"g\":123456789012345678,\"i\":\"0001-01-01\",\"j\":\"0001-01-01 00:00:00.000001\","
	"\"k\":\"1970-01-01 00:00:00.123456\",\"l\":\"abcdef\",\"n\":\"\\\\N\"}",
	"{\"a\":7,\"b\":100,\"c\":1000000000,\"d\":-0.0004,\"e\":1.5e-7,\"f\":1e-3,\"g\":100,\"h\":1,"
	"\"i\":\"2100-12-31 12:00:00\",\"j\":\"2038-01-19 03:14:08\",\"k\":\"9999-12-31 23:59:59\",\"l\":\" x \","
	"\"m\":\"varchar(20) 二十个字以内\",\"n\":\"引号\\\"和'单引号\"}",
	"{\"a\":12,\"b\":-100000,\"c\":-1,\"d\":5,\"e\":-0.5,\"f\":-1.5e10,\"g\":-1e-5,\"h\":0,"
	"\"i\":\"2000-01-01\",\"j\":\"2000-01-01 00:00:00\",\"k\":\"2000-01-01 00:00:00\","
	"\"l\":null,\"m\":null,\"n\":null}",
	"{\"a\":null,\"b\":null,\"c\":null,\"d\":null,\"e\":null,\"f\":null,\"g\":null,\"h\":null,\"i\":null,"
	"\"j\":null,\"k\":null,\"l\":null,\"m\":null,\"n\":null}",
};
#define NROWS (int)(sizeof rows / sizeof rows[0])

struct fx {
	char dir[64], conninfo[300], map[96];
	struct xmap *m;
	struct front *f;
};

static int sh(const char *fmt, const char *a, const char *b, char *out, size_t cap)
{
	char cmd[600];
	snprintf(cmd, sizeof cmd, fmt, a, b);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	size_t n = out ? fread(out, 1, cap - 1, p) : 0;
	if (out) {
		out[n] = 0;
		out[strcspn(out, "\n")] = 0;
	}
	return pclose(p);
}

static void mapping_file(struct fx *x)
{
	snprintf(x->map, sizeof x->map, "%s/map.json", x->dir);
	FILE *fp = fopen(x->map, "w");
	assert_non_null(fp);
	fprintf(fp, "{\"name\":\"binary-test\",\"standard\":[{\"name\":\"DFSJZJ\",\"source\":\"$dfsjzj\","
		"\"type\":\"text\",\"required\":true}],\"tables\":[");
	static const char *const names[] = {"T_TEXT", "T_BIN", "T_ROW", "T_DOMAIN"};
	static const char *const sources[] = {"flow", "stage", "stage_item", "project"};
	for (int i = 0; i < 4; i++)
		fprintf(fp, "%s{\"table\":\"%s\",\"title\":\"%s\",\"source\":\"%s\",\"columns\":%s}", i ? "," : "",
			names[i], names[i], sources[i], mapping_cols);
	fprintf(fp, "]}");
	fclose(fp);
}

static int setup(void **state)
{
	struct fx *x = calloc(1, sizeof *x);
	struct err e = {0};
	char sql[2000], one[900];
	snprintf(x->dir, sizeof x->dir, "/tmp/gg-xbin-XXXXXX");
	assert_non_null(mkdtemp(x->dir));
	if (sh("tests/pg.sh start %s/pg%s", x->dir, "", x->conninfo, sizeof x->conninfo) != 0 || !*x->conninfo)
		fail_msg("cannot start PostgreSQL (tests/pg.sh)");
	/* one statement file: the domain once, then four tables */
	sql[0] = 0;
	static const char *const tables[] = {"t_text", "t_bin", "t_row", "t_domain"};
	for (int i = 0; i < 4; i++) {
		snprintf(one, sizeof one, ddl, tables[i], i == 3 ? "note" : "text", tables[i]);
		strcat(sql, i ? strstr(one, "CREATE TABLE") : one);
	}
	char path[128];
	snprintf(path, sizeof path, "%s/ddl.sql", x->dir);
	FILE *fp = fopen(path, "w");
	assert_non_null(fp);
	fputs(sql, fp);
	fclose(fp);
	assert_int_equal(sh("psql '%s' -q -v ON_ERROR_STOP=1 -f %s >/dev/null", x->conninfo, path, NULL, 0), 0);
	mapping_file(x);
	assert_int_equal(xmap_load(x->map, &x->m, &e), 0);
	assert_int_equal(front_open(x->conninfo, &x->f, &e), 0);
	assert_int_equal(front_discover(x->f, x->m, &e), 0);
	*state = x;
	return 0;
}

static int teardown(void **state)
{
	struct fx *x = *state;
	front_close(x->f);
	xmap_free(x->m);
	sh("tests/pg.sh stop %s/pg%s >/dev/null 2>&1", x->dir, "", NULL, 0);
	sh("rm -rf %s%s", x->dir, "", NULL, 0);
	free(x);
	return 0;
}

static struct xtable *table(struct fx *x, const char *name)
{
	for (int i = 0; i < x->m->ntables; i++)
		if (strcmp(x->m->tables[i].table, name) == 0)
			return &x->m->tables[i];
	fail_msg("no table %s", name);
	return NULL;
}

/* The present columns' texts of record rec (xmap_value, as the send phase). */
static char **values_of(const struct xtable *t, const json_t *rec, const char *key)
{
	char **v = calloc(NCOL + 2, sizeof *v), why[300];
	int k = 0;
	for (int i = 0; i < t->ncols; i++) {
		const struct xcol *c = &t->cols[i];
		json_t *jv = c->special == XS_DFSJZJ ? json_string(key) : json_incref(json_object_get(rec, c->source));
		if (xmap_value(c, jv, &v[k++], why, sizeof why))
			fail_msg("%s: %s", c->name, why);
		json_decref(jv);
	}
	return v;
}

/* Load rows into t by front_insert (binary when t->binary); 0 or the error. */
static int insert(struct fx *x, struct xtable *t, const char *const *recs, int n, struct err *e)
{
	char ***values = calloc((size_t)n, sizeof *values), **lsh = calloc((size_t)n, sizeof *lsh), key[32];
	for (int i = 0; i < n; i++) {
		json_t *rec = json_loads(recs[i], 0, NULL);
		assert_non_null(rec);
		snprintf(key, sizeof key, "r%d", i);
		values[i] = values_of(t, rec, key);
		json_decref(rec);
	}
	int bad = 0, rc = front_insert(x->f, t, values, n, lsh, &bad, e);
	for (int i = 0; i < n; i++) {
		for (int j = 0; j < NCOL + 1; j++)
			free(values[i][j]);
		free(values[i]);
		free(lsh[i]);
	}
	free(values);
	free(lsh);
	return rc;
}

/* The rows' texts of table name, ordered by key, as one string (NULL as
** "-", with the octets of the char(6) column, padding included). */
static char *dump(struct fx *x, const char *name)
{
	char sql[600];
	PGresult *r;
	struct err e = {0};
	assert_int_equal(front_read(x->f, "SET TimeZone = 'Asia/Shanghai'", 0, NULL, &r, &e), 0);
	PQclear(r);
	snprintf(sql, sizeof sql, "SELECT string_agg(concat_ws('|', dfsjzj, coalesce(a::text, '-'), "
		 "coalesce(b::text, '-'), coalesce(c::text, '-'), coalesce(d::text, '-'), coalesce(e::text, '-'), "
		 "coalesce(f::text, '-'), coalesce(g::text, '-'), coalesce(h::text, '-'), coalesce(i::text, '-'), "
		 "coalesce(j::text, '-'), coalesce(k::text, '-'), coalesce(l::text, '-'), coalesce(m::text, '-'), "
		 "coalesce(n::text, '-'), octet_length(l)), E'\\n' ORDER BY dfsjzj) FROM %s", name);
	assert_int_equal(front_read(x->f, sql, 0, NULL, &r, &e), 0);
	char *s = strdup(PQgetisnull(r, 0, 0) ? "" : PQgetvalue(r, 0, 0));
	PQclear(r);
	return s;
}

static void test_binary_equals_text(void **state)
{
	struct fx *x = *state;
	struct err e = {0};
	struct xtable *tt = table(x, "T_TEXT"), *tb = table(x, "T_BIN"), *tr = table(x, "T_ROW");
	assert_true(tt->binary && tb->binary && tr->binary && tb->key_indexed);
	tt->binary = 0;                                /* the reference: text COPY */
	assert_int_equal(insert(x, tt, rows, NROWS, &e), 0);
	assert_int_equal(insert(x, tb, rows, NROWS, &e), 0);

	/* the first upload's way: xmap_row's tuples in one keyed batch */
	struct buf content = {0}, copy = {0};
	int at[XROW_AT];
	memset(at, -1, sizeof at);
	for (int i = 0; i < NROWS; i++) {
		json_t *rec = json_loads(rows[i], 0, NULL);
		const char *names[NCOL + 2];
		struct xchg_val v[NCOL + 2];
		struct xrec r = {.names = names, .v = v};
		const char *k;
		json_t *jv;
		json_object_foreach(rec, k, jv) {
			names[r.n] = k;
			v[r.n++] = json_is_integer(jv) ? (struct xchg_val){.type = XCHG_INT, .i = json_integer_value(jv)}
				: json_is_real(jv) ? (struct xchg_val){.type = XCHG_REAL, .d = json_real_value(jv)}
				: json_is_string(jv) ? (struct xchg_val){.type = XCHG_TEXT, .s = json_string_value(jv)}
				: (struct xchg_val){.type = XCHG_NULL};
		}
		char key[32], why[300];
		snprintf(key, sizeof key, "r%d", i);
		struct xrow_ctx cx = {.dfsjzj = key, .xzqhdm = "320100", .at = at};
		content.len = 0;
		if (xmap_row(tr, &r, &cx, &content, &copy, why, sizeof why))
			fail_msg("row %d: %s", i, why);
		json_decref(rec);
	}
	int bad = 0;
	front_copy_start(x->f, tr, copy.data, copy.len);
	assert_int_equal(front_copy_end(x->f, tr, &bad, &e), 0);
	buf_free(&content);
	buf_free(&copy);

	char *text = dump(x, "t_text"), *bin = dump(x, "t_bin"), *row = dump(x, "t_row");
	assert_int_equal((int)strlen(text) > 0, 1);
	assert_string_equal(bin, text);
	assert_string_equal(row, text);
	/* a few values spelled out: the scale's rounding, the instant, padding */
	if (!strstr(text, "r0|1|-2|1234567890123|-12.346|0.1|3.14159|-2.718281828|true|2024-02-29|"
		    "2024-03-01 08:09:10|2024-03-01 08:09:10+08|ab|工程建设项目|") ||
	    !strstr(text, "r1|-32767|2147483647|-1000000000000000001|0.001|100000000000000000000|-0|1e-300|false|"
		    "1999-12-31|1999-12-31 23:59:59.5|2000-01-01 07:59:59+08|工程建设| |N|14\n") ||
	    !strstr(text, "r2|0|0|0|999999999.999|-123456789.1|") || !strstr(text, "r3|7|100|1000000000|0.000|0.00000015|"))
		fail_msg("read back:\n%s", text);
	free(text);
	free(bin);
	free(row);
}

static void test_fallbacks(void **state)
{
	struct fx *x = *state;
	struct err e = {0};
	struct xtable *td = table(x, "T_DOMAIN"), *tb = table(x, "T_BIN");
	/* a domain column: the whole table goes by text, and loads */
	assert_false(td->binary);
	assert_int_equal(insert(x, td, rows, NROWS, &e), 0);
	char *dom = dump(x, "t_domain"), *text = dump(x, "t_text");
	assert_string_equal(dom, text);
	free(dom);
	free(text);

	/* NaN has no exact binary form here: the row cannot go in a binary
	** batch of xmap_row, and front_insert sends its batch by text */
	static const char *const nan_row[] = {"{\"g\":\"NaN\",\"n\":\"nan\"}"};
	const char *names[] = {"g"};
	struct xchg_val v[] = {{.type = XCHG_TEXT, .s = "NaN"}};
	struct xrec r = {.n = 1, .names = names, .v = v};
	struct buf content = {0}, copy = {0};
	char why[300];
	assert_int_equal(xmap_row(tb, &r, &(struct xrow_ctx){.dfsjzj = "nan", .xzqhdm = "320100"}, &content, &copy, why,
				  sizeof why), -1);
	buf_free(&content);
	buf_free(&copy);
	assert_int_equal(insert(x, tb, nan_row, 1, &e), 0);
	PGresult *res;
	assert_int_equal(front_read(x->f, "SELECT g::text FROM t_bin WHERE n = 'nan'", 0, NULL, &res, &e), 0);
	assert_int_equal(PQntuples(res), 1);
	assert_string_equal(PQgetvalue(res, 0, 0), "NaN");
	PQclear(res);

	/* a value the column refuses on receive (rounded past numeric(12,3)):
	** the column and row are named as text COPY names them */
	static const char *const big[] = {"{\"n\":\"ok\"}", "{\"d\":999999999.9996}"};
	assert_int_not_equal(insert(x, tb, big, 2, &e), 0);
	if (!strstr(e.msg, "列 d 不接受第 2 行的值") || !strstr(e.msg, "overflow"))
		fail_msg("binary COPY error: %s", e.msg);
	tb->binary = 0;
	err_clear(&e);
	assert_int_not_equal(insert(x, tb, big, 2, &e), 0);
	if (!strstr(e.msg, "列 d 不接受第 2 行的值") || !strstr(e.msg, "overflow"))
		fail_msg("text COPY error: %s", e.msg);
	tb->binary = 1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_binary_equals_text),
		cmocka_unit_test(test_fallbacks),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
