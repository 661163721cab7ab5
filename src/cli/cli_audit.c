/*
** cli_audit.c: `gonggai audit verify --db PATH`: walk the audit hash chain.
** Exit 0 "audit chain ok: N records"; exit 1 naming the first bad record.
*/
#include "cli/cli.h"
#include "org/audit.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai audit verify --db PATH\n"
	"  Check that no audit record was altered, deleted or reordered outside the program.\n"
	"  Exit 0 when intact; exit 1 naming the first bad record id.\n";

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
	if (argc < 2 || strcmp(argv[1], "verify") != 0)
		return cli_usage(usage, "audit: expected 'verify'");
	optind = 0;
	while ((c = getopt_long(argc - 1, argv + 1, "h", opts, NULL)) != -1) {
		if (c != 'd')
			return cli_usage(usage, NULL);
		db = optarg;
	}
	if (!db || optind < argc - 1)
		return cli_usage(usage, "audit verify: --db PATH is required");
	struct store *st;
	struct err e = {0};
	struct audit_verdict v;
	if (store_open(db, STORE_READONLY, &st, &e))
		return cli_fail(&e);
	int rc = audit_verify(st, &v, &e);
	store_close(st);
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
