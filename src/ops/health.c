/*
** health.c: the database write probe behind /api/health (see health.h).
*/
#include "ops/health.h"

#include <pthread.h>
#include <stdlib.h>

struct db_health {
	pthread_mutex_t mu;
	int probing;          /* a request is writing the probe row    */
	int done;             /* at least one probe has finished       */
	double at_ms;         /* when the last probe finished          */
	struct err last;      /* its result (code 0: the write worked) */
};

struct db_health *health_new(void)
{
	struct db_health *h = calloc(1, sizeof *h);
	if (h)
		pthread_mutex_init(&h->mu, NULL);
	return h;
}

void health_free(struct db_health *h)
{
	if (!h)
		return;
	pthread_mutex_destroy(&h->mu);
	free(h);
}

int health_db(struct db_health *h, struct store *st, double mono_ms, int64_t now, struct err *e)
{
	pthread_mutex_lock(&h->mu);
	int fresh = h->done && mono_ms - h->at_ms < HEALTH_PROBE_S * 1000.0;
	if (fresh || (h->probing && h->done)) {
		*e = h->last;
		pthread_mutex_unlock(&h->mu);
		return e->code;
	}
	h->probing = 1;
	pthread_mutex_unlock(&h->mu);

	struct err pe;
	err_clear(&pe);
	store_write_probe(st, now, HEALTH_BUSY_MS, &pe);

	pthread_mutex_lock(&h->mu);
	h->probing = 0;
	h->done = 1;
	h->at_ms = mono_ms;
	h->last = pe;
	pthread_mutex_unlock(&h->mu);
	*e = pe;
	return e->code;
}
