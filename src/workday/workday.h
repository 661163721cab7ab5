/*
** workday.h: the working-day calendar beyond the arithmetic of cal.h: importing
** a notice into the database (validated, stored, audited), building the
** calendar from the built-in notices plus the stored ones, and the server's
** shared current calendar, swapped when an administrator loads a year.
**
** Depends on store/ (store_cal.h) and org/audit.h; cal.h stays pure.
**
** Sharing: the server holds one struct cal_shared. A reader takes the current
** calendar with cal_shared_get and gives it back with cal_shared_put; the
** calendar it got stays valid (and unchanged) until then, even if a new one
** is installed meanwhile. cal_shared_rebuild builds a new calendar from the
** database and installs it; rebuilds are serialised, so the last one always
** sees every committed import. Reads never wait for a rebuild: get/put only
** take a mutex for a counter update.
*/
#ifndef GG_WORKDAY_H
#define GG_WORKDAY_H

#include <stddef.h>
#include <stdint.h>

#include "base/dict.h"
#include "calendar/cal.h"
#include "org/rbac.h"
#include "store/store.h"

#define CAL_CSV_MAX_BYTES (256 * 1024)

struct cal_import_result {
	int year;
	int rows;                /* date lines stored                          */
	int replaced;            /* enum cal_source of the year before import  */
	char sha256[65];         /* of the text, hex                           */
};

/* Validate `text` (len bytes) as the notice of `year` (cal_csv_validate),
** store it and write the audit row `calendar.import` in one transaction.
** Invalid text: ERR_INVALID naming the line, nothing stored; more than
** CAL_CSV_MAX_BYTES: ERR_TOOLARGE. res may be NULL. */
int cal_import(struct store *st, const struct principal *who, int64_t now, int year,
	       const char *text, size_t len, struct cal_import_result *res, struct err *e);

/* Build a calendar from the built-in notices and every year stored in st
** (stored years win). *out is the caller's (cal_free). */
int cal_build_store(struct store *st, struct cal **out, struct err *e);

/* One page of the years c knows, in order: [{year, source, and for a loaded
** year rows, sha256, loaded_at, loaded_by}]; *items owned by the caller. */
int cal_year_list(struct store *st, const struct cal *c, const struct page *pg, json_t **items, int64_t *total,
		  struct err *e);

/* For GET /api/dict: calendar.source (builtin loaded none → 内置（国务院通知）…). */
extern const struct dict workday_dicts[];

/* Name of an enum cal_source: "none", "builtin", "loaded". */
const char *cal_source_name(int source);

struct cal_shared;

/* Share c (ownership passes to the shared object). */
int cal_shared_new(struct cal *c, struct cal_shared **out, struct err *e);
/* The current calendar; give it back with cal_shared_put. Never NULL. */
const struct cal *cal_shared_get(struct cal_shared *s);
void cal_shared_put(struct cal_shared *s, const struct cal *c);
/* Build from the built-in notices and st, and install the result. */
int cal_shared_rebuild(struct cal_shared *s, struct store *st, struct err *e);
/* Free; every calendar taken must have been put back. NULL is fine. */
void cal_shared_free(struct cal_shared *s);

#endif
