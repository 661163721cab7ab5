/*
** health.h: whether the database takes writes, for GET /api/health. A
** SELECT answers from a read-only file, a full disk or a database another
** process keeps locked; a write does not. The check writes one row
** (store_write_probe) at most every HEALTH_PROBE_S seconds and answers from
** the last result in between, so a load balancer polling health costs
** nothing; while one request probes, the others take the last result
** instead of queueing behind it.
**
** Ownership: the server owns one struct db_health (health_new/free); it is
** safe to use from every worker.
*/
#ifndef GG_OPS_HEALTH_H
#define GG_OPS_HEALTH_H

#include <stdint.h>

#include "base/err.h"
#include "store/store.h"

#define HEALTH_PROBE_S 5          /* seconds between two write probes     */
#define HEALTH_BUSY_MS 1000       /* a probe waits this long for a lock   */

struct db_health;

struct db_health *health_new(void);
void health_free(struct db_health *h);

/* 0 when the database took the last probe write; else e says why. mono_ms
** is a monotonic clock (clock_mono_ms), now the wall clock stored in the row. */
int health_db(struct db_health *h, struct store *st, double mono_ms, int64_t now, struct err *e);

#endif
