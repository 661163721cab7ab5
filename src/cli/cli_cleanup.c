/*
** cli_cleanup.c: `gonggai cleanup --db PATH [--dry-run] [--json]`: rotate
** the application log and remove rotated logs and temp files past their
** retention (ops/cleanup.h), then say what was removed and how much space
** was freed. --dry-run only says what would go. Audit rows are never touched.
*/
#include "cli/cli.h"
#include "base/clock.h"
#include "cli/cli_ops.h"
#include "ops/cleanup.h"
#include "db/db.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai cleanup --db PATH [--dry-run] [--json] [--config FILE]\n"
	"  Rotate the application log ([log] file) past [ops] log_rotate_mb or log_rotate_days,\n"
	"  remove rotated logs older than log_keep_days, files in [ops] tmp_dir older than\n"
	"  tmp_keep_hours and unfinished backups (*.part); prune inspection results older than\n"
	"  results_keep_days. Never touches the database file, backups or the audit log.\n";

static void print_report(json_t *r)
{
	json_t *rot = json_object_get(r, "rotated"), *f;
	size_t i;
	int dry = json_is_true(json_object_get(r, "dry_run"));
	char sz[24];
	if (json_is_object(rot))
		printf("%s %s -> %s (%s, %s)\n", dry ? "would rotate" : "rotated",
		       json_string_value(json_object_get(rot, "from")),
		       dry ? "FILE.YYYYMMDD-HHMMSS" : json_string_value(json_object_get(rot, "to")),
		       cli_ops_size(json_integer_value(json_object_get(rot, "bytes")), sz),
		       json_string_value(json_object_get(rot, "why")));
	json_array_foreach(json_object_get(r, "removed"), i, f)
		printf("%s %-4s %10s  %s\n", dry ? "would remove" : json_is_true(json_object_get(f, "ok")) ? "removed" : "FAILED",
		       json_string_value(json_object_get(f, "kind")),
		       cli_ops_size(json_integer_value(json_object_get(f, "bytes")), sz),
		       json_string_value(json_object_get(f, "path")));
	printf("%s %zu files, %s%s; %lld old inspection results pruned\n", dry ? "would free:" : "freed:",
	       json_array_size(json_object_get(r, "removed")),
	       cli_ops_size(json_integer_value(json_object_get(r, "freed_bytes")), sz), dry ? " (dry run)" : "",
	       (long long)json_integer_value(json_object_get(r, "pruned_results")));
}

int cli_cleanup(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"dry-run", no_argument, NULL, 'n'},
		{"json", no_argument, NULL, 'j'}, {"config", required_argument, NULL, 'c'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	const char *db = NULL, *config = NULL;
	int dry = 0, as_json = 0, ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': db = optarg; break;
		case 'n': dry = 1; break;
		case 'j': as_json = 1; break;
		case 'c': config = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage(usage, NULL);
		}
	}
	if (optind < argc)
		return cli_usage(usage, "cleanup: unexpected argument '%s'", argv[optind]);
	struct conf *c;
	struct ops_conf cf;
	struct store *st;
	struct principal cli;
	struct err e = {0};
	json_t *r = NULL;
	if (cli_ops_load(config, db, &c, &cf, &e))
		return !strcmp(e.field, "db") ? cli_usage(usage, "cleanup: %s", e.msg) : cli_fail(&e);
	int rc = db_open(cf.db_path, 0, &st, &e);
	rbac_cli_principal(&cli);
	if (!rc) {
		rc = ops_cleanup(st, &cf, &cli, clock_now(NULL), dry, 0, &r, &e);
		db_close(st);
	}
	conf_free(c);
	if (rc)
		return cli_fail(&e);
	if (as_json) {
		json_dumpf(r, stdout, JSON_COMPACT);
		fputc('\n', stdout);
	} else
		print_report(r);
	json_decref(r);
	return 0;
}
