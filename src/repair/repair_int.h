/*
** repair_int.h: inside the repair module. A change set is a JSON array of
** {"tbl","key","before","after"} (whole rows; before null: inserted, after
** null: deleted), built by repair_ops.c from a request and written by
** repair.c.
*/
#ifndef GG_REPAIR_INT_H
#define GG_REPAIR_INT_H

#include "repair/repair.h"

/* Build the change set of req into list; target (for people) into target. */
int repair_build(struct store *st, const struct principal *who, int64_t now, const json_t *req, json_t *list,
		 char *target, size_t tn, struct err *e);

/* One row of tbl by a column's value; ERR_NOTFOUND naming field when absent. */
int repair_find(struct store *st, const char *tbl, const char *col, json_t *value, const char *field, json_t **row,
		struct err *e);
/* Append "update row with patch" (nothing when it changes nothing). */
int repair_chg_update(struct store *st, json_t *list, const char *tbl, const json_t *row, const json_t *patch,
		      struct err *e);
int repair_chg_delete(struct store *st, json_t *list, const char *tbl, const json_t *row, struct err *e);

/* "2026-11-03 09:30[:00]" (Asia/Shanghai) or epoch seconds. */
int repair_parse_time(const json_t *v, const char *field, int64_t *out, struct err *e);

#endif
