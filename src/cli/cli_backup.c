/*
** cli_backup.c: `gonggai backup` (online backup, list, verify, drill) and
** `gonggai restore FILE` (see ops/backup.h for what each step guarantees).
** `backup` prints what it did and the path of the file as the last line of
** stdout, so a script can take it with `tail -n1`. Exit 0 on success, 1 when
** the work failed (a verify mismatch names sha256 or integrity), 2 on usage.
*/
#include "cli/cli.h"
#include "base/clock.h"
#include "cli/cli_ops.h"
#include "ops/backup.h"
#include "ops/lock.h"
#include "org/audit.h"
#include "db/db.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
	"usage: gonggai backup [--db PATH] [--to DIR] [--config FILE]\n"
	"         online backup (the server may keep running); prints the file last\n"
	"       gonggai backup list [--db PATH] [--json]\n"
	"       gonggai backup verify FILE [--db PATH]   checksum (record or FILE.sha256) + integrity\n"
	"       gonggai backup drill [--db PATH] [--json]  restore the newest into a scratch file and check it\n"
	"  --db defaults to [database] path of ./gonggai.ini; --to to [ops] backup_dir (<db dir>/backups).\n";

static const char restore_usage[] =
	"usage: gonggai restore FILE --db PATH [--config FILE]\n"
	"  Replace the database with a verified backup. Refused while a server (or a backup) uses\n"
	"  the database: stop `gonggai serve` first. The replaced database is kept as\n"
	"  PATH.replaced-YYYYMMDD-HHMMSS (with its WAL); nothing is deleted.\n";

struct args {
	const char *db, *to, *config, *file;
	int json;
};

static int parse(int argc, char **argv, int want_file, struct args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"to", required_argument, NULL, 't'},
		{"config", required_argument, NULL, 'c'}, {"json", no_argument, NULL, 'j'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int ch;
	memset(a, 0, sizeof *a);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': a->db = optarg; break;
		case 't': a->to = optarg; break;
		case 'c': a->config = optarg; break;
		case 'j': a->json = 1; break;
		case 'h': return 1;
		default: return -1;
		}
	}
	if (want_file && optind < argc)
		a->file = argv[optind++];
	return optind < argc || (want_file && !a->file) ? -1 : 0;
}

static int do_backup(struct store *st, const struct ops_conf *cf, const struct args *a, struct err *e)
{
	struct principal cli;
	struct ops_backup_out out;
	struct ops_lock lk;
	char sz[24];
	rbac_cli_principal(&cli);
	if (ops_lock_shared(cf->db_path, &lk, e))
		return e->code;
	int rc = ops_backup(st, cf, &cli, clock_now(NULL), a->to, 0, NULL, &out, e);
	ops_lock_release(&lk);
	if (rc)
		return rc;
	printf("备份完成 (backup done): %s, sha256 %s\n", cli_ops_size(out.rec.size_bytes, sz), out.rec.sha256);
	printf("copy %.0f ms, integrity_check %.0f ms, sha256 %.0f ms; retention removed %d\n", out.rec.copy_ms,
	       out.rec.check_ms, out.hash_ms, out.removed);
	printf("%s\n", out.rec.path);
	return 0;
}

static int do_list(struct store *st, const struct args *a, struct err *e)
{
	struct page pg = {1, PAGE_SIZE_MAX};
	json_t *items, *it;
	int64_t total;
	size_t i;
	if (ops_backup_list(st, &pg, &items, &total, e))
		return e->code;
	if (a->json) {
		json_dumpf(items, stdout, JSON_COMPACT);
		fputc('\n', stdout);
	} else {
		printf("%-5s %-19s %-10s %-9s %-8s %s\n", "id", "created", "size", "integrity", "state", "path");
		json_array_foreach(items, i, it) {
			char t[20], sz[24];
			struct stat sb;
			const char *path = json_string_value(json_object_get(it, "path"));
			const char *state = json_is_integer(json_object_get(it, "removed_at")) ? "removed"
				: stat(path, &sb) == 0 ? "present" : "missing";
			printf("%-5lld %-19s %-10s %-9.9s %-8s %s\n", (long long)json_integer_value(json_object_get(it, "id")),
			       clock_cn_datetime(json_integer_value(json_object_get(it, "created_at")), t),
			       cli_ops_size(json_integer_value(json_object_get(it, "size_bytes")), sz),
			       json_string_value(json_object_get(it, "integrity")), state, path);
		}
	}
	json_decref(items);
	return 0;
}

static int do_verify(struct store *st, const struct args *a, struct err *e)
{
	struct ops_verify v;
	struct principal cli;
	rbac_cli_principal(&cli);
	if (ops_backup_verify(st, a->file, &v, e))
		return e->code;
	if (st) {
		struct err e2;
		audit_write(st, &cli, clock_now(NULL), "ops.backup.verify", a->file, v.ok ? "success" : "failure",
			    json_pack("{s:s,s:s,s:s,s:s}", "recorded", v.recorded, "actual", v.actual, "source",
				      v.source, "integrity", v.integrity), &e2);
	}
	if (!v.ok)
		return e->code;
	printf("OK: %s\n  sha256 %s matches the %s\n  integrity_check: %s\n", a->file, v.actual,
	       strcmp(v.source, "record") == 0 ? "backup record" : "sidecar .sha256 file", v.integrity);
	return 0;
}

static int do_drill(struct store *st, const struct ops_conf *cf, const struct args *a, struct err *e)
{
	struct principal cli;
	json_t *r = NULL, *t;
	struct ops_lock lk;
	size_t i;
	rbac_cli_principal(&cli);
	if (ops_lock_shared(cf->db_path, &lk, e))   /* no restore while we compare with the live file */
		return e->code;
	int rc = ops_drill(st, cf, &cli, clock_now(NULL), 0, &r, e);
	ops_lock_release(&lk);
	if (r && a->json) {
		json_dumpf(r, stdout, JSON_COMPACT);
		fputc('\n', stdout);
	} else if (r) {
		printf("%s\n", json_string_value(json_object_get(r, "message")));
		json_array_foreach(json_object_get(r, "tables"), i, t)
			printf("  %-28s backup %-10lld live %lld\n", json_string_value(json_object_get(t, "table")),
			       (long long)json_integer_value(json_object_get(t, "backup")),
			       (long long)json_integer_value(json_object_get(t, "live")));
	}
	json_decref(r);
	return rc;
}

int cli_backup(int argc, char **argv)
{
	static const char *const subs[] = {"list", "verify", "drill"};
	int sub = -1;
	struct args a;
	for (int i = 0; argc > 1 && i < 3; i++)
		if (strcmp(argv[1], subs[i]) == 0)
			sub = i;
	int shift = sub >= 0;
	int p = parse(argc - shift, argv + shift, sub == 1, &a);
	if (p > 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (p < 0)
		return cli_usage(usage, NULL);
	struct conf *c;
	struct ops_conf cf;
	struct store *st = NULL;
	struct err e = {0};
	if (cli_ops_load(a.config, a.db, &c, &cf, &e)) {
		int no_db = e.code == ERR_INVALID && !strcmp(e.field, "db");
		if (no_db && sub == 1)   /* verify works from the sidecar alone */
			return do_verify(NULL, &a, &e) ? cli_fail(&e) : 0;
		return no_db ? cli_usage(usage, "backup: %s", e.msg) : cli_fail(&e);
	}
	struct stat sb;
	int rc = 0;
	if (sub != 1 || stat(cf.db_path, &sb) == 0)
		rc = db_open(cf.db_path, 0, &st, &e);
	if (!rc)
		rc = sub < 0 ? do_backup(st, &cf, &a, &e) : sub == 0 ? do_list(st, &a, &e)
			: sub == 1 ? do_verify(st, &a, &e) : do_drill(st, &cf, &a, &e);
	db_close(st);
	conf_free(c);
	return rc ? cli_fail(&e) : 0;
}

int cli_restore(int argc, char **argv)
{
	struct args a;
	int p = parse(argc, argv, 1, &a);
	if (p > 0) {
		fputs(restore_usage, stdout);
		return 0;
	}
	if (p < 0 || !a.db)
		return cli_usage(restore_usage, p < 0 ? "restore: FILE is required" : "restore: --db PATH is required");
	struct conf *c;
	struct ops_conf cf;
	struct ops_restore_out out;
	struct principal cli;
	struct err e = {0};
	if (cli_ops_load(a.config, a.db, &c, &cf, &e))
		return cli_fail(&e);
	rbac_cli_principal(&cli);
	int rc = ops_restore(&cf, a.file, &cli, clock_now(NULL), &out, &e);
	conf_free(c);
	if (rc)
		return cli_fail(&e);
	if (out.aside[0])
		printf("原数据库已保留为 (replaced database kept as): %s\n", out.aside);
	printf("已从 %s 恢复到 %s (restored; sha256 %s, schema version %d, run %lld)\n", a.file, cf.db_path,
	       out.sha256, out.schema_version, (long long)out.run_id);
	return 0;
}
