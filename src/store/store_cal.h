/*
** store_cal.h: the calendar years loaded into the database (table
** calendar_years, migration 0002). The CSV text is stored as validated by
** calendar/cal.h; this file only moves rows.
**
** Ownership: store_cal_all allocates an array whose texts are owned by it;
** free both with store_cal_free. Listings come back as jansson arrays the
** caller owns.
*/
#ifndef GG_STORE_CAL_H
#define GG_STORE_CAL_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "calendar/cal.h"
#include "store/store.h"

/* Insert or replace the notice of `year`. */
int store_cal_put(struct store *st, int year, const char *csv, size_t len, int rows,
		  const char *sha256, int64_t now, const char *by, struct err *e);

/* 1 when `year` has a stored notice, 0 when not, negative on error. */
int store_cal_exists(struct store *st, int year, struct err *e);

/* Every stored notice, in year order, as cal_build inputs: *out (may be NULL
** when *n is 0) is freed with store_cal_free(*out, *n). */
int store_cal_all(struct store *st, struct cal_year_src **out, size_t *n, struct err *e);
void store_cal_free(struct cal_year_src *v, size_t n);

/* [{year, rows, sha256, loaded_at, loaded_by}] in year order, without the text. */
int store_cal_list(struct store *st, json_t **items, struct err *e);

#endif
