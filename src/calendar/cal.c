/*
** cal.c: working-day calendar (see cal.h for the conventions).
**
** Sections: date conversion (Howard Hinnant's civil-day algorithms), notice
** CSV parsing and validation, building the day index, and the queries.
**
** The index: for the day numbers of CAL_FIRST_YEAR-01-01 .. CAL_LAST_YEAR-12-31
** (offset i = day - first), cum[i] is the number of working days strictly
** before offset i, so count(F, T] = cum[T+1] - cum[F+1]; work[j] is the day
** number of the j-th working day (0-based), so the N-th working day after D
** is work[cum[D+1] + N - 1]. Both are filled once in cal_build and only read
** afterwards, which is what makes concurrent readers safe.
*/
#include "calendar/cal.h"

#include "base/embed.h"

#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NYEARS (CAL_LAST_YEAR - CAL_FIRST_YEAR + 1)

enum { F_WORK = 1 };

struct cal {
	int32_t first, last;       /* day numbers of the range, inclusive     */
	int32_t ndays;
	uint8_t *flags;            /* per offset: F_WORK                      */
	uint8_t *kind;             /* per offset: enum cal_kind               */
	uint8_t *year;             /* per offset: year - CAL_FIRST_YEAR       */
	int32_t *cum;              /* ndays + 1 entries                       */
	int32_t *work;             /* nwork entries, ascending day numbers    */
	int32_t nwork;
	struct cal_entry *ents;    /* named dates, ascending, unique          */
	size_t nents;
	char *names;               /* nents * CAL_NAME_MAX, ents[i].name      */
	uint8_t src[NYEARS];       /* enum cal_source per year                */
	int16_t next_prov[NYEARS + 1]; /* first year >= y without a notice    */
};

/* ==== dates ============================================================== */

int32_t cal_date_from_ymd(int y, int m, int d)
{
	y -= m <= 2;
	int era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153u * (unsigned)(m > 2 ? m - 3 : m + 9) + 2) / 5 + (unsigned)d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t)doe - 719468;
}

void cal_date_ymd(int32_t day, int *py, int *pm, int *pd)
{
	int32_t z = day + 719468;
	int32_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int y = (int)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	int d = (int)(doy - (153 * mp + 2) / 5 + 1);
	int m = (int)(mp < 10 ? mp + 3 : mp - 9);
	if (py)
		*py = y + (m <= 2);
	if (pm)
		*pm = m;
	if (pd)
		*pd = d;
}

static int days_in_month(int y, int m)
{
	static const int dim[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
		return 29;
	return dim[m - 1];
}

int cal_date_valid(int y, int m, int d)
{
	return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 &&
	       d <= days_in_month(y, m);
}

int cal_weekday(int32_t day)
{
	int r = (int)(day % 7);
	if (r < 0)
		r += 7;
	return (r + 3) % 7 + 1;    /* 1970-01-01 was a Thursday */
}

void cal_date_format(int32_t day, char out[CAL_DATE_LEN])
{
	int y, m, d;
	cal_date_ymd(day, &y, &m, &d);
	if (y < 0 || y > 9999)
		y = 0;
	snprintf(out, CAL_DATE_LEN, "%04d-%02d-%02d", y, m, d);
}

/* Copy at most 20 bytes of untrusted text for a message, '?' for anything
** that is not printable ASCII. */
static const char *quote(const char *s, char out[24])
{
	size_t i = 0;
	for (; i < 20 && s[i]; i++)
		out[i] = (s[i] >= 0x20 && s[i] < 0x7f) ? s[i] : '?';
	out[i] = 0;
	if (s[i])
		snprintf(out + i, 24 - i, "...");
	return out;
}

int cal_date_parse(const char *s, int32_t *day, struct err *e)
{
	char q[24];
	if (!s || !*s)
		return err_set(e, ERR_INVALID, "date", "empty date: expected YYYY-MM-DD");
	int ok = strnlen(s, 11) == 10 && s[4] == '-' && s[7] == '-';
	for (int i = 0; ok && i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			ok = 0;
	if (!ok)
		return err_set(e, ERR_INVALID, "date", "invalid date '%s': expected YYYY-MM-DD",
			       quote(s, q));
	int y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	int m = (s[5] - '0') * 10 + (s[6] - '0');
	int d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1)
		return err_set(e, ERR_INVALID, "date", "invalid date '%s': year 0000", s);
	if (m < 1 || m > 12)
		return err_set(e, ERR_INVALID, "date", "invalid date '%s': month %02d out of range",
			       s, m);
	if (d < 1 || d > days_in_month(y, m))
		return err_set(e, ERR_INVALID, "date", "invalid date '%s': %04d-%02d has %d days",
			       s, y, m, days_in_month(y, m));
	*day = cal_date_from_ymd(y, m, d);
	return 0;
}

/* ==== notice CSV ========================================================= */

struct row {
	int32_t day;
	int kind;
	int line;
	int year;                  /* notice year, set by the builder */
	char name[CAL_NAME_MAX];
};

/* 1 when s[0..n) is valid UTF-8 with no control characters. */
static int clean_utf8(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i];
		if (c < 0x80) {
			if (c < 0x20 || c == 0x7f)
				return 0;
			i++;
			continue;
		}
		int len = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc2 ? 2 : 0;
		if (len == 0 || c > 0xf4 || i + len > n)
			return 0;
		for (int k = 1; k < len; k++)
			if ((s[i + k] & 0xc0) != 0x80)
				return 0;
		if ((c == 0xe0 && s[i + 1] < 0xa0) || (c == 0xed && s[i + 1] > 0x9f) ||
		    (c == 0xf0 && s[i + 1] < 0x90) || (c == 0xf4 && s[i + 1] > 0x8f))
			return 0;      /* overlong, surrogate, beyond U+10FFFF */
		i += len;
	}
	return 1;
}

static void trim(const char **b, const char **end)
{
	while (*b < *end && (**b == ' ' || **b == '\t'))
		(*b)++;
	while (*end > *b && ((*end)[-1] == ' ' || (*end)[-1] == '\t'))
		(*end)--;
}

/* Parse one date line [b, end) into r. Returns 0 or ERR_INVALID. */
static int parse_line(int year, const char *b, const char *end, int line, struct row *r,
		      struct err *e)
{
	const char *f[3], *fe[3];
	int nf = 0;
	for (const char *p = b;; p++) {
		if (p == end || *p == ',') {
			if (nf < 3) {
				f[nf] = b;
				fe[nf] = p;
				trim(&f[nf], &fe[nf]);
			}
			nf++;
			b = p + 1;
			if (p == end)
				break;
		}
	}
	if (nf != 3)
		return err_set(e, ERR_INVALID, "calendar",
			       "line %d: expected 3 fields date,kind,name, got %d", line, nf);
	char buf[16];
	size_t dl = (size_t)(fe[0] - f[0]);
	memcpy(buf, f[0], dl < 15 ? dl : 15);
	buf[dl < 15 ? dl : 15] = 0;
	struct err de;
	if (dl > 10 || cal_date_parse(buf, &r->day, &de) < 0)
		return err_set(e, ERR_INVALID, "calendar", "line %d: %s", line,
			       dl > 10 ? "invalid date: expected YYYY-MM-DD" : de.msg);
	size_t kl = (size_t)(fe[1] - f[1]);
	if (kl == 7 && memcmp(f[1], "holiday", 7) == 0)
		r->kind = CAL_HOLIDAY;
	else if (kl == 7 && memcmp(f[1], "workday", 7) == 0)
		r->kind = CAL_MAKEUP;
	else
		return err_set(e, ERR_INVALID, "calendar",
			       "line %d: unknown kind '%.*s' (holiday or workday)", line,
			       kl > 20 ? 20 : (int)kl, clean_utf8((const unsigned char *)f[1], kl)
			       ? f[1] : "?");
	size_t nl = (size_t)(fe[2] - f[2]);
	if (nl >= CAL_NAME_MAX)
		return err_set(e, ERR_INVALID, "calendar", "line %d: name longer than %d bytes",
			       line, CAL_NAME_MAX - 1);
	if (!clean_utf8((const unsigned char *)f[2], nl))
		return err_set(e, ERR_INVALID, "calendar",
			       "line %d: name is not clean UTF-8 text", line);
	memcpy(r->name, f[2], nl);
	r->name[nl] = 0;
	r->line = line;
	r->year = year;
	int y;
	char ds[CAL_DATE_LEN];
	cal_date_ymd(r->day, &y, NULL, NULL);
	cal_date_format(r->day, ds);
	if (y < year - 1 || y > year + 1)
		return err_set(e, ERR_INVALID, "calendar",
			       "line %d: date %s is more than a year away from the %d notice",
			       line, ds, year);
	if (r->kind == CAL_MAKEUP && cal_weekday(r->day) <= 5)
		return err_set(e, ERR_INVALID, "calendar",
			       "line %d: workday %s falls on a weekday, which is already a "
			       "working day", line, ds);
	return 0;
}

/* 1 for a blank line, 2 for a comment, 0 for anything else. */
static int is_blank(const char *b, const char *end)
{
	trim(&b, &end);
	return b == end ? 1 : *b == '#' ? 2 : 0;
}

/* State of parsing one notice. */
struct notice {
	int year;
	int line;                  /* current line number, 1-based        */
	int header;                /* header seen                         */
	int n;                     /* rows parsed                         */
	int in_year;               /* rows dated in `year` itself         */
	int32_t base;              /* day number of (year-1)-01-01        */
	int *seen;                 /* per offset from base: line, 0 unseen */
	struct row *rows;          /* CAL_CSV_MAX_ROWS slots              */
};

/* One line [b, le) of a notice. 0 or ERR_INVALID naming the line. */
static int notice_line(struct notice *ps, const char *b, const char *le, struct err *e)
{
	int blank = is_blank(b, le);
	if (blank == 2 && !clean_utf8((const unsigned char *)b, (size_t)(le - b)))
		return err_set(e, ERR_INVALID, "calendar", "line %d: comment is not clean UTF-8 "
			       "text", ps->line);
	if (blank)
		return 0;
	if (!ps->header) {
		ps->header = 1;
		trim(&b, &le);
		if (le - b != 14 || memcmp(b, "date,kind,name", 14) != 0)
			return err_set(e, ERR_INVALID, "calendar",
				       "line %d: header must be 'date,kind,name'", ps->line);
		return 0;
	}
	if (ps->n == CAL_CSV_MAX_ROWS)
		return err_set(e, ERR_INVALID, "calendar", "line %d: more than %d rows", ps->line,
			       CAL_CSV_MAX_ROWS);
	struct row *r = &ps->rows[ps->n];
	if (parse_line(ps->year, b, le, ps->line, r, e))
		return ERR_INVALID;
	int off = r->day - ps->base;
	assert(off >= 0 && off < 3 * 366);   /* parse_line kept it within a year */
	if (ps->seen[off]) {
		char ds[CAL_DATE_LEN];
		cal_date_format(r->day, ds);
		return err_set(e, ERR_INVALID, "calendar", "line %d: date %s already listed on "
			       "line %d", ps->line, ds, ps->seen[off]);
	}
	ps->seen[off] = ps->line;
	int y;
	cal_date_ymd(r->day, &y, NULL, NULL);
	ps->in_year += y == ps->year;
	ps->n++;
	return 0;
}

/* Parse and validate a notice. *out (caller frees) gets the rows, *nout
** their count. On error nothing is returned. */
static int notice_parse(int year, const char *text, size_t len, struct row **out, int *nout,
			struct err *e)
{
	if (year < CAL_FIRST_YEAR || year > CAL_LAST_YEAR)
		return err_set(e, ERR_INVALID, "calendar", "year %d outside %d..%d", year,
			       CAL_FIRST_YEAR, CAL_LAST_YEAR);
	const char *p = text ? text : "", *end = p + (text ? len : 0);
	if (end - p >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		p += 3;
	struct notice ps = {.year = year, .base = cal_date_from_ymd(year - 1, 1, 1)};
	ps.seen = calloc(3 * 366, sizeof *ps.seen);
	ps.rows = malloc(CAL_CSV_MAX_ROWS * sizeof *ps.rows);
	int rc = 0;
	if (!ps.seen || !ps.rows)
		rc = err_set(e, ERR_INTERNAL, "calendar", "out of memory");
	while (p < end && rc == 0) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		const char *b = p, *le = nl ? nl : end;
		p = nl ? nl + 1 : end;
		ps.line++;
		if (le > b && le[-1] == '\r')
			le--;
		rc = notice_line(&ps, b, le, e);
	}
	if (rc == 0 && !ps.header)
		rc = err_set(e, ERR_INVALID, "calendar", "line 1: empty file, expected header "
			     "'date,kind,name'");
	else if (rc == 0 && ps.in_year == 0)
		rc = err_set(e, ERR_INVALID, "calendar", "line %d: no date in %d: not the %d "
			     "notice", ps.line, year, year);
	free(ps.seen);
	if (rc == 0 && out) {
		*out = ps.rows;
		*nout = ps.n;
	} else {
		free(ps.rows);
	}
	return rc;
}

int cal_csv_validate(int year, const char *text, size_t len, int *rows, struct err *e)
{
	struct row *r = NULL;
	int n = 0;
	int rc = notice_parse(year, text, len, &r, &n, e);
	free(r);
	if (rc == 0 && rows)
		*rows = n;
	return rc;
}

int cal_csv_year_from_name(const char *path)
{
	const char *b = strrchr(path, '/');
	b = b ? b + 1 : path;
	if (strlen(b) != 11 || memcmp(b, "cn-", 3) != 0 || strcmp(b + 7, ".csv") != 0)
		return 0;
	int y = 0;
	for (int i = 3; i < 7; i++) {
		if (b[i] < '0' || b[i] > '9')
			return 0;
		y = y * 10 + (b[i] - '0');
	}
	return y;
}

/* ==== building =========================================================== */

/* Rows of several notices: the one whose year is the date's own year first,
** then the later notice. */
static int row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	int dy;
	cal_date_ymd(x->day, &dy, NULL, NULL);
	int xo = x->year == dy, yo = y->year == dy;
	if (xo != yo)
		return xo ? -1 : 1;
	return (x->year > y->year) ? -1 : (x->year < y->year);
}

/* Parse the chosen notice of every year into one array of rows. */
static int gather(const struct cal_year_src *pick[NYEARS], const uint8_t src[NYEARS],
		  struct row **out, size_t *nout, struct err *e)
{
	struct row *all = NULL;
	size_t n = 0;
	for (int i = 0; i < NYEARS; i++) {
		if (!pick[i])
			continue;
		struct row *r;
		int nr;
		struct err pe;
		int year = CAL_FIRST_YEAR + i;
		if (notice_parse(year, pick[i]->text, pick[i]->len, &r, &nr, &pe) < 0) {
			free(all);
			if (src[i] == CAL_SRC_BUILTIN)
				return err_set(e, ERR_INTERNAL, "calendar",
					       "built-in data/calendar/cn-%d.csv: %s", year, pe.msg);
			return err_set(e, pe.code, "calendar", "calendar %d: %s", year, pe.msg);
		}
		struct row *grown = realloc(all, (n + (size_t)nr + 1) * sizeof *all);
		if (!grown) {
			free(r);
			free(all);
			return err_set(e, ERR_INTERNAL, "calendar", "out of memory");
		}
		all = grown;
		memcpy(all + n, r, (size_t)nr * sizeof *r);
		n += (size_t)nr;
		free(r);
	}
	qsort(all, n, sizeof *all, row_cmp);
	*out = all;
	*nout = n;
	return 0;
}

/* Keep the winning row of each date inside the range as c->ents. */
static int set_entries(struct cal *c, const struct row *rows, size_t n)
{
	c->ents = calloc(n ? n : 1, sizeof *c->ents);
	c->names = calloc(n ? n : 1, CAL_NAME_MAX);
	if (!c->ents || !c->names)
		return -1;
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		if (i > 0 && rows[i].day == rows[i - 1].day)
			continue;
		if (rows[i].day < c->first || rows[i].day > c->last)
			continue;
		char *name = c->names + k * CAL_NAME_MAX;
		memcpy(name, rows[i].name, CAL_NAME_MAX);
		c->ents[k].day = rows[i].day;
		c->ents[k].kind = rows[i].kind;
		c->ents[k].name = name;
		k++;
	}
	c->nents = k;
	return 0;
}

/* Fill flags, kinds, cum and work from the weekdays and c->ents. */
static int set_index(struct cal *c)
{
	size_t nd = (size_t)c->ndays;
	c->flags = malloc(nd);
	c->kind = calloc(nd, 1);
	c->year = malloc(nd);
	c->cum = malloc((nd + 1) * sizeof *c->cum);
	c->work = malloc(nd * sizeof *c->work);
	if (!c->flags || !c->kind || !c->year || !c->cum || !c->work)
		return -1;
	for (size_t i = 0; i < nd; i++) {
		int y;
		cal_date_ymd(c->first + (int32_t)i, &y, NULL, NULL);
		c->year[i] = (uint8_t)(y - CAL_FIRST_YEAR);
		c->flags[i] = cal_weekday(c->first + (int32_t)i) <= 5 ? F_WORK : 0;
	}
	for (size_t k = 0; k < c->nents; k++) {
		size_t i = (size_t)(c->ents[k].day - c->first);
		c->kind[i] = (uint8_t)c->ents[k].kind;
		c->flags[i] = c->ents[k].kind == CAL_MAKEUP ? F_WORK : 0;
	}
	int32_t w = 0;
	for (size_t i = 0; i < nd; i++) {
		c->cum[i] = w;
		if (c->flags[i] & F_WORK)
			c->work[w++] = c->first + (int32_t)i;
	}
	c->cum[nd] = w;
	c->nwork = w;
	c->next_prov[NYEARS] = CAL_LAST_YEAR + 1;
	for (int y = NYEARS - 1; y >= 0; y--)
		c->next_prov[y] = c->src[y] ? c->next_prov[y + 1] : (int16_t)(CAL_FIRST_YEAR + y);
	return 0;
}

int cal_build(const struct cal_year_src *extra, size_t n, struct cal **out, struct err *e)
{
	struct cal_year_src builtin[NYEARS];
	const struct cal_year_src *pick[NYEARS] = {0};
	uint8_t src[NYEARS] = {0};
	for (const struct embed_file *f = embed_files; f->path; f++) {
		int y = strncmp(f->path, "data/calendar/", 14) == 0 ?
			cal_csv_year_from_name(f->path) : 0;
		if (y < CAL_FIRST_YEAR || y > CAL_LAST_YEAR)
			continue;
		builtin[y - CAL_FIRST_YEAR] = (struct cal_year_src){y, (const char *)f->data, f->len};
		pick[y - CAL_FIRST_YEAR] = &builtin[y - CAL_FIRST_YEAR];
		src[y - CAL_FIRST_YEAR] = CAL_SRC_BUILTIN;
	}
	for (size_t i = 0; i < n; i++) {
		if (extra[i].year < CAL_FIRST_YEAR || extra[i].year > CAL_LAST_YEAR)
			return err_set(e, ERR_INVALID, "calendar", "year %d outside %d..%d",
				       extra[i].year, CAL_FIRST_YEAR, CAL_LAST_YEAR);
		pick[extra[i].year - CAL_FIRST_YEAR] = &extra[i];
		src[extra[i].year - CAL_FIRST_YEAR] = CAL_SRC_LOADED;
	}
	struct row *rows = NULL;
	size_t nrows = 0;
	int rc = gather(pick, src, &rows, &nrows, e);
	if (rc)
		return rc;
	struct cal *c = calloc(1, sizeof *c);
	if (c) {
		c->first = cal_date_from_ymd(CAL_FIRST_YEAR, 1, 1);
		c->last = cal_date_from_ymd(CAL_LAST_YEAR, 12, 31);
		c->ndays = c->last - c->first + 1;
		memcpy(c->src, src, sizeof src);
	}
	if (!c || set_entries(c, rows, nrows) < 0 || set_index(c) < 0) {
		free(rows);
		cal_free(c);
		return err_set(e, ERR_INTERNAL, "calendar", "out of memory");
	}
	free(rows);
	*out = c;
	return 0;
}

void cal_free(struct cal *c)
{
	if (!c)
		return;
	free(c->flags);
	free(c->kind);
	free(c->year);
	free(c->cum);
	free(c->work);
	free(c->ents);
	free(c->names);
	free(c);
}

/* ==== queries ============================================================ */

int cal_year_source(const struct cal *c, int year)
{
	if (year < CAL_FIRST_YEAR || year > CAL_LAST_YEAR)
		return CAL_SRC_NONE;
	return c->src[year - CAL_FIRST_YEAR];
}

static int year_of(const struct cal *c, int32_t day)
{
	if (day >= c->first && day <= c->last)
		return CAL_FIRST_YEAR + c->year[day - c->first];
	int y;
	cal_date_ymd(day, &y, NULL, NULL);
	return y;
}

int cal_provisional_year(const struct cal *c, int32_t from, int32_t to)
{
	int y1 = year_of(c, from < to ? from : to), y2 = year_of(c, from < to ? to : from);
	if (y1 < CAL_FIRST_YEAR || y1 > CAL_LAST_YEAR)
		return y1;
	int p = c->next_prov[y1 - CAL_FIRST_YEAR];
	return p <= y2 ? p : 0;
}

static int check_range(const struct cal *c, int32_t day, const char *field, struct err *e)
{
	if (day >= c->first && day <= c->last)
		return 0;
	char ds[CAL_DATE_LEN];
	cal_date_format(day, ds);
	return err_set(e, ERR_INVALID, field, "date %s outside the supported range "
		       "%d-01-01..%d-12-31", ds, CAL_FIRST_YEAR, CAL_LAST_YEAR);
}

static const char *name_of(const struct cal *c, int32_t day)
{
	size_t lo = 0, hi = c->nents;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->ents[mid].day < day)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < c->nents && c->ents[lo].day == day ? c->ents[lo].name : "";
}

int cal_day(const struct cal *c, int32_t day, struct cal_dayinfo *out, struct err *e)
{
	if (check_range(c, day, "date", e))
		return ERR_INVALID;
	size_t i = (size_t)(day - c->first);
	out->workday = c->flags[i] & F_WORK;
	out->kind = c->kind[i];
	out->weekday = cal_weekday(day);
	out->name = out->kind ? name_of(c, day) : "";
	out->provisional = cal_provisional_year(c, day, day);
	return 0;
}

/* add(from, n) for any n >= 0, no provisional flag. */
static int add_raw(const struct cal *c, int32_t from, int n, int32_t *out, struct err *e)
{
	if (check_range(c, from, "date", e))
		return ERR_INVALID;
	size_t i = (size_t)(from - c->first);
	int64_t j;
	if (n == 0 && (c->flags[i] & F_WORK)) {
		*out = from;
		return 0;
	}
	j = (int64_t)c->cum[i + 1] + (n == 0 ? 0 : n - 1);
	if (j >= c->nwork)
		return err_set(e, ERR_INVALID, "n", "result beyond %d-12-31, the end of the "
			       "supported range", CAL_LAST_YEAR);
	*out = c->work[j];
	return 0;
}

int cal_add_workdays(const struct cal *c, int32_t from, int n, int32_t *out,
		     int *provisional, struct err *e)
{
	if (n < 0 || n > CAL_MAX_N)
		return err_set(e, ERR_INVALID, "n", "N must be 0..%d, got %d", CAL_MAX_N, n);
	int32_t r;
	int rc = add_raw(c, from, n, &r, e);
	if (rc)
		return rc;
	*out = r;
	if (provisional)
		*provisional = cal_provisional_year(c, from, r);
	return 0;
}

int cal_count_workdays(const struct cal *c, int32_t from, int32_t to, int *out,
		       int *provisional, struct err *e)
{
	if (check_range(c, from, "from", e) || check_range(c, to, "to", e))
		return ERR_INVALID;
	*out = c->cum[to - c->first + 1] - c->cum[from - c->first + 1];
	if (provisional)
		*provisional = cal_provisional_year(c, from, to);
	return 0;
}

static int pause_cmp(const void *a, const void *b)
{
	const struct cal_pause *x = a, *y = b;
	return (x->start > y->start) - (x->start < y->start);
}

/* Order pauses by start: insertion sort for the usual handful. */
static void sort_pauses(struct cal_pause *v, size_t k)
{
	if (k > 16) {
		qsort(v, k, sizeof *v, pause_cmp);
		return;
	}
	for (size_t i = 1; i < k; i++) {
		struct cal_pause x = v[i];
		size_t j = i;
		for (; j > 0 && v[j - 1].start > x.start; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

int cal_paused_workdays(const struct cal *c, int32_t accepted, const struct cal_pause *p,
			size_t np, int *out, struct err *e)
{
	struct cal_pause local[16], *v = np <= 16 ? local : malloc(np * sizeof *v);
	if (!v)
		return err_set(e, ERR_INTERNAL, "pause", "out of memory");
	int rc = 0;
	size_t k = 0;
	for (size_t i = 0; i < np && rc == 0; i++) {
		if (check_range(c, p[i].start, "pause", e) || check_range(c, p[i].end, "pause", e))
			rc = ERR_INVALID;
		else if (p[i].end < p[i].start)
			rc = err_set(e, ERR_INVALID, "pause", "pause %zu ends before it starts", i + 1);
		else if (p[i].end > accepted)
			v[k++] = (struct cal_pause){p[i].start > accepted ? p[i].start : accepted,
						    p[i].end};
	}
	if (rc == 0) {
		sort_pauses(v, k);
		int total = 0;
		int32_t upto = accepted;       /* days <= upto are accounted for */
		for (size_t i = 0; i < k; i++) {
			int32_t s = v[i].start > upto ? v[i].start : upto;
			if (v[i].end <= s)
				continue;
			total += c->cum[v[i].end - c->first + 1] - c->cum[s - c->first + 1];
			upto = v[i].end;
		}
		*out = total;
	}
	if (v != local)
		free(v);
	return rc;
}

int cal_due(const struct cal *c, int32_t accepted, int limit, const struct cal_pause *p,
	    size_t np, int32_t *due, int *paused, int *provisional, struct err *e)
{
	if (limit < 0 || limit > CAL_MAX_N)
		return err_set(e, ERR_INVALID, "limit", "limit must be 0..%d working days, got %d",
			       CAL_MAX_N, limit);
	int pw = 0;
	int rc = check_range(c, accepted, "accepted", e);
	if (rc == 0)
		rc = cal_paused_workdays(c, accepted, p, np, &pw, e);
	int32_t r;
	if (rc == 0)
		rc = add_raw(c, accepted, limit + pw, &r, e);
	if (rc)
		return rc;
	*due = r;
	if (paused)
		*paused = pw;
	if (provisional)
		*provisional = cal_provisional_year(c, accepted, r);
	return 0;
}

size_t cal_entries(const struct cal *c, int32_t from, int32_t to, const struct cal_entry **first)
{
	size_t lo = 0, hi = c->nents;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (c->ents[mid].day < from)
			lo = mid + 1;
		else
			hi = mid;
	}
	size_t k = lo;
	while (k < c->nents && c->ents[k].day <= to)
		k++;
	*first = c->ents + lo;
	return k - lo;
}
