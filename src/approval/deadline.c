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
	/* red once the due day has ended, on a rest day too (left is 0 there:
	** no working day has passed), as the lists' day rule (case_light) says */
	if (d->running)
		d->light = d->due_day < ref ? LIGHT_RED : deadline_light(cf, f->limit, d->workdays_left);
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

static json_t *light_json(int light)
{
	const char *n = deadline_light_name(light);
	return n ? json_string(n) : json_null();
}

static json_t *tristate(int v)
{
	return v < 0 ? json_null() : json_boolean(v);
}

void deadline_date(int32_t day, char out[CAL_DATE_LEN])
{
	int y, m, d;
	cal_date_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = 0;
}

#define LIT(b, s) buf_append((b), (s), sizeof(s) - 1)

/* "key": then the date in quotes or null. */
static void day_text(struct buf *b, const char *key, int32_t day)
{
	char d[CAL_DATE_LEN];
	LIT(b, "\"");
	buf_puts(b, key);
	if (day == DEADLINE_NONE) {
		LIT(b, "\":null");
		return;
	}
	deadline_date(day, d);
	LIT(b, "\":\"");
	buf_append(b, d, 10);
	LIT(b, "\"");
}

static void bool_text(struct buf *b, int v)
{
	if (v)
		LIT(b, "true");
	else
		LIT(b, "false");
}

void deadline_text(struct buf *b, const struct deadline *d)
{
	const char *light = deadline_light_name(d->light);
	LIT(b, "\"status\":{\"code\":");
	buf_int(b, d->status);
	LIT(b, ",\"name\":\"");
	buf_puts(b, case_status_name(d->status));
	LIT(b, "\"},");
	day_text(b, "due_date", d->due_day);
	if (d->due_day != DEADLINE_NONE) {
		LIT(b, ",\"workdays_used\":");
		buf_int(b, d->workdays_used);
		LIT(b, ",\"workdays_left\":");
		buf_int(b, d->workdays_left);
	} else {
		LIT(b, ",\"workdays_used\":null,\"workdays_left\":null");
	}
	LIT(b, ",\"paused_workdays\":");
	buf_int(b, d->paused_workdays);
	LIT(b, ",\"light\":");
	if (light) {
		LIT(b, "\"");
		buf_puts(b, light);
		LIT(b, "\"");
	} else {
		LIT(b, "null");
	}
	LIT(b, ",\"on_time\":");
	if (d->on_time < 0)
		LIT(b, "null");
	else
		bool_text(b, d->on_time);
	LIT(b, ",");
	day_text(b, "warn_date", d->warn_day);
	LIT(b, ",\"receipt\":{");
	day_text(b, "due_date", d->receipt_due);
	LIT(b, ",\"workdays_left\":");
	if (d->receipt_running)
		buf_int(b, d->receipt_left);
	else
		LIT(b, "null");
	LIT(b, ",\"overdue\":");
	bool_text(b, d->receipt_overdue);
	LIT(b, "},\"tolerance\":");
	if (d->tolerance_due == DEADLINE_NONE) {
		LIT(b, "null");
	} else {
		LIT(b, "{");
		day_text(b, "due_date", d->tolerance_due);
		LIT(b, ",\"overdue\":");
		bool_text(b, d->tolerance_overdue);
		LIT(b, "}");
	}
	LIT(b, ",\"provisional_year\":");
	if (d->provisional)
		buf_int(b, d->provisional);
	else
		LIT(b, "null");
}

/* One rendering: the object is the text above, parsed. */
json_t *deadline_json(const struct deadline *d)
{
	struct buf b = {0};
	buf_puts(&b, "{");
	deadline_text(&b, d);
	buf_puts(&b, "}");
	json_t *o = json_loads(b.data, 0, NULL);
	buf_free(&b);
	return o ? o : json_object();
}

json_t *deadline_span_json(const struct deadline_span *s)
{
	return json_pack("{s:i,s:o,s:o,s:o,s:o}", "workdays_elapsed", s->elapsed,
			 "limit", s->limit > 0 ? json_integer(s->limit) : json_null(),
			 "workdays_left", s->limit > 0 ? json_integer(s->left) : json_null(),
			 "light", light_json(s->light), "on_time", tristate(s->on_time));
}
