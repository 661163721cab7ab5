/*
** cli_inspect.c: `gonggai inspect --db PATH [--only ITEM,...] [--json]`:
** run inspection items now, store the run, print a Nagios-style summary
** line and a table (or the JSON of ops.h), and exit with the Nagios code of
** the worst item: 0 OK, 1 WARN, 2 CRIT, 3 UNKNOWN. A usage error or a
** configuration that cannot be read is 3 too, so cron, Zabbix and Nagios can
** call it as a plugin.
*/
#include "cli/cli.h"
#include "base/clock.h"
#include "cli/cli_ext.h"
#include "cli/cli_ops.h"
#include "http/metrics.h"
#include "ops/lock.h"
#include "db/db.h"

#include <curl/curl.h>
#include <getopt.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

static const char usage[] =
	"usage: gonggai inspect --db PATH [--only ITEM,...] [--json] [--config FILE] [--list]\n"
	"  Run the inspections now and record the run. ITEM is an item (host.disk.data),\n"
	"  a prefix (host.disk) or a group: host app db logs net. --list prints the items.\n"
	"  Exit (Nagios): 0 OK, 1 WARN, 2 CRIT, 3 UNKNOWN (also for usage errors).\n"
	"  Thresholds: [inspect] <item>.warn / <item>.crit in gonggai.ini (docs/operations.md).\n";

struct args {
	const char *db, *only, *config;
	int json, list;
};

static int parse(int argc, char **argv, struct args *a)
{
	static const struct option opts[] = {
		{"db", required_argument, NULL, 'd'}, {"only", required_argument, NULL, 'o'},
		{"json", no_argument, NULL, 'j'}, {"config", required_argument, NULL, 'c'},
		{"list", no_argument, NULL, 'l'}, {"help", no_argument, NULL, 'h'}, {NULL, 0, NULL, 0},
	};
	int ch;
	memset(a, 0, sizeof *a);
	optind = 0;
	while ((ch = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (ch) {
		case 'd': a->db = optarg; break;
		case 'o': a->only = optarg; break;
		case 'j': a->json = 1; break;
		case 'c': a->config = optarg; break;
		case 'l': a->list = 1; break;
		case 'h': return 1;
		default: return -1;
		}
	}
	return optind < argc ? -1 : 0;
}

static void value_text(const struct ops_result *r, char *out, size_t cap)
{
	if (r->has_value && !isnan(r->value))
		ops_value_text(r->value, r->unit, out, cap);
	else
		snprintf(out, cap, "-");
}

static void print_table(const struct ops_inspection *in)
{
	int counts[4] = {0};
	for (int i = 0; i < in->n; i++)
		counts[in->items[i].status & 3]++;
	printf("GONGGAI INSPECT %s - %d items: %d OK, %d WARN, %d CRIT, %d UNKNOWN | run %lld\n",
	       ops_status_name(in->status), in->n, counts[0], counts[1], counts[2], counts[3], (long long)in->run_id);
	/* aligned by display width: values and thresholds carry Chinese units */
	static const int width[] = {8, 22, 12, 24};
	static const char *const head[] = {"STATUS", "ITEM", "VALUE", "THRESHOLDS"};
	for (int k = 0; k < 4; k++)
		cli_cell(stdout, head[k], width[k]);
	puts("MESSAGE");
	for (int i = 0; i < in->n; i++) {
		const struct ops_result *r = &in->items[i];
		char v[32], t[96];
		value_text(r, v, sizeof v);
		ops_threshold_text(r->item, r->warn, r->crit, r->unit, t, sizeof t);
		const char *cell[] = {ops_status_name(r->status), r->item, v, t};
		for (int k = 0; k < 4; k++)
			cli_cell(stdout, cell[k], width[k]);
		puts(r->message);
	}
}

static int run(const struct args *a, struct ops_conf *cf)
{
	struct store *st;
	struct err e = {0};
	struct principal cli;
	struct ops_inspection in;
	if (db_open(cf->db_path, 0, &st, &e)) {
		printf("GONGGAI INSPECT UNKNOWN - %s\n", e.msg);
		return OPS_UNKNOWN;
	}
	struct ops_env env = {.cf = cf, .st = st, .now = clock_now(NULL), .slow_route = metrics_route_hashes};
	ops_server_read(cf->db_path, &env.srv);
	rbac_cli_principal(&cli);
	curl_global_init(CURL_GLOBAL_DEFAULT);
	int rc = ops_inspect(&env, "inspect.manual", &cli, a->only, 0, &in, &e);
	db_close(st);
	curl_global_cleanup();
	if (rc) {
		printf("GONGGAI INSPECT UNKNOWN - %s\n", e.msg);
		return OPS_UNKNOWN;
	}
	if (a->json) {
		json_t *j = ops_inspection_json(&in);
		json_dumpf(j, stdout, JSON_COMPACT | JSON_REAL_PRECISION(6));
		fputc('\n', stdout);
		json_decref(j);
	} else
		print_table(&in);
	int status = in.status;
	ops_inspection_free(&in);
	return status;
}

int cli_inspect(int argc, char **argv)
{
	struct args a;
	struct conf *c = NULL;
	struct ops_conf cf;
	struct err e = {0};
	int p = parse(argc, argv, &a);
	if (p > 0) {
		fputs(usage, stdout);
		return 0;
	}
	if (p < 0) {
		cli_usage(usage, NULL);
		return OPS_UNKNOWN;
	}
	struct cli_ext ext;
	if (cli_ops_load(a.config, a.db, &c, &cf, &e)) {
		cli_fail(&e);
		return OPS_UNKNOWN;
	}
	if (cli_ext_setup(c, &ext, &e)) {
		cli_fail(&e);
		conf_free(c);
		return OPS_UNKNOWN;
	}
	cf.ext = &ext.ops;
	int rc;
	if (a.list) {
		json_t *items = ops_items_json(&cf);
		json_dumpf(items, stdout, JSON_INDENT(1));
		fputc('\n', stdout);
		json_decref(items);
		rc = 0;
	} else if (ops_only_check(&cf, a.only, &e)) {
		cli_usage(usage, "inspect: %s", e.msg);
		rc = OPS_UNKNOWN;
	} else
		rc = run(&a, &cf);
	cli_ext_free(&ext);
	conf_free(c);
	return rc;
}
