/*
** cli_ext.c: register the modules above ops (see cli_ext.h). Each module
** adds one block to cli_ext_setup and, when it allocates, to cli_ext_free.
*/
#include "cli/cli_ext.h"
#include "calendar/cal_admin.h"

#include "base/log.h"

#include <assert.h>
#include <string.h>

/* ---- 数据质检: the nightly run ------------------------------------------------------------- */

int cli_ext_quality_job(void *ctx, struct ops_env *env, const struct principal *who, int64_t run_id,
			json_t **report, struct err *e)
{
	const struct cli_quality_job *q = ctx;
	struct principal sched = {.username = "scheduler", .roles = ROLE_OPS, .source = "scheduler"};
	struct cal *cal;
	json_t *r;
	if (cal_build_store(env->st, &cal, e))
		return e->code;
	struct quality_env qe = {.cal = cal, .conf = q->conf, .sources = q->sources, .threads = 2};
	int rc = quality_run(env->st, &qe, who ? who : &sched, env->now, who ? "api" : "schedule", NULL, &r, e);
	cal_free(cal);
	if (rc)
		return rc;
	json_t *run = json_object_get(r, "run");
	json_object_set_new(r, "message", json_sprintf("质检运行 #%lld: 发现 %lld 个问题, 新增 %lld, 整改完成 %lld, "
						       "转逾期 %lld, 未整改 %lld",
						       (long long)json_integer_value(json_object_get(run, "id")),
						       (long long)json_integer_value(json_object_get(run, "found")),
						       (long long)json_integer_value(json_object_get(run, "opened")),
						       (long long)json_integer_value(json_object_get(run, "fixed")),
						       (long long)json_integer_value(json_object_get(run, "escalated")),
						       (long long)json_integer_value(json_object_get(run, "open"))));
	*report = r;
	return 0;
}

static int quality_setup(const struct conf *c, struct cli_ext *x, struct err *e)
{
	if (quality_conf_load(c, &x->quality.conf, e))
		return e->code;
	ops_ext_add_job(&x->ops, &(struct ops_ext_job){.name = "quality.run", .at_minute = x->quality.conf.run_at,
							.lease_s = 1800, .run = cli_ext_quality_job, .ctx = &x->quality});
	return 0;
}

/* ---- desk: a failing inspection item or job opens a ticket, its success notes it ------- */

static void desk_inspection(void *ctx, struct ops_env *env, const struct ops_inspection *in)
{
	struct err e = {0};
	if (desk_on_inspection(env->st, ctx, env->now, in, &e))
		log_error("desk", "tickets of inspection run %lld: %s", (long long)in->run_id, e.msg);
}

static void desk_job_failed(void *ctx, struct ops_env *env, const char *job, int64_t run_id,
			    const struct err *why)
{
	struct err e = {0};
	if (desk_on_job_failed(env->st, ctx, env->now, job, run_id, why->msg, &e))
		log_error("desk", "ticket of failed job %s run %lld: %s", job, (long long)run_id, e.msg);
}

static void desk_job_succeeded(void *ctx, struct ops_env *env, const char *job, int64_t run_id)
{
	struct err e = {0};
	if (desk_on_job_succeeded(env->st, ctx, env->now, job, run_id, &e))
		log_error("desk", "ticket of recovered job %s run %lld: %s", job, (long long)run_id, e.msg);
}

static int desk_setup(const struct conf *c, struct cli_ext *x, struct err *e)
{
	if (desk_conf_load(c, &x->desk, e))
		return e->code;
	ops_ext_add_observer(&x->ops, &(struct ops_ext_observer){
		.on_inspection = desk_inspection, .on_job_failed = desk_job_failed,
		.on_job_succeeded = desk_job_succeeded, .ctx = &x->desk});
	/* faults and requests in the 运维档案 */
	assert(x->archive.n + 2 <= ARCHIVE_MAX_SOURCES);
	x->archive.s[x->archive.n++] = (struct archive_source){"incident", desk_archive_incidents, NULL};
	x->archive.s[x->archive.n++] = (struct archive_source){"request", desk_archive_requests, NULL};
	return 0;
}

int cli_ext_setup(const struct conf *c, struct cli_ext *x, struct err *e)
{
	memset(x, 0, sizeof *x);
	if (cli_ext_exchange(c, x, e) || cli_ext_repair(c, x, e))
		return e->code;
	if (quality_setup(c, x, e))
		return e->code;
	return desk_setup(c, x, e);
}

void cli_ext_free(struct cli_ext *x)
{
	(void)x;
}
