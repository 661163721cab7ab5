/*
** cli_ext_exchange.c: the 前置库 exchange registered into ops (see
** cli_ext.h): the inspection items exchange.target, exchange.backlog and
** exchange.rejected, the leased job exchange.push every
** [exchange] interval_minutes while [exchange] target is set, and the
** province's rejections as the source of 数据质检 (struct quality_sources).
*/
#include "cli/cli_ext.h"
#include "calendar/cal.h"
#include "workday/workday.h"
#include "exchange/exchange.h"
#include "base/log.h"
#include "http/app.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const char off[] = "未配置前置库（[exchange] target），跳过";

static void probe_target(const struct ops_ext_item *it, struct ops_env *env, struct ops_result *r)
{
	const struct exchange_conf *cf = it->ctx;
	struct err e = {0};
	json_t *rep;
	if (!cf->target[0]) {
		ops_ext_status(r, OPS_OK, off);
		return;
	}
	double t0 = clock_mono_ms();
	if (exchange_check(cf, &rep, &e)) {
		ops_ext_status(r, OPS_CRIT, "%s", e.msg);
		return;
	}
	double ms = clock_mono_ms() - t0;
	int errors = (int)json_integer_value(json_object_get(rep, "errors"));
	int warnings = (int)json_integer_value(json_object_get(rep, "warnings"));
	const char *first = "";
	size_t i, k;
	json_t *t, *p;
	json_array_foreach(json_object_get(rep, "tables"), i, t) json_array_foreach(json_object_get(t, "problems"), k, p)
		if (!*first && strcmp(json_string_value(json_object_get(p, "severity")), "error") == 0)
			first = json_string_value(json_object_get(p, "message"));
	if (errors)
		ops_ext_status(r, OPS_CRIT, "前置库结构不符：%d 项错误，首项：%s", errors, first);
	else
		ops_ext_grade(it, r, ms, "前置库可连接，结构检查通过（%d 项提示），%.0f ms", warnings, ms);
	json_decref(rep);
}

static void probe_backlog(const struct ops_ext_item *it, struct ops_env *env, struct ops_result *r)
{
	const struct exchange_conf *cf = it->ctx;
	struct err e = {0};
	int64_t oldest, n;
	if (!cf->target[0]) {
		ops_ext_status(r, OPS_OK, off);
		return;
	}
	if (exchange_backlog(env->st, &oldest, &n, &e)) {
		ops_ext_status(r, OPS_UNKNOWN, "%s", e.msg);
		return;
	}
	double minutes = n ? (double)(env->now - oldest) / 60.0 : 0;
	if (minutes < 0)
		minutes = 0;
	ops_ext_grade(it, r, floor(minutes), n ? "%lld 行待上报，最久已等待 %.0f 分钟" : "无待上报数据", (long long)n,
		      minutes);
}

static void probe_rejected(const struct ops_ext_item *it, struct ops_env *env, struct ops_result *r)
{
	const struct exchange_conf *cf = it->ctx;
	struct err e = {0};
	const struct cal *cal = NULL;
	struct cal *own = NULL;
	int64_t n = 0;
	int oldest = 0, days = (int)conf_int(env->cf->conf, "inspect", "exchange.rejected.days", 3);
	if (!cf->target[0]) {
		ops_ext_status(r, OPS_OK, off);
		return;
	}
	if (env->host && env->host->cal)
		cal = cal_shared_get(env->host->cal);
	else if (cal_build_store(env->st, &own, &e) == 0)
		cal = own;
	int rc = cal ? exchange_rejected_aged(env->st, cal, env->now, days, &n, &oldest, &e) : e.code;
	if (own)
		cal_free(own);
	else if (cal)
		cal_shared_put(env->host->cal, cal);
	if (rc)
		ops_ext_status(r, OPS_UNKNOWN, "%s", e.msg);
	else
		ops_ext_grade(it, r, (double)n, "%lld 条省级退回超过 %d 个工作日未纠正（最久 %d 个工作日）", (long long)n,
			      days, oldest);
}

/* Push (which pulls first); when the province's verdicts came back, 数据质检
** runs at once so its rejections become findings (and corrected ones close)
** without waiting for the night. A failed quality run is logged, the push
** still counts. */
static int push_job(void *ctx, struct ops_env *env, const struct principal *who, int64_t run_id, json_t **report,
		    struct err *e)
{
	struct cli_ext *x = ctx;
	struct principal sched;
	if (!who)
		ops_scheduler_principal(&sched);
	if (exchange_push(env->st, &x->exchange, who ? who : &sched, who ? "http" : "schedule", env->now, report, e))
		return e->code;
	json_int_t verdicts = json_integer_value(json_object_get(*report, "verdicts"));
	json_t *q = NULL;
	struct err qe = {0};
	if (verdicts > 0 && cli_ext_quality_job(&x->quality, env, who, run_id, &q, &qe))
		log_warn("exchange", "数据质检 after the pull failed: %s", qe.msg);
	json_object_set_new(*report, "message", json_sprintf("上报 %lld 行，获知 %lld 条反馈%s%s",
		(long long)json_integer_value(json_object_get(*report, "rows")), (long long)verdicts,
		q ? "；" : "", q ? json_string_value(json_object_get(q, "message")) : ""));
	json_decref(q);
	return 0;
}

/* The province's current rejections for 数据质检 (quality_sources). */
static int rejections(void *ctx, struct store *st, quality_rejection_fn each, void *arg, struct err *e)
{
	(void)ctx;
	return exchange_rejections(st, each, arg, e);
}

int cli_ext_exchange(const struct conf *c, struct cli_ext *x, struct err *e)
{
	if (exchange_conf_load(c, &x->exchange, e))
		return e->code;
	x->rejections = (struct quality_sources){rejections, NULL};
	x->quality.sources = &x->rejections;
	ops_ext_add_item(&x->ops, &(struct ops_ext_item){"exchange.target", "exchange", "前置库连接与结构", "ms", 0,
		1000, 3000, probe_target, &x->exchange});
	ops_ext_add_item(&x->ops, &(struct ops_ext_item){"exchange.backlog", "exchange", "前置库待上报积压", "min", 0,
		30, 120, probe_backlog, &x->exchange});
	ops_ext_add_item(&x->ops, &(struct ops_ext_item){"exchange.rejected", "exchange", "省级退回未纠正", "条", 0,
		1, 20, probe_rejected, &x->exchange});
	if (x->exchange.target[0])
		ops_ext_add_job(&x->ops, &(struct ops_ext_job){"exchange.push", x->exchange.interval_minutes * 60, 0,
			3600, push_job, x});
	return 0;
}
