/*
** stats_projects.c: whole projects in period reports, by month rollup where
** a month is marked and project by project elsewhere (see stats_projects.h).
** Sections: histograms, one month's recount, the report's rows, fill and
** check.
*/
#include "stats/stats_projects.h"
#include "calendar/cal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- histograms ----------------------------------------------------------------------- */

/* Projects by elapsed working days (index) of one district and flow type. */
struct pcell {
	char district[16];
	int flow_type;
	int64_t *n;
	size_t len;
};

struct pcells {
	struct pcell *v;
	size_t n, cap;
	const struct case_env *env;
	int64_t now;
	int by_district;              /* 1: a cell per district and one for '' */
	struct err *e;
};

static void pcells_free(struct pcells *c)
{
	for (size_t i = 0; i < c->n; i++)
		free(c->v[i].n);
	free(c->v);
}

static struct pcell *pcell_of(struct pcells *c, const char *district, int flow_type)
{
	for (size_t i = 0; i < c->n; i++)
		if (c->v[i].flow_type == flow_type && strcmp(c->v[i].district, district) == 0)
			return &c->v[i];
	if (c->n == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		struct pcell *v = realloc(c->v, cap * sizeof *v);
		if (!v)
			return NULL;
		c->v = v;
		c->cap = cap;
	}
	struct pcell *p = &c->v[c->n++];
	memset(p, 0, sizeof *p);
	snprintf(p->district, sizeof p->district, "%s", district);
	p->flow_type = flow_type;
	return p;
}

/* Add n projects of wd elapsed working days; 0, or ERR_INTERNAL in e. */
static int pcell_add(struct pcells *c, const char *district, int flow_type, int64_t wd, int64_t n)
{
	struct pcell *p = pcell_of(c, district, flow_type);
	if (!p || wd < 0 || wd > 1000000)
		return err_set(c->e, ERR_INTERNAL, "", "statistics: out of memory or a bad elapsed count");
	if ((size_t)wd >= p->len) {
		size_t len = (size_t)wd + 64;
		int64_t *v = realloc(p->n, len * sizeof *v);
		if (!v)
			return err_set(c->e, ERR_INTERNAL, "", "out of memory");
		memset(v + p->len, 0, (len - p->len) * sizeof *v);
		p->n = v;
		p->len = len;
	}
	p->n[wd] += n;
	return 0;
}

/* A finished project: its elapsed working days by the project clock. */
static int on_project(void *arg, int flow_type, int64_t started, int64_t finished, const char *district)
{
	struct pcells *c = arg;
	struct deadline_span sp;
	if (case_project_span(c->env, flow_type, started, finished, c->now, &sp, c->e))
		return c->e->code;
	if (!c->by_district)
		return pcell_add(c, "", flow_type, sp.elapsed, 1);
	if (pcell_add(c, district, flow_type, sp.elapsed, 1))
		return c->e->code;
	return pcell_add(c, "", flow_type, sp.elapsed, 1);
}

static int on_cell(void *arg, int32_t month, const char *district, int flow_type, int64_t wd, int64_t n)
{
	return pcell_add(arg, "", flow_type, wd, n);
}

/* ---- one month ------------------------------------------------------------------------ */

static int32_t month_last(int32_t month)
{
	int y, m;
	cal_date_ymd(month, &y, &m, NULL);
	return cal_date_from_ymd(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1) - 1;
}

static int32_t month_next(int32_t month)
{
	return month_last(month) + 1;
}

/* The projects finished in month, by district ('' too) and flow type. */
static int month_recount(struct store *st, struct pcells *c, int32_t month, struct err *e)
{
	struct stats_range r = {.from = month, .to = month_last(month)};
	int rc = store_stats_projects(st, &r, on_project, c, e);
	return rc < 0 ? rc : rc ? (e->code ? e->code : ERR_INTERNAL) : 0;
}

/* ---- the report's rows ------------------------------------------------------------------ */

/* The days [from, to] of rg project by project into c. */
static int read_days(struct store *st, const struct stats_range *rg, int32_t from, int32_t to, struct pcells *c,
		     struct err *e)
{
	struct stats_range piece = *rg;
	if (from > to)
		return 0;
	piece.from = from;
	piece.to = to;
	int rc = store_stats_projects(st, &piece, on_project, c, e);
	return rc < 0 ? rc : rc ? (e->code ? e->code : ERR_INTERNAL) : 0;
}

#define MAX_MONTHS 2400

/* The whole months of rg: marked ones from the rollup (not for a
** department's scope), the others project by project. */
static int read_months(struct store *st, const struct stats_range *rg, struct pcells *c, struct err *e)
{
	int32_t *done = NULL;            /* the marked months, ascending */
	int n = 0, rc = 0;
	if (rg->month_from > rg->month_to)
		return 0;
	if (!rg->department) {
		if (!(done = malloc(MAX_MONTHS * sizeof *done)))
			return err_set(e, ERR_INTERNAL, "", "out of memory");
		rc = store_stats_project_done(st, rg->month_from, rg->month_to, done, MAX_MONTHS, &n, e);
		if (!rc && n)
			rc = store_stats_project_months(st, rg->month_from, rg->month_to,
							rg->district ? rg->district : "", on_cell, c, e);
		if (rc > 0)
			rc = e->code ? e->code : ERR_INTERNAL;
	}
	/* the months not marked, consecutive ones in one read */
	int k = 0;
	for (int32_t m = rg->month_from, start = 0; !rc && m <= rg->month_to; m = month_next(m)) {
		int marked = k < n && done[k] == m;
		k += marked;
		if (!marked && !start)
			start = m;
		if (start && (marked || month_next(m) > rg->month_to)) {
			rc = read_days(st, rg, start, marked ? m - 1 : month_last(m), c, e);
			start = 0;
		}
	}
	free(done);
	return rc;
}

int stats_projects_rows(struct store *st, const struct case_env *env, const struct stats_range *rg, int64_t now,
			struct stats_flow_row *flows, int *n, struct err *e)
{
	struct pcells c = {.env = env, .now = now, .e = e};
	/* stats_period_months: an empty part has its bounds crossed */
	int rc = read_days(st, rg, rg->from, rg->head_to, &c, e);
	if (!rc)
		rc = read_months(st, rg, &c, e);
	if (!rc)
		rc = read_days(st, rg, rg->tail_from, rg->to, &c, e);
	*n = 0;
	for (int t = 1; !rc && t <= STATS_MAX_FLOWS; t++) {
		struct pcell *p = NULL;
		int64_t total = 0;
		for (size_t i = 0; i < c.n; i++)
			if (c.v[i].flow_type == t)
				p = &c.v[i];
		for (size_t wd = 0; p && wd < p->len; wd++)
			total += p->n[wd];
		if (!total && !stats_flow_type_target(t))
			continue;
		struct stats_flow_row *f = &flows[(*n)++];
		stats_flow_init(f, t, total);
		for (size_t wd = 0; p && wd < p->len; wd++)
			if (p->n[wd])
				stats_flow_feed(f, (int64_t)wd, p->n[wd]);
	}
	pcells_free(&c);
	return rc;
}

/* ---- fill and check -------------------------------------------------------------------- */

static int fill_month(struct store *st, const struct case_env *env, int32_t month, int64_t now, struct err *e)
{
	struct pcells c = {.env = env, .now = now, .by_district = 1, .e = e};
	int rc = store_stats_project_month_clear(st, month, e);
	if (!rc)
		rc = month_recount(st, &c, month, e);
	for (size_t i = 0; !rc && i < c.n; i++)
		for (size_t wd = 0; !rc && wd < c.v[i].len; wd++)
			if (c.v[i].n[wd])
				rc = store_stats_project_month_put(st, month, c.v[i].district, c.v[i].flow_type,
								   (int64_t)wd, c.v[i].n[wd], e);
	if (!rc)
		rc = store_stats_project_month_done(st, month, now, e);
	pcells_free(&c);
	return rc;
}

/* The months from the first finished project's to the one before now's:
** *from, *to (from > to when none). */
static int fill_span(struct store *st, int64_t now, int32_t *from, int32_t *to, struct err *e)
{
	int64_t first;
	int y, m;
	if (store_stats_project_first(st, &first, e))
		return e->code;
	cal_date_ymd(deadline_day(now), &y, &m, NULL);
	*to = cal_date_from_ymd(y, m, 1) - 1;
	if (!first) {
		*from = *to + 1;
		return 0;
	}
	cal_date_ymd(deadline_day(first), &y, &m, NULL);
	*from = cal_date_from_ymd(y, m, 1);
	return 0;
}

int stats_projects_fill(struct store *st, const struct case_env *env, int64_t now, int own_txn, int *filled,
			struct err *e)
{
	int32_t from = 1, to = 0, *done = malloc(MAX_MONTHS * sizeof *done);
	int n = 0, k = 0, count = 0;
	int rc = done ? fill_span(st, now, &from, &to, e) : err_set(e, ERR_INTERNAL, "", "out of memory");
	if (!rc)
		rc = store_stats_project_done(st, from, to, done, MAX_MONTHS, &n, e);
	for (int32_t m = from; !rc && m <= to; m = month_next(m)) {
		while (k < n && done[k] < m)
			k++;
		if (k < n && done[k] == m)
			continue;
		if (own_txn && store_begin(st, e)) {
			rc = e->code;
			break;
		}
		rc = fill_month(st, env, m, now, e);
		if (own_txn && rc)
			store_rollback(st);
		else if (own_txn)
			rc = store_commit(st, e);
		count += !rc;
	}
	free(done);
	if (filled)
		*filled = count;
	return rc;
}

int stats_projects_catch_up(struct store *st, const struct case_env *env, int64_t now, struct err *e)
{
	int y, m, n;
	int32_t last;
	cal_date_ymd(deadline_day(now), &y, &m, NULL);
	last = cal_date_from_ymd(m == 1 ? y - 1 : y, m == 1 ? 12 : m - 1, 1);
	if (store_stats_project_done(st, last, last, &last, 1, &n, e))
		return e->code;
	return n ? 0 : stats_projects_fill(st, env, now, 1, NULL, e);
}

struct cmp {
	struct pcells c;
	char *diff;
	size_t ndiff;
};

/* A kept cell against the recount (consumed: set to 0 when equal). */
static int on_kept(void *arg, int32_t month, const char *district, int flow_type, int64_t wd, int64_t n)
{
	struct cmp *x = arg;
	struct pcell *p = NULL;
	for (size_t i = 0; i < x->c.n && !p; i++)
		if (x->c.v[i].flow_type == flow_type && strcmp(x->c.v[i].district, district) == 0)
			p = &x->c.v[i];
	int64_t want = p && wd >= 0 && (size_t)wd < p->len ? p->n[wd] : 0;
	if (want == n) {
		if (want)
			p->n[wd] = 0;
		return 0;
	}
	int y, m;
	cal_date_ymd(month, &y, &m, NULL);
	snprintf(x->diff, x->ndiff, "stats_month_project %04d-%02d district '%s' flow type %d, %lld working days: "
		 "maintained %lld recount %lld", y, m, district, flow_type, (long long)wd, (long long)n,
		 (long long)want);
	return 1;
}

/* The first recounted cell no kept row matched. */
static void unseen(const struct cmp *x, int32_t month)
{
	int y, m;
	cal_date_ymd(month, &y, &m, NULL);
	for (size_t i = 0; i < x->c.n; i++)
		for (size_t wd = 0; wd < x->c.v[i].len; wd++)
			if (x->c.v[i].n[wd]) {
				snprintf(x->diff, x->ndiff, "stats_month_project %04d-%02d district '%s' flow type %d, "
					 "%zu working days: maintained 0 recount %lld", y, m, x->c.v[i].district,
					 x->c.v[i].flow_type, wd, (long long)x->c.v[i].n[wd]);
				return;
			}
}

int stats_projects_check(struct store *st, const struct case_env *env, int64_t now, char *diff, size_t n,
			 struct err *e)
{
	int32_t *done = malloc(MAX_MONTHS * sizeof *done);
	int nd = 0, rc = done ? 0 : err_set(e, ERR_INTERNAL, "", "out of memory");
	if (!rc)
		rc = store_stats_project_done(st, INT32_MIN, INT32_MAX, done, MAX_MONTHS, &nd, e);
	for (int i = 0; !rc && i < nd && !diff[0]; i++) {
		struct cmp x = {.c = {.env = env, .now = now, .by_district = 1, .e = e}, .diff = diff, .ndiff = n};
		rc = month_recount(st, &x.c, done[i], e);
		if (!rc && (rc = store_stats_project_months(st, done[i], done[i], NULL, on_kept, &x, e)) > 0)
			rc = 0;                    /* a difference: in diff */
		if (!rc && !diff[0])
			unseen(&x, done[i]);
		pcells_free(&x.c);
	}
	free(done);
	return rc;
}
