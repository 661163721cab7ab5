/*
** cli_ext.c: register the modules above ops (see cli_ext.h). Each module
** adds one block to cli_ext_setup and, when it allocates, to cli_ext_free.
*/
#include "cli/cli_ext.h"
#include "calendar/cal_admin.h"

#include <string.h>

/* ---- 数据质检: the nightly run ------------------------------------------------------------- */

static int quality_job(void *ctx, struct ops_env *env, const struct principal *who, int64_t run_id,
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
							.lease_s = 1800, .run = quality_job, .ctx = &x->quality});
	return 0;
}

int cli_ext_setup(const struct conf *c, struct cli_ext *x, struct err *e)
{
	memset(x, 0, sizeof *x);
	return quality_setup(c, x, e);
}

void cli_ext_free(struct cli_ext *x)
{
	(void)x;
}
