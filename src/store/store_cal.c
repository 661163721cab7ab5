/*
** store_cal.c: SQL of the loaded calendar years (see store_cal.h).
*/
#include "store/store_cal.h"
#include "store/store_int.h"

#include <stdlib.h>
#include <string.h>

int store_cal_put(struct store *st, int year, const char *csv, size_t len, int rows,
		  const char *sha256, int64_t now, const char *by, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "INSERT INTO calendar_years(year, csv, rows, sha256, "
				     "loaded_at, loaded_by) VALUES (?1, ?2, ?3, ?4, ?5, ?6) "
				     "ON CONFLICT(year) DO UPDATE SET csv = ?2, rows = ?3, "
				     "sha256 = ?4, loaded_at = ?5, loaded_by = ?6", e);
	if (!s)
		return e->code;
	sqlite3_bind_int(s, 1, year);
	sqlite3_bind_text(s, 2, csv, (int)len, SQLITE_TRANSIENT);
	sqlite3_bind_int(s, 3, rows);
	store_bind_text(s, 4, sha256);
	sqlite3_bind_int64(s, 5, now);
	store_bind_text(s, 6, by);
	return store_step_done(st, s, e, "calendar year");
}

int store_cal_exists(struct store *st, int year, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT 1 FROM calendar_years WHERE year = ?", e);
	if (!s)
		return e->code;
	sqlite3_bind_int(s, 1, year);
	int rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return store_sqlerr(st, e, "calendar year");
	return rc == SQLITE_ROW;
}

void store_cal_free(struct cal_year_src *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free((char *)v[i].text);
	free(v);
}

int store_cal_all(struct store *st, struct cal_year_src **out, size_t *n, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT year, csv FROM calendar_years ORDER BY year", e);
	if (!s)
		return e->code;
	struct cal_year_src *v = NULL;
	size_t k = 0;
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		const void *text = sqlite3_column_blob(s, 1);
		size_t len = (size_t)sqlite3_column_bytes(s, 1);
		struct cal_year_src *grown = realloc(v, (k + 1) * sizeof *v);
		char *copy = malloc(len + 1);
		if (grown)
			v = grown;
		if (!grown || !copy) {
			free(copy);
			sqlite3_reset(s);
			store_cal_free(v, k);
			return err_set(e, ERR_INTERNAL, "", "out of memory");
		}
		if (len)
			memcpy(copy, text, len);
		copy[len] = 0;
		v[k++] = (struct cal_year_src){sqlite3_column_int(s, 0), copy, len};
	}
	sqlite3_reset(s);
	if (rc != SQLITE_DONE) {
		store_cal_free(v, k);
		return store_sqlerr(st, e, "calendar years");
	}
	*out = v;
	*n = k;
	return 0;
}

int store_cal_list(struct store *st, json_t **items, struct err *e)
{
	sqlite3_stmt *s = store_stmt(st, "SELECT year, rows, sha256, loaded_at, loaded_by "
				     "FROM calendar_years ORDER BY year", e);
	return s ? store_rows_json(st, s, items, e) : e->code;
}
