/*
** cli_audit.c: `gonggai audit verify --db PATH`: walk the keyed audit chain.
** Exit 0 "audit chain ok: N records"; exit 1 naming the first bad record.
** `gonggai audit rotate-key --db PATH`: a new key for the records to come
** (refused while a server or a backup has the database open).
*/
#include "cli/cli.h"
#include "base/clock.h"
#include "ops/lock.h"
#include "org/audit.h"
#include "db/db.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai audit verify --db PATH\n"
	"  Check that no audit record was altered, deleted or reordered outside the program\n"
	"  (the chain is keyed by the key file the database records; see docs/operations.md).\n"
	"  Exit 0 when intact; exit 1 naming the first bad record id.\n"
	"       gonggai audit rotate-key --db PATH\n"
	"  A new key for the records to come; the old ones stay in the key file for theirs.\n"
	"  Refused while a server, backup or drill has the database open.\n";

static int rotate(const char *db)
{
	struct ops_lock lk;
	struct store *st;
	struct principal cli;
	struct err e = {0};
	int64_t from = 0;
	if (ops_lock_exclusive(db, &lk, &e))
		return cli_fail(&e);
	rbac_cli_principal(&cli);
	int rc = db_open(db, 0, &st, &e);
	if (rc == 0) {
		rc = audit_rotate_key(st, &cli, clock_now(NULL), &from, &e);
		if (rc == 0)
			printf("new audit key from record %lld on (the older keys stay in the key file)\n",
			       (long long)from);
		db_close(st);
	}
	ops_lock_release(&lk);
	return rc ? cli_fail(&e) : 0;
}

int cli_audit(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	const char *db = NULL;
	int c;
	if (cli_wants_help(argc, argv)) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 2 || (strcmp(argv[1], "verify") != 0 && strcmp(argv[1], "rotate-key") != 0))
		return cli_usage(usage, "audit: expected 'verify' or 'rotate-key'");
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		if (c != 'd')
			return cli_usage(usage, NULL);
		db = optarg;
	}
	if (!db || optind < argc - 1)
		return cli_usage(usage, "audit %s: --db PATH is required", argv[1]);
	if (strcmp(argv[1], "rotate-key") == 0)
		return rotate(db);
	struct store *st;
	struct err e = {0};
	struct audit_verdict v;
	if (db_open(db, STORE_READONLY, &st, &e))
		return cli_fail(&e);
	int rc = audit_verify(st, &v, &e);
	db_close(st);
	if (rc)
		return cli_fail(&e);
	if (v.bad_id) {
		printf("audit chain broken at record %lld: %s (%lld records checked)\n",
		       (long long)v.bad_id, v.reason, (long long)v.records);
		return 1;
	}
	printf("audit chain ok: %lld records\n", (long long)v.records);
	return 0;
}
