/*
** cli_ext_repair.c: the exchange's side of 数据修复, registered from above
** (repair/repair.h struct repair_hooks): a voided 办件 or a merged-away
** project is withdrawn from the province (exchange_withdraw), and a
** corrected 办件, status row or document is collected again and re-sent
** (exchange_touch). Without a configured target both only queue work for
** the exchange's next round.
*/
#include "cli/cli_ext.h"

static int withdraw(void *ctx, struct store *st, const struct principal *who, const char *kind, int64_t id,
		    const char *reason, int64_t now, struct err *e)
{
	(void)ctx;
	return exchange_withdraw(st, who, kind, id, reason, now, e);
}

static int changed(void *ctx, struct store *st, const char *table, int64_t id, struct err *e)
{
	(void)ctx;
	return exchange_touch(st, table, id, e);
}

void cli_ext_repair_hooks(struct repair_hooks *h)
{
	*h = (struct repair_hooks){withdraw, changed, NULL};
}

int cli_ext_repair(const struct conf *c, struct cli_ext *x, struct err *e)
{
	(void)c;
	(void)e;
	cli_ext_repair_hooks(&x->repair);
	return 0;
}
