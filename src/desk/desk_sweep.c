/*
** desk_sweep.c: the SLA sweep (see desk.h): each open ticket's clocks at
** `now`; a clock past warn_percent gets one sla_warning event, a breached
** one one sla_breach event dated at the instant its target ran out. Each
** ticket is its own transaction, so one bad row does not stop the rest.
*/
#include "desk/desk.h"
#include "desk/desk_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[4] = {"response", "resolution", "third_party", "rca"};

static int noted(const json_t *events, const char *action, const char *clock)
{
	size_t i;
	const json_t *ev;
	json_array_foreach(events, i, ev)
		if (strcmp(json_string_value(json_object_get(ev, "action")), action) == 0 &&
		    strcmp(json_string_value(json_object_get(json_object_get(ev, "details"), "clock")) ?: "", clock) == 0)
			return 1;
	return 0;
}

static int sweep_one(struct store *st, const struct desk_conf *cf, const struct principal *sys, int64_t now,
		     struct desk_ticket *t, int *recorded, struct err *e)
{
	struct desk_sla s;
	json_t *events;
	if (desk_clocks_of(st, cf, t, now, &s, &events, e))
		return e->code;
	const struct desk_clock *c[4] = {&s.response, &s.resolution, &s.third_party, &s.rca};
	int rc = 0;
	for (int i = 0; i < 4 && rc == 0; i++) {
		if (!c[i]->applies)
			continue;
		char note[64];
		const char *label = desk_label("desk.clock", names[i]);
		if (c[i]->breached_at && c[i]->breached_at <= now && !noted(events, "sla_breach", names[i])) {
			snprintf(note, sizeof note, "%s超时", label);
			rc = desk_record(st, cf, sys, c[i]->breached_at, now, t, "sla_breach", note,
					 json_pack("{s:s,s:i}", "clock", names[i], "target_minutes", c[i]->target_min), e);
			*recorded += rc == 0;
		} else if (c[i]->warning && !noted(events, "sla_warning", names[i])) {
			snprintf(note, sizeof note, "%s即将到期", label);
			rc = desk_record(st, cf, sys, now, now, t, "sla_warning", note,
					 json_pack("{s:s,s:i}", "clock", names[i], "target_minutes", c[i]->target_min), e);
			*recorded += rc == 0;
		}
	}
	json_decref(events);
	return rc;
}

int desk_sla_sweep(struct store *st, const struct desk_conf *cf, int64_t now, int *recorded, struct err *e)
{
	struct desk_filter f = {.status = "active"};
	struct principal sys;
	int64_t *ids;
	int n, rc = 0;
	struct desk_ticket *t = malloc(sizeof *t);
	*recorded = 0;
	desk_system_principal(&sys);
	if (!t)
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	if (store_desk_ticket_ids(st, &f, &ids, &n, e)) {
		free(t);
		return e->code;
	}
	for (int i = 0; i < n && rc == 0; i++) {
		if ((rc = store_begin(st, e)))
			break;
		rc = store_desk_ticket_get(st, ids[i], t, e);
		if (rc == 0)
			rc = sweep_one(st, cf, &sys, now, t, recorded, e);
		if (rc == 0)
			rc = store_commit(st, e);
		else
			store_rollback(st);
	}
	free(ids);
	free(t);
	return rc;
}
