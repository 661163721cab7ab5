/*
** workday.c: importing notices into the database, building calendars from
** it, and the server's shared current calendar (see workday.h).
**
** The shared calendar is a list of versions: `cur` is the one new readers
** get; a replaced version with readers left waits in `retired` and is freed
** by the put that releases its last reader. `mu` guards the counters and the
** lists (held for a few instructions); `building` serialises rebuilds so two
** imports finishing together cannot install an older view last.
*/
#include "workday/workday.h"

#include "base/embed.h"
#include "base/json.h"
#include "org/audit.h"
#include "store/store_cal.h"

#include <assert.h>
#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>

/* ==== import ============================================================= */

static const struct dict_entry sources[] = {
	{"builtin", "内置（国务院通知）"}, {"loaded", "已导入"}, {"none", "未发布（按周一至周五暂算）"}, {NULL, NULL},
};

const struct dict workday_dicts[] = {
	{"calendar.source", sources},
	{NULL, NULL},
};

const char *cal_source_name(int source)
{
	switch (source) {
	case CAL_SRC_BUILTIN: return "builtin";
	case CAL_SRC_LOADED: return "loaded";
	default: return "none";
	}
}

/* The stored metadata of `year` from a store_cal_list array, or NULL. */
static json_t *loaded_meta(json_t *list, int year)
{
	size_t i;
	json_t *it;
	json_array_foreach(list, i, it)
		if (json_get_int(it, "year", 0) == year)
			return it;
	return NULL;
}

int cal_year_list(struct store *st, const struct cal *c, const struct page *pg, json_t **items, int64_t *total,
		  struct err *e)
{
	json_t *loaded;
	if (store_cal_list(st, &loaded, e))
		return e->code;
	int64_t skip = (int64_t)(pg->page - 1) * pg->page_size;
	*items = json_array();
	*total = 0;
	for (int y = CAL_FIRST_YEAR; y <= CAL_LAST_YEAR; y++) {
		int src = cal_year_source(c, y);
		if (src == CAL_SRC_NONE || (*total)++ < skip || (int64_t)json_array_size(*items) >= pg->page_size)
			continue;
		json_t *it = json_pack("{s:i, s:s}", "year", y, "source", cal_source_name(src));
		json_t *meta = src == CAL_SRC_LOADED ? loaded_meta(loaded, y) : NULL;
		if (meta)
			json_object_update_missing(it, meta);
		json_array_append_new(*items, it);
	}
	json_decref(loaded);
	return 0;
}

static int builtin_has(int year)
{
	char path[64];
	snprintf(path, sizeof path, "data/calendar/cn-%d.csv", year);
	return embed_get(path, NULL) != NULL;
}

static void sha256_hex(const char *text, size_t len, char out[65])
{
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(d, (const unsigned char *)text, len);
	sodium_bin2hex(out, 65, d, sizeof d);
}

int cal_import(struct store *st, const struct principal *who, int64_t now, int year,
	       const char *text, size_t len, struct cal_import_result *res, struct err *e)
{
	struct cal_import_result r = {.year = year};
	if (len > CAL_CSV_MAX_BYTES)
		return err_set(e, ERR_TOOLARGE, "calendar", "file larger than %d KiB",
			       CAL_CSV_MAX_BYTES / 1024);
	if (cal_csv_validate(year, text, len, &r.rows, e))
		return e->code;
	sha256_hex(text, len, r.sha256);
	if (store_begin(st, e))
		return e->code;
	int had = store_cal_exists(st, year, e);
	if (had < 0)
		goto fail;
	r.replaced = had ? CAL_SRC_LOADED : builtin_has(year) ? CAL_SRC_BUILTIN : CAL_SRC_NONE;
	char object[32];
	snprintf(object, sizeof object, "calendar:%d", year);
	if (store_cal_put(st, year, text, len, r.rows, r.sha256, now, who->username, e) ||
	    audit_write(st, who, now, "calendar.import", object, "success",
			json_pack("{s:i, s:i, s:s, s:s}", "year", year, "rows", r.rows,
				  "sha256", r.sha256, "replaced", cal_source_name(r.replaced)), e) ||
	    store_commit(st, e))
		goto fail;
	if (res)
		*res = r;
	return 0;
fail:
	store_rollback(st);
	return e->code ? e->code : ERR_INTERNAL;
}

int cal_build_store(struct store *st, struct cal **out, struct err *e)
{
	struct cal_year_src *years = NULL;
	size_t n = 0;
	if (store_cal_all(st, &years, &n, e))
		return e->code;
	int rc = cal_build(years, n, out, e);
	store_cal_free(years, n);
	return rc;
}

/* ==== sharing ============================================================ */

struct version {
	struct cal *cal;
	int readers;
	struct version *next;      /* in the retired list */
};

struct cal_shared {
	pthread_mutex_t mu;
	pthread_mutex_t building;
	struct version *cur;
	struct version *retired;
};

int cal_shared_new(struct cal *c, struct cal_shared **out, struct err *e)
{
	struct cal_shared *s = calloc(1, sizeof *s);
	struct version *v = calloc(1, sizeof *v);
	if (!s || !v) {
		free(s);
		free(v);
		cal_free(c);
		return err_set(e, ERR_INTERNAL, "calendar", "out of memory");
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_mutex_init(&s->building, NULL);
	v->cal = c;
	s->cur = v;
	*out = s;
	return 0;
}

const struct cal *cal_shared_get(struct cal_shared *s)
{
	pthread_mutex_lock(&s->mu);
	s->cur->readers++;
	const struct cal *c = s->cur->cal;
	pthread_mutex_unlock(&s->mu);
	return c;
}

void cal_shared_put(struct cal_shared *s, const struct cal *c)
{
	struct version *dead = NULL;
	pthread_mutex_lock(&s->mu);
	if (s->cur->cal == c) {
		s->cur->readers--;
	} else {
		struct version **pp = &s->retired;
		while (*pp && (*pp)->cal != c)
			pp = &(*pp)->next;
		assert(*pp);           /* put of a calendar never taken */
		if (*pp && --(*pp)->readers == 0) {
			dead = *pp;
			*pp = dead->next;
		}
	}
	pthread_mutex_unlock(&s->mu);
	if (dead) {
		cal_free(dead->cal);
		free(dead);
	}
}

static void install(struct cal_shared *s, struct version *v)
{
	struct version *dead = NULL;
	pthread_mutex_lock(&s->mu);
	struct version *old = s->cur;
	s->cur = v;
	if (old->readers == 0) {
		dead = old;
	} else {
		old->next = s->retired;
		s->retired = old;
	}
	pthread_mutex_unlock(&s->mu);
	if (dead) {
		cal_free(dead->cal);
		free(dead);
	}
}

int cal_shared_rebuild(struct cal_shared *s, struct store *st, struct err *e)
{
	pthread_mutex_lock(&s->building);
	struct cal *c = NULL;
	struct version *v = NULL;
	int rc = cal_build_store(st, &c, e);
	if (rc == 0 && !(v = calloc(1, sizeof *v))) {
		cal_free(c);
		rc = err_set(e, ERR_INTERNAL, "calendar", "out of memory");
	}
	if (rc == 0) {
		v->cal = c;
		install(s, v);
	}
	pthread_mutex_unlock(&s->building);
	return rc;
}

void cal_shared_free(struct cal_shared *s)
{
	if (!s)
		return;
	assert(s->cur->readers == 0 && !s->retired);
	while (s->retired) {
		struct version *v = s->retired;
		s->retired = v->next;
		cal_free(v->cal);
		free(v);
	}
	cal_free(s->cur->cal);
	free(s->cur);
	pthread_mutex_destroy(&s->mu);
	pthread_mutex_destroy(&s->building);
	free(s);
}
