/*
** desk_sla.c: the SLA clocks of a ticket, computed from its event log (see
** desk.h). Each clock is a list of instants at which it starts or stops
** counting; walking them gives the counted seconds, the instant the target
** was reached (the breach) and the due time (start + target + the time not
** counted so far).
*/
#include "desk/desk.h"
#include "base/clock.h"

#include <assert.h>
#include <string.h>

#define MAX_TOGGLES 128

struct toggles {
	int64_t at[MAX_TOGGLES];      /* even index: starts counting; odd: stops */
	int n;
	int suspended;                /* the last stop is a pause, not the end   */
};

/* Start (go = 1) or stop (go = 0) counting at t; ignored when it does not
** change anything or the log is absurdly long. */
static void toggle(struct toggles *tg, int64_t t, int go)
{
	int counting = tg->n % 2 == 1;
	if (counting == go || tg->n >= MAX_TOGGLES)
		return;
	tg->at[tg->n++] = t;
}

static void walk(struct desk_clock *c, const struct toggles *tg, int64_t now, int warn_percent)
{
	int64_t target = (int64_t)c->target_min * 60, counted = 0, idle = 0;
	if (tg->n == 0)
		return;
	c->started = tg->at[0];
	c->stopped = tg->n % 2 == 0 && !tg->suspended ? tg->at[tg->n - 1] : 0;
	c->paused = tg->n % 2 == 0 && tg->suspended;
	if (c->paused && now > tg->at[tg->n - 1])
		idle += now - tg->at[tg->n - 1];
	for (int i = 0; i < tg->n; i += 2) {
		int64_t from = tg->at[i], to = i + 1 < tg->n ? tg->at[i + 1] : now;
		if (to < from)
			to = from;
		if (i > 0)
			idle += from - tg->at[i - 1];
		if (!c->breached_at && counted + (to - from) > target)
			c->breached_at = from + (target - counted);
		counted += to - from;
	}
	c->elapsed_s = counted;
	c->due = c->started + target + idle;
	if (c->stopped) {
		c->met = counted <= target;
	} else {
		c->met = -1;
		c->warning = !c->breached_at && counted * 100 >= target * warn_percent;
	}
}

static int is(const json_t *ev, const char *action)
{
	return strcmp(json_string_value(json_object_get(ev, "action")) ?: "", action) == 0;
}

void desk_sla(const struct desk_conf *cf, const struct desk_ticket *t, const json_t *events, int64_t now,
	      struct desk_sla *out)
{
	struct toggles resp = {0}, reso = {0}, tp = {0}, rca = {0};
	int cat = desk_category_parse(t->category), responded = 0, tp_done = 0, rca_started = 0;
	size_t i;
	const json_t *ev;
	assert(t->level >= 1 && t->level <= 3 && cat >= 0);
	memset(out, 0, sizeof *out);
	out->response = (struct desk_clock){1, cf->respond_min[t->level], .met = -1};
	out->resolution = (struct desk_clock){1, cf->resolve_min[t->level][cat], .met = -1};
	out->third_party = (struct desk_clock){0, cf->third_party_min, .met = -1};
	out->rca = (struct desk_clock){t->level == 1, cf->rca_min, .met = -1};
	toggle(&resp, t->reported_at, 1);
	toggle(&reso, t->reported_at, 1);
	json_array_foreach(events, i, ev) {
		int64_t at = json_integer_value(json_object_get(ev, "at"));
		if (is(ev, "respond") && !responded++)
			toggle(&resp, at, 0);
		else if (is(ev, "pause") || is(ev, "resolve")) {
			toggle(&reso, at, 0);
			reso.suspended = is(ev, "pause");
		} else if (is(ev, "resume") || is(ev, "reopen"))
			toggle(&reso, at, 1);
		else if (is(ev, "escalate_third_party") && tp.n == 0)
			toggle(&tp, at, 1);
		else if (is(ev, "third_party_responded") && !tp_done++)
			toggle(&tp, at, 0);
		else if (is(ev, "rca_submit"))
			toggle(&rca, at, 0);
		if (is(ev, "resolve") && !rca_started++)
			toggle(&rca, at, 1);
	}
	walk(&out->response, &resp, now, cf->warn_percent);
	walk(&out->resolution, &reso, now, cf->warn_percent);
	out->third_party.applies = tp.n > 0;
	walk(&out->third_party, &tp, now, cf->warn_percent);
	walk(&out->rca, &rca, now, cf->warn_percent);
}

static json_t *iso_or_null(int64_t t)
{
	char buf[32];
	return t ? json_string(clock_cn_iso(t, buf)) : json_null();
}

json_t *desk_clock_json(const struct desk_clock *c)
{
	if (!c->applies)
		return json_null();
	return json_pack("{s:i,s:o,s:o,s:I,s:o,s:b,s:o,s:b,s:b,s:o}", "target_minutes", c->target_min, "started",
			 iso_or_null(c->started), "due", iso_or_null(c->due), "elapsed_minutes",
			 (json_int_t)(c->elapsed_s / 60), "met", c->met < 0 ? json_null() : json_boolean(c->met),
			 "breached", c->breached_at != 0, "breached_at", iso_or_null(c->breached_at), "warning",
			 c->warning, "paused", c->paused, "stopped", iso_or_null(c->stopped));
}

json_t *desk_sla_json(const struct desk_sla *s)
{
	return json_pack("{s:o,s:o,s:o,s:o}", "response", desk_clock_json(&s->response), "resolution",
			 desk_clock_json(&s->resolution), "rca", desk_clock_json(&s->rca), "third_party",
			 desk_clock_json(&s->third_party));
}
