/*
** metrics.h: request counters and latency histograms per route and status,
** rendered in the Prometheus text format 0.0.4 at /metrics. Updates are
** lock-free atomic adds; rendering reads them without stopping the world.
** Other modules add lines through app->hooks (see app.h).
*/
#ifndef GG_METRICS_H
#define GG_METRICS_H

#include "base/buf.h"
#include "http/app.h"

struct metrics *metrics_new(int nroutes);
void metrics_free(struct metrics *m);
/* route: index from the router, or nroutes for unmatched paths. */
void metrics_observe(struct metrics *m, int route, int status, double seconds);
void metrics_render(struct app *app, struct buf *out);

/* For the self-inspection: totals since start. */
struct metrics_summary {
	unsigned long long requests, errors_5xx;
	double p99_seconds;       /* from the histogram, upper bucket bound, over
				     every route but those that hash passwords */
};
/* 1 for a route whose handler hashes a password (login, password change):
** slow by design, so left out of p99_seconds. */
int metrics_route_hashes(const char *method, const char *pattern);
void metrics_summary(struct metrics *m, struct metrics_summary *s);

#endif
