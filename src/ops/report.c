/*
** report.c: the inspection report as data, and rendering it (see report.h).
** The writers only lay out what this file decides: which rows, which words.
*/
#include "ops/report.h"
#include "base/clock.h"
#include "base/json.h"
#include "org/audit.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int ops_period_parse(const char *day, const char *month, struct ops_period *p, struct err *e)
{
	memset(p, 0, sizeof *p);
	if (!!day == !!month)
		return err_set(e, ERR_INVALID, "period", "须给出 --day YYYY-MM-DD 或 --month YYYY-MM 之一 (one of day, month)");
	if (day) {
		p->from = clock_cn_midnight(day);
		if (p->from < 0)
			return err_set(e, ERR_INVALID, "day", "日期无效: %s (YYYY-MM-DD)", day);
		p->to = p->from + 86400;
		snprintf(p->label, sizeof p->label, "%s", day);
		return 0;
	}
	int y, m;
	char tail, first[11], next[11];
	if (strlen(month) != 7 || sscanf(month, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12)
		return err_set(e, ERR_INVALID, "month", "月份无效: %s (YYYY-MM)", month);
	snprintf(first, sizeof first, "%04d-%02d-01", y, m);
	snprintf(next, sizeof next, "%04d-%02d-01", m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1);
	p->from = clock_cn_midnight(first);
	p->to = clock_cn_midnight(next);
	if (p->from < 0 || p->to < 0)
		return err_set(e, ERR_INVALID, "month", "月份无效: %s", month);
	p->monthly = 1;
	snprintf(p->label, sizeof p->label, "%s", month);
	return 0;
}

int ops_report_format_parse(const char *s, int *format, struct err *e)
{
	if (s && strcmp(s, "xlsx") == 0)
		*format = OPS_REPORT_XLSX;
	else if (s && strcmp(s, "html") == 0)
		*format = OPS_REPORT_HTML;
	else
		return err_set(e, ERR_INVALID, "format", "格式须为 xlsx 或 html: %s", s ? s : "(none)");
	return 0;
}

/* ---- 巡检记录表 --------------------------------------------------------------------- */

static json_t *new_row(const struct ops_conf *cf, json_t *r, const char *day)
{
	char title[128], thr[128];
	const char *item = json_string_value(json_object_get(r, "item"));
	const char *unit = json_string_value(json_object_get(r, "unit"));
	json_t *w = json_object_get(r, "warn"), *c = json_object_get(r, "crit");
	ops_threshold_text(item, json_is_number(w) ? json_number_value(w) : NAN,
			   json_is_number(c) ? json_number_value(c) : NAN, unit ? unit : "", thr, sizeof thr);
	int st = store_ops_status_code(json_string_value(json_object_get(r, "status")));
	return json_pack("{s:s,s:s,s:s,s:s,s:s,s:O,s:O,s:i,s:O,s:s,s:s,s:O}", "day", day, "item", item, "title",
			 ops_item_title(cf, item, title, sizeof title), "status", ops_status_name(st), "result",
			 ops_status_cn(st), "first_at", json_object_get(r, "at"), "last_at", json_object_get(r, "at"),
			 "count", 1, "value", json_object_get(r, "value"), "unit", unit ? unit : "", "threshold", thr,
			 "message", json_object_get(r, "message"));
}

static void time_text(json_t *row, int monthly)
{
	char a[20], b[20], t[80];
	int64_t first = json_integer_value(json_object_get(row, "first_at"));
	int64_t last = json_integer_value(json_object_get(row, "last_at"));
	json_int_t n = json_integer_value(json_object_get(row, "count"));
	clock_cn_datetime(first, a);
	clock_cn_datetime(last, b);
	const char *fa = monthly ? a + 5 : a + 11, *fb = b + 11;
	if (n > 1)
		snprintf(t, sizeof t, "%.*s–%.5s（%lld 次）", monthly ? 11 : 5, fa, fb, (long long)n);
	else
		snprintf(t, sizeof t, "%.*s", monthly ? 11 : 8, fa);
	json_object_set_new(row, "time", json_string(t));
}

/* Handling of each row from the next outcome of the same item (reverse pass). */
static void handling(json_t *rows)
{
	json_t *next = json_object();
	for (size_t i = json_array_size(rows); i-- > 0;) {
		json_t *row = json_array_get(rows, i), *n;
		const char *item = json_string_value(json_object_get(row, "item"));
		const char *st = json_string_value(json_object_get(row, "status"));
		char h[160], when[20];
		n = json_object_get(next, item);
		if (strcmp(st, "OK") == 0)
			snprintf(h, sizeof h, "正常，无需处理");
		else if (!n)
			snprintf(h, sizeof h, "截至报告期末未恢复，需跟进处理");
		else if (strcmp(json_string_value(json_object_get(n, "status")), "OK") == 0)
			snprintf(h, sizeof h, "已于 %s 恢复正常",
				 clock_cn_datetime(json_integer_value(json_object_get(n, "first_at")), when) + 5);
		else
			snprintf(h, sizeof h, "%s 转为%s", clock_cn_datetime(json_integer_value(json_object_get(n, "first_at")),
									 when) + 5,
				 json_string_value(json_object_get(n, "result")));
		json_object_set_new(row, "handling", json_string(h));
		json_object_set(next, item, row);
	}
	json_decref(next);
}

static json_t *build_records(const struct ops_conf *cf, json_t *results, int monthly)
{
	json_t *rows = json_array(), *open = json_object(), *r;
	size_t i;
	json_array_foreach(results, i, r) {
		char day[11];
		const char *item = json_string_value(json_object_get(r, "item"));
		json_t *row = json_object_get(open, item);
		clock_cn_date(json_integer_value(json_object_get(r, "at")), day);
		if (row && strcmp(json_string_value(json_object_get(row, "day")), day) == 0 &&
		    strcmp(json_string_value(json_object_get(row, "status")),
			   json_string_value(json_object_get(r, "status"))) == 0) {
			json_object_set(row, "last_at", json_object_get(r, "at"));
			json_object_set_new(row, "count", json_integer(json_integer_value(json_object_get(row, "count")) + 1));
			json_object_set(row, "value", json_object_get(r, "value"));
			json_object_set(row, "message", json_object_get(r, "message"));
			continue;
		}
		row = new_row(cf, r, day);
		json_array_append_new(rows, row);
		json_object_set(open, item, row);
	}
	json_decref(open);
	json_array_foreach(rows, i, r)
		time_text(r, monthly);
	handling(rows);
	return rows;
}

/* ---- the other sections ------------------------------------------------------------------ */

static json_t *summary(json_t *results, json_t *backups, json_t *drills)
{
	int counts[4] = {0};
	json_t *runs = json_object(), *items = json_object(), *r;
	size_t i;
	int backups_ok = 0, drills_ok = 0;
	json_array_foreach(results, i, r) {
		char id[24];
		counts[store_ops_status_code(json_string_value(json_object_get(r, "status")))]++;
		snprintf(id, sizeof id, "%lld", (long long)json_integer_value(json_object_get(r, "run_id")));
		json_object_set_new(runs, id, json_true());
		json_object_set_new(items, json_string_value(json_object_get(r, "item")), json_true());
	}
	json_array_foreach(backups, i, r)
		backups_ok += strcmp(json_string_value(json_object_get(r, "integrity")), "ok") == 0;
	json_array_foreach(drills, i, r)
		drills_ok += strcmp(json_string_value(json_object_get(r, "status")), "OK") == 0;
	json_t *s = json_pack("{s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i,s:i}", "runs", (int)json_object_size(runs),
			      "checks", (int)json_array_size(results), "items", (int)json_object_size(items), "ok",
			      counts[0], "warn", counts[1], "crit", counts[2], "unknown", counts[3], "backups",
			      (int)json_array_size(backups), "backups_ok", backups_ok, "drills",
			      (int)json_array_size(drills), "drills_ok", drills_ok);
	json_decref(runs);
	json_decref(items);
	return s;
}

static int is_availability_item(const char *item)
{
	size_t n = strlen(item);
	if (strcmp(item, "app.health") == 0 || strcmp(item, "exchange.target") == 0)
		return 1;
	return strncmp(item, "net.", 4) == 0 && !(n > 5 && strcmp(item + n - 5, ".cert") == 0);
}

static json_t *availability(const struct ops_conf *cf, json_t *sum)
{
	json_t *out = json_array(), *r;
	size_t i;
	json_array_foreach(sum, i, r) {
		const char *item = json_string_value(json_object_get(r, "item"));
		if (!is_availability_item(item))
			continue;
		char title[128];
		json_int_t checks = json_integer_value(json_object_get(r, "checks"));
		json_int_t down = json_integer_value(json_object_get(r, "crit")) +
				  json_integer_value(json_object_get(r, "unknown"));
		double pct = checks ? 100.0 * (checks - down) / checks : 0;
		json_array_append_new(out, json_pack("{s:s,s:s,s:I,s:I,s:f,s:O,s:O}", "item", item, "title",
						     ops_item_title(cf, item, title, sizeof title), "checks", checks,
						     "down", down, "availability", round(pct * 100) / 100,
						     "avg_ms", json_object_get(r, "avg"), "max_ms", json_object_get(r, "max")));
	}
	return out;
}

static int trend(struct store *st, const struct ops_period *p, json_t **out, struct err *e)
{
	static const char *const items[] = {"db.size", "db.growth", "host.load", "app.p99", "app.errors"};
	static const char *const keys[] = {"db_mb", "growth_mb", "load", "p99_ms", "errors_pct"};
	int64_t from = p->monthly ? p->from : p->to - 7 * 86400;
	json_t *days = json_object();
	for (int k = 0; k < 5; k++) {
		json_t *rows, *r;
		size_t i;
		if (store_ops_item_daily(st, items[k], from, p->to, &rows, e)) {
			json_decref(days);
			return e->code;
		}
		json_array_foreach(rows, i, r) {
			char date[11], key[16];
			int64_t dayno = json_integer_value(json_object_get(r, "dayno"));
			clock_cn_date(dayno * 86400 - 8 * 3600, date);
			snprintf(key, sizeof key, "%s", date);
			json_t *d = json_object_get(days, key);
			if (!d)
				json_object_set_new(days, key, d = json_pack("{s:s}", "day", date));
			json_object_set(d, keys[k], json_object_get(r, k == 2 || k == 3 ? "max" : "avg"));   /* load and p99: the day's worst, as inspected */
		}
		json_decref(rows);
	}
	json_t *arr = json_array(), *v;
	const char *key;
	json_object_foreach(days, key, v)
		json_array_append(arr, v);
	json_decref(days);
	*out = arr;
	return 0;
}

static int load_sections(struct store *st, const struct ops_period *p, json_t **results, json_t **backups,
			 json_t **drills, json_t **sum, struct err *e)
{
	*results = *backups = *drills = *sum = NULL;
	if (store_ops_results_between(st, p->from, p->to, results, e) ||
	    store_ops_backups_between(st, p->from, p->to, backups, e) ||
	    store_ops_runs_between(st, "drill", p->from, p->to, drills, e) ||
	    store_ops_item_summary(st, p->from, p->to, sum, e)) {
		json_decref(*results);
		json_decref(*backups);
		json_decref(*drills);
		return e->code;
	}
	return 0;
}

int ops_report_data(struct store *st, const struct ops_conf *cf, const struct ops_period *p, int64_t now,
		    const char *by, json_t **out, struct err *e)
{
	json_t *results, *backups, *drills, *sum, *tr = NULL, *rec, *r;
	char gen[20];
	size_t i;
	if (load_sections(st, p, &results, &backups, &drills, &sum, e))
		return e->code;
	if (trend(st, p, &tr, e)) {
		json_decref(results);
		json_decref(backups);
		json_decref(drills);
		json_decref(sum);
		return e->code;
	}
	rec = build_records(cf, results, p->monthly);
	json_t *failures = json_array();
	json_array_foreach(rec, i, r)
		if (strcmp(json_string_value(json_object_get(r, "status")), "OK") != 0)
			json_array_append(failures, r);
	char title[160];
	snprintf(title, sizeof title, "铜川市工程建设项目审批管理系统 %s巡检报告", p->monthly ? "月" : "日");
	*out = json_pack("{s:s,s:s,s:b,s:I,s:I,s:s,s:s,s:o,s:o,s:o,s:o,s:o,s:o,s:o}", "title", title, "period",
			 p->label, "monthly", p->monthly, "from", (json_int_t)p->from, "to", (json_int_t)p->to,
			 "generated_at", clock_cn_datetime(now, gen), "generated_by", by,
			 "summary", summary(results, backups, drills), "records", rec, "failures", failures,
			 "backups", backups, "drills", drills, "availability", availability(cf, sum), "trend", tr);
	json_decref(results);
	json_decref(sum);
	return 0;
}

/* ---- rendering ------------------------------------------------------------------------------ */

static int read_whole(const char *path, char **body, size_t *len, struct err *e)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	if (!f || fstat(fileno(f), &sb) != 0) {
		if (f)
			fclose(f);
		return err_set(e, ERR_INTERNAL, "report", "cannot read %s", path);
	}
	*body = malloc(sb.st_size ? sb.st_size : 1);
	*len = *body ? fread(*body, 1, sb.st_size, f) : 0;
	fclose(f);
	if (!*body || *len != (size_t)sb.st_size) {
		free(*body);
		*body = NULL;
		return err_set(e, ERR_INTERNAL, "report", "cannot read %s", path);
	}
	return 0;
}

static int write_whole(const char *path, const char *body, size_t len, struct err *e)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(body, 1, len, f) != len || fclose(f) != 0)
		return err_set(e, ERR_INTERNAL, "report", "cannot write %s: %s", path, strerror(errno));
	return 0;
}

/* XLSX into *body through a temporary file under [ops] tmp_dir. */
static int xlsx_to_memory(const struct ops_conf *cf, const json_t *data, char **body, size_t *len,
			  struct err *e)
{
	char dir[512], tmp[600];
	if (ops_mkdir(cf->tmp_dir, dir, sizeof dir, e))
		return e->code;
	snprintf(tmp, sizeof tmp, "%s/report-XXXXXX", dir);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return err_set(e, ERR_INTERNAL, "report", "mkstemp %s: %s", tmp, strerror(errno));
	close(fd);
	int rc = ops_report_xlsx(data, tmp, e);
	if (!rc)
		rc = read_whole(tmp, body, len, e);
	unlink(tmp);
	return rc;
}

int ops_report_render(struct store *st, const struct ops_conf *cf, const struct principal *who, int64_t now,
		      const struct ops_period *p, int format, const char *path, char **body, size_t *len,
		      struct err *e)
{
	json_t *data;
	char *b = NULL;
	size_t n = 0;
	int rc;
	*body = NULL;
	if (ops_report_data(st, cf, p, now, who->username, &data, e))
		return e->code;
	if (format == OPS_REPORT_XLSX)
		rc = path ? ops_report_xlsx(data, path, e) : xlsx_to_memory(cf, data, &b, &n, e);
	else {
		rc = ops_report_html(data, &b, &n, e);
		if (!rc && path) {
			rc = write_whole(path, b, n, e);
			free(b);
			b = NULL;
		}
	}
	json_decref(data);
	if (!rc)
		rc = audit_write(st, who, now, "ops.report", "report:inspection", "success",
				 json_pack("{s:s,s:s,s:s?}", "period", p->label, "format",
					   format == OPS_REPORT_XLSX ? "xlsx" : "html", "file", path), e);
	if (rc) {
		free(b);
		return e->code ? e->code : ERR_INTERNAL;
	}
	*body = b;
	*len = n;
	return 0;
}
