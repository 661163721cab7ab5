/*
** ext.c: items, jobs and observers registered from above (see ops.h,
** "extensions registered from above"). ops knows them only through the
** function pointers of struct ops_ext; the wiring owns every ctx.
*/
#include "ops/ops.h"
#include "base/json.h"
#include "base/log.h"
#include "ops/probe.h"

#include <assert.h>
#include <stdlib.h>
#include <string.h>

static void ext_probe(struct ops_env *env, const struct ops_item_def *d, struct ops_result *r)
{
	assert(d->ext && d->ext->probe);
	d->ext->probe(d->ext, env, r);
}

struct ops_item_def ops_ext_def(const struct ops_ext_item *it)
{
	return (struct ops_item_def){.name = it->name, .group = it->group, .title = it->title, .unit = it->unit,
				     .lower_bad = it->lower_bad, .warn = it->warn, .crit = it->crit,
				     .fn = ext_probe, .ext = it};
}

void ops_ext_add_item(struct ops_ext *x, const struct ops_ext_item *it)
{
	assert(x->nitems < OPS_EXT_MAX && it->name && it->group && it->title && it->unit && it->probe);
	assert(!ops_builtin_find(it->name));
	for (int i = 0; i < x->nitems; i++)
		assert(strcmp(x->items[i].name, it->name) != 0);
	x->items[x->nitems++] = *it;
}

void ops_ext_add_job(struct ops_ext *x, const struct ops_ext_job *j)
{
	assert(x->njobs < OPS_EXT_MAX && j->name && j->run);
	assert(j->interval_s > 0 || (j->at_minute >= 0 && j->at_minute < 1440));
	for (int i = 0; i < x->njobs; i++)
		assert(strcmp(x->jobs[i].name, j->name) != 0);
	x->jobs[x->njobs++] = *j;
}

void ops_ext_add_observer(struct ops_ext *x, const struct ops_ext_observer *o)
{
	assert(x->nobservers < OPS_EXT_MAX && (o->on_inspection || o->on_job_failed || o->on_job_succeeded));
	x->observers[x->nobservers++] = *o;
}

const struct ops_ext_job *ops_ext_job_find(const struct ops_conf *cf, const char *name)
{
	for (int i = 0; cf->ext && name && i < cf->ext->njobs; i++)
		if (strcmp(cf->ext->jobs[i].name, name) == 0)
			return &cf->ext->jobs[i];
	return NULL;
}

void ops_ext_job_failed(struct ops_env *env, const char *job, int64_t run_id, const struct err *e)
{
	for (int i = 0; env->cf->ext && i < env->cf->ext->nobservers; i++) {
		const struct ops_ext_observer *o = &env->cf->ext->observers[i];
		if (o->on_job_failed)
			o->on_job_failed(o->ctx, env, job, run_id, e);
	}
}

void ops_ext_job_succeeded(struct ops_env *env, const char *job, int64_t run_id)
{
	for (int i = 0; env->cf->ext && i < env->cf->ext->nobservers; i++) {
		const struct ops_ext_observer *o = &env->cf->ext->observers[i];
		if (o->on_job_succeeded)
			o->on_job_succeeded(o->ctx, env, job, run_id);
	}
}

/* Close the run from the job's outcome. */
static void finish(struct ops_env *env, int64_t run_id, int rc, json_t *report, const struct err *e)
{
	struct err e2;
	const char *msg = json_string_value(json_object_get(report, "message"));
	char *details = report ? json_text(report) : NULL;
	if (rc)
		store_ops_run_finish(env->st, run_id, "failed", "CRIT", e->msg, details, env->now, &e2);
	else
		store_ops_run_finish(env->st, run_id, "done", "OK", msg ? msg : "完成 (done)", details, env->now, &e2);
	free(details);
}

int ops_ext_run(struct ops_env *env, const struct ops_ext_job *j, const struct principal *who, int64_t run_id,
		int64_t *run_out, struct err *e)
{
	char trigger[80];
	json_t *report = NULL;
	ops_trigger(who, trigger, sizeof trigger);
	if (run_id <= 0 && store_ops_run_claim(env->st, j->name, trigger, env->now,
					       j->lease_s > 0 ? j->lease_s : env->cf->lease_backup, 1, &run_id, NULL, e))
		return e->code;
	if (run_out)
		*run_out = run_id;
	struct err je = {0};
	int rc = j->run(j->ctx, env, who, run_id, &report, &je);
	if (rc && !je.code)   /* a job that failed without saying why is a bug of the job */
		err_set(&je, ERR_INTERNAL, "", "job failed without a message");
	finish(env, run_id, rc, report, &je);
	json_decref(report);
	if (rc) {
		log_error("ops", "%s run %lld failed: %s", j->name, (long long)run_id, je.msg);
		ops_ext_job_failed(env, j->name, run_id, &je);
		*e = je;
		return e->code;
	}
	log_info("ops", "%s run %lld done", j->name, (long long)run_id);
	ops_ext_job_succeeded(env, j->name, run_id);
	return 0;
}
