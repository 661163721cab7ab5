/*
** metrics.c: Prometheus counters for the HTTP server (see metrics.h).
*/
#include "http/metrics.h"
#include "http/router.h"
#include "org/session.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const int statuses[] = {200, 201, 204, 304, 400, 401, 403, 404, 405, 409, 413, 415, 423, 500, 503};
#define NSTATUS (int)(sizeof statuses / sizeof statuses[0])
static const double bounds[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
#define NBUCKET (int)(sizeof bounds / sizeof bounds[0])

struct route_stats {
	unsigned long long count[NSTATUS + 1];   /* last: any other status */
	unsigned long long bucket[NBUCKET + 1];  /* last: +Inf            */
	unsigned long long sum_us;
};

struct metrics {
	int nroutes;
	struct route_stats *r;   /* nroutes + 1 */
};

struct metrics *metrics_new(int nroutes)
{
	struct metrics *m = calloc(1, sizeof *m);
	if (!m)
		return NULL;
	m->nroutes = nroutes;
	m->r = calloc(nroutes + 1, sizeof *m->r);
	return m;
}

void metrics_free(struct metrics *m)
{
	if (m) {
		free(m->r);
		free(m);
	}
}

void metrics_observe(struct metrics *m, int route, int status, double seconds)
{
	if (route < 0 || route > m->nroutes)
		route = m->nroutes;
	struct route_stats *r = &m->r[route];
	int s = 0;
	while (s < NSTATUS && statuses[s] != status)
		s++;
	int b = 0;
	while (b < NBUCKET && seconds > bounds[b])
		b++;
	__atomic_fetch_add(&r->count[s], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&r->bucket[b], 1, __ATOMIC_RELAXED);
	__atomic_fetch_add(&r->sum_us, (unsigned long long)(seconds * 1e6), __ATOMIC_RELAXED);
}

static unsigned long long ld(const unsigned long long *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

static void render_requests(struct metrics *m, struct buf *o)
{
	buf_puts(o, "# HELP gonggai_http_requests_total HTTP requests answered, by route and status.\n"
		 "# TYPE gonggai_http_requests_total counter\n");
	for (int i = 0; i <= m->nroutes; i++)
		for (int s = 0; s <= NSTATUS; s++) {
			unsigned long long c = ld(&m->r[i].count[s]);
			if (!c)
				continue;
			char st[8];
			snprintf(st, sizeof st, "%d", s < NSTATUS ? statuses[s] : 0);
			buf_printf(o, "gonggai_http_requests_total{method=\"%s\",route=\"%s\",status=\"%s\"} %llu\n",
				   router_method(i), router_pattern(i), s < NSTATUS ? st : "other", c);
		}
}

static void render_latency(struct metrics *m, struct buf *o)
{
	buf_puts(o, "# HELP gonggai_http_request_duration_seconds Time to answer a request.\n"
		 "# TYPE gonggai_http_request_duration_seconds histogram\n");
	for (int i = 0; i <= m->nroutes; i++) {
		unsigned long long total = 0;
		for (int b = 0; b <= NBUCKET; b++)
			total += ld(&m->r[i].bucket[b]);
		if (!total)
			continue;
		unsigned long long cum = 0;
		const char *meth = router_method(i), *pat = router_pattern(i);
		for (int b = 0; b <= NBUCKET; b++) {
			cum += ld(&m->r[i].bucket[b]);
			if (b < NBUCKET)
				buf_printf(o, "gonggai_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"%g\"} %llu\n",
					   meth, pat, bounds[b], cum);
			else
				buf_printf(o, "gonggai_http_request_duration_seconds_bucket{method=\"%s\",route=\"%s\",le=\"+Inf\"} %llu\n",
					   meth, pat, cum);
		}
		buf_printf(o, "gonggai_http_request_duration_seconds_sum{method=\"%s\",route=\"%s\"} %.6f\n",
			   meth, pat, ld(&m->r[i].sum_us) / 1e6);
		buf_printf(o, "gonggai_http_request_duration_seconds_count{method=\"%s\",route=\"%s\"} %llu\n",
			   meth, pat, cum);
	}
}

void metrics_render(struct app *app, struct buf *o)
{
	int64_t now = clock_now(&app->clock);
	render_requests(app->metrics, o);
	render_latency(app->metrics, o);
	buf_printf(o, "# HELP gonggai_uptime_seconds Seconds since the server started.\n"
		   "# TYPE gonggai_uptime_seconds gauge\ngonggai_uptime_seconds %lld\n",
		   (long long)(now - app->started_at));
	buf_printf(o, "# HELP gonggai_build_info Build information.\n"
		   "# TYPE gonggai_build_info gauge\ngonggai_build_info{version=\"%s\"} 1\n", GG_VERSION);
	buf_printf(o, "# HELP gonggai_sessions Logged-in sessions not yet idle-expired.\n"
		   "# TYPE gonggai_sessions gauge\ngonggai_sessions %d\n", session_count(app->sessions, now));
	for (int i = 0; i < app->nhooks; i++)
		app->hooks[i](app, o);
}

/* Routes whose handler hashes a password (argon2id, 0.15–2 s by design):
** counted, but kept out of the latency summary the inspection grades. */
static const char *const hashing_routes[][2] = {
	{"POST", "/api/session"}, {"POST", "/api/me/password"}, {"POST", "/api/users"},
	{"POST", "/api/users/{id}/password"},
};

int metrics_route_hashes(const char *method, const char *pattern)
{
	for (size_t i = 0; i < sizeof hashing_routes / sizeof hashing_routes[0]; i++)
		if (strcmp(method, hashing_routes[i][0]) == 0 && strcmp(pattern, hashing_routes[i][1]) == 0)
			return 1;
	return 0;
}

void metrics_summary(struct metrics *m, struct metrics_summary *s)
{
	unsigned long long buckets[NBUCKET + 1] = {0};
	memset(s, 0, sizeof *s);
	for (int i = 0; i <= m->nroutes; i++) {
		for (int st = 0; st <= NSTATUS; st++) {
			unsigned long long c = ld(&m->r[i].count[st]);
			s->requests += c;
			if (st < NSTATUS && statuses[st] >= 500)
				s->errors_5xx += c;
		}
		if (i < m->nroutes && metrics_route_hashes(router_method(i), router_pattern(i)))
			continue;
		for (int b = 0; b <= NBUCKET; b++)
			buckets[b] += ld(&m->r[i].bucket[b]);
	}
	unsigned long long cum = 0, total = 0;
	for (int b = 0; b <= NBUCKET; b++)
		total += buckets[b];
	for (int b = 0; b <= NBUCKET && total; b++) {
		cum += buckets[b];
		if (cum * 100 >= total * 99) {
			s->p99_seconds = b < NBUCKET ? bounds[b] : 10;
			break;
		}
	}
}
