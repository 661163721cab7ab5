/*
** cli_user.c: `gonggai user add|list|disable|enable|reset-password|grant|revoke|reset-totp`.
** The command line acts with every role (whoever runs it owns the database
** file) and is audited as "cli:<login>"; the same rules as the API apply to
** the data (password policy, separation of the three administrators, clerk
** apart from head). It is the only way to change an administrator's account.
*/
#include "cli/cli.h"
#include "base/clock.h"
#include "base/json.h"
#include "org/org.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai user SUBCOMMAND --db PATH [OPTIONS]\n"
	"  add --username NAME --password PW --role ROLE[,ROLE] [--department CODE] [--district CODE]\n"
	"      [--display-name NAME] [--phone PHONE]      the password must be changed at first login\n"
	"  list [--department CODE] [--role ROLE] [--json]\n"
	"  disable --username NAME       enable --username NAME\n"
	"  reset-password --username NAME [--password PW]   (random when absent; printed)\n"
	"  grant --username NAME --role ROLE               revoke --username NAME --role ROLE\n"
	"  reset-totp --username NAME    remove the TOTP second factor (lost phone): enrol again at next login\n"
	"  unlock --username NAME        clear a lockout after failed logins (the password stays)\n"
	"roles: clerk reviewer head leader ops catalog sysadmin secadmin auditor repair_approve (never clerk with head,\n"
	"never repair_approve with ops)\n"
	"三员分立: the administrators' accounts (sysadmin, secadmin, auditor) change here only, audited as cli:<login>;\n"
	"the API refuses any administrator acting on another's account.\n";

struct user_args {
	const char *db, *username, *password, *department, *district, *display_name, *phone, *role;
	int json;
};

static int parse(int argc, char **argv, struct user_args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"username", required_argument, NULL, 'u'},
		{"password", required_argument, NULL, 'p'}, {"role", required_argument, NULL, 'r'},
		{"department", required_argument, NULL, 'D'}, {"district", required_argument, NULL, 'T'},
		{"display-name", required_argument, NULL, 'n'}, {"phone", required_argument, NULL, 'P'},
		{"json", no_argument, NULL, 'j'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int c;
	memset(a, 0, sizeof *a);
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'd': a->db = optarg; break;
		case 'u': a->username = optarg; break;
		case 'p': a->password = optarg; break;
		case 'r': a->role = optarg; break;
		case 'D': a->department = optarg; break;
		case 'T': a->district = optarg; break;
		case 'n': a->display_name = optarg; break;
		case 'P': a->phone = optarg; break;
		case 'j': a->json = 1; break;
		case 'h': return 1;
		default: return -1;
		}
	}
	return optind < argc ? -1 : 0;
}

static int do_list(struct store *st, const struct user_args *a, struct err *e)
{
	struct page pg = {1, 200};
	struct principal cli;
	json_t *items, *it, *r;
	int64_t total;
	size_t i, j;
	rbac_cli_principal(&cli);
	if (org_user_list(st, &cli, a->department, a->role, &pg, &items, &total, e))
		return e->code;
	if (a->json) {
		json_dumpf(items, stdout, JSON_COMPACT);
		fputc('\n', stdout);
	} else {
		printf("%-5s %-16s %-26s %-16s %s\n", "id", "username", "roles", "department", "state");
		json_array_foreach(items, i, it) {
			char roles[256] = "";
			json_array_foreach(json_object_get(it, "roles"), j, r)
				snprintf(roles + strlen(roles), sizeof roles - strlen(roles), "%s%s", j ? "," : "",
					 json_string_value(r));
			printf("%-5lld %-16s %-26s %-16s %s\n", (long long)json_get_int(it, "id", 0),
			       json_get_str(it, "username", ""), roles, json_get_str(it, "department", "-"),
			       json_is_false(json_object_get(it, "active")) ? "disabled" : "active");
		}
	}
	if (total > (int64_t)json_array_size(items))
		fprintf(stderr, "gonggai: %lld accounts, the first %zu shown (narrow with --department or --role)\n",
			(long long)total, json_array_size(items));
	json_decref(items);
	return 0;
}

static int do_verb(struct store *st, const char *verb, const struct user_args *a, struct err *e)
{
	struct principal cli;
	struct auth_policy pol;
	struct user u;
	int64_t now = clock_now(NULL), id;
	rbac_cli_principal(&cli);
	if (auth_policy_load(NULL, &pol, e))
		return e->code;
	if (strcmp(verb, "add") == 0) {
		unsigned roles = rbac_parse_roles(a->role);
		if (!roles)
			return err_set(e, ERR_INVALID, "role", "unknown role '%s'", a->role);
		struct user_input in = {a->username, a->password, a->display_name, a->phone,
					a->department, a->district, roles};
		if (org_user_add(st, &pol, NULL, &cli, now, &in, &id, e))
			return e->code;
		printf("created user %s (id %lld); the password must be changed at first login\n",
		       a->username, (long long)id);
		return 0;
	}
	if (store_user_by_name(st, a->username, &u, e))
		return e->code;
	if (strcmp(verb, "disable") == 0 || strcmp(verb, "enable") == 0)
		return org_user_set_active(st, &cli, now, u.id, verb[0] == 'e', e);
	if (strcmp(verb, "grant") == 0 || strcmp(verb, "revoke") == 0)
		return org_user_grant(st, &cli, now, u.id, a->role, verb[0] == 'g', e);
	if (strcmp(verb, "unlock") == 0) {
		if (org_user_unlock(st, &cli, now, u.id, e))
			return e->code;
		printf("%s unlocked\n", u.username);
		return 0;
	}
	if (strcmp(verb, "reset-totp") == 0) {
		if (auth_totp_reset(st, &cli, now, u.id, e))
			return e->code;
		printf("TOTP factor of %s removed; the account enrols again at its next login\n", u.username);
		return 0;
	}
	char pw[17];
	if (org_user_reset_password(st, &pol, NULL, &cli, now, u.id, a->password, pw, e))
		return e->code;
	if (!a->password)
		printf("new one-time password for %s: %s\n", u.username, pw);
	return 0;
}

int cli_user(int argc, char **argv)
{
	static const char *const verbs[] = {"add", "list", "disable", "enable", "reset-password", "grant", "revoke",
					    "reset-totp", "unlock"};
	struct user_args a;
	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? 2 : 0;
	}
	const char *verb = argv[1];
	size_t v = 0;
	while (v < sizeof verbs / sizeof verbs[0] && strcmp(verbs[v], verb) != 0)
		v++;
	if (v == sizeof verbs / sizeof verbs[0])
		return cli_usage(usage, "user: unknown subcommand '%s'", verb);
	if (parse(argc - 1, argv + 1, &a))
		return cli_usage(usage, NULL);
	if (!a.db)
		return cli_usage(usage, "user %s: --db PATH is required", verb);
	if (v != 1 && !a.username)
		return cli_usage(usage, "user %s: --username is required", verb);
	if ((v == 0 && (!a.password || !a.role)) || ((v == 5 || v == 6) && !a.role))
		return cli_usage(usage, "user %s: missing --password or --role", verb);
	struct store *st;
	struct err e = {0};
	if (store_open(a.db, 0, &st, &e))
		return cli_fail(&e);
	int rc = v == 1 ? do_list(st, &a, &e) : do_verb(st, verb, &a, &e);
	store_close(st);
	if (rc == ERR_INVALID && strcmp(e.field, "role") == 0)  /* a role name that does not exist: usage */
		return cli_usage(usage, "user %s: %s", verb, e.msg);
	return rc ? cli_fail(&e) : 0;
}
