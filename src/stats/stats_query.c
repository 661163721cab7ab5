/*
** stats_query.c: period reports and the dashboard overview (see
** stats_query.h). Sections: scope, building a section (rollup sums, the
** histogram, joint acceptances, names), the report (whole projects:
** stats_projects.c), the overview.
*/
#include "stats/stats_query.h"
#include "stats/stats_projects.h"
#include "base/clock.h"
#include "store/store_stats.h"

#include <stdlib.h>
#include <string.h>

int stats_scope_of(const struct principal *who, struct stats_scope *scope, struct err *e)
{
	scope->department = scope->district = NULL;
	if (rbac_city_wide(who))
		return 0;
	if (who->department[0])
		scope->department = who->department;
	else if (who->district[0])
		scope->district = who->district;
	else
		return err_set(e, ERR_FORBIDDEN, "", "账号未关联部门或区县，无统计范围 (no data scope)");
	return 0;
}

/* The range of p: whole months from the month rollups unless days_only. */
static struct stats_range range_of(const struct stats_period *p, const struct stats_scope *sc, int days_only)
{
	struct stats_range r = {.from = p->from, .to = p->to, .department = sc->department, .district = sc->district};
	stats_period_months(p->from, p->to, &r.head_to, &r.month_from, &r.month_to, &r.tail_from);
	if (days_only) {
		r.head_to = p->to;
		r.month_from = 1;
		r.month_to = 0;
		r.tail_from = p->to + 1;
	}
	return r;
}

/* ---- one section ------------------------------------------------------------------ */

/* A histogram: n by working days used (index). */
struct wdhist {
	int64_t *n;
	size_t len;
};

struct rows {
	struct stats_row *v;
	struct wdhist *h;             /* each row's histogram, parallel to v */
	size_t n, cap;
	int group;
	size_t cursor;
	struct wdhist all;            /* every row's (the totals')           */
};

static void rows_free(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->h[i].n);
	free(r->h);
	free(r->all.n);
}

/* Add n at wd; -1 when out of memory or wd is not a day count. */
static int wd_add(struct wdhist *h, int64_t wd, int64_t n)
{
	if (wd < 0 || wd > 1000000)
		return -1;
	if ((size_t)wd >= h->len) {
		size_t len = (size_t)wd + 32;
		int64_t *v = realloc(h->n, len * sizeof *v);
		if (!v)
			return -1;
		memset(v + h->len, 0, (len - h->len) * sizeof *v);
		h->n = v;
		h->len = len;
	}
	h->n[wd] += n;
	return 0;
}

/* Feed h to c in ascending order (P90, longest, shortest). */
static void wd_feed(const struct wdhist *h, struct stats_counts *c)
{
	for (size_t wd = 0; wd < h->len; wd++)
		if (h->n[wd])
			stats_hist_feed(c, (int64_t)wd, h->n[wd]);
}

static struct stats_row *row_add(struct rows *r, const char *key)
{
	if (r->n == r->cap) {
		size_t cap = r->cap ? 2 * r->cap : 32;
		struct stats_row *v = realloc(r->v, cap * sizeof *v);
		if (!v)
			return NULL;
		r->v = v;
		struct wdhist *h = realloc(r->h, cap * sizeof *h);
		if (!h)
			return NULL;
		r->h = h;
		r->cap = cap;
	}
	memset(&r->h[r->n], 0, sizeof r->h[0]);
	struct stats_row *row = &r->v[r->n++];
	memset(row, 0, sizeof *row);
	snprintf(row->key, sizeof row->key, "%s", key);
	stats_counts_zero(&row->c);
	return row;
}

/* The row of key (keys arrive mostly in row order: start at the cursor). */
static struct stats_row *row_find(struct rows *r, const char *key)
{
	for (size_t k = 0; k < r->n; k++) {
		size_t i = (r->cursor + k) % r->n;
		if (strcmp(r->v[i].key, key) == 0) {
			r->cursor = i;
			return &r->v[i];
		}
	}
	return NULL;
}

/* A rollup row of key: added to its report row (the store does not sum). */
static int on_sum(void *arg, const char *key, const int64_t *v)
{
	struct stats_row *row = row_find(arg, key);
	if (!row && !(row = row_add(arg, key)))
		return 1;            /* reported by the caller */
	for (int i = 0; i < SC_COUNT; i++)
		row->c.n[i] += v[i];
	return 0;
}

/* A histogram row of key: into its row's histogram and the totals'. */
static int on_hist(void *arg, const char *key, int64_t wd, int64_t n)
{
	struct rows *r = arg;
	struct stats_row *row = row_find(r, key);
	if (row && wd_add(&r->h[row - r->v], wd, n))
		return 1;
	return wd_add(&r->all, wd, n) ? 1 : 0;
}

/* Every row's histogram-derived values, once its counts are summed. */
static void feed_rows(struct rows *r)
{
	for (size_t i = 0; i < r->n; i++)
		wd_feed(&r->h[i], &r->v[i].c);
}

/* The totals of a grouping's rows: every 办件 counts in exactly one row of
** each grouping, so the rows' counts add up to the totals and their
** histograms merge into the totals' (P90, longest, shortest). */
static void totals_of(const struct rows *r, struct stats_counts *c)
{
	stats_counts_zero(c);
	for (size_t i = 0; i < r->n; i++)
		stats_counts_add(c, &r->v[i].c);
	wd_feed(&r->all, c);
}

static int on_joint(void *arg, const char *key, int64_t joint, int64_t passed)
{
	struct rows *r = arg;
	struct stats_row *row = row_find(r, key);
	if (!row && !(row = row_add(r, key)))
		return 1;            /* reported by the caller */
	row->c.n[SC_JOINT] += joint;
	row->c.n[SC_JOINT_PASSED] += passed;
	return 0;
}

static void sort_rows(struct rows *r)
{
	/* keys of stages and flow types are numbers: compare them as such */
	int numeric = r->group == SG_STAGE || r->group == SG_FLOW_TYPE;
	for (size_t i = 1; i < r->n; i++) {          /* insertion sort: rows are few and nearly sorted */
		struct stats_row t = r->v[i];
		size_t j = i;
		while (j > 0 && (numeric ? atoi(r->v[j - 1].key) > atoi(t.key) : strcmp(r->v[j - 1].key, t.key) > 0)) {
			r->v[j] = r->v[j - 1];
			j--;
		}
		r->v[j] = t;
	}
}

static int name_rows(struct store *st, struct rows *r, struct err *e)
{
	for (size_t i = 0; i < r->n; i++) {
		struct stats_row *row = &r->v[i];
		if (r->group == SG_STAGE)
			snprintf(row->name, sizeof row->name, "%s", stats_stage_name(atoi(row->key)));
		else if (r->group == SG_FLOW_TYPE)
			snprintf(row->name, sizeof row->name, "%s", stats_flow_type_name(atoi(row->key)));
		else if (store_stats_name(st, r->group, row->key, row->name, sizeof row->name, e))
			return e->code;
		if (!row->name[0])
			snprintf(row->name, sizeof row->name, "%s", row->key);
	}
	return 0;
}

/* Counts of the whole range (one row, key ""), histogram and joint included. */
static int totals(struct store *st, const struct stats_range *rg, struct stats_counts *c, struct err *e)
{
	struct rows r = {.group = SG_COUNT};
	int rc = store_stats_sums(st, rg, SG_COUNT, on_sum, &r, e);
	if (!rc)
		rc = store_stats_hist(st, rg, SG_COUNT, on_hist, &r, e);
	if (!rc)
		rc = store_stats_joint(st, rg, SG_COUNT, on_joint, &r, e);
	if (!rc) {
		stats_counts_zero(c);
		if (r.n == 1)
			*c = r.v[0].c;
		wd_feed(&r.all, c);
	}
	rows_free(&r);
	free(r.v);
	return rc < 0 ? rc : rc ? err_set(e, ERR_INTERNAL, "", "statistics: out of memory or a bad histogram") : 0;
}

/* One grouping's rows and, when total is NULL, the totals row from them;
** else the totals row is *total (the same for every grouping: each 办件
** counts in exactly one row of each). */
static int section(struct store *st, const struct stats_range *rg, int g, const struct stats_counts *total,
		   struct stats_section *out, struct err *e)
{
	struct rows r = {.group = g};
	int rc = store_stats_sums(st, rg, g, on_sum, &r, e);
	if (!rc)
		rc = store_stats_hist(st, rg, g, on_hist, &r, e);
	if (!rc)
		rc = store_stats_joint(st, rg, g, on_joint, &r, e);
	if (!rc)
		rc = name_rows(st, &r, e);
	if (!rc)
		feed_rows(&r);
	if (!rc && total)
		out->total.c = *total;
	else if (!rc)
		totals_of(&r, &out->total.c);
	rows_free(&r);
	if (rc) {
		free(r.v);
		return rc < 0 ? rc : err_set(e, ERR_INTERNAL, "", "statistics: out of memory or a bad histogram");
	}
	sort_rows(&r);
	out->group = g;
	out->rows = r.v;
	out->nrows = r.n;
	snprintf(out->total.name, sizeof out->total.name, "合计");
	return 0;
}

/* ---- the report ------------------------------------------------------------------------ */

static int scope_name(struct store *st, const struct stats_scope *sc, char *out, size_t n, struct err *e)
{
	if (sc->department)
		return store_stats_name(st, SG_DEPARTMENT, sc->department, out, n, e);
	if (sc->district)
		return store_stats_name(st, SG_DISTRICT, sc->district, out, n, e);
	snprintf(out, n, "全市");
	return 0;
}

int stats_report_build(struct store *st, const struct case_env *env, const struct stats_request *q,
		       struct stats_report *r, struct err *e)
{
	stats_report_init(r);
	r->period = q->period;
	r->generated_at = q->now;
	stats_period_previous(&q->period, &r->previous);
	stats_period_last_year(&q->period, &r->last_year);
	snprintf(r->scope_department, sizeof r->scope_department, "%s",
		 q->scope.department ? q->scope.department : "");
	struct stats_range cur = range_of(&r->period, &q->scope, q->days_only);
	struct stats_range prev = range_of(&r->previous, &q->scope, q->days_only);
	struct stats_range ly = range_of(&r->last_year, &q->scope, q->days_only);
	struct stats_counts total;
	int rc = scope_name(st, &q->scope, r->scope, sizeof r->scope, e);
	/* the totals: from the first section's rows, or on their own */
	if (!rc && q->ngroups < 1)
		rc = totals(st, &cur, &total, e);
	for (int i = 0; !rc && i < q->ngroups && i < STATS_MAX_SECTIONS; i++) {
		rc = section(st, &cur, q->groups[i], i ? &total : NULL, &r->sections[r->nsections], e);
		if (!rc && !i)
			total = r->sections[0].total.c;
		if (!rc)
			r->nsections++;
	}
	if (!rc)
		rc = totals(st, &prev, &r->prev_total, e);
	/* a year to date compares with the same stretch both ways */
	if (!rc && ly.from == prev.from && ly.to == prev.to)
		r->ly_total = r->prev_total;
	else if (!rc)
		rc = totals(st, &ly, &r->ly_total, e);
	int nflows = 0;
	if (!rc)
		rc = stats_projects_rows(st, env, &cur, q->now, r->flows, &nflows, e);
	r->nflows = (size_t)nflows;
	if (rc)
		stats_report_free(r);
	return rc;
}

/* ---- the overview --------------------------------------------------------------------- */

enum { OV_TOTAL, OV_RUNNING, OV_GREEN, OV_YELLOW, OV_RED, OV_CONCLUDED, OV_UNACCEPTED, OV_N };
static const char *const ov_keys[OV_N] = {"total", "running", "green", "yellow", "red", "concluded", "unaccepted"};

#define OV_MAX 256

struct ov_bucket {
	char code[48];
	char district[16];            /* of a department bucket             */
	int64_t c[OV_N];
};

struct ov {
	struct ov_bucket all;
	struct ov_bucket dist[OV_MAX], dept[OV_MAX];
	int nd, np, last_d, last_p;
	int64_t status[CASE_STATUS_MAX + 1];
};

static struct ov_bucket *ov_bucket(struct ov_bucket *v, int *n, int *last, const char *code)
{
	if (*n && strcmp(v[*last].code, code) == 0)
		return &v[*last];
	for (int i = 0; i < *n; i++)
		if (strcmp(v[i].code, code) == 0)
			return &v[*last = i];
	if (*n == OV_MAX)
		return NULL;
	memset(&v[*n], 0, sizeof v[*n]);
	snprintf(v[*n].code, sizeof v[*n].code, "%s", code);
	return &v[*last = (*n)++];
}

/* Count one dashboard cell into every counter it belongs to. */
static int ov_cell(void *arg, const char *district, const char *department, int status, int light, int64_t n)
{
	struct ov *o = arg;
	struct ov_bucket *d = ov_bucket(o->dist, &o->nd, &o->last_d, district);
	struct ov_bucket *p = ov_bucket(o->dept, &o->np, &o->last_p, department);
	struct ov_bucket *t[3] = {&o->all, d, p};
	int running = case_status_class(status) == CASE_CLASS_RUNNING;
	if (!d || !p)
		return 1;   /* more buckets than OV_MAX: reported by the caller */
	if (!p->district[0])
		snprintf(p->district, sizeof p->district, "%s", district);
	for (int i = 0; i < 3; i++) {
		t[i]->c[OV_TOTAL] += n;
		t[i]->c[OV_RUNNING] += running ? n : 0;
		t[i]->c[OV_GREEN] += running && light == SL_GREEN ? n : 0;
		t[i]->c[OV_YELLOW] += running && light == SL_YELLOW ? n : 0;
		t[i]->c[OV_RED] += running && light == SL_RED ? n : 0;
		t[i]->c[OV_UNACCEPTED] += running && light == SL_NONE ? n : 0;
		t[i]->c[OV_CONCLUDED] += case_status_concluded(status) ? n : 0;
	}
	if (status >= 1 && status <= CASE_STATUS_MAX)
		o->status[status] += n;
	return 0;
}

static void ov_counts(json_t *obj, const struct ov_bucket *b)
{
	for (int k = 0; k < OV_N; k++)
		json_object_set_new(obj, ov_keys[k], json_integer(b->c[k]));
}

static json_t *ov_list(struct store *st, const struct ov_bucket *v, int n, int g, struct err *e)
{
	json_t *arr = json_array();
	char name[256];
	for (int i = 0; i < n; i++) {
		if (store_stats_name(st, g, v[i].code, name, sizeof name, e)) {
			json_decref(arr);
			return NULL;
		}
		json_t *o = json_pack("{s:s,s:s}", "code", v[i].code, "name", name[0] ? name : v[i].code);
		if (g == SG_DEPARTMENT)
			json_object_set_new(o, "district", json_string(v[i].district));
		ov_counts(o, &v[i]);
		json_array_append_new(arr, o);
	}
	return arr;
}

static int overview_of(struct store *st, const struct stats_scope *sc, int64_t now, const struct ov *o,
		       json_t **out, struct err *e)
{
	char iso[32], scope[160];
	json_t *dl = ov_list(st, o->dist, o->nd, SG_DISTRICT, e);
	json_t *pl = dl ? ov_list(st, o->dept, o->np, SG_DEPARTMENT, e) : NULL;
	if (!dl || !pl || scope_name(st, sc, scope, sizeof scope, e)) {
		json_decref(dl);
		json_decref(pl);
		return e->code ? e->code : ERR_INTERNAL;
	}
	json_t *status = json_array();
	for (int code = 1; code <= CASE_STATUS_MAX; code++)
		json_array_append_new(status, json_pack("{s:i,s:s,s:I}", "code", code, "name", case_status_name(code),
							"n", (json_int_t)o->status[code]));
	json_t *r = json_pack("{s:s}", "as_of", clock_cn_iso(now, iso));
	ov_counts(r, &o->all);
	json_object_set_new(r, "scope", json_string(scope));
	json_object_set_new(r, "department", sc->department ? json_string(sc->department) : json_null());
	json_object_set_new(r, "district", sc->district ? json_string(sc->district) : json_null());
	json_object_set_new(r, "status", status);
	json_object_set_new(r, "districts", dl);
	json_object_set_new(r, "departments", pl);
	*out = r;
	return 0;
}

/* Today's flow from the rollup: received, accepted, concluded, overdue_done. */
static int today_of(struct store *st, const struct stats_scope *sc, int64_t now, json_t *o, struct err *e)
{
	int32_t today = deadline_day(now);
	struct stats_period p = {SP_DAY, today, today, 0};
	struct stats_range rg = range_of(&p, sc, 0);
	struct rows r = {.group = SG_COUNT};
	struct stats_counts c;
	int rc = store_stats_sums(st, &rg, SG_COUNT, on_sum, &r, e);
	stats_counts_zero(&c);
	if (!rc && r.n == 1)
		c = r.v[0].c;
	if (!rc)
		json_object_set_new(o, "today", json_pack("{s:I,s:I,s:I,s:I}",
			"received", (json_int_t)c.n[SC_RECEIVED], "accepted", (json_int_t)c.n[SC_ACCEPTED],
			"concluded", (json_int_t)c.n[SC_CONCLUDED], "overdue_done", (json_int_t)c.n[SC_OVERDUE_DONE]));
	rows_free(&r);
	free(r.v);
	return rc < 0 ? rc : rc ? err_set(e, ERR_INTERNAL, "", "statistics: out of memory") : 0;
}

int stats_overview(struct store *st, const struct stats_scope *sc, int64_t now, json_t **out,
		   struct err *e)
{
	struct ov *o = calloc(1, sizeof *o);
	struct stats_meta m;
	json_t *r = NULL;
	char iso[32];
	int rc = o ? 0 : err_set(e, ERR_INTERNAL, "", "out of memory");
	if (!rc && (rc = store_stats_live(st, sc->department, sc->district, ov_cell, o, e)) > 0)
		rc = err_set(e, ERR_INTERNAL, "", "too many districts or departments");
	if (!rc)
		rc = overview_of(st, sc, now, o, &r, e);
	free(o);
	if (!rc)
		rc = today_of(st, sc, now, r, e);
	if (!rc)
		rc = store_stats_meta_get(st, &m, e);
	if (rc) {
		json_decref(r);
		return rc;
	}
	json_object_set_new(r, "lights_as_of", m.lights_at ? json_string(clock_cn_iso(m.lights_at, iso)) : json_null());
	*out = r;
	return 0;
}

int stats_overview_scan(struct store *st, const struct stats_scope *sc, int64_t now, json_t **out,
			struct err *e)
{
	struct ov *o = calloc(1, sizeof *o);
	int rc = o ? 0 : err_set(e, ERR_INTERNAL, "", "out of memory");
	if (!rc && (rc = store_stats_live_scan(st, sc->department, sc->district, deadline_day(now), ov_cell, o,
					       e)) > 0)
		rc = err_set(e, ERR_INTERNAL, "", "too many districts or departments");
	if (!rc)
		rc = overview_of(st, sc, now, o, out, e);
	free(o);
	return rc;
}
