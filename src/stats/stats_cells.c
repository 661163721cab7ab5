/*
** stats_cells.c: the cells a case counts in, and their sums in memory (see
** stats_cells.h). stats_cells_of is the one statement of docs/api.md's
** 统计 definitions in code: every other path (the change in its
** transaction, rebuild, check) goes through it.
**
** The in-memory sums are open-addressing hash tables keyed by compact
** binary keys: the district, department and item codes are interned to
** small numbers, so a key is 12–16 bytes.
*/
#include "stats/stats_cells.h"
#include "calendar/cal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the definition --------------------------------------------------------------- */

static void key_of(const struct stats_snap *s, int32_t day, struct stats_key *k)
{
	memset(k, 0, sizeof *k);
	k->day = day;
	snprintf(k->district, sizeof k->district, "%s", s->district);
	snprintf(k->department, sizeof k->department, "%s", s->department);
	snprintf(k->item, sizeof k->item, "%s", s->item);
	k->stage = s->stage;
	k->flow_type = s->flow_type;
}

/* The cell of day among out[0..*n), added when missing. */
static int64_t *cell_at(const struct stats_snap *s, int32_t day, struct stats_cell *out, int *n)
{
	for (int i = 0; i < *n; i++)
		if (out[i].k.day == day)
			return out[i].v;
	struct stats_cell *c = &out[(*n)++];
	key_of(s, day, &c->k);
	memset(c->v, 0, sizeof c->v);
	return c->v;
}

int stats_cells_of(const struct stats_snap *s, struct stats_cell out[3])
{
	int n = 0, o = s->outcome;
	int running = o == SO_RUNNING, concl = o == SO_APPROVED || o == SO_APPROVED_TOL || o == SO_DENIED;
	int64_t *r = cell_at(s, s->recv_day, out, &n);
	/* received day: 接件 and the cohort, as it stands now */
	r[SC_RECEIVED] += 1;
	r[SC_RUNNING] += running;
	r[SC_WARNING] += running && s->light == SL_YELLOW;
	r[SC_OVERDUE_RUNNING] += running && s->light == SL_RED;
	r[SC_SUPPLEMENTED] += s->supp;
	r[SC_SPECIAL] += s->special;
	r[SC_COH_ACCEPTED] += s->acc_day != 0;
	r[SC_COH_CONCLUDED] += concl;
	r[SC_COH_REFUSED] += o == SO_REFUSED;
	r[SC_COH_OVERDUE] += (concl && s->late) || (running && s->light == SL_RED);
	r[SC_PARALLEL_CASES] += s->parallel;
	r[SC_PARALLEL_INST] += s->parallel && s->inst_first;
	if (s->acc_day)
		cell_at(s, s->acc_day, out, &n)[SC_ACCEPTED] += 1;
	if (!s->fin_day)
		return n;
	/* final day: the outcome and the time used */
	int64_t *f = cell_at(s, s->fin_day, out, &n);
	f[SC_REFUSED] += o == SO_REFUSED;
	f[SC_CANCELLED] += o == SO_CANCELLED;
	f[SC_WITHDRAWN] += o == SO_WITHDRAWN;
	f[SC_REVOKED] += o == SO_REVOKED;
	if (!concl)
		return n;
	f[SC_CONCLUDED] += 1;
	f[o == SO_APPROVED ? SC_APPROVED : o == SO_APPROVED_TOL ? SC_APPROVED_TOL : SC_DENIED] += 1;
	f[SC_OVERDUE_DONE] += s->late;
	f[SC_ACC_ITEMS] += s->stage == 4;
	f[SC_ACC_PASSED] += s->stage == 4 && o != SO_DENIED;
	f[SC_WD_SUM] += s->wd > 0 ? s->wd : 0;
	f[SC_ND_SUM] += s->nd > 0 ? s->nd : 0;
	f[SC_LIMIT_SUM] += s->lim > 0 ? s->lim : 0;
	f[SC_PAUSED_SUM] += s->paused > 0 ? s->paused : 0;
	return n;
}

int stats_hist_of(const struct stats_snap *s, struct stats_key *k, int *wd)
{
	int o = s->outcome;
	if (!(o == SO_APPROVED || o == SO_APPROVED_TOL || o == SO_DENIED) || !s->fin_day || s->wd < 0)
		return 0;
	key_of(s, s->fin_day, k);
	*wd = s->wd;
	return 1;
}

/* ---- interned strings ---------------------------------------------------------------- */

#define STR_MAX 48

struct strtab {
	char (*s)[STR_MAX];
	size_t n, cap;
	uint32_t *slot;               /* 1 + index, 0 free                    */
	size_t nslot;
};

static uint64_t hash(const void *p, size_t n)
{
	const unsigned char *b = p;
	uint64_t h = 1469598103934665603ull;
	for (size_t i = 0; i < n; i++)
		h = (h ^ b[i]) * 1099511628211ull;
	return h ^ (h >> 29);
}

static int str_grow(struct strtab *t)
{
	size_t ns = t->nslot ? 2 * t->nslot : 256;
	uint32_t *slot = calloc(ns, sizeof *slot);
	if (!slot)
		return -1;
	for (size_t i = 0; i < t->n; i++) {
		size_t h = hash(t->s[i], strlen(t->s[i])) & (ns - 1);
		while (slot[h])
			h = (h + 1) & (ns - 1);
		slot[h] = (uint32_t)i + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = ns;
	return 0;
}

/* The number of s (interned on first sight); -1 when out of memory. */
static int intern(struct strtab *t, const char *s)
{
	if (2 * (t->n + 1) > t->nslot && str_grow(t))
		return -1;
	size_t h = hash(s, strlen(s)) & (t->nslot - 1);
	for (; t->slot[h]; h = (h + 1) & (t->nslot - 1))
		if (strcmp(t->s[t->slot[h] - 1], s) == 0)
			return (int)t->slot[h] - 1;
	if (t->n == t->cap) {
		size_t cap = t->cap ? 2 * t->cap : 64;
		void *p = realloc(t->s, cap * sizeof *t->s);
		if (!p || cap > 65535)
			return -1;
		t->s = p;
		t->cap = cap;
	}
	snprintf(t->s[t->n], STR_MAX, "%s", s);
	t->slot[h] = (uint32_t)++t->n;
	return (int)t->n - 1;
}

/* ---- maps: compact key -> counters (+ a seen flag) ------------------------------------- */

struct map {
	size_t keylen, nv, width;     /* width: bytes of one entry             */
	unsigned char *ent;
	size_t n, cap;
	uint32_t *slot;
	size_t nslot;
};

static void map_init(struct map *m, size_t keylen, size_t nv)
{
	memset(m, 0, sizeof *m);
	m->keylen = keylen;
	m->nv = nv;
	m->width = (keylen + 7) / 8 * 8 + (nv + 1) * sizeof(int64_t);
}

static int64_t *vals(const struct map *m, size_t i)
{
	return (int64_t *)(m->ent + i * m->width + (m->keylen + 7) / 8 * 8);
}

static int map_grow(struct map *m)
{
	size_t ns = m->nslot ? 2 * m->nslot : 1024;
	uint32_t *slot = calloc(ns, sizeof *slot);
	if (!slot)
		return -1;
	for (size_t i = 0; i < m->n; i++) {
		size_t h = hash(m->ent + i * m->width, m->keylen) & (ns - 1);
		while (slot[h])
			h = (h + 1) & (ns - 1);
		slot[h] = (uint32_t)i + 1;
	}
	free(m->slot);
	m->slot = slot;
	m->nslot = ns;
	return 0;
}

/* The counters of key; created (zero) when create is set, else NULL when absent. */
static int64_t *map_get(struct map *m, const void *key, int create)
{
	if (create && 2 * (m->n + 1) > m->nslot && map_grow(m))
		return NULL;
	if (!m->nslot)
		return NULL;
	size_t h = hash(key, m->keylen) & (m->nslot - 1);
	for (; m->slot[h]; h = (h + 1) & (m->nslot - 1))
		if (memcmp(m->ent + (m->slot[h] - 1) * m->width, key, m->keylen) == 0)
			return vals(m, m->slot[h] - 1);
	if (!create)
		return NULL;
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 1024;
		unsigned char *p = realloc(m->ent, cap * m->width);
		if (!p)
			return NULL;
		m->ent = p;
		m->cap = cap;
	}
	memset(m->ent + m->n * m->width, 0, m->width);
	memcpy(m->ent + m->n * m->width, key, m->keylen);
	m->slot[h] = (uint32_t)++m->n;
	return vals(m, m->n - 1);
}

static void map_free(struct map *m)
{
	free(m->ent);
	free(m->slot);
}

/* ---- the sums ---------------------------------------------------------------------------- */

struct dkey {                      /* a stats_day cell                  */
	int32_t day;
	uint16_t d, p, i;
	uint8_t stage, flow;
};
struct hkey {                      /* a stats_wd cell                   */
	struct dkey k;
	int32_t wd;
};
struct lkey {                      /* a stats_live cell                 */
	uint16_t d, p;
	uint8_t status, light;
};

struct stats_agg {
	struct strtab str;
	struct map day, hist, live;
	struct map month, mhist;      /* the same by month (dkey.day: its 1st) */
};

struct stats_agg *stats_agg_new(void)
{
	struct stats_agg *a = calloc(1, sizeof *a);
	if (!a)
		return NULL;
	map_init(&a->day, sizeof(struct dkey), SC_COUNT);
	map_init(&a->hist, sizeof(struct hkey), 1);
	map_init(&a->live, sizeof(struct lkey), 1);
	map_init(&a->month, sizeof(struct dkey), SC_COUNT);
	map_init(&a->mhist, sizeof(struct hkey), 1);
	return a;
}

void stats_agg_free(struct stats_agg *a)
{
	if (!a)
		return;
	map_free(&a->day);
	map_free(&a->hist);
	map_free(&a->live);
	map_free(&a->month);
	map_free(&a->mhist);
	free(a->str.s);
	free(a->str.slot);
	free(a);
}

static int dkey_of(struct stats_agg *a, const struct stats_key *k, struct dkey *out)
{
	int d = intern(&a->str, k->district), p = intern(&a->str, k->department), i = intern(&a->str, k->item);
	memset(out, 0, sizeof *out);
	out->day = k->day;
	out->d = (uint16_t)d;
	out->p = (uint16_t)p;
	out->i = (uint16_t)i;
	out->stage = (uint8_t)k->stage;
	out->flow = (uint8_t)k->flow_type;
	return d < 0 || p < 0 || i < 0 ? -1 : 0;
}

static int lkey_of(struct stats_agg *a, const char *district, const char *department, int status, int light,
		   struct lkey *out)
{
	int d = intern(&a->str, district), p = intern(&a->str, department);
	memset(out, 0, sizeof *out);
	out->d = (uint16_t)d;
	out->p = (uint16_t)p;
	out->status = (uint8_t)status;
	out->light = (uint8_t)light;
	return d < 0 || p < 0 ? -1 : 0;
}

/* Add sign * v to the counters of dk in m and, by month, in months. */
static int add_cells(struct map *m, struct map *months, const struct dkey *dk, const int64_t *v, int nv, int sign)
{
	struct dkey mk = *dk;
	int64_t *a = map_get(m, dk, 1), *b;
	mk.day = stats_month_of(dk->day);
	if (!a || !(b = map_get(months, &mk, 1)))
		return -1;
	for (int i = 0; i < nv; i++) {
		a[i] += sign * v[i];
		b[i] += sign * v[i];
	}
	return 0;
}

int stats_agg_add(struct stats_agg *a, const struct stats_snap *s, int sign, struct err *e)
{
	struct stats_cell cells[3];
	struct hkey hk, mk;
	struct lkey lk;
	struct stats_key k;
	int wd, n = stats_cells_of(s, cells);
	int64_t *v;
	for (int c = 0; c < n; c++) {
		struct dkey dk;
		if (dkey_of(a, &cells[c].k, &dk) || add_cells(&a->day, &a->month, &dk, cells[c].v, SC_COUNT, sign))
			return err_set(e, ERR_INTERNAL, "", "out of memory summing statistics");
	}
	if (stats_hist_of(s, &k, &wd)) {
		memset(&hk, 0, sizeof hk);
		if (dkey_of(a, &k, &hk.k))
			return err_set(e, ERR_INTERNAL, "", "out of memory summing statistics");
		hk.wd = wd;
		mk = hk;
		mk.k.day = stats_month_of(hk.k.day);
		int64_t *x = map_get(&a->hist, &hk, 1), *y = x ? map_get(&a->mhist, &mk, 1) : NULL;
		if (!y)
			return err_set(e, ERR_INTERNAL, "", "out of memory summing statistics");
		*x += sign;
		*y += sign;
	}
	if (lkey_of(a, s->district, s->department, s->status, s->light, &lk) || !(v = map_get(&a->live, &lk, 1)))
		return err_set(e, ERR_INTERNAL, "", "out of memory summing statistics");
	v[0] += sign;
	return 0;
}

static void key_back(const struct stats_agg *a, const struct dkey *dk, struct stats_key *k)
{
	memset(k, 0, sizeof *k);
	k->day = dk->day;
	snprintf(k->district, sizeof k->district, "%s", a->str.s[dk->d]);
	snprintf(k->department, sizeof k->department, "%s", a->str.s[dk->p]);
	snprintf(k->item, sizeof k->item, "%s", a->str.s[dk->i]);
	k->stage = dk->stage;
	k->flow_type = dk->flow;
}

static int zero(const int64_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i])
			return 0;
	return 1;
}

int stats_agg_each(struct stats_agg *a, const struct stats_agg_fns *fns, void *arg)
{
	struct stats_key k;
	int rc = 0;
	for (size_t i = 0; !rc && fns->day && i < a->day.n; i++)
		if (!zero(vals(&a->day, i), SC_COUNT)) {
			key_back(a, (const struct dkey *)(a->day.ent + i * a->day.width), &k);
			rc = fns->day(arg, &k, vals(&a->day, i));
		}
	for (size_t i = 0; !rc && fns->hist && i < a->hist.n; i++)
		if (vals(&a->hist, i)[0]) {
			const struct hkey *hk = (const struct hkey *)(a->hist.ent + i * a->hist.width);
			key_back(a, &hk->k, &k);
			rc = fns->hist(arg, &k, hk->wd, vals(&a->hist, i)[0]);
		}
	for (size_t i = 0; !rc && fns->live && i < a->live.n; i++)
		if (vals(&a->live, i)[0]) {
			const struct lkey *lk = (const struct lkey *)(a->live.ent + i * a->live.width);
			rc = fns->live(arg, a->str.s[lk->d], a->str.s[lk->p], lk->status, lk->light,
				       vals(&a->live, i)[0]);
		}
	return rc;
}

/* ---- comparing with the maintained rows ---------------------------------------------------- */

static void key_text(const struct stats_key *k, char *out, size_t n)
{
	char date[CAL_DATE_LEN];
	cal_date_format(k->day, date);
	snprintf(out, n, "%s %s/%s/%s/%d/%d", date, k->district, k->department, k->item, k->stage, k->flow_type);
}

static int match_cells(struct stats_agg *a, struct map *m, const char *table, const struct stats_key *k,
		       const int64_t v[SC_COUNT], char *diff, size_t n)
{
	struct dkey dk;
	char key[160];
	int64_t none[SC_COUNT + 1] = {0};
	if (dkey_of(a, k, &dk))
		return snprintf(diff, n, "out of memory"), 1;
	int64_t *want = map_get(m, &dk, 0);
	if (!want)
		want = none;
	for (int i = 0; i < SC_COUNT; i++)
		if (v[i] != want[i]) {
			key_text(k, key, sizeof key);
			snprintf(diff, n, "%s %s: %s maintained %lld recount %lld", table, key, stats_count_key(i),
				 (long long)v[i], (long long)want[i]);
			return 1;
		}
	want[SC_COUNT] = 1;   /* seen (a harmless write to `none`) */
	return 0;
}

int stats_agg_match_day(struct stats_agg *a, const struct stats_key *k, const int64_t v[SC_COUNT], char *diff,
			size_t n)
{
	return match_cells(a, &a->day, "stats_day", k, v, diff, n);
}

int stats_agg_match_month(struct stats_agg *a, const struct stats_key *k, const int64_t v[SC_COUNT], char *diff,
			  size_t n)
{
	return match_cells(a, &a->month, "stats_month", k, v, diff, n);
}

static int match_hist(struct stats_agg *a, struct map *m, const char *table, const struct stats_key *k, int wd,
		      int64_t cnt, char *diff, size_t n)
{
	struct hkey hk;
	char key[160];
	memset(&hk, 0, sizeof hk);
	if (dkey_of(a, k, &hk.k))
		return snprintf(diff, n, "out of memory"), 1;
	hk.wd = wd;
	int64_t *want = map_get(m, &hk, 0), got = want ? want[0] : 0;
	if (cnt != got) {
		key_text(k, key, sizeof key);
		snprintf(diff, n, "%s %s wd=%d: maintained %lld recount %lld", table, key, wd, (long long)cnt,
			 (long long)got);
		return 1;
	}
	if (want)
		want[1] = 1;
	return 0;
}

int stats_agg_match_hist(struct stats_agg *a, const struct stats_key *k, int wd, int64_t cnt, char *diff,
			 size_t n)
{
	return match_hist(a, &a->hist, "stats_wd", k, wd, cnt, diff, n);
}

int stats_agg_match_month_hist(struct stats_agg *a, const struct stats_key *k, int wd, int64_t cnt, char *diff,
			       size_t n)
{
	return match_hist(a, &a->mhist, "stats_month_wd", k, wd, cnt, diff, n);
}

int stats_agg_match_live(struct stats_agg *a, const char *district, const char *department, int status,
			 int light, int64_t cnt, char *diff, size_t n)
{
	struct lkey lk;
	if (lkey_of(a, district, department, status, light, &lk))
		return snprintf(diff, n, "out of memory"), 1;
	int64_t *want = map_get(&a->live, &lk, 0), got = want ? want[0] : 0;
	if (cnt != got) {
		snprintf(diff, n, "stats_live %s/%s status %d light %s: maintained %lld recount %lld", district,
			 department, status, stats_light_name(light), (long long)cnt, (long long)got);
		return 1;
	}
	if (want)
		want[1] = 1;
	return 0;
}

static int unseen_cells(struct stats_agg *a, const struct map *m, const char *table, char *diff, size_t n)
{
	struct stats_key k;
	char key[160];
	for (size_t i = 0; i < m->n; i++) {
		int64_t *v = vals(m, i);
		if (!v[SC_COUNT] && !zero(v, SC_COUNT)) {
			key_back(a, (const struct dkey *)(m->ent + i * m->width), &k);
			key_text(&k, key, sizeof key);
			snprintf(diff, n, "%s %s: missing, recount received %lld accepted %lld concluded %lld", table, key,
				 (long long)v[SC_RECEIVED], (long long)v[SC_ACCEPTED], (long long)v[SC_CONCLUDED]);
			return 1;
		}
	}
	return 0;
}

static int unseen_hist(struct stats_agg *a, const struct map *m, const char *table, char *diff, size_t n)
{
	struct stats_key k;
	char key[160];
	for (size_t i = 0; i < m->n; i++) {
		int64_t *v = vals(m, i);
		if (!v[1] && v[0]) {
			const struct hkey *hk = (const struct hkey *)(m->ent + i * m->width);
			key_back(a, &hk->k, &k);
			key_text(&k, key, sizeof key);
			snprintf(diff, n, "%s %s wd=%d: missing, recount %lld", table, key, hk->wd, (long long)v[0]);
			return 1;
		}
	}
	return 0;
}

int stats_agg_unseen(struct stats_agg *a, char *diff, size_t n)
{
	if (unseen_cells(a, &a->day, "stats_day", diff, n) || unseen_hist(a, &a->hist, "stats_wd", diff, n) ||
	    unseen_cells(a, &a->month, "stats_month", diff, n) ||
	    unseen_hist(a, &a->mhist, "stats_month_wd", diff, n))
		return 1;
	for (size_t i = 0; i < a->live.n; i++) {
		int64_t *v = vals(&a->live, i);
		if (!v[1] && v[0]) {
			const struct lkey *lk = (const struct lkey *)(a->live.ent + i * a->live.width);
			snprintf(diff, n, "stats_live %s/%s status %d light %s: missing, recount %lld", a->str.s[lk->d],
				 a->str.s[lk->p], lk->status, stats_light_name(lk->light), (long long)v[0]);
			return 1;
		}
	}
	return 0;
}
