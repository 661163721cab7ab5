/*
** auth_gate.c: the server's shared state of logins (see auth.h): the bound
** on concurrent hashing, the threads that hash off the HTTP workers, the
** per-address failure window and the lock of names that are no account.
**
** Both tables are fixed-size open addressing (GUARD_SLOTS, 8 probes); when
** every probed slot is taken the oldest entry is replaced, so an attacker
** spraying names or addresses costs memory no more than the table.
*/
#include "org/auth.h"

#include <pthread.h>
#include <semaphore.h>
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#define GUARD_SLOTS 4096
#define GUARD_PROBES 8
#define WINDOW_SECONDS 60

struct guard_slot {
	char key[72];            /* address or user name, "" when free */
	int64_t since;           /* start of the window / first failure */
	int count;
	int64_t until;           /* blocked (address) or locked (name) until */
};

struct gate_job {
	void (*fn)(void *arg);
	void (*dbfn)(struct store *st, void *arg);    /* or this, with a connection */
	void *arg;
	const char *path;
	int flags;
	struct store_pool *pool;
	struct gate_job *next;
};

struct auth_gate {
	sem_t sem;
	pthread_mutex_t mu;
	char dummy[256];         /* hash checked for names that are no account */
	struct guard_slot sources[GUARD_SLOTS], names[GUARD_SLOTS];
	pthread_cond_t work;
	struct gate_job *head, *tail;
	int stop, nthreads;
	pthread_t *threads;
};

/* A job on worker thread whose connection is *st (opened at its first
** database job, kept until the gate is freed: never one of the server's
** pool, which the HTTP workers need while argon2 runs here). */
static void run_job(struct gate_job *j, struct store **st)
{
	struct err e;
	if (!j->dbfn) {
		j->fn(j->arg);
		return;
	}
	if (!*st && store_open(j->path, j->flags, st, &e) == 0 && j->pool)
		store_pool_share_gate(j->pool, *st);
	j->dbfn(*st, j->arg);
}

static void *worker_main(void *arg)
{
	struct auth_gate *g = arg;
	struct store *st = NULL;
	pthread_mutex_lock(&g->mu);
	for (;;) {
		while (!g->head && !g->stop)
			pthread_cond_wait(&g->work, &g->mu);
		if (!g->head)
			break;
		struct gate_job *j = g->head;
		g->head = j->next;
		if (!g->head)
			g->tail = NULL;
		pthread_mutex_unlock(&g->mu);
		run_job(j, &st);
		free(j);
		pthread_mutex_lock(&g->mu);
	}
	pthread_mutex_unlock(&g->mu);
	store_close(st);
	return NULL;
}

struct auth_gate *auth_gate_new(int max_concurrent)
{
	struct auth_gate *g = calloc(1, sizeof *g);
	int n = max_concurrent > 0 ? max_concurrent : 1;
	if (!g)
		return NULL;
	sem_init(&g->sem, 0, n);
	pthread_mutex_init(&g->mu, NULL);
	pthread_cond_init(&g->work, NULL);
	g->threads = calloc(n, sizeof *g->threads);
	for (int i = 0; g->threads && i < n; i++)
		if (pthread_create(&g->threads[g->nthreads], NULL, worker_main, g) == 0)
			g->nthreads++;
	return g;
}

void auth_gate_free(struct auth_gate *g)
{
	if (!g)
		return;
	pthread_mutex_lock(&g->mu);
	g->stop = 1;
	pthread_cond_broadcast(&g->work);
	pthread_mutex_unlock(&g->mu);
	for (int i = 0; i < g->nthreads; i++)
		pthread_join(g->threads[i], NULL);
	free(g->threads);
	pthread_cond_destroy(&g->work);
	pthread_mutex_destroy(&g->mu);
	sem_destroy(&g->sem);
	free(g);
}

static void submit(struct auth_gate *g, struct gate_job *j)
{
	pthread_mutex_lock(&g->mu);
	if (g->tail)
		g->tail->next = j;
	else
		g->head = j;
	g->tail = j;
	pthread_cond_signal(&g->work);
	pthread_mutex_unlock(&g->mu);
}

void auth_gate_run(struct auth_gate *g, void (*fn)(void *arg), void *arg)
{
	struct gate_job *j = g && g->nthreads ? calloc(1, sizeof *j) : NULL;
	if (!j) {                 /* no threads (or no memory): run it here */
		fn(arg);
		return;
	}
	*j = (struct gate_job){.fn = fn, .arg = arg};
	submit(g, j);
}

void auth_gate_run_db(struct auth_gate *g, const char *path, int flags, struct store_pool *pool,
		      void (*fn)(struct store *st, void *arg), void *arg)
{
	struct gate_job *j = g && g->nthreads ? calloc(1, sizeof *j) : NULL;
	if (!j) {                 /* no threads (or no memory): a connection of the caller's */
		struct store *st = NULL;
		struct err e;
		if (store_open(path, flags, &st, &e) == 0 && pool)
			store_pool_share_gate(pool, st);
		fn(st, arg);
		store_close(st);
		return;
	}
	*j = (struct gate_job){.dbfn = fn, .arg = arg, .path = path, .flags = flags, .pool = pool};
	submit(g, j);
}

void auth_gate_enter(struct auth_gate *g) { if (g) sem_wait(&g->sem); }
void auth_gate_leave(struct auth_gate *g) { if (g) sem_post(&g->sem); }

const char *auth_gate_dummy(struct auth_gate *g, const struct auth_policy *p)
{
	static const char pw[] = "gonggai: no such account";
	if (!g)
		return "";
	pthread_mutex_lock(&g->mu);
	if (!g->dummy[0] && crypto_pwhash_str(g->dummy, pw, sizeof pw - 1, p->opslimit, p->memlimit) != 0)
		g->dummy[0] = 0;
	pthread_mutex_unlock(&g->mu);
	return g->dummy;
}

/* The slot of key (mu held): found, else a free or the oldest probed one,
** reset for key. */
static struct guard_slot *slot(struct guard_slot *t, const char *key)
{
	unsigned char h[8];
	uint64_t i;
	struct guard_slot *oldest = NULL;
	crypto_shorthash(h, (const unsigned char *)key, strlen(key),
			 (const unsigned char *)"gonggai-guard-16");
	memcpy(&i, h, sizeof i);
	for (int n = 0; n < GUARD_PROBES; n++) {
		struct guard_slot *s = &t[(i + n) % GUARD_SLOTS];
		if (strcmp(s->key, key) == 0)
			return s;
		if (!oldest || !s->key[0] || (oldest->key[0] && s->since < oldest->since))
			oldest = s;
	}
	memset(oldest, 0, sizeof *oldest);
	snprintf(oldest->key, sizeof oldest->key, "%s", key);
	return oldest;
}

int64_t auth_gate_blocked(struct auth_gate *g, const char *source, int64_t now)
{
	int64_t wait = 0;
	if (!g)
		return 0;
	pthread_mutex_lock(&g->mu);
	struct guard_slot *s = slot(g->sources, source);
	if (s->until > now)
		wait = s->until - now;
	pthread_mutex_unlock(&g->mu);
	return wait;
}

void auth_gate_failed(struct auth_gate *g, const struct auth_policy *p, const char *source, int64_t now)
{
	if (!g || p->rate_per_minute <= 0)
		return;
	pthread_mutex_lock(&g->mu);
	struct guard_slot *s = slot(g->sources, source);
	if (now - s->since >= WINDOW_SECONDS) {
		s->since = now;
		s->count = 0;
	}
	if (++s->count >= p->rate_per_minute)
		s->until = s->since + WINDOW_SECONDS;
	pthread_mutex_unlock(&g->mu);
}

int64_t auth_gate_name_locked(struct auth_gate *g, const char *username, int64_t now)
{
	int64_t until = 0;
	if (!g)
		return 0;
	pthread_mutex_lock(&g->mu);
	struct guard_slot *s = slot(g->names, username);
	if (s->until > now)
		until = s->until;
	pthread_mutex_unlock(&g->mu);
	return until;
}

int64_t auth_gate_name_failed(struct auth_gate *g, const struct auth_policy *p, const char *username, int64_t now)
{
	int64_t until = 0;
	if (!g)
		return 0;
	pthread_mutex_lock(&g->mu);
	struct guard_slot *s = slot(g->names, username);
	if (!s->since)
		s->since = now;
	if (s->until <= now && ++s->count >= p->lock_failures) {
		s->until = now + (int64_t)p->lock_minutes * 60;
		s->count = 0;
		until = s->until;
	}
	pthread_mutex_unlock(&g->mu);
	return until;
}
