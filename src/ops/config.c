/*
** config.c: [ops] and [inspect] of gonggai.ini into struct ops_conf (see
** ops.h). Validation happens here, once, so a typo in a threshold or an
** endpoint stops `serve` and `inspect` with the key named instead of
** silently measuring against a default.
*/
#include "ops/ops.h"
#include "ops/probe.h"

#include <ctype.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "HH:MM" into minutes of the day. */
static int parse_hhmm(const char *v, int *out)
{
	int h, m;
	char tail;
	if (!v || sscanf(v, "%d:%d%c", &h, &m, &tail) != 2 || h < 0 || h > 23 || m < 0 || m > 59)
		return -1;
	*out = h * 60 + m;
	return 0;
}

static int get_time(const struct conf *c, const char *key, const char *def, int *out, struct err *e)
{
	const char *v = c ? conf_str(c, "ops", key, def) : def;
	if (parse_hhmm(v, out))
		return err_set(e, ERR_INVALID, key, "[ops] %s 必须是 HH:MM (must be HH:MM): %s", key, v);
	return 0;
}

static int get_int(const struct conf *c, const char *sect, const char *key, int64_t def,
		   int64_t min, int64_t max, int64_t *out, struct err *e)
{
	if (c && conf_int_ok(c, sect, key, min, max, e))
		return e->code;
	*out = c ? conf_int(c, sect, key, def) : def;
	return 0;
}

static int valid_name(const char *s, size_t n)
{
	if (n == 0 || n >= 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!islower((unsigned char)s[i]) && !isdigit((unsigned char)s[i]) && s[i] != '_' && s[i] != '-')
			return 0;
	return 1;
}

/* "name=url, name=url" */
static int parse_endpoints(struct ops_conf *cf, const char *list, struct err *e)
{
	char buf[4096];
	snprintf(buf, sizeof buf, "%s", list ? list : "");
	for (char *save, *t = strtok_r(buf, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		while (isspace((unsigned char)*t))
			t++;
		char *end = t + strlen(t);
		while (end > t && isspace((unsigned char)end[-1]))
			*--end = 0;
		if (!*t)
			continue;
		char *eq = strchr(t, '=');
		if (!eq || !valid_name(t, (size_t)(eq - t)))
			return err_set(e, ERR_INVALID, "endpoints", "[inspect] endpoints: 应为 名称=URL，名称用小写字母数字 "
				       "(expected name=url with name [a-z0-9_-]): %s", t);
		const char *url = eq + 1;
		if (strncmp(url, "tcp://", 6) && strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
			return err_set(e, ERR_INVALID, "endpoints", "[inspect] endpoints: URL 须以 tcp:// http:// "
				       "https:// 开头 (unsupported scheme): %s", url);
		if (cf->nendpoints == OPS_MAX_ENDPOINTS)
			return err_set(e, ERR_INVALID, "endpoints", "[inspect] endpoints: 最多 %d 个 (too many)",
				       OPS_MAX_ENDPOINTS);
		struct ops_endpoint *ep = &cf->endpoints[cf->nendpoints++];
		snprintf(ep->name, sizeof ep->name, "%.*s", (int)(eq - t), t);
		snprintf(ep->url, sizeof ep->url, "%s", url);
	}
	return 0;
}

/* Every threshold key of every item must be a number or "none". */
static int check_thresholds(const struct ops_conf *cf, struct err *e)
{
	int n;
	struct ops_item_def *defs = ops_item_defs(cf, &n);
	static const char *const which[] = {"warn", "crit"};
	for (int i = 0; i < n; i++)
		for (int w = 0; w < 2; w++) {
			char key[96];
			snprintf(key, sizeof key, "%s.%s", defs[i].name, which[w]);
			const char *v = cf->conf ? conf_get(cf->conf, "inspect", key) : NULL;
			char *end;
			if (!v || strcmp(v, "none") == 0)
				continue;
			double x = strtod(v, &end);
			if (end == v || *end || !isfinite(x)) {
				free(defs);
				return err_set(e, ERR_INVALID, key, "[inspect] %s 必须是数字或 none "
					       "(must be a number or none): %s", key, v);
			}
		}
	free(defs);
	return 0;
}

static void dir_default(const char *db_path, const char *sub, char *out, size_t cap)
{
	char tmp[512];
	snprintf(tmp, sizeof tmp, "%s", db_path);
	snprintf(out, cap, "%s/%s", dirname(tmp), sub);
}

static int load_schedule(const struct conf *c, struct ops_conf *cf, struct err *e)
{
	int64_t v = 0;
	const char *sched = c ? conf_str(c, "ops", "scheduler", "on") : "on";
	if (strcmp(sched, "on") && strcmp(sched, "off"))
		return err_set(e, ERR_INVALID, "scheduler", "[ops] scheduler 必须是 on 或 off: %s", sched);
	cf->scheduler = strcmp(sched, "on") == 0;
	if (get_time(c, "app_time", "08:00", &cf->app_at, e) ||
	    get_time(c, "host_time", "07:30", &cf->host_at, e) ||
	    get_time(c, "backup_time", "02:00", &cf->backup_at, e) ||
	    get_time(c, "cleanup_time", "03:30", &cf->cleanup_at, e) ||
	    get_time(c, "drill_time", "04:30", &cf->drill_at, e))
		return e->code;
	if (get_int(c, "ops", "host_weekday", 1, 1, 7, &v, e))
		return e->code;
	cf->host_weekday = (int)v;
	if (get_int(c, "ops", "drill_weekday", 7, 1, 7, &v, e))
		return e->code;
	cf->drill_weekday = (int)v;
	if (get_int(c, "ops", "net_interval_seconds", 300, 30, 86400, &v, e))
		return e->code;
	cf->net_interval = (int)v;
	if (get_int(c, "ops", "catchup_delay_seconds", 20, 1, 3600, &v, e))
		return e->code;
	cf->catchup_delay = (int)v;
	if (get_int(c, "ops", "inspect_lease_seconds", 900, 60, 86400, &v, e))
		return e->code;
	cf->lease_inspect = (int)v;
	if (get_int(c, "ops", "backup_lease_seconds", 7200, 60, 7 * 86400, &v, e))
		return e->code;
	cf->lease_backup = (int)v;
	return 0;
}

static int load_retention(const struct conf *c, struct ops_conf *cf, struct err *e)
{
	int64_t v = 0;
	if (get_int(c, "ops", "backup_keep_daily", 7, 1, 3650, &v, e))
		return e->code;
	cf->backup_keep_daily = (int)v;
	if (get_int(c, "ops", "backup_keep_monthly", 6, 0, 1200, &v, e))
		return e->code;
	cf->backup_keep_monthly = (int)v;
	if (get_int(c, "ops", "log_rotate_mb", 100, 1, 1 << 20, &v, e))
		return e->code;
	cf->log_rotate_bytes = v * 1024 * 1024;
	if (get_int(c, "ops", "log_rotate_days", 1, 1, 3650, &v, e))
		return e->code;
	cf->log_rotate_days = (int)v;
	if (get_int(c, "ops", "log_keep_days", 180, 1, 36500, &v, e))
		return e->code;
	cf->log_keep_days = (int)v;
	if (get_int(c, "ops", "tmp_keep_hours", 24, 1, 24 * 3650, &v, e))
		return e->code;
	cf->tmp_keep_hours = (int)v;
	if (get_int(c, "ops", "results_keep_days", 400, 30, 36500, &v, e))
		return e->code;
	cf->results_keep_days = (int)v;
	return 0;
}

int ops_conf_load(const struct conf *c, const char *db_path, struct ops_conf *cf, struct err *e)
{
	memset(cf, 0, sizeof *cf);
	cf->conf = c;
	snprintf(cf->db_path, sizeof cf->db_path, "%s", db_path);
	dir_default(db_path, "backups", cf->backup_dir, sizeof cf->backup_dir);
	dir_default(db_path, "tmp", cf->tmp_dir, sizeof cf->tmp_dir);
	snprintf(cf->updates_command, sizeof cf->updates_command, "%s",
		 conf_str(c, "inspect", "updates_command", OPS_UPDATES_COMMAND));
	snprintf(cf->min_versions, sizeof cf->min_versions, "%s",
		 conf_str(c, "inspect", "min_versions", OPS_MIN_VERSIONS));
	snprintf(cf->clamav_dir, sizeof cf->clamav_dir, "%s", conf_str(c, "inspect", "clamav_dir", "/var/lib/clamav"));
	if (c) {
		const char *v;
		if ((v = conf_get(c, "ops", "backup_dir")) && *v)
			snprintf(cf->backup_dir, sizeof cf->backup_dir, "%s", v);
		if ((v = conf_get(c, "ops", "tmp_dir")) && *v)
			snprintf(cf->tmp_dir, sizeof cf->tmp_dir, "%s", v);
		snprintf(cf->log_file, sizeof cf->log_file, "%s", conf_str(c, "log", "file", ""));
		snprintf(cf->app_url, sizeof cf->app_url, "%s", conf_str(c, "inspect", "app_url", ""));
		snprintf(cf->ntp_server, sizeof cf->ntp_server, "%s", conf_str(c, "inspect", "ntp_server", ""));
		snprintf(cf->ca_file, sizeof cf->ca_file, "%s", conf_str(c, "inspect", "ca_file", ""));
	}
	int64_t v = 0;
	if (load_schedule(c, cf, e) || load_retention(c, cf, e) ||
	    get_int(c, "inspect", "probe_timeout_ms", 5000, 100, 120000, &v, e))
		return e->code;
	cf->probe_timeout_ms = (int)v;
	if (parse_endpoints(cf, c ? conf_get(c, "inspect", "endpoints") : NULL, e))
		return e->code;
	return check_thresholds(cf, e);
}
