/*
** session.c: the in-memory session table (see session.h). Open addressing
** with tombstones. When live entries and tombstones fill 3/4 of it, the
** table is rebuilt without tombstones and expired entries at the size that
** leaves the live ones at most half of it: it grows with the sessions in
** use and shrinks back after them, whatever the number of logins/logouts.
*/
#include "org/session.h"

#include <pthread.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

struct slot {
	char token[SESSION_TOKEN_LEN + 1];   /* "" empty, "-" tombstone */
	struct principal p;
	int64_t last_seen, checked_at;
};

struct session_table {
	pthread_mutex_t mu;
	struct slot *slots;
	size_t cap, used;                /* used: live entries + tombstones */
	int idle, recheck;
};

struct session_table *session_table_new(int idle_seconds, int recheck_seconds)
{
	struct session_table *t = calloc(1, sizeof *t);
	if (!t)
		return NULL;
	t->cap = 256;
	t->slots = calloc(t->cap, sizeof *t->slots);
	t->idle = idle_seconds;
	t->recheck = recheck_seconds;
	pthread_mutex_init(&t->mu, NULL);
	return t;
}

void session_table_free(struct session_table *t)
{
	if (!t)
		return;
	pthread_mutex_destroy(&t->mu);
	sodium_memzero(t->slots, t->cap * sizeof *t->slots);
	free(t->slots);
	free(t);
}

static size_t hash_token(const char *tok, size_t cap)
{
	/* tokens are random hex: their first 16 digits are a fine hash */
	return strtoull((char[17]){tok[0], tok[1], tok[2], tok[3], tok[4], tok[5], tok[6], tok[7],
				   tok[8], tok[9], tok[10], tok[11], tok[12], tok[13], tok[14], tok[15], 0},
			NULL, 16) & (cap - 1);
}

static struct slot *find(struct session_table *t, const char *token)
{
	if (strlen(token) != SESSION_TOKEN_LEN)
		return NULL;
	for (size_t i = hash_token(token, t->cap), n = 0; n < t->cap; n++, i = (i + 1) & (t->cap - 1)) {
		struct slot *s = &t->slots[i];
		if (!s->token[0])
			return NULL;
		if (sodium_memcmp(s->token, token, SESSION_TOKEN_LEN) == 0)
			return s;
	}
	return NULL;
}

static void put(struct slot *slots, size_t cap, const struct slot *src)
{
	size_t i = hash_token(src->token, cap);
	while (slots[i].token[0] && strcmp(slots[i].token, "-") != 0)
		i = (i + 1) & (cap - 1);
	slots[i] = *src;
}

static int is_live(const struct session_table *t, const struct slot *s, int64_t now)
{
	return s->token[0] && s->token[0] != '-' && now - s->last_seen <= t->idle;
}

static void rebuild(struct session_table *t, int64_t now)
{
	size_t live = 0, cap = 256;
	for (size_t i = 0; i < t->cap; i++)
		live += is_live(t, &t->slots[i], now);
	while ((live + 1) * 2 >= cap)
		cap *= 2;
	struct slot *n = calloc(cap, sizeof *n);
	if (!n)
		return;
	for (size_t i = 0; i < t->cap; i++)
		if (is_live(t, &t->slots[i], now))
			put(n, cap, &t->slots[i]);
	t->used = live;
	sodium_memzero(t->slots, t->cap * sizeof *t->slots);
	free(t->slots);
	t->slots = n;
	t->cap = cap;
}

int session_create(struct session_table *t, const struct principal *p, int64_t now, char *out)
{
	unsigned char raw[SESSION_TOKEN_LEN / 2];
	struct slot s = {.p = *p, .last_seen = now, .checked_at = now};
	randombytes_buf(raw, sizeof raw);
	sodium_bin2hex(s.token, sizeof s.token, raw, sizeof raw);
	pthread_mutex_lock(&t->mu);
	if ((t->used + 1) * 4 >= t->cap * 3)
		rebuild(t, now);
	put(t->slots, t->cap, &s);
	t->used++;
	pthread_mutex_unlock(&t->mu);
	memcpy(out, s.token, sizeof s.token);
	return 0;
}

enum session_state session_get(struct session_table *t, const char *token, int64_t now,
			       struct principal *p)
{
	enum session_state st = SESSION_NONE;
	pthread_mutex_lock(&t->mu);
	struct slot *s = find(t, token);
	if (s && now - s->last_seen > t->idle) {
		strcpy(s->token, "-");
		s = NULL;
	}
	if (s) {
		s->last_seen = now;
		*p = s->p;
		st = now - s->checked_at >= t->recheck ? SESSION_STALE : SESSION_OK;
	}
	pthread_mutex_unlock(&t->mu);
	return st;
}

void session_refresh(struct session_table *t, const char *token, const struct principal *p, int64_t now)
{
	pthread_mutex_lock(&t->mu);
	struct slot *s = find(t, token);
	if (s) {
		s->p = *p;
		s->checked_at = now;
	}
	pthread_mutex_unlock(&t->mu);
}

void session_drop(struct session_table *t, const char *token)
{
	pthread_mutex_lock(&t->mu);
	struct slot *s = find(t, token);
	if (s)
		strcpy(s->token, "-");
	pthread_mutex_unlock(&t->mu);
}

void session_drop_others(struct session_table *t, int64_t user_id, const char *keep)
{
	pthread_mutex_lock(&t->mu);
	for (size_t i = 0; i < t->cap; i++) {
		struct slot *s = &t->slots[i];
		if (s->token[0] && s->token[0] != '-' && s->p.user_id == user_id &&
		    !(keep && strcmp(s->token, keep) == 0))
			strcpy(s->token, "-");
	}
	pthread_mutex_unlock(&t->mu);
}

void session_drop_user(struct session_table *t, int64_t user_id)
{
	session_drop_others(t, user_id, NULL);
}

size_t session_capacity(struct session_table *t)
{
	pthread_mutex_lock(&t->mu);
	size_t cap = t->cap;
	pthread_mutex_unlock(&t->mu);
	return cap;
}

int session_count(struct session_table *t, int64_t now)
{
	int n = 0;
	pthread_mutex_lock(&t->mu);
	for (size_t i = 0; i < t->cap; i++)
		if (t->slots[i].token[0] && t->slots[i].token[0] != '-' && now - t->slots[i].last_seen <= t->idle)
			n++;
	pthread_mutex_unlock(&t->mu);
	return n;
}
