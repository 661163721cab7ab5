/*
** business.c: the figures of 营商环境 — 办理建筑许可 (business.h): per
** project, per flow type with medians, and the slowest projects stage by
** stage. Every working-day count goes through the calendar, the project's
** through the project clock.
*/
#include "business/business.h"
#include "approval/catalog_doc.h"
#include "base/clock.h"
#include "store/store_business.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define PAUSES 64

static int64_t ival(const json_t *o, const char *k)
{
	return json_integer_value(json_object_get(o, k));
}

static json_t *day_text(int64_t t)
{
	char d[16];
	return json_string(clock_cn_date(t, d));
}

static json_t *day_json(int32_t day)
{
	char d[CAL_DATE_LEN];
	cal_date_format(day, d);
	return json_string(d);
}

static double round2(double x)
{
	return floor(x * 100.0 + 0.5) / 100.0;
}

static const char *flow_type_name(int t)
{
	const char *n = catalog_flow_type_name(t);
	return n ? n : "其他";
}

/* A 办件 concluded (11 12 13) by the completion of 竣工验收. */
static int concluded(const json_t *c, int64_t finished)
{
	int s = (int)ival(c, "status");
	json_t *at = json_object_get(c, "final_at");
	return s >= 11 && s <= 13 && json_is_integer(at) && json_integer_value(at) <= finished;
}

struct tally {
	int procedures, unrecorded;
	int64_t fee;
};

static void tally_cases(const json_t *cases, int64_t finished, struct tally *t)
{
	size_t i;
	json_t *c;
	json_array_foreach(cases, i, c) {
		if (!concluded(c, finished))
			continue;
		t->procedures++;
		if (ival(c, "status") == 13)
			continue;   /* denied: nothing was issued, nothing charged */
		if (json_is_integer(json_object_get(c, "fee")))
			t->fee += ival(c, "fee");
		else
			t->unrecorded++;
	}
}

/* The figures of one project (p: a row of store_business_projects). */
static int project_row(struct store *st, const struct case_env *env, const json_t *p, int64_t now, json_t **out,
		       struct err *e)
{
	json_t *cases;
	struct tally t = {0};
	struct deadline_span sp;
	int ft = (int)ival(p, "flow_type"), target = case_project_target(ft);
	int64_t started = ival(p, "started_at"), finished = ival(p, "finished_at");
	if (store_business_cases(st, ival(p, "id"), &cases, e))
		return e->code;
	tally_cases(cases, finished, &t);
	json_decref(cases);
	if (case_project_span(env, ft, started, finished, now, &sp, e))
		return e->code;
	*out = json_pack("{s:I,s:O,s:O,s:i,s:s,s:O,s:o,s:o,s:i,s:i,s:i,s:I,s:f,s:i,s:o,s:o,s:o}", "id",
			 (json_int_t)ival(p, "id"), "code", json_object_get(p, "code"), "name", json_object_get(p, "name"),
			 "flow_type", ft, "flow_type_name", flow_type_name(ft), "division_name",
			 json_object_get(p, "division_name"), "first_applied", day_text(started), "completed",
			 day_text(finished), "procedures", t.procedures, "workdays", sp.elapsed, "natural_days",
			 (int)(deadline_day(finished) - deadline_day(started)), "fee_fen", (json_int_t)t.fee, "fee_yuan",
			 round2((double)t.fee / 100.0), "fee_unrecorded", t.unrecorded, "target",
			 target ? json_integer(target) : json_null(), "within",
			 target ? json_boolean(sp.on_time == 1) : json_null(), "over",
			 target ? json_integer(sp.elapsed - target) : json_null());
	return *out ? 0 : err_set(e, ERR_INTERNAL, "", "out of memory");
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* Median of v[0..n) (sorts v); null when n is 0. */
static json_t *median(double *v, size_t n)
{
	if (!n)
		return json_null();
	qsort(v, n, sizeof *v, cmp_double);
	return json_real(round2(n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2.0));
}

/* The row of flow type ft over projects (0: all of them). */
static json_t *flow_row(const json_t *projects, int ft)
{
	static const char *const keys[4] = {"procedures", "workdays", "natural_days", "fee_yuan"};
	size_t n = json_array_size(projects), k = 0, i;
	double *v = malloc(4 * (n ? n : 1) * sizeof *v);
	int within = 0, judged = 0, max = -1, target = ft ? case_project_target(ft) : 0;
	json_t *p;
	if (!v)
		return NULL;
	json_array_foreach(projects, i, p) {
		if (ft && ival(p, "flow_type") != ft)
			continue;
		for (int j = 0; j < 4; j++)
			v[j * n + k] = json_number_value(json_object_get(p, keys[j]));
		judged += !json_is_null(json_object_get(p, "within"));
		within += json_is_true(json_object_get(p, "within"));
		if (ival(p, "workdays") > max)
			max = (int)ival(p, "workdays");
		k++;
	}
	json_t *row = json_pack("{s:i,s:s,s:o,s:I,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "flow_type", ft, "flow_type_name",
				ft ? flow_type_name(ft) : "全部", "target", target ? json_integer(target) : json_null(),
				"projects", (json_int_t)k, "within", judged ? json_integer(within) : json_null(),
				"within_rate", judged ? json_real(round2(within * 100.0 / judged)) : json_null(),
				"median_procedures", median(v, k), "median_workdays", median(v + n, k),
				"median_natural_days", median(v + 2 * n, k), "median_fee_yuan", median(v + 3 * n, k),
				"max_workdays", max >= 0 ? json_integer(max) : json_null());
	free(v);
	return row;
}

static json_t *flow_rows(const json_t *projects)
{
	json_t *rows = json_array();
	for (int t = 1; t <= 10; t++) {
		size_t i;
		json_t *p;
		int any = 0;
		json_array_foreach(projects, i, p)
			any |= ival(p, "flow_type") == t;
		if (any)
			json_array_append_new(rows, flow_row(projects, t));
	}
	return rows;
}

/* ---- the slowest projects, stage by stage ------------------------------------------------- */

struct span {
	int64_t project;
	int32_t from, to;          /* the stage's first and last day         */
	int64_t finished;
};

/* Working days of the stage when a case's clock stood still: the union of
** its cases' pauses, clipped to the stage. */
static int stage_paused(struct store *st, const struct cal *cal, const struct span *s, int stage, int *out,
			struct err *e)
{
	struct cal_pause buf[PAUSES], *p = buf;
	size_t n;
	if (store_business_pauses(st, s->project, stage, buf, PAUSES, &n, e))
		return e->code;
	if (n > PAUSES) {
		size_t again;
		if (!(p = malloc(n * sizeof *p)))
			return err_set(e, ERR_INTERNAL, "", "out of memory");
		if (store_business_pauses(st, s->project, stage, p, n, &again, e)) {
			free(p);
			return e->code;
		}
		n = again < n ? again : n;
	}
	for (size_t k = 0; k < n; k++) {
		if (!p[k].end || p[k].end > s->to)
			p[k].end = s->to;
		if (p[k].start < s->from)
			p[k].start = s->from;
		if (p[k].end < p[k].start)
			p[k].end = p[k].start;
	}
	int rc = cal_paused_workdays(cal, s->from, p, n, out, e);
	if (p != buf)
		free(p);
	return rc;
}

/* The item of the stage concluded last relative to its receipt: name and working days. */
static int longest_item(const struct cal *cal, const json_t *cases, int stage, int64_t finished, json_t *row,
			struct err *e)
{
	size_t i;
	json_t *c;
	int best = -1, n = 0;
	const char *name = NULL;
	json_array_foreach(cases, i, c) {
		int wd;
		if (ival(c, "stage") != stage || !concluded(c, finished))
			continue;
		n++;
		if (cal_count_workdays(cal, deadline_day(ival(c, "received_at")), deadline_day(ival(c, "final_at")), &wd,
				       NULL, e))
			return e->code;
		if (wd > best) {
			best = wd;
			name = json_string_value(json_object_get(c, "item_name"));
		}
	}
	json_object_set_new(row, "items", json_integer(n));
	json_object_set_new(row, "longest_item", name ? json_string(name) : json_null());
	json_object_set_new(row, "longest_item_workdays", best >= 0 ? json_integer(best) : json_null());
	return 0;
}

/* One stage row of a slowest project; *prev is the day the previous main
** stage completed (the first application before stage 1) and moves on. */
static int stage_row(struct store *st, const struct cal *cal, const json_t *s, const json_t *cases, struct span *sp,
		     int32_t *prev, int total, json_t **out, struct err *e)
{
	int stage = (int)ival(s, "stage"), wait = 0, wd, paused;
	json_t *done = json_object_get(s, "completed_at");
	sp->from = deadline_day(ival(s, "started_at"));
	sp->to = json_is_integer(done) && json_integer_value(done) <= sp->finished ? deadline_day(json_integer_value(done))
									     : deadline_day(sp->finished);
	if (stage <= 4 && cal_count_workdays(cal, *prev, sp->from, &wait, NULL, e))
		return e->code;
	if (cal_count_workdays(cal, sp->from, sp->to, &wd, NULL, e) || stage_paused(st, cal, sp, stage, &paused, e))
		return e->code;
	*out = json_pack("{s:i,s:s,s:o,s:o,s:o,s:i,s:i,s:o}", "stage", stage, "stage_name",
			 catalog_stage_name(stage) ? catalog_stage_name(stage) : "", "started",
			 day_json(sp->from), "completed", day_json(sp->to),
			 "wait_workdays", stage <= 4 ? json_integer(wait) : json_null(), "workdays", wd,
			 "paused_workdays", paused, "share",
			 stage <= 4 && total > 0 ? json_real(round2((wait + wd) * 100.0 / total)) : json_null());
	if (stage <= 4)
		*prev = sp->to;
	return longest_item(cal, cases, stage, sp->finished, *out, e);
}

/* Where the time of project p (a store row; row its figures) went. */
static int breakdown(struct store *st, const struct cal *cal, const json_t *p, const json_t *row, json_t **out,
		     struct err *e)
{
	json_t *stages, *cases, *rows = json_array(), *s;
	struct span sp = {.project = ival(p, "id"), .finished = ival(p, "finished_at")};
	int32_t prev = deadline_day(ival(p, "started_at"));
	size_t i;
	int rc = store_business_stages(st, sp.project, &stages, e);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	if ((rc = store_business_cases(st, sp.project, &cases, e))) {
		json_decref(stages);
		json_decref(rows);
		return rc;
	}
	json_array_foreach(stages, i, s) {
		json_t *r = NULL;
		if (ival(s, "started_at") > sp.finished)
			continue;   /* applied for after 竣工验收: not part of the span */
		if ((rc = stage_row(st, cal, s, cases, &sp, &prev, (int)ival(row, "workdays"), &r, e))) {
			json_decref(r);
			break;
		}
		json_array_append_new(rows, r);
	}
	json_decref(stages);
	json_decref(cases);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	*out = json_pack("{s:O,s:O,s:O,s:O,s:O,s:O,s:o}", "id", json_object_get(row, "id"), "code",
			 json_object_get(row, "code"), "name", json_object_get(row, "name"), "flow_type_name",
			 json_object_get(row, "flow_type_name"), "workdays", json_object_get(row, "workdays"), "target",
			 json_object_get(row, "target"), "stages", rows);
	return 0;
}

struct ranked {
	const json_t *raw, *row;
};

/* Most working days first, then most natural days, then the lower id. */
static int slower(const void *a, const void *b)
{
	const json_t *x = ((const struct ranked *)a)->row, *y = ((const struct ranked *)b)->row;
	int64_t d = ival(y, "workdays") - ival(x, "workdays");
	if (!d)
		d = ival(y, "natural_days") - ival(x, "natural_days");
	if (!d)
		d = ival(x, "id") - ival(y, "id");
	return (d > 0) - (d < 0);
}

static int slowest(struct store *st, const struct cal *cal, const json_t *raw, const json_t *rows, json_t **out,
		   struct err *e)
{
	size_t n = json_array_size(rows);
	struct ranked *r = malloc((n ? n : 1) * sizeof *r);
	if (!r)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	for (size_t i = 0; i < n; i++)
		r[i] = (struct ranked){json_array_get(raw, i), json_array_get(rows, i)};
	qsort(r, n, sizeof *r, slower);
	*out = json_array();
	for (size_t i = 0; i < n && i < BIZ_SLOWEST; i++) {
		json_t *b;
		if (breakdown(st, cal, r[i].raw, r[i].row, &b, e)) {
			free(r);
			json_decref(*out);
			return e->code;
		}
		json_array_append_new(*out, b);
	}
	free(r);
	return 0;
}

int biz_figures(struct store *st, const struct case_env *env, int64_t from, int64_t to, int64_t now,
		json_t **figures, struct err *e)
{
	json_t *raw = NULL, *rows = json_array(), *slow = NULL;
	int began;
	if (store_case_read_begin(st, &began, e)) {
		json_decref(rows);
		return e->code;
	}
	int rc = store_business_projects(st, from, to, &raw, e);
	for (size_t i = 0; !rc && i < json_array_size(raw); i++) {
		json_t *row;
		if (!(rc = project_row(st, env, json_array_get(raw, i), now, &row, e)))
			json_array_append_new(rows, row);
	}
	if (!rc)
		rc = slowest(st, env->cal, raw, rows, &slow, e);
	store_case_read_end(st, began);
	json_decref(raw);
	if (rc) {
		json_decref(rows);
		return rc;
	}
	*figures = json_pack("{s:o,s:o,s:o,s:o}", "flow_types", flow_rows(rows), "all", flow_row(rows, 0), "slowest",
			     slow, "projects", rows);
	return *figures ? 0 : err_set(e, ERR_INTERNAL, "", "out of memory");
}
