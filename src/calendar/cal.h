/*
** cal.h: the working-day calendar (domain.md §4). Every time limit of the
** system is counted in working days, so every deadline, warning and overdue
** mark goes through this module.
**
** A working day is Monday to Friday, minus official holidays, plus official
** make-up working days (调休). The exceptions come from one CSV per State
** Council notice, data/calendar/cn-YYYY.csv, compiled into the binary, plus
** any years an admin loaded into the database (handed to cal_build as text);
** a loaded year replaces the built-in notice of the same year. A year without
** a notice is computed Monday to Friday and every answer touching it reports
** the year as "provisional".
**
** CSV format (one notice): header `date,kind,name`, then one line per
** exceptional date: `2024-02-10,holiday,春节` or `2024-02-04,workday,春节调休`.
** A notice may list dates of the adjacent years (the 2023 notice holds
** 2022-12-31). When two notices name the same date, the notice of the date's
** own year wins, else the later notice. See cal_csv_validate for the rules.
**
** Dates are day numbers: days since 1970-01-01 (int32_t), converted from and
** to strict `YYYY-MM-DD` text. Arithmetic works on the supported range
** CAL_FIRST_YEAR-01-01 .. CAL_LAST_YEAR-12-31; outside it calls fail with
** ERR_INVALID.
**
** Conventions (行政许可法 §82: the day of acceptance is not counted):
**   add(D, N)      the N-th working day strictly after D; N = 0 gives D when D
**                  is a working day, else the next working day.
**   count(F, T)    working days in (F, T]; negative -count(T, F) when T < F,
**                  so count(today, due) is the signed number of days left.
**   pause [S, E]   stops the clock for the working days in (S, E]: the day the
**                  pause starts was a counted day, the day it ends is not.
**                  Overlapping pauses count once; days on or before the
**                  acceptance date do not count.
**   due            add(accepted, limit + paused working days).
**
** Ownership and threads: cal_build allocates a struct cal that the caller
** frees with cal_free. After cal_build returns the object is never written:
** any number of threads may query it at once without locks. Strings returned
** by queries (holiday names) point into the object and live as long as it.
** The module has no global state and does no I/O; the embedded table it reads
** is static and read-only.
**
** Cost: cal_build precomputes a cumulative working-day count per day and the
** list of working days over the whole range (~300 KB, about a millisecond);
** add, count and day are then O(1), names O(log n), due O(p log p) in the
** number of pauses.
*/
#ifndef GG_CAL_H
#define GG_CAL_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define CAL_FIRST_YEAR 2000
#define CAL_LAST_YEAR 2100
#define CAL_DATE_LEN 11          /* "YYYY-MM-DD" and NUL                   */
#define CAL_NAME_MAX 64          /* holiday name bytes, NUL included       */
#define CAL_CSV_MAX_ROWS 800     /* rows of one notice file                */

struct cal;

/* What a date is, per the loaded notices. */
enum cal_kind {
	CAL_NORMAL = 0,          /* no notice names it: Mon-Fri work, weekend rest */
	CAL_HOLIDAY = 1,         /* official holiday (rest)                        */
	CAL_MAKEUP = 2,          /* official make-up working day (调休, work)      */
};

/* Where a year's notice comes from. */
enum cal_source {
	CAL_SRC_NONE = 0,        /* no notice: provisional, Mon-Fri                */
	CAL_SRC_BUILTIN = 1,     /* data/calendar/cn-YYYY.csv in the binary        */
	CAL_SRC_LOADED = 2,      /* handed to cal_build (from the database)        */
};

/* A notice handed to cal_build: CSV text for one year (not NUL-terminated
** necessarily; len bytes are read). The text is only read during the call. */
struct cal_year_src {
	int year;
	const char *text;
	size_t len;
};

/* One date of the effective calendar that a notice names. */
struct cal_entry {
	int32_t day;
	int kind;                /* CAL_HOLIDAY or CAL_MAKEUP                      */
	const char *name;        /* "" when the notice gave none; owned by cal     */
};

/* Answer of cal_day. */
struct cal_dayinfo {
	int workday;             /* 1 working day, 0 rest day                      */
	int kind;                /* enum cal_kind                                  */
	int weekday;             /* 1 Monday .. 7 Sunday                           */
	const char *name;        /* holiday or make-up name, "" when none          */
	int provisional;         /* the date's year when it has no notice, else 0  */
};

/* A pause of the clock (补正, 特别程序): working days in (start, end] stop. */
struct cal_pause {
	int32_t start;
	int32_t end;
};

/* ---- dates (no calendar object needed) ------------------------------- */

/* Parse strict "YYYY-MM-DD" (exactly 10 characters, a real date, year
** 0001..9999) into a day number. ERR_INVALID names what is wrong. */
int cal_date_parse(const char *s, int32_t *day, struct err *e);

/* Format a day number as "YYYY-MM-DD" into out (CAL_DATE_LEN bytes). */
void cal_date_format(int32_t day, char out[CAL_DATE_LEN]);

/* Day number of a valid y-m-d (no checking: use cal_date_valid first). */
int32_t cal_date_from_ymd(int y, int m, int d);

/* 1 when y-m-d is a real date of the Gregorian calendar, year 1..9999. */
int cal_date_valid(int y, int m, int d);

/* Split a day number into year, month, day (any pointer may be NULL). */
void cal_date_ymd(int32_t day, int *y, int *m, int *d);

/* 1 Monday .. 7 Sunday. */
int cal_weekday(int32_t day);

/* ---- notices ----------------------------------------------------------- */

/* Validate the CSV of the notice of `year`. Rules: optional UTF-8 BOM; first
** line the header `date,kind,name`; blank lines and comment lines starting
** with '#' (clean UTF-8) ignored; every other line exactly three comma-separated fields; strict
** dates; kind `holiday` or `workday`; name valid UTF-8 without control
** characters, at most CAL_NAME_MAX-1 bytes; no date twice; every date in
** year-1 .. year+1; a `workday` must fall on a Saturday or Sunday (else it is
** already a working day and the line is a typo); at least one date in `year`
** itself; at most CAL_CSV_MAX_ROWS rows. The first broken rule rejects the
** whole file: ERR_INVALID, field "calendar", message "line N: ...".
** *rows (may be NULL) receives the number of date lines. */
int cal_csv_validate(int year, const char *text, size_t len, int *rows, struct err *e);

/* The year in a file name "cn-YYYY.csv" (any directory before it), or 0. */
int cal_csv_year_from_name(const char *path);

/* ---- the calendar object ----------------------------------------------- */

/* Build the calendar from the built-in notices plus `extra` (n entries, may
** be NULL when n is 0); an extra year replaces the built-in notice of that
** year, and of two extras for one year the later wins. A broken extra fails
** with ERR_INVALID (field "calendar", message naming the year and line); a
** broken built-in file with ERR_INTERNAL. *out is set only on success. */
int cal_build(const struct cal_year_src *extra, size_t n, struct cal **out, struct err *e);

/* Free a calendar from cal_build; NULL is fine. */
void cal_free(struct cal *c);

/* Source of the notice of `year` (enum cal_source). */
int cal_year_source(const struct cal *c, int year);

/* The first year in [from's year, to's year] (either order) that has no
** notice, or 0 when every year has one. */
int cal_provisional_year(const struct cal *c, int32_t from, int32_t to);

/* Kind, name and working flag of `day`. */
int cal_day(const struct cal *c, int32_t day, struct cal_dayinfo *out, struct err *e);

/* *out = add(from, n), n in 0..CAL_MAX_N. *provisional (may be NULL) = the
** first year without a notice between from and the result, else 0. */
#define CAL_MAX_N 3650
int cal_add_workdays(const struct cal *c, int32_t from, int n, int32_t *out,
		     int *provisional, struct err *e);

/* *out = count(from, to): working days in (from, to], signed. */
int cal_count_workdays(const struct cal *c, int32_t from, int32_t to, int *out,
		       int *provisional, struct err *e);

/* Working days the clock stood still after `accepted`: the union of the
** (start, end] ranges of p[0..np), restricted to days after `accepted`.
** end < start is ERR_INVALID. */
int cal_paused_workdays(const struct cal *c, int32_t accepted, const struct cal_pause *p,
			size_t np, int *out, struct err *e);

/* Due date of a case accepted on `accepted` with a limit of `limit` working
** days (0..CAL_MAX_N) and the given pauses: add(accepted, limit + paused).
** *paused (may be NULL) receives the paused working days. */
int cal_due(const struct cal *c, int32_t accepted, int limit, const struct cal_pause *p,
	    size_t np, int32_t *due, int *paused, int *provisional, struct err *e);

/* The named dates in [from, to] in date order: *first points into c, the
** return value is how many follow (0 when none or out of range). */
size_t cal_entries(const struct cal *c, int32_t from, int32_t to, const struct cal_entry **first);

#endif
