/*
** cli_ext.h: the wiring of the domain modules above ops (exchange, quality,
** desk …) into the inspections, the scheduler and each other. This is the
** "registered from above" of docs/architecture.md: ops, exchange, quality
** and desk never include one another; this file connects them.
**
** `serve` sets up one struct cli_ext and hands x->ops to the scheduler; the
** CLI verbs that inspect or run jobs set up their own and point
** ops_conf.ext at x->ops. Module contexts live in the struct; cli_ext_free
** releases what cli_ext_setup made.
*/
#ifndef GG_CLI_EXT_H
#define GG_CLI_EXT_H

#include "base/conf.h"
#include "base/err.h"
#include "archive/archive.h"
#include "desk/desk.h"
#include "exchange/exchange.h"
#include "repair/repair.h"
#include "ops/ops.h"
#include "paperwork/paperwork.h"
#include "quality/quality.h"

/* 数据质检's nightly run (job "quality.run" at [quality] run_at). sources:
** the province's rejections, NULL until the exchange module registers one;
** serve also hands it to the API (app.quality_sources). */
struct cli_quality_job {
	struct quality_conf conf;
	const struct quality_sources *sources;
};

struct cli_ext {
	struct ops_ext ops;       /* items, jobs and observers for ops_conf.ext */
	struct cli_quality_job quality;
	struct archive_sources archive;   /* events of modules above for 运维档案 */
	/* one member per module's context, added with its registration */
	struct desk_conf desk;    /* [desk]: tickets for failing items and jobs */
	struct pw_providers paperwork;   /* sections of the O&M reports          */
	struct exchange_conf exchange;   /* cli_ext_exchange.c */
	struct quality_sources rejections;   /* the province's rejections for 数据质检 (exchange) */
	struct repair_hooks repair;          /* 数据修复's exchange side: cli_ext_repair.c */
};

/* Register every module's items, jobs and observers from configuration c.
** ERR_INVALID names a bad key; on error nothing needs freeing. */
int cli_ext_setup(const struct conf *c, struct cli_ext *x, struct err *e);
void cli_ext_free(struct cli_ext *x);

/* Register the sections of the O&M reports (cli_ext_paperwork.c) into
** x->paperwork; ops is the configuration the inspection and backup
** sections read (borrowed: it must outlive x). Call after cli_ext_setup. */
void cli_ext_paperwork(struct cli_ext *x, const struct ops_conf *ops);

/* One 数据质检 run as the job quality.run does it (ctx: &x->quality); the
** exchange's push runs it too once the province's verdicts came back. */
int cli_ext_quality_job(void *ctx, struct ops_env *env, const struct principal *who, int64_t run_id,
			json_t **report, struct err *e);

/* Each module's registration (called by cli_ext_setup). */
int cli_ext_exchange(const struct conf *c, struct cli_ext *x, struct err *e);
int cli_ext_repair(const struct conf *c, struct cli_ext *x, struct err *e);
/* The hooks alone, for the verbs that repair without the rest of the wiring. */
void cli_ext_repair_hooks(struct repair_hooks *h);

#endif
