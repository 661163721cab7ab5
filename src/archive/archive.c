/*
** archive.c: the starts of the server and the archive's listing (see
** archive.h). Events are gathered per kind for the range, merged newest
** first and paged here; a bounded range keeps that small.
*/
#include "archive/archive_int.h"
#include "base/clock.h"
#include "org/audit.h"
#include "store/store_archive.h"
#include "store/store_ops.h"

#include <assert.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#define DEFAULT_DAYS 31
#define MAX_DAYS 400

static const struct dict_entry kinds[] = {
	{"software", "软件版本"}, {"config", "配置变更"}, {"catalog", "事项目录"}, {"calendar", "工作日历"},
	{"org", "组织与账号"},    {"backup", "备份与恢复"}, {"incident", "故障"},      {"request", "需求"},
	{"repair", "数据修复"},   {"system", "系统"},       {NULL, NULL},
};

const struct dict archive_dicts[] = {
	{"archive.kind", kinds},
	{NULL, NULL},
};

/* ---- a start ----------------------------------------------------------------------- */

static void hex(const unsigned char *h, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", h[i]);
}

/* First 16 hex digits of the SHA-256 of the running binary ("unknown"). */
static void build_id(char out[17])
{
	unsigned char buf[65536], h[crypto_hash_sha256_BYTES];
	char full[2 * crypto_hash_sha256_BYTES + 1];
	crypto_hash_sha256_state s;
	FILE *f = fopen("/proc/self/exe", "rb");
	if (!f) {
		snprintf(out, 17, "unknown");
		return;
	}
	crypto_hash_sha256_init(&s);
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		crypto_hash_sha256_update(&s, buf, n);
	fclose(f);
	crypto_hash_sha256_final(&s, h);
	hex(h, sizeof h, full);
	snprintf(out, 17, "%.16s", full);
}

static void value_hash(const char *v, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, (const unsigned char *)v, strlen(v));
	hex(h, sizeof h, out);
}

static void add_key(void *arg, const char *section, const char *key, const char *value)
{
	char name[160], h[65];
	snprintf(name, sizeof name, "%s.%s", section, key);
	value_hash(value, h);
	json_object_set_new(arg, name, json_string(h));
}

/* {"section.key": hash of the value} and the hash of the whole (sorted). */
static json_t *config_keys(const struct conf *c, char hash[65])
{
	json_t *keys = json_object();
	conf_each(c, add_key, keys);
	char *canon = json_dumps(keys, JSON_SORT_KEYS | JSON_COMPACT);
	value_hash(canon ? canon : "", hash);
	free(canon);
	return keys;
}

/* Keys added, removed or changed from prev to now. */
static json_t *changed_keys(const json_t *prev, const json_t *now)
{
	json_t *out = json_array();
	const char *k;
	json_t *v;
	if (!json_is_object(prev))
		return out;
	json_object_foreach((json_t *)now, k, v)
		if (!json_equal(v, json_object_get(prev, k)))
			json_array_append_new(out, json_string(k));
	json_object_foreach((json_t *)prev, k, v)
		if (!json_object_get(now, k))
			json_array_append_new(out, json_string(k));
	return out;
}

static void system_principal(struct principal *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->username, sizeof p->username, "system:serve");
	snprintf(p->source, sizeof p->source, "serve");
}

int archive_record_start(struct store *st, const struct conf *c, int64_t now, struct err *e)
{
	char build[17], hash[65];
	json_t *prev = NULL, *migrations = NULL;
	struct principal sys;
	build_id(build);
	json_t *keys = config_keys(c, hash);
	if (store_archive_start_last(st, &prev, e) ||
	    store_archive_migrations_since(st, json_integer_value(json_object_get(prev, "at")), &migrations, e)) {
		json_decref(keys);
		json_decref(prev);
		return e->code;
	}
	json_t *changed = changed_keys(json_object_get(prev, "config_keys"), keys);
	char *tk = json_dumps(keys, JSON_SORT_KEYS | JSON_COMPACT), *tc = json_dumps(changed, JSON_COMPACT),
	     *tm = json_dumps(migrations, JSON_COMPACT);
	struct store_start rec = {.at = now, .version = GG_VERSION, .build = build,
				  .prev_version = json_string_value(json_object_get(prev, "version")),
				  .prev_build = json_string_value(json_object_get(prev, "build")),
				  .pid = (int)getpid(), .config_hash = hash, .config_keys = tk, .changed_keys = tc,
				  .migrations = tm};
	system_principal(&sys);
	int rc = store_begin(st, e);
	if (!rc)
		rc = store_archive_start_add(st, &rec, e);
	if (!rc)
		rc = audit_write(st, &sys, now, "system.start", "server", "success",
				 json_pack("{s:s,s:s,s:s?,s:s?,s:O,s:O}", "version", GG_VERSION, "build", build,
					   "previous_version", json_string_value(json_object_get(prev, "version")),
					   "previous_build", json_string_value(json_object_get(prev, "build")),
					   "changed_keys", changed, "migrations", migrations),
				 e);
	if (!rc)
		rc = store_commit(st, e);
	else
		store_rollback(st);
	free(tk);
	free(tc);
	free(tm);
	json_decref(keys);
	json_decref(changed);
	json_decref(migrations);
	json_decref(prev);
	return rc;
}

/* ---- filter and permission ------------------------------------------------------------ */

int archive_filter_parse(const char *from, const char *to, const char *kind, struct archive_filter *f,
			 struct err *e)
{
	memset(f, 0, sizeof *f);
	if (from && *from && (f->from = clock_cn_midnight(from)) < 0)
		return err_set(e, ERR_INVALID, "from", "日期格式应为 YYYY-MM-DD (a day): %s", from);
	if (to && *to && (f->to = clock_cn_midnight(to)) < 0)
		return err_set(e, ERR_INVALID, "to", "日期格式应为 YYYY-MM-DD (a day): %s", to);
	if (f->to)
		f->to += 86400;   /* the whole last day */
	f->kind = kind && *kind ? kind : NULL;
	return 0;
}

int archive_filter_check(struct archive_filter *f, int64_t now, struct err *e)
{
	if (!f->to)
		f->to = now + 1;
	if (!f->from)
		f->from = f->to - (int64_t)DEFAULT_DAYS * 86400;
	if (f->from >= f->to)
		return err_set(e, ERR_INVALID, "from", "起始时间须早于结束时间 (from must be before to)");
	if (f->to - f->from > (int64_t)MAX_DAYS * 86400)
		return err_set(e, ERR_INVALID, "to", "时间范围不能超过 %d 天 (range too long)", MAX_DAYS);
	if (f->kind && !dict_label(kinds, f->kind))
		return err_set(e, ERR_INVALID, "kind", "未知的档案类别 (unknown kind): %s", f->kind);
	return 0;
}

static int may_read(const struct principal *who, struct err *e)
{
	if (!rbac_has(who, ROLE_OPS | ROLE_LEADER | ROLE_SYSADMIN))
		return err_set(e, ERR_FORBIDDEN, "", "仅运维人员、领导和系统管理员可查看运维档案");
	return 0;
}

/* ---- listing and export ----------------------------------------------------------------- */

/* at as ISO text and the kind's label, for people and the API. */
static void present(json_t *ev)
{
	char iso[32];
	clock_cn_iso(json_integer_value(json_object_get(ev, "at")), iso);
	json_object_set_new(ev, "at", json_string(iso));
	const char *label = dict_label(kinds, json_string_value(json_object_get(ev, "kind")));
	json_object_set_new(ev, "kind_label", json_string(label ? label : ""));
}

int archive_list(struct store *st, const struct archive_sources *src, const struct principal *who,
		 struct archive_filter *f, int64_t now, const struct page *pg, json_t **items, int64_t *total,
		 struct err *e)
{
	json_t *all;
	if (may_read(who, e) || archive_filter_check(f, now, e) || archive_gather(st, src, f, &all, e))
		return e->code;
	*total = (int64_t)json_array_size(all);
	*items = json_array();
	size_t first = (size_t)(pg->page - 1) * (size_t)pg->page_size;
	for (size_t i = first; i < json_array_size(all) && i < first + (size_t)pg->page_size; i++) {
		json_t *ev = json_array_get(all, i);
		present(ev);
		json_array_append(*items, ev);
	}
	json_decref(all);
	return 0;
}

int archive_xlsx(struct store *st, const struct archive_sources *src, const struct principal *who,
		 struct archive_filter *f, int64_t now, const char *path, struct err *e)
{
	static const struct {
		const char *head, *key;
		double width;
	} cols[] = {{"时间", "at", 22}, {"类别", "kind_label", 12}, {"事项", "title", 30},
		    {"详情", "detail", 70}, {"操作人", "actor", 20},    {"关联记录", "ref", 16}};
	json_t *all, *ev;
	size_t i;
	if (may_read(who, e) || archive_filter_check(f, now, e) || archive_gather(st, src, f, &all, e))
		return e->code;
	lxw_workbook *wb = workbook_new(path);
	if (!wb) {
		json_decref(all);
		return err_set(e, ERR_INTERNAL, "output", "无法创建工作簿: %s", path);
	}
	lxw_format *bold = workbook_add_format(wb), *wrap = workbook_add_format(wb);
	format_set_bold(bold);
	format_set_text_wrap(wrap);
	format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
	lxw_worksheet *ws = workbook_add_worksheet(wb, "运维档案");
	char from[20], to[20], title[120];
	snprintf(title, sizeof title, "运维档案 %s 至 %s（共 %zu 条）", clock_cn_datetime(f->from, from),
		 clock_cn_datetime(f->to - 1, to), json_array_size(all));
	worksheet_write_string(ws, 0, 0, title, bold);
	for (int c = 0; c < 6; c++) {
		worksheet_set_column(ws, c, c, cols[c].width, NULL);
		worksheet_write_string(ws, 1, c, cols[c].head, bold);
	}
	worksheet_freeze_panes(ws, 2, 0);
	json_array_foreach(all, i, ev) {
		present(ev);
		for (int c = 0; c < 6; c++)
			worksheet_write_string(ws, (lxw_row_t)(i + 2), c,
					       json_string_value(json_object_get(ev, cols[c].key)), wrap);
	}
	if (json_array_size(all))
		worksheet_autofilter(ws, 1, 0, (lxw_row_t)(json_array_size(all) + 1), 5);
	json_decref(all);
	lxw_error rc = workbook_close(wb);
	if (rc != LXW_NO_ERROR)
		return err_set(e, ERR_INTERNAL, "output", "写入工作簿失败: %s: %s", path, lxw_strerror(rc));
	return 0;
}
