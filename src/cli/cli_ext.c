/*
** cli_ext.c: register the modules above ops (see cli_ext.h). Each module
** adds one block to cli_ext_setup and, when it allocates, to cli_ext_free.
*/
#include "cli/cli_ext.h"

#include "base/log.h"

#include <assert.h>
#include <string.h>

/* ---- desk: a failing inspection item or job opens a ticket ---------------------------- */

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

static int desk_setup(const struct conf *c, struct cli_ext *x, struct err *e)
{
	if (desk_conf_load(c, &x->desk, e))
		return e->code;
	ops_ext_add_observer(&x->ops, &(struct ops_ext_observer){
		.on_inspection = desk_inspection, .on_job_failed = desk_job_failed, .ctx = &x->desk});
	/* faults and requests in the 运维档案 */
	assert(x->archive.n + 2 <= ARCHIVE_MAX_SOURCES);
	x->archive.s[x->archive.n++] = (struct archive_source){"incident", desk_archive_incidents, NULL};
	x->archive.s[x->archive.n++] = (struct archive_source){"request", desk_archive_requests, NULL};
	return 0;
}

int cli_ext_setup(const struct conf *c, struct cli_ext *x, struct err *e)
{
	memset(x, 0, sizeof *x);
	return desk_setup(c, x, e);
}

void cli_ext_free(struct cli_ext *x)
{
	(void)x;
}
