/*
** case_cache.c: rendered case details (GET /api/cases/{id}) kept per case id
** and served again while nothing they show can have changed.
**
** What the detail shows is a function of the case row and everything
** hanging off it, the day (every clock number moves by day, Asia/Shanghai),
** the calendar (a new object whenever an administrator imports a year), the
** thresholds (fixed while serving) and display names joined from other
** tables. Every change of a case made by this server passes case_record or
** the receipt of 容缺 materials, and the code that commits it calls
** case_cache_invalidate(id) right after the commit; an entry is keyed by
** (id, day, calendar) and a reader that rendered from the database stores
** its text only if no invalidation of that slot happened since it looked
** (a generation per slot), so a late reader never overwrites a newer
** answer. What this process cannot see — a change made by the command line
** in another process, a renamed project or department — shows after at most
** CASE_CACHE_TTL_MS. The case's department and district are kept with the
** text so the data scope is checked on every hit.
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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define CASE_CACHE_TTL_MS 2000.0

struct slot {
	struct case_cache_key key;
	uint64_t gen;                 /* bumped by every invalidation          */
	double born;
	struct case_access access;
	char *text;                   /* NULL: empty                           */
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
	return a->id == b->id && a->day == b->day && a->cal == b->cal;
}

int case_cache_get(struct case_cache *c, const struct case_cache_key *k, struct buf *out, struct case_access *a,
		   uint64_t *gen)
{
	int hit = 0;
	*gen = 0;
	if (!c)
		return 0;
	double now = clock_mono_ms();
	pthread_mutex_lock(&c->mu);
	struct slot *s = &c->slots[(size_t)k->id % c->n];
	*gen = s->gen;
	if (s->text && same(&s->key, k) && now - s->born < CASE_CACHE_TTL_MS) {
		buf_append(out, s->text, s->len);
		*a = s->access;
		hit = 1;
	}
	pthread_mutex_unlock(&c->mu);
	return hit;
}

void case_cache_put(struct case_cache *c, const struct case_cache_key *k, uint64_t gen, const struct case_access *a,
		    const char *text, size_t len)
{
	char *copy;
	if (!c || !(copy = malloc(len + 1)))
		return;
	memcpy(copy, text, len);
	copy[len] = 0;
	double now = clock_mono_ms();
	pthread_mutex_lock(&c->mu);
	struct slot *s = &c->slots[(size_t)k->id % c->n];
	if (s->gen != gen) {          /* invalidated since the reader looked */
		pthread_mutex_unlock(&c->mu);
		free(copy);
		return;
	}
	free(s->text);
	s->text = copy;
	s->len = len;
	s->key = *k;
	s->born = now;
	s->access = *a;
	pthread_mutex_unlock(&c->mu);
}

void case_cache_invalidate(struct case_cache *c, int64_t id)
{
	if (!c)
		return;
	pthread_mutex_lock(&c->mu);
	struct slot *s = &c->slots[(size_t)id % c->n];
	s->gen++;
	free(s->text);
	s->text = NULL;
	pthread_mutex_unlock(&c->mu);
}
