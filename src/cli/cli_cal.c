/*
** cli_cal.c: `gonggai cal add|count|day|import`, the command-line face of
** calendar/cal.h. add, count and day answer from the notices built into the
** binary (plus the years loaded into a database when --db is given); import
** validates a notice file and stores it in the database.
**
** Output: the answer alone on stdout (a date, a number, `workday`/`rest` and
** the holiday name), or one JSON object with --json. A year without a notice
** adds `provisional: no official calendar for YYYY` on stderr and exits 0.
** Invalid input exits 2 with a message naming it; a notice file that fails
** validation, or a database error, exits 1. Owns the struct cal it builds
** for the one call. Arguments are scanned by hand rather than by getopt so
** that `cal add DATE -1` reaches the N check instead of looking like an
** option.
*/
#include "cli/cli.h"
#include "base/clock.h"
#include "base/json.h"
#include "calendar/cal.h"
#include "workday/workday.h"
#include "db/db.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai cal add DATE N [--json] [--db PATH]\n"
	"       gonggai cal count FROM TO [--json] [--db PATH]\n"
	"       gonggai cal day DATE [--json] [--db PATH]\n"
	"       gonggai cal import --db PATH FILE [--year YYYY]\n"
	"\n"
	"Working days: Mon-Fri minus official holidays plus make-up days (调休), from the\n"
	"State Council notices built in (and the years imported into the database with --db).\n"
	"The start date is never counted.\n"
	"  add DATE N     the N-th working day after DATE (N 0..3650; N = 0: DATE when it is\n"
	"                 a working day, else the next working day)\n"
	"  count FROM TO  working days in (FROM, TO]; negative when TO is before FROM\n"
	"  day DATE       `workday` or `rest`, then the holiday or make-up day name if any\n"
	"  import FILE    validate a notice (date,kind,name CSV; the year comes from a name\n"
	"                 cn-YYYY.csv or --year) and store it; it replaces the built-in year\n"
	"Dates are YYYY-MM-DD within 2000..2100. A year without a notice is computed Mon-Fri\n"
	"and reported on stderr as `provisional: no official calendar for YYYY`.\n"
	"Exit status: 0 done, 1 the file or the database failed, 2 invalid input.\n"
	"  --json         print one JSON object\n"
	"  --db PATH      the database (import; optional for add, count, day)\n";

struct opts {
	int json;
	const char *db;
	const char *year;
	char *pos[4];
	int npos;
};

static int parse_opts(int argc, char **argv, struct opts *o)
{
	memset(o, 0, sizeof *o);
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--json") == 0) {
			o->json = 1;
		} else if (strcmp(a, "--db") == 0 || strcmp(a, "--year") == 0) {
			if (i + 1 >= argc)
				return cli_usage(usage, "cal: %s needs a value", a);
			*(a[2] == 'd' ? &o->db : &o->year) = argv[++i];
		} else if (a[0] == '-' && a[1] == '-') {
			return cli_usage(usage, "cal: unknown option '%s'", a);
		} else if (o->npos < 4) {
			o->pos[o->npos++] = argv[i];
		} else {
			return cli_usage(usage, "cal: too many arguments");
		}
	}
	return 0;
}

/* Parse a date argument; prints the message and returns 2 when invalid. */
static int date_arg(const char *s, int32_t *day)
{
	struct err e;
	if (cal_date_parse(s, day, &e) < 0)
		return cli_usage(NULL, "cal: %s", e.msg);
	return 0;
}

static void note_provisional(int year)
{
	if (year)
		fprintf(stderr, "provisional: no official calendar for %d\n", year);
}

static int emit_json(json_t *o, int provisional)
{
	json_object_set_new(o, "provisional", json_boolean(provisional != 0));
	if (provisional)
		json_object_set_new(o, "provisional_year", json_integer(provisional));
	char *text = json_text(o);
	json_decref(o);
	if (!text)
		return 1;
	puts(text);
	free(text);
	return 0;
}

static int cmd_add(const struct cal *c, const struct opts *o)
{
	int32_t from, to;
	if (o->npos != 3)
		return cli_usage(usage, "cal add: expected DATE N");
	if (date_arg(o->pos[1], &from))
		return 2;
	const char *ns = o->pos[2];
	size_t len = strlen(ns);
	int n = len > 0 && len <= 4 && strspn(ns, "0123456789") == len ? atoi(ns) : -1;
	if (n < 0 || n > CAL_MAX_N)
		return cli_usage(NULL, "cal: invalid N '%.20s': expected a whole number 0..%d",
				 ns, CAL_MAX_N);
	struct err e;
	int prov;
	if (cal_add_workdays(c, from, n, &to, &prov, &e) < 0)
		return cli_usage(NULL, "cal: %s", e.msg);
	note_provisional(prov);
	char a[CAL_DATE_LEN], b[CAL_DATE_LEN];
	cal_date_format(from, a);
	cal_date_format(to, b);
	if (!o->json) {
		puts(b);
		return 0;
	}
	return emit_json(json_pack("{s:s, s:i, s:s}", "date", a, "n", n, "result", b), prov);
}

static int cmd_count(const struct cal *c, const struct opts *o)
{
	int32_t from, to;
	if (o->npos != 3)
		return cli_usage(usage, "cal count: expected FROM TO");
	if (date_arg(o->pos[1], &from) || date_arg(o->pos[2], &to))
		return 2;
	struct err e;
	int n, prov;
	if (cal_count_workdays(c, from, to, &n, &prov, &e) < 0)
		return cli_usage(NULL, "cal: %s", e.msg);
	note_provisional(prov);
	if (!o->json) {
		printf("%d\n", n);
		return 0;
	}
	char a[CAL_DATE_LEN], b[CAL_DATE_LEN];
	cal_date_format(from, a);
	cal_date_format(to, b);
	return emit_json(json_pack("{s:s, s:s, s:i}", "from", a, "to", b, "workdays", n), prov);
}

static int cmd_day(const struct cal *c, const struct opts *o)
{
	int32_t day;
	if (o->npos != 2)
		return cli_usage(usage, "cal day: expected DATE");
	if (date_arg(o->pos[1], &day))
		return 2;
	struct err e;
	struct cal_dayinfo di;
	if (cal_day(c, day, &di, &e) < 0)
		return cli_usage(NULL, "cal: %s", e.msg);
	note_provisional(di.provisional);
	const char *what = di.workday ? "workday" : "rest";
	if (!o->json) {
		printf(di.name[0] ? "%s %s\n" : "%s\n", what, di.name);
		return 0;
	}
	static const char *const kinds[] = {"normal", "holiday", "makeup"};
	char a[CAL_DATE_LEN];
	cal_date_format(day, a);
	json_t *j = json_pack("{s:s, s:s, s:s, s:i}", "date", a, "kind", what,
			      "entry", kinds[di.kind], "weekday", di.weekday);
	json_object_set_new(j, "name", di.name[0] ? json_string(di.name) : json_null());
	return emit_json(j, di.provisional);
}

/* Read at most max bytes of path into a malloc'd NUL-terminated buffer. */
static int read_file(const char *path, size_t max, char **out, size_t *len, struct err *e)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return err_set(e, ERR_NOTFOUND, "file", "cannot open %s", path);
	char *buf = malloc(max + 2);
	size_t n = buf ? fread(buf, 1, max + 1, f) : 0;
	int bad = ferror(f);
	fclose(f);
	if (!buf || bad) {
		free(buf);
		return err_set(e, ERR_INTERNAL, "file", "cannot read %s", path);
	}
	if (n > max) {
		free(buf);
		return err_set(e, ERR_TOOLARGE, "file", "%s is larger than %zu KiB", path, max / 1024);
	}
	buf[n] = 0;
	*out = buf;
	*len = n;
	return 0;
}

static int cmd_import(const struct opts *o)
{
	if (!o->db)
		return cli_usage(usage, "cal import: --db PATH is required");
	if (o->npos != 2)
		return cli_usage(usage, "cal import: expected one FILE");
	const char *path = o->pos[1];
	int year = cal_csv_year_from_name(path);
	if (o->year) {
		size_t n = strlen(o->year);
		year = n == 4 && strspn(o->year, "0123456789") == 4 ? atoi(o->year) : -1;
	}
	if (year < CAL_FIRST_YEAR || year > CAL_LAST_YEAR)
		return cli_usage(usage, "cal import: give the year with --year YYYY (%d..%d) or "
				 "name the file cn-YYYY.csv", CAL_FIRST_YEAR, CAL_LAST_YEAR);
	struct err e = {0};
	struct store *st = NULL;
	struct principal cli;
	struct cal_import_result res;
	char *text = NULL;
	size_t len = 0;
	rbac_cli_principal(&cli);
	int rc = read_file(path, CAL_CSV_MAX_BYTES, &text, &len, &e);
	if (rc == 0)
		rc = db_open(o->db, 0, &st, &e);
	if (rc == 0)
		rc = cal_import(st, &cli, clock_now(NULL), year, text, len, &res, &e);
	db_close(st);
	free(text);
	if (rc)
		return cli_fail(&e);
	if (o->json) {
		json_t *j = json_pack("{s:i, s:i, s:s, s:s}", "year", year, "rows", res.rows,
				      "replaced", cal_source_name(res.replaced), "sha256", res.sha256);
		char *t = json_text(j);
		json_decref(j);
		puts(t ? t : "{}");
		free(t);
	} else {
		printf("imported calendar %d: %d date%s (replaces %s)\n", year, res.rows,
		       res.rows == 1 ? "" : "s", res.replaced == CAL_SRC_LOADED ? "the previously loaded notice" :
		       res.replaced == CAL_SRC_BUILTIN ? "the built-in notice" : "nothing: new year");
	}
	return 0;
}

/* The calendar to answer from: built-in, plus the database's years. */
static int load_cal(const struct opts *o, struct cal **c, struct err *e)
{
	if (!o->db)
		return cal_build(NULL, 0, c, e);
	struct store *st;
	if (db_open(o->db, STORE_READONLY, &st, e))
		return e->code;
	int rc = cal_build_store(st, c, e);
	db_close(st);
	return rc;
}

int cli_cal(int argc, char **argv)
{
	struct opts o;
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	if (parse_opts(argc, argv, &o))
		return 2;
	if (o.npos == 0)
		return cli_usage(usage, "cal: missing subcommand");
	const char *sub = o.pos[0];
	if (strcmp(sub, "import") == 0)
		return cmd_import(&o);
	int (*cmd)(const struct cal *, const struct opts *) =
		strcmp(sub, "add") == 0 ? cmd_add :
		strcmp(sub, "count") == 0 ? cmd_count :
		strcmp(sub, "day") == 0 ? cmd_day : NULL;
	if (!cmd)
		return cli_usage(usage, "cal: unknown subcommand '%s'", sub);
	struct cal *c;
	struct err e;
	if (load_cal(&o, &c, &e) < 0)
		return cli_fail(&e);
	int rc = cmd(c, &o);
	cal_free(c);
	return rc;
}
