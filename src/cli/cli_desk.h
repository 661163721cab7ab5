/*
** cli_desk.h: shared by cli_desk.c (the verb, tickets, reports) and
** cli_desk_svc.c (the other services of 第一条, whose input is the same JSON
** object the API takes, given as --data).
*/
#ifndef GG_CLI_DESK_H
#define GG_CLI_DESK_H

#include "base/err.h"
#include "org/rbac.h"
#include "store/store.h"

struct cli_desk_svc {
	const char *group, *sub, *data, *q, *tag, *status;
	int64_t id;
	int index, mine, page, page_size;
};

/* Run `gonggai desk GROUP SUB` for the groups request consult article
** training backbone plan drill visit; prints JSON. *handled 0 when group
** is none of them. */
int cli_desk_service(struct store *st, const struct principal *who, int64_t now, const struct cli_desk_svc *a,
		     int *handled, struct err *e);

#endif
