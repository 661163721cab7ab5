/*
** deadline.c: the one deadline computation (see deadline.h). Every date
** question goes to calendar/cal.h; this file only decides which dates to ask
** about. No loops over days.
*/
#include "approval/deadline.h"
#include "approval/case_fsm.h"

#include <stdio.h>
#include <string.h>

#define MAX_PAUSES 64

int deadline_conf_load(const struct conf *c, struct deadline_conf *out, struct err *e)
{
	*out = DEADLINE_CONF_DEFAULT;
	if (!c)
		return 0;
	if (conf_int_ok(c, "cases", "warn_percent", 0, 100, e) ||
	    conf_int_ok(c, "cases", "warn_days", 0, 365, e) ||
	    conf_int_ok(c, "cases", "receipt_days", 1, 60, e) ||
	    conf_int_ok(c, "cases", "tolerance_days", 1, 365, e))
		return e->code;
	out->warn_percent = (int)conf_int(c, "cases", "warn_percent", out->warn_percent);
	out->warn_days = (int)conf_int(c, "cases", "warn_days", out->warn_days);
	out->receipt_days = (int)conf_int(c, "cases", "receipt_days", out->receipt_days);
	out->tolerance_days = (int)conf_int(c, "cases", "tolerance_days", out->tolerance_days);
	return 0;
}

int32_t deadline_day(int64_t t)
{
	int64_t s = t + 8 * 3600;
	return (int32_t)(s >= 0 ? s / 86400 : -((-s + 86399) / 86400));
}

static int warn_threshold(const struct deadline_conf *cf, int limit)
{
	int pct = limit * cf->warn_percent / 100;
	return pct > cf->warn_days ? pct : cf->warn_days;
}

int deadline_light(const struct deadline_conf *cf, int limit, int left)
{
	if (left < 0)
		return LIGHT_RED;
	return left <= warn_threshold(cf, limit) ? LIGHT_YELLOW : LIGHT_GREEN;
}

static const char *const light_names[] = {NULL, "green", "yellow", "red"};

const char *deadline_light_name(int light)
{
	return light > 0 && light <= LIGHT_RED ? light_names[light] : NULL;
}

int deadline_light_parse(const char *s)
{
	for (int i = 1; s && i <= LIGHT_RED; i++)
		if (strcmp(s, light_names[i]) == 0)
			return i;
	return -1;
}

static void note_provisional(struct deadline *d, int p)
{
	if (p && !d->provisional)
		d->provisional = p;
}

/* The processing clock: due, used, left, paused, light, on_time. */
static int clock_after_acceptance(const struct cal *cal, const struct deadline_conf *cf,
				  const struct deadline_facts *f, int32_t ref,
				  struct deadline *d, struct err *e)
{
	struct cal_pause p[MAX_PAUSES];
	size_t np = 0;
	int prov = 0, count;
	for (size_t i = 0; i < f->npauses && np < MAX_PAUSES; i++) {
		if (f->pauses[i].start > ref)
			continue;    /* recorded ahead of the reference day: not yet */
		p[np].start = f->pauses[i].start;
		p[np].end = f->pauses[i].end == DEADLINE_NONE || f->pauses[i].end > ref
			? ref : f->pauses[i].end;
		np++;
	}
	if (cal_due(cal, f->accepted_day, f->limit, p, np, &d->due_day, &d->paused_workdays, &prov, e))
		return e->code;
	note_provisional(d, prov);
	int w = warn_threshold(cf, f->limit), span = f->limit + d->paused_workdays;
	if (span <= w)
		d->warn_day = f->accepted_day;   /* yellow from the start */
	else if (cal_add_workdays(cal, f->accepted_day, span - w, &d->warn_day, &prov, e))
		return e->code;
	if (cal_count_workdays(cal, f->accepted_day, ref, &count, &prov, e))
		return e->code;
	note_provisional(d, prov);
	d->workdays_used = count - d->paused_workdays;
	if (d->workdays_used < 0)
		d->workdays_used = 0;
	if (cal_count_workdays(cal, ref, d->due_day, &d->workdays_left, &prov, e))
		return e->code;
	note_provisional(d, prov);
	if (d->running)
		d->light = deadline_light(cf, f->limit, d->workdays_left);
	else if (case_status_concluded(f->status))
		d->on_time = f->final_day <= d->due_day;
	return 0;
}

/* 行政许可法 §32: the window's five working days. */
static int receipt_clock(const struct cal *cal, const struct deadline_conf *cf,
			 const struct deadline_facts *f, int32_t today, struct deadline *d,
			 struct err *e)
{
	int prov = 0;
	d->receipt_overdue = f->receipt_late_before;
	if (f->receipt_day == DEADLINE_NONE)
		return 0;
	if (cal_add_workdays(cal, f->receipt_day, cf->receipt_days, &d->receipt_due, &prov, e))
		return e->code;
	note_provisional(d, prov);
	int32_t stop = f->receipt_end;
	if (stop == DEADLINE_NONE && !d->running)
		stop = f->final_day;
	if (stop == DEADLINE_NONE) {
		d->receipt_running = 1;
		if (cal_count_workdays(cal, today, d->receipt_due, &d->receipt_left, &prov, e))
			return e->code;
		note_provisional(d, prov);
		if (d->receipt_left < 0)
			d->receipt_overdue = 1;
	} else if (stop > d->receipt_due) {
		d->receipt_overdue = 1;
	}
	return 0;
}

int deadline_case(const struct cal *cal, const struct deadline_conf *cf,
		  const struct deadline_facts *f, int64_t now, struct deadline *out,
		  struct err *e)
{
	struct deadline d = {.status = f->status, .on_time = -1};
	int32_t today = deadline_day(now);
	d.running = !case_status_final(f->status);
	int32_t ref = d.running || f->final_day == DEADLINE_NONE ? today : f->final_day;
	if (f->limit < 0 || f->limit > CAL_MAX_N)
		return err_set(e, ERR_INVALID, "limit", "时限超出范围 (limit out of range): %d", f->limit);
	if (f->accepted_day != DEADLINE_NONE) {
		if (ref < f->accepted_day)
			ref = f->accepted_day;
		if (clock_after_acceptance(cal, cf, f, ref, &d, e))
			return e->code;
	}
	if (receipt_clock(cal, cf, f, today, &d, e))
		return e->code;
	if (f->tolerance_days > 0 && f->final_day != DEADLINE_NONE) {
		int prov = 0;
		if (cal_add_workdays(cal, f->final_day, f->tolerance_days, &d.tolerance_due, &prov, e))
			return e->code;
		note_provisional(&d, prov);
		d.tolerance_overdue = f->tolerance_done == DEADLINE_NONE ? today > d.tolerance_due
			: f->tolerance_done > d.tolerance_due;
	}
	*out = d;
	return 0;
}

int deadline_span(const struct cal *cal, const struct deadline_conf *cf, int32_t start,
		  int32_t end, int limit, int64_t now, struct deadline_span *out, struct err *e)
{
	struct deadline_span s = {.limit = limit, .on_time = -1};
	int32_t ref = end != DEADLINE_NONE ? end : deadline_day(now);
	if (ref < start)
		ref = start;
	if (cal_count_workdays(cal, start, ref, &s.elapsed, NULL, e))
		return e->code;
	if (limit > 0) {
		s.left = limit - s.elapsed;
		if (end == DEADLINE_NONE)
			s.light = deadline_light(cf, limit, s.left);
		else
			s.on_time = s.elapsed <= limit;
	}
	*out = s;
	return 0;
}

/* ---- JSON -------------------------------------------------------------------- */

static json_t *day_json(int32_t day)
{
	char buf[CAL_DATE_LEN];
	if (day == DEADLINE_NONE)
		return json_null();
	cal_date_format(day, buf);
	return json_string(buf);
}

static json_t *light_json(int light)
{
	const char *n = deadline_light_name(light);
	return n ? json_string(n) : json_null();
}

static json_t *tristate(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

json_t *deadline_json(const struct deadline *d)
{
	int accepted = d->due_day != DEADLINE_NONE;
	json_t *o = json_object();
	json_object_set_new(o, "status", json_pack("{s:i,s:s}", "code", d->status,
						   "name", case_status_name(d->status)));
	json_object_set_new(o, "due_date", day_json(d->due_day));
	json_object_set_new(o, "workdays_used", accepted ? json_integer(d->workdays_used) : json_null());
	json_object_set_new(o, "workdays_left", accepted ? json_integer(d->workdays_left) : json_null());
	json_object_set_new(o, "paused_workdays", json_integer(d->paused_workdays));
	json_object_set_new(o, "light", light_json(d->light));
	json_object_set_new(o, "on_time", tristate(d->on_time));
	json_object_set_new(o, "warn_date", day_json(d->warn_day));
	json_object_set_new(o, "receipt", json_pack("{s:o,s:o,s:b}", "due_date", day_json(d->receipt_due),
						    "workdays_left", d->receipt_running
						    ? json_integer(d->receipt_left) : json_null(),
						    "overdue", d->receipt_overdue));
	json_object_set_new(o, "tolerance", d->tolerance_due == DEADLINE_NONE ? json_null()
			    : json_pack("{s:o,s:b}", "due_date", day_json(d->tolerance_due),
					"overdue", d->tolerance_overdue));
	json_object_set_new(o, "provisional_year", d->provisional ? json_integer(d->provisional) : json_null());
	return o;
}

json_t *deadline_span_json(const struct deadline_span *s)
{
	return json_pack("{s:i,s:o,s:o,s:o,s:o}", "workdays_elapsed", s->elapsed,
			 "limit", s->limit > 0 ? json_integer(s->limit) : json_null(),
			 "workdays_left", s->limit > 0 ? json_integer(s->left) : json_null(),
			 "light", light_json(s->light), "on_time", tristate(s->on_time));
}
