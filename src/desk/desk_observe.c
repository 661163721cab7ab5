/*
** desk_observe.c: tickets the system opens. Registered from above (serve
** and `gonggai inspect` wiring) as observers of inspection runs and failed
** scheduled jobs; see desk.h. The last of a ticket's created / observed /
** recovered (job_failed / job_recovered) events tells whether the system
** last saw the fault or the recovery, so a fault that repeats run after run
** adds nothing, one that comes back after a recovery is noted once, and a
** job that keeps succeeding notes its recovery once.
*/
#include "desk/desk.h"
#include "desk/desk_int.h"
#include "ops/ops.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* 1 when the system's last word on the ticket was the fault, 0 recovery. */
static int last_seen_bad(const json_t *events)
{
	int bad = 1;
	size_t i;
	const json_t *ev;
	json_array_foreach(events, i, ev) {
		const char *a = json_string_value(json_object_get(ev, "action"));
		if (!strcmp(a, "recovered") || !strcmp(a, "job_recovered"))
			bad = 0;
		else if (!strcmp(a, "created") || !strcmp(a, "observed") || !strcmp(a, "job_failed"))
			bad = 1;
	}
	return bad;
}

static int open_ticket(struct store *st, const struct desk_conf *cf, const struct principal *sys, int64_t now,
		       const char *source, const char *ref, const char *title, const char *message,
		       const char *link_type, int64_t run_id, json_t *details, struct err *e)
{
	struct desk_ticket *t = calloc(1, sizeof *t);
	if (!t) {
		json_decref(details);
		return err_set(e, ERR_INTERNAL, "", "out of memory");
	}
	snprintf(t->kind, sizeof t->kind, "fault");
	snprintf(t->title, sizeof t->title, "%s", title);
	snprintf(t->description, sizeof t->description, "%s", message);
	t->level = desk_level_for(cf, ref);
	snprintf(t->category, sizeof t->category, "infrastructure");
	snprintf(t->status, sizeof t->status, "open");
	snprintf(t->reporter, sizeof t->reporter, "system");
	snprintf(t->created_by, sizeof t->created_by, "%s", sys->username);
	t->reported_at = t->created_at = t->updated_at = now;
	snprintf(t->source, sizeof t->source, "%s", source);
	snprintf(t->source_ref, sizeof t->source_ref, "%s", ref);
	snprintf(t->links, sizeof t->links, "[{\"type\":\"%s\",\"ref\":\"%lld\"}]", link_type, (long long)run_id);
	int rc = store_desk_ticket_insert(st, t, &t->id, e);
	if (rc == 0)
		rc = desk_record(st, cf, sys, now, now, t, source[0] == 'j' ? "job_failed" : "created", message,
				 details, e);
	else
		json_decref(details);
	free(t);
	return rc;
}

/* Note event on the open ticket id unless the system said the same last. */
static int note_open(struct store *st, const struct desk_conf *cf, const struct principal *sys, int64_t now,
		     int64_t id, int bad, const char *event, const char *message, json_t *details, struct err *e)
{
	struct desk_ticket *t = malloc(sizeof *t);
	json_t *events = NULL;
	int rc = t ? store_desk_ticket_get(st, id, t, e) : err_set(e, ERR_INTERNAL, "", "out of memory");
	if (rc == 0)
		rc = store_desk_events(st, id, &events, e);
	if (rc == 0 && last_seen_bad(events) != bad)
		rc = desk_record(st, cf, sys, now, now, t, event, message, details, e);
	else
		json_decref(details);
	json_decref(events);
	free(t);
	return rc;
}

static json_t *result_details(const struct ops_result *r, int64_t run_id)
{
	return json_pack("{s:s,s:s,s:o,s:I}", "item", r->item, "status", ops_status_name(r->status), "value",
			 r->has_value && !isnan(r->value) ? json_real(r->value) : json_null(), "run_id",
			 (json_int_t)run_id);
}

static int observe_item(struct store *st, const struct desk_conf *cf, const struct principal *sys, int64_t now,
			const struct ops_result *r, int64_t run_id, struct err *e)
{
	int bad = r->status == OPS_CRIT || (cf->open_on_warn && r->status == OPS_WARN);
	int64_t id;
	char title[256], buf[128];
	if (!bad && r->status != OPS_OK)
		return 0;
	if (store_desk_ticket_open_ref(st, r->item, &id, e))
		return e->code;
	if (id)
		return note_open(st, cf, sys, now, id, bad, bad ? "observed" : "recovered", r->message,
				 result_details(r, run_id), e);
	if (!bad)
		return 0;
	snprintf(title, sizeof title, "巡检%s：%s %s", ops_status_cn(r->status), r->item,
		 ops_item_title(NULL, r->item, buf, sizeof buf));
	return open_ticket(st, cf, sys, now, "inspection", r->item, title, r->message, "inspection", run_id,
			   result_details(r, run_id), e);
}

int desk_on_inspection(struct store *st, const struct desk_conf *cf, int64_t now,
		       const struct ops_inspection *in, struct err *e)
{
	struct principal sys;
	desk_system_principal(&sys);
	if (store_begin(st, e))
		return e->code;
	for (int i = 0; i < in->n; i++)
		if (observe_item(st, cf, &sys, now, &in->items[i], in->run_id, e)) {
			store_rollback(st);
			return e->code;
		}
	return store_commit(st, e);
}

int desk_on_job_failed(struct store *st, const struct desk_conf *cf, int64_t now, const char *job,
		       int64_t run_id, const char *message, struct err *e)
{
	struct principal sys;
	char ref[96], title[256];
	int64_t id;
	desk_system_principal(&sys);
	snprintf(ref, sizeof ref, "job.%s", job);
	json_t *d = json_pack("{s:s,s:I}", "job", job, "run_id", (json_int_t)run_id);
	if (store_begin(st, e)) {
		json_decref(d);
		return e->code;
	}
	int rc = store_desk_ticket_open_ref(st, ref, &id, e);
	if (rc == 0 && id) {
		struct desk_ticket *t = malloc(sizeof *t);
		rc = t ? store_desk_ticket_get(st, id, t, e) : err_set(e, ERR_INTERNAL, "", "out of memory");
		if (rc == 0)
			rc = desk_record(st, cf, &sys, now, now, t, "job_failed", message, json_incref(d), e);
		free(t);
	} else if (rc == 0) {
		snprintf(title, sizeof title, "定时任务失败：%s", job);
		rc = open_ticket(st, cf, &sys, now, "job", ref, title, message, "run", run_id, json_incref(d), e);
	}
	json_decref(d);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}

int desk_on_job_succeeded(struct store *st, const struct desk_conf *cf, int64_t now, const char *job,
			  int64_t run_id, struct err *e)
{
	struct principal sys;
	char ref[96], note[160];
	int64_t id;
	snprintf(ref, sizeof ref, "job.%s", job);
	if (store_desk_ticket_open_ref(st, ref, &id, e))
		return e->code;
	if (!id)
		return 0;                     /* the usual case: no ticket, no transaction */
	desk_system_principal(&sys);
	snprintf(note, sizeof note, "作业已恢复成功, run %lld", (long long)run_id);
	if (store_begin(st, e))
		return e->code;
	int rc = store_desk_ticket_open_ref(st, ref, &id, e);
	if (rc == 0 && id)
		rc = note_open(st, cf, &sys, now, id, 0, "job_recovered", note,
			       json_pack("{s:s,s:I}", "job", job, "run_id", (json_int_t)run_id), e);
	if (rc) {
		store_rollback(st);
		return rc;
	}
	return store_commit(st, e);
}
