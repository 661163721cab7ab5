/*
** case_cache.c: rendered case details (GET /api/cases/{id}) kept per case id
** and served again while nothing they show can have changed.
**
** What the detail shows is a function of: the case row and everything
** hanging off it, which change only through case_record (which adds a
** status row, so the newest status row id moves) or the receipt of 容缺
** materials (which sets tolerance_done_at); the day (every clock number
** moves by day, Asia/Shanghai); the calendar (a new object whenever an
** administrator imports a year); the thresholds (fixed while serving); and
** display names joined from other tables (project, item, department,
** handler), which may change without the case changing: an entry lives at
** most CASE_CACHE_TTL_MS for them. The key is checked against a fresh read
** of the case's stamp (store_case_stamp) on every request, and the data
** scope is checked on that fresh read too, so a hit is what a full read
** would render, names aside for at most the TTL.
**
** Also kept: what actions need of item versions (steps, prerequisites); a
** version never changes, so its id is the whole key.
**
** Shared by the server's worker threads: a fixed direct-mapped table under
** one mutex held only to copy an entry in or out. Owned by the server's app
** (case_cache_new/case_cache_free); the CLI runs without one.
*/
#include "approval/case_int.h"
#include "base/clock.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#define CASE_CACHE_TTL_MS 10000.0

struct slot {
	struct case_cache_key key;
	double born;
	char *text;
	size_t len;
};

#define ITEM_SLOTS 128

struct case_cache {
	pthread_mutex_t mu;
	size_t n;
	struct slot *slots;
	struct case_item_facts *items;   /* ITEM_SLOTS, by version id */
};

struct case_cache *case_cache_new(size_t slots)
{
	struct case_cache *c = calloc(1, sizeof *c);
	if (!c)
		return NULL;
	c->slots = calloc(slots, sizeof *c->slots);
	c->items = calloc(ITEM_SLOTS, sizeof *c->items);
	if (!c->slots || !c->items) {
		free(c->slots);
		free(c->items);
		free(c);
		return NULL;
	}
	c->n = slots;
	pthread_mutex_init(&c->mu, NULL);
	return c;
}

void case_cache_free(struct case_cache *c)
{
	if (!c)
		return;
	for (size_t i = 0; i < c->n; i++)
		free(c->slots[i].text);
	pthread_mutex_destroy(&c->mu);
	free(c->slots);
	free(c->items);
	free(c);
}

/* ---- item versions (immutable: no key but the id) ---------------------------- */

int case_cache_item_get(struct case_cache *c, int64_t id, struct case_item_facts *out)
{
	int hit = 0;
	if (!c)
		return 0;
	pthread_mutex_lock(&c->mu);
	struct case_item_facts *f = &c->items[(size_t)id % ITEM_SLOTS];
	if (f->id == id) {
		*out = *f;
		hit = 1;
	}
	pthread_mutex_unlock(&c->mu);
	return hit;
}

void case_cache_item_put(struct case_cache *c, const struct case_item_facts *f)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	c->items[(size_t)f->id % ITEM_SLOTS] = *f;
	pthread_mutex_unlock(&c->mu);
}

static int same(const struct case_cache_key *a, const struct case_cache_key *b)
{
	return a->id == b->id && a->version == b->version && a->tol_done == b->tol_done && a->day == b->day &&
		a->cal == b->cal;
}

int case_cache_get(struct case_cache *c, const struct case_cache_key *k, struct buf *out)
{
	int hit = 0;
	if (!c)
		return 0;
	double now = clock_mono_ms();
	pthread_mutex_lock(&c->mu);
	struct slot *s = &c->slots[(size_t)k->id % c->n];
	if (s->text && same(&s->key, k) && now - s->born < CASE_CACHE_TTL_MS) {
		buf_append(out, s->text, s->len);
		hit = 1;
	}
	pthread_mutex_unlock(&c->mu);
	return hit;
}

void case_cache_put(struct case_cache *c, const struct case_cache_key *k, const char *text, size_t len)
{
	char *copy;
	if (!c || !(copy = malloc(len + 1)))
		return;
	memcpy(copy, text, len);
	copy[len] = 0;
	double now = clock_mono_ms();
	pthread_mutex_lock(&c->mu);
	struct slot *s = &c->slots[(size_t)k->id % c->n];
	free(s->text);
	s->text = copy;
	s->len = len;
	s->key = *k;
	s->born = now;
	pthread_mutex_unlock(&c->mu);
}
