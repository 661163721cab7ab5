/*
** main.c: argv -> verb table. The only file with process-wide state: it owns
** nothing but the table below; each verb opens what it needs and closes it.
** Everything the program creates (database, WAL, key file, backups,
** reports, logs, directories) is its owner's alone: umask 077 first.
*/
#include "cli/cli.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

static const struct cli_verb verbs[] = {
	{"init", cli_init, "create a database: schema, 铜川市 organisation, catalogue, admin accounts"},
	{"serve", cli_serve, "serve the HTTP API and web application"},
	{"user", cli_user, "manage accounts: add, list, disable, reset-password, grant, revoke, reset-totp"},
	{"audit", cli_audit, "verify the keyed audit chain; rotate its key"},
	{"cal", cli_cal, "working-day calendar: add, count, day, import"},
	{"id", cli_id, "check identifiers: uscc, idcard, project-code, division"},
	{"catalog", cli_catalog, "approval catalogue: export, import, validate, versions, diff, show"},
	{"project", cli_project, "construction projects: add, list, show, update, delete"},
	{"case", cli_case, "办件: apply for a stage, act on a case, show, list, todo, timeline, documents"},
	{"demo", cli_demo, "generate a realistic demo history (projects, 办件, accounts) at scale"},
	{"inspect", cli_inspect, "run inspections now (Nagios exit codes), table or JSON"},
	{"backup", cli_backup, "online backup; list, verify FILE, drill (restore test)"},
	{"restore", cli_restore, "restore a verified backup (refused while a server runs)"},
	{"report", cli_report, "inspection reports; 月度/年度运维报告 (monthly, annual); 营商环境 (business): xlsx, html or json"},
	{"archive", cli_archive, "运维档案: every maintenance event (versions, configuration, catalogue, accounts, backups…)"},
	{"cleanup", cli_cleanup, "rotate the application log, remove temp files past retention"},
	{"stats", cli_stats, "statistics: period reports (table/json/csv/xlsx), dashboard, refresh, rebuild, check"},
	{"quality", cli_quality, "数据质检: run the rules, findings and 整改, rules catalogue, monthly 通报"},
	{"import", cli_import, "数据导入: projects and units from a spreadsheet (XLSX or CSV), SPGL history; dry run first"},
	{"repair", cli_repair, "数据修复: typed repairs with preview, the bureau's approval, apply and undo"},
	{"desk", cli_desk, "运维服务台: fault tickets with SLA clocks, monthly and ticket reports, webhook"},
	{"exchange", cli_exchange, "前置库 exchange with the province: check, push, pull, status, withdraw"},
	{NULL, NULL, NULL},
};

static void usage(FILE *f)
{
	fputs("usage: gonggai VERB [OPTIONS]   (gonggai VERB --help for a verb's options)\n\n"
	      "工程建设项目审批管理系统: approval workflow with built-in operations.\n\nverbs:\n", f);
	for (const struct cli_verb *v = verbs; v->name; v++)
		fprintf(f, "  %-10s %s\n", v->name, v->summary);
}

int main(int argc, char **argv)
{
	umask(077);
	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("gonggai %s\n", GG_VERSION);
		return 0;
	}
	for (const struct cli_verb *v = verbs; v->name; v++)
		if (strcmp(argv[1], v->name) == 0)
			return v->run(argc - 1, argv + 1);
	fprintf(stderr, "gonggai: unknown verb '%s'\n", argv[1]);
	usage(stderr);
	return 2;
}
