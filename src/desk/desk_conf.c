/*
** desk_conf.c: [desk] of gonggai.ini. Defaults are the contract's (第二条):
**   respond.l1 = 1   respond.l2 = 5   respond.l3 = 10          minutes
**   resolve.l1 = 240 resolve.l2 = 480 resolve.l3 = 1440        per level, and
**   resolve.l3.config = 10  resolve.l3.user_env = 60  resolve.l3.infrastructure = 480
**   (any resolve.l<N>.<category> overrides its level's figure)
**   third_party = 30   rca = 1440   warn_percent = 80   open_on_warn = off
**   levels = app.health:1,db.quick_check:1,db.backup_age:1,job.backup:1,...,*:3
**   webhook_url =   webhook_timeout_ms = 5000   webhook_attempts = 5   interval_s = 10
*/
#include "desk/desk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define DEFAULT_LEVELS "app.health:1,db.quick_check:1,db.backup_age:1,job.backup:1,exchange:2," \
	"job.exchange:2,host.disk:2,net:2,app:2,job:2,*:3"

static int get_int(const struct conf *c, const char *key, int def, int min, int max, int *out,
		   struct err *e)
{
	if (c && conf_int_ok(c, "desk", key, min, max, e))
		return e->code;
	*out = c ? (int)conf_int(c, "desk", key, def) : def;
	return 0;
}

static int parse_levels(const char *text, struct desk_conf *cf, struct err *e)
{
	char buf[2048], *save = NULL;
	snprintf(buf, sizeof buf, "%s", text);
	cf->nmap = 0;
	for (char *t = strtok_r(buf, ", ", &save); t; t = strtok_r(NULL, ", ", &save)) {
		char *colon = strrchr(t, ':');
		if (!colon || colon == t || (colon[1] < '1' || colon[1] > '3') || colon[2] ||
		    colon - t >= (long)sizeof cf->map[0].prefix)
			return err_set(e, ERR_INVALID, "desk.levels",
				       "每项应为 前缀:级别 (prefix:1|2|3), got \"%s\"", t);
		if (cf->nmap == DESK_MAX_MAP)
			return err_set(e, ERR_INVALID, "desk.levels", "at most %d entries", DESK_MAX_MAP);
		snprintf(cf->map[cf->nmap].prefix, sizeof cf->map[0].prefix, "%.*s", (int)(colon - t), t);
		cf->map[cf->nmap++].level = colon[1] - '0';
	}
	return 0;
}

static int load_clocks(const struct conf *c, struct desk_conf *cf, struct err *e)
{
	static const int respond_def[4] = {0, 1, 5, 10}, resolve_def[4] = {0, 240, 480, 1440};
	char key[64];
	for (int l = 1; l <= 3; l++) {
		int lvl = 0;
		snprintf(key, sizeof key, "respond.l%d", l);
		if (get_int(c, key, respond_def[l], 1, 100000, &cf->respond_min[l], e))
			return e->code;
		snprintf(key, sizeof key, "resolve.l%d", l);
		if (get_int(c, key, resolve_def[l], 1, 1000000, &lvl, e))
			return e->code;
		for (int k = 0; k < DC_N; k++) {
			int def = lvl;
			if (l == 3 && k == DC_CONFIG)
				def = 10;
			else if (l == 3 && k == DC_USER_ENV)
				def = 60;
			else if (l == 3 && k == DC_INFRA)
				def = 480;
			snprintf(key, sizeof key, "resolve.l%d.%s", l, desk_category_code(k));
			if (get_int(c, key, def, 1, 1000000, &cf->resolve_min[l][k], e))
				return e->code;
		}
	}
	if (get_int(c, "third_party", 30, 1, 100000, &cf->third_party_min, e) ||
	    get_int(c, "rca", 1440, 1, 1000000, &cf->rca_min, e))
		return e->code;
	return get_int(c, "warn_percent", 80, 1, 99, &cf->warn_percent, e);
}

int desk_conf_load(const struct conf *c, struct desk_conf *cf, struct err *e)
{
	memset(cf, 0, sizeof *cf);
	if (load_clocks(c, cf, e))
		return e->code;
	const char *w = c ? conf_str(c, "desk", "open_on_warn", "off") : "off";
	if (strcmp(w, "on") && strcmp(w, "off"))
		return err_set(e, ERR_INVALID, "desk.open_on_warn", "must be on or off, got \"%s\"", w);
	cf->open_on_warn = strcmp(w, "on") == 0;
	if (parse_levels(c ? conf_str(c, "desk", "levels", DEFAULT_LEVELS) : DEFAULT_LEVELS, cf, e))
		return e->code;
	const char *url = c ? conf_str(c, "desk", "webhook_url", "") : "";
	if (*url && strncmp(url, "http://", 7) && strncmp(url, "https://", 8))
		return err_set(e, ERR_INVALID, "desk.webhook_url", "must start with http:// or https://");
	if (strlen(url) >= sizeof cf->webhook_url)
		return err_set(e, ERR_INVALID, "desk.webhook_url", "too long");
	snprintf(cf->webhook_url, sizeof cf->webhook_url, "%s", url);
	if (get_int(c, "webhook_timeout_ms", 5000, 100, 60000, &cf->webhook_timeout_ms, e))
		return e->code;
	if (get_int(c, "interval_s", 10, 1, 3600, &cf->interval_s, e))
		return e->code;
	return get_int(c, "webhook_attempts", 5, 1, 20, &cf->webhook_attempts, e);
}

int desk_level_for(const struct desk_conf *cf, const char *ref)
{
	int best = 3;
	size_t best_len = 0;
	for (int i = 0; i < cf->nmap; i++) {
		const char *p = cf->map[i].prefix;
		size_t n = strlen(p);
		if (strcmp(p, "*") == 0) {
			if (best_len == 0)
				best = cf->map[i].level;
			continue;
		}
		if (strncmp(ref, p, n) == 0 && (ref[n] == 0 || ref[n] == '.') && n > best_len) {
			best = cf->map[i].level;
			best_len = n;
		}
	}
	return best;
}
