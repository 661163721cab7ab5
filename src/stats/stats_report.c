/*
** stats_report.c: a report as JSON, CSV and a terminal table (see
** stats_report.h; XLSX is stats_xlsx.c). Values come from stats_values();
** this file only arranges and formats them.
*/
#include "stats/stats_report.h"
#include "base/csv.h"
#include "base/clock.h"
#include "calendar/cal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void stats_report_init(struct stats_report *r)
{
	memset(r, 0, sizeof *r);
	snprintf(r->scope, sizeof r->scope, "全市");
	stats_counts_zero(&r->prev_total);
	stats_counts_zero(&r->ly_total);
}

void stats_report_free(struct stats_report *r)
{
	for (size_t i = 0; i < r->nsections; i++) {
		free(r->sections[i].rows);
		r->sections[i].rows = NULL;
		r->sections[i].nrows = 0;
	}
	r->nsections = 0;
}

void stats_format_value(int kind, double v, char *buf, size_t n)
{
	if (stats_is_null(v)) {
		snprintf(buf, n, "%s", "");
		return;
	}
	switch (kind) {
	case SV_RATE: snprintf(buf, n, "%.1f%%", v * 100.0); break;
	case SV_DAYS: snprintf(buf, n, "%.1f", v); break;
	case SV_RATIO: snprintf(buf, n, "%.2f", v); break;
	default: snprintf(buf, n, "%.0f", v); break;
	}
}

/* ---- JSON ------------------------------------------------------------------ */

static json_t *num(int kind, double v)
{
	if (stats_is_null(v))
		return json_null();
	if (kind == SV_COUNT)
		return json_integer((json_int_t)v);
	return json_real(v);
}

static json_t *period_json(const struct stats_period *p)
{
	char a[CAL_DATE_LEN], b[CAL_DATE_LEN], label[96];
	cal_date_format(p->from, a);
	cal_date_format(p->to, b);
	stats_period_label(p, label, sizeof label);
	return json_pack("{s:s,s:s,s:s,s:s,s:b}", "kind", stats_period_kind_name(p->kind), "from", a,
			 "to", b, "label", label, "partial", p->partial);
}

/* Every column of c into obj. */
static void values_into(json_t *obj, const struct stats_counts *c)
{
	size_t nc = stats_column_count();
	double v[nc];
	stats_values(c, v);
	for (size_t i = 0; i < nc; i++)
		json_object_set_new(obj, stats_column(i)->key, num(stats_column(i)->kind, v[i]));
}

static json_t *row_json(const struct stats_row *row)
{
	json_t *o = json_pack("{s:s,s:s}", "key", row->key, "name", row->name);
	values_into(o, &row->c);
	return o;
}

/* Changes from base to cur per column: relative for counts and days,
** a difference for rates. */
static json_t *change_json(const struct stats_counts *cur, const struct stats_counts *base)
{
	size_t nc = stats_column_count();
	double a[nc], b[nc];
	stats_values(cur, a);
	stats_values(base, b);
	json_t *o = json_object();
	for (size_t i = 0; i < nc; i++) {
		int kind = stats_column(i)->kind;
		double d = kind == SV_RATE ? stats_diff(a[i], b[i]) : stats_change(a[i], b[i]);
		json_object_set_new(o, stats_column(i)->key, num(SV_RATIO, d));
	}
	return o;
}

static json_t *flows_json(const struct stats_report *r)
{
	json_t *arr = json_array();
	for (size_t i = 0; i < r->nflows; i++) {
		const struct stats_flow_row *f = &r->flows[i];
		double avg, within;
		stats_flow_values(f, &avg, &within);
		json_t *o = json_pack("{s:i,s:s,s:I,s:I}", "flow_type", f->flow_type, "name",
				      stats_flow_type_name(f->flow_type), "projects", (json_int_t)f->projects,
				      "within", (json_int_t)f->within);
		json_object_set_new(o, "target", f->target ? json_integer(f->target) : json_null());
		json_object_set_new(o, "within_rate", num(SV_RATE, within));
		json_object_set_new(o, "avg_elapsed", num(SV_DAYS, avg));
		json_object_set_new(o, "p90_elapsed", num(SV_COUNT, f->elapsed_p90 < 0 ? STATS_NULL
							  : (double)f->elapsed_p90));
		json_object_set_new(o, "max_elapsed", num(SV_COUNT, f->elapsed_max < 0 ? STATS_NULL
							  : (double)f->elapsed_max));
		json_array_append_new(arr, o);
	}
	return arr;
}

json_t *stats_report_json(const struct stats_report *r)
{
	char iso[32];
	json_t *cols = json_array(), *secs = json_array();
	static const char *const kinds[] = {"count", "rate", "days", "ratio"};
	for (size_t i = 0; i < stats_column_count(); i++)
		json_array_append_new(cols, json_pack("{s:s,s:s,s:s}", "key", stats_column(i)->key, "name",
						      stats_column(i)->name, "kind",
						      kinds[stats_column(i)->kind]));
	for (size_t s = 0; s < r->nsections; s++) {
		const struct stats_section *sec = &r->sections[s];
		json_t *rows = json_array();
		for (size_t i = 0; i < sec->nrows; i++)
			json_array_append_new(rows, row_json(&sec->rows[i]));
		json_array_append_new(secs, json_pack("{s:s,s:s,s:o,s:o}", "group", stats_group_name(sec->group),
						      "group_name", stats_group_label(sec->group), "rows", rows,
						      "total", row_json(&sec->total)));
	}
	json_t *compare = json_object();
	json_t *prev = json_object(), *ly = json_object();
	values_into(prev, &r->prev_total);
	values_into(ly, &r->ly_total);
	json_object_set_new(compare, "previous", prev);
	json_object_set_new(compare, "last_year", ly);
	if (r->nsections) {
		json_object_set_new(compare, "mom", change_json(&r->sections[0].total.c, &r->prev_total));
		json_object_set_new(compare, "yoy", change_json(&r->sections[0].total.c, &r->ly_total));
	}
	return json_pack("{s:o,s:o,s:o,s:s,s:s?,s:s,s:o,s:o,s:o,s:o}",
			 "period", period_json(&r->period), "previous", period_json(&r->previous),
			 "last_year", period_json(&r->last_year), "scope", r->scope,
			 "department", r->scope_department[0] ? r->scope_department : NULL,
			 "generated_at", clock_cn_iso(r->generated_at, iso), "columns", cols,
			 "sections", secs, "compare", compare, "projects", flows_json(r));
}

/* ---- CSV ------------------------------------------------------------------- */

static void csv_row(struct buf *b, const struct stats_row *row)
{
	size_t nc = stats_column_count();
	double v[nc];
	char cell[48];
	stats_values(&row->c, v);
	csv_cell(b, row->key, 1);
	buf_puts(b, ",");
	csv_cell(b, row->name, 1);
	for (size_t i = 0; i < nc; i++) {
		stats_format_value(stats_column(i)->kind, v[i], cell, sizeof cell);
		buf_puts(b, ",");
		csv_cell(b, cell, 0);
	}
	buf_puts(b, "\r\n");
}

void stats_report_csv(const struct stats_report *r, size_t si, struct buf *out)
{
	buf_puts(out, "\xEF\xBB\xBF");
	if (si >= r->nsections)
		return;
	const struct stats_section *sec = &r->sections[si];
	buf_printf(out, "%s代码,%s", stats_group_label(sec->group), stats_group_label(sec->group));
	for (size_t i = 0; i < stats_column_count(); i++) {
		buf_puts(out, ",");
		csv_cell(out, stats_column(i)->name, 1);
	}
	buf_puts(out, "\r\n");
	for (size_t i = 0; i < sec->nrows; i++)
		csv_row(out, &sec->rows[i]);
	csv_row(out, &sec->total);
}

/* ---- terminal table ----------------------------------------------------------- */

/* Display width of UTF-8 text: East Asian wide characters count 2. */
static int text_width(const char *s)
{
	int w = 0;
	for (const unsigned char *p = (const unsigned char *)s; *p;) {
		unsigned cp;
		int len;
		if (*p < 0x80) { cp = *p; len = 1; }
		else if ((*p & 0xE0) == 0xC0) { cp = *p & 0x1F; len = 2; }
		else if ((*p & 0xF0) == 0xE0) { cp = *p & 0x0F; len = 3; }
		else { cp = *p & 0x07; len = 4; }
		for (int i = 1; i < len; i++)
			cp = p[i] ? (cp << 6) | (p[i] & 0x3F) : cp;
		for (int i = 0; i < len && *p; i++)
			p++;
		w += (cp >= 0x1100 && (cp <= 0x115F || (cp >= 0x2E80 && cp <= 0xA4CF) ||
				       (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
				       (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
				       (cp >= 0xFFE0 && cp <= 0xFFE6) || cp >= 0x20000)) ? 2 : 1;
	}
	return w;
}

/* s padded to width w (left or right aligned). */
static void pad(struct buf *b, const char *s, int w, int right)
{
	int fill = w - text_width(s);
	if (right)
		for (int i = 0; i < fill; i++)
			buf_puts(b, " ");
	buf_puts(b, s);
	if (!right)
		for (int i = 0; i < fill; i++)
			buf_puts(b, " ");
}

#define TABLE_MAX_COLS 32

static void table_line(struct buf *b, const struct stats_row *row, const int *cols, size_t ncols,
		       const int *width, int name_w)
{
	double v[stats_column_count()];
	char cell[48];
	stats_values(&row->c, v);
	pad(b, row->name, name_w, 0);
	for (size_t i = 0; i < ncols; i++) {
		stats_format_value(stats_column(cols[i])->kind, v[cols[i]], cell, sizeof cell);
		buf_puts(b, "  ");
		pad(b, cell[0] ? cell : "-", width[i], 1);
	}
	buf_puts(b, "\n");
}

static void table_compare(const struct stats_report *r, const struct stats_counts *cur, struct buf *out)
{
	static const char *const keys[] = {"received", "accepted", "concluded", "ontime_rate", "avg_wd_used"};
	size_t nc = stats_column_count();
	double a[nc], p[nc], y[nc];
	char plabel[96], ylabel[96], x[48], d1[48], d2[48];
	stats_values(cur, a);
	stats_values(&r->prev_total, p);
	stats_values(&r->ly_total, y);
	stats_period_label(&r->previous, plabel, sizeof plabel);
	stats_period_label(&r->last_year, ylabel, sizeof ylabel);
	buf_printf(out, "\n环比 (上期 %s) / 同比 (上年同期 %s):\n", plabel, ylabel);
	for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
		int i = stats_column_find(keys[k]);
		int kind = stats_column(i)->kind;
		double mom = kind == SV_RATE ? stats_diff(a[i], p[i]) : stats_change(a[i], p[i]);
		double yoy = kind == SV_RATE ? stats_diff(a[i], y[i]) : stats_change(a[i], y[i]);
		stats_format_value(kind, a[i], x, sizeof x);
		stats_format_value(SV_RATE, mom, d1, sizeof d1);
		stats_format_value(SV_RATE, yoy, d2, sizeof d2);
		buf_printf(out, "  %s %s  环比 %s%s  同比 %s%s\n", stats_column(i)->name, x[0] ? x : "-",
			   d1[0] ? d1 : "-", kind == SV_RATE && d1[0] ? "(百分点)" : "",
			   d2[0] ? d2 : "-", kind == SV_RATE && d2[0] ? "(百分点)" : "");
	}
}

void stats_report_table(const struct stats_report *r, size_t si, struct buf *out)
{
	char label[96];
	stats_period_label(&r->period, label, sizeof label);
	if (si >= r->nsections)
		return;
	const struct stats_section *sec = &r->sections[si];
	buf_printf(out, "统计周期: %s  范围: %s  分组: %s\n\n", label, r->scope, stats_group_label(sec->group));
	int cols[TABLE_MAX_COLS], width[TABLE_MAX_COLS];
	size_t ncols = 0;
	for (size_t i = 0; i < stats_column_count() && ncols < TABLE_MAX_COLS; i++)
		if (stats_column(i)->brief) {
			cols[ncols] = (int)i;
			width[ncols] = text_width(stats_column(i)->name);
			if (width[ncols] < 8)
				width[ncols] = 8;
			ncols++;
		}
	int name_w = text_width(stats_group_label(sec->group));
	for (size_t i = 0; i < sec->nrows; i++)
		if (text_width(sec->rows[i].name) > name_w)
			name_w = text_width(sec->rows[i].name);
	if (name_w < 4)
		name_w = 4;
	pad(out, stats_group_label(sec->group), name_w, 0);
	for (size_t i = 0; i < ncols; i++) {
		buf_puts(out, "  ");
		pad(out, stats_column(cols[i])->name, width[i], 1);
	}
	buf_puts(out, "\n");
	for (size_t i = 0; i < sec->nrows; i++)
		table_line(out, &sec->rows[i], cols, ncols, width, name_w);
	table_line(out, &sec->total, cols, ncols, width, name_w);
	table_compare(r, &sec->total.c, out);
}
