/*
** cli_demo.c: `gonggai demo --db PATH --projects N [--seed S] [--as-of DATE]
** [--password PW]`: a new database (like `gonggai init`: organisation,
** catalogue, the three administrators) filled with a realistic,
** deterministic 办件 history (approval/case_demo.c), plus demo accounts with
** a known password (approval/demo_accounts.c) so the web UI and the browser
** tests can act at once.
** Prints what it made, the generation rate, and the accounts. Refuses an
** existing file. Owns the store and calendar it opens.
*/
#include "cli/cli.h"
#include "approval/case.h"
#include "approval/catalog.h"
#include "base/clock.h"
#include "workday/workday.h"
#include "org/audit.h"
#include "org/org.h"
#include "stats/stats_live.h"
#include "db/db.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai demo --db PATH [--projects N] [--seed S] [--as-of YYYY-MM-DD] [--password PW]\n"
	"  Create PATH (refuses an existing file) with the 铜川市 organisation and catalogue and\n"
	"  generate the approval history of N projects (default 1000; about 14 办件 each):\n"
	"  weighted districts, mixed flow types, parallel instances, 54Y joint acceptance,\n"
	"  supplements, special procedures, 容缺, overdue, refused, withdrawn and revoked cases,\n"
	"  nothing after --as-of (default today) nor after now, the same rows for the same seed\n"
	"  and day.\n"
	"  Creates the accounts listed at the end with password PW (default Demo-Passw0rd!),\n"
	"  already changed (no forced change at first login): for every department a clerk, a\n"
	"  reviewer and a head (demo_zjj_reviewer; districts' demo_610203_xsp_clerk), who act\n"
	"  in the history (their 已办); demo_leader, demo_ops, demo_catalog and the three\n"
	"  administrators. For demonstrations only.\n";

struct demo_args {
	const char *db, *password;
	int projects;
	uint64_t seed;
	int32_t as_of;
};

static int parse(int argc, char **argv, struct demo_args *a)
{
	static const struct option opts[] = {
		{"db", 1, NULL, 'd'}, {"projects", 1, NULL, 'n'}, {"seed", 1, NULL, 's'}, {"as-of", 1, NULL, 'a'},
		{"password", 1, NULL, 'p'}, {"help", 0, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	char today[11], *end;
	struct err e;
	int ch;
	clock_cn_date(clock_now(NULL), today);
	*a = (struct demo_args){.password = "Demo-Passw0rd!", .projects = 1000, .seed = 1};
	if (cal_date_parse(today, &a->as_of, &e))
		return -1;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': a->db = optarg; break;
		case 'n':
			a->projects = (int)strtol(optarg, &end, 10);
			if (*end || a->projects < 1 || a->projects > 10000000)
				return -1;
			break;
		case 's':
			a->seed = strtoull(optarg, &end, 10);
			if (*end)
				return -1;
			break;
		case 'a':
			if (cal_date_parse(optarg, &a->as_of, &e))
				return -1;
			break;
		case 'p': a->password = optarg; break;
		case 'h': fputs(usage, stdout); return 1;
		default: return -1;
		}
	}
	return a->db && optind == argc ? 0 : -1;
}

static int seed_db(struct store *st, const char *db, const char *password, int64_t now,
		   struct case_demo_accounts *accounts, struct err *e)
{
	struct principal cli;
	rbac_cli_principal(&cli);
	if (db_seed(st, NULL, now, e))
		return e->code;
	if (case_demo_accounts(st, password, now, accounts, e))
		return e->code;
	return audit_write(st, &cli, now, "system.init", db, "success",
			   json_pack("{s:i,s:b}", "schema", db_schema_version(st), "demo", 1), e);
}

static void report(const struct case_demo_stats *s, double secs, const char *password,
		   const struct case_demo_accounts *as)
{
	printf("演示数据已生成: %lld 个项目 (%lld 个完成竣工验收), %lld 个并联审批实例, %lld 个办件 "
	       "(%lld 个在办), %lld 条状态记录, %lld 个批次\n",
	       (long long)s->projects, (long long)s->finished_projects, (long long)s->instances,
	       (long long)s->cases, (long long)s->running, (long long)s->status_rows, (long long)s->batches);
	printf("generated %lld 办件 in %.2f s: %.0f 办件/s (rows %.2f s, indexes and ANALYZE %.2f s)\n",
	       (long long)s->cases, secs, secs > 0 ? s->cases / secs : 0.0, s->rows_seconds, s->index_seconds);
	printf("演示账号 %zu 个 (密码 %s; 每个部门一名窗口人员、审查人员、负责人):\n", as->n, password);
	for (size_t i = 0; i < as->n; i++) {
		printf("  ");
		cli_cell(stdout, as->a[i].username, 26);
		cli_cell(stdout, as->a[i].roles, 10);
		cli_cell(stdout, as->a[i].display_name, 10);
		printf("%s\n", as->a[i].department);
	}
}

int cli_demo(int argc, char **argv)
{
	struct demo_args a;
	struct err e = {0};
	struct store *st = NULL;
	struct cal *cal = NULL;
	struct case_demo_stats stats;
	struct case_demo_accounts accounts = {0};
	struct principal cli;
	int rc = parse(argc, argv, &a);
	if (rc)
		return rc > 0 ? 0 : cli_usage(usage, "demo: --db PATH is required; N 1..10000000; DATE YYYY-MM-DD");
	int64_t now = clock_now(NULL);
	rbac_cli_principal(&cli);
	if (db_open(a.db, STORE_CREATE, &st, &e))
		return cli_fail(&e);
	struct case_env env = {.dl = DEADLINE_CONF_DEFAULT};
	rc = seed_db(st, a.db, a.password, now, &accounts, &e);
	if (!rc)
		rc = cal_build_store(st, &cal, &e);
	double t0 = clock_mono_ms();
	if (!rc) {
		env.cal = cal;
		env.observers = db_case_observers();
		struct case_demo_conf cf = {.projects = a.projects, .seed = a.seed, .as_of = a.as_of,
					    .accounts = &accounts};
		rc = case_demo(st, &env, &cli, &cf, now, &stats, &e);
	}
	double secs = (clock_mono_ms() - t0) / 1000.0;
	/* bulk rows bypass the per-change statistics hook: sum them once */
	struct stats_rebuild_result sr = {0};
	if (!rc)
		rc = stats_rebuild(st, &env, now, &sr, &e);
	cal_free(cal);
	db_close(st);        /* the last checkpoint: the file is on disk */
	double closed = (clock_mono_ms() - t0) / 1000.0;
	if (rc) {
		case_demo_accounts_free(&accounts);
		remove(a.db);
		return cli_fail(&e);
	}
	report(&stats, secs, a.password, &accounts);
	case_demo_accounts_free(&accounts);
	printf("statistics rebuilt for %lld 办件 in %.1f s\n", (long long)sr.cases, sr.ms / 1000.0);
	printf("all on disk (statistics, final checkpoint) after %.1f s\n", closed);
	return 0;
}
