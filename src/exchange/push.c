/*
** push.c: one exchange round against the front DB: connect and lock, check
** the schema, settle batches a crash left open, pull verdicts, collect what
** changed, and send everything due table by table in spgl.md's order.
** A round with nothing to do (store_xchg_idle) records its run and does
** not connect.
**
** A batch of due rows: (1) its rows get the batch id in SQLite (committed:
** the intent), (2) one front-DB transaction inserts them (COPY, or INSERT ...
** RETURNING LSH), (3) SQLite records each row sent with its LSH and clears
** the intent. A crash between (1) and (3) leaves the intent; the next round,
** holding the advisory lock (so the crashed session's transaction is over),
** looks up the front DB's rows with those DFSJZJ: an LSH we never recorded
** is the batch's row, which committed; none means it did not, and the rows
** are due again.
**
** A batch collected and sent at once (harvest.c, a keyed batch): its rows
** go into exchange_rows already recorded as sent (LSH '*') with the chunk
** that collected them, and its intent names them (ids lo..hi of the
** table); the COPY runs while the next chunk is collected, whose
** transaction then removes the intent. No LSH is read back: a first
** version is the only front-DB row with its DFSJZJ, so the next pull finds
** its verdict and LSH by DFSJZJ, and settling the intent after a crash
** keeps the rows the front DB has and makes the others due. (Intents of
** migration 0023 carry their rows as TSV; they are still settled.)
*/
#include "exchange/xchg_int.h"

#include "base/clock.h"
#include "base/log.h"
#include "org/audit.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct round {
	struct store *st;
	const struct exchange_conf *cf;
	struct xmap *m;
	struct front *f;
	int64_t now;
	json_t *now_text;         /* SCSJ: now, Asia/Shanghai */
	int64_t *sent, *refused;  /* per table of m, this round */
	struct xfast inflight[FRONT_QUEUE];   /* collected batches the front DB is taking, */
	int head, ninflight;                  /* oldest first                              */
	int late_refused;         /* a refusal learned outside a chunk, for the next one */
	struct err *e;
};

/* Load the mapping, connect, take the lock (a round that writes), read the
** columns; with schema_check the first error of the comparison fails. */
static int connect_round(struct round *r, int lock, int schema_check)
{
	if (xmap_load(r->cf->mapping, &r->m, r->e) || front_open(r->cf->target, &r->f, r->e))
		return r->e->code;
	if ((lock && front_lock(r->f, r->e)) || front_discover(r->f, r->m, r->e))
		return r->e->code;
	if (!schema_check)
		return 0;
	for (int i = 0; i < r->m->ntables; i++) {
		int errors = 0, warnings = 0;
		json_t *p = json_array();
		xmap_compare(&r->m->tables[i], p, &errors, &warnings);
		if (errors) {
			size_t k;
			json_t *v;
			json_array_foreach(p, k, v) if (strcmp(json_string_value(json_object_get(v, "severity")), "error") == 0) {
				err_set(r->e, ERR_INVALID, "target", "%s (gonggai exchange check lists every problem)",
					json_string_value(json_object_get(v, "message")));
				break;
			}
			json_decref(p);
			return r->e->code;
		}
		json_decref(p);
	}
	return 0;
}

static void end_round(struct round *r)
{
	front_close(r->f);
	xmap_free(r->m);
}

/* ---- settling open batches ------------------------------------------------------------------ */

struct settle {
	struct round *r;
	json_t *rows;     /* dfsjzj -> {id, hash} of the batch */
	int64_t batch;
	int64_t settled;
};

static int settle_found(void *arg, const char *dfsjzj, const char *lsh)
{
	struct settle *s = arg;
	json_t *row = json_object_get(s->rows, dfsjzj);
	int known;
	if (!row)
		return 0;
	int64_t id = json_integer_value(json_object_get(row, "id"));
	if (store_xchg_lsh_known(s->r->st, id, lsh, &known, s->r->e))
		return s->r->e->code;
	if (known)
		return 0;
	s->settled++;
	return store_xchg_sent(s->r->st, id, json_string_value(json_object_get(row, "hash")), lsh, s->batch,
			       s->r->now, s->r->e);
}

static struct xtable *table_named(struct xmap *m, const char *name)
{
	for (int i = 0; i < m->ntables; i++)
		if (strcmp(m->tables[i].table, name) == 0)
			return &m->tables[i];
	return NULL;
}

static int settle_batch(struct round *r, int64_t batch, const char *tbl, int64_t *settled)
{
	struct settle s = {.r = r, .rows = json_object(), .batch = batch};
	json_t *rows, *v;
	size_t i;
	struct xtable *t = table_named(r->m, tbl);
	int rc = store_xchg_batch_rows(r->st, batch, &rows, r->e);
	if (rc)
		goto out;
	const char **keys = calloc(json_array_size(rows) + 1, sizeof *keys);
	json_array_foreach(rows, i, v) {
		keys[i] = json_string_value(json_object_get(v, "dfsjzj"));
		json_object_set(s.rows, keys[i], v);
	}
	rc = store_begin(r->st, r->e);
	if (!rc && t && t->present && json_array_size(rows))
		rc = front_rows_of(r->f, t, r->cf->xzqhdm, keys, (int)json_array_size(rows), settle_found, &s, r->e);
	if (!rc)
		rc = store_xchg_batch_done(r->st, batch, r->e);
	rc = rc ? (store_rollback(r->st), rc) : store_commit(r->st, r->e);
	free(keys);
	json_decref(rows);
	*settled += s.settled;
	if (!rc)
		log_msg(LOG_WARN, "exchange", "settled batch %lld of %s left open by a crash: %lld row(s) had been "
			"committed", (long long)batch, tbl, (long long)s.settled);
out:
	json_decref(s.rows);
	return rc;
}

/* ---- batches collected and sent in one go (harvest.c's xfast) ---------------------------------- */

/* The rows of a 0023 intent (its rows as TSV) into exchange_rows: sent
** with the LSH the front DB has for their DFSJZJ (lsh_of), due without
** one; and the intent removed. One SQLite transaction. */
static int record_blob(struct round *r, const struct xtable *t, int64_t batch, char *blob, json_t *lsh_of,
		       int64_t *sent)
{
	char *f[9], *p = blob;
	int rc = store_begin(r->st, r->e);
	while (!rc && xchg_blob_next(&p, f)) {
		struct xchg_row x = {.tbl = t->table, .dfsjzj = f[0], .object = f[1] ? f[1] : "", .department = f[2],
				     .ptbl = f[3], .pkey = f[4], .ptbl2 = f[5], .pkey2 = f[6],
				     .content = f[7] ? f[7] : "{}", .hash = f[8] ? f[8] : ""};
		const char *l = json_string_value(json_object_get(lsh_of, f[0] ? f[0] : ""));
		if (!f[0])
			continue;
		rc = l ? store_xchg_put_sent(r->st, &x, l, r->now, r->e) : store_xchg_put(r->st, &x, r->now, r->e);
		*sent += l != NULL;
	}
	if (!rc)
		rc = store_xchg_batch_done(r->st, batch, r->e);
	return rc ? (store_rollback(r->st), rc) : store_commit(r->st, r->e);
}

static int blob_found(void *arg, const char *dfsjzj, const char *lsh)
{
	json_object_set_new(arg, dfsjzj, json_string(lsh));
	return 0;
}

/* A crash left a 0023 intent of a collected batch: its rows the front DB has
** (our DFSJZJ, unknown to exchange_rows before) are recorded sent, the
** others due. */
static int settle_blob(struct round *r, int64_t batch, const char *tbl, const char *rows, int64_t *settled)
{
	struct xtable *t = table_named(r->m, tbl);
	char *blob = strdup(rows), *p = blob, *f[9];
	json_t *lsh_of = json_object();
	const char **keys = NULL;
	int n = 0, cap = 0, rc = 0;
	while (xchg_blob_next(&p, f)) {
		if (n == cap) {
			const char **grown = realloc(keys, sizeof *keys * (size_t)(cap ? cap * 2 : 256));
			if (!grown) {
				rc = err_set(r->e, ERR_INTERNAL, "", "out of memory");
				break;
			}
			keys = grown;
			cap = cap ? cap * 2 : 256;
		}
		keys[n++] = f[0] ? f[0] : "";
	}
	if (!rc && t && t->present && n)
		rc = front_rows_of(r->f, t, r->cf->xzqhdm, keys, n, blob_found, lsh_of, r->e);
	free(keys);
	free(blob);
	if (!rc && t) {
		int64_t found = 0;
		blob = strdup(rows);
		rc = record_blob(r, t, batch, blob, lsh_of, &found);
		free(blob);
		*settled += found;
		if (!rc)
			log_msg(LOG_WARN, "exchange", "settled batch %lld of %s left open by a crash: %lld row(s) had been "
				"committed", (long long)batch, tbl, (long long)found);
	}
	json_decref(lsh_of);
	return rc;
}

struct keyed {
	struct round *r;
	json_t *ids;      /* dfsjzj -> row id, of rows whose LSH is not known */
	int64_t found, changed, accepted, rejected;
};

/* A front-DB row with the key of one of ours sent in a keyed batch: its
** LSH (and verdict, sjsczt >= 0). The first one found is the row's. */
static int keyed_got(void *arg, const char *dfsjzj, const char *lsh, int sjsczt, const char *sbyy)
{
	struct keyed *k = arg;
	json_t *id = json_object_get(k->ids, dfsjzj);
	int changed;
	if (!id)
		return 0;
	if (sjsczt > 3)
		sjsczt = -1;
	if (store_xchg_lsh_learned(k->r->st, json_integer_value(id), lsh, sjsczt, sjsczt == 2 ? sbyy : NULL,
				   k->r->now, &changed, k->r->e))
		return k->r->e->code;
	json_object_del(k->ids, dfsjzj);
	k->found++;
	k->changed += changed;
	k->accepted += changed && sjsczt == 3;
	k->rejected += changed && sjsczt == 2;
	return 0;
}

static int keyed_found(void *arg, const char *dfsjzj, const char *lsh)
{
	return keyed_got(arg, dfsjzj, lsh, -1, NULL);
}

/* Learn the LSH of rows[i] (whose ids by key are in k->ids) from the front
** DB; the ones it lacks stay in k->ids. */
static int keyed_lookup(struct round *r, const struct xtable *t, struct keyed *k, int verdicts)
{
	const char *key;
	json_t *v;
	size_t n = json_object_size(k->ids), i = 0;
	const char **keys = calloc(n + 1, sizeof *keys);
	json_object_foreach(k->ids, key, v)
		keys[i++] = key;
	int rc = 0;
	if (n && verdicts)
		rc = front_verdicts_keyed(r->f, t, r->cf->xzqhdm, keys, (int)n, keyed_got, k, r->e);
	else if (n)
		rc = front_rows_of(r->f, t, r->cf->xzqhdm, keys, (int)n, keyed_found, k, r->e);
	free(keys);
	return rc;
}

/* A crash left the intent of a keyed batch (rows lo..hi of tbl sent with
** '*'): the rows the front DB has stay sent, with their LSH; the others
** are due again. */
static int settle_keyed(struct round *r, int64_t batch, const char *tbl, int64_t lo, int64_t hi, int64_t *settled)
{
	struct xtable *t = table_named(r->m, tbl);
	struct keyed k = {.r = r, .ids = json_object()};
	json_t *rows, *v;
	size_t i;
	int rc = store_begin(r->st, r->e);
	if (!rc)
		rc = store_xchg_keyed_rows(r->st, tbl, lo, hi, &rows, r->e);
	if (!rc) {
		json_array_foreach(rows, i, v)
			json_object_set(k.ids, json_string_value(json_object_get(v, "dfsjzj")), json_object_get(v, "id"));
		json_decref(rows);
		if (t && t->present)
			rc = keyed_lookup(r, t, &k, 0);
	}
	const char *key;
	json_object_foreach(k.ids, key, v) {
		if (rc)
			break;
		rc = xchg_unsend(r->st, tbl, json_integer_value(v), json_integer_value(v), r->now, r->e);
	}
	if (!rc)
		rc = store_xchg_batch_done(r->st, batch, r->e);
	rc = rc ? (store_rollback(r->st), rc) : store_commit(r->st, r->e);
	json_decref(k.ids);
	*settled += k.found;
	if (!rc)
		log_msg(LOG_WARN, "exchange", "settled batch %lld of %s left open by a crash: %lld row(s) had been "
			"committed", (long long)batch, tbl, (long long)k.found);
	return rc;
}

static int settle_all(struct round *r, int64_t *settled)
{
	json_t *b = NULL, *v;
	size_t i;
	int rc = store_xchg_batches(r->st, &b, r->e);
	json_array_foreach(b, i, v) {
		if (rc)
			break;
		int64_t batch = json_integer_value(json_object_get(v, "batch"));
		const char *tbl = json_string_value(json_object_get(v, "tbl"));
		const char *rows = json_string_value(json_object_get(v, "rows"));
		if (json_is_integer(json_object_get(v, "lo")))
			rc = settle_keyed(r, batch, tbl, json_integer_value(json_object_get(v, "lo")),
					  json_integer_value(json_object_get(v, "hi")), settled);
		else
			rc = rows ? settle_blob(r, batch, tbl, rows, settled) : settle_batch(r, batch, tbl, settled);
	}
	json_decref(b);
	return rc;
}

/* ---- verdicts ------------------------------------------------------------------------------------ */

struct pull {
	struct round *r;
	json_t *ids;      /* lsh -> row id */
	int64_t accepted, rejected, changed;
};

static int pull_got(void *arg, const char *lsh, int sjsczt, const char *sbyy)
{
	struct pull *p = arg;
	int changed;
	json_t *id = json_object_get(p->ids, lsh);
	if (!id || sjsczt < 0 || sjsczt > 3)
		return 0;
	if (store_xchg_verdict(p->r->st, json_integer_value(id), lsh, sjsczt, sjsczt == 2 ? sbyy : NULL, p->r->now,
			       &changed, p->r->e))
		return p->r->e->code;
	p->changed += changed;
	p->accepted += changed && sjsczt == 3;
	p->rejected += changed && sjsczt == 2;
	return 0;
}

static int pull_group(struct round *r, struct xtable *t, struct pull *p, int sjsczt, int due)
{
	int64_t after = 0;
	for (;;) {
		json_t *rows, *v;
		size_t i;
		if (store_xchg_open(r->st, t->table, sjsczt, due, after, 1000, &rows, r->e))
			return r->e->code;
		size_t n = json_array_size(rows), nl = 0;
		const char **lsh = calloc(n + 1, sizeof *lsh);
		struct keyed k = {.r = r, .ids = json_object()};
		p->ids = json_object();
		json_array_foreach(rows, i, v) {
			const char *l = json_string_value(json_object_get(v, "lsh"));
			if (strcmp(l, XCHG_LSH_BYKEY) == 0)      /* a keyed batch's: found by DFSJZJ */
				json_object_set(k.ids, json_string_value(json_object_get(v, "dfsjzj")),
						json_object_get(v, "id"));
			else {
				lsh[nl++] = l;
				json_object_set(p->ids, l, json_object_get(v, "id"));
			}
			after = json_integer_value(json_object_get(v, "id"));
		}
		int rc = n ? store_begin(r->st, r->e) : 0;
		if (n && !rc) {
			rc = nl ? front_verdicts(r->f, t, lsh, (int)nl, pull_got, p, r->e) : 0;
			if (!rc)
				rc = keyed_lookup(r, t, &k, 1);
			rc = rc ? (store_rollback(r->st), rc) : store_commit(r->st, r->e);
		}
		p->changed += k.changed;
		p->accepted += k.accepted;
		p->rejected += k.rejected;
		free(lsh);
		json_decref(k.ids);
		json_decref(p->ids);
		json_decref(rows);
		if (rc || n < 1000)
			return rc;
	}
}

/* The rows of t awaiting a verdict, SJSCZT 1 first (a row the front DB
** moves from 0 to 1 meanwhile is not read twice), due again or not: each
** group in id order. */
static int pull_table(struct round *r, struct xtable *t, struct pull *p)
{
	for (int g = 0; g < 4; g++) {
		int rc = pull_group(r, t, p, g < 2, g % 2);
		if (rc)
			return rc;
	}
	return 0;
}

static int pull_all(struct round *r, struct pull *p)
{
	p->r = r;
	for (int i = 0; i < r->m->ntables; i++)
		if (r->m->tables[i].present && r->m->tables[i].has_lsh && pull_table(r, &r->m->tables[i], p))
			return r->e->code;
	return 0;
}

/* ---- sending ---------------------------------------------------------------------------------------- */

struct batch {
	int n, ok;
	int64_t *ids;
	char **hash;
	char ***values;   /* per good row: the present columns' texts */
	char **lsh;
};

static void batch_free(struct batch *b, int ncols)
{
	for (int i = 0; i < b->ok; i++) {
		for (int j = 0; j < ncols; j++)
			free(b->values[i][j]);
		free(b->values[i]);
		free(b->lsh[i]);
		free(b->hash[i]);
	}
	free(b->values);
	free(b->lsh);
	free(b->hash);
	free(b->ids);
}

/* Convert one due row; refuse it locally when a value does not fit. */
static int prepare_row(struct round *r, const struct xtable *t, const json_t *row, struct batch *b, int ncols,
		       int64_t *refused)
{
	char reason[400] = "";
	json_t *content = json_loads(json_string_value(json_object_get(row, "content")), 0, NULL);
	char **vals = calloc((size_t)ncols + 1, sizeof *vals);
	int k = 0, bad = !content;
	for (int i = 0; i < t->ncols && !bad; i++) {
		const struct xcol *c = &t->cols[i];
		if (!c->present)
			continue;
		const json_t *v = strcmp(c->source, "$now") == 0 ? r->now_text : json_object_get(content, c->name);
		bad = xmap_value(c, v, &vals[k++], reason, sizeof reason) != 0;
	}
	json_decref(content);
	const char *hash = json_string_value(json_object_get(row, "hash"));
	int64_t id = json_integer_value(json_object_get(row, "id"));
	if (bad) {
		for (int i = 0; i < k; i++)
			free(vals[i]);
		free(vals);
		(*refused)++;
		return store_xchg_refused(r->st, id, hash, *reason ? reason : "内容无法解析", r->now, r->e);
	}
	b->ids[b->ok] = id;
	b->hash[b->ok] = strdup(hash);
	b->values[b->ok++] = vals;
	return 0;
}

/* Fault injection of the sanitizer build's tests: GG_EXCHANGE_CRASH=WHERE:N
** kills the process with SIGKILL at the Nth batch reaching WHERE (intent:
** recorded, not sent; commit: committed in the front DB, not recorded). */
static void crash_point(const char *where)
{
#ifdef GG_TESTING
	static int seen;
	const char *k = getenv("GG_EXCHANGE_CRASH");
	size_t n = strlen(where);
	if (k && strncmp(k, where, n) == 0 && k[n] == ':' && ++seen == atoi(k + n + 1))
		raise(SIGKILL);
#else
	(void)where;
#endif
}

/* Send the prepared rows [from, from+n) as one batch; on a data error retry
** them one by one, refusing (locally, with the front DB's message) a row
** the front DB will not take. */
static int send_rows(struct round *r, const struct xtable *t, struct batch *b, int from, int n, int64_t *sent,
		     int64_t *refused)
{
	int64_t batch;
	int bad = 0, rc = store_begin(r->st, r->e);
	if (!rc)
		rc = store_xchg_intent(r->st, t->table, b->ids + from, n, r->now, &batch, r->e);
	rc = rc ? (store_rollback(r->st), rc) : store_commit(r->st, r->e);
	if (rc)
		return rc;
	crash_point("intent");
	if (front_insert(r->f, t, b->values + from, n, b->lsh + from, &bad, r->e)) {
		if (!bad)
			return r->e->code;          /* connection: the next round settles it */
		char reason[400];
		snprintf(reason, sizeof reason, "前置库拒绝写入: %s", r->e->msg);
		err_clear(r->e);
		if (n > 1)
			log_msg(LOG_WARN, "exchange", "%s: a batch of %d rows failed (%s); sending them one by one",
				t->table, n, reason);
		rc = store_begin(r->st, r->e);
		if (!rc)
			rc = store_xchg_batch_done(r->st, batch, r->e);
		if (!rc && n == 1) {
			(*refused)++;
			rc = store_xchg_refused(r->st, b->ids[from], b->hash[from], reason, r->now, r->e);
		}
		rc = rc ? (store_rollback(r->st), rc) : store_commit(r->st, r->e);
		for (int i = from; n > 1 && !rc && i < from + n; i++)
			rc = send_rows(r, t, b, i, 1, sent, refused);
		return rc;
	}
	crash_point("commit");
	rc = store_begin(r->st, r->e);
	for (int i = from; i < from + n && !rc; i++)
		rc = store_xchg_sent(r->st, b->ids[i], b->hash[i], b->lsh[i], batch, r->now, r->e);
	if (!rc)
		rc = store_xchg_batch_done(r->st, batch, r->e);
	rc = rc ? (store_rollback(r->st), rc) : store_commit(r->st, r->e);
	if (!rc)
		*sent += n;
	return rc;
}

/* The oldest batch in flight: wait for the front DB to commit it, then
** remove its intent, or, when the front DB refused it (or it was not sent
** after one that failed), make its rows due (the send phase then tries
** them one by one; *refused tells the caller), in a transaction of its own
** or the caller's. A connection error leaves the intent to the next round. */
static int fast_finish(struct round *r, int own_txn, int *refused)
{
	if (!r->ninflight)
		return 0;
	struct xfast *b = &r->inflight[r->head];
	int bad = 0, rc;
	r->head = (r->head + 1) % FRONT_QUEUE;
	r->ninflight--;
	rc = front_copy_end(r->f, b->t, &bad, r->e);
	if (rc && bad) {
		log_msg(LOG_WARN, "exchange", "%s: a batch of %d rows failed (%s); sending them one by one", b->t->table,
			b->n, r->e->msg);
		err_clear(r->e);
		if (refused)
			*refused = 1;
	} else if (!rc) {
		crash_point("commit");
		r->sent[b->t - r->m->tables] += b->n;
	}
	if (rc && !bad) {
		xfast_reset(b);
		return rc;
	}
	rc = own_txn ? store_begin(r->st, r->e) : 0;
	int began = own_txn && !rc;
	if (!rc && bad)
		rc = xchg_unsend(r->st, b->t->table, b->lo, b->hi, r->now, r->e);
	if (!rc)
		rc = store_xchg_batch_done(r->st, b->batch, r->e);
	if (began)
		rc = rc ? (store_rollback(r->st), rc) : store_commit(r->st, r->e);
	xfast_reset(b);
	return rc;
}

/* Every batch in flight, oldest first. */
static int fast_drain(struct round *r, int own_txn, int *refused)
{
	int rc = 0;
	while (!rc && r->ninflight)
		rc = fast_finish(r, own_txn, refused);
	return rc;
}

/* harvest.c's sender, once the chunk that filled b committed: queue b for
** COPY and return while the front DB takes it (the next chunks are
** collected meanwhile). b's rows become the round's. */
static int fast_send(void *arg, struct xfast *b, struct err *e)
{
	struct round *r = arg;
	if (front_copy_room(r->f) == 0 && fast_finish(r, 1, &r->late_refused))
		return e->code;
	crash_point("intent");
	struct xfast *q = &r->inflight[(r->head + r->ninflight++) % FRONT_QUEUE];
	*q = *b;
	memset(b, 0, sizeof *b);
	front_copy_start(r->f, q->t, q->copy.data, q->copy.len);
	return 0;
}

/* Due rows whose version sent before went in a keyed batch (LSH '*'):
** their LSH is learned now, so that settling the batch they go in after a
** crash can tell the new front-DB row from the old. */
static int resolve_keyed(struct round *r, const struct xtable *t, json_t *rows)
{
	struct keyed k = {.r = r, .ids = json_object()};
	json_t *v;
	size_t i;
	json_array_foreach(rows, i, v)
		if (json_is_string(json_object_get(v, "lsh")) &&
		    strcmp(json_string_value(json_object_get(v, "lsh")), XCHG_LSH_BYKEY) == 0)
			json_object_set(k.ids, json_string_value(json_object_get(v, "dfsjzj")), json_object_get(v, "id"));
	int rc = t->present ? keyed_lookup(r, t, &k, 0) : 0;
	json_decref(k.ids);
	return rc;
}

static int send_table(struct round *r, const struct xtable *t, int64_t *sent, int64_t *refused)
{
	int ncols = 0;
	int64_t after = 0;
	for (int i = 0; i < t->ncols; i++)
		ncols += t->cols[i].present;
	for (;;) {
		json_t *rows, *v;
		size_t i;
		if (store_xchg_due(r->st, t->table, r->cf->wait_accepted, after, r->cf->batch_rows, &rows, r->e))
			return r->e->code;
		size_t n = json_array_size(rows);
		struct batch b = {.ids = calloc(n + 1, sizeof(int64_t)), .hash = calloc(n + 1, sizeof(char *)),
				  .values = calloc(n + 1, sizeof(char **)), .lsh = calloc(n + 1, sizeof(char *))};
		int rc = store_begin(r->st, r->e);
		if (!rc)
			rc = resolve_keyed(r, t, rows);
		json_array_foreach(rows, i, v) {
			if (rc)
				break;
			rc = prepare_row(r, t, v, &b, ncols, refused);
			after = json_integer_value(json_object_get(v, "id"));
		}
		rc = rc ? (store_rollback(r->st), rc) : store_commit(r->st, r->e);
		if (!rc && b.ok)
			rc = send_rows(r, t, &b, 0, b.ok, sent, refused);
		batch_free(&b, ncols);
		json_decref(rows);
		if (rc || n < (size_t)r->cf->batch_rows)
			return rc;
	}
}

/* ---- the round ------------------------------------------------------------------------------------- */

/* Close the run; a run that sent or learned something, or failed, is
** audited (exchange.push / exchange.pull) in the same transaction. */
static int finish_run(struct round *r, const struct principal *who, const char *kind, int64_t run_id, int rc,
		      int64_t n, json_t *report)
{
	struct err e2 = {0};
	char *text = report ? json_dumps(report, JSON_COMPACT) : NULL;
	char action[32], object[48];
	int64_t learned = json_integer_value(json_object_get(report, "verdicts")) +
		json_integer_value(json_object_get(report, "settled"));
	snprintf(action, sizeof action, "exchange.%s", kind);
	snprintf(object, sizeof object, "exchange_run:%lld", (long long)run_id);
	if (store_begin(r->st, &e2) == 0) {
		int bad = store_xchg_run_finish(r->st, run_id, rc ? "failed" : "done", n, text, rc ? r->e->msg : "",
						clock_now(NULL), &e2);
		if (!bad && (rc || n || learned))
			bad = audit_write(r->st, who, r->now, action, object, rc ? "failure" : "success",
					  rc ? json_pack("{s:s}", "error", r->e->msg) : json_deep_copy(report), &e2);
		if (bad)
			store_rollback(r->st);
		else
			store_commit(r->st, &e2);
	}
	if (e2.code)
		log_msg(LOG_ERROR, "exchange", "recording run %lld: %s", (long long)run_id, e2.msg);
	free(text);
	return rc;
}

/* Send every table's due rows, parents first. */
static int send_due(struct round *r)
{
	int rc = 0;
	for (int i = 0; !rc && i < r->m->ntables; i++)
		rc = send_table(r, &r->m->tables[i], &r->sent[i], &r->refused[i]);
	return rc;
}

static int send_parents(void *arg, struct err *e)
{
	(void)e;
	struct round *r = arg;
	return fast_drain(r, 1, &r->late_refused) ? r->e->code : send_due(r);
}

/* Harvest's next chunk settles, in its own transaction, the batches the
** front DB is done with, and waits for the oldest while fewer than two
** (the chunk's own) could be queued after it. */
static int finish_in_chunk(void *arg, int *refused, struct err *e)
{
	struct round *r = arg;
	int rc = 0;
	(void)e;
	*refused = r->late_refused;
	r->late_refused = 0;
	while (!rc && r->ninflight && (r->ninflight > FRONT_QUEUE - 2 || front_copy_done(r->f)))
		rc = fast_finish(r, 0, refused);
	return rc;
}

/* Collect and send: projects and the catalogue first, sent (the parents of
** what follows), then the appended rows, going at once where their parents
** allow, then everything still due. */
static int collect_and_send(struct round *r, int64_t *collected)
{
	struct xsender s = {.arg = r, .now_text = json_string_value(r->now_text), .send = fast_send,
			    .parents = send_parents, .finish = finish_in_chunk};
	int refused = 0, rc = xchg_harvest(r->st, r->m, r->cf, r->now, &s, collected, r->e);
	if (!rc)
		rc = fast_drain(r, 1, &refused);
	refused |= r->late_refused;
	if (!rc && refused) {         /* the last batch's rows: their content again, due */
		int64_t more = 0;
		rc = xchg_harvest(r->st, r->m, r->cf, r->now, NULL, &more, r->e);
	}
	return rc ? rc : send_due(r);
}

/* A push with nothing to do (store_xchg_idle) does not reach the front DB:
** its run is recorded with the report of a round that sent nothing. */
static int idle_push(struct store *st, const struct exchange_conf *cf, const char *trigger, int64_t now,
		     json_t **report, struct err *e)
{
	struct xmap *m;
	int64_t run_id;
	if (xmap_load(cf->mapping, &m, e))
		return e->code;
	json_t *out = json_pack("{s:[],s:i,s:i,s:i,s:i}", "tables", "rows", 0, "verdicts", 0, "collected", 0,
				"settled", 0);
	for (int i = 0; i < m->ntables; i++)
		json_array_append_new(json_object_get(out, "tables"), json_pack("{s:s,s:i,s:i}", "table",
					m->tables[i].table, "sent", 0, "refused", 0));
	xmap_free(m);
	char *text = json_dumps(out, JSON_COMPACT);
	int rc = store_begin(st, e);
	if (!rc)
		rc = store_xchg_run_start(st, "push", trigger, now, &run_id, e);
	if (!rc)
		rc = store_xchg_run_finish(st, run_id, "done", 0, text, "", clock_now(NULL), e);
	rc = rc ? (store_rollback(st), rc) : store_commit(st, e);
	free(text);
	if (rc) {
		json_decref(out);
		return rc;
	}
	*report = out;
	return 0;
}

int exchange_push(struct store *st, const struct exchange_conf *cf, const struct principal *who, const char *trigger,
		  int64_t now, json_t **report, struct err *e)
{
	char when[20];
	struct round r = {.st = st, .cf = cf, .now = now, .e = e};
	struct pull p = {0};
	int64_t run_id, settled = 0, collected = 0, total = 0;
	int idle;
	if (!cf->target[0])
		return err_set(e, ERR_INVALID, "target", "[exchange] target is empty: the exchange is off");
	if (store_xchg_idle(st, &idle, e))
		return e->code;
	if (idle)
		return idle_push(st, cf, trigger, now, report, e);
	if (store_xchg_run_start(st, "push", trigger, now, &run_id, e))
		return e->code;
	r.now_text = json_string(clock_cn_datetime(now, when));
	json_t *out = json_pack("{s:[]}", "tables");
	struct store_checkpointer *cp = NULL;
	int rc = store_xchg_tune(st, &cp, e);
	if (!rc)
		rc = connect_round(&r, 1, 1);
	if (!rc) {
		r.sent = calloc((size_t)r.m->ntables, sizeof *r.sent);
		r.refused = calloc((size_t)r.m->ntables, sizeof *r.refused);
		rc = settle_all(&r, &settled);
	}
	if (!rc)
		rc = pull_all(&r, &p);
	if (!rc)
		rc = collect_and_send(&r, &collected);
	for (int i = 0; !rc && i < r.m->ntables; i++) {
		total += r.sent[i];
		json_array_append_new(json_object_get(out, "tables"), json_pack("{s:s,s:I,s:I}", "table",
			r.m->tables[i].table, "sent", (json_int_t)r.sent[i], "refused", (json_int_t)r.refused[i]));
	}
	json_object_set_new(out, "rows", json_integer(total));
	json_object_set_new(out, "verdicts", json_integer(p.changed));
	json_object_set_new(out, "collected", json_integer(collected));
	json_object_set_new(out, "settled", json_integer(settled));
	free(r.sent);
	free(r.refused);
	end_round(&r);                    /* joins a batch still in flight */
	for (int i = 0; i < FRONT_QUEUE; i++)
		xfast_reset(&r.inflight[i]);  /* a failed round's batches: settled next time */
	store_xchg_untune(st, cp);
	json_decref(r.now_text);
	finish_run(&r, who, "push", run_id, rc, total, out);
	if (rc) {
		json_decref(out);
		return rc;
	}
	*report = out;
	return 0;
}

int exchange_pull(struct store *st, const struct exchange_conf *cf, const struct principal *who, const char *trigger,
		  int64_t now, json_t **report, struct err *e)
{
	struct round r = {.st = st, .cf = cf, .now = now, .e = e};
	struct pull p = {0};
	int64_t run_id, settled = 0;
	if (store_xchg_run_start(st, "pull", trigger, now, &run_id, e))
		return e->code;
	int rc = connect_round(&r, 1, 0);
	if (!rc)
		rc = settle_all(&r, &settled);
	if (!rc)
		rc = pull_all(&r, &p);
	end_round(&r);
	json_t *out = json_pack("{s:I,s:I,s:I}", "verdicts", (json_int_t)p.changed, "accepted",
				(json_int_t)p.accepted, "rejected", (json_int_t)p.rejected);
	finish_run(&r, who, "pull", run_id, rc, p.changed, out);
	if (rc) {
		json_decref(out);
		return rc;
	}
	*report = out;
	return 0;
}

int exchange_check(const struct exchange_conf *cf, json_t **report, struct err *e)
{
	struct round r = {.cf = cf, .e = e};
	int errors = 0, warnings = 0;
	if (connect_round(&r, 0, 0)) {
		end_round(&r);
		return e->code;
	}
	json_t *tables = json_array();
	for (int i = 0; i < r.m->ntables; i++) {
		json_t *p = json_array();
		xmap_compare(&r.m->tables[i], p, &errors, &warnings);
		json_array_append_new(tables, json_pack("{s:s,s:b,s:o}", "table", r.m->tables[i].table, "present",
							r.m->tables[i].present, "problems", p));
	}
	*report = json_pack("{s:s,s:o,s:i,s:i}", "mapping", r.m->name, "tables", tables, "errors", errors,
			    "warnings", warnings);
	end_round(&r);
	return 0;
}
