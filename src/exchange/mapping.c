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

#include "base/buf.h"
#include "base/clock.h"
#include "base/embed.h"

#include <ctype.h>
#include <errno.h>
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
	static const char *const specials[] = {"none", "$dfsjzj", "$xzqhdm", "$valid", "$invalid_reason", "$state",
					       "$now", NULL};
	c->special = index_of(specials, src) + 1;
	int n = snprintf(c->jkey, sizeof c->jkey, ",\"%s\":", name);
	if (n < 0 || (size_t)n >= sizeof c->jkey)
		return err_set(e, ERR_INVALID, "mapping", "%s.%s: the column name is too long", table, name);
	c->jkey_len = (size_t)n;
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

/* A jansson value as a variant (strings borrowed from it). */
static struct xchg_val val_of(const json_t *v)
{
	if (json_is_integer(v))
		return (struct xchg_val){.type = XCHG_INT, .i = json_integer_value(v)};
	if (json_is_real(v))
		return (struct xchg_val){.type = XCHG_REAL, .d = json_real_value(v)};
	if (json_is_string(v))
		return (struct xchg_val){.type = XCHG_TEXT, .s = json_string_value(v)};
	if (json_is_boolean(v))
		return (struct xchg_val){.type = XCHG_INT, .i = json_is_true(v)};
	return (struct xchg_val){.type = XCHG_NULL};
}

/* ---- a row's content as text, and its COPY line ---------------------------------------------- */

/* The logical value of a source value for a column of type t (see the top
** of this file); text it makes is written to buf (>= 32 bytes). */
static struct xchg_val logical_val(enum xtype t, struct xchg_val v, char *buf)
{
	struct xchg_val null = {.type = XCHG_NULL}, text = {.type = XCHG_TEXT, .s = buf};
	switch (t) {
	case XT_TEXT:
	case XT_VERSION:
		if (v.type == XCHG_TEXT)
			return *v.s ? v : null;
		if (v.type == XCHG_INT)
			snprintf(buf, 32, t == XT_VERSION ? "%lld.0" : "%lld", (long long)v.i);
		else if (v.type == XCHG_REAL)
			snprintf(buf, 32, "%g", v.d);
		return v.type == XCHG_NULL ? null : text;
	case XT_CODE:
	case XT_DECIMAL:
		return v;
	case XT_DATE:
		if (v.type == XCHG_INT)
			return clock_cn_date(v.i, buf), text;
		if (v.type != XCHG_TEXT)
			return null;
		snprintf(buf, 32, "%.10s", v.s);
		return text;
	case XT_TIMESTAMP:
		if (v.type == XCHG_INT)
			return clock_cn_datetime(v.i, buf), text;
		return v;
	}
	return null;
}

/* 1 when s is valid UTF-8 (what jansson accepts as a string). */
static int utf8_ok(const unsigned char *s)
{
	while (*s) {
		int n = *s < 0x80 ? 0 : (*s & 0xE0) == 0xC0 ? 1 : (*s & 0xF0) == 0xE0 ? 2 : (*s & 0xF8) == 0xF0 ? 3 : -1;
		if (n < 0 || (n == 1 && *s < 0xC2) || (n == 3 && *s > 0xF4))
			return 0;
		unsigned cp = n ? *s & (0x3F >> n) : *s;
		for (int k = 1; k <= n; k++) {
			if ((s[k] & 0xC0) != 0x80)
				return 0;
			cp = (cp << 6) | (s[k] & 0x3F);
		}
		if ((n == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF)))
			return 0;
		s += n + 1;
	}
	return 1;
}

/* v as jansson's compact dump writes it (the content hash depends on it);
** text that is not valid UTF-8 (utf8 0) is null, as jansson has it. */
static void json_val(struct buf *b, const struct xchg_val *v, int utf8)
{
	char num[40];
	if (v->type == XCHG_INT) {
		buf_int(b, v->i);
		return;
	}
	if (v->type == XCHG_REAL && isfinite(v->d)) {
		int n = snprintf(num, sizeof num, "%.17g", v->d);
		char *x = strchr(num, 'e');
		if (x) {          /* jansson drops '+' and leading zeros of the exponent */
			char *from = x + 1, *to = x + 1;
			if (*from == '+')
				from++;
			else if (*from == '-')
				from++, to++;
			while (*from == '0' && from[1])
				from++;
			memmove(to, from, strlen(from) + 1);
		} else if (!strchr(num, '.'))
			memcpy(num + n, ".0", 3);
		buf_puts(b, num);
		return;
	}
	if (v->type != XCHG_TEXT || !utf8) {
		buf_append(b, "null", 4);
		return;
	}
	buf_append(b, "\"", 1);
	const char *run = v->s;
	for (const char *p = v->s;; p++) {
		unsigned char ch = (unsigned char)*p;
		if (ch >= 0x20 && ch != '"' && ch != '\\')
			continue;
		buf_append(b, run, (size_t)(p - run));
		if (!ch)
			break;
		const char *esc = ch == '"' ? "\\\"" : ch == '\\' ? "\\\\" : ch == '\b' ? "\\b" : ch == '\f' ? "\\f"
			: ch == '\n' ? "\\n" : ch == '\r' ? "\\r" : ch == '\t' ? "\\t" : NULL;
		if (!esc) {
			snprintf(num, sizeof num, "\\u%04X", ch);
			esc = num;
		}
		buf_puts(b, esc);
		run = p + 1;
	}
	buf_append(b, "\"", 1);
}

/* The record's value named name; *at (when given) remembers where it was
** for the next record of the same reader. */
static struct xchg_val rec_get(const struct xrec *r, const char *name, int *at)
{
	if (at && *at >= 0 && *at < r->n && strcmp(r->names[*at], name) == 0)
		return r->v[*at];
	for (int i = 0; i < r->n; i++)
		if (strcmp(r->names[i], name) == 0) {
			if (at)
				*at = i;
			return r->v[i];
		}
	return (struct xchg_val){.type = XCHG_NULL};
}

/* One field of COPY's text format: \N, or the text with backslash escapes. */
void xmap_copy_field(struct buf *b, const char *v)
{
	if (!v) {
		buf_append(b, "\\N", 2);
		return;
	}
	const char *run = v;
	for (const char *p = v;; p++) {
		char esc = *p == '\\' ? '\\' : *p == '\n' ? 'n' : *p == '\r' ? 'r' : *p == '\t' ? 't' : 0;
		if (*p && !esc)
			continue;
		buf_append(b, run, (size_t)(p - run));
		if (!*p)
			return;
		buf_append(b, (char[2]){'\\', esc}, 2);
		run = p + 1;
	}
}

/* Column c's logical value for record rec (text it makes in buf). */
static struct xchg_val col_value(const struct xcol *c, int i, const struct xrec *rec, const struct xrow_ctx *x,
			       char *buf)
{
	switch (c->special) {
	case XS_RECORD:
		return logical_val(c->type, rec_get(rec, c->source, x->at && i < XROW_AT ? &x->at[i] : NULL), buf);
	case XS_NOW:
		return (struct xchg_val){.type = x->now_text ? XCHG_TEXT : XCHG_NULL, .s = x->now_text};
	case XS_DFSJZJ:
		return (struct xchg_val){.type = XCHG_TEXT, .s = x->dfsjzj};
	case XS_XZQHDM:
		return (struct xchg_val){.type = XCHG_TEXT, .s = x->xzqhdm};
	case XS_VALID:
		return (struct xchg_val){.type = XCHG_INT, .i = x->withdrawn ? 0 : 1};
	case XS_REASON:
		return (struct xchg_val){.type = x->withdrawn ? XCHG_TEXT : XCHG_NULL, .s = x->withdrawn};
	case XS_STATE:
		return (struct xchg_val){.type = XCHG_INT, .i = 0};
	default:
		return (struct xchg_val){.type = XCHG_NULL};
	}
}

int xmap_row(const struct xtable *t, const struct xrec *rec, const struct xrow_ctx *x, struct buf *content,
	     struct buf *copy, char *reason, size_t rcap)
{
	int bad = 0, first = 1, fields = 0, bin = copy && t->binary;
	size_t start = copy ? copy->len : 0;
	if (bin)
		buf_append(copy, "\0\0", 2);          /* the field count, below */
	buf_append(content, "{", 1);
	for (int i = 0; i < t->ncols; i++) {
		const struct xcol *c = &t->cols[i];
		char lbuf[40], tbuf[80];
		struct xchg_val v = col_value(c, i, rec, x, lbuf);
		int now = c->special == XS_NOW, utf8 = v.type == XCHG_TEXT && utf8_ok((const unsigned char *)v.s);
		if (!now) {
			buf_append(content, c->jkey + first, c->jkey_len - (size_t)first);   /* ,"NAME": */
			json_val(content, &v, utf8);
			first = 0;
		}
		if (!copy || !c->present || bad)
			continue;
		const char *text;
		if (v.type == XCHG_TEXT && !utf8)
			v.type = XCHG_NULL;             /* as the content says (null) */
		if (xmap_value_text(c, &v, tbuf, sizeof tbuf, &text, reason, rcap)) {
			bad = 1;
			continue;
		}
		if (bin && xmap_bin_field(c, text, copy)) {
			snprintf(reason, rcap, "%s的值须以文本 COPY 上报：%s", c->name, text);
			bad = 1;
			continue;
		}
		if (!bin && fields)
			buf_append(copy, "\t", 1);
		if (!bin)
			xmap_copy_field(copy, text);
		fields++;
	}
	buf_append(content, "}", 1);
	if (copy && !bad && bin) {
		copy->data[start] = (char)(fields >> 8);
		copy->data[start + 1] = (char)fields;
	} else if (copy && !bad)
		buf_append(copy, "\n", 1);
	return bad ? -1 : 0;
}

int xmap_row_json(const struct xtable *t, const json_t *rec, const struct xrow_ctx *x, struct buf *content,
		  struct buf *copy, char *reason, size_t rcap)
{
	const char *names[64];
	struct xchg_val v[64];
	struct xrec r = {.names = names, .v = v};
	const char *k;
	json_t *jv;
	json_object_foreach((json_t *)rec, k, jv) {
		if (r.n == 64)
			break;
		names[r.n] = k;
		v[r.n++] = val_of(jv);
	}
	return xmap_row(t, &r, x, content, copy, reason, rcap);
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

static int in_codes(const json_t *codes, const struct xchg_val *v)
{
	size_t i;
	const json_t *c;
	json_array_foreach(codes, i, c) {
		if (json_is_integer(c) && v->type == XCHG_INT && v->i == json_integer_value(c))
			return 1;
		if (json_is_string(c) && v->type == XCHG_TEXT && strcmp(json_string_value(c), v->s) == 0)
			return 1;
		if (json_is_integer(c) && v->type == XCHG_TEXT && *v->s && atoll(v->s) == json_integer_value(c))
			return 1;
		if (json_is_real(c) && v->type == XCHG_REAL && v->d == json_real_value(c))
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
static int number_of(const struct xchg_val *v, double *d)
{
	char *end;
	if (v->type == XCHG_INT || v->type == XCHG_REAL) {
		*d = v->type == XCHG_INT ? (double)v->i : v->d;
		return 0;
	}
	if (v->type != XCHG_TEXT || !*v->s)
		return -1;
	*d = strtod(v->s, &end);
	return *end ? -1 : 0;
}

/* An integer the column holds as it is, written without printf (the hot
** path: codes and counts); 0 when it takes the general path. */
static int int_text(const struct xcol *c, const struct xchg_val *v, char *buf, size_t cap)
{
	/* as many digits as the type holds for sure; "%.10g" prints up to 10 as they are */
	int digits = c->kind == PK_NUMERIC ? (c->tprec > 0 ? c->tprec - c->tscale : 10) : c->kind == PK_INT ? 9
		: c->kind == PK_FLOAT ? 10 : 0;
	int scale = c->kind == PK_NUMERIC && c->tprec > 0 ? c->tscale : 0;
	if (v->type != XCHG_INT || digits <= 0 || digits > 18 || scale > 8 || (c->kind == PK_INT && c->tprec == 16) ||
	    cap < 34)
		return 0;
	unsigned long long a = v->i < 0 ? 0ULL - (unsigned long long)v->i : (unsigned long long)v->i, lim = 1;
	for (int i = 0; i < digits; i++)
		lim *= 10;
	if (a >= lim)
		return 0;
	char tmp[24];
	int n = 0;
	do
		tmp[n++] = (char)('0' + a % 10);
	while ((a /= 10) != 0);
	int k = 0;
	if (v->i < 0)
		buf[k++] = '-';
	while (n)
		buf[k++] = tmp[--n];
	if (scale)                   /* "%.*f" of an integer */
		buf[k++] = '.';
	for (int i = 0; i < scale; i++)
		buf[k++] = '0';
	buf[k] = 0;
	return 1;
}

static int to_number(const struct xcol *c, const struct xchg_val *v, char *buf, size_t cap, char *reason,
		     size_t rcap)
{
	double d;
	if (int_text(c, v, buf, cap))
		return 0;
	if (number_of(v, &d)) {
		snprintf(reason, rcap, "%s的值不是数字：%s", c->name, v->type == XCHG_TEXT ? v->s : "");
		return -1;
	}
	if (c->kind == PK_INT) {
		double lim = c->tprec == 16 ? 32767.0 : c->tprec == 32 ? 2147483647.0 : 9.2e18;
		if (d != floor(d) || fabs(d) > lim) {
			snprintf(reason, rcap, "%s的值%g不能存入%s列", c->name, d, c->tdesc);
			return -1;
		}
		if (v->type == XCHG_INT)
			snprintf(buf, cap, "%lld", (long long)v->i);
		else
			snprintf(buf, cap, "%.0f", d);
	} else if (c->kind == PK_NUMERIC && c->tprec > 0) {
		double lim = pow(10.0, c->tprec - c->tscale);
		if (fabs(d) >= lim) {
			snprintf(reason, rcap, "%s的值%g超出%s(%d,%d)的范围", c->name, d, c->tdesc, c->tprec, c->tscale);
			return -1;
		}
		snprintf(buf, cap, "%.*f", c->tscale, d);
	} else if (c->kind == PK_BOOL) {
		if (d != 0 && d != 1) {
			snprintf(reason, rcap, "%s的值%g不能存入%s列（只收0或1）", c->name, d, c->tdesc);
			return -1;
		}
		snprintf(buf, cap, "%d", d != 0);
	} else
		snprintf(buf, cap, "%.10g", d);
	return 0;
}

/* Dates and timestamps in the forms every date/time type takes: date
** "YYYY-MM-DD", timestamp "YYYY-MM-DD HH:MM:SS", timestamptz with "+08". */
/* 1 when s starts with a real date YYYY-MM-DD. */
static int date_ok(const char *s)
{
	static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	for (int i = 0; i < 10; i++)
		if (i == 4 || i == 7 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return 0;
	int y = atoi(s), m = (s[5] - '0') * 10 + s[6] - '0', d = (s[8] - '0') * 10 + s[9] - '0';
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	return m >= 1 && m <= 12 && d >= 1 && d <= days[m - 1] + (m == 2 && leap);
}

static int to_time(const struct xcol *c, const struct xchg_val *v, char *buf, size_t cap, char *reason, size_t rcap)
{
	const char *s = v->type == XCHG_TEXT ? v->s : NULL;
	if (!s || strlen(s) < 10 || !date_ok(s)) {
		snprintf(reason, rcap, "%s的值不是日期：%s", c->name, s ? s : "");
		return -1;
	}
	if (c->kind == PK_DATE || cap < 32) {
		snprintf(buf, cap, "%.10s", s);
		return 0;
	}
	size_t n = strlen(s) >= 19 ? strlen(s + 11) : 8;      /* "YYYY-MM-DD rest" without printf */
	if (n > cap - 15)
		n = cap - 15;
	memcpy(buf, s, 10);
	buf[10] = ' ';
	memcpy(buf + 11, strlen(s) >= 19 ? s + 11 : "00:00:00", n);
	memcpy(buf + 11 + n, c->kind == PK_TIMESTAMPTZ ? "+08" : "", c->kind == PK_TIMESTAMPTZ ? 4 : 1);
	return 0;
}

int xmap_value_text(const struct xcol *c, const struct xchg_val *v, char *buf, size_t cap, const char **out,
		    char *reason, size_t rcap)
{
	*out = NULL;
	if (v->type == XCHG_NULL) {
		if (c->required) {
			snprintf(reason, rcap, "数据不完整：%s不能为空", c->name);
			return -1;
		}
		return 0;
	}
	if (c->codes && !in_codes(c->codes, v)) {
		snprintf(reason, rcap, "%s的值不在代码项之中！", c->name);
		return -1;
	}
	switch (c->kind) {
	case PK_INT:
	case PK_NUMERIC:
	case PK_FLOAT:
	case PK_BOOL:
		*out = buf;
		return to_number(c, v, buf, cap, reason, rcap);
	case PK_DATE:
	case PK_TIMESTAMP:
	case PK_TIMESTAMPTZ:
		*out = buf;
		return to_time(c, v, buf, cap, reason, rcap);
	default:
		if (v->type == XCHG_TEXT)
			*out = v->s;
		else {
			if (v->type == XCHG_INT)
				snprintf(buf, cap, "%lld", (long long)v->i);
			else
				snprintf(buf, cap, "%.10g", v->d);
			*out = buf;
		}
		if (c->kind == PK_CHAR && c->len > 0 && utf8_chars(*out) > (size_t)c->len) {
			snprintf(reason, rcap, "%s超长：%zu个字符，列长%d", c->name, utf8_chars(*out), c->len);
			*out = NULL;
			return -1;
		}
		return 0;
	}
}

int xmap_value(const struct xcol *c, const json_t *v, char **out, char *reason, size_t cap)
{
	char buf[80];
	const char *t;
	struct xchg_val x = val_of(v);
	*out = NULL;
	if (xmap_value_text(c, &x, buf, sizeof buf, &t, reason, cap))
		return -1;
	if (t)
		*out = strdup(t);
	return 0;
}

/* ---- COPY's binary format ------------------------------------------------------------------ */

/* Type OIDs of pg_type.h (fixed in every PostgreSQL). */
enum { OID_BOOL = 16, OID_INT8 = 20, OID_INT2 = 21, OID_INT4 = 23, OID_TEXT = 25, OID_FLOAT4 = 700,
       OID_FLOAT8 = 701, OID_BPCHAR = 1042, OID_VARCHAR = 1043, OID_DATE = 1082, OID_TIMESTAMP = 1114,
       OID_TIMESTAMPTZ = 1184, OID_NUMERIC = 1700 };

int xmap_bin_type(unsigned oid)
{
	static const unsigned known[] = {OID_BOOL, OID_INT8, OID_INT2, OID_INT4, OID_TEXT, OID_FLOAT4, OID_FLOAT8,
					 OID_BPCHAR, OID_VARCHAR, OID_DATE, OID_TIMESTAMP, OID_TIMESTAMPTZ,
					 OID_NUMERIC};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (known[i] == oid)
			return 1;
	return 0;
}

/* v big-endian in n bytes at p. */
static void put_be(char *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (char)(v >> (8 * (n - 1 - i)));
}

/* A field of n bytes: its length, then the bytes. */
static void bin_put(struct buf *b, const void *data, size_t n)
{
	char len[4];
	put_be(len, n, 4);
	buf_append(b, len, 4);
	buf_append(b, data, n);
}

static void bin_int(struct buf *b, uint64_t v, int n)
{
	char x[8];
	put_be(x, v, n);
	bin_put(b, x, (size_t)n);
}

/* The digits of s[0..n) (n <= 19) as a number; -1 unless all are digits. */
static long long digits_of(const char *s, int n)
{
	unsigned long long v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	return v > (unsigned long long)INT64_MAX ? -1 : (long long)v;
}

/* int2/int4/int8 from "[-]digits" (int4in and the like). */
static int bin_integer(const struct xcol *c, const char *s, struct buf *b)
{
	int neg = *s == '-', n = (int)strlen(s + neg), bytes = c->toid == OID_INT2 ? 2 : c->toid == OID_INT4 ? 4 : 8;
	long long v = n > 0 && n <= 19 ? digits_of(s + neg, n) : -1;
	long long lim = bytes == 2 ? INT16_MAX : bytes == 4 ? INT32_MAX : INT64_MAX;
	if (v < 0 || v > lim)
		return -1;           /* past the type's range (or INT64_MIN): text COPY, its input decides */
	bin_int(b, neg ? 0 - (uint64_t)v : (uint64_t)v, bytes);
	return 0;
}

/* float4/float8 from the number's text: what strtof/strtod (float4in,
** float8in) make of it; NaN, infinities and out-of-range go by text. */
static int bin_float(const struct xcol *c, const char *s, struct buf *b)
{
	char *end;
	errno = 0;
	if (c->toid == OID_FLOAT4) {
		float f = strtof(s, &end);
		uint32_t u;
		if (end == s || *end || errno || !isfinite(f))
			return -1;
		memcpy(&u, &f, 4);
		bin_int(b, u, 4);
		return 0;
	}
	double d = strtod(s, &end);
	uint64_t u;
	if (end == s || *end || errno || !isfinite(d))
		return -1;
	memcpy(&u, &d, 8);
	bin_int(b, u, 8);
	return 0;
}

/* numeric in numeric_send's form from "[-]digits[.digits][e[+-]digits]"
** as numeric_in reads it: the value exactly, dscale the digits written
** after the point less the exponent (at least 0). The receiving side
** rounds to the column's scale (apply_typmod) as numeric_in does. */
static int bin_numeric(const char *s, struct buf *b)
{
	char dig[64];
	int n = 0, nfrac = 0, point = 0, neg = *s == '-';
	long exp10 = 0;
	for (s += neg; isdigit((unsigned char)*s) || (*s == '.' && !point); s++) {
		if (*s == '.')
			point = 1;
		else if (n == (int)sizeof dig)
			return -1;
		else {
			dig[n++] = (char)(*s - '0');
			nfrac += point;
		}
	}
	if (*s == 'e' || *s == 'E') {
		char *end;
		exp10 = strtol(s + 1, &end, 10);
		if (end == s + 1 || exp10 > 1000 || exp10 < -1000)
			return -1;
		s = end;
	}
	if (*s || n == 0)
		return -1;           /* NaN, infinity or not a number: text COPY */
	int lead = 0;
	while (lead < n && dig[lead] == 0)
		lead++;
	long low = exp10 - nfrac, high = low + n - 1 - lead;      /* powers of ten of the last and first digit */
	long dscale = nfrac - exp10 > 0 ? nfrac - exp10 : 0;
	short groups[32];
	int ndig = 0;
	long gmax = 0, gmin = 0;
	if (lead < n) {
		gmax = high >= 0 ? high / 4 : -((3 - high) / 4);
		gmin = low >= 0 ? low / 4 : -((3 - low) / 4);
		ndig = (int)(gmax - gmin + 1);
		if (ndig > (int)(sizeof groups / sizeof groups[0]))
			return -1;
		memset(groups, 0, sizeof groups);
		for (int i = lead; i < n; i++) {
			long p = low + (n - 1 - i), g = p >= 0 ? p / 4 : -((3 - p) / 4);
			static const short unit[] = {1, 10, 100, 1000};
			groups[gmax - g] = (short)(groups[gmax - g] + dig[i] * unit[p - 4 * g]);
		}
	}
	char head[8];
	put_be(head, (uint64_t)ndig, 2);
	put_be(head + 2, (uint64_t)(ndig ? gmax : 0), 2);
	put_be(head + 4, ndig && neg ? 0x4000 : 0, 2);
	put_be(head + 6, (uint64_t)dscale, 2);
	char len[4];
	put_be(len, 8 + 2 * (uint64_t)ndig, 4);
	buf_append(b, len, 4);
	buf_append(b, head, 8);
	for (int i = 0; i < ndig; i++) {
		char d[2];
		put_be(d, (uint64_t)groups[i], 2);
		buf_append(b, d, 2);
	}
	return 0;
}

/* Days from 2000-01-01 to the date s "YYYY-MM-DD" (PostgreSQL's date2j);
** -1 for a year before 1 (date_in refuses year 0). */
static int days_of(const char *s, long long *days)
{
	long long y = digits_of(s, 4), m = digits_of(s + 5, 2), d = digits_of(s + 8, 2);
	if (y < 1 || m < 1 || d < 1 || s[4] != '-' || s[7] != '-' || !date_ok(s))
		return -1;
	if (m > 2)
		m += 1, y += 4800;
	else
		m += 13, y += 4799;
	long long century = y / 100;
	*days = y * 365 - 32167 + y / 4 - century + century / 4 + 7834 * m / 256 + d - 2451545;
	return 0;
}

/* timestamp from "YYYY-MM-DD HH:MM:SS[.ffffff]" (µs since 2000-01-01 of
** that wall time); timestamptz from the same followed by "+08" (that
** instant, as UTC). Other forms go by text. */
static int bin_time(const struct xcol *c, const char *s, struct buf *b)
{
	long long days, h, mi, sec, frac = 0;
	size_t n = strlen(s);
	if (n < 10 || days_of(s, &days))
		return -1;
	if (c->toid == OID_DATE) {
		if (n != 10)
			return -1;
		bin_int(b, (uint64_t)days, 4);
		return 0;
	}
	int tz = c->toid == OID_TIMESTAMPTZ;
	if (tz && (n < 22 || strcmp(s + n - 3, "+08") != 0))
		return -1;
	n -= tz ? 3 : 0;
	h = digits_of(s + 11, 2);
	mi = digits_of(s + 14, 2);
	sec = digits_of(s + 17, 2);
	if (n < 19 || s[10] != ' ' || s[13] != ':' || s[16] != ':' || h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 ||
	    sec > 59)
		return -1;
	if (n > 19) {                      /* ".f" to ".ffffff" */
		int k = (int)n - 20;
		if (s[19] != '.' || k < 1 || k > 6 || (frac = digits_of(s + 20, k)) < 0)
			return -1;
		for (; k < 6; k++)
			frac *= 10;
	}
	long long us = ((days * 24 + h) * 60 + mi) * 60 + sec;
	us = us * 1000000 + frac - (tz ? 8LL * 3600 * 1000000 : 0);
	bin_int(b, (uint64_t)us, 8);
	return 0;
}

int xmap_bin_field(const struct xcol *c, const char *text, struct buf *b)
{
	if (!text) {
		buf_append(b, "\377\377\377\377", 4);
		return 0;
	}
	switch (c->toid) {
	case OID_INT2:
	case OID_INT4:
	case OID_INT8:
		return bin_integer(c, text, b);
	case OID_FLOAT4:
	case OID_FLOAT8:
		return bin_float(c, text, b);
	case OID_NUMERIC:
		return bin_numeric(text, b);
	case OID_BOOL:
		if ((text[0] != '0' && text[0] != '1') || text[1])
			return -1;
		bin_put(b, text[0] == '1' ? "\1" : "\0", 1);
		return 0;
	case OID_DATE:
	case OID_TIMESTAMP:
	case OID_TIMESTAMPTZ:
		return bin_time(c, text, b);
	case OID_TEXT:
	case OID_VARCHAR:
	case OID_BPCHAR:
		bin_put(b, text, strlen(text));
		return 0;
	default:
		return -1;
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
	if (c->kind == PK_BOOL) {
		size_t i;
		const json_t *v;
		int ok = c->type == XT_CODE && json_array_size(c->codes) > 0;
		json_array_foreach(c->codes, i, v) ok = ok && json_is_integer(v) && (json_integer_value(v) >> 1) == 0;
		return ok ? -1 : (snprintf(why, cap, "%s 列只能存放代码 0/1", c->tdesc), 1);
	}
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
	if (t->has_lsh && !t->key_indexed)
		problem(problems, "DFSJZJ", 0, errors, warnings, "%s 的 DFSJZJ 列没有索引：行以 INSERT 逐批上报，"
			"比 COPY 慢（可请省方在 DFSJZJ 上建索引）", t->table);
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
