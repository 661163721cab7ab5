/*
** cli_init.c: `gonggai init --db PATH [--json]`: a new database with the
** schema, the 铜川市 organisation, the approval catalogue and the three
** administrator accounts (sysadmin, secadmin, auditor) with one-time random
** passwords that must be changed at first login. Never touches an existing
** file.
*/
#include "cli/cli.h"
#include "base/clock.h"
#include "org/audit.h"
#include "org/org.h"
#include "db/db.h"

#include <getopt.h>
#include <jansson.h>
#include <libgen.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
	"usage: gonggai init --db PATH [--key-file PATH] [--json]\n"
	"  Create the database at PATH (refuses when it exists), load the organisation of\n"
	"  铜川市 and the approval catalogue, and create the accounts sysadmin, secadmin and\n"
	"  auditor with one-time passwords (printed once; each must be changed at first login).\n"
	"  --key-file PATH  where the secret key goes (0600; default PATH.key beside the database;\n"
	"                   recorded in the database; keep it apart from the database's backups)\n"
	"  --json   print {\"accounts\":[{\"username\":...,\"password\":...},...]} only\n";

static int make_parent(const char *path)
{
	char buf[1024];
	snprintf(buf, sizeof buf, "%s", path);
	char *dir = dirname(buf);
	struct stat sb;
	if (stat(dir, &sb) == 0)
		return 0;
	return mkdir(dir, 0700);
}

/* Create the three administrators; their passwords go into accounts. */
static int create_admins(struct store *st, int64_t now, json_t *accounts, struct err *e)
{
	static const char *const admins[] = {"sysadmin", "secadmin", "auditor"};
	static const char *const names[] = {"系统管理员", "安全管理员", "审计管理员"};
	struct auth_policy pol;
	struct principal cli;
	rbac_cli_principal(&cli);
	if (auth_policy_load(NULL, &pol, e))
		return e->code;
	for (int i = 0; i < 3; i++) {
		char pw[17];
		int64_t id;
		auth_random_password(pw);
		struct user_input in = {.username = admins[i], .password = pw, .display_name = names[i],
					.roles = rbac_role_bit(admins[i])};
		if (org_user_add(st, &pol, NULL, &cli, now, &in, &id, e))
			return e->code;
		json_array_append_new(accounts, json_pack("{s:s,s:s}", "username", admins[i], "password", pw));
	}
	return 0;
}

int cli_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"json", no_argument, NULL, 'j'},
		{"key-file", required_argument, NULL, 'k'},
		{"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	const char *db = NULL, *key_file = NULL;
	int as_json = 0, c;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'j': as_json = 1; break;
		case 'k': key_file = optarg; break;
		case 'h': fputs(usage, stdout); return 0;
		default: return cli_usage(usage, NULL);
		}
	}
	if (!db || optind < argc)
		return cli_usage(usage, "init: --db PATH is required and takes no other arguments");
	struct err e = {0};
	struct store *st;
	int64_t now = clock_now(NULL);
	make_parent(db);
	if (db_open(db, STORE_CREATE, &st, &e))
		return cli_fail(&e);
	json_t *accounts = json_array();
	struct principal cli;
	rbac_cli_principal(&cli);
	int rc = db_seed(st, key_file, now, &e);
	if (!rc)
		rc = create_admins(st, now, accounts, &e);
	if (!rc)
		rc = audit_write(st, &cli, now, "system.init", db, "success",
				 json_pack("{s:i}", "schema", db_schema_version(st)), &e);
	db_close(st);
	if (rc) {
		remove(db);
		json_decref(accounts);
		return cli_fail(&e);
	}
	if (as_json) {
		json_t *out = json_pack("{s:o}", "accounts", accounts);
		json_dumpf(out, stdout, JSON_COMPACT);
		fputc('\n', stdout);
		json_decref(out);
		return 0;
	}
	printf("已创建数据库 %s\n初始账号（一次性密码，首次登录须修改）:\n", db);
	size_t i;
	json_t *a;
	json_array_foreach(accounts, i, a)
		printf("  %-10s %s\n", json_string_value(json_object_get(a, "username")),
		       json_string_value(json_object_get(a, "password")));
	json_decref(accounts);
	return 0;
}
