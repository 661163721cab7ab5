/*
** cli_cal.c: `gonggai cal add|count|day|import`, the command-line face of
** calendar/cal.h. add, count and day answer from the notices built into the
** binary (plus the years loaded into a database when --db is given); import
** validates a notice file and stores it in the database.
**
** Output: the answer alone on stdout (a date, a number, `workday`/`rest` and
** the holiday name), or one JSON object with --json. A year without a notice
** adds `provisional: no official calendar for YYYY` on stderr and exits 0.
** Invalid input exits 2 with a message naming it. Owns the struct cal it
** builds for the one call.
*/
#include "cli/cli.h"
#include "calendar/cal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

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
	int (*cmd)(const struct cal *, const struct opts *) =
		strcmp(sub, "add") == 0 ? cmd_add :
		strcmp(sub, "count") == 0 ? cmd_count :
		strcmp(sub, "day") == 0 ? cmd_day : NULL;
	if (!cmd)
		return cli_usage(usage, "cal: unknown subcommand '%s'", sub);
	struct cal *c;
	struct err e;
	if (cal_build(NULL, 0, &c, &e) < 0)
		return cli_fail(&e);
	int rc = cmd(c, &o);
	cal_free(c);
	return rc;
}
