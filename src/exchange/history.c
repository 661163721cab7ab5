/*
** history.c: reading a city's history back out of a front DB
** (exchange_history in exchange.h), for the importer. One SELECT per table
** over the columns a push would write, found by name; rows in LSH order, so
** the last row of each business key is the one that counts.
*/
#include "exchange/xchg_int.h"
#include "base/buf.h"
#include "base/clock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char *const wanted[] = {"project", "unit", "case", "status", "special", "document"};

/* The mapping's business key columns of t. */
static const json_t *key_of(const struct xmap *m, const struct xtable *t)
{
	size_t i;
	json_t *tab;
	json_array_foreach(json_object_get(m->doc, "tables"), i, tab)
		if (strcmp(json_string_value(json_object_get(tab, "table")), t->table) == 0)
			return json_object_get(tab, "key");
	return NULL;
}

/* What a column is read as: dates and times as Asia/Shanghai text. */
static void select_col(struct front *f, const struct xcol *c, struct buf *b)
{
	char *q = front_ident(f, c->tname);
	if (c->kind == PK_TIMESTAMPTZ)
		buf_printf(b, ", to_char(%s AT TIME ZONE 'Asia/Shanghai', 'YYYY-MM-DD HH24:MI:SS')", q);
	else if (c->kind == PK_TIMESTAMP || c->kind == PK_DATE)
		buf_printf(b, ", to_char(%s, '%s')", q, c->kind == PK_DATE ? "YYYY-MM-DD" : "YYYY-MM-DD HH24:MI:SS");
	else
		buf_printf(b, ", %s::text", q);
	free(q);
}

/* A front-DB text back into our value of the column's type. */
static json_t *ours(const struct xcol *c, const char *v)
{
	char date[11];
	int h = 0, mi = 0, s = 0;
	switch (c->type) {
	case XT_CODE:
		return json_integer(strtoll(v, NULL, 10));
	case XT_DECIMAL:
		return json_real(strtod(v, NULL));
	case XT_VERSION:
		return strchr(v, '.') ? json_string(v) : json_sprintf("%s.0", v);
	case XT_DATE:
		return json_stringn(v, strnlen(v, 10));
	case XT_TIMESTAMP:
		snprintf(date, sizeof date, "%.10s", v);
		if (strlen(v) > 11)
			sscanf(v + 11, "%d:%d:%d", &h, &mi, &s);
		return clock_cn_midnight(date) < 0 ? json_null()
						   : json_integer(clock_cn_midnight(date) + h * 3600 + mi * 60 + s);
	case XT_TEXT:
		break;
	}
	return json_string(v);
}

/* One result row as a record; *valid its SJYXBS; key the business key. */
static json_t *record(const struct xtable *t, const json_t *keycols, PGresult *r, int row, int *valid, struct buf *key)
{
	json_t *rec = json_object();
	int col = 1;
	size_t k;
	json_t *kc;
	*valid = 1;
	json_object_set_new(rec, "$table", json_string(t->table));
	json_object_set_new(rec, "$lsh", json_string(PQgetvalue(r, row, 0)));
	for (int i = 0; i < t->ncols; i++) {
		const struct xcol *c = &t->cols[i];
		if (!c->present)
			continue;
		const char *v = PQgetisnull(r, row, col) ? NULL : PQgetvalue(r, row, col);
		col++;
		if (strcmp(c->source, "$valid") == 0)
			*valid = v && atoi(v) == 1;
		else if (strcmp(c->source, "$dfsjzj") == 0)
			json_object_set_new(rec, "$dfsjzj", json_string(v ? v : ""));
		else if (c->source[0] != '$' && strcmp(c->source, "none") != 0)
			json_object_set_new(rec, c->source, v ? ours(c, v) : json_null());
		json_array_foreach(keycols, k, kc)
			if (strcasecmp(json_string_value(kc), c->name) == 0)
				buf_printf(key, "%s\x1f", v ? v : "");
	}
	return rec;
}

static int read_table(struct front *f, const struct xmap *m, const struct xtable *t, const char *xzqhdm,
		      exchange_row_fn each, void *arg, struct err *e)
{
	struct buf sql = {0};
	const json_t *keycols = key_of(m, t);
	const struct xcol *division = NULL;
	PGresult *r = NULL;
	char *tq = front_ident(f, t->tname), *lq = t->has_lsh ? front_ident(f, t->lsh_name) : NULL;
	buf_printf(&sql, "SELECT %s::text", lq ? lq : "''");
	for (int i = 0; i < t->ncols; i++) {
		if (t->cols[i].present)
			select_col(f, &t->cols[i], &sql);
		if (t->cols[i].present && strcmp(t->cols[i].source, "$xzqhdm") == 0)
			division = &t->cols[i];
	}
	buf_printf(&sql, " FROM %s", tq);
	if (division && xzqhdm && *xzqhdm) {
		char *dq = front_ident(f, division->tname);
		buf_printf(&sql, " WHERE %s = $1", dq);
		free(dq);
	}
	if (lq)
		buf_printf(&sql, " ORDER BY %s", lq);
	const char *params[1] = {xzqhdm};
	int rc = front_read(f, sql.data, division && xzqhdm && *xzqhdm ? 1 : 0, params, &r, e);
	json_t *latest = json_object();
	for (int i = 0; !rc && i < PQntuples(r); i++) {
		struct buf key = {0};
		int valid;
		json_t *rec = record(t, keycols, r, i, &valid, &key);
		json_object_del(latest, key.data ? key.data : "");
		json_object_set_new(latest, key.data ? key.data : "", valid ? rec : json_null());
		if (!valid)
			json_decref(rec);
		buf_free(&key);
	}
	const char *k;
	json_t *rec;
	json_object_foreach(latest, k, rec)
		if (!rc && json_is_object(rec))
			rc = each(arg, t->source, rec, e);
	json_decref(latest);
	PQclear(r);
	buf_free(&sql);
	free(tq);
	free(lq);
	return rc;
}

int exchange_history(const char *conninfo, const char *mapping, const char *xzqhdm, exchange_row_fn each, void *arg,
		     struct err *e)
{
	struct xmap *m = NULL;
	struct front *f = NULL;
	int rc = xmap_load(mapping && *mapping ? mapping : "spgl-2019", &m, e);
	if (!rc)
		rc = front_open(conninfo, &f, e);
	if (!rc)
		rc = front_discover(f, m, e);
	for (size_t w = 0; !rc && w < sizeof wanted / sizeof wanted[0]; w++) {
		struct xtable *t = xmap_table_of(m, wanted[w]);
		if (!t)
			continue;
		if (!t->present)
			rc = err_set(e, ERR_INVALID, "source", "前置库中没有表 %s (%s)", t->table, t->title);
		else
			rc = read_table(f, m, t, xzqhdm, each, arg, e);
	}
	front_close(f);
	xmap_free(m);
	return rc;
}
