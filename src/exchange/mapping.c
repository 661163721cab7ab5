/*
** mapping.c: the SPGL mapping as data (data/exchange/<name>.json or a file),
** the content of a reported row, and the conversion of its values to the
** front DB's actual column types.
**
** Logical values in a content: text and version as strings, codes as
** integers (or strings when the mapping's code list is text), decimals as
** numbers, dates "YYYY-MM-DD" and timestamps "YYYY-MM-DD HH:MM:SS" in
** Asia/Shanghai.
*/
#include "exchange/xchg_int.h"

#include "base/clock.h"
#include "base/embed.h"

#include <ctype.h>
#include <math.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sources[] = {"flow", "stage", "stage_item", "project", "unit", "case", "status",
				       "special", "document", "attachment", NULL};
static const char *const types[] = {"text", "code", "version", "decimal", "date", "timestamp", NULL};

static int index_of(const char *const *list, const char *s)
{
	for (int i = 0; s && list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

static int load_col(const json_t *j, struct xcol *c, const char *table, struct err *e)
{
	const char *name = json_string_value(json_object_get(j, "name"));
	const char *src = json_string_value(json_object_get(j, "source"));
	int type = index_of(types, json_string_value(json_object_get(j, "type")));
	if (!name || !*name || !src || !*src)
		return err_set(e, ERR_INVALID, "mapping", "%s: a column needs name and source", table);
	if (type < 0)
		return err_set(e, ERR_INVALID, "mapping", "%s.%s: type must be one of text code version decimal "
			       "date timestamp", table, name);
	memset(c, 0, sizeof *c);
	c->name = name;
	c->source = src;
	c->type = (enum xtype)type;
	c->max = (int)json_integer_value(json_object_get(j, "max"));
	c->precision = (int)json_integer_value(json_object_get(j, "precision"));
	c->scale = (int)json_integer_value(json_object_get(j, "scale"));
	c->required = json_is_true(json_object_get(j, "required"));
	c->optional = json_is_true(json_object_get(j, "optional"));
	c->codes = json_object_get(j, "codes");
	if (c->codes && !json_is_array(c->codes))
		return err_set(e, ERR_INVALID, "mapping", "%s.%s: codes must be an array", table, name);
	if (c->type == XT_VERSION && !c->precision) {
		c->precision = 4;
		c->scale = 1;
	}
	return 0;
}

static int load_table(const json_t *j, const json_t *std, struct xtable *t, struct err *e)
{
	const json_t *cols = json_object_get(j, "columns");
	t->table = json_string_value(json_object_get(j, "table"));
	t->title = json_string_value(json_object_get(j, "title"));
	t->source = json_string_value(json_object_get(j, "source"));
	if (!t->table || !*t->table)
		return err_set(e, ERR_INVALID, "mapping", "a table needs its name (\"table\")");
	if (index_of(sources, t->source) < 0)
		return err_set(e, ERR_INVALID, "mapping", "%s: source must be one of flow stage stage_item project unit "
			       "case status special document attachment", t->table);
	if (!json_is_array(cols) || json_array_size(cols) == 0)
		return err_set(e, ERR_INVALID, "mapping", "%s: columns must be a non-empty array", t->table);
	t->ncols = (int)(json_array_size(std) + json_array_size(cols));
	t->cols = calloc((size_t)t->ncols, sizeof *t->cols);
	if (!t->cols)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	for (int i = 0; i < t->ncols; i++) {
		size_t ns = json_array_size(std);
		const json_t *cj = i < (int)ns ? json_array_get(std, i) : json_array_get(cols, i - ns);
		if (load_col(cj, &t->cols[i], t->table, e))
			return e->code;
	}
	return 0;
}

static int parse_doc(const char *name, json_t **doc, struct err *e)
{
	json_error_t je;
	if (strchr(name, '/') || strstr(name, ".json")) {
		*doc = json_load_file(name, 0, &je);
	} else {
		char path[300];
		size_t len;
		snprintf(path, sizeof path, "data/exchange/%s.json", name);
		const unsigned char *b = embed_get(path, &len);
		if (!b)
			return err_set(e, ERR_INVALID, "mapping", "no built-in mapping '%s' (spgl-2019, "
				       "spgl-3.0-attachments) and not a file path", name);
		*doc = json_loadb((const char *)b, len, 0, &je);
	}
	if (!*doc)
		return err_set(e, ERR_INVALID, "mapping", "%s: line %d: %s", name, je.line, je.text);
	return 0;
}

int xmap_load(const char *name, struct xmap **out, struct err *e)
{
	struct xmap *m = calloc(1, sizeof *m);
	if (!m)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (parse_doc(name, &m->doc, e))
		goto fail;
	const json_t *tables = json_object_get(m->doc, "tables");
	const json_t *std = json_object_get(m->doc, "standard");
	snprintf(m->name, sizeof m->name, "%s", json_string_value(json_object_get(m->doc, "name")) ?
		 json_string_value(json_object_get(m->doc, "name")) : name);
	if (!json_is_array(tables) || !json_is_array(std)) {
		err_set(e, ERR_INVALID, "mapping", "%s: needs arrays \"standard\" and \"tables\"", name);
		goto fail;
	}
	m->ntables = (int)json_array_size(tables);
	m->tables = calloc((size_t)m->ntables + 1, sizeof *m->tables);
	if (!m->tables) {
		err_set(e, ERR_INTERNAL, "", "out of memory");
		goto fail;
	}
	for (int i = 0; i < m->ntables; i++)
		if (load_table(json_array_get(tables, i), std, &m->tables[i], e))
			goto fail;
	*out = m;
	return 0;
fail:
	xmap_free(m);
	return e->code;
}

void xmap_free(struct xmap *m)
{
	if (!m)
		return;
	for (int i = 0; m->tables && i < m->ntables; i++)
		free(m->tables[i].cols);
	free(m->tables);
	json_decref(m->doc);
	free(m);
}

struct xtable *xmap_table_of(struct xmap *m, const char *source)
{
	for (int i = 0; i < m->ntables; i++)
		if (strcmp(m->tables[i].source, source) == 0)
			return &m->tables[i];
	return NULL;
}

/* ---- content ---------------------------------------------------------------------------- */

static json_t *logical(enum xtype type, const json_t *v)
{
	char buf[32];
	if (!v || json_is_null(v))
		return json_null();
	switch (type) {
	case XT_TEXT:
	case XT_VERSION:
		if (json_is_string(v))
			return *json_string_value(v) ? json_incref((json_t *)v) : json_null();
		if (json_is_integer(v))
			return json_sprintf(type == XT_VERSION ? "%lld.0" : "%lld", (long long)json_integer_value(v));
		return json_sprintf("%g", json_number_value(v));
	case XT_CODE:
	case XT_DECIMAL:
		return json_incref((json_t *)v);
	case XT_DATE:
		if (json_is_integer(v))
			return json_string(clock_cn_date(json_integer_value(v), buf));
		return json_stringn(json_string_value(v), strnlen(json_string_value(v) ? json_string_value(v) : "", 10));
	case XT_TIMESTAMP:
		if (json_is_integer(v))
			return json_string(clock_cn_datetime(json_integer_value(v), buf));
		return json_incref((json_t *)v);
	}
	return json_null();
}

json_t *xmap_content(const struct xtable *t, const json_t *rec, const char *dfsjzj, const char *xzqhdm,
		     const char *withdrawn)
{
	json_t *o = json_object();
	for (int i = 0; i < t->ncols; i++) {
		const struct xcol *c = &t->cols[i];
		json_t *v;
		if (strcmp(c->source, "$now") == 0)
			continue;
		if (strcmp(c->source, "$dfsjzj") == 0)
			v = json_string(dfsjzj);
		else if (strcmp(c->source, "$xzqhdm") == 0)
			v = json_string(xzqhdm);
		else if (strcmp(c->source, "$valid") == 0)
			v = json_integer(withdrawn ? 0 : 1);
		else if (strcmp(c->source, "$invalid_reason") == 0)
			v = withdrawn ? json_string(withdrawn) : json_null();
		else if (strcmp(c->source, "$state") == 0)
			v = json_integer(0);
		else if (strcmp(c->source, "none") == 0)
			v = json_null();
		else
			v = logical(c->type, json_object_get(rec, c->source));
		json_object_set_new(o, c->name, v ? v : json_null());
	}
	return o;
}

void xmap_hash_text(const char *text, char *buf)
{
	unsigned char h[16];
	crypto_generichash(h, sizeof h, (const unsigned char *)text, strlen(text), NULL, 0);
	sodium_bin2hex(buf, 33, h, sizeof h);
}

void xmap_hash(const json_t *content, char *buf)
{
	char *text = json_dumps(content, JSON_COMPACT);
	xmap_hash_text(text, buf);
	free(text);
}

/* ---- conversion to the target column ---------------------------------------------------- */

static int in_codes(const json_t *codes, const json_t *v)
{
	size_t i;
	const json_t *c;
	json_array_foreach(codes, i, c) {
		if (json_equal(c, v))
			return 1;
		if (json_is_integer(c) && json_is_string(v) && atoll(json_string_value(v)) == json_integer_value(c) &&
		    *json_string_value(v))
			return 1;
	}
	return 0;
}

static size_t utf8_chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* The number in v (number or numeric text); -1 when it is none. */
static int number_of(const json_t *v, double *d)
{
	char *end;
	if (json_is_number(v)) {
		*d = json_number_value(v);
		return 0;
	}
	if (!json_is_string(v) || !*json_string_value(v))
		return -1;
	*d = strtod(json_string_value(v), &end);
	return *end ? -1 : 0;
}

static char *text_of(const json_t *v)
{
	if (json_is_string(v))
		return strdup(json_string_value(v));
	if (json_is_integer(v))
		return json_dumps(v, JSON_ENCODE_ANY);
	char buf[64];
	snprintf(buf, sizeof buf, "%.10g", json_number_value(v));
	return strdup(buf);
}

static int to_number(const struct xcol *c, const json_t *v, char **out, char *reason, size_t cap)
{
	double d;
	char buf[80];
	if (number_of(v, &d)) {
		snprintf(reason, cap, "%s的值不是数字：%s", c->name, json_string_value(v) ? json_string_value(v) : "");
		return -1;
	}
	if (c->kind == PK_INT) {
		double lim = c->tprec == 16 ? 32767.0 : c->tprec == 32 ? 2147483647.0 : 9.2e18;
		if (d != floor(d) || fabs(d) > lim) {
			snprintf(reason, cap, "%s的值%g不能存入%s列", c->name, d, c->tdesc);
			return -1;
		}
		snprintf(buf, sizeof buf, "%.0f", d);
	} else if (c->kind == PK_NUMERIC && c->tprec > 0) {
		double lim = pow(10.0, c->tprec - c->tscale);
		if (fabs(d) >= lim) {
			snprintf(reason, cap, "%s的值%g超出%s(%d,%d)的范围", c->name, d, c->tdesc, c->tprec, c->tscale);
			return -1;
		}
		snprintf(buf, sizeof buf, "%.*f", c->tscale, d);
	} else
		snprintf(buf, sizeof buf, "%.10g", d);
	*out = strdup(buf);
	return 0;
}

static int to_time(const struct xcol *c, const json_t *v, char **out, char *reason, size_t cap)
{
	const char *s = json_string_value(v);
	char buf[40];
	if (!s || strlen(s) < 10 || clock_cn_midnight((char[11]){s[0], s[1], s[2], s[3], s[4], s[5], s[6], s[7],
								   s[8], s[9], 0}) < 0) {
		snprintf(reason, cap, "%s的值不是日期：%s", c->name, s ? s : "");
		return -1;
	}
	if (c->kind == PK_DATE)
		snprintf(buf, sizeof buf, "%.10s", s);
	else
		snprintf(buf, sizeof buf, "%.10s %s%s", s, strlen(s) >= 19 ? s + 11 : "00:00:00",
			 c->kind == PK_TIMESTAMPTZ ? "+08" : "");
	*out = strdup(buf);
	return 0;
}

int xmap_value(const struct xcol *c, const json_t *v, char **out, char *reason, size_t cap)
{
	*out = NULL;
	if (!v || json_is_null(v)) {
		if (c->required) {
			snprintf(reason, cap, "数据不完整：%s不能为空", c->name);
			return -1;
		}
		return 0;
	}
	if (c->codes && !in_codes(c->codes, v)) {
		snprintf(reason, cap, "%s的值不在代码项之中！", c->name);
		return -1;
	}
	switch (c->kind) {
	case PK_INT:
	case PK_NUMERIC:
	case PK_FLOAT:
		return to_number(c, v, out, reason, cap);
	case PK_DATE:
	case PK_TIMESTAMP:
	case PK_TIMESTAMPTZ:
		return to_time(c, v, out, reason, cap);
	default:
		*out = text_of(v);
		if (c->kind == PK_CHAR && c->len > 0 && utf8_chars(*out) > (size_t)c->len) {
			snprintf(reason, cap, "%s超长：%zu个字符，列长%d", c->name, utf8_chars(*out), c->len);
			free(*out);
			*out = NULL;
			return -1;
		}
		return 0;
	}
}

/* ---- compatibility ------------------------------------------------------------------------ */

static void problem(json_t *problems, const char *column, int error, int *errors, int *warnings,
		    const char *fmt, ...) __attribute__((format(printf, 6, 7)));
static void problem(json_t *problems, const char *column, int error, int *errors, int *warnings,
		    const char *fmt, ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	json_array_append_new(problems, json_pack("{s:s?,s:s,s:s}", "column", column, "severity",
						  error ? "error" : "warning", "message", msg));
	(*(error ? errors : warnings))++;
}

/* 1 error, 0 warning, -1 fine: can a column of kind k hold values of type t? */
static int compat(const struct xcol *c, char *why, size_t cap)
{
	int is_time = c->type == XT_DATE || c->type == XT_TIMESTAMP;
	int k_time = c->kind == PK_DATE || c->kind == PK_TIMESTAMP || c->kind == PK_TIMESTAMPTZ;
	int k_num = c->kind == PK_INT || c->kind == PK_NUMERIC || c->kind == PK_FLOAT;
	if (c->kind == PK_OTHER)
		return snprintf(why, cap, "列类型 %s 不受支持", c->tdesc), 1;
	if (is_time && k_num)
		return snprintf(why, cap, "%s 列不能存放%s", c->tdesc, c->type == XT_DATE ? "日期" : "时间"), 1;
	if (!is_time && k_time)
		return snprintf(why, cap, "%s 列不能存放%s", c->tdesc, c->type == XT_TEXT ? "文本" : "数值"), 1;
	if (c->kind == PK_CHAR) {
		int need = c->type == XT_DATE ? 10 : c->type == XT_TIMESTAMP ? 19 : c->max;
		if (c->len > 0 && need > c->len)
			return snprintf(why, cap, "列长 %d 小于我方最大长度 %d，超长的值将被拒绝上报", c->len, need),
			       is_time ? 1 : 0;
		return -1;
	}
	if (c->type == XT_TIMESTAMP && c->kind == PK_DATE)
		return snprintf(why, cap, "date 列只存日期，时刻将被舍去"), 0;
	if (c->type == XT_TEXT && k_num)
		return snprintf(why, cap, "%s 列只能接收数字文本", c->tdesc), 0;
	if ((c->type == XT_VERSION || c->type == XT_DECIMAL) && c->kind == PK_INT)
		return snprintf(why, cap, "%s 列不能存放小数，非整数的值将被拒绝上报", c->tdesc), 0;
	if ((c->type == XT_VERSION || c->type == XT_DECIMAL) && c->kind == PK_NUMERIC && c->tprec > 0 &&
	    c->tscale < c->scale)
		return snprintf(why, cap, "numeric(%d,%d) 的小数位少于 %d 位", c->tprec, c->tscale, c->scale), 0;
	return -1;
}

int xmap_compare(const struct xtable *t, json_t *problems, int *errors, int *warnings)
{
	char why[300];
	if (!t->present) {
		problem(problems, NULL, 1, errors, warnings, "表 %s 在前置库中不存在", t->table);
		return 0;
	}
	if (!t->has_lsh)
		problem(problems, "LSH", 1, errors, warnings, "%s 缺少流水号列 LSH", t->table);
	if (t->extra_notnull[0])
		problem(problems, t->extra_notnull, 1, errors, warnings,
			"%s.%s 为 NOT NULL 且无默认值，映射中没有这些列", t->table, t->extra_notnull);
	for (int i = 0; i < t->ncols; i++) {
		const struct xcol *c = &t->cols[i];
		if (!c->present) {
			if (c->required)
				problem(problems, c->name, 1, errors, warnings, "%s 缺少列 %s", t->table, c->name);
			else if (!c->optional && strcmp(c->source, "none") != 0)
				problem(problems, c->name, 0, errors, warnings, "%s 缺少列 %s，此字段不上报", t->table,
					c->name);
			continue;
		}
		int sev = compat(c, why, sizeof why);
		if (sev >= 0)
			problem(problems, c->name, sev, errors, warnings, "%s.%s: %s", t->table, c->name, why);
	}
	return 0;
}
