/*
** runs.c: what the faces read of the operations (item states, runs,
** results, changes, backups) and how they start a run: claimed first so it
** is visible at once, queued on the scheduler, closed as failed when the
** queue refuses it. The rules (staleness, the summary status, which jobs
** are exclusive, their leases) are here, not in the faces.
*/
#include "ops/ops.h"
#include "ops/sched.h"

#include <string.h>

int ops_status_json(struct store *st, const struct ops_conf *cf, int64_t now, json_t **out, struct err *e)
{
	json_t *items, *changes, *it;
	int64_t total, tick;
	int pid, worst = OPS_OK;
	size_t i;
	struct page pg = {1, 20};
	if (store_ops_states(st, &items, e))
		return e->code;
	if (store_ops_changes_list(st, NULL, 0, INT64_MAX, &pg, &changes, &total, e) ||
	    store_ops_heartbeat_get(st, "scheduler", &tick, &pid, e)) {
		json_decref(items);
		return e->code;
	}
	json_array_foreach(items, i, it) {
		char title[128];
		int stale = now - json_integer_value(json_object_get(it, "last_at")) > OPS_STALE_S;
		json_object_set_new(it, "title", json_string(ops_item_title(cf, json_string_value(
			json_object_get(it, "item")), title, sizeof title)));
		json_object_set_new(it, "stale", json_boolean(stale));
		if (!stale)
			worst = ops_status_worse(worst, store_ops_status_code(json_string_value(json_object_get(it, "status"))));
	}
	*out = json_pack("{s:s,s:o,s:o,s:I,s:{s:b,s:I},s:o}", "status", ops_status_name(worst), "items", items,
			 "changes", changes, "changes_total", (json_int_t)total, "scheduler", "enabled",
			 cf->scheduler, "last_tick", (json_int_t)tick, "catalog", ops_items_json(cf));
	return 0;
}

int ops_run_list(struct store *st, const char *job, const struct page *pg, json_t **items, int64_t *total,
		 struct err *e)
{
	return store_ops_run_list(st, job, pg, items, total, e);
}

int ops_run_json(struct store *st, int64_t id, json_t **out, struct err *e)
{
	json_t *run, *results, *it;
	size_t i;
	if (store_ops_run_get(st, id, &run, e))
		return e->code;
	if (strncmp(json_string_value(json_object_get(run, "job")), "inspect.", 8) == 0) {
		if (store_ops_results_of_run(st, id, &results, e)) {
			json_decref(run);
			return e->code;
		}
		json_array_foreach(results, i, it) {
			json_object_del(it, "id");
			json_object_del(it, "run_id");
			json_object_del(it, "at");
		}
		json_object_set_new(run, "items", results);
	}
	json_object_set_new(run, "run_id", json_integer(id));
	*out = run;
	return 0;
}

int ops_results_list(struct store *st, const char *item, int64_t from, int64_t to, const struct page *pg,
		     json_t **items, int64_t *total, struct err *e)
{
	return store_ops_results_list(st, item, from, to, pg, items, total, e);
}

int ops_changes_list(struct store *st, const char *item, int64_t from, int64_t to, const struct page *pg,
		     json_t **items, int64_t *total, struct err *e)
{
	return store_ops_changes_list(st, item, from, to, pg, items, total, e);
}

int ops_backup_list(struct store *st, const struct page *pg, json_t **items, int64_t *total, struct err *e)
{
	return store_ops_backup_list(st, pg, items, total, e);
}

int ops_sched_run(struct ops_sched *s, struct store *st, int job, const char *name, const struct principal *who,
		  int64_t now, const char *only, int dry_run, int64_t *run_id, struct err *e)
{
	char trigger[80];
	const struct ops_conf *cf = ops_sched_conf(s);
	ops_trigger(who, trigger, sizeof trigger);
	int lease = job == OPS_JOB_BACKUP || job == OPS_JOB_DRILL ? cf->lease_backup : cf->lease_inspect;
	if (store_ops_run_claim(st, name, trigger, now, lease, job != OPS_JOB_INSPECT, run_id, NULL, e))
		return e->code;
	if (ops_sched_submit(s, job, *run_id, who, only, dry_run, e)) {
		struct err e2;
		store_ops_run_finish(st, *run_id, "failed", "UNKNOWN", e->msg, NULL, now, &e2);
		return e->code;
	}
	return 0;
}
